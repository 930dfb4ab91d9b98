"""Backend-neutral records of multi-channel fulfillment: an order as listed, its detail
(items, shipments, packages) and where a package is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mwstui.backend.models import Status


@dataclass(frozen=True, slots=True)
class Address:
    """A destination address, every line optional."""

    name: str = ""
    lines: tuple[str, ...] = ()
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class FulfillmentOrder:
    """A multi-channel fulfillment order as listed.

    Attributes:
        id: the seller's order id (what a cancel takes).
        display_id: the id shown to the buyer.
    """

    id: str
    status: Status
    display_id: str = ""
    ordered_at: datetime | None = None
    received_at: datetime | None = None
    status_updated_at: datetime | None = None
    comment: str = ""
    shipping_speed: str = ""
    fulfillment_policy: str = ""
    fulfillment_action: str = ""
    marketplace_id: str = ""
    destination: Address | None = None


@dataclass(frozen=True, slots=True)
class FulfillmentItem:
    """One line of a fulfillment order; the quantities tell a partial cancel apart."""

    id: str
    sku: str
    quantity: int
    cancelled_quantity: int = 0
    unfulfillable_quantity: int = 0
    comment: str = ""
    estimated_ship_at: datetime | None = None
    estimated_arrival_at: datetime | None = None
    disposition: str = ""
    """What becomes of the units (``Sellable``, ``Unsellable``), verbatim."""

    @property
    def open_quantity(self) -> int:
        """Units still to be shipped or cancelled."""
        return max(0, self.quantity - self.cancelled_quantity - self.unfulfillable_quantity)


@dataclass(frozen=True, slots=True)
class Package:
    """One package of a shipment; ``number`` is what tracking takes."""

    number: int
    carrier: str = ""
    tracking_number: str = ""
    estimated_arrival_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ShipmentItem:
    item_id: str
    sku: str
    quantity: int
    package_number: int | None = None


@dataclass(frozen=True, slots=True)
class Shipment:
    """One shipment of a fulfillment order."""

    id: str
    status: Status
    fulfillment_center: str = ""
    shipped_at: datetime | None = None
    estimated_arrival_at: datetime | None = None
    items: tuple[ShipmentItem, ...] = ()
    packages: tuple[Package, ...] = ()


@dataclass(frozen=True, slots=True)
class FulfillmentOrderDetail:
    """An order with its items and shipments: what a read-back returns."""

    order: FulfillmentOrder
    items: tuple[FulfillmentItem, ...] = ()
    shipments: tuple[Shipment, ...] = ()

    @property
    def partly_cancelled(self) -> bool:
        """Some units were cancelled and others are still open."""
        cancelled = any(i.cancelled_quantity for i in self.items)
        return cancelled and any(i.open_quantity for i in self.items)


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    at: datetime | None
    code: str = ""
    where: str = ""
    meaning: str = ""
    """What ``code`` means (``Delivered``); empty when the service's catalog does not say."""


@dataclass(frozen=True, slots=True)
class Tracking:
    """Where one package is."""

    package_number: int
    status: str = ""
    carrier: str = ""
    tracking_number: str = ""
    shipped_at: datetime | None = None
    estimated_arrival_at: datetime | None = None
    signed_for_by: str = ""
    events: tuple[TrackingEvent, ...] = ()
    location: str = ""
    """Where the package was left, in the carrier's words (``FRONT_DOOR``)."""
