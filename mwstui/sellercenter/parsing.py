"""Turn SellerCenter answers (JSON or XML) into envelopes and typed models.

Both formats are read into the same nested-dict shape (``xmltodict`` for XML), then one
set of functions builds the models. Every scalar may be a string, an empty value may be
``""``, ``None`` or ``{}``, and a collection of one arrives as an object instead of a
list (spec §3): ``as_list`` absorbs all of that.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.parsers.expat import ExpatError

import xmltodict

from mwstui import wire
from mwstui.sellercenter.models import (
    Address,
    FailureReason,
    Order,
    OrderItem,
    OrderItemStatus,
)

SUCCESS = "SuccessResponse"
ERROR = "ErrorResponse"


class ParseError(ValueError):
    """The body is not a SellerCenter envelope (the client maps it to MalformedResponseError)."""


@dataclass(frozen=True, slots=True)
class Envelope:
    """A decoded answer: which root key, its Head and its Body."""

    ok: bool
    """True for ``SuccessResponse``, False for ``ErrorResponse``."""
    head: dict[str, Any]
    body: Any

    def head_text(self, name: str) -> str:
        """A Head field as text, ``""`` when absent or empty."""
        return text(self.head.get(name))


def decode(content: bytes) -> Envelope:
    """Decode a JSON or XML body (sniffed from its first character) into an Envelope.

    Raises:
        ParseError: not JSON/XML, or neither root key is present.
    """
    raw = content.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    try:
        # Bounded before parsing: json recurses, and so does every reader of the result.
        if raw.startswith("<"):
            wire.check_xml_depth(raw.encode("utf-8"))
            doc: Any = xmltodict.parse(raw, disable_entities=True)
        elif raw.startswith(("{", "[")):
            wire.check_json_depth(raw.encode("utf-8"))
            doc = json.loads(raw)
        else:
            raise ParseError("neither JSON nor XML")
    except wire.TooDeep as exc:
        raise ParseError(f"malformed response: {exc}") from None
    except RecursionError:  # the depth check's backstop
        raise ParseError("malformed response: too deep") from None
    except (ValueError, ExpatError) as exc:
        raise ParseError(f"unreadable body: {exc}") from None
    if not isinstance(doc, dict):
        raise ParseError("the body is not an object")
    for key, ok in ((SUCCESS, True), (ERROR, False)):
        if key in doc:
            inner = doc[key] if isinstance(doc[key], dict) else {}
            head = inner.get("Head")
            return Envelope(ok, head if isinstance(head, dict) else {}, inner.get("Body"))
    raise ParseError("no SuccessResponse or ErrorResponse root")


# -- scalars ---------------------------------------------------------------------------------


def text(value: Any) -> str:
    """A scalar as text; empty for None, ``{}`` and ``[]`` (how empty elements arrive)."""
    if isinstance(value, dict) and isinstance(inner := value.get("#text"), str):
        return inner  # an XML element that carried attributes
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def as_list(value: Any) -> list[Any]:
    """A collection that may be missing, empty, a single object or a list, as a list."""
    if value is None or value == "" or value == {}:
        return []
    if isinstance(value, list):
        return [v for v in value if v is not None]
    return [value]


def child_list(parent: Any, outer: str, inner: str) -> list[Any]:
    """``parent[outer][inner]`` as a list (``Orders`` → ``Order``), any shape accepted."""
    if not isinstance(parent, dict):
        return []
    node = parent.get(outer)
    if isinstance(node, dict):
        return as_list(node.get(inner))
    # Some answers skip the singular level: "Statuses": ["pending", …].
    return as_list(node)


def decimal(value: Any) -> Decimal | None:
    """A money amount, None when empty or not a number."""
    s = text(value).strip().replace(",", "")
    if not s:
        return None
    try:
        d = Decimal(s)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def integer(value: Any) -> int | None:
    s = text(value).strip()
    try:
        return int(s)
    except ValueError:
        return None


def flag(value: Any) -> bool:
    """``1``/``0`` (or ``true``/``false``) as a bool."""
    return text(value).strip().lower() in {"1", "true", "yes"}


def timestamp(value: Any, tz: tzinfo = UTC) -> datetime | None:
    """A body date (``YYYY-MM-DD HH:MM:SS``, or ISO 8601); ``tz`` is given to zone-less ones."""
    s = text(value).strip()
    if not s or s.startswith("0000-00-00"):
        return None
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=tz)


def head_zone(envelope: Envelope) -> tzinfo:
    """The zone of ``Head.Timestamp``: body dates are read in it (UTC when unknown)."""
    dt = timestamp(envelope.head.get("Timestamp"))
    return dt.tzinfo if dt is not None and dt.tzinfo is not None else UTC


# -- models ----------------------------------------------------------------------------------


def _required(d: dict[str, Any], name: str) -> str:
    value = text(d.get(name)).strip()
    if not value:
        raise ParseError(f"{name} missing")
    return value


def _objects(values: list[Any], what: str) -> list[dict[str, Any]]:
    if not all(isinstance(v, dict) for v in values):
        raise ParseError(f"{what} is not an object")
    return values


def address(value: Any) -> Address:
    d = value if isinstance(value, dict) else {}
    lines = tuple(t for i in range(1, 6) if (t := text(d.get(f"Address{i}"))))
    return Address(
        first_name=text(d.get("FirstName")),
        last_name=text(d.get("LastName")),
        phone=text(d.get("Phone")),
        phone2=text(d.get("Phone2")),
        address_lines=lines,
        customer_email=text(d.get("CustomerEmail")),
        city=text(d.get("City")),
        ward=text(d.get("Ward")),
        region=text(d.get("Region")),
        post_code=text(d.get("PostCode")),
        country=text(d.get("Country")),
    )


def order(d: dict[str, Any], tz: tzinfo = UTC) -> Order:
    """One ``Order`` object."""
    statuses = [OrderItemStatus(text(s)) for s in child_list(d, "Statuses", "Status") if text(s)]
    return Order(
        order_id=_required(d, "OrderId"),
        order_number=text(d.get("OrderNumber")),
        customer_first_name=text(d.get("CustomerFirstName")),
        customer_last_name=text(d.get("CustomerLastName")),
        price=decimal(d.get("Price")),
        created_at=timestamp(d.get("CreatedAt"), tz),
        updated_at=timestamp(d.get("UpdatedAt"), tz),
        items_count=integer(d.get("ItemsCount")),
        statuses=statuses,
        payment_method=text(d.get("PaymentMethod")),
        remarks=text(d.get("Remarks")),
        delivery_info=text(d.get("DeliveryInfo")),
        gift_option=flag(d.get("GiftOption")),
        gift_message=text(d.get("GiftMessage")),
        voucher_code=text(d.get("VoucherCode")),
        promised_shipping_time=timestamp(
            d.get("PromisedShippingTime", d.get("PromisedShippingTimes")), tz
        ),
        address_updated_at=timestamp(d.get("AddressUpdatedAt"), tz),
        national_registration_number=text(d.get("NationalRegistrationNumber")),
        address_billing=address(d.get("AddressBilling")),
        address_shipping=address(d.get("AddressShipping")),
        extra_attributes=text(d.get("ExtraAttributes")),
    )


def order_item(d: dict[str, Any], tz: tzinfo = UTC) -> OrderItem:
    """One ``OrderItem`` object."""
    return OrderItem(
        order_item_id=_required(d, "OrderItemId"),
        order_id=text(d.get("OrderId")),
        name=text(d.get("Name")),
        sku=text(d.get("Sku")),
        shop_sku=text(d.get("ShopSku")),
        status=OrderItemStatus(text(d.get("Status"))),
        item_price=decimal(d.get("ItemPrice")),
        paid_price=decimal(d.get("PaidPrice")),
        currency=text(d.get("Currency")),
        shipping_type=text(d.get("ShippingType")),
        tracking_code=text(d.get("TrackingCode")),
        reason=text(d.get("Reason")),
        reason_detail=text(d.get("ReasonDetail")),
        is_processable=flag(d.get("IsProcessable")),
        created_at=timestamp(d.get("CreatedAt"), tz),
        updated_at=timestamp(d.get("UpdatedAt"), tz),
        variation=text(d.get("Variation")),
        shop_id=text(d.get("ShopId")),
        shipment_provider=text(d.get("ShipmentProvider")),
        package_id=text(d.get("PackageId")),
        purchase_order_number=text(d.get("PurchaseOrderNumber")),
        tax_amount=decimal(d.get("TaxAmount")),
        shipping_amount=decimal(d.get("ShippingAmount")),
        voucher_amount=decimal(d.get("VoucherAmount")),
        voucher_code=text(d.get("VoucherCode")),
        promised_shipping_time=timestamp(d.get("PromisedShippingTime"), tz),
        return_status=text(d.get("ReturnStatus")),
        is_digital=flag(d.get("IsDigital")),
        extra_attributes=text(d.get("ExtraAttributes")),
    )


def orders(body: Any, tz: tzinfo = UTC) -> list[Order]:
    """``Body.Orders.Order`` (GetOrders, GetOrder)."""
    return [order(d, tz) for d in _objects(child_list(body, "Orders", "Order"), "Order")]


def order_items(body: Any, tz: tzinfo = UTC) -> list[OrderItem]:
    """``Body.OrderItems.OrderItem`` (GetOrderItems)."""
    found = _objects(child_list(body, "OrderItems", "OrderItem"), "OrderItem")
    return [order_item(d, tz) for d in found]


def multiple_order_items(body: Any, tz: tzinfo = UTC) -> dict[str, list[OrderItem]]:
    """``Body.Orders.Order[].OrderItems.OrderItem`` (GetMultipleOrderItems), by OrderId."""
    out: dict[str, list[OrderItem]] = {}
    for d in _objects(child_list(body, "Orders", "Order"), "Order"):
        out.setdefault(_required(d, "OrderId"), []).extend(order_items(d, tz))
    return out


def failure_reasons(body: Any) -> list[FailureReason]:
    """``Body.Reasons.Reason`` (GetFailureReasons)."""
    found = _objects(child_list(body, "Reasons", "Reason"), "Reason")
    return [FailureReason(type=text(d.get("Type")), name=text(d.get("Name"))) for d in found]
