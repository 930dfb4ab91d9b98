"""SP-API JSON → typed models, tolerant of what real answers do (spec §3, §8.15).

Required fields missing → ``MalformedResponseError``; optional ones absent, ``null`` or
of an odd type are dropped; dates in any ISO 8601 form (``Z``, ``+00:00``, ms) are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from mwstui.errors import MalformedResponseError
from mwstui.spapi.models import (
    Address,
    FulfillmentOrder,
    FulfillmentOrderDetail,
    FulfillmentOrderItem,
    FulfillmentShipment,
    Money,
    OrderStatus,
    ProcessingStatus,
    Report,
    ReportDocument,
    ReportSchedule,
    ReturnAuthorization,
    ReturnItem,
    ShipmentItem,
    ShipmentPackage,
    ShipmentStatus,
)

Json = Mapping[str, Any]


def parse_datetime(value: object) -> datetime | None:
    """An aware UTC datetime from any ISO 8601 form; None when absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt).astimezone(UTC)


def format_datetime(value: datetime) -> str:
    """ISO 8601 UTC with ``Z`` (``2024-03-10T20:11:24Z``); naive values are taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _obj(data: object, what: str) -> Json:
    if not isinstance(data, Mapping):
        raise MalformedResponseError("MalformedResponse", f"{what} is not a JSON object")
    return data


def _req(d: Json, name: str, what: str) -> str:
    value = d.get(name)
    if value is None or isinstance(value, (dict, list)) or str(value) == "":
        raise MalformedResponseError("MalformedResponse", f"{what} has no {name}")
    return str(value)


def _opt(d: Json, name: str) -> str | None:
    value = d.get(name)
    return None if value is None or isinstance(value, (dict, list)) else str(value)


def _int(d: Json, name: str, default: int = 0) -> int:
    value = d.get(name)
    try:
        return int(value) if value is not None else default
    except (TypeError, ValueError):
        return default


def _opt_int(d: Json, name: str) -> int | None:
    value = d.get(name)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _strings(d: Json, name: str) -> tuple[str, ...]:
    value = d.get(name)
    return tuple(str(v) for v in value if v is not None) if isinstance(value, list) else ()


def _objects(d: Json, name: str) -> list[Json]:
    value = d.get(name)
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


# -- Reports -----------------------------------------------------------------------------------


def report(data: object) -> Report:
    d = _obj(data, "report")
    return Report(
        report_id=_req(d, "reportId", "a report"),
        report_type=_opt(d, "reportType") or "",
        processing_status=ProcessingStatus(_opt(d, "processingStatus") or ""),
        created_time=parse_datetime(d.get("createdTime")),
        marketplace_ids=_strings(d, "marketplaceIds"),
        data_start_time=parse_datetime(d.get("dataStartTime")),
        data_end_time=parse_datetime(d.get("dataEndTime")),
        report_schedule_id=_opt(d, "reportScheduleId"),
        processing_start_time=parse_datetime(d.get("processingStartTime")),
        processing_end_time=parse_datetime(d.get("processingEndTime")),
        report_document_id=_opt(d, "reportDocumentId"),
    )


def reports_page(data: object) -> list[Report]:
    return [report(r) for r in _objects(_obj(data, "getReports answer"), "reports")]


def schedule(data: object) -> ReportSchedule:
    d = _obj(data, "report schedule")
    options = d.get("reportOptions")
    return ReportSchedule(
        report_schedule_id=_req(d, "reportScheduleId", "a report schedule"),
        report_type=_opt(d, "reportType") or "",
        period=_opt(d, "period") or "",
        marketplace_ids=_strings(d, "marketplaceIds"),
        report_options=(
            {str(k): str(v) for k, v in options.items()} if isinstance(options, Mapping) else {}
        ),
        next_report_creation_time=parse_datetime(d.get("nextReportCreationTime")),
    )


def schedules(data: object) -> list[ReportSchedule]:
    d = _obj(data, "getReportSchedules answer")
    return [schedule(s) for s in _objects(d, "reportSchedules")]


def created_id(data: object, name: str) -> str:
    """``{"reportId": …}`` / ``{"reportScheduleId": …}``."""
    return _req(_obj(data, "the answer"), name, "the answer")


def document(data: object, fetched_at: float) -> ReportDocument:
    d = _obj(data, "report document")
    return ReportDocument(
        report_document_id=_req(d, "reportDocumentId", "a report document"),
        url=_req(d, "url", "a report document"),
        compression_algorithm=_opt(d, "compressionAlgorithm"),
        fetched_at=fetched_at,
    )


# -- Fulfillment Outbound ---------------------------------------------------------------------


def _money(data: object) -> Money | None:
    if not isinstance(data, Mapping) or data.get("value") is None:
        return None
    return Money(str(data.get("currencyCode") or ""), str(data["value"]))


def address(data: object) -> Address | None:
    if not isinstance(data, Mapping):
        return None
    return Address(
        name=_opt(data, "name") or "",
        address_line1=_opt(data, "addressLine1") or "",
        country_code=_opt(data, "countryCode") or "",
        postal_code=_opt(data, "postalCode"),
        address_line2=_opt(data, "addressLine2"),
        address_line3=_opt(data, "addressLine3"),
        city=_opt(data, "city"),
        district_or_county=_opt(data, "districtOrCounty"),
        state_or_region=_opt(data, "stateOrRegion"),
        phone=_opt(data, "phone"),
    )


def order(data: object) -> FulfillmentOrder:
    d = _obj(data, "fulfillment order")
    return FulfillmentOrder(
        seller_fulfillment_order_id=_req(d, "sellerFulfillmentOrderId", "a fulfillment order"),
        status=OrderStatus(_opt(d, "fulfillmentOrderStatus") or ""),
        marketplace_id=_opt(d, "marketplaceId"),
        displayable_order_id=_opt(d, "displayableOrderId"),
        displayable_order_date=parse_datetime(d.get("displayableOrderDate")),
        displayable_order_comment=_opt(d, "displayableOrderComment"),
        shipping_speed_category=_opt(d, "shippingSpeedCategory"),
        destination_address=address(d.get("destinationAddress")),
        received_date=parse_datetime(d.get("receivedDate")),
        status_updated_date=parse_datetime(d.get("statusUpdatedDate")),
        fulfillment_action=_opt(d, "fulfillmentAction"),
        fulfillment_policy=_opt(d, "fulfillmentPolicy"),
        notification_emails=_strings(d, "notificationEmails"),
    )


def orders_page(data: object) -> list[FulfillmentOrder]:
    d = _obj(data, "listAllFulfillmentOrders answer")
    return [order(o) for o in _objects(d, "fulfillmentOrders")]


def _item(d: Json) -> FulfillmentOrderItem:
    return FulfillmentOrderItem(
        seller_sku=_opt(d, "sellerSku") or "",
        seller_fulfillment_order_item_id=_opt(d, "sellerFulfillmentOrderItemId") or "",
        quantity=_int(d, "quantity"),
        cancelled_quantity=_int(d, "cancelledQuantity"),
        unfulfillable_quantity=_int(d, "unfulfillableQuantity"),
        fulfillment_network_sku=_opt(d, "fulfillmentNetworkSku"),
        order_item_disposition=_opt(d, "orderItemDisposition"),
        estimated_ship_date=parse_datetime(d.get("estimatedShipDate")),
        estimated_arrival_date=parse_datetime(d.get("estimatedArrivalDate")),
        per_unit_declared_value=_money(d.get("perUnitDeclaredValue")),
        gift_message=_opt(d, "giftMessage"),
        displayable_comment=_opt(d, "displayableComment"),
    )


def _shipment(d: Json) -> FulfillmentShipment:
    return FulfillmentShipment(
        amazon_shipment_id=_opt(d, "amazonShipmentId") or "",
        fulfillment_center_id=_opt(d, "fulfillmentCenterId"),
        status=ShipmentStatus(_opt(d, "fulfillmentShipmentStatus") or ""),
        shipping_date=parse_datetime(d.get("shippingDate")),
        estimated_arrival_date=parse_datetime(d.get("estimatedArrivalDate")),
        items=tuple(
            ShipmentItem(
                seller_sku=_opt(i, "sellerSku") or "",
                seller_fulfillment_order_item_id=_opt(i, "sellerFulfillmentOrderItemId") or "",
                quantity=_int(i, "quantity"),
                package_number=_opt_int(i, "packageNumber"),
                serial_number=_opt(i, "serialNumber") or None,
            )
            for i in _objects(d, "fulfillmentShipmentItem")
        ),
        packages=tuple(
            ShipmentPackage(
                package_number=_int(p, "packageNumber"),
                carrier_code=_opt(p, "carrierCode") or "",
                tracking_number=_opt(p, "trackingNumber"),
                amazon_fulfillment_tracking_number=_opt(p, "amazonFulfillmentTrackingNumber"),
                estimated_arrival_date=parse_datetime(p.get("estimatedArrivalDate")),
            )
            for p in _objects(d, "fulfillmentShipmentPackage")
        ),
    )


def _return_item(d: Json) -> ReturnItem:
    return ReturnItem(
        seller_return_item_id=_opt(d, "sellerReturnItemId") or "",
        seller_fulfillment_order_item_id=_opt(d, "sellerFulfillmentOrderItemId") or "",
        amazon_shipment_id=_opt(d, "amazonShipmentId"),
        seller_return_reason_code=_opt(d, "sellerReturnReasonCode"),
        status=_opt(d, "status") or "",
        status_changed_date=parse_datetime(d.get("statusChangedDate")),
        return_authorization_id=_opt(d, "returnAuthorizationId"),
        return_received_condition=_opt(d, "returnReceivedCondition"),
        fulfillment_center_id=_opt(d, "fulfillmentCenterId"),
    )


def _authorization(d: Json) -> ReturnAuthorization:
    return ReturnAuthorization(
        return_authorization_id=_opt(d, "returnAuthorizationId") or "",
        fulfillment_center_id=_opt(d, "fulfillmentCenterId"),
        amazon_rma_id=_opt(d, "amazonRmaId"),
        rma_page_url=_opt(d, "rmaPageURL"),
        return_to_address=address(d.get("returnToAddress")),
    )


def order_detail(data: object) -> FulfillmentOrderDetail:
    d = _obj(data, "getFulfillmentOrder answer")
    return FulfillmentOrderDetail(
        order=order(d.get("fulfillmentOrder")),
        items=tuple(_item(i) for i in _objects(d, "fulfillmentOrderItems")),
        shipments=tuple(_shipment(s) for s in _objects(d, "fulfillmentShipments")),
        return_items=tuple(_return_item(r) for r in _objects(d, "returnItems")),
        return_authorizations=tuple(_authorization(a) for a in _objects(d, "returnAuthorizations")),
    )
