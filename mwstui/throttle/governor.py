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
from datetime import datetime
from typing import Any

from mwstui.catalog import Throttle
from mwstui.clock import Clock
from mwstui.errors import QuotaExceededError, ThrottledError
from mwstui.throttle.budget import HOUR, BucketKey, Budget, HourlyWindow
from mwstui.throttle.saved_state import export_budgets, restore_budgets
from mwstui.throttle.snapshot import BucketSnapshot, as_datetime
from mwstui.throttle.token_bucket import RESOLUTION, TokenBucket


class Governor:
    """Paces calls per bucket so nothing is sent into a throttle.

    Args:
        clock: the time source; waiting is ``clock.sleep``.
        overrides: per bucket name, a Throttle that replaces the catalog's (profile setting).
    """

    def __init__(self, clock: Clock, overrides: dict[str, Throttle] | None = None) -> None:
        self._clock = clock
        self._buckets: dict[BucketKey, Budget] = {}
        self._overrides = dict(overrides or {})
        self._waiter_seq = 0

    # -- model --------------------------------------------------------------------------

    def _limits(self, key: BucketKey, throttle: Throttle) -> Throttle:
        return self._overrides.get(key.bucket, throttle)

    def _get(self, key: BucketKey, throttle: Throttle, operation: str | None = None) -> Budget:
        b = self._buckets.get(key)
        if b is None:
            t = self._limits(key, throttle)
            hourly = HourlyWindow(t.hourly_quota, t.hourly_quota) if t.hourly_quota else None
            b = Budget(
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

    def _refuse(self, b: Budget, operation: str, wait: float) -> None:
        if (b.hourly is not None and b.hourly.remaining <= 0) or b.blocked_until is not None:
            resets = b.blocked_until or (b.hourly.resets_at if b.hourly else None)
            raise QuotaExceededError(
                "LocalQuotaExceeded",
                f"hourly quota used up; resets in {wait:.0f} s",
                resets_at=as_datetime(resets),
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
            b.hourly = HourlyWindow(quota, quota)
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
        return BucketSnapshot.of(key, b, self._clock.time())

    def snapshots(self, keys: Iterable[BucketKey] | None = None) -> list[BucketSnapshot]:
        """Every known bucket (or those of ``keys`` that are known), sorted by key."""
        now = self._clock.time()
        wanted = sorted(self._buckets) if keys is None else [k for k in keys if k in self._buckets]
        return [BucketSnapshot.of(k, self._buckets[k], now) for k in wanted]

    # -- persistence (stored by the journal beside its entries) -------------------------------

    def export_state(self) -> dict[str, Any]:
        """A JSON-able picture of every bucket, to restore after a restart."""
        return export_budgets(self._buckets, self._clock.time())

    def restore_state(self, state: dict[str, Any]) -> int:
        """Load buckets saved by ``export_state``; tokens refill for the time that passed.

        Returns:
            How many buckets were restored (unknown versions restore nothing).
        """
        restored = restore_budgets(state, self._clock.time())
        self._buckets.update(restored)
        return len(restored)
