"""FulfillmentAPI: order listing, detail, create validation and encoding, tracking, status."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import httpx
import pytest

from mwstui.clock import FakeClock
from mwstui.errors import InvalidParameterError
from mwstui.mws.fulfillment import create_order_params
from mwstui.mws.models import Address, Currency, NewFulfillmentOrder, NewFulfillmentOrderItem
from tests.unit.mws_fakes import FBA_NS, FakeJournal, FakeMWS, Seen, envelope, make_client, xml

ADDRESS = Address("Jane Doe", "1 Main St", "WA", "US", city="Seattle", postal_code="98101")
ORDER = NewFulfillmentOrder(
    seller_fulfillment_order_id="order~1*a",
    displayable_order_id="ORDER-1",
    displayable_order_date_time=datetime(2020, 7, 17, 7, 17, tzinfo=UTC),
    displayable_order_comment="Thank you! a+b=c / ü",
    shipping_speed_category="Standard",
    destination_address=ADDRESS,
    items=[
        NewFulfillmentOrderItem(
            "SKU-1", "item 1", 2, per_unit_declared_value=Currency("USD", "9.99")
        ),
        NewFulfillmentOrderItem("SKU-2", "item 2", 1, gift_message="Enjoy"),
    ],
    fulfillment_policy="FillOrKill",
    notification_emails=["a@example.com"],
)


def order_xml(order_id: str, status: str = "RECEIVED") -> str:
    return (
        f"<member><SellerFulfillmentOrderId>{order_id}</SellerFulfillmentOrderId>"
        f"<FulfillmentOrderStatus>{status}</FulfillmentOrderStatus>"
        "<DisplayableOrderDateTime>2020-07-17T07:17:00Z</DisplayableOrderDateTime>"
        "<ShippingSpeedCategory>Standard</ShippingSpeedCategory></member>"
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_create_params_encoding() -> None:
    p = create_order_params(ORDER)
    assert p["SellerFulfillmentOrderId"] == "order~1*a"
    assert p["DisplayableOrderDateTime"] == "2020-07-17T07:17:00.000Z"
    assert p["DestinationAddress.Name"] == "Jane Doe" and p["DestinationAddress.City"] == "Seattle"
    assert "DestinationAddress.Line2" not in p
    assert p["Items.member.1.SellerSKU"] == "SKU-1"
    assert p["Items.member.1.SellerFulfillmentOrderItemId"] == "item 1"
    assert p["Items.member.1.Quantity"] == "2"
    assert p["Items.member.1.PerUnitDeclaredValue.CurrencyCode"] == "USD"
    assert p["Items.member.1.PerUnitDeclaredValue.Value"] == "9.99"
    assert p["Items.member.2.GiftMessage"] == "Enjoy"
    assert p["NotificationEmailList.member.1"] == "a@example.com"
    assert p["FulfillmentPolicy"] == "FillOrKill" and "FulfillmentAction" not in p


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"seller_fulfillment_order_id": "x" * 41}, "SellerFulfillmentOrderId is longer than 40"),
        ({"seller_fulfillment_order_id": "  "}, "SellerFulfillmentOrderId is required"),
        ({"displayable_order_id": "x" * 41}, "DisplayableOrderId"),
        ({"displayable_order_comment": "x" * 1001}, "DisplayableOrderComment"),
        ({"shipping_speed_category": "Teleport"}, "unknown ShippingSpeedCategory"),
        ({"fulfillment_policy": "Whatever"}, "unknown FulfillmentPolicy"),
        ({"fulfillment_action": "Later"}, "unknown FulfillmentAction"),
        ({"items": []}, "at least one item"),
        ({"items": [NewFulfillmentOrderItem("S" * 51, "i", 1)]}, "SellerSKU"),
        ({"items": [NewFulfillmentOrderItem("S", "i" * 51, 1)]}, "SellerFulfillmentOrderItemId"),
        ({"items": [NewFulfillmentOrderItem("S", "i", 0)]}, "Quantity"),
        (
            {"items": [NewFulfillmentOrderItem("S", "i", 1), NewFulfillmentOrderItem("T", "i", 1)]},
            "repeated",
        ),
        (
            {"destination_address": dataclasses.replace(ADDRESS, line1="")},
            "DestinationAddress.Line1",
        ),
    ],
)
async def test_create_is_validated_before_sending(
    clock: FakeClock, change: dict[str, object], match: str
) -> None:
    server = FakeMWS(clock)
    journal = FakeJournal()
    client = make_client(clock, server.transport(), journal=journal)
    with pytest.raises(InvalidParameterError, match=match) as info:
        await client.fulfillment.create_order(dataclasses.replace(ORDER, **change))  # type: ignore[arg-type]
    assert info.value.code == "LocalValidation"
    assert server.seen == [] and journal.intents == []


async def test_create_sends_and_journals(clock: FakeClock) -> None:
    server = FakeMWS(
        clock,
        {
            "CreateFulfillmentOrder": lambda s: xml(
                envelope("CreateFulfillmentOrder", None, ns=FBA_NS)
            )
        },
    )
    journal = FakeJournal()
    client = make_client(clock, server.transport(), journal=journal)
    res = await client.fulfillment.create_order(ORDER)
    assert res.data is None
    assert server.seen[0].params["Items.member.2.SellerSKU"] == "SKU-2"
    assert journal.intents[0]["items"] == ["order~1*a"]
    assert journal.outcomes[0]["status"] == "ok"


async def test_cancel_and_get_validate_the_id(clock: FakeClock) -> None:
    server = FakeMWS(clock)
    client = make_client(clock, server.transport())
    with pytest.raises(InvalidParameterError):
        await client.fulfillment.cancel_order("x" * 41)
    with pytest.raises(InvalidParameterError):
        await client.fulfillment.get_order("")
    assert server.seen == []


async def test_iter_orders_shares_one_bucket(clock: FakeClock) -> None:
    def first(s: Seen) -> httpx.Response:
        return xml(
            envelope(
                "ListAllFulfillmentOrders",
                "<NextToken>H4sI</NextToken><FulfillmentOrders>"
                + order_xml("a")
                + "</FulfillmentOrders>",
                ns=FBA_NS,
            )
        )

    def more(s: Seen) -> httpx.Response:
        members = order_xml("b", "PROCESSING") + order_xml("c", "NEW_STATUS")
        return xml(
            envelope(
                "ListAllFulfillmentOrdersByNextToken",
                f"<FulfillmentOrders>{members}</FulfillmentOrders>",
                ns=FBA_NS,
            )
        )

    server = FakeMWS(
        clock, {"ListAllFulfillmentOrders": first, "ListAllFulfillmentOrdersByNextToken": more}
    )
    client = make_client(clock, server.transport())
    pages = [
        p
        async for p in client.fulfillment.iter_orders(query_start=datetime(2020, 7, 1, tzinfo=UTC))
    ]
    orders = [o for p in pages for o in p.data]
    assert [o.seller_fulfillment_order_id for o in orders] == ["a", "b", "c"]
    assert (
        orders[0].fulfillment_order_status.cancellable
        and not orders[1].fulfillment_order_status.cancellable
    )
    assert orders[2].fulfillment_order_status == "NEW_STATUS"
    assert server.seen[0].params["QueryStartDateTime"] == "2020-07-01T00:00:00.000Z"
    assert server.seen[1].params == {**server.seen[1].params, "NextToken": "H4sI"}
    key = client.bucket_key("ListAllFulfillmentOrders")
    assert key == client.bucket_key("ListAllFulfillmentOrdersByNextToken")
    snap = client._governor.snapshot(key)
    assert snap is not None and snap.calls == 2


async def test_package_tracking(clock: FakeClock) -> None:
    result = (
        "<PackageNumber>7</PackageNumber><TrackingNumber>1Z</TrackingNumber><CarrierCode>UPS</CarrierCode>"
        "<ShipDate>2020-07-18T00:00:00Z</ShipDate><CurrentStatus>IN_TRANSIT</CurrentStatus>"
        "<ShipToAddress><City>Seattle</City><State>WA</State><Country>US</Country></ShipToAddress>"
        "<TrackingEvents><member><EventDate>2020-07-18T01:00:00Z</EventDate>"
        "<EventAddress><City>Reno</City></EventAddress><EventCode>EVENT_101</EventCode></member>"
        "</TrackingEvents><AdditionalLocationInfo>FRONT_DOOR</AdditionalLocationInfo>"
    )
    server = FakeMWS(
        clock,
        {
            "GetPackageTrackingDetails": lambda s: xml(
                envelope("GetPackageTrackingDetails", result, ns=FBA_NS)
            )
        },
    )
    client = make_client(clock, server.transport())
    res = await client.fulfillment.package_tracking(7)
    t = res.data
    assert (t.package_number, t.tracking_number, t.current_status) == (7, "1Z", "IN_TRANSIT")
    assert t.current_status is not None and t.current_status.known
    assert t.ship_to is not None and t.ship_to.city == "Seattle"
    assert t.events[0].event_code == "EVENT_101" and t.events[0].event_address.city == "Reno"  # type: ignore[union-attr]
    assert server.seen[0].params["PackageNumber"] == "7"
    with pytest.raises(InvalidParameterError):
        await client.fulfillment.package_tracking(-1)


async def test_service_status_with_messages(clock: FakeClock) -> None:
    result = (
        "<Status>YELLOW</Status><Timestamp>2020-07-17T07:17:00.562Z</Timestamp><MessageId>m1</MessageId>"
        "<Messages><Message><Locale>en_US</Locale><Text>Slow</Text></Message></Messages>"
    )
    server = FakeMWS(
        clock, {"GetServiceStatus": lambda s: xml(envelope("GetServiceStatus", result, ns=FBA_NS))}
    )
    client = make_client(clock, server.transport())
    s = (await client.fulfillment.service_status()).data
    assert s.status == "YELLOW" and s.message_id == "m1"
    assert [(m.locale, m.text) for m in s.messages] == [("en_US", "Slow")]
    assert server.seen[0].path == "/FulfillmentOutboundShipment/2010-10-01"
