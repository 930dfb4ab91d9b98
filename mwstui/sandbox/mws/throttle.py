"""Server-side throttling: a burst bucket and an hourly window per (seller, catalog bucket).

Limits come from the operation catalog, the same facts the client's governor reads.
Every accepted call spends a token and (Reports) one unit of the hourly quota before
it is handled, so a call that then fails with 400 has still spent its quota, as the
recorded ``x-mws-quota-remaining`` values show. Throttle rates always run on the
clock's real time; the sandbox's speed factor never touches them.
"""

from __future__ import annotations

import time as _time
import zlib
from dataclasses import dataclass

from mwstui.catalog import Operation
from mwstui.clock import Clock
from mwstui.sandbox.mws.fault import MWSFault, throttled
from mwstui.throttle.token_bucket import TokenBucket

HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class QuotaHeaders:
    """The hourly figures sent as ``x-mws-quota-*`` on a Reports response."""

    quota_max: int
    remaining: int
    resets_on: float

    def headers(self) -> list[tuple[str, str]]:
        reset = _time.strftime("%Y-%m-%dT%H:%M:%S.000Z", _time.gmtime(self.resets_on))
        return [
            ("x-mws-quota-max", f"{float(self.quota_max):.1f}"),
            ("x-mws-quota-remaining", f"{float(self.remaining):.1f}"),
            ("x-mws-quota-resetsOn", reset),
        ]


class ThrottleFault(MWSFault):
    """RequestThrottled / QuotaExceeded, carrying the quota headers to send with it."""

    def __init__(self, base: MWSFault, quota: QuotaHeaders | None) -> None:
        super().__init__(base.status, base.code, base.message, type_=base.type_)
        self.quota = quota


@dataclass(slots=True)
class _Window:
    index: int
    used: int


class ServerThrottle:
    """The service's buckets for every seller.

    Args:
        clock: the time source (real time: throttling is never sped up).
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._hours: dict[tuple[str, str], _Window] = {}

    @staticmethod
    def _offset(seller: str) -> float:
        # The hourly window is per caller and does not start on the hour (one recorded
        # seller reset at hh:12); derive a stable minute from the seller id.
        return float(zlib.crc32(seller.encode()) % 60) * 60.0

    def _window(self, seller: str, key: tuple[str, str], now: float) -> tuple[_Window, float]:
        offset = self._offset(seller)
        index = int((now - offset) // HOUR)
        w = self._hours.get(key)
        if w is None or w.index != index:
            w = _Window(index, 0)
            self._hours[key] = w
        return w, (index + 1) * HOUR + offset

    def _bucket(self, key: tuple[str, str], op: Operation, now: float) -> TokenBucket:
        b = self._buckets.get(key)
        if b is None:
            t = op.throttle
            b = TokenBucket(t.capacity, t.restore_seconds, float(t.capacity), now)
            self._buckets[key] = b
        b.refill(now)
        return b

    def charge(self, seller: str, op: Operation) -> QuotaHeaders | None:
        """Spend one call of ``op`` for ``seller``.

        Returns:
            The hourly figures after this call (None for sections without an hourly quota).

        Raises:
            ThrottleFault: QuotaExceeded when the hour is used up, else RequestThrottled
                when the bucket is empty; neither spends anything.
        """
        now = self._clock.time()
        key = (seller, op.bucket)
        bucket = self._bucket(key, op, now)
        hourly = op.throttle.hourly_quota
        quota: QuotaHeaders | None = None
        window: _Window | None = None
        if hourly is not None:
            window, resets = self._window(seller, key, now)
            quota = QuotaHeaders(hourly, max(0, hourly - window.used), resets)
            if window.used >= hourly:
                raise ThrottleFault(_quota_exceeded(op, hourly, resets), quota)
        if bucket.tokens < 1.0 - 1e-9:
            raise ThrottleFault(throttled(), quota)
        bucket.take(now)
        if window is not None and quota is not None:
            window.used += 1
            quota = QuotaHeaders(
                quota.quota_max, max(0, quota.quota_max - window.used), quota.resets_on
            )
        return quota

    def tokens(self, seller: str, op: Operation) -> float:
        """Tokens left in ``seller``'s bucket for ``op`` now (for tests and the admin view)."""
        return self._bucket((seller, op.bucket), op, self._clock.time()).tokens

    def refill(self) -> None:
        """Fill every burst bucket, keeping the hourly counts (tests of the hourly quota)."""
        for b in self._buckets.values():
            b.tokens = float(b.capacity)

    def reset(self) -> None:
        """Forget every bucket and window (all full again)."""
        self._buckets.clear()
        self._hours.clear()


def _quota_exceeded(op: Operation, hourly: int, resets: float) -> MWSFault:
    section = op.path.strip("/")
    when = _time.strftime("%a %b %d %H:%M:%S UTC %Y", _time.gmtime(resets))
    return MWSFault(
        503,
        "QuotaExceeded",
        f"You exceeded your quota of {float(hourly):.1f} requests per 1 hour for operation "
        f"{section}/{op.name}.  Your quota will reset on {when}",
    )
