"""Fulfillment Outbound Shipment API 2010-10-01: typed operations and their parsers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mwstui import validation as v
from mwstui.calls import Result
from mwstui.catalog import load_catalog
from mwstui.errors import InvalidStateError
from mwstui.mws.fulfillment_cancel import NOT_CANCELLABLE, check_offered, not_cancellable_reason
from mwstui.mws.models import (
    Address,
    Currency,
    FulfillmentOrder,
    FulfillmentOrderDetail,
    FulfillmentOrderItem,
    FulfillmentOrderStatus,
    FulfillmentShipment,
    FulfillmentShipmentItem,
    FulfillmentShipmentStatus,
    NewFulfillmentOrder,
    PackageTracking,
    ServiceMessage,
    ServiceStatus,
    ServiceStatusValue,
    ShipmentPackage,
    TrackingAddress,
    TrackingEvent,
    TrackingStatus,
)
from mwstui.mws.parsing import Document, Node, format_datetime

if TYPE_CHECKING:
    from mwstui.mws.client import MWSClient

# -- parsers -------------------------------------------------------------------------------


def address(n: Node | None) -> Address | None:
    """An ``Address`` / ``DestinationAddress`` element."""
    if n is None:
        return None
    return Address(
        name=n.text("Name") or "",
        line1=n.text("Line1") or "",
        state_or_province_code=n.text("StateOrProvinceCode") or "",
        country_code=n.text("CountryCode") or "",
        line2=n.text("Line2"),
        line3=n.text("Line3"),
        district_or_county=n.text("DistrictOrCounty"),
        city=n.text("City"),
        postal_code=n.text("PostalCode"),
        phone_number=n.text("PhoneNumber"),
    )


def _currency(n: Node | None) -> Currency | None:
    if n is None or n.text("Value") is None:
        return None
    return Currency(n.text("CurrencyCode") or "", n.text("Value") or "")


def fulfillment_order(n: Node) -> FulfillmentOrder:
    """A ``FulfillmentOrder`` (or a ``FulfillmentOrders/member``)."""
    return FulfillmentOrder(
        seller_fulfillment_order_id=n.require("SellerFulfillmentOrderId"),
        displayable_order_id=n.text("DisplayableOrderId"),
        displayable_order_date_time=n.date("DisplayableOrderDateTime"),
        displayable_order_comment=n.text("DisplayableOrderComment"),
        shipping_speed_category=n.text("ShippingSpeedCategory"),
        destination_address=address(n.child("DestinationAddress")),
        fulfillment_policy=n.text("FulfillmentPolicy"),
        received_date_time=n.date("ReceivedDateTime"),
        fulfillment_order_status=FulfillmentOrderStatus(n.text("FulfillmentOrderStatus") or ""),
        status_updated_date_time=n.date("StatusUpdatedDateTime"),
        marketplace_id=n.text("MarketplaceId"),
        fulfillment_action=n.text("FulfillmentAction"),
        notification_emails=tuple(
            m.text_value or "" for m in n.members("NotificationEmailList") if m.text_value
        ),
    )


def fulfillment_order_item(n: Node) -> FulfillmentOrderItem:
    return FulfillmentOrderItem(
        seller_sku=n.text("SellerSKU"),
        seller_fulfillment_order_item_id=n.require("SellerFulfillmentOrderItemId"),
        quantity=n.integer("Quantity", 0) or 0,
        cancelled_quantity=n.integer("CancelledQuantity", 0) or 0,
        unfulfillable_quantity=n.integer("UnfulfillableQuantity", 0) or 0,
        gift_message=n.text("GiftMessage"),
        displayable_comment=n.text("DisplayableComment"),
        fulfillment_network_sku=n.text("FulfillmentNetworkSKU"),
        order_item_disposition=n.text("OrderItemDisposition"),
        estimated_ship_date_time=n.date("EstimatedShipDateTime"),
        estimated_arrival_date_time=n.date("EstimatedArrivalDateTime"),
        per_unit_declared_value=_currency(n.child("PerUnitDeclaredValue")),
    )


def fulfillment_shipment(n: Node) -> FulfillmentShipment:
    return FulfillmentShipment(
        amazon_shipment_id=n.require("AmazonShipmentId"),
        fulfillment_center_id=n.text("FulfillmentCenterId"),
        status=FulfillmentShipmentStatus(n.text("FulfillmentShipmentStatus") or ""),
        shipping_date_time=n.date("ShippingDateTime"),
        estimated_arrival_date_time=n.date("EstimatedArrivalDateTime"),
        items=tuple(
            FulfillmentShipmentItem(
                seller_sku=i.text("SellerSKU"),
                seller_fulfillment_order_item_id=i.text("SellerFulfillmentOrderItemId"),
                quantity=i.integer("Quantity", 0) or 0,
                package_number=i.integer("PackageNumber"),
            )
            for i in n.members("FulfillmentShipmentItem")
        ),
        packages=tuple(
            ShipmentPackage(
                package_number=p.require_integer("PackageNumber"),
                carrier_code=p.text("CarrierCode"),
                tracking_number=p.text("TrackingNumber"),
                estimated_arrival_date_time=p.date("EstimatedArrivalDateTime"),
            )
            for p in n.members("FulfillmentShipmentPackage")
        ),
    )


def _tracking_address(n: Node | None) -> TrackingAddress | None:
    if n is None:
        return None
    return TrackingAddress(n.text("City"), n.text("State"), n.text("Country"))


def _orders(doc: Document) -> list[FulfillmentOrder]:
    return [fulfillment_order(m) for m in doc.result.members("FulfillmentOrders")]


def _detail(doc: Document) -> FulfillmentOrderDetail:
    r = doc.result
    order = r.child("FulfillmentOrder")
    if order is None:
        order = Node("FulfillmentOrder", None)  # require() below names what is missing
    return FulfillmentOrderDetail(
        order=fulfillment_order(order),
        items=tuple(fulfillment_order_item(m) for m in r.members("FulfillmentOrderItem")),
        shipments=tuple(fulfillment_shipment(m) for m in r.members("FulfillmentShipment")),
    )


def _tracking(doc: Document) -> PackageTracking:
    r = doc.result
    return PackageTracking(
        package_number=r.require_integer("PackageNumber"),
        tracking_number=r.text("TrackingNumber"),
        carrier_code=r.text("CarrierCode"),
        carrier_phone_number=r.text("CarrierPhoneNumber"),
        carrier_url=r.text("CarrierURL"),
        ship_date=r.date("ShipDate"),
        ship_to=_tracking_address(r.child("ShipToAddress")),
        current_status=TrackingStatus(s) if (s := r.text("CurrentStatus")) else None,
        signed_for_by=r.text("SignedForBy"),
        estimated_arrival_date=r.date("EstimatedArrivalDate"),
        events=tuple(
            TrackingEvent(
                e.date("EventDate"), _tracking_address(e.child("EventAddress")), e.text("EventCode")
            )
            for e in r.members("TrackingEvents")
        ),
        additional_location_info=r.text("AdditionalLocationInfo"),
    )


def _service_status(doc: Document) -> ServiceStatus:
    r = doc.result
    messages = r.members("Messages") if r.child("Messages") else []
    return ServiceStatus(
        status=ServiceStatusValue(r.require("Status")),
        timestamp=r.date("Timestamp"),
        message_id=r.text("MessageId"),
        messages=tuple(ServiceMessage(m.text("Locale"), m.text("Text") or "") for m in messages),
    )


def _nothing(doc: Document) -> None:
    return None


PARSERS: dict[str, Callable[[Document], Any]] = {
    "ListAllFulfillmentOrders": _orders,
    "ListAllFulfillmentOrdersByNextToken": _orders,
    "GetFulfillmentOrder": _detail,
    "CancelFulfillmentOrder": _nothing,
    "CreateFulfillmentOrder": _nothing,
    "GetPackageTrackingDetails": _tracking,
    "GetServiceStatus": _service_status,
}
"""Parser of every Fulfillment Outbound operation the client sends."""


# -- requests ------------------------------------------------------------------------------


def _invalid(field: str, message: str) -> v.LocalValidationError:
    return v.LocalValidationError(field, message)


def _optional(name: str, value: str | None) -> str | None:
    """``value`` (None when blank), not longer than the catalog limit for ``name`` if any."""
    v.check(name, v.text(name, value))
    return None if value is None or not value.strip() else value


def _required(name: str, value: str | None) -> str:
    """Like ``_optional`` but a blank value is an error."""
    v.check(name, v.text(name, value, need=True))
    assert value is not None
    return value


def _order_id(value: str) -> str:
    v.check("SellerFulfillmentOrderId", v.fulfillment_order_id(value))
    return value


def _enum(name: str, catalog_key: str, value: str | None) -> None:
    if value is not None and value not in load_catalog().enum(catalog_key):
        raise _invalid(name, f"unknown {name} {value!r}")


def _address_params(a: Address) -> dict[str, str]:
    fields = {
        "Name": (a.name, True), "Line1": (a.line1, True), "Line2": (a.line2, False),
        "Line3": (a.line3, False), "DistrictOrCounty": (a.district_or_county, False),
        "City": (a.city, False), "StateOrProvinceCode": (a.state_or_province_code, True),
        "CountryCode": (a.country_code, True), "PostalCode": (a.postal_code, False),
        "PhoneNumber": (a.phone_number, False),
    }  # fmt: skip
    out = {}
    for field, (value, required) in fields.items():
        name = f"DestinationAddress.{field}"
        checked = _required(name, value) if required else _optional(name, value)
        if checked is not None:
            out[name] = checked
    return out


def create_order_params(order: NewFulfillmentOrder) -> dict[str, str]:
    """Validate ``order`` against the catalog and encode it as CreateFulfillmentOrder params.

    Raises:
        InvalidParameterError: a missing field, an over-long one, an unknown enum value,
            no items, a non-positive quantity or a repeated item id (nothing is sent).
    """
    p: dict[str, str] = {"SellerFulfillmentOrderId": _order_id(order.seller_fulfillment_order_id)}
    for name, value in (
        ("DisplayableOrderId", order.displayable_order_id),
        ("DisplayableOrderComment", order.displayable_order_comment),
        ("ShippingSpeedCategory", order.shipping_speed_category),
    ):
        p[name] = _required(name, value)
    _enum("ShippingSpeedCategory", "shipping_speed_category", order.shipping_speed_category)
    _enum("FulfillmentPolicy", "fulfillment_policy", order.fulfillment_policy)
    _enum("FulfillmentAction", "fulfillment_action", order.fulfillment_action)
    p["DisplayableOrderDateTime"] = format_datetime(order.displayable_order_date_time)
    p |= _address_params(order.destination_address)
    if order.fulfillment_policy:
        p["FulfillmentPolicy"] = order.fulfillment_policy
    if order.fulfillment_action:
        p["FulfillmentAction"] = order.fulfillment_action
    if order.marketplace_id:
        p["MarketplaceId"] = order.marketplace_id
    for n, email in enumerate(order.notification_emails, start=1):
        v.check("NotificationEmail", v.email(email))
        p[f"NotificationEmailList.member.{n}"] = email
    if not order.items:
        raise _invalid("Items", "Items: a fulfillment order needs at least one item")
    seen: set[str] = set()
    for n, item in enumerate(order.items, start=1):
        pre = f"Items.member.{n}."
        item_id = _required("SellerFulfillmentOrderItemId", item.seller_fulfillment_order_item_id)
        if item_id in seen:
            raise _invalid(
                "SellerFulfillmentOrderItemId",
                f"SellerFulfillmentOrderItemId {item_id!r} is repeated",
            )
        seen.add(item_id)
        if v.positive_int("Quantity", item.quantity) is not None:
            raise _invalid("Quantity", f"item {item_id!r}: Quantity must be at least 1")
        p[pre + "SellerSKU"] = _required("SellerSKU", item.seller_sku)
        p[pre + "SellerFulfillmentOrderItemId"] = item_id
        p[pre + "Quantity"] = str(item.quantity)
        for field, text in (
            ("GiftMessage", item.gift_message),
            ("DisplayableComment", item.displayable_comment),
            ("FulfillmentNetworkSKU", item.fulfillment_network_sku),
        ):
            if (checked := _optional(field, text)) is not None:
                p[pre + field] = checked
        if item.per_unit_declared_value is not None:
            p[pre + "PerUnitDeclaredValue.CurrencyCode"] = (
                item.per_unit_declared_value.currency_code
            )
            p[pre + "PerUnitDeclaredValue.Value"] = item.per_unit_declared_value.value
    return p


class FulfillmentAPI:
    """``client.fulfillment``: the Fulfillment Outbound operations the dashboard uses."""

    def __init__(self, client: MWSClient) -> None:
        self._c = client

    async def iter_orders(
        self, *, query_start: datetime | None = None
    ) -> AsyncIterator[Result[list[FulfillmentOrder]]]:
        """ListAllFulfillmentOrders then …ByNextToken (one shared bucket): one item per page."""
        params = {"QueryStartDateTime": format_datetime(query_start)} if query_start else {}
        async for page in self._c.iter_pages("ListAllFulfillmentOrders", params, _orders):
            yield page

    async def get_order(self, seller_fulfillment_order_id: str) -> Result[FulfillmentOrderDetail]:
        """GetFulfillmentOrder: the order with its items and shipments."""
        params = {"SellerFulfillmentOrderId": _order_id(seller_fulfillment_order_id)}
        return await self._c.call("GetFulfillmentOrder", params, _detail)

    async def cancel_order(
        self, order: str | FulfillmentOrder, *, recheck: bool = False
    ) -> Result[None]:
        """CancelFulfillmentOrder, guarded; best effort on Amazon's side (check with
        ``get_order``: ``mwstui.mws.fulfillment_backend.cancel_result`` judges it).

        The client refuses, unsent and unjournaled, a cancel that cannot succeed: an
        order given as listed whose status is not RECEIVED or PLANNING (PROCESSING,
        COMPLETE_PARTIALLED, ...), and any order of a marketplace where the catalog says
        CancelFulfillmentOrder is not offered (Brazil), by the profile's marketplace or
        the order's.

        Args:
            order: the order id, or the order as listed (its status is checked).
            recheck: read the order first (GetFulfillmentOrder, a cheap bucket) and
                check its status and marketplace as they are now.

        Raises:
            InvalidStateError: code ``NotCancellable``, with why; nothing was sent.
        """
        known = order if isinstance(order, FulfillmentOrder) else None
        order_id = _order_id(order if isinstance(order, str) else order.seller_fulfillment_order_id)
        check_offered("CancelFulfillmentOrder", self._c.marketplace_id)
        if recheck:
            known = (await self.get_order(order_id)).data.order
        if known is not None:
            check_offered("CancelFulfillmentOrder", known.marketplace_id)
            status = known.fulfillment_order_status
            if not status.cancellable:
                raise InvalidStateError(
                    NOT_CANCELLABLE,
                    f"{order_id} is {not_cancellable_reason(status)}",
                    operation="CancelFulfillmentOrder",
                )
        params = {"SellerFulfillmentOrderId": order_id}
        return await self._c.call("CancelFulfillmentOrder", params, _nothing, items=[order_id])

    async def create_order(self, order: NewFulfillmentOrder) -> Result[None]:
        """CreateFulfillmentOrder, validated before anything is sent."""
        params = create_order_params(order)
        return await self._c.call(
            "CreateFulfillmentOrder",
            params,
            _nothing,
            items=[params["SellerFulfillmentOrderId"]],
        )

    async def package_tracking(self, package_number: int) -> Result[PackageTracking]:
        """GetPackageTrackingDetails for a ``ShipmentPackage.package_number``."""
        v.check("PackageNumber", v.positive_int("PackageNumber", package_number, minimum=0))
        params = {"PackageNumber": str(package_number)}
        return await self._c.call("GetPackageTrackingDetails", params, _tracking)

    async def service_status(self) -> Result[ServiceStatus]:
        """GetServiceStatus of the Fulfillment Outbound section (bucket of 2, 1 per 5 min)."""
        return await self._c.call("GetServiceStatus", {}, _service_status)
