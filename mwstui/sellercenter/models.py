"""Typed SellerCenter orders, order items and failure reasons (spec/sellercenter.md §3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from mwstui.catalog import load_catalog


class OrderItemStatus(str):
    """An order item status as the server sent it; unknown values are kept verbatim.

    It is a plain ``str`` (compares equal to ``"pending"``) that also knows whether the
    catalog lists it and whether it can be cancelled.
    """

    __slots__ = ()

    @property
    def known(self) -> bool:
        """True when the catalog lists this status."""
        return str(self) in load_catalog().sellercenter["order_item_status"]

    @property
    def cancellable(self) -> bool:
        """True when SetStatusToCanceled accepts an item in this status (spec §3.6)."""
        return str(self) in load_catalog().sellercenter["order_item_status_cancellable"]


@dataclass(frozen=True, slots=True)
class Address:
    """A billing or shipping address (every field optional: instances differ)."""

    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    phone2: str = ""
    address_lines: tuple[str, ...] = ()
    """Address1 … Address5, empty ones left out."""
    customer_email: str = ""
    city: str = ""
    ward: str = ""
    region: str = ""
    post_code: str = ""
    country: str = ""


@dataclass(frozen=True, slots=True)
class Order:
    """One order of GetOrders / GetOrder. It has no status of its own: see ``statuses``.

    Dates carry the zone of the response's ``Head.Timestamp`` (UTC when it has none),
    since the bodies' ``YYYY-MM-DD HH:MM:SS`` dates have no zone (spec §3).
    """

    order_id: str
    order_number: str
    customer_first_name: str
    customer_last_name: str
    price: Decimal | None
    created_at: datetime | None
    updated_at: datetime | None
    items_count: int | None
    statuses: list[OrderItemStatus]
    """The distinct statuses of the order's items."""
    payment_method: str = ""
    remarks: str = ""
    delivery_info: str = ""
    gift_option: bool = False
    gift_message: str = ""
    voucher_code: str = ""
    promised_shipping_time: datetime | None = None
    address_updated_at: datetime | None = None
    national_registration_number: str = ""
    address_billing: Address = field(default_factory=Address)
    address_shipping: Address = field(default_factory=Address)
    extra_attributes: str = ""
    """A JSON document as a string, verbatim."""

    @property
    def customer_name(self) -> str:
        """First and last name, as the list shows it."""
        return " ".join(p for p in (self.customer_first_name, self.customer_last_name) if p)


@dataclass(frozen=True, slots=True)
class OrderItem:
    """One order item of GetOrderItems / GetMultipleOrderItems: the unit that is cancelled."""

    order_item_id: str
    order_id: str
    name: str
    sku: str
    shop_sku: str
    status: OrderItemStatus
    item_price: Decimal | None
    paid_price: Decimal | None
    currency: str
    shipping_type: str
    tracking_code: str
    reason: str
    reason_detail: str
    is_processable: bool
    created_at: datetime | None
    updated_at: datetime | None
    variation: str = ""
    shop_id: str = ""
    shipment_provider: str = ""
    package_id: str = ""
    purchase_order_number: str = ""
    tax_amount: Decimal | None = None
    shipping_amount: Decimal | None = None
    voucher_amount: Decimal | None = None
    voucher_code: str = ""
    promised_shipping_time: datetime | None = None
    return_status: str = ""
    is_digital: bool = False
    extra_attributes: str = ""


@dataclass(frozen=True, slots=True)
class FailureReason:
    """A reason of GetFailureReasons; ``name`` is what SetStatusToCanceled takes as Reason."""

    type: str
    """``canceled``, ``failed``, ``returned`` or ``return_rejected`` (kept verbatim)."""
    name: str


@dataclass(frozen=True, slots=True)
class OrdersPage:
    """One page of GetOrders."""

    orders: list[Order]
    total_count: int
    """Head.TotalCount: every order matching the filters, all pages together."""
    offset: int
    """The Offset this page was asked for."""
