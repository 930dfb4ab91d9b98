"""What the budget panel shows of one bucket at one instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from mwstui.throttle.budget import BucketKey, Budget


@dataclass(frozen=True, slots=True)
class BucketSnapshot:
    """What the budget panel shows for one bucket at one instant."""

    key: BucketKey
    operations: tuple[str, ...]
    tokens: float
    capacity: int
    restore_seconds: float
    seconds_to_next: float
    seconds_to_full: float
    hourly_max: int | None
    hourly_remaining: int | None
    hourly_resets_at: datetime | None
    measured: bool
    """True when the hourly figures came from the server's quota headers."""
    waiting: int
    """Callers waiting for this bucket now."""
    wait_remaining: float | None
    """Seconds until the earliest waiting caller may send."""
    waiting_operation: str | None
    blocked_until: datetime | None
    calls: int

    @classmethod
    def of(cls, key: BucketKey, b: Budget, now: float) -> BucketSnapshot:
        """The snapshot of budget ``b`` at ``now`` (settling what time has changed)."""
        tb = b.bucket
        tb.refill(now)
        if b.hourly is not None:
            b.hourly.roll(now)
        if b.blocked_until is not None and now >= b.blocked_until:
            b.blocked_until = None
        first = min(b.waiting.values(), key=lambda w: w[1]) if b.waiting else None
        return cls(
            key=key,
            operations=tuple(sorted(b.operations)),
            tokens=tb.tokens,
            capacity=tb.capacity,
            restore_seconds=tb.restore_seconds,
            seconds_to_next=tb.seconds_to_next(now),
            seconds_to_full=(tb.capacity - tb.tokens) * tb.restore_seconds,
            hourly_max=b.hourly.quota if b.hourly else None,
            hourly_remaining=b.hourly.remaining if b.hourly else None,
            hourly_resets_at=as_datetime(b.hourly.resets_at) if b.hourly else None,
            measured=bool(b.hourly and b.hourly.measured) or b.rate_measured,
            waiting=len(b.waiting),
            wait_remaining=max(0.0, first[1] - now) if first else None,
            waiting_operation=first[0] if first else None,
            blocked_until=as_datetime(b.blocked_until),
            calls=b.calls,
        )


def as_datetime(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)
