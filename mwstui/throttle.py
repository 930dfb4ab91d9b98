"""The throttle governor: a token bucket and an hourly window per (endpoint, account, bucket).

MWS throttles each seller per operation: a bucket of ``max quota`` tokens refilling at the
restore rate, plus (Reports) an hourly quota. The governor keeps a model of every bucket,
makes callers wait for a token instead of sending into a throttle, and re-syncs from
what the server says (quota headers, RequestThrottled, QuotaExceeded). It is pure apart
from its injected clock, so tests move time instead of sleeping.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mwstui.catalog import Throttle
from mwstui.clock import Clock
from mwstui.errors import QuotaExceededError, ThrottledError

HOUR = 3600.0
RESOLUTION = 1e-6
"""Waits shorter than this count as none: epoch floats resolve ~0.24 µs, so a shorter sleep
may not move the clock at all and the wait would never end."""


@dataclass(frozen=True, slots=True, order=True)
class BucketKey:
    """Whose budget: the endpoint host, the seller account and the catalog bucket name."""

    endpoint: str
    account: str
    bucket: str


@dataclass(slots=True)
class TokenBucket:
    """A continuous token bucket: ``capacity`` tokens, one back every ``restore_seconds``."""

    capacity: int
    restore_seconds: float
    tokens: float
    updated: float

    def refill(self, now: float) -> None:
        """Add the tokens restored since the last update (time never runs backwards here)."""
        if now > self.updated:
            self.tokens = min(
                self.capacity, self.tokens + (now - self.updated) / self.restore_seconds
            )
        self.updated = max(self.updated, now)

    def seconds_until(self, now: float, n: float = 1.0) -> float:
        """Seconds until ``n`` tokens are available (0 when they are now)."""
        self.refill(now)
        wait = (n - self.tokens) * self.restore_seconds
        return 0.0 if wait <= RESOLUTION else wait

    def seconds_to_next(self, now: float) -> float:
        """Seconds until the token count reaches its next whole number (0 when full)."""
        self.refill(now)
        if self.tokens >= self.capacity:
            return 0.0
        whole = math.floor(self.tokens + RESOLUTION / self.restore_seconds)
        return self.seconds_until(now, whole + 1.0)

    def take(self, now: float) -> None:
        self.refill(now)
        self.tokens = max(0.0, self.tokens - 1.0)

    def drain(self, now: float) -> None:
        self.refill(now)
        self.tokens = 0.0


@dataclass(slots=True)
class _Hourly:
    quota: int
    remaining: int
    resets_at: float | None = None
    measured: bool = False

    def roll(self, now: float) -> None:
        if self.resets_at is not None and now >= self.resets_at:
            self.remaining = self.quota
            self.resets_at = None
            self.measured = False


@dataclass(slots=True)
class _Bucket:
    bucket: TokenBucket
    hourly: _Hourly | None
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


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _dt(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


class Governor:
    """Paces calls per bucket so nothing is sent into a throttle.

    Args:
        clock: the time source; waiting is ``clock.sleep``.
        overrides: per bucket name, a Throttle that replaces the catalog's (profile setting).
    """

    def __init__(self, clock: Clock, overrides: dict[str, Throttle] | None = None) -> None:
        self._clock = clock
        self._buckets: dict[BucketKey, _Bucket] = {}
        self._overrides = dict(overrides or {})
        self._waiter_seq = 0

    # -- model --------------------------------------------------------------------------

    def _limits(self, key: BucketKey, throttle: Throttle) -> Throttle:
        return self._overrides.get(key.bucket, throttle)

    def _get(self, key: BucketKey, throttle: Throttle, operation: str | None = None) -> _Bucket:
        b = self._buckets.get(key)
        if b is None:
            t = self._limits(key, throttle)
            hourly = _Hourly(t.hourly_quota, t.hourly_quota) if t.hourly_quota else None
            b = _Bucket(
                TokenBucket(t.capacity, t.restore_seconds, t.capacity, self._clock.time()), hourly
            )
            self._buckets[key] = b
        if operation:
            b.operations.add(operation)
        return b

    def register(self, key: BucketKey, throttle: Throttle, operation: str) -> None:
        """Make a bucket known (shown full and modelled) before its first call."""
        self._get(key, throttle, operation)

    async def acquire(
        self, key: BucketKey, throttle: Throttle, *, operation: str, max_wait: float | None = None
    ) -> float:
        """Wait for a token of ``key``'s bucket and take it.

        Args:
            key: the bucket.
            throttle: its limits from the catalog.
            operation: who is asking (shown while waiting).
            max_wait: give up instead of waiting longer than this many seconds.

        Returns:
            The seconds spent waiting.

        Raises:
            ThrottledError / QuotaExceededError: when the wait would exceed ``max_wait``;
                nothing was sent (code ``LocalThrottle`` / ``LocalQuotaExceeded``).
        """
        b = self._get(key, throttle, operation)
        start = self._clock.time()
        while True:
            now = self._clock.time()
            wait = b.wait_needed(now)
            if wait <= 0:
                b.consume(now)
                return now - start
            if max_wait is not None and (now - start) + wait > max_wait:
                self._refuse(b, operation, wait)
            self._waiter_seq += 1
            ticket = self._waiter_seq
            b.waiting[ticket] = (operation, now + wait)
            try:
                await self._clock.sleep(wait)
            finally:
                del b.waiting[ticket]

    def _refuse(self, b: _Bucket, operation: str, wait: float) -> None:
        if (b.hourly is not None and b.hourly.remaining <= 0) or b.blocked_until is not None:
            resets = b.blocked_until or (b.hourly.resets_at if b.hourly else None)
            raise QuotaExceededError(
                "LocalQuotaExceeded",
                f"hourly quota used up; resets in {wait:.0f} s",
                resets_at=_dt(resets),
                operation=operation,
            )
        raise ThrottledError(
            "LocalThrottle", f"no request quota for {wait:.0f} s", operation=operation
        )

    # -- re-sync from the server ----------------------------------------------------------

    def observe_quota(
        self,
        key: BucketKey,
        throttle: Throttle,
        *,
        quota_max: float | None,
        remaining: float | None,
        resets_on: datetime | None,
    ) -> None:
        """Take the hourly figures from ``x-mws-quota-*`` headers as the truth."""
        if quota_max is None and remaining is None:
            return
        b = self._get(key, throttle)
        now = self._clock.time()
        if quota_max is not None:
            quota = int(quota_max)
        else:
            quota = b.hourly.quota if b.hourly else int(remaining or 0)
        if b.hourly is None:
            b.hourly = _Hourly(quota, quota)
        b.hourly.quota = quota
        if remaining is not None:
            b.hourly.remaining = max(0, int(remaining))
        if resets_on is not None:
            b.hourly.resets_at = resets_on.timestamp()
        b.hourly.measured = True
        b.measured_at = now

    def observe_rate(self, key: BucketKey, throttle: Throttle, rate: float) -> None:
        """The server said the bucket refills at ``rate`` tokens/s: take it as the truth.

        SP-API sends ``x-amzn-RateLimit-Limit`` (the rate only, no burst) on some answers;
        a seller's real plan may differ from the published default.
        """
        if not rate > 0 or math.isinf(rate):
            return
        b = self._get(key, throttle)
        now = self._clock.time()
        b.bucket.refill(now)
        b.bucket.restore_seconds = 1.0 / rate
        b.rate_measured = True
        b.measured_at = now

    def observe_answer(self, key: BucketKey, sent_at: float) -> None:
        """The answer to a call sent at ``sent_at`` (just after its ``acquire``) came now.

        A full bucket does not refill, so the server's refill clock starts when the call
        that takes its first token *arrives* — later than we sent it, by the call's
        latency. Modelling the refill from the send would let the next paced call arrive a
        few milliseconds early and be throttled; so when that first call's answer comes,
        the refill modelled since it was sent is taken back (the arrival is at the latest
        now). This costs one latency per burst and keeps every paced call behind the
        server's token.
        """
        b = self._buckets.get(key)
        if b is None or b.full_take_at is None or sent_at > b.full_take_at + 1e-3:
            return
        now = self._clock.time()
        b.full_take_at = None
        b.bucket.refill(now)
        taken_back = max(0.0, now - sent_at) / b.bucket.restore_seconds
        b.bucket.tokens = max(0.0, b.bucket.tokens - taken_back)

    def give_back(self, key: BucketKey, sent_at: float) -> None:
        """The call that took a token at ``sent_at`` never reached the server: undo it.

        DNS failures, refused connections and failed TLS handshakes spend nothing on the
        server's side; counting them would lock the seller out for minutes once the
        network is back (GetServiceStatus restores one token per 5 minutes). The token
        and the hourly call come back, and the refill bookkeeping of a full bucket is
        dropped (there is no arrival to wait for).
        """
        b = self._buckets.get(key)
        if b is None:
            return
        now = self._clock.time()
        if b.full_take_at is not None and abs(b.full_take_at - sent_at) <= 1e-3:
            b.full_take_at = None
        b.bucket.refill(now)
        b.bucket.tokens = min(float(b.bucket.capacity), b.bucket.tokens + 1.0)
        b.calls = max(0, b.calls - 1)
        if b.hourly is not None:
            b.hourly.roll(now)
            b.hourly.remaining = min(b.hourly.quota, b.hourly.remaining + 1)
            if b.hourly.remaining >= b.hourly.quota and not b.hourly.measured:
                b.hourly.resets_at = None  # no call of this hour reached the server

    def observe_throttled(self, key: BucketKey, throttle: Throttle) -> None:
        """The server said RequestThrottled: its bucket is empty, so ours is too."""
        self._get(key, throttle).bucket.drain(self._clock.time())

    def observe_quota_exceeded(
        self, key: BucketKey, throttle: Throttle, resets_on: datetime | None
    ) -> None:
        """The server said QuotaExceeded: block the bucket until the hourly reset."""
        b = self._get(key, throttle)
        now = self._clock.time()
        if resets_on is not None:
            until = resets_on.timestamp()
        elif b.hourly is not None and b.hourly.resets_at is not None:
            until = b.hourly.resets_at
        else:
            until = now + HOUR
        b.blocked_until = max(until, now)
        if b.hourly is not None:
            b.hourly.remaining = 0
            b.hourly.resets_at = until

    # -- what the UI and the confirmation dialog read ---------------------------------------

    def estimate(self, key: BucketKey, throttle: Throttle, calls: int) -> float:
        """Seconds ``calls`` back-to-back acquisitions would take from now (model time)."""
        if calls <= 0:
            return 0.0
        b = self._buckets.get(key)
        t = self._limits(key, throttle)
        now = self._clock.time()
        if b is None:
            tokens = float(t.capacity)
        else:
            b.bucket.refill(now)
            tokens = b.bucket.tokens
        base = 0.0 if b is None else max(0.0, (b.blocked_until or now) - now)
        restore = t.restore_seconds if b is None else b.bucket.restore_seconds  # measured rate
        whole = math.floor(tokens + RESOLUTION / restore)
        burst = max(0.0, calls - whole)
        # The first missing token arrives after the fractional remainder, the rest at the rate.
        first_gap = max(0.0, (1.0 - (tokens - whole)) * restore)
        pacing = 0.0 if burst == 0 else first_gap + (burst - 1) * restore
        hourly_wait = 0.0
        if b is not None and b.hourly is not None:
            b.hourly.roll(now)
            if calls > b.hourly.remaining:
                hourly_wait = max(0.0, (b.hourly.resets_at or now + HOUR) - now)
        elif b is None and t.hourly_quota is not None and calls > t.hourly_quota:
            hourly_wait = HOUR
        return base + max(pacing, hourly_wait)

    def snapshot(self, key: BucketKey, throttle: Throttle | None = None) -> BucketSnapshot | None:
        """The state of one bucket now; a full, modelled one if only ``throttle`` is known."""
        b = self._buckets.get(key)
        if b is None:
            if throttle is None:
                return None
            b = self._get(key, throttle)
        return self._snap(key, b, self._clock.time())

    def snapshots(self, keys: Iterable[BucketKey] | None = None) -> list[BucketSnapshot]:
        """Every known bucket (or those of ``keys`` that are known), sorted by key."""
        now = self._clock.time()
        wanted = sorted(self._buckets) if keys is None else [k for k in keys if k in self._buckets]
        return [self._snap(k, self._buckets[k], now) for k in wanted]

    def _snap(self, key: BucketKey, b: _Bucket, now: float) -> BucketSnapshot:
        tb = b.bucket
        tb.refill(now)
        if b.hourly is not None:
            b.hourly.roll(now)
        if b.blocked_until is not None and now >= b.blocked_until:
            b.blocked_until = None
        first = min(b.waiting.values(), key=lambda w: w[1]) if b.waiting else None
        return BucketSnapshot(
            key=key,
            operations=tuple(sorted(b.operations)),
            tokens=tb.tokens,
            capacity=tb.capacity,
            restore_seconds=tb.restore_seconds,
            seconds_to_next=tb.seconds_to_next(now),
            seconds_to_full=(tb.capacity - tb.tokens) * tb.restore_seconds,
            hourly_max=b.hourly.quota if b.hourly else None,
            hourly_remaining=b.hourly.remaining if b.hourly else None,
            hourly_resets_at=_dt(b.hourly.resets_at) if b.hourly else None,
            measured=bool(b.hourly and b.hourly.measured) or b.rate_measured,
            waiting=len(b.waiting),
            wait_remaining=max(0.0, first[1] - now) if first else None,
            waiting_operation=first[0] if first else None,
            blocked_until=_dt(b.blocked_until),
            calls=b.calls,
        )

    # -- persistence (stored by the journal beside its entries) -------------------------------

    def export_state(self) -> dict[str, Any]:
        """A JSON-able picture of every bucket, to restore after a restart."""
        now = self._clock.time()
        out = []
        for key, b in self._buckets.items():
            b.bucket.refill(now)
            out.append(
                {
                    "endpoint": key.endpoint,
                    "account": key.account,
                    "bucket": key.bucket,
                    "capacity": b.bucket.capacity,
                    "restore_seconds": b.bucket.restore_seconds,
                    "tokens": b.bucket.tokens,
                    "updated": b.bucket.updated,
                    "hourly": None
                    if b.hourly is None
                    else {
                        "quota": b.hourly.quota,
                        "remaining": b.hourly.remaining,
                        "resets_at": b.hourly.resets_at,
                        "measured": b.hourly.measured,
                    },
                    "blocked_until": b.blocked_until,
                    "operations": sorted(b.operations),
                }
            )
        return {"version": 1, "saved_at": now, "buckets": out}

    def restore_state(self, state: dict[str, Any]) -> int:
        """Load buckets saved by ``export_state``; tokens refill for the time that passed.

        Returns:
            How many buckets were restored (unknown versions restore nothing).
        """
        if not isinstance(state, dict) or state.get("version") != 1:
            return 0
        n = 0
        now = self._clock.time()
        for item in state.get("buckets", []):
            try:
                key = BucketKey(str(item["endpoint"]), str(item["account"]), str(item["bucket"]))
                tb = TokenBucket(
                    int(item["capacity"]),
                    float(item["restore_seconds"]),
                    float(item["tokens"]),
                    min(float(item["updated"]), now),
                )
                h = item.get("hourly")
                hourly = (
                    None
                    if h is None
                    else _Hourly(
                        int(h["quota"]),
                        int(h["remaining"]),
                        _opt_float(h["resets_at"]),
                        bool(h["measured"]),
                    )
                )
                blocked = _opt_float(item.get("blocked_until"))
            except (KeyError, TypeError, ValueError):
                continue
            tb.refill(now)
            b = _Bucket(tb, hourly, set(item.get("operations", [])), blocked)
            self._buckets[key] = b
            n += 1
        return n
