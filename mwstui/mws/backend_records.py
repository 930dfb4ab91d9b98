"""MWS wire types → backend-neutral records, and what each MWS status means.

Which statuses exist, can be cancelled or are final comes from the catalog; the tones
(how the UI colours them) are added here, once for every panel.
"""

from __future__ import annotations

from functools import cache

from mwstui.backend.fulfillment_records import (
    Address,
    FulfillmentItem,
    FulfillmentOrder,
    FulfillmentOrderDetail,
    Package,
    Shipment,
    ShipmentItem,
    Tracking,
    TrackingEvent,
)
from mwstui.backend.models import ReportDocument, ReportJob, Schedule, StatusScheme, Tone
from mwstui.backend.statuses import catalog_scheme
from mwstui.catalog import load_catalog
from mwstui.mws import models as wire

REPORT_CANCELLED = "_CANCELLED_"
"""The status a cancelled report request reads back with (a catalog value)."""
ORDER_CANCELLED = "CANCELLED"
"""The status a cancelled fulfillment order reads back with (a catalog value)."""


@cache
def report_statuses() -> StatusScheme:
    """ReportProcessingStatus: only ``_SUBMITTED_`` can be cancelled."""
    return catalog_scheme(
        load_catalog().enum,
        "report_processing_status",
        {
            "_SUBMITTED_": Tone.PENDING,
            "_IN_PROGRESS_": Tone.ACTIVE,
            "_DONE_": Tone.SUCCESS,
            "_DONE_NO_DATA_": Tone.EMPTY,
            "_CANCELLED_": Tone.MUTED,
        },
    )


@cache
def order_statuses() -> StatusScheme:
    """FulfillmentOrderStatus: RECEIVED and PLANNING can be cancelled."""
    return catalog_scheme(
        load_catalog().enum,
        "fulfillment_order_status",
        {
            "RECEIVED": Tone.PENDING,
            "PLANNING": Tone.PENDING,
            "PROCESSING": Tone.ACTIVE,
            "COMPLETE": Tone.SUCCESS,
            "COMPLETE_PARTIALLED": Tone.WARNING,
            "CANCELLED": Tone.MUTED,
            "UNFULFILLABLE": Tone.ERROR,
            "INVALID": Tone.ERROR,
        },
    )


@cache
def shipment_statuses() -> StatusScheme:
    """FulfillmentShipmentStatus (never cancelled on its own)."""
    known = load_catalog().enum("fulfillment_shipment_status")
    return StatusScheme(
        known,
        terminal=[s for s in known if s != "PENDING"],
        tones={
            "PENDING": Tone.PENDING,
            "SHIPPED": Tone.SUCCESS,
            "CANCELLED_BY_FULFILLER": Tone.MUTED,
            "CANCELLED_BY_SELLER": Tone.MUTED,
        },
    )


def report_job(info: wire.ReportRequestInfo) -> ReportJob:
    """A ``ReportRequestInfo`` as a job."""
    return ReportJob(
        id=info.report_request_id,
        report_type=info.report_type,
        status=report_statuses()(str(info.report_processing_status)),
        requested_at=info.submitted_date,
        started_at=info.started_processing_date,
        completed_at=info.completed_date,
        data_start=info.start_date,
        data_end=info.end_date,
        scheduled=info.scheduled,
        document_id=info.generated_report_id,
    )


def report_document(info: wire.ReportInfo) -> ReportDocument:
    """A ``ReportInfo`` as an available report."""
    return ReportDocument(
        id=info.report_id,
        report_type=info.report_type,
        job_id=info.report_request_id,
        available_at=info.available_date,
        acknowledged=info.acknowledged,
        acknowledged_at=info.acknowledged_date,
    )


def schedule(s: wire.ReportSchedule) -> Schedule:
    """A ``ReportSchedule``: on MWS a schedule is known by its report type."""
    return Schedule(
        id=s.report_type,
        report_type=s.report_type,
        period=str(s.schedule),
        period_seconds=s.schedule.interval_seconds,
        next_run=s.scheduled_date,
    )


def _address(a: wire.Address | None) -> Address | None:
    if a is None:
        return None
    return Address(
        name=a.name,
        lines=tuple(x for x in (a.line1, a.line2, a.line3, a.district_or_county) if x),
        city=a.city or "",
        region=a.state_or_province_code,
        postal_code=a.postal_code or "",
        country=a.country_code,
        phone=a.phone_number or "",
    )


def fulfillment_order(o: wire.FulfillmentOrder) -> FulfillmentOrder:
    """A listed ``FulfillmentOrder``."""
    return FulfillmentOrder(
        id=o.seller_fulfillment_order_id,
        status=order_statuses()(str(o.fulfillment_order_status)),
        display_id=o.displayable_order_id or "",
        ordered_at=o.displayable_order_date_time,
        received_at=o.received_date_time,
        status_updated_at=o.status_updated_date_time,
        comment=o.displayable_order_comment or "",
        shipping_speed=o.shipping_speed_category or "",
        fulfillment_policy=o.fulfillment_policy or "",
        fulfillment_action=o.fulfillment_action or "",
        marketplace_id=o.marketplace_id or "",
        destination=_address(o.destination_address),
    )


def _item(i: wire.FulfillmentOrderItem) -> FulfillmentItem:
    return FulfillmentItem(
        id=i.seller_fulfillment_order_item_id,
        sku=i.seller_sku or "",
        quantity=i.quantity,
        cancelled_quantity=i.cancelled_quantity,
        unfulfillable_quantity=i.unfulfillable_quantity,
        comment=i.displayable_comment or "",
        estimated_ship_at=i.estimated_ship_date_time,
        estimated_arrival_at=i.estimated_arrival_date_time,
        disposition=i.order_item_disposition or "",
    )


def _shipment(s: wire.FulfillmentShipment) -> Shipment:
    return Shipment(
        id=s.amazon_shipment_id,
        status=shipment_statuses()(str(s.status)),
        fulfillment_center=s.fulfillment_center_id or "",
        shipped_at=s.shipping_date_time,
        estimated_arrival_at=s.estimated_arrival_date_time,
        items=tuple(
            ShipmentItem(
                i.seller_fulfillment_order_item_id or "",
                i.seller_sku or "",
                i.quantity,
                i.package_number,
            )
            for i in s.items
        ),
        packages=tuple(
            Package(
                p.package_number,
                p.carrier_code or "",
                p.tracking_number or "",
                p.estimated_arrival_date_time,
            )
            for p in s.packages
        ),
    )


def order_detail(d: wire.FulfillmentOrderDetail) -> FulfillmentOrderDetail:
    """GetFulfillmentOrder's answer."""
    return FulfillmentOrderDetail(
        order=fulfillment_order(d.order),
        items=tuple(_item(i) for i in d.items),
        shipments=tuple(_shipment(s) for s in d.shipments),
    )


def tracking(t: wire.PackageTracking) -> Tracking:
    """GetPackageTrackingDetails's answer."""

    def where(a: wire.TrackingAddress | None) -> str:
        return ", ".join(x for x in (a.city, a.state, a.country) if x) if a else ""

    meanings = load_catalog().mws_enums.get("tracking_event_code", {})

    return Tracking(
        package_number=t.package_number,
        status=str(t.current_status or ""),
        carrier=t.carrier_code or "",
        tracking_number=t.tracking_number or "",
        shipped_at=t.ship_date,
        estimated_arrival_at=t.estimated_arrival_date,
        signed_for_by=t.signed_for_by or "",
        events=tuple(
            TrackingEvent(
                e.event_date,
                e.event_code or "",
                where(e.event_address),
                meanings.get(e.event_code or "", ""),
            )
            for e in t.events
        ),
        location=t.additional_location_info or "",
    )
