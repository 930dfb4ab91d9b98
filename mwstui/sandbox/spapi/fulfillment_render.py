"""Fulfillment Outbound 2020-07-01 JSON shapes (spec §6.2), from the order plans.

Optional fields are left out rather than sent as null, as the model's examples do.
"""

from __future__ import annotations

from typing import Any

from mwstui.sandbox import fulfillment_model as fm
from mwstui.sandbox.fulfillment_model import FulfillmentOrder, OrderItem, Shipment
from mwstui.sandbox.mws.fulfillment_render import center_address
from mwstui.sandbox.spapi.fulfillment_state import SpFulfillment
from mwstui.sandbox.spapi.wire import fba_time

_ADDRESS_KEYS = {
    "Name": "name",
    "Line1": "addressLine1",
    "Line2": "addressLine2",
    "Line3": "addressLine3",
    "City": "city",
    "DistrictOrCounty": "districtOrCounty",
    "StateOrProvinceCode": "stateOrRegion",
    "CountryCode": "countryCode",
    "PostalCode": "postalCode",
    "PhoneNumber": "phone",
}
SP_TO_PLAN_ADDRESS = {v: k for k, v in _ADDRESS_KEYS.items()}
RETURN_PROCESSED_AFTER = 86400.0
"""Seconds after which a return moves from New to Processed (our choice)."""


def address(a: dict[str, str]) -> dict[str, str]:
    return {_ADDRESS_KEYS[k]: v for k, v in a.items() if k in _ADDRESS_KEYS and v}


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def order_json(f: SpFulfillment, o: FulfillmentOrder, now: float) -> dict[str, Any]:
    return _drop_none(
        {
            "sellerFulfillmentOrderId": o.order_id,
            "marketplaceId": o.marketplace_id,
            "displayableOrderId": o.displayable_id,
            "displayableOrderDate": fba_time(o.displayable_date),
            "displayableOrderComment": o.comment,
            "shippingSpeedCategory": o.speed,
            "destinationAddress": address(o.address),
            "fulfillmentAction": o.action,
            "fulfillmentPolicy": o.policy,
            "receivedDate": fba_time(o.received),
            "fulfillmentOrderStatus": f.status_word(o, now),
            "statusUpdatedDate": fba_time(o.status_updated(now)),
            "notificationEmails": list(o.emails) or None,
        }
    )


def _money(m: fm.Money | None) -> dict[str, str] | None:
    return None if m is None else {"currencyCode": m.currency, "value": m.value}


def item_json(f: SpFulfillment, o: FulfillmentOrder, i: OrderItem, now: float) -> dict[str, Any]:
    ship = o.shipment_of(i.item_id)
    visible = ship is not None and o.shipment_status(now) in (fm.PENDING, fm.SHIPPED)
    return _drop_none(
        {
            "sellerSku": i.sku,
            "sellerFulfillmentOrderItemId": i.item_id,
            "quantity": i.quantity,
            "giftMessage": i.gift_message,
            "displayableComment": i.comment,
            "fulfillmentNetworkSku": i.fnsku,
            "orderItemDisposition": "Sellable",
            "cancelledQuantity": f.cancelled_quantity(o, i, now),
            "unfulfillableQuantity": o.unfulfillable_quantity(i, now),
            "estimatedShipDate": fba_time(ship.ship_at) if visible and ship else None,
            "estimatedArrivalDate": fba_time(ship.arrive_at) if visible and ship else None,
            "perUnitDeclaredValue": _money(i.declared_value),
            "perUnitPrice": _money(i.per_unit_price),
            "perUnitTax": _money(i.per_unit_tax),
        }
    )


def shipment_json(o: FulfillmentOrder, s: Shipment, now: float, status: str) -> dict[str, Any]:
    shipped = status == fm.SHIPPED
    cancelled = status == fm.CANCELLED_BY_SELLER
    skus = {i.item_id: i.sku for i in o.items}
    lines = [
        _drop_none(
            {
                "sellerSku": skus.get(item_id, ""),
                "sellerFulfillmentOrderItemId": item_id,
                "quantity": qty,
                "packageNumber": s.package.number if shipped else None,
            }
        )
        for item_id, qty in s.items
    ]
    package = {
        "packageNumber": s.package.number,
        "carrierCode": s.package.carrier,
        "trackingNumber": s.package.tracking,
        "estimatedArrivalDate": fba_time(s.arrive_at),
    }
    return _drop_none(
        {
            "amazonShipmentId": s.shipment_id,
            "fulfillmentCenterId": s.center,
            "fulfillmentShipmentStatus": status,
            "shippingDate": None if cancelled else fba_time(s.ship_at),
            "estimatedArrivalDate": None if cancelled else fba_time(s.arrive_at),
            "fulfillmentShipmentItem": lines,
            "fulfillmentShipmentPackage": [package] if shipped else None,
        }
    )


def order_detail(f: SpFulfillment, o: FulfillmentOrder, now: float) -> dict[str, Any]:
    """``GetFulfillmentOrderResult``."""
    shipments: list[dict[str, Any]] = []
    status = o.shipment_status(now)
    if status:
        shipments = [shipment_json(o, s, now, status) for s in o.shipments]
        rec = f.cancels.get(o.order_id)
        if rec is not None and rec.at <= now:
            shipments += [shipment_json(o, s, now, fm.CANCELLED_BY_SELLER) for s in rec.dropped]
    returns = [_return_json(r, now) for r in o.returns if r.created <= now]
    used = {r.authorization_id for r in o.returns if r.created <= now}
    auths = [
        {
            "returnAuthorizationId": a.authorization_id,
            "fulfillmentCenterId": a.center,
            "returnToAddress": address(a.address),
            "amazonRmaId": a.rma_id,
            "rmaPageURL": f"https://sellercentral.amazon.com/rma/{a.rma_id}",
        }
        for a in o.authorizations
        if a.authorization_id in used
    ]
    return {
        "fulfillmentOrder": order_json(f, o, now),
        "fulfillmentOrderItems": [item_json(f, o, i, now) for i in o.items],
        "fulfillmentShipments": shipments,
        "returnItems": returns,
        "returnAuthorizations": auths,
    }


def _return_json(r: fm.ReturnItem, now: float) -> dict[str, Any]:
    processed = now >= r.created + RETURN_PROCESSED_AFTER
    return _drop_none(
        {
            "sellerReturnItemId": r.return_item_id,
            "sellerFulfillmentOrderItemId": r.item_id,
            "amazonShipmentId": r.shipment_id,
            "sellerReturnReasonCode": r.reason,
            "returnComment": r.comment,
            "status": "Processed" if processed else "New",
            "statusChangedDate": fba_time(r.created + (RETURN_PROCESSED_AFTER if processed else 0)),
            "returnAuthorizationId": r.authorization_id,
            "returnReceivedCondition": "Sellable" if processed else None,
            "fulfillmentCenterId": r.center,
        }
    )


def return_address(center: str) -> dict[str, str]:
    """A return centre's address (plan keys), for seeded return authorizations."""
    return center_address(center)
