"""SP-API wire types → backend-neutral records, and what each SP-API status means.

Which statuses exist, can be cancelled or are final comes from the catalog; the tones are
added here. Fulfillment statuses are compared case-insensitively and without ``_`` (the
model says ``CompletePartialled``, its examples ``COMPLETE_PARTIALLED``; spec §6.3), but
the value is shown as Amazon sent it.
"""

from __future__ import annotations

import dataclasses
from functools import cache

from mwstui.backend.fulfillment_records import (
    Address,
    FulfillmentItem,
    FulfillmentOrder,
    FulfillmentOrderDetail,
    Package,
    Shipment,
    ShipmentItem,
)
from mwstui.backend.models import ReportJob, Schedule, Status, StatusScheme, Tone
from mwstui.backend.statuses import catalog_scheme
from mwstui.catalog import load_catalog
from mwstui.spapi import models as wire

REPORT_CANCELLED = "CANCELLED"
ORDER_CANCELLED = "Cancelled"


@cache
def report_statuses() -> StatusScheme:
    """processingStatus: only ``IN_QUEUE`` can be cancelled; CANCELLED may mean "no data"."""
    return catalog_scheme(
        load_catalog().spapi.enum,
        "report_processing_status",
        {
            "IN_QUEUE": Tone.PENDING,
            "IN_PROGRESS": Tone.ACTIVE,
            "DONE": Tone.SUCCESS,
            "CANCELLED": Tone.MUTED,
            "FATAL": Tone.ERROR,
        },
    )


@cache
def order_statuses() -> StatusScheme:
    """fulfillmentOrderStatus: Received and Planning can be cancelled."""
    return catalog_scheme(
        load_catalog().spapi.enum,
        "fulfillment_order_status",
        {
            "New": Tone.PENDING,
            "Received": Tone.PENDING,
            "Planning": Tone.PENDING,
            "Processing": Tone.ACTIVE,
            "Complete": Tone.SUCCESS,
            "CompletePartialled": Tone.WARNING,
            "Cancelled": Tone.MUTED,
            "Unfulfillable": Tone.ERROR,
            "Invalid": Tone.ERROR,
        },
        fold_case=True,
    )


@cache
def shipment_statuses() -> StatusScheme:
    sp = load_catalog().spapi
    return StatusScheme(
        sp.enum("fulfillment_shipment_status"),
        terminal=("SHIPPED", "CANCELLED_BY_FULFILLER", "CANCELLED_BY_SELLER"),
        tones={
            "PENDING": Tone.PENDING,
            "SHIPPED": Tone.SUCCESS,
            "CANCELLED_BY_FULFILLER": Tone.ERROR,
            "CANCELLED_BY_SELLER": Tone.MUTED,
        },
    )


def report_status(value: str) -> Status:
    return report_statuses()(value)


def order_status(value: str) -> Status:
    """The meaning of ``value`` in any casing, the value kept verbatim."""
    canonical = load_catalog().spapi.fulfillment_status(value)
    status = order_statuses()(canonical or value)
    return dataclasses.replace(status, value=value)


def report_job(r: wire.Report) -> ReportJob:
    return ReportJob(
        id=r.report_id,
        report_type=r.report_type,
        status=report_status(str(r.processing_status)),
        requested_at=r.created_time,
        started_at=r.processing_start_time,
        completed_at=r.processing_end_time,
        data_start=r.data_start_time,
        data_end=r.data_end_time,
        scheduled=r.report_schedule_id is not None,
        document_id=r.report_document_id,
        marketplaces=r.marketplace_ids,
    )


def schedule(s: wire.ReportSchedule) -> Schedule:
    period = next((p for p in load_catalog().spapi.schedule_periods if p.period == s.period), None)
    return Schedule(
        id=s.report_schedule_id,
        report_type=s.report_type,
        period=s.period,
        period_seconds=period.interval_seconds if period else None,
        next_run=s.next_report_creation_time,
        marketplaces=s.marketplace_ids,
    )


def _address(a: wire.Address | None) -> Address | None:
    if a is None:
        return None
    lines = tuple(x for x in (a.address_line1, a.address_line2, a.address_line3) if x)
    return Address(
        name=a.name,
        lines=lines,
        city=a.city or "",
        region=a.state_or_region or "",
        postal_code=a.postal_code or "",
        country=a.country_code,
        phone=a.phone or "",
    )


def fulfillment_order(o: wire.FulfillmentOrder) -> FulfillmentOrder:
    return FulfillmentOrder(
        id=o.seller_fulfillment_order_id,
        status=order_status(str(o.status)),
        display_id=o.displayable_order_id or "",
        ordered_at=o.displayable_order_date,
        received_at=o.received_date,
        status_updated_at=o.status_updated_date,
        comment=o.displayable_order_comment or "",
        shipping_speed=o.shipping_speed_category or "",
        fulfillment_policy=o.fulfillment_policy or "",
        fulfillment_action=o.fulfillment_action or "",
        marketplace_id=o.marketplace_id or "",
        destination=_address(o.destination_address),
    )


def order_detail(d: wire.FulfillmentOrderDetail) -> FulfillmentOrderDetail:
    return FulfillmentOrderDetail(
        order=fulfillment_order(d.order),
        items=tuple(
            FulfillmentItem(
                id=i.seller_fulfillment_order_item_id,
                sku=i.seller_sku,
                quantity=i.quantity,
                cancelled_quantity=i.cancelled_quantity,
                unfulfillable_quantity=i.unfulfillable_quantity,
                comment=i.displayable_comment or "",
                estimated_ship_at=i.estimated_ship_date,
                estimated_arrival_at=i.estimated_arrival_date,
                disposition=i.order_item_disposition or "",
            )
            for i in d.items
        ),
        shipments=tuple(
            Shipment(
                id=s.amazon_shipment_id,
                status=shipment_statuses()(str(s.status)),
                fulfillment_center=s.fulfillment_center_id or "",
                shipped_at=s.shipping_date,
                estimated_arrival_at=s.estimated_arrival_date,
                items=tuple(
                    ShipmentItem(
                        i.seller_fulfillment_order_item_id,
                        i.seller_sku,
                        i.quantity,
                        i.package_number,
                    )
                    for i in s.items
                ),
                packages=tuple(
                    Package(
                        p.package_number,
                        p.carrier_code,
                        p.tracking_number or "",
                        p.estimated_arrival_date,
                    )
                    for p in s.packages
                ),
            )
            for s in d.shipments
        ),
    )
