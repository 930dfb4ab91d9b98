"""One bucket's budget: whose it is, its token bucket, its hourly window and who waits."""

from __future__ import annotations

from dataclasses import dataclass, field

from mwstui.throttle.token_bucket import TokenBucket

HOUR = 3600.0


@dataclass(frozen=True, slots=True, order=True)
class BucketKey:
    """Whose budget: the endpoint host, the seller account and the catalog bucket name."""

    endpoint: str
    account: str
    bucket: str


@dataclass(slots=True)
class HourlyWindow:
    """An hourly quota (MWS Reports): calls left and when the window resets."""

    quota: int
    remaining: int
    resets_at: float | None = None
    measured: bool = False

    def roll(self, now: float) -> None:
        """Start a new window (all calls back) once the reset time has passed."""
        if self.resets_at is not None and now >= self.resets_at:
            self.remaining = self.quota
            self.resets_at = None
            self.measured = False


@dataclass(slots=True)
class Budget:
    """One bucket's budget as the governor models it: tokens, hourly window, waiters."""

    bucket: TokenBucket
    hourly: HourlyWindow | None
    operations: set[str] = field(default_factory=set)
    blocked_until: float | None = None
    waiting: dict[int, tuple[str, float]] = field(default_factory=dict)
    measured_at: float | None = None
    calls: int = 0
    full_take_at: float | None = None
    """When a call took the first token of a full bucket and its answer has not come yet."""
    rate_measured: bool = False
    """True when the refill rate came from the server (SP-API ``x-amzn-RateLimit-Limit``)."""

    def wait_needed(self, now: float) -> float:
        """Seconds until a call may be sent (0 when it may be now)."""
        waits = [self.bucket.seconds_until(now)]
        if self.blocked_until is not None:
            if now >= self.blocked_until:
                self.blocked_until = None
            else:
                waits.append(self.blocked_until - now)
        if self.hourly is not None:
            self.hourly.roll(now)
            if self.hourly.remaining <= 0:
                if self.hourly.resets_at is None:
                    # Used up with no known reset: assume a full hour, so it does roll over.
                    self.hourly.resets_at = now + HOUR
                waits.append(self.hourly.resets_at - now)
        return max(waits)

    def consume(self, now: float) -> None:
        """Account for one call sent now."""
        self.bucket.refill(now)
        if self.bucket.tokens >= self.bucket.capacity - 1e-9:
            self.full_take_at = now
        self.bucket.take(now)
        self.calls += 1
        if self.hourly is not None:
            self.hourly.roll(now)
            if self.hourly.resets_at is None:
                # The hour starts with the first call we see (the server's window is
                # per caller); headers correct it as soon as they arrive.
                self.hourly.resets_at = now + HOUR
            self.hourly.remaining = max(0, self.hourly.remaining - 1)
