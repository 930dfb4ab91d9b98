"""ListReturnReasonCodes and CreateFulfillmentReturn."""

from __future__ import annotations

from mwstui.catalog import load_catalog
from mwstui.sandbox import fulfillment_model as fm
from mwstui.sandbox.mws.call import Call, XmlResult
from mwstui.sandbox.mws.fault import fba_invalid
from mwstui.sandbox.mws.fulfillment_render import authorization_node, center_address, members
from mwstui.sandbox.mws.xml_render import Node, fba_date


def _check_marketplace(call: Call, marketplace_id: str | None) -> None:
    # Returns exist only in some marketplaces; the catalog lists them per operation.
    catalog = load_catalog()
    allowed = getattr(catalog.operation(call.operation), "marketplaces", None)
    if not allowed or marketplace_id is None:
        return
    m = catalog.marketplace(marketplace_id)
    if m is None or m.country not in allowed:
        raise fba_invalid(f"{call.operation} is not available in marketplace {marketplace_id}.")


def return_reason_codes(call: Call) -> XmlResult:
    p, state = call.params, call.seller.fulfillment
    sku = p.required("SellerSKU")
    market, oid = p.get("MarketplaceId"), p.get("SellerFulfillmentOrderId")
    if market is None and oid is None:
        raise fba_invalid("Either MarketplaceId or SellerFulfillmentOrderId is required.")
    if market is not None and market not in call.seller.account.marketplaces:
        raise fba_invalid(f"Value {market} for parameter MarketplaceId is invalid.")
    if oid is not None:
        order = state.orders.get(oid)
        if order is None or all(i.sku != sku for i in order.items):
            raise fba_invalid(f"Value {oid} for parameter SellerFulfillmentOrderId is invalid.")
        market = market or order.marketplace_id
    _check_marketplace(call, market)
    if sku not in state.inventory:
        raise fba_invalid(f"Value {sku} for parameter SellerSKU is invalid.")
    language = p.get("Language")
    details = [
        [
            ("ReturnReasonCode", code),
            ("Description", text),
            ("TranslatedDescription", text if language else None),
        ]
        for code, text in state.return_reasons
    ]
    return XmlResult([("ReasonCodeDetailsList", members(details))])


def _invalid(row: dict[str, str], code: str, text: str) -> list[Node]:
    return [
        ("SellerReturnItemId", row.get("SellerReturnItemId", "")),
        ("SellerFulfillmentOrderItemId", row.get("SellerFulfillmentOrderItemId", "")),
        ("InvalidItemReason", [("InvalidItemReasonCode", code), ("Description", text)]),
    ]


def create_return(call: Call) -> XmlResult:
    p, state, now = call.params, call.seller.fulfillment, call.now
    oid = p.required("SellerFulfillmentOrderId")
    order = state.orders.get(oid)
    if order is None or order.received > now:
        raise fba_invalid(f"Requested order '{oid}' not found")
    _check_marketplace(call, order.marketplace_id)
    rows = p.members("Items")
    if not rows:
        raise fba_invalid("Value for parameter Items is required.")
    codes = {c for c, _ in state.return_reasons}
    shipped = order.shipment_status(now) == fm.SHIPPED
    taken = {r.return_item_id for r in order.returns}
    returned: dict[str, int] = {}
    for r in order.returns:
        returned[r.item_id] = returned.get(r.item_id, 0) + 1
    good: list[fm.ReturnItem] = []
    bad: list[list[Node]] = []
    for row in rows:
        rid, item_id = (
            row.get("SellerReturnItemId", ""),
            row.get("SellerFulfillmentOrderItemId", ""),
        )
        ship = next(
            (s for s in order.shipments if s.shipment_id == row.get("AmazonShipmentId")), None
        )
        qty = next((q for i, q in ship.items if i == item_id), 0) if ship else 0
        comment = row.get("ReturnComment")
        if (
            not rid
            or len(rid) > 80
            or ship is None
            or not qty
            or (row.get("ReturnReasonCode") not in codes)
            or (comment and len(comment) > 1000)
        ):
            bad.append(_invalid(row, "InvalidValues", "One or more values are invalid."))
        elif rid in taken:
            bad.append(_invalid(row, "DuplicateRequest", "This return item already exists."))
        elif not shipped:
            bad.append(_invalid(row, "NoCompletedShipItems", "The item has not shipped yet."))
        elif returned.get(item_id, 0) >= qty:
            bad.append(_invalid(row, "NoReturnableQuantity", "Nothing left to return."))
        else:
            taken.add(rid)
            returned[item_id] = returned.get(item_id, 0) + 1
            auth = next((a for a in order.authorizations if a.center == ship.center), None)
            if auth is None:
                rma = state.next_rma()
                auth = fm.ReturnAuthorization(
                    f"RA{rma}", ship.center, center_address(ship.center), f"D{rma}"
                )
                order.authorizations.append(auth)
            good.append(
                fm.ReturnItem(
                    rid,
                    item_id,
                    ship.shipment_id,
                    row["ReturnReasonCode"],
                    comment,
                    now,
                    auth.authorization_id,
                    ship.center,
                )
            )
    order.returns.extend(good)
    items = [
        [
            ("SellerReturnItemId", r.return_item_id),
            ("SellerFulfillmentOrderItemId", r.item_id),
            ("AmazonShipmentId", r.shipment_id),
            ("SellerReturnReasonCode", r.reason),
            ("ReturnComment", r.comment),
            ("Status", "New"),
            ("StatusChangedDate", fba_date(now)),
            ("ReturnAuthorizationId", r.authorization_id),
            ("FulfillmentCenterId", r.center),
        ]
        for r in good
    ]
    used = {r.authorization_id for r in good}
    auths = [authorization_node(a) for a in order.authorizations if a.authorization_id in used]
    return XmlResult(
        [
            ("ReturnItemList", members(items)),
            ("InvalidReturnItemList", members(bad)),
            ("ReturnAuthorizationList", members(auths)),
        ]
    )
