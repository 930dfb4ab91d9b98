"""Fulfillment Outbound 2020-07-01 operations (spec §6): list, get, cancel, status update.

Choices where the spec is silent: without ``queryStartDate`` the list starts 36 hours
back (the MWS default); pages hold ``PAGE_SIZE`` orders; a ``nextToken`` is read on its
own and any other parameter beside it is ignored. An unknown order is the published
400 ``Requested order '…' not found`` (spec §7), not a 404.
"""

from __future__ import annotations

from typing import Any

from mwstui.catalog import load_catalog
from mwstui.sandbox import fulfillment_model as fm
from mwstui.sandbox.fulfillment_model import FulfillmentOrder
from mwstui.sandbox.spapi.call import Handler, SpCall, SpResult
from mwstui.sandbox.spapi.errors import UNDECODABLE_PAGE_MARKER, invalid
from mwstui.sandbox.spapi.fulfillment_render import order_detail, order_json
from mwstui.sandbox.spapi.fulfillment_state import FROM_WORDS
from mwstui.sandbox.spapi.wire import parse_time, read_json_object

DEFAULT_WINDOW = 36 * 3600.0
PAGE_SIZE = 50


def _payload(data: dict[str, Any]) -> dict[str, Any]:
    return {"payload": data}


def list_all_fulfillment_orders(call: SpCall) -> SpResult:
    seller, now, q = call.seller, call.now, call.query
    f = seller.fulfillment
    token = q.get("nextToken")
    if token is not None:
        page = seller.pages.redeem(seller.seller_id, "listAllFulfillmentOrders", token)
        if page is None:
            raise invalid(UNDECODABLE_PAGE_MARKER)
    else:
        text = q.get("queryStartDate")
        since = (
            now - DEFAULT_WINDOW
            if text is None
            else parse_time("queryStartDate", text, "timestamp must follow ISO8601")
        )
        ids = f.updated_since(since, now)
        page = seller.pages.first(seller.seller_id, "listAllFulfillmentOrders", ids, PAGE_SIZE)
    orders = [order_json(f, f.state.orders[i], now) for i in page.ids]
    data: dict[str, Any] = {"fulfillmentOrders": orders}
    if page.next_token:
        data["nextToken"] = page.next_token
    return SpResult(200, _payload(data))


def _order(call: SpCall) -> FulfillmentOrder:
    oid = call.path["sellerFulfillmentOrderId"]
    longest = load_catalog().spapi.limit("sellerFulfillmentOrderId.max_length")
    if not oid or len(oid) > longest:
        raise invalid(
            f"Value {oid} for parameter SellerFulfillmentOrderId is invalid. "
            f"Reason: length must be 1 to {longest}."
        )
    order = call.seller.fulfillment.order(oid, call.now)
    if order is None:
        raise invalid(f"Requested order '{oid}' not found")
    return order


def get_fulfillment_order(call: SpCall) -> SpResult:
    order = _order(call)
    return SpResult(200, _payload(order_detail(call.seller.fulfillment, order, call.now)))


def cancel_fulfillment_order(call: SpCall) -> SpResult:
    order = _order(call)
    call.seller.fulfillment.cancel(order, call.now)
    return SpResult(200, {})


def submit_fulfillment_order_status_update(call: SpCall) -> SpResult:
    """The dynamic sandbox's test hook: move an order to a status now (spec §7)."""
    order = _order(call)
    data = read_json_object(call.body)
    word = data.get("fulfillmentOrderStatus")
    folded = str(word).replace("_", "").lower() if isinstance(word, str) else ""
    status = FROM_WORDS.get(folded)
    if status is None:
        raise invalid(f"Invalid fulfillmentOrderStatus: {word}.")
    f, now = call.seller.fulfillment, call.now
    if status == fm.CANCELLED:
        f.state.cancel(order, now)
    else:
        order.replan(now, [(status, now)])
        if status in (fm.PLANNING, fm.PROCESSING, fm.COMPLETE, fm.PARTIAL):
            for s in order.shipments:
                if status in (fm.COMPLETE, fm.PARTIAL):
                    s.arrive_at = now + (s.arrive_at - s.ship_at)
                    s.ship_at = now
    return SpResult(200, {})


HANDLERS: dict[str, Handler] = {
    "listAllFulfillmentOrders": list_all_fulfillment_orders,
    "getFulfillmentOrder": get_fulfillment_order,
    "cancelFulfillmentOrder": cancel_fulfillment_order,
    "submitFulfillmentOrderStatusUpdate": submit_fulfillment_order_status_update,
}
