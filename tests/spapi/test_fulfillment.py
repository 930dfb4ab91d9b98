"""Fulfillment Outbound 2020-07-01 over MockTransport: list, detail, cancel + read back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from mwstui.errors import InvalidStateError, NotFoundError
from mwstui.validation import LocalValidationError
from tests.spapi.fakes import FakeSpapi, err, j, make_client, query

BASE = "/fba/outbound/2020-07-01/fulfillmentOrders"


def order(oid: str, status: str) -> dict[str, Any]:
    return {
        "sellerFulfillmentOrderId": oid,
        "marketplaceId": "ATVPDKIKX0DER",
        "displayableOrderId": "TestOrder-FBAOutbound",
        "displayableOrderDate": "2020-01-09T19:46:45Z",
        "displayableOrderComment": "TestOrder",
        "shippingSpeedCategory": "Standard",
        "destinationAddress": {
            "name": "Amazon",
            "addressLine1": "1234 Amazon Way",
            "city": "Troy",
            "stateOrRegion": "MI",
            "countryCode": "US",
            "postalCode": "48084",
        },
        "receivedDate": "2020-02-07T01:23:30Z",
        "fulfillmentOrderStatus": status,
        "statusUpdatedDate": "2020-02-07T02:33:31Z",
        "notificationEmails": ["test2@amazon.com"],
    }


def detail(oid: str, status: str) -> dict[str, Any]:
    """The model's 200 example (spec §6.2), with a package and a return added."""
    return {
        "payload": {
            "fulfillmentOrder": order(oid, status),
            "fulfillmentOrderItems": [
                {
                    "sellerSku": "CR-47K6-H6QN",
                    "sellerFulfillmentOrderItemId": "OrderItemID1",
                    "quantity": 3,
                    "fulfillmentNetworkSku": "X0014BIZ8T",
                    "orderItemDisposition": "Sellable",
                    "cancelledQuantity": 0,
                    "unfulfillableQuantity": 0,
                    "estimatedShipDate": "2020-02-08T01:23:31Z",
                    "perUnitDeclaredValue": {"currencyCode": "USD", "value": "2.00"},
                }
            ],
            "fulfillmentShipments": [
                {
                    "amazonShipmentId": "DchKfcZ9N",
                    "fulfillmentCenterId": "RNO1",
                    "fulfillmentShipmentStatus": "SHIPPED",
                    "shippingDate": "2020-02-07T02:33:23Z",
                    "fulfillmentShipmentItem": [
                        {
                            "sellerSku": "CR-47K6-H6QN",
                            "sellerFulfillmentOrderItemId": "OrderItemID1",
                            "quantity": 3,
                            "packageNumber": 0,
                            "serialNumber": "",
                        }
                    ],
                    "fulfillmentShipmentPackage": [
                        {"packageNumber": 0, "carrierCode": "UPS", "trackingNumber": "1Z999"}
                    ],
                }
            ],
            "returnItems": [
                {
                    "sellerReturnItemId": "R1",
                    "sellerFulfillmentOrderItemId": "OrderItemID1",
                    "amazonShipmentId": "DchKfcZ9N",
                    "sellerReturnReasonCode": "DAMAGED",
                    "status": "New",
                    "statusChangedDate": "2020-03-01T00:00:00Z",
                }
            ],
            "returnAuthorizations": [
                {
                    "returnAuthorizationId": "RA1",
                    "fulfillmentCenterId": "RNO1",
                    "returnToAddress": {"name": "FC", "addressLine1": "1", "countryCode": "US"},
                    "amazonRmaId": "RMA1",
                    "rmaPageURL": "https://example.invalid/rma",
                }
            ],
        }
    }


async def test_list_all_pages_with_query_start_date_then_token_alone() -> None:
    fake = FakeSpapi()

    def listing(request: httpx.Request) -> httpx.Response:
        q = query(request)
        if q.get("nextToken") == "t+1":
            return j(200, {"payload": {"fulfillmentOrders": [order("B", "Complete")]}})
        return j(
            200,
            {"payload": {"nextToken": "t+1", "fulfillmentOrders": [order("A", "RECEIVED")]}},
        )

    fake.route("GET", BASE, listing)
    client, _, _ = make_client(fake)
    async with client:
        result = await client.fulfillment.list_orders(
            query_start_date=datetime(2020, 1, 1, 19, 46, 45, tzinfo=UTC)
        )
    assert [o.seller_fulfillment_order_id for o in result.data] == ["A", "B"]
    first, second = fake.requests
    assert first.url.query == b"queryStartDate=2020-01-01T19%3A46%3A45Z"
    assert second.url.query == b"nextToken=t%2B1"
    a = result.data[0]
    assert a.status.canonical == "Received" and a.status.cancellable
    assert a.destination_address is not None and a.destination_address.city == "Troy"


async def test_detail_items_shipments_packages_returns() -> None:
    fake = FakeSpapi()
    fake.route("GET", f"{BASE}/FBATestOrder-1", j(200, detail("FBATestOrder-1", "PROCESSING")))
    client, _, _ = make_client(fake)
    async with client:
        d = (await client.fulfillment.get_order("FBATestOrder-1")).data
    assert d.order.status == "PROCESSING" and not d.order.status.cancellable
    (item,) = d.items
    assert item.quantity == 3 and item.per_unit_declared_value is not None
    assert item.per_unit_declared_value.value == "2.00"
    (shipment,) = d.shipments
    assert shipment.status == "SHIPPED" and shipment.items[0].serial_number is None
    assert shipment.packages[0].tracking_number == "1Z999"
    assert d.return_items[0].status == "New"
    assert d.return_authorizations[0].amazon_rma_id == "RMA1"


async def test_unknown_order_is_not_found() -> None:
    fake = FakeSpapi()
    fake.route(
        "GET",
        f"{BASE}/FBATestOrder-10",
        err(400, "InvalidInput", "Requested order 'FBATestOrder-10' not found"),
    )
    client, _, _ = make_client(fake)
    async with client:
        with pytest.raises(NotFoundError) as info:
            await client.fulfillment.get_order("FBATestOrder-10")
    assert info.value.hint and info.value.request_id == "rid-400"


@pytest.mark.parametrize("status", ["Processing", "PROCESSING", "Complete", "New", "Cancelled"])
async def test_cancel_refused_unless_received_or_planning(status: str) -> None:
    fake = FakeSpapi()
    fake.route("GET", f"{BASE}/O1", j(200, detail("O1", status)))
    client, _, _ = make_client(fake)
    async with client:
        with pytest.raises(InvalidStateError, match="only Received or Planning"):
            await client.fulfillment.cancel_order("O1")
    assert [r.method for r in fake.requests] == ["GET"]


@pytest.mark.parametrize("status", ["RECEIVED", "Planning", "planning"])
async def test_cancel_then_read_back(status: str) -> None:
    fake = FakeSpapi()
    state = {"status": status}

    def cancel(_r: httpx.Request) -> httpx.Response:
        state["status"] = "Cancelled"
        return j(200, {})

    fake.route("GET", f"{BASE}/O1", lambda _r: j(200, detail("O1", state["status"])))
    fake.route("PUT", f"{BASE}/O1/cancel", cancel)
    client, _, _ = make_client(fake)
    async with client:
        result = await client.fulfillment.cancel_order("O1")
    assert result.data.confirmed
    assert result.data.status_before == status
    assert result.data.cancel_request_id == "rid-200"
    assert [(r.method, r.url.path) for r in fake.requests] == [
        ("GET", f"{BASE}/O1"),
        ("PUT", f"{BASE}/O1/cancel"),
        ("GET", f"{BASE}/O1"),
    ]


async def test_cancel_accepted_but_not_taken_is_not_confirmed() -> None:
    fake = FakeSpapi()
    fake.route("GET", f"{BASE}/O1", j(200, detail("O1", "Planning")))
    fake.route("PUT", f"{BASE}/O1/cancel", j(200, {}))
    client, _, _ = make_client(fake)
    async with client:
        result = await client.fulfillment.cancel_order("O1", status="Planning")
    assert not result.data.confirmed and result.data.status_after == "Planning"


async def test_order_id_longer_than_40_is_refused() -> None:
    fake = FakeSpapi()
    client, _, _ = make_client(fake)
    async with client:
        with pytest.raises(LocalValidationError, match="longer than 40"):
            await client.fulfillment.get_order("x" * 41)
    assert fake.requests == []
