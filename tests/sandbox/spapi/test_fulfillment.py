"""Fulfillment Outbound 2020-07-01: list all, detail, cancel (and cancels that do not take),
orders moving through their statuses on the sandbox clock."""

from __future__ import annotations

from typing import Any

from mwstui.clock import FakeClock
from mwstui.sandbox.sandbox import Sandbox
from mwstui.sandbox.spapi import demo
from tests.sandbox.conftest import small_seed
from tests.sandbox.spapi.helpers import FBA, SP, error

ORDERS = f"{FBA}/fulfillmentOrders"


async def detail(sp: SP, oid: str) -> dict[str, Any]:
    body = await sp.ok("GET", f"{ORDERS}/{oid}")
    assert list(body) == ["payload"]
    return dict(body["payload"])


def status(d: dict[str, Any]) -> str:
    return str(d["fulfillmentOrder"]["fulfillmentOrderStatus"])


async def test_list_all_pages_with_next_token(sp: SP) -> None:
    first = await sp.ok("GET", ORDERS, params={"queryStartDate": "2025-12-01T00:00:00Z"})
    page = first["payload"]
    ids = [o["sellerFulfillmentOrderId"] for o in page["fulfillmentOrders"]]
    assert len(ids) == 50 and page["nextToken"]
    token = page["nextToken"]
    while token:
        nxt = (await sp.ok("GET", ORDERS, params={"nextToken": token}))["payload"]
        ids += [o["sellerFulfillmentOrderId"] for o in nxt["fulfillmentOrders"]]
        token = nxt.get("nextToken")
    assert (
        len(ids)
        == len(set(ids))
        == len(sp.sandbox.spapi.sellers["A1SANDBOXSELLER"].fulfillment.state.orders)
    )
    order = first["payload"]["fulfillmentOrders"][0]
    assert {
        "sellerFulfillmentOrderId", "marketplaceId", "displayableOrderId", "displayableOrderDate",
        "displayableOrderComment", "shippingSpeedCategory", "destinationAddress", "receivedDate",
        "fulfillmentOrderStatus", "statusUpdatedDate",
    } <= set(order)  # fmt: skip
    assert "fulfillmentOrderItems" not in order


async def test_default_window_and_bad_date(sp: SP) -> None:
    recent = (await sp.ok("GET", ORDERS))["payload"]["fulfillmentOrders"]
    assert all(o["statusUpdatedDate"] >= "2025-12-30T12:00:00Z" for o in recent)
    r = await sp.call("GET", ORDERS, params={"queryStartDate": "last week"})
    assert r.status_code == 400
    assert error(r) == {
        "code": "InvalidInput",
        "message": "timestamp must follow ISO8601",
        "details": "",
    }
    r = await sp.call("GET", ORDERS, params={"nextToken": "bm90IGEgdG9rZW4="})
    assert r.status_code == 400


async def test_detail_has_items_shipments_packages_and_returns(sp: SP) -> None:
    state = sp.sandbox.spapi.sellers["A1SANDBOXSELLER"].fulfillment.state
    now = sp.sandbox.clock.time()
    returned = next(o for o in state.orders.values() if o.returns and o.returns[0].created <= now)
    d = await detail(sp, returned.order_id)
    assert status(d) == "Complete"
    ship = d["fulfillmentShipments"][0]
    assert ship["fulfillmentShipmentStatus"] == "SHIPPED"
    package = ship["fulfillmentShipmentPackage"][0]
    assert package["trackingNumber"] and package["carrierCode"]
    assert ship["fulfillmentShipmentItem"][0]["packageNumber"] == package["packageNumber"]
    item = d["fulfillmentOrderItems"][0]
    assert {"sellerSku", "sellerFulfillmentOrderItemId", "quantity", "cancelledQuantity",
            "unfulfillableQuantity"} <= set(item)  # fmt: skip
    assert item["perUnitDeclaredValue"]["currencyCode"] == "USD"
    ret = d["returnItems"][0]
    assert ret["amazonShipmentId"] == ship["amazonShipmentId"]
    assert ret["status"] in ("New", "Processed")
    auth = d["returnAuthorizations"][0]
    assert auth["returnAuthorizationId"] == ret["returnAuthorizationId"]
    assert auth["returnToAddress"]["countryCode"] == "US"


async def test_orders_move_through_their_statuses(sp: SP, clock: FakeClock) -> None:
    state = sp.sandbox.spapi.sellers["A1SANDBOXSELLER"].fulfillment.state
    oid = next(
        o.order_id
        for o in state.orders.values()
        if o.status(clock.time()) == "RECEIVED" and o.action == "Ship"
        and o.phases[-1][0] == "COMPLETE"
    )  # fmt: skip
    seen = [status(await detail(sp, oid))]
    for _ in range(100):
        clock.advance(600)
        s = status(await detail(sp, oid))
        if s != seen[-1]:
            seen.append(s)
    assert seen == ["Received", "Planning", "Processing", "Complete"]


async def test_cancel_received_order_reads_back_cancelled(sp: SP) -> None:
    r = await sp.call("PUT", f"{ORDERS}/TestOrder-7/cancel")
    assert (r.status_code, r.json()) == (200, {})
    assert r.headers["x-amzn-ratelimit-limit"] == "2.0"
    d = await detail(sp, "TestOrder-7")
    assert status(d) == "Cancelled"
    assert [(i["quantity"], i["cancelledQuantity"]) for i in d["fulfillmentOrderItems"]] == [(1, 1)]
    r = await sp.call("PUT", f"{ORDERS}/TestOrder-7/cancel")
    assert error(r)["message"].endswith("Reason: DuplicateCancelRequest.")


async def test_cancel_of_a_processing_order_is_refused(sp: SP) -> None:
    r = await sp.call("PUT", f"{ORDERS}/FBATestOrder-1/cancel")
    assert r.status_code == 400
    assert error(r)["code"] == "InvalidInput"
    assert "Processing" in error(r)["message"]
    assert status(await detail(sp, "FBATestOrder-1")) == "Processing"


async def test_a_late_cancel_does_not_take(sp: SP, clock: FakeClock) -> None:
    assert status(await detail(sp, "SBX-SP-LATE-CANCEL")) == "Planning"
    r = await sp.call("PUT", f"{ORDERS}/SBX-SP-LATE-CANCEL/cancel")
    assert (r.status_code, r.json()) == (200, {})  # accepted...
    d = await detail(sp, "SBX-SP-LATE-CANCEL")
    assert status(d) == "Processing"  # ...but picking had started
    assert all(i["cancelledQuantity"] == 0 for i in d["fulfillmentOrderItems"])
    clock.advance(5 * 3600)
    assert status(await detail(sp, "SBX-SP-LATE-CANCEL")) == "Complete"


async def test_a_partial_cancel(sp: SP, clock: FakeClock) -> None:
    r = await sp.call("PUT", f"{ORDERS}/SBX-SP-PARTIAL-CANCEL/cancel")
    assert r.status_code == 200
    d = await detail(sp, "SBX-SP-PARTIAL-CANCEL")
    assert status(d) == "Processing"
    cancelled = {
        i["sellerFulfillmentOrderItemId"]: i["cancelledQuantity"]
        for i in d["fulfillmentOrderItems"]
    }
    assert sum(1 for q in cancelled.values() if q) >= 1
    assert sum(1 for q in cancelled.values() if not q) >= 1
    assert "CANCELLED_BY_SELLER" in {
        s["fulfillmentShipmentStatus"] for s in d["fulfillmentShipments"]
    }
    clock.advance(5 * 3600)
    d = await detail(sp, "SBX-SP-PARTIAL-CANCEL")
    assert status(d) == "CompletePartialled"
    shipped = [s for s in d["fulfillmentShipments"] if s["fulfillmentShipmentStatus"] == "SHIPPED"]
    assert shipped and all(
        cancelled[line["sellerFulfillmentOrderItemId"]] == 0
        for s in shipped
        for line in s["fulfillmentShipmentItem"]
    )


async def test_unknown_and_overlong_order_ids(sp: SP) -> None:
    r = await sp.call("GET", f"{ORDERS}/NOPE-1")
    assert error(r)["message"] == "Requested order 'NOPE-1' not found"
    r = await sp.call("GET", f"{ORDERS}/{'X' * 41}")
    assert r.status_code == 400


async def test_sandbox_status_update_moves_an_order(sp: SP) -> None:
    r = await sp.call(
        "PUT", f"{ORDERS}/SBX-SP-LATE-CANCEL/status", json={"fulfillmentOrderStatus": "COMPLETE"}
    )
    assert r.status_code == 200
    d = await detail(sp, "SBX-SP-LATE-CANCEL")
    assert status(d) == "Complete"
    assert {s["fulfillmentShipmentStatus"] for s in d["fulfillmentShipments"]} == {"SHIPPED"}
    r = await sp.call(
        "PUT", f"{ORDERS}/SBX-SP-LATE-CANCEL/status", json={"fulfillmentOrderStatus": "Lost"}
    )
    assert r.status_code == 400


async def test_upper_case_statuses_when_the_seed_asks(clock: FakeClock) -> None:
    section = demo.demo_section()
    section["status_case"] = "upper"
    sp = SP(Sandbox.create(seed=small_seed(spapi=section), clock=clock))
    assert status(await detail(sp, "SBX-SP-PARTIAL-CANCEL")) == "PLANNING"
    await sp.call("PUT", f"{ORDERS}/SBX-SP-PARTIAL-CANCEL/cancel")
    clock.advance(5 * 3600)
    assert status(await detail(sp, "SBX-SP-PARTIAL-CANCEL")) == "COMPLETE_PARTIALLED"
