"""Every Fulfillment Outbound operation against the sandbox: lifecycle, cancel, paging, errors."""

from __future__ import annotations

from typing import Any

import pytest

from mwstui.catalog import load_catalog
from mwstui.clock import FakeClock
from mwstui.sandbox.sandbox import Sandbox
from tests.sandbox.helpers import FBA, MWS, as_list, error, parse

HOUR = 3600.0


def order_params(
    oid: str, items: list[tuple[str, int]] | None = None, **extra: str
) -> dict[str, str]:
    p = {
        "SellerFulfillmentOrderId": oid,
        "DisplayableOrderId": oid,
        "DisplayableOrderDateTime": "2025-12-31T10:00:00Z",
        "DisplayableOrderComment": "Thank you <3 & [b]bye[/b]",
        "ShippingSpeedCategory": "Standard",
        "DestinationAddress.Name": "Jane Doe",
        "DestinationAddress.Line1": "1 Main St",
        "DestinationAddress.City": "Seattle",
        "DestinationAddress.StateOrProvinceCode": "WA",
        "DestinationAddress.CountryCode": "US",
        "DestinationAddress.PostalCode": "98109",
    }
    for n, (sku, qty) in enumerate(items or [("SKU-A", 2)], 1):
        p[f"Items.member.{n}.SellerSKU"] = sku
        p[f"Items.member.{n}.SellerFulfillmentOrderItemId"] = f"{oid}-{n}"
        p[f"Items.member.{n}.Quantity"] = str(qty)
    p.update(extra)
    return p


async def get(mws: MWS, oid: str) -> dict[str, Any]:
    return dict(await mws.fba("GetFulfillmentOrder", {"SellerFulfillmentOrderId": oid}))


async def status(mws: MWS, oid: str) -> str:
    return str((await get(mws, oid))["FulfillmentOrder"]["FulfillmentOrderStatus"])


async def run_until(
    mws: MWS, clock: FakeClock, oid: str, wanted: str, step: float = 60
) -> list[str]:
    seen: list[str] = []
    for _ in range(1000):
        s = await status(mws, oid)
        if not seen or seen[-1] != s:
            seen.append(s)
        if s == wanted:
            return seen
        clock.advance(step)
    raise AssertionError(f"{oid} never reached {wanted}: {seen}")


def test_handlers_cover_every_catalog_operation() -> None:
    from mwstui.sandbox.mws import fulfillment_handlers

    section = load_catalog().sections["fulfillment"]
    assert set(fulfillment_handlers.HANDLERS) == set(section.operations)


async def test_service_status_like_the_recording(small_mws: MWS) -> None:
    r = await small_mws.call("GetServiceStatus", path=FBA)
    doc = parse(r)["GetServiceStatusResponse"]
    assert doc["@xmlns"] == "http://mws.amazonaws.com/FulfillmentOutboundShipment/2010-10-01/"
    assert doc["GetServiceStatusResult"]["Status"] == "GREEN"
    assert doc["GetServiceStatusResult"]["Timestamp"] == r.headers["x-mws-timestamp"]
    assert "x-mws-quota-max" not in r.headers


async def test_order_lifecycle_shipments_packages_and_tracking(
    small_mws: MWS, clock: FakeClock
) -> None:
    assert await small_mws.fba("CreateFulfillmentOrder", order_params("O-1")) is None
    seen = await run_until(small_mws, clock, "O-1", "COMPLETE")
    assert seen == ["RECEIVED", "PLANNING", "PROCESSING", "COMPLETE"]
    detail = await get(small_mws, "O-1")
    order = detail["FulfillmentOrder"]
    assert order["DisplayableOrderComment"] == "Thank you <3 & [b]bye[/b]"
    assert order["FulfillmentAction"] == "Ship"
    item = detail["FulfillmentOrderItem"]["member"]
    assert (item["Quantity"], item["CancelledQuantity"], item["UnfulfillableQuantity"]) == (
        "2",
        "0",
        "0",
    )
    shipment = as_list(detail["FulfillmentShipment"]["member"])[0]
    assert shipment["FulfillmentShipmentStatus"] == "SHIPPED"
    package = shipment["FulfillmentShipmentPackage"]["member"]
    tracking = await small_mws.fba(
        "GetPackageTrackingDetails", {"PackageNumber": package["PackageNumber"]}
    )
    assert tracking["TrackingNumber"] == package["TrackingNumber"]
    assert tracking["CurrentStatus"] == "IN_TRANSIT"
    clock.advance(6 * 86400)
    tracking = await small_mws.fba(
        "GetPackageTrackingDetails", {"PackageNumber": package["PackageNumber"]}
    )
    assert tracking["CurrentStatus"] == "DELIVERED"
    codes = [e["EventCode"] for e in as_list(tracking["TrackingEvents"]["member"])]
    assert codes[0] == "EVENT_301" and "EVENT_101" in codes


async def test_shipments_appear_pending_once_planning(small_mws: MWS, clock: FakeClock) -> None:
    await small_mws.fba("CreateFulfillmentOrder", order_params("O-2"))
    assert (await get(small_mws, "O-2"))["FulfillmentShipment"] is None
    await run_until(small_mws, clock, "O-2", "PLANNING", step=10)
    shipment = as_list((await get(small_mws, "O-2"))["FulfillmentShipment"]["member"])[0]
    assert shipment["FulfillmentShipmentStatus"] == "PENDING"
    assert "FulfillmentShipmentPackage" not in shipment


async def test_cancel_in_received_shows_cancelled_quantities(
    small_mws: MWS, small: Sandbox
) -> None:
    stock = small.seller().fulfillment.inventory["SKU-A"].quantity
    await small_mws.fba("CreateFulfillmentOrder", order_params("O-3", [("SKU-A", 4)]))
    assert small.seller().fulfillment.inventory["SKU-A"].quantity == stock - 4
    assert (
        await small_mws.fba("CancelFulfillmentOrder", {"SellerFulfillmentOrderId": "O-3"}) is None
    )
    detail = await get(small_mws, "O-3")
    assert detail["FulfillmentOrder"]["FulfillmentOrderStatus"] == "CANCELLED"
    assert detail["FulfillmentOrderItem"]["member"]["CancelledQuantity"] == "4"
    assert small.seller().fulfillment.inventory["SKU-A"].quantity == stock
    again = await small_mws.call(
        "CancelFulfillmentOrder", {"SellerFulfillmentOrderId": "O-3"}, path=FBA
    )
    assert (again.status_code, error(again)["Code"]) == (400, "InvalidRequestException")


async def test_cancel_in_planning_cancels_the_shipments(small_mws: MWS, clock: FakeClock) -> None:
    await small_mws.fba("CreateFulfillmentOrder", order_params("O-4"))
    await run_until(small_mws, clock, "O-4", "PLANNING", step=10)
    await small_mws.fba("CancelFulfillmentOrder", {"SellerFulfillmentOrderId": "O-4"})
    clock.advance(10 * HOUR)
    detail = await get(small_mws, "O-4")
    assert detail["FulfillmentOrder"]["FulfillmentOrderStatus"] == "CANCELLED"
    shipment = as_list(detail["FulfillmentShipment"]["member"])[0]
    assert shipment["FulfillmentShipmentStatus"] == "CANCELLED_BY_SELLER"
    assert "ShippingDateTime" not in shipment


async def test_cancel_in_processing_is_an_error(small_mws: MWS, clock: FakeClock) -> None:
    await small_mws.fba("CreateFulfillmentOrder", order_params("O-5"))
    await run_until(small_mws, clock, "O-5", "PROCESSING")
    r = await small_mws.call(
        "CancelFulfillmentOrder", {"SellerFulfillmentOrderId": "O-5"}, path=FBA
    )
    assert (r.status_code, error(r)["Code"]) == (400, "InvalidRequestException")
    assert "PROCESSING" in error(r)["Message"]
    assert await status(small_mws, "O-5") == "PROCESSING"


@pytest.mark.parametrize(
    "op", ["GetFulfillmentOrder", "CancelFulfillmentOrder", "UpdateFulfillmentOrder"]
)
async def test_unknown_order(small_mws: MWS, op: str) -> None:
    r = await small_mws.call(op, {"SellerFulfillmentOrderId": "NOPE"}, path=FBA)
    assert (r.status_code, error(r)["Code"]) == (400, "InvalidRequestException")
    assert "not found" in error(r)["Message"]


async def test_hold_update_and_release(small_mws: MWS, clock: FakeClock) -> None:
    await small_mws.fba("CreateFulfillmentOrder", order_params("O-6", FulfillmentAction="Hold"))
    clock.advance(5 * HOUR)
    assert await status(small_mws, "O-6") == "RECEIVED"
    await small_mws.fba(
        "UpdateFulfillmentOrder",
        {
            "SellerFulfillmentOrderId": "O-6",
            "DisplayableOrderComment": "changed",
            "Items.member.1.SellerFulfillmentOrderItemId": "O-6-1",
            "Items.member.1.Quantity": "3",
        },
    )
    detail = await get(small_mws, "O-6")
    assert detail["FulfillmentOrder"]["DisplayableOrderComment"] == "changed"
    assert detail["FulfillmentOrder"]["FulfillmentAction"] == "Hold"
    assert detail["FulfillmentOrderItem"]["member"]["Quantity"] == "3"
    await small_mws.fba(
        "UpdateFulfillmentOrder", {"SellerFulfillmentOrderId": "O-6", "FulfillmentAction": "Ship"}
    )
    assert await run_until(small_mws, clock, "O-6", "COMPLETE") == [
        "RECEIVED",
        "PLANNING",
        "PROCESSING",
        "COMPLETE",
    ]
    r = await small_mws.call(
        "UpdateFulfillmentOrder", {"SellerFulfillmentOrderId": "O-6"}, path=FBA
    )
    assert error(r)["Code"] == "InvalidRequestException"


async def test_hold_expires_after_two_weeks(
    small_mws: MWS, small: Sandbox, clock: FakeClock
) -> None:
    before = small.seller().fulfillment.inventory["SKU-A"].quantity
    await small_mws.fba("CreateFulfillmentOrder", order_params("O-7", FulfillmentAction="Hold"))
    clock.advance(15 * 86400)
    assert await status(small_mws, "O-7") == "CANCELLED"
    assert small.seller().fulfillment.inventory["SKU-A"].quantity == before


async def test_fill_all_available_ends_partially(small_mws: MWS, clock: FakeClock) -> None:
    params = order_params("O-8", [("SKU-A", 1), ("SKU-B", 5)], FulfillmentPolicy="FillAllAvailable")
    await small_mws.fba("CreateFulfillmentOrder", params)
    await run_until(small_mws, clock, "O-8", "COMPLETE_PARTIALLED")
    items = {
        i["SellerSKU"]: i
        for i in as_list((await get(small_mws, "O-8"))["FulfillmentOrderItem"]["member"])
    }
    assert items["SKU-B"]["UnfulfillableQuantity"] == "2"
    assert items["SKU-A"]["UnfulfillableQuantity"] == "0"


async def test_nothing_in_stock_is_unfulfillable(small_mws: MWS, clock: FakeClock) -> None:
    await small_mws.fba(
        "CreateFulfillmentOrder", order_params("O-9", [("SKU-Z", 1)], FulfillmentPolicy="FillAll")
    )
    assert await run_until(small_mws, clock, "O-9", "UNFULFILLABLE") == [
        "RECEIVED",
        "UNFULFILLABLE",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"Items.member.1.Quantity": "0"}, "Value AllQuantityZero for parameter  is invalid."),
        ({"DestinationAddress.Line1": ""}, "DestinationAddress.Line1"),
        ({"DestinationAddress.PostalCode": ""}, "DestinationAddress.PostalCode"),
        ({"DestinationAddress.CountryCode": "usa"}, "CountryCode"),
        ({"Items.member.1.SellerSKU": "SKU-UNKNOWN"}, "SellerSKU"),
        ({"Items.member.1.Quantity": "50"}, "Insufficient inventory"),
        ({"ShippingSpeedCategory": "Teleport"}, "ShippingSpeedCategory"),
        ({"ShippingSpeedCategory": "ScheduledDelivery"}, "JP"),
        ({"FulfillmentPolicy": "Maybe"}, "FulfillmentPolicy"),
        ({"MarketplaceId": "A1PA6795UKMFR9"}, "MarketplaceId"),
        ({"DisplayableOrderId": "two  spaces"}, "DisplayableOrderId"),
        ({"SellerFulfillmentOrderId": "x" * 41}, "SellerFulfillmentOrderId"),
        ({"DisplayableOrderComment": ""}, "DisplayableOrderComment"),
        ({"CODSettings.IsCODRequired": "true"}, "CODSettings"),
    ],
)
async def test_create_validation(small_mws: MWS, change: dict[str, str], message: str) -> None:
    base = order_params("O-10", [("SKU-B", 1)])
    base.update(change)
    r = await small_mws.call("CreateFulfillmentOrder", base, path=FBA)
    assert (r.status_code, error(r)["Code"]) == (400, "InvalidRequestException"), r.text
    assert message in error(r)["Message"]


async def test_create_again_is_idempotent_but_a_different_order_is_refused(
    small_mws: MWS, small: Sandbox
) -> None:
    await small_mws.fba("CreateFulfillmentOrder", order_params("O-11"))
    stock = small.seller().fulfillment.inventory["SKU-A"].quantity
    await small_mws.fba("CreateFulfillmentOrder", order_params("O-11"))
    assert small.seller().fulfillment.inventory["SKU-A"].quantity == stock
    r = await small_mws.call(
        "CreateFulfillmentOrder", order_params("O-11", [("SKU-A", 9)]), path=FBA
    )
    assert error(r)["Code"] == "InvalidRequestException"


async def test_list_all_pages_of_50_in_the_default_window(mws: MWS, sandbox: Sandbox) -> None:
    now = sandbox.clock.time()
    expected = {
        o.order_id
        for o in sandbox.seller().fulfillment.orders.values()
        if o.status_updated(now) >= now - 36 * HOUR
    }
    first = await mws.fba("ListAllFulfillmentOrders")
    ids = [o["SellerFulfillmentOrderId"] for o in as_list(first["FulfillmentOrders"]["member"])]
    assert len(ids) == 50
    token = first.get("NextToken")
    while token:
        page = await mws.fba("ListAllFulfillmentOrdersByNextToken", {"NextToken": token})
        got = as_list(page["FulfillmentOrders"]["member"])
        assert len(got) <= 50
        ids += [o["SellerFulfillmentOrderId"] for o in got]
        token = page.get("NextToken")
    assert len(ids) == len(set(ids)) and set(ids) == expected and len(ids) > 100


async def test_list_all_query_start(small_mws: MWS, clock: FakeClock) -> None:
    await small_mws.fba("CreateFulfillmentOrder", order_params("O-12"))
    clock.advance(HOUR)
    since = "2099-01-01T00:00:00Z"
    empty = await small_mws.call(
        "ListAllFulfillmentOrders", {"QueryStartDateTime": since}, path=FBA
    )
    assert "<FulfillmentOrders/>" in empty.text and "<NextToken>" not in empty.text
    res = await small_mws.fba("ListAllFulfillmentOrders")
    assert res["FulfillmentOrders"]["member"]["SellerFulfillmentOrderId"] == "O-12"
    bad = await small_mws.call("ListAllFulfillmentOrders", {"QueryStartDateTime": "soon"}, path=FBA)
    assert error(bad)["Code"] == "InvalidRequestException"


async def test_demo_orders_cover_every_status(sandbox: Sandbox) -> None:
    now = sandbox.clock.time()
    statuses = {o.status(now) for o in sandbox.seller().fulfillment.orders.values()}
    assert statuses == set(load_catalog().enum("fulfillment_order_status"))
