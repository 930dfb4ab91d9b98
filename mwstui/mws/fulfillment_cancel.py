"""The rules of a fulfillment cancel: what the client refuses, and what it came to.

Amazon accepts a fulfillment cancel it "cannot guarantee" (spec §4.2: best effort, check
``CancelledQuantity`` per item with GetFulfillmentOrder). An accepted cancel is therefore
only *done* when the order reads back CANCELLED with every unit either cancelled or
unfulfillable; an order still moving, or cancelled in part, is *requested, not confirmed*,
and the detail says what the read showed.
"""

from __future__ import annotations

from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.catalog import load_catalog
from mwstui.errors import InvalidStateError
from mwstui.mws.models import FulfillmentOrderDetail, FulfillmentOrderItem

CANCELLED = "CANCELLED"
"""The status a fully cancelled order reads back with."""
NOT_CANCELLABLE = "NotCancellable"
"""``ApiError.code`` of a cancel the client refused before sending (wrong status or market)."""


def _open_units(item: FulfillmentOrderItem) -> int:
    """Units of ``item`` neither cancelled nor unfulfillable: they may still ship."""
    return max(item.quantity - item.cancelled_quantity - item.unfulfillable_quantity, 0)


def _item_line(item: FulfillmentOrderItem) -> str:
    name = item.seller_sku or item.seller_fulfillment_order_item_id
    return f"{name} {item.cancelled_quantity} of {item.quantity} cancelled"


def _seen(detail: FulfillmentOrderDetail) -> str:
    """What the read showed, in one line (``now PROCESSING; SKU-1 1 of 3 cancelled``)."""
    status = detail.order.fulfillment_order_status
    partial = [i for i in detail.items if _open_units(i) and i.cancelled_quantity]
    text = f"now {status}"
    if partial:
        text += "; " + ", ".join(_item_line(i) for i in partial[:3])
        if len(partial) > 3:
            text += f" (+{len(partial) - 3} more)"
    return text


def cancel_outcome(
    detail: FulfillmentOrderDetail, *, answer_lost: bool = False, request_id: str = ""
) -> ItemResult:
    """The outcome of a cancel, from the order as read back after it.

    Args:
        detail: GetFulfillmentOrder's answer, read after the cancel.
        answer_lost: the cancel was sent but its answer never came (OutcomeUnknown).
        request_id: the cancel's request id, when it answered.

    Returns:
        ``DONE`` when CANCELLED with nothing left to ship; ``NOT_CONFIRMED`` when the
        order is still moving or only part was cancelled; after a lost answer,
        ``UNKNOWN`` while the order can still be cancelled (the cancel may yet arrive)
        and ``FAILED`` when nothing was cancelled and it can no longer be.
    """
    status = detail.order.fulfillment_order_status
    open_units = sum(_open_units(i) for i in detail.items)
    any_cancelled = any(i.cancelled_quantity for i in detail.items)
    seen = _seen(detail)
    head = "answer lost; " if answer_lost else "accepted; "
    if status == CANCELLED and open_units == 0:
        done = ("answer lost; " if answer_lost else "") + seen
        return ItemResult(Outcome.DONE, done, request_id=request_id)
    if answer_lost and not any_cancelled:
        if status.cancellable:
            why = head + seen + ": the cancel may not have arrived"
            return ItemResult(Outcome.UNKNOWN, why, request_id=request_id)
        why = head + seen + ", nothing cancelled"
        return ItemResult(Outcome.FAILED, why, request_id=request_id)
    if any_cancelled:
        why = f"{seen}: {open_units} unit{'s' if open_units != 1 else ''} may still ship"
    elif status.cancellable:
        why = f"{seen}: not cancelled yet"
    else:
        why = f"{seen}: picking had begun, nothing cancelled"
    return ItemResult(Outcome.NOT_CONFIRMED, head + why, request_id=request_id)


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
