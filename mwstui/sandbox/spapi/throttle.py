"""Server-side usage plans: one token bucket per (application, seller, operation).

Rates and bursts are the catalog's defaults (spec §4.3). Usage plans apply per
application + selling partner pair (spec §4.1), so two applications authorised by
one seller never share a bucket. A call spends its token before it is validated, so
a call that then fails with 400 has still spent it. Rates run on the clock's real
time; the sandbox speed factor never touches them.
"""

from __future__ import annotations

from mwstui.catalog.spapi import SpapiOperation
from mwstui.clock import Clock
from mwstui.sandbox.spapi.errors import quota_exceeded
from mwstui.throttle.token_bucket import TokenBucket


class UsagePlans:
    """Every caller's buckets.

    Args:
        clock: the time source.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._buckets: dict[tuple[str, str, str], TokenBucket] = {}

    def _bucket(self, key: tuple[str, str, str], op: SpapiOperation) -> TokenBucket:
        now = self._clock.time()
        b = self._buckets.get(key)
        if b is None:
            t = op.throttle
            b = TokenBucket(t.capacity, t.restore_seconds, float(t.capacity), now)
            self._buckets[key] = b
        b.refill(now)
        return b

    def charge(self, client_id: str, seller_id: str, op: SpapiOperation) -> None:
        """Spend one call of ``op``.

        Raises:
            SpapiError: 429 QuotaExceeded when the bucket is empty (nothing is spent).
        """
        bucket = self._bucket((client_id, seller_id, op.name), op)
        if bucket.tokens < 1.0 - 1e-9:
            raise quota_exceeded()
        bucket.take(self._clock.time())

    def tokens(self, client_id: str, seller_id: str, op: SpapiOperation) -> float:
        """Tokens left now (tests and inspection)."""
        return self._bucket((client_id, seller_id, op.name), op).tokens

    def reset(self) -> None:
        """Every bucket full again."""
        self._buckets.clear()
