"""Fulfillment Outbound datatypes as XML nodes (spec/mws.md §4.3, §6), read at one instant."""

from __future__ import annotations

from collections.abc import Sequence

from mwstui.sandbox import fulfillment_model as fm
from mwstui.sandbox.fulfillment_model import FulfillmentOrder, Money, OrderItem, Shipment
from mwstui.sandbox.mws.fulfillment_state import CENTERS
from mwstui.sandbox.mws.xml_render import Node, fba_date

ADDRESS_FIELDS = (
    "Name",
    "Line1",
    "Line2",
    "Line3",
    "DistrictOrCounty",
    "City",
    "StateOrProvinceCode",
    "CountryCode",
    "PostalCode",
    "PhoneNumber",
)
CARRIER_CONTACT = {
    "UPS": ("1-800-742-5877", "https://www.ups.com"),
    "USPS": ("1-800-275-8777", "https://www.usps.com"),
    "AMZN_US": ("1-877-252-1462", "https://track.amazon.com"),
}


def members(items: Sequence[Sequence[Node]]) -> list[Node]:
    return [("member", i) for i in items]


def money(m: Money | None) -> list[Node] | None:
    return None if m is None else [("CurrencyCode", m.currency), ("Value", m.value)]


def address(a: dict[str, str]) -> list[Node]:
    return [(k, a[k]) for k in ADDRESS_FIELDS if a.get(k)]


def order_node(o: FulfillmentOrder, now: float, *, detail: bool = False) -> list[Node]:
    """A ``FulfillmentOrder``; ``detail`` adds FulfillmentAction (GetFulfillmentOrder only)."""
    emails: list[Node] | None = [("member", e) for e in o.emails] if o.emails else None
    return [
        ("SellerFulfillmentOrderId", o.order_id),
        ("DisplayableOrderId", o.displayable_id),
        ("DisplayableOrderDateTime", fba_date(o.displayable_date)),
        ("DisplayableOrderComment", o.comment),
        ("ShippingSpeedCategory", o.speed),
        ("DestinationAddress", address(o.address)),
        ("FulfillmentAction", o.action if detail else None),
        ("FulfillmentPolicy", o.policy),
        ("ReceivedDateTime", fba_date(o.received)),
        ("FulfillmentOrderStatus", o.status(now)),
        ("StatusUpdatedDateTime", fba_date(o.status_updated(now))),
        ("NotificationEmailList", emails),
        ("MarketplaceId", o.marketplace_id),
    ]


def item_node(o: FulfillmentOrder, i: OrderItem, now: float) -> list[Node]:
    ship = o.shipment_of(i.item_id)
    visible = ship is not None and o.shipment_status(now) in (fm.PENDING, fm.SHIPPED)
    return [
        ("SellerSKU", i.sku),
        ("SellerFulfillmentOrderItemId", i.item_id),
        ("Quantity", str(i.quantity)),
        ("GiftMessage", i.gift_message),
        ("DisplayableComment", i.comment),
        ("FulfillmentNetworkSKU", i.fnsku),
        ("OrderItemDisposition", "Sellable"),
        ("CancelledQuantity", str(o.cancelled_quantity(i, now))),
        ("UnfulfillableQuantity", str(o.unfulfillable_quantity(i, now))),
        ("EstimatedShipDateTime", fba_date(ship.ship_at) if visible and ship else None),
        ("EstimatedArrivalDateTime", fba_date(ship.arrive_at) if visible and ship else None),
        ("PerUnitDeclaredValue", money(i.declared_value)),
        ("PerUnitPrice", money(i.per_unit_price)),
        ("PerUnitTax", money(i.per_unit_tax)),
    ]


def shipment_node(o: FulfillmentOrder, s: Shipment, now: float) -> list[Node]:
    status = o.shipment_status(now) or fm.PENDING
    shipped = status == fm.SHIPPED
    cancelled = status == fm.CANCELLED_BY_SELLER
    skus = {i.item_id: i.sku for i in o.items}
    lines = [
        [
            ("SellerSKU", skus.get(item_id, "")),
            ("SellerFulfillmentOrderItemId", item_id),
            ("Quantity", str(qty)),
            ("PackageNumber", str(s.package.number) if shipped else None),
        ]
        for item_id, qty in s.items
    ]
    package = [
        ("PackageNumber", str(s.package.number)),
        ("CarrierCode", s.package.carrier),
        ("TrackingNumber", s.package.tracking),
        ("EstimatedArrivalDateTime", fba_date(s.arrive_at)),
    ]
    return [
        ("AmazonShipmentId", s.shipment_id),
        ("FulfillmentCenterId", s.center),
        ("FulfillmentShipmentStatus", status),
        ("ShippingDateTime", None if cancelled else fba_date(s.ship_at)),
        ("EstimatedArrivalDateTime", None if cancelled else fba_date(s.arrive_at)),
        ("FulfillmentShipmentItem", members(lines)),
        ("FulfillmentShipmentPackage", members([package]) if shipped else None),
    ]


def order_detail(o: FulfillmentOrder, now: float) -> list[Node]:
    """The children of ``GetFulfillmentOrderResult``."""
    shipments = [shipment_node(o, s, now) for s in o.shipments] if o.shipment_status(now) else []
    returns = [
        [
            ("SellerReturnItemId", r.return_item_id),
            ("SellerFulfillmentOrderItemId", r.item_id),
            ("AmazonShipmentId", r.shipment_id),
            ("SellerReturnReasonCode", r.reason),
            ("ReturnComment", r.comment),
            ("Status", "New"),
            ("StatusChangedDate", fba_date(r.created)),
            ("ReturnAuthorizationId", r.authorization_id),
            ("FulfillmentCenterId", r.center),
        ]
        for r in o.returns
    ]
    auths = [authorization_node(a) for a in o.authorizations]
    return [
        ("FulfillmentOrder", order_node(o, now, detail=True)),
        ("FulfillmentOrderItem", members([item_node(o, i, now) for i in o.items])),
        ("FulfillmentShipment", members(shipments)),
        ("ReturnItemList", members(returns)),
        ("ReturnAuthorizationList", members(auths)),
    ]


def authorization_node(a: fm.ReturnAuthorization) -> list[Node]:
    return [
        ("ReturnAuthorizationId", a.authorization_id),
        ("FulfillmentCenterId", a.center),
        ("ReturnToAddress", address(a.address)),
        ("AmazonRmaId", a.rma_id),
        ("RmaPageURL", f"https://sellercentral.amazon.com/rma/{a.rma_id}"),
    ]


def center_address(center: str) -> dict[str, str]:
    city, state = CENTERS.get(center, ("Seattle", "WA"))
    return {
        "Name": f"Amazon.com Returns ({center})",
        "Line1": "1 Fulfillment Way",
        "City": city,
        "StateOrProvinceCode": state,
        "CountryCode": "US",
        "PostalCode": "98032",
    }


def tracking_node(o: FulfillmentOrder, s: Shipment, now: float) -> list[Node]:
    """``GetPackageTrackingDetailsResult``: events up to ``now`` along the planned trip."""
    span = max(s.arrive_at - s.ship_at, 1.0)
    origin = CENTERS.get(s.center, ("Seattle", "WA"))
    dest = (o.address.get("City", ""), o.address.get("StateOrProvinceCode", ""))
    plan = [
        (s.ship_at, "EVENT_101", origin),
        (s.ship_at + span * 0.05, "EVENT_102", origin),
        (s.ship_at + span * 0.45, "EVENT_201", origin),
        (s.ship_at + span * 0.55, "EVENT_202", origin),
        (s.ship_at + span * 0.92, "EVENT_302", dest),
        (s.arrive_at, "EVENT_301", dest),
    ]
    events: list[list[Node]] = [
        [
            ("EventDate", fba_date(t)),
            ("EventAddress", [("City", c), ("State", st), ("Country", "US")]),
            ("EventCode", code),
        ]
        for t, code, (c, st) in plan
        if t <= now
    ]
    delivered = now >= s.arrive_at
    phone, url = CARRIER_CONTACT.get(s.package.carrier, ("", ""))
    return [
        ("PackageNumber", str(s.package.number)),
        ("TrackingNumber", s.package.tracking),
        ("CarrierCode", s.package.carrier),
        ("CarrierPhoneNumber", phone),
        ("CarrierURL", url),
        ("ShipDate", fba_date(s.ship_at)),
        ("ShipToAddress", [("City", dest[0]), ("State", dest[1]), ("Country", "US")]),
        ("CurrentStatus", "DELIVERED" if delivered else "IN_TRANSIT"),
        ("SignedForBy", o.address.get("Name", "") if delivered else None),
        ("EstimatedArrivalDate", fba_date(s.arrive_at)),
        ("TrackingEvents", members(list(reversed(events)))),
        ("AdditionalLocationInfo", "FRONT_DOOR" if delivered else None),
    ]
