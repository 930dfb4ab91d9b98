"""Which throttle bucket an operation spends, for the budget panel and confirmation estimates."""

from __future__ import annotations

from mwstui.catalog import Throttle, load_catalog
from mwstui.session import Session
from mwstui.throttle.budget import BucketKey


def bucket_for(session: Session, operation: str) -> tuple[BucketKey, Throttle] | None:
    """The governor key and catalog limits of ``operation`` for this session's account.

    Args:
        session: whose clients (and so which seller account and endpoint) spend the budget.
        operation: a catalog operation name (``GetReportRequestList``).

    Returns:
        ``(key, throttle)``, or ``None`` when the session has no client for that service.

    Raises:
        KeyError: ``operation`` is not in the catalog.
    """
    catalog = load_catalog()
    if operation in catalog.spapi.operations:
        if session.spapi is None:
            return None
        # The client's model: the usage plan with its pacing margin, as it paces calls.
        return session.spapi.bucket_key(operation), session.spapi.throttle(operation)
    op = catalog.operation(operation)
    if op.service == "sellercenter":
        if session.sellercenter is None:
            return None
        # The profile may model its own bucket (no quota is published for SellerCenter).
        return session.sellercenter.bucket_key(operation), session.sellercenter.throttle
    if session.mws is None:
        return None
    return session.mws.bucket_key(operation), op.throttle


def estimate_seconds(session: Session, operation: str, calls: int) -> float | None:
    """Seconds ``calls`` calls of ``operation`` would take from now, per the governor.

    Returns:
        The governor's estimate, or ``None`` when the session has no client for it.
    """
    found = bucket_for(session, operation)
    if found is None:
        return None
    key, throttle = found
    return session.governor.estimate(key, throttle, calls)
