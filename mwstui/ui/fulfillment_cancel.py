"""What may be cancelled, and one cancel read back with GetFulfillmentOrder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.catalog import load_catalog
from mwstui.errors import MwstuiError, OutcomeUnknownError
from mwstui.mws.models import FulfillmentOrder

if TYPE_CHECKING:
    from mwstui.mws.client import MWSClient

CANCELLED = "CANCELLED"
"""The status a cancelled order reads back with (a value of the catalog's enum)."""


def skip_reason(order: FulfillmentOrder | None) -> str | None:
    """Why ``order`` cannot be cancelled, or None when it can.

    Args:
        order: the order as last listed; None when it is no longer in the list.
    """
    if order is None:
        return "not in the list any more: refresh"
    status = order.fulfillment_order_status
    if status.cancellable:
        return None
    allowed = " or ".join(load_catalog().enum("fulfillment_order_status_cancellable"))
    return f"status {status}, not {allowed}"


async def cancel_and_read_back(mws: MWSClient, order_id: str) -> str | ItemResult:
    """CancelFulfillmentOrder, then GetFulfillmentOrder to show what actually happened.

    The cancel is best effort on Amazon's side, so the status read back is the outcome.
    A lost answer is settled by the read-back when it can be.

    Raises:
        ApiError: the cancel was refused (the read-back is not attempted).
    """
    lost: OutcomeUnknownError | None = None
    rid = ""
    try:
        sent = await mws.fulfillment.cancel_order(order_id)
        rid = f" (request id {sent.meta.request_id})" if sent.meta.request_id else ""
    except OutcomeUnknownError as exc:
        lost = exc
    try:
        detail = await mws.fulfillment.get_order(order_id)
    except MwstuiError as exc:
        if lost is not None:
            raise lost from None
        return ItemResult(Outcome.DONE, f"accepted{rid}; read-back failed: {exc}")
    status = detail.data.order.fulfillment_order_status
    if lost is not None:
        return ItemResult(
            Outcome.DONE if status == CANCELLED else Outcome.UNKNOWN, f"answer lost; now {status}"
        )
    if status == CANCELLED:
        return f"now {CANCELLED}{rid}"
    return f"accepted{rid}; now {status}"
