"""The SellerCenter sandbox as a plain ASGI app at ``/`` (spec/sellercenter.md §1, §3, §4).

Choices the documentation leaves open, made here once:

- **HTTP status.** Every ``ErrorResponse`` comes with HTTP 200, as the GFG SDKs expect
  (they treat any other status as unexpected), except E429, which comes with HTTP 429.
  Clients must read the body whatever the status.
- **Timestamp window.** A Timestamp more than 15 minutes (900 s) from the sandbox clock,
  either way, is E003. A Timestamp without an offset is taken as UTC.
- **Format.** ``JSON`` or ``XML`` in any case; absent means XML; anything else is E005
  (answered in XML).
- **Verbs.** Reads are accepted as GET or POST; ``SetStatusTo*`` must be POST (E005
  otherwise), stricter than the real servers are known to be, to catch client mistakes.
- **Checks, in order.** E001 (Action, Timestamp, UserID, Version, Signature missing),
  E002 Version, E004 Timestamp format, E003 Timestamp window, E007 unknown user or
  signature mismatch, E008 unknown Action, E429 the user's token bucket (catalog
  ``default_bucket`` unless the seed or ``throttle`` says otherwise), then the operation.
- **Shapes.** Every JSON scalar is a string and a collection of one is an object, as the
  real API does; an empty collection is ``""`` in JSON and an empty element in XML.
  Body dates are ``YYYY-MM-DD HH:MM:SS`` in UTC; ``Head.Timestamp`` is ``…+0000``.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

from mwstui.catalog import Throttle, load_catalog
from mwstui.clock import Clock
from mwstui.sandbox.sellercenter.state import (
    SandboxItem,
    SandboxOrder,
    SCError,
    SellerCenterState,
    sc_date,
)
from mwstui.sellercenter.signing import sign
from mwstui.throttle.token_bucket import TokenBucket

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SKEW_WINDOW = 900.0
"""Seconds a request's Timestamp may be off the sandbox clock before E003."""
_COMMON = ("Action", "Timestamp", "UserID", "Version", "Signature")


def create_sellercenter_app(
    state: SellerCenterState,
    clock: Clock,
    *,
    throttle: Throttle | None = None,
    skew_window: float = SKEW_WINDOW,
) -> ASGIApp:
    """An ASGI app serving ``state`` at ``/`` on ``clock``'s time.

    Args:
        state: the accounts, orders and reasons (it changes as calls cancel items).
        clock: the sandbox clock (Timestamp checks, throttle, item progress, dates).
        throttle: the per-user bucket; default ``state.throttle``, then the catalog's.
        skew_window: the E003 window in seconds.
    """
    section = load_catalog().sections["sellercenter"]
    limits = throttle or state.throttle or load_catalog().sellercenter_throttle()
    buckets: dict[str, TokenBucket] = {}

    def take_token(user: str) -> bool:
        now = clock.time()
        b = buckets.setdefault(
            user, TokenBucket(limits.capacity, limits.restore_seconds, limits.capacity, now)
        )
        if b.seconds_until(now) > 0:
            return False
        b.take(now)
        return True

    def verify(method: str, p: dict[str, str]) -> str:
        for name in _COMMON:
            if not p.get(name):
                raise SCError("E001", f"Parameter {name} is mandatory")
        if p["Version"] != section.version:
            raise SCError("E002", "Invalid Version")
        try:
            ts = datetime.fromisoformat(p["Timestamp"].strip())
        except ValueError:
            raise SCError("E004", "Invalid Timestamp format") from None
        ts = ts if ts.tzinfo else ts.replace(tzinfo=UTC)
        if abs(ts.timestamp() - clock.time()) > skew_window:
            raise SCError("E003", "Timestamp has expired")
        key = state.accounts.get(p["UserID"])
        good = key is not None and hmac.compare_digest(sign(key, p), p["Signature"].lower())
        if not good:
            raise SCError("E007", "Login failed. Signature mismatching")
        action = p["Action"]
        op = section.operations.get(action)
        if op is None:
            raise SCError("E008", "Invalid Action")
        if op.mutating and method != "POST":
            raise SCError("E005", f"Invalid Request Format ({action} must be POST)")
        if not take_token(p["UserID"]):
            raise SCError("E429", "Too many requests")
        return action

    def handle(method: str, p: dict[str, str], fmt: str) -> tuple[int, bytes]:
        now = clock.time()
        action = p.get("Action", "")
        try:
            if fmt not in ("JSON", "XML"):
                raise SCError("E005", "Invalid Request Format")
            action = verify(method, p)
            state.advance(now)
            head, body = _operate(state, action, p, now)
        except SCError as err:
            head = {
                "RequestAction": action,
                "ErrorType": err.error_type,
                "ErrorCode": err.code.lstrip("E").lstrip("0") or "0",
                "ErrorMessage": err.message,
            }
            status = 429 if err.code == "E429" else 200
            return status, _render("ErrorResponse", head, "", fmt)
        full = {"RequestId": "", "RequestAction": action, **head}
        full["Timestamp"] = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
        return 200, _render("SuccessResponse", full, body, fmt)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass  # every parameter is in the query string; a body is ignored
        method = str(scope["method"]).upper()
        query = bytes(scope.get("query_string", b"")).decode("latin-1")
        params = dict(parse_qsl(query, keep_blank_values=True))
        fmt = (params.get("Format") or "XML").upper()
        if scope.get("path", "/") not in ("", "/") or method not in ("GET", "POST"):
            status, body = 404, _render(
                "ErrorResponse",
                {"RequestAction": params.get("Action", ""), "ErrorType": "Sender",
                 "ErrorCode": "5", "ErrorMessage": "E005: Invalid Request Format"},
                "", "XML",
            )  # fmt: skip
            fmt = "XML"
        else:
            status, body = handle(method, params, fmt)
        ctype = "application/json" if fmt == "JSON" else "application/xml"
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", f"{ctype}; charset=utf-8".encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"date", formatdate(clock.time(), usegmt=True).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return app


def _operate(
    state: SellerCenterState, action: str, p: dict[str, str], now: float
) -> tuple[dict[str, str], Any]:
    """Run one operation: the extra Head fields and the Body."""
    cur = state.currency
    if action == "GetOrders":
        page, total = state.get_orders(p)
        body = {"Orders": _many([_order(o) for o in page], "Order")}
        return {"ResponseType": "Orders", "TotalCount": str(total)}, body
    if action == "GetOrder":
        return {"ResponseType": "Orders"}, {"Orders": _many([_order(state.get_order(p))], "Order")}
    if action == "GetOrderItems":
        items = [_item(i, cur) for i in state.get_order(p).items]
        return {"ResponseType": "OrderItems"}, {"OrderItems": _many(items, "OrderItem")}
    if action == "GetMultipleOrderItems":
        orders = [
            {
                "OrderId": str(o.order_id),
                "OrderNumber": o.order_number,
                "OrderItems": _many([_item(i, cur) for i in o.items], "OrderItem"),
            }
            for o in state.get_multiple(p)
        ]
        return {"ResponseType": "Orders"}, {"Orders": _many(orders, "Order")}
    if action == "GetFailureReasons":
        reasons = [{"Type": t, "Name": n} for t, n in state.reasons]
        return {"ResponseType": "Reasons"}, {"Reasons": _many(reasons, "Reason")}
    if action == "SetStatusToCanceled":
        state.cancel(p, now)
        return {"ResponseType": ""}, ""
    if action == "SetStatusToReadyToShip":
        state.ready_to_ship(p, now)
        return {"ResponseType": ""}, ""
    raise SCError("E008", "Invalid Action")  # in the catalog but not simulated


def _many(values: list[Any], inner: str) -> Any:
    """A collection as the API sends it: empty ``""``, one an object, several a list."""
    if not values:
        return ""
    return {inner: values[0] if len(values) == 1 else values}


def _money(value: Any) -> str:
    return f"{value:.2f}"


def _address(o: SandboxOrder) -> dict[str, str]:
    return {
        "FirstName": o.customer_first_name, "LastName": o.customer_last_name,
        "Phone": "", "Phone2": "", "Address1": f"{o.order_id % 97 + 1} Market Street",
        "Address2": "", "Address3": "", "Address4": "", "Address5": "",
        "CustomerEmail": "", "City": o.city, "Ward": "", "Region": "",
        "PostCode": "", "Country": o.country,
    }  # fmt: skip


def _order(o: SandboxOrder) -> dict[str, Any]:
    created = sc_date(o.created_at)
    return {
        "OrderId": str(o.order_id), "CustomerFirstName": o.customer_first_name,
        "CustomerLastName": o.customer_last_name, "OrderNumber": o.order_number,
        "PaymentMethod": o.payment_method, "Remarks": o.remarks, "DeliveryInfo": "",
        "Price": _money(o.price), "GiftOption": "0", "GiftMessage": "", "VoucherCode": "",
        "CreatedAt": created, "UpdatedAt": sc_date(o.updated_at), "AddressUpdatedAt": created,
        "AddressBilling": _address(o), "AddressShipping": _address(o),
        "NationalRegistrationNumber": "", "ItemsCount": str(len(o.items)),
        "PromisedShippingTime": sc_date(o.created_at + 2 * 86_400), "ExtraAttributes": "",
        "Statuses": _many(o.statuses, "Status"),
    }  # fmt: skip


def _item(i: SandboxItem, currency: str) -> dict[str, str]:
    return {
        "OrderItemId": str(i.order_item_id), "ShopId": f"SB{i.order_item_id}",
        "OrderId": str(i.order_id), "Name": i.name, "Sku": i.sku, "Variation": "",
        "ShopSku": f"{i.sku}-SB", "ShippingType": i.shipping_type,
        "ItemPrice": _money(i.price), "PaidPrice": _money(i.price), "Currency": currency,
        "WalletCredits": "0.00", "TaxAmount": "0.00", "CodCollectableAmount": "0.00",
        "ShippingAmount": "0.00", "ShippingServiceCost": "0.00", "VoucherAmount": "0.00",
        "VoucherCode": "", "Status": i.status, "IsProcessable": "1",
        "ShipmentProvider": i.shipment_provider, "IsDigital": "0", "DigitalDeliveryInfo": "",
        "TrackingCode": i.tracking_code, "TrackingCodePre": "", "Reason": i.reason,
        "ReasonDetail": i.reason_detail, "PurchaseOrderId": "0", "PurchaseOrderNumber": "",
        "PackageId": "", "PromisedShippingTime": sc_date(i.created_at + 2 * 86_400),
        "ExtraAttributes": "", "ShippingProviderType": "standard",
        "CreatedAt": sc_date(i.created_at), "UpdatedAt": sc_date(i.updated_at),
        "ReturnStatus": "",
    }  # fmt: skip


def _render(root: str, head: dict[str, str], body: Any, fmt: str) -> bytes:
    doc = {"Head": head, "Body": body}
    if fmt == "JSON":
        return json.dumps({root: doc}, ensure_ascii=False).encode("utf-8")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + _xml(root, doc)).encode("utf-8")


def _xml(name: str, value: Any) -> str:
    if isinstance(value, list):
        return "".join(_xml(name, v) for v in value)
    if isinstance(value, dict):
        return f"<{name}>{''.join(_xml(k, v) for k, v in value.items())}</{name}>"
    if value is None or value == "":
        return f"<{name}/>"
    return f"<{name}>{escape(str(value))}</{name}>"


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        msg = await receive()
        if msg["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif msg["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
