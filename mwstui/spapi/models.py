"""Typed SP-API values: Reports 2021-06-30 and Fulfillment Outbound 2020-07-01 records.

Status fields are open enumerations: a ``str`` whose known values come from the catalog,
so a value Amazon adds tomorrow (spec §8.15: enums drift) is kept verbatim instead of
crashing a listing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from mwstui.catalog import load_catalog


class SpapiEnum(str):
    """An SP-API enumeration value; unknown values are kept, never rejected."""

    __slots__ = ()
    catalog_key: ClassVar[str] = ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """Every value the catalog knows, in catalog order."""
        return tuple(load_catalog().spapi.enum(cls.catalog_key))

    @property
    def known(self) -> bool:
        return str(self) in self.values()


class ProcessingStatus(SpapiEnum):
    """A report's ``processingStatus`` (``IN_QUEUE`` … ``FATAL``)."""

    __slots__ = ()
    catalog_key = "report_processing_status"

    @property
    def cancellable(self) -> bool:
        """Only ``IN_QUEUE`` reports can be cancelled (spec §5.5)."""
        return load_catalog().spapi.report_cancellable(str(self))

    @property
    def terminal(self) -> bool:
        return str(self) in load_catalog().spapi.enum("report_processing_status_terminal")


class OrderStatus(SpapiEnum):
    """A ``fulfillmentOrderStatus``; compared case-insensitively (spec §6.3)."""

    __slots__ = ()
    catalog_key = "fulfillment_order_status"

    @property
    def canonical(self) -> str | None:
        """The model's spelling (``RECEIVED`` → ``Received``), None when unknown."""
        return load_catalog().spapi.fulfillment_status(str(self))

    @property
    def known(self) -> bool:
        return self.canonical is not None

    @property
    def cancellable(self) -> bool:
        """Received or Planning, however cased."""
        return load_catalog().spapi.fulfillment_cancellable(str(self))

    @property
    def terminal(self) -> bool:
        terminal = load_catalog().spapi.enum("fulfillment_order_status_terminal")
        return self.canonical in terminal


class ShipmentStatus(SpapiEnum):
    __slots__ = ()
    catalog_key = "fulfillment_shipment_status"


# -- Reports -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Report:
    """One report (getReports, getReport)."""

    report_id: str
    report_type: str
    processing_status: ProcessingStatus
    created_time: datetime | None
    marketplace_ids: tuple[str, ...] = ()
    data_start_time: datetime | None = None
    data_end_time: datetime | None = None
    report_schedule_id: str | None = None
    processing_start_time: datetime | None = None
    processing_end_time: datetime | None = None
    report_document_id: str | None = None


@dataclass(frozen=True, slots=True)
class ReportSchedule:
    """One report schedule (getReportSchedules, getReportSchedule)."""

    report_schedule_id: str
    report_type: str
    period: str
    marketplace_ids: tuple[str, ...] = ()
    report_options: dict[str, str] = field(default_factory=dict)
    next_report_creation_time: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReportDocument:
    """getReportDocument: a pre-signed URL valid for about five minutes."""

    report_document_id: str
    url: str
    compression_algorithm: str | None = None
    fetched_at: float = 0.0
    """Our clock when the URL was handed out (it expires ``document_url_lifetime`` later)."""

    def __repr__(self) -> str:
        # The pre-signed URL is a bearer credential for the document: never in logs.
        return (
            f"ReportDocument(report_document_id={self.report_document_id!r}, "
            f"compression_algorithm={self.compression_algorithm!r})"
        )


@dataclass(frozen=True, slots=True)
class DocumentDownload:
    """A report document saved to disk, decompressed and (when declared) as UTF-8."""

    path: Path
    size: int
    """Bytes written to ``path``."""
    downloaded: int
    """Bytes received on the wire."""
    compressed: bool
    """True when the body was gzip (by its magic bytes) and was gunzipped once."""
    charset: str | None
    """The declared charset (``Cp1252``), or None when none was declared (bytes kept)."""
    transcoded: bool
    """True when the text was decoded by ``charset`` and saved as UTF-8."""
    url_fetches: int = 1
    """getReportDocument calls needed (more than one when a URL had expired)."""


# -- Fulfillment Outbound ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Money:
    currency_code: str
    value: str
    """A decimal string, kept as sent (``"18.99"``)."""


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    address_line1: str
    country_code: str
    postal_code: str | None = None
    address_line2: str | None = None
    address_line3: str | None = None
    city: str | None = None
    district_or_county: str | None = None
    state_or_region: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class FulfillmentOrder:
    """Order-level data (listAllFulfillmentOrders, getFulfillmentOrder)."""

    seller_fulfillment_order_id: str
    status: OrderStatus
    marketplace_id: str | None = None
    displayable_order_id: str | None = None
    displayable_order_date: datetime | None = None
    displayable_order_comment: str | None = None
    shipping_speed_category: str | None = None
    destination_address: Address | None = None
    received_date: datetime | None = None
    status_updated_date: datetime | None = None
    fulfillment_action: str | None = None
    fulfillment_policy: str | None = None
    notification_emails: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FulfillmentOrderItem:
    seller_sku: str
    seller_fulfillment_order_item_id: str
    quantity: int
    cancelled_quantity: int = 0
    unfulfillable_quantity: int = 0
    fulfillment_network_sku: str | None = None
    order_item_disposition: str | None = None
    estimated_ship_date: datetime | None = None
    estimated_arrival_date: datetime | None = None
    per_unit_declared_value: Money | None = None
    gift_message: str | None = None
    displayable_comment: str | None = None


@dataclass(frozen=True, slots=True)
class ShipmentItem:
    seller_sku: str
    seller_fulfillment_order_item_id: str
    quantity: int
    package_number: int | None = None
    serial_number: str | None = None


@dataclass(frozen=True, slots=True)
class ShipmentPackage:
    package_number: int
    carrier_code: str
    tracking_number: str | None = None
    amazon_fulfillment_tracking_number: str | None = None
    estimated_arrival_date: datetime | None = None


@dataclass(frozen=True, slots=True)
class FulfillmentShipment:
    amazon_shipment_id: str
    fulfillment_center_id: str | None
    status: ShipmentStatus
    shipping_date: datetime | None = None
    estimated_arrival_date: datetime | None = None
    items: tuple[ShipmentItem, ...] = ()
    packages: tuple[ShipmentPackage, ...] = ()


@dataclass(frozen=True, slots=True)
class ReturnItem:
    seller_return_item_id: str
    seller_fulfillment_order_item_id: str
    amazon_shipment_id: str | None
    seller_return_reason_code: str | None
    status: str
    status_changed_date: datetime | None = None
    return_authorization_id: str | None = None
    return_received_condition: str | None = None
    fulfillment_center_id: str | None = None


@dataclass(frozen=True, slots=True)
class ReturnAuthorization:
    return_authorization_id: str
    fulfillment_center_id: str | None
    amazon_rma_id: str | None
    rma_page_url: str | None
    return_to_address: Address | None = None


@dataclass(frozen=True, slots=True)
class FulfillmentOrderDetail:
    """getFulfillmentOrder: the order, items, shipments (packages, tracking), returns."""

    order: FulfillmentOrder
    items: tuple[FulfillmentOrderItem, ...] = ()
    shipments: tuple[FulfillmentShipment, ...] = ()
    return_items: tuple[ReturnItem, ...] = ()
    return_authorizations: tuple[ReturnAuthorization, ...] = ()


@dataclass(frozen=True, slots=True)
class CancelReadBack:
    """What a fulfillment cancel came to, told by reading the order back."""

    seller_fulfillment_order_id: str
    status_before: OrderStatus
    detail_after: FulfillmentOrderDetail | None
    """The order read back; None when that read failed (the cancel was still accepted)."""
    cancel_request_id: str | None

    @property
    def status_after(self) -> OrderStatus | None:
        return None if self.detail_after is None else self.detail_after.order.status

    @property
    def confirmed(self) -> bool:
        """True when the read back shows the order ``Cancelled``."""
        return self.status_after is not None and self.status_after.canonical == "Cancelled"
