"""What the client refuses to cancel before sending: the wrong status, or a marketplace
without the operation (Brazil). What a sent cancel came to is judged by the adapter,
``mwstui.mws.fulfillment_backend.cancel_result``.
"""

from __future__ import annotations

from mwstui.catalog import load_catalog
from mwstui.errors import InvalidStateError

NOT_CANCELLABLE = "NotCancellable"
"""``ApiError.code`` of a cancel the client refused before sending (wrong status or market)."""


def not_cancellable_reason(status: str) -> str:
    """``PROCESSING: only RECEIVED or PLANNING orders can be cancelled``."""
    allowed = " or ".join(load_catalog().enum("fulfillment_order_status_cancellable"))
    return f"{status}: only {allowed} orders can be cancelled"


def check_offered(operation: str, marketplace_id: str | None) -> None:
    """Refuse ``operation`` where the catalog says it does not exist (Brazil).

    Raises:
        InvalidStateError: code ``NotCancellable``, naming the marketplace.
    """
    catalog = load_catalog()
    if catalog.offered(operation, marketplace_id):
        return
    market = catalog.marketplace(marketplace_id or "")
    where = f"{market.country} ({marketplace_id})" if market else str(marketplace_id)
    raise InvalidStateError(
        NOT_CANCELLABLE,
        f"{operation} is not offered in the {where} marketplace",
        operation=operation,
    )
