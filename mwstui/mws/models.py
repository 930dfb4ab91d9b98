"""Typed MWS values: Reports and Fulfillment Outbound records as frozen dataclasses.

Status fields are open enumerations: a ``str`` subclass whose known values come from
the catalog, so a value the service invents tomorrow is kept verbatim (``.known`` is
False) instead of crashing a listing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from mwstui.catalog import load_catalog


class OpenEnum(str):
    """A service enumeration value; unknown values are kept, never rejected."""

    __slots__ = ()
    catalog_key: ClassVar[str] = ""
    """Name of the enumeration in the catalog (``enums.json``)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """Every value the catalog knows, in catalog order."""
        return tuple(load_catalog().enum(cls.catalog_key))

    @property
    def known(self) -> bool:
        """True when the catalog lists this value."""
        return str(self) in self.values()


class ReportProcessingStatus(OpenEnum):
    __slots__ = ()
    catalog_key = "report_processing_status"

    @property
    def cancellable(self) -> bool:
        """True when CancelReportRequests can still stop it (not yet started)."""
        return str(self) in load_catalog().enum("report_processing_status_cancellable")


class FulfillmentOrderStatus(OpenEnum):
    __slots__ = ()
    catalog_key = "fulfillment_order_status"

    @property
    def cancellable(self) -> bool:
        """True when CancelFulfillmentOrder is allowed (RECEIVED, PLANNING)."""
        return str(self) in load_catalog().enum("fulfillment_order_status_cancellable")

    @property
    def terminal(self) -> bool:
        """True when the order will not change any more."""
        return str(self) in load_catalog().enum("fulfillment_order_status_terminal")


class FulfillmentShipmentStatus(OpenEnum):
    __slots__ = ()
    catalog_key = "fulfillment_shipment_status"


class TrackingStatus(OpenEnum):
    __slots__ = ()
    catalog_key = "tracking_current_status"


class ServiceStatusValue(OpenEnum):
    __slots__ = ()
    catalog_key = "service_status"


class Schedule(OpenEnum):
    __slots__ = ()

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(load_catalog().schedules)

    @property
    def interval_seconds(self) -> int | None:
        """Seconds between runs; ``None`` for ``_NEVER_`` or an unknown value."""
        return load_catalog().schedules.get(str(self))


# -- Reports -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportRequestInfo:
    """One report request (RequestReport, GetReportRequestList, CancelReportRequests)."""

    report_request_id: str
    report_type: str
    report_processing_status: ReportProcessingStatus
    start_date: datetime | None = None
    end_date: datetime | None = None
    scheduled: bool = False
    submitted_date: datetime | None = None
    started_processing_date: datetime | None = None
    completed_date: datetime | None = None
    generated_report_id: str | None = None


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """One generated report (GetReportList, UpdateReportAcknowledgements)."""

    report_id: str
    report_type: str
    report_request_id: str | None = None
    available_date: datetime | None = None
    acknowledged: bool = False
    acknowledged_date: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReportSchedule:
    """A scheduled report: its type, how often, and when it next runs."""

    report_type: str
    schedule: Schedule
    scheduled_date: datetime | None = None


@dataclass(frozen=True, slots=True)
class CancelResult:
    """What one CancelReportRequests call reported: ``count`` and up to 100 infos."""

    count: int
    infos: list[ReportRequestInfo]
    not_sent: dict[str, str] = field(default_factory=dict)
    """Request ids the client left out because a read just before showed they can no
    longer be cancelled (id → why); only with ``skip_started``."""


@dataclass(frozen=True, slots=True)
class ReportDownload:
    """A report saved by GetReport."""

    path: Path
    size: int
    md5: str
    """Base64 MD5 of the saved bytes."""
    verified: bool
    """True when the server sent Content-MD5 and it matched (absent header: False)."""
    content_type: str | None = None
    attempts: int = 1


# -- Fulfillment Outbound --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Address:
    """A destination address (FBA ``Address`` datatype)."""

    name: str
    line1: str
    state_or_province_code: str
    country_code: str
    line2: str | None = None
    line3: str | None = None
    district_or_county: str | None = None
    city: str | None = None
    postal_code: str | None = None
    phone_number: str | None = None


@dataclass(frozen=True, slots=True)
class Currency:
    """An amount: ``value`` kept as the service's decimal string."""

    currency_code: str
    value: str


@dataclass(frozen=True, slots=True)
class FulfillmentOrder:
    """Order-level data (ListAllFulfillmentOrders, GetFulfillmentOrder)."""

    seller_fulfillment_order_id: str
    displayable_order_id: str | None
    displayable_order_date_time: datetime | None
    displayable_order_comment: str | None
    shipping_speed_category: str | None
    destination_address: Address | None
    fulfillment_policy: str | None
    received_date_time: datetime | None
    fulfillment_order_status: FulfillmentOrderStatus
    status_updated_date_time: datetime | None
    marketplace_id: str | None = None
    fulfillment_action: str | None = None
    notification_emails: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FulfillmentOrderItem:
    """One line of a fulfillment order."""

    seller_sku: str | None
    seller_fulfillment_order_item_id: str
    quantity: int
    cancelled_quantity: int = 0
    unfulfillable_quantity: int = 0
    gift_message: str | None = None
    displayable_comment: str | None = None
    fulfillment_network_sku: str | None = None
    order_item_disposition: str | None = None
    estimated_ship_date_time: datetime | None = None
    estimated_arrival_date_time: datetime | None = None
    per_unit_declared_value: Currency | None = None


@dataclass(frozen=True, slots=True)
class FulfillmentShipmentItem:
    seller_sku: str | None
    seller_fulfillment_order_item_id: str | None
    quantity: int
    package_number: int | None = None


@dataclass(frozen=True, slots=True)
class ShipmentPackage:
    package_number: int
    carrier_code: str | None
    tracking_number: str | None = None
    estimated_arrival_date_time: datetime | None = None


@dataclass(frozen=True, slots=True)
class FulfillmentShipment:
    """One shipment of a fulfillment order, with its items and packages."""

    amazon_shipment_id: str
    fulfillment_center_id: str | None
    status: FulfillmentShipmentStatus
    shipping_date_time: datetime | None = None
    estimated_arrival_date_time: datetime | None = None
    items: tuple[FulfillmentShipmentItem, ...] = ()
    packages: tuple[ShipmentPackage, ...] = ()


@dataclass(frozen=True, slots=True)
class FulfillmentOrderDetail:
    """GetFulfillmentOrder: the order, its items and its shipments."""

    order: FulfillmentOrder
    items: tuple[FulfillmentOrderItem, ...] = ()
    shipments: tuple[FulfillmentShipment, ...] = ()


@dataclass(frozen=True, slots=True)
class TrackingAddress:
    city: str | None = None
    state: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    event_date: datetime | None
    event_address: TrackingAddress | None
    event_code: str | None


@dataclass(frozen=True, slots=True)
class PackageTracking:
    """GetPackageTrackingDetails."""

    package_number: int
    tracking_number: str | None = None
    carrier_code: str | None = None
    carrier_phone_number: str | None = None
    carrier_url: str | None = None
    ship_date: datetime | None = None
    ship_to: TrackingAddress | None = None
    current_status: TrackingStatus | None = None
    signed_for_by: str | None = None
    estimated_arrival_date: datetime | None = None
    events: tuple[TrackingEvent, ...] = ()
    additional_location_info: str | None = None


@dataclass(frozen=True, slots=True)
class ServiceMessage:
    locale: str | None
    text: str


@dataclass(frozen=True, slots=True)
class ServiceStatus:
    """GetServiceStatus: GREEN / GREEN_I / YELLOW / RED and the service's messages."""

    status: ServiceStatusValue
    timestamp: datetime | None
    message_id: str | None = None
    messages: tuple[ServiceMessage, ...] = ()


@dataclass(frozen=True, slots=True)
class NewFulfillmentOrderItem:
    """One line of an order to create."""

    seller_sku: str
    seller_fulfillment_order_item_id: str
    quantity: int
    gift_message: str | None = None
    displayable_comment: str | None = None
    fulfillment_network_sku: str | None = None
    per_unit_declared_value: Currency | None = None


@dataclass(frozen=True, slots=True)
class NewFulfillmentOrder:
    """CreateFulfillmentOrder's input; validated against catalog limits before sending."""

    seller_fulfillment_order_id: str
    displayable_order_id: str
    displayable_order_date_time: datetime
    displayable_order_comment: str
    shipping_speed_category: str
    destination_address: Address
    items: Sequence[NewFulfillmentOrderItem]
    fulfillment_action: str | None = None
    fulfillment_policy: str | None = None
    notification_emails: Sequence[str] = field(default_factory=tuple)
    marketplace_id: str | None = None
