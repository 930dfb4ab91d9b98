"""The operations of Fulfillment Outbound Shipment 2010-10-01, against a seller's state.

Validation errors use ``InvalidRequestException`` (400), the code recorded for this
section; the wording of a few messages follows observed ones (``Value AllQuantityZero
for parameter  is invalid.``). Codes the documentation never pinned down (cancel in a
non-cancellable status, an unknown order) are listed in docs/API.md.
"""

from __future__ import annotations

import hashlib
import json

from mwstui.catalog import load_catalog
from mwstui.sandbox.fulfillment_model import FulfillmentOrder, Money, OrderItem
from mwstui.sandbox.mws import fulfillment_render as render
from mwstui.sandbox.mws.call import Call, Handler, XmlResult
from mwstui.sandbox.mws.fault import MWSFault, fba_invalid
from mwstui.sandbox.mws.fulfillment_preview import preview
from mwstui.sandbox.mws.fulfillment_returns import create_return, return_reason_codes
from mwstui.sandbox.mws.params import Params
from mwstui.sandbox.mws.xml_render import ms_date

_CATALOG = load_catalog()
_ENUMS = _CATALOG.mws_enums
_LIMITS = _ENUMS["limits"]
_PAGE = _CATALOG.sections["fulfillment"].page_size
_LOOKBACK = 36 * 3600.0
SERVICE_STATUS = "GREEN"


def not_found(order_id: str) -> MWSFault:
    return fba_invalid(f"Requested order '{order_id}' not found")


def order_of(call: Call) -> FulfillmentOrder:
    p = call.params
    oid = p.required("SellerFulfillmentOrderId")
    p.max_length("SellerFulfillmentOrderId", int(_LIMITS["SellerFulfillmentOrderId"]))
    order = call.seller.fulfillment.orders.get(oid)
    if order is None or order.received > call.now:
        raise not_found(oid)
    return order


def read_address(p: Params, prefix: str, *, required: bool = True) -> dict[str, str] | None:
    """An Address struct: required fields, lengths, US postal code, ISO country code."""
    a = {k: v for k, v in p.struct(prefix).items() if k in render.ADDRESS_FIELDS and v}
    if not a and not required:
        return None
    country = a.get("CountryCode", "")
    needed = ["Name", "Line1", "StateOrProvinceCode", "CountryCode"]
    needed += [] if country == "JP" else ["City"]
    needed += ["PostalCode"] if country == "US" else []
    for name in needed:
        if not a.get(name):
            raise fba_invalid(f"Value for parameter {prefix}.{name} is required.")
    limits = {
        "Name": 50,
        "Line1": 60,
        "Line2": 60,
        "Line3": 60,
        "DistrictOrCounty": 150,
        "City": 50,
        "StateOrProvinceCode": 150,
        "PostalCode": 20,
        "PhoneNumber": 20,
    }
    for name, limit in limits.items():
        if len(a.get(name, "")) > limit:
            raise fba_invalid(f"Value {a[name]} for parameter {prefix}.{name} is invalid.")
    if len(country) != 2 or not country.isalpha() or not country.isupper():
        raise fba_invalid(f"Value {country} for parameter {prefix}.CountryCode is invalid.")
    return a


def _money(fields: dict[str, str], name: str) -> Money | None:
    cur, val = fields.get(f"{name}.CurrencyCode"), fields.get(f"{name}.Value")
    if cur is None and val is None:
        return None
    if not cur or not val or len(cur) != 3:
        raise fba_invalid(f"Value for parameter {name} is invalid.")
    try:
        float(val)
    except ValueError:
        raise fba_invalid(f"Value {val} for parameter {name}.Value is invalid.") from None
    return Money(cur, val)


def read_items(p: Params, *, creating: bool) -> list[OrderItem]:
    """``Items.member.N.*``; on create every line needs SKU, item id and quantity."""
    rows = p.members("Items")
    if creating and not rows:
        raise fba_invalid("Value for parameter Items is required.")
    items: list[OrderItem] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, 1):
        item_id = row.get("SellerFulfillmentOrderItemId", "")
        sku = row.get("SellerSKU", "")
        if not item_id or (creating and not sku):
            raise fba_invalid(f"Value for parameter Items.member.{n} is incomplete.")
        if len(sku) > int(_LIMITS["SellerSKU"]) or len(item_id) > int(
            _LIMITS["SellerFulfillmentOrderItemId"]
        ):
            raise fba_invalid(f"Value {item_id} for parameter Items.member.{n} is invalid.")
        if item_id in seen:
            raise fba_invalid(
                f"Value {item_id} for parameter SellerFulfillmentOrderItemId is invalid."
            )
        seen.add(item_id)
        try:
            qty = int(row.get("Quantity", "0" if not creating else ""))
        except ValueError:
            raise fba_invalid(
                f"Value for parameter Items.member.{n}.Quantity is invalid."
            ) from None
        if qty < 0:
            raise fba_invalid(f"Value {qty} for parameter Items.member.{n}.Quantity is invalid.")
        items.append(
            OrderItem(
                sku=sku,
                item_id=item_id,
                quantity=qty,
                gift_message=row.get("GiftMessage"),
                comment=row.get("DisplayableComment"),
                fnsku=row.get("FulfillmentNetworkSKU"),
                declared_value=_money(row, "PerUnitDeclaredValue"),
                per_unit_price=_money(row, "PerUnitPrice"),
                per_unit_tax=_money(row, "PerUnitTax"),
            )
        )
    if creating and all(i.quantity == 0 for i in items):
        raise fba_invalid("Value AllQuantityZero for parameter  is invalid.")
    return items


def _marketplace(call: Call) -> str:
    m = call.params.get("MarketplaceId")
    markets = call.seller.account.marketplaces
    if m is None:
        return markets[0] if markets else ""
    if m not in markets:
        raise fba_invalid(f"Value {m} for parameter MarketplaceId is invalid.")
    return m


def _order_fields(call: Call, *, creating: bool) -> dict[str, object]:
    """The header fields of Create/UpdateFulfillmentOrder, validated."""
    p = call.params
    req = p.required if creating else p.get
    fields: dict[str, object] = {}
    did = req("DisplayableOrderId")
    if did is not None:
        did_ok = did == did.strip() and "  " not in did and 0 < len(did) <= 40
        try:
            did.encode("latin-1")
        except UnicodeEncodeError:
            did_ok = False
        if not did_ok:
            raise fba_invalid(f"Value {did} for parameter DisplayableOrderId is invalid.")
        fields["displayable_id"] = did
    if req("DisplayableOrderDateTime") is not None:
        fields["displayable_date"] = p.date("DisplayableOrderDateTime")
    comment = req("DisplayableOrderComment")
    if comment is not None:
        p.max_length("DisplayableOrderComment", int(_LIMITS["DisplayableOrderComment"]))
        fields["comment"] = comment
    speed = req("ShippingSpeedCategory")
    if speed is not None:
        p.enum("ShippingSpeedCategory", _ENUMS["shipping_speed_category"])
        if speed == "ScheduledDelivery":
            # Scheduled delivery needs a window from a JP preview; the sandbox has none.
            raise fba_invalid("ScheduledDelivery is only offered in the JP marketplace.")
        fields["speed"] = speed
    address = read_address(p, "DestinationAddress", required=creating)
    if address is not None:
        fields["address"] = address
    policy = p.enum("FulfillmentPolicy", _ENUMS["fulfillment_policy"])
    if policy is not None or creating:
        fields["policy"] = policy or "FillOrKill"
    emails = p.member_values("NotificationEmailList")
    if any(len(e) > 64 or "@" not in e for e in emails):
        raise fba_invalid("Value for parameter NotificationEmailList is invalid.")
    if emails:
        fields["emails"] = emails
    if p.struct("CODSettings"):
        raise fba_invalid("CODSettings are only supported in the JP marketplace.")
    return fields


def create_fulfillment_order(call: Call) -> XmlResult:
    p, state = call.params, call.seller.fulfillment
    oid = p.required("SellerFulfillmentOrderId")
    p.max_length("SellerFulfillmentOrderId", int(_LIMITS["SellerFulfillmentOrderId"]))
    fields = _order_fields(call, creating=True)
    action = p.enum("FulfillmentAction", _ENUMS["fulfillment_action"], "Ship") or "Ship"
    marketplace = _marketplace(call)
    items = read_items(p, creating=True)
    # The same request sent again (a retry after a lost answer) is accepted once more.
    signature = {k: v for k, v in p.values.items() if not _is_auth_param(k)}
    fingerprint = hashlib.sha256(json.dumps(signature, sort_keys=True).encode()).hexdigest()
    existing = state.orders.get(oid)
    if existing is not None:
        if existing.fingerprint == fingerprint:
            return XmlResult(None)
        raise fba_invalid(
            f"Value {oid} for parameter SellerFulfillmentOrderId is invalid: duplicate."
        )
    for item in items:
        if item.sku not in state.inventory:
            raise fba_invalid(f"Value {item.sku} for parameter SellerSKU is invalid.")
    short = state.allocate(items, str(fields["policy"]))
    if short and fields["policy"] == "FillOrKill":
        raise fba_invalid(f"Insufficient inventory to fulfill SellerSKU {short[0]}.")
    for item in items:
        item.fnsku = item.fnsku or state.inventory[item.sku].fnsku
    order = FulfillmentOrder(
        order_id=oid,
        displayable_id=str(fields["displayable_id"]),
        displayable_date=float(fields["displayable_date"]),  # type: ignore[arg-type]
        comment=str(fields["comment"]),
        speed=str(fields["speed"]),
        address=fields["address"],  # type: ignore[arg-type]
        policy=str(fields["policy"]),
        action=action,
        marketplace_id=marketplace,
        emails=list(fields.get("emails", [])),  # type: ignore[call-overload]
        items=items,
        received=call.now,
        phases=[],
        fingerprint=fingerprint,
    )
    state.start(order, call.now)
    state.add(order)
    return XmlResult(None)


def _is_auth_param(name: str) -> bool:
    return name in {
        "Signature",
        "Timestamp",
        "Expires",
        "AWSAccessKeyId",
        "SignatureMethod",
        "SignatureVersion",
        "MWSAuthToken",
    }


def update_fulfillment_order(call: Call) -> XmlResult:
    order = order_of(call)
    if not order.on_hold(call.now):
        raise fba_invalid(
            f"Order {order.order_id} cannot be updated: it is not on hold "
            f"(status {order.status(call.now)})."
        )
    fields = _order_fields(call, creating=False)
    action = call.params.enum("FulfillmentAction", _ENUMS["fulfillment_action"], "Hold")
    known = {i.item_id: i for i in order.items}
    rows = call.params.members("Items")
    for n, row in enumerate(rows, 1):
        item = known.get(row.get("SellerFulfillmentOrderItemId", ""))
        if item is None:
            raise fba_invalid(
                f"Value for parameter Items.member.{n}.SellerFulfillmentOrderItemId is invalid."
            )
        qty = row.get("Quantity")
        if qty is not None and (not qty.isdigit() or int(qty) > item.quantity + _stock(call, item)):
            raise fba_invalid(f"Value {qty} for parameter Items.member.{n}.Quantity is invalid.")
    for key, value in fields.items():
        setattr(order, key, value)
    for row in rows:
        item = known[row["SellerFulfillmentOrderItemId"]]
        if "Quantity" in row:
            _requantify(call, item, int(row["Quantity"]))
        item.gift_message = row.get("GiftMessage", item.gift_message)
        item.comment = row.get("DisplayableComment", item.comment)
    if action == "Ship":
        call.seller.fulfillment.release(order, call.now)
    return XmlResult(None)


def _stock(call: Call, item: OrderItem) -> int:
    inv = call.seller.fulfillment.inventory.get(item.sku)
    return 0 if inv is None else inv.quantity


def _requantify(call: Call, item: OrderItem, quantity: int) -> None:
    # A held order already holds its stock: give back or take only the difference.
    inv = call.seller.fulfillment.inventory.get(item.sku)
    if inv is not None:
        inv.quantity += (item.quantity - item.unfulfillable) - quantity
    item.quantity, item.unfulfillable = quantity, 0


def cancel_fulfillment_order(call: Call) -> XmlResult:
    order = order_of(call)
    status = order.status(call.now)
    if status not in _ENUMS["fulfillment_order_status_cancellable"]:
        raise fba_invalid(f"Order {order.order_id} cannot be cancelled: its status is {status}.")
    call.seller.fulfillment.cancel(order, call.now)
    return XmlResult(None)


def get_fulfillment_order(call: Call) -> XmlResult:
    return XmlResult(render.order_detail(order_of(call), call.now))


def _orders_page(call: Call, ids: list[str], token: str | None) -> XmlResult:
    orders = call.seller.fulfillment.orders
    return XmlResult(
        [
            ("NextToken", token),
            (
                "FulfillmentOrders",
                render.members([render.order_node(orders[i], call.now) for i in ids]),
            ),
        ]
    )


def list_all_fulfillment_orders(call: Call) -> XmlResult:
    since = call.params.date("QueryStartDateTime")
    since = call.now - _LOOKBACK if since is None else since
    methods = call.params.member_values("FulfillmentMethod")
    ids = (
        []
        if methods and "Consumer" not in methods
        else (call.seller.fulfillment.updated_since(since, call.now))
    )
    page = call.seller.tokens.first_page(call.seller_id, "orders", ids, _PAGE)
    return _orders_page(call, page.ids, page.next_token)


def list_all_fulfillment_orders_by_next_token(call: Call) -> XmlResult:
    token = call.params.required("NextToken")
    page = call.seller.tokens.next_page(call.seller_id, "orders", token, _PAGE)
    return _orders_page(call, page.ids, page.next_token)


def get_package_tracking_details(call: Call) -> XmlResult:
    raw = call.params.required("PackageNumber")
    if not raw.isdigit():
        raise fba_invalid(f"Value {raw} for parameter PackageNumber is invalid.")
    found = call.seller.fulfillment.package(int(raw), call.now)
    if found is None:
        raise fba_invalid(f"Value {raw} for parameter PackageNumber is invalid.")
    return XmlResult(render.tracking_node(found[0], found[1], call.now))


def get_fulfillment_preview(call: Call) -> XmlResult:
    p = call.params
    address = read_address(p, "Address")
    items = read_items(p, creating=True)
    speeds = p.member_values("ShippingSpeedCategories")
    for s in speeds:
        if s not in _ENUMS["shipping_speed_category"]:
            raise fba_invalid(f"Value {s} for parameter ShippingSpeedCategories is invalid.")
    assert address is not None
    nodes = preview(call.seller.fulfillment, _marketplace(call), items, speeds, call.now)
    return XmlResult([("FulfillmentPreviews", render.members(nodes))])


def get_service_status(call: Call) -> XmlResult:
    return XmlResult([("Status", SERVICE_STATUS), ("Timestamp", ms_date(call.now))])


HANDLERS: dict[str, Handler] = {
    "GetFulfillmentPreview": get_fulfillment_preview,
    "CreateFulfillmentOrder": create_fulfillment_order,
    "UpdateFulfillmentOrder": update_fulfillment_order,
    "GetFulfillmentOrder": get_fulfillment_order,
    "ListAllFulfillmentOrders": list_all_fulfillment_orders,
    "ListAllFulfillmentOrdersByNextToken": list_all_fulfillment_orders_by_next_token,
    "GetPackageTrackingDetails": get_package_tracking_details,
    "CancelFulfillmentOrder": cancel_fulfillment_order,
    "ListReturnReasonCodes": return_reason_codes,
    "CreateFulfillmentReturn": create_return,
    "GetServiceStatus": get_service_status,
}
"""Operation name → handler; the app checks it covers the catalog's section."""
