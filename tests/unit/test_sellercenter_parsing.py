"""SellerCenter parsing: JSON and XML, strings everywhere, one-vs-many collections."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from mwstui.sellercenter import parsing
from mwstui.sellercenter.models import OrderItemStatus

ORDER = {
    "OrderId": "1001",
    "OrderNumber": "300001",
    "CustomerFirstName": "Ada",
    "CustomerLastName": "Lovelace",
    "PaymentMethod": "CashOnDelivery",
    "Remarks": "[b]bold[/b]",
    "Price": "24,990.00",
    "GiftOption": "0",
    "CreatedAt": "2025-12-30 10:11:12",
    "UpdatedAt": "2025-12-31 08:00:00",
    "ItemsCount": "2",
    "AddressShipping": {"FirstName": "Ada", "Address1": "1 Main St", "Address3": "Flat 2"},
    "Statuses": {"Status": "pending"},
}
ITEM = {
    "OrderItemId": "9001",
    "OrderId": "1001",
    "Name": "Lamp",
    "Sku": "LAMP-1",
    "ShopSku": "LAMP-1-SB",
    "Status": "pending",
    "ItemPrice": "19.90",
    "PaidPrice": "19.90",
    "Currency": "CLP",
    "IsProcessable": "1",
    "CreatedAt": "2025-12-30 10:11:12",
    "UpdatedAt": "",
}


def envelope_json(body: Any, **head: str) -> bytes:
    h = {"RequestId": "", "RequestAction": "GetOrders", "ResponseType": "Orders", **head}
    return json.dumps({"SuccessResponse": {"Head": h, "Body": body}}).encode()


def test_one_order_as_object_and_several_as_list_give_the_same_models() -> None:
    one = parsing.decode(envelope_json({"Orders": {"Order": ORDER}}))
    two = parsing.decode(envelope_json({"Orders": {"Order": [ORDER, {**ORDER, "OrderId": "2"}]}}))
    assert one.ok and two.ok
    [o] = parsing.orders(one.body)
    assert [x.order_id for x in parsing.orders(two.body)] == ["1001", "2"]
    assert o.price == Decimal("24990.00")
    assert o.items_count == 2 and o.gift_option is False
    assert o.statuses == ["pending"] and o.statuses[0].known and o.statuses[0].cancellable
    assert o.created_at == datetime(2025, 12, 30, 10, 11, 12, tzinfo=UTC)
    assert o.customer_name == "Ada Lovelace"
    assert o.remarks == "[b]bold[/b]"  # kept verbatim: the UI renders it literally
    assert o.address_shipping.address_lines == ("1 Main St", "Flat 2")


@pytest.mark.parametrize("empty", ["", None, {}, [], {"Order": []}])
def test_empty_collections_in_any_shape(empty: Any) -> None:
    env = parsing.decode(envelope_json({"Orders": empty}))
    assert parsing.orders(env.body) == []


def test_statuses_as_a_bare_list_and_unknown_status_is_kept() -> None:
    d = {**ORDER, "Statuses": ["pending", "lost_in_space"]}
    [o] = parsing.orders({"Orders": {"Order": d}})
    assert o.statuses == ["pending", "lost_in_space"]
    assert o.statuses[1].known is False and o.statuses[1].cancellable is False


def test_order_items_and_dates_take_the_head_zone() -> None:
    body = {"OrderItems": {"OrderItem": [ITEM, {**ITEM, "OrderItemId": "9002", "Status": "x"}]}}
    env = parsing.decode(envelope_json(body, Timestamp="2026-01-01T00:00:00-0300"))
    zone = parsing.head_zone(env)
    items = parsing.order_items(env.body, zone)
    assert [i.order_item_id for i in items] == ["9001", "9002"]
    assert items[0].created_at == datetime(
        2025, 12, 30, 10, 11, 12, tzinfo=timezone(timedelta(hours=-3))
    )
    assert items[0].updated_at is None and items[0].is_processable is True
    assert isinstance(items[1].status, OrderItemStatus) and items[1].status == "x"
    assert not items[1].status.known


XML_BODY = b"""<?xml version="1.0" encoding="UTF-8"?>
<SuccessResponse>
  <Head><RequestId/><RequestAction>GetMultipleOrderItems</RequestAction>
    <ResponseType>Orders</ResponseType><Timestamp>2026-01-01T00:00:00+0000</Timestamp></Head>
  <Body><Orders>
    <Order><OrderId>1</OrderId><OrderNumber>N1</OrderNumber>
      <OrderItems><OrderItem><OrderItemId>11</OrderItemId><Status>pending</Status>
        <ItemPrice>5.00</ItemPrice><Name>A &amp; B</Name></OrderItem></OrderItems></Order>
    <Order><OrderId>2</OrderId><OrderNumber>N2</OrderNumber>
      <OrderItems><OrderItem><OrderItemId>21</OrderItemId><Status>shipped</Status></OrderItem>
        <OrderItem><OrderItemId>22</OrderItemId><Status>canceled</Status></OrderItem>
      </OrderItems></Order>
    <Order><OrderId>3</OrderId><OrderItems/></Order>
  </Orders></Body>
</SuccessResponse>"""


def test_xml_multiple_order_items() -> None:
    env = parsing.decode(XML_BODY)
    assert env.ok and env.head_text("RequestId") == ""
    got = parsing.multiple_order_items(env.body)
    assert {k: [i.order_item_id for i in v] for k, v in got.items()} == {
        "1": ["11"],
        "2": ["21", "22"],
        "3": [],
    }
    assert got["1"][0].name == "A & B" and got["1"][0].item_price == Decimal("5.00")


def test_failure_reasons_json_and_xml() -> None:
    j = {"Reasons": {"Reason": [{"Type": "canceled", "Name": "Out of stock"}]}}
    assert parsing.failure_reasons(j)[0].name == "Out of stock"
    x = parsing.decode(
        b"<SuccessResponse><Head/><Body><Reasons><Reason><Type>failed</Type>"
        b"<Name>Wrong address</Name></Reason></Reasons></Body></SuccessResponse>"
    )
    [r] = parsing.failure_reasons(x.body)
    assert (r.type, r.name) == ("failed", "Wrong address")


def test_error_envelope_json_and_xml() -> None:
    j = parsing.decode(
        b'{"ErrorResponse":{"Head":{"RequestAction":"GetOrder","ErrorType":"Sender",'
        b'"ErrorCode":"16","ErrorMessage":"E016: \\"9\\" Invalid Order ID"},"Body":""}}'
    )
    assert not j.ok and j.head_text("ErrorCode") == "16"
    x = parsing.decode(
        b"<ErrorResponse><Head><RequestAction>GetOrder</RequestAction><ErrorType>Sender"
        b"</ErrorType><ErrorCode>7</ErrorCode><ErrorMessage>E007: Login failed. Signature "
        b"mismatching</ErrorMessage></Head><Body/></ErrorResponse>"
    )
    assert not x.ok and x.head_text("ErrorMessage").startswith("E007")


@pytest.mark.parametrize(
    "raw",
    [b"", b"<html>Bad gateway</html", b"Service Unavailable", b"[1, 2]", b'{"Other": {}}'],
)
def test_unreadable_bodies_raise_parse_error(raw: bytes) -> None:
    with pytest.raises(parsing.ParseError):
        parsing.decode(raw)


def test_missing_ids_and_wrong_shapes_are_parse_errors() -> None:
    with pytest.raises(parsing.ParseError, match="OrderId"):
        parsing.orders({"Orders": {"Order": {"OrderNumber": "1"}}})
    with pytest.raises(parsing.ParseError):
        parsing.order_items({"OrderItems": {"OrderItem": "not an object"}})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12.5", Decimal("12.5")), ("", None), ("abc", None), ("NaN", None), (None, None)],
)
def test_decimal_is_lenient(raw: Any, expected: Decimal | None) -> None:
    assert parsing.decimal(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-01-02 03:04:05", datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2025-01-02T03:04:05+0100", datetime(2025, 1, 2, 2, 4, 5, tzinfo=UTC)),
        ("0000-00-00 00:00:00", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_timestamps(raw: str, expected: datetime | None) -> None:
    assert parsing.timestamp(raw) == expected


def test_xml_elements_with_attributes_keep_their_text() -> None:
    env = parsing.decode(
        b'<SuccessResponse><Head/><Body><Orders><Order><OrderId type="int">5</OrderId>'
        b'<Price currency="CLP">10.00</Price></Order></Orders></Body></SuccessResponse>'
    )
    [o] = parsing.orders(env.body)
    assert (o.order_id, o.price) == ("5", Decimal("10.00"))
