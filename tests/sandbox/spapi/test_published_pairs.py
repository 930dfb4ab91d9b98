"""Amazon's published sandbox request/response pairs (spec §7), answered in their shapes."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from tests.sandbox.spapi.helpers import FBA, REPORTS, SP, error

PAIRS = json.loads(
    resources.files("mwstui.sandbox.spapi").joinpath("static_pairs.json").read_text("utf-8")
)["pairs"]
PATHS = {
    "getReports": ("GET", f"{REPORTS}/reports"),
    "createReport": ("POST", f"{REPORTS}/reports"),
    "getReport": ("GET", f"{REPORTS}/reports/{{reportId}}"),
    "cancelReport": ("DELETE", f"{REPORTS}/reports/{{reportId}}"),
    "getReportSchedules": ("GET", f"{REPORTS}/schedules"),
    "createReportSchedule": ("POST", f"{REPORTS}/schedules"),
    "getReportSchedule": ("GET", f"{REPORTS}/schedules/{{reportScheduleId}}"),
    "cancelReportSchedule": ("DELETE", f"{REPORTS}/schedules/{{reportScheduleId}}"),
    "getReportDocument": ("GET", f"{REPORTS}/documents/{{reportDocumentId}}"),
}


def test_every_reports_operation_has_its_published_pairs() -> None:
    assert len(PAIRS) == 18
    for name in PATHS:
        assert {p["status"] for p in PAIRS if p["operation"] == name} == (
            {200, 400} if name not in ("createReport", "createReportSchedule") else
            {202 if name == "createReport" else 201, 400}
        )  # fmt: skip


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{p['operation']}-{p['status']}")
async def test_published_reports_pair(sp: SP, pair: dict[str, Any]) -> None:
    method, path = PATHS[pair["operation"]]
    path = path.format(**pair.get("path", {}))
    params = {k: ",".join(v) for k, v in pair.get("query", {}).items()}
    r = await sp.call(method, path, params=params or None, json=pair.get("body"))
    assert r.status_code == pair["status"], r.text
    if pair["response"] is None:
        assert r.content == b""
    else:
        assert r.json() == pair["response"]
    assert r.headers["x-amzn-requestid"]


async def test_get_reports_pair_matches_with_the_marketplace_a_client_adds(sp: SP) -> None:
    r = await sp.call(
        "GET",
        f"{REPORTS}/reports",
        params={
            "reportTypes": "FEE_DISCOUNTS_REPORT,GET_AFN_INVENTORY_DATA",
            "processingStatuses": "IN_QUEUE,IN_PROGRESS",
            "marketplaceIds": "ATVPDKIKX0DER",
        },
    )
    assert r.json()["reports"][0]["reportId"] == "ReportId1"


# Fulfillment Outbound is a dynamic sandbox at Amazon; its last published static pairs
# (model @0956094) are answered here by seeded orders of the demo seller.


async def test_fba_get_published_order_shape(sp: SP) -> None:
    d = (await sp.ok("GET", f"{FBA}/fulfillmentOrders/FBATestOrder-1"))["payload"]
    assert set(d) == {
        "fulfillmentOrder", "fulfillmentOrderItems", "fulfillmentShipments", "returnItems",
        "returnAuthorizations",
    }  # fmt: skip
    order = d["fulfillmentOrder"]
    assert order["displayableOrderId"] == "TestOrder-FBAOutbound"
    assert order["fulfillmentOrderStatus"].upper() == "PROCESSING"
    assert order["notificationEmails"] == ["test2@amazon.com", "test1@amazon.com"]
    assert order["destinationAddress"]["city"] == "Troy"
    items = {i["sellerSku"]: i for i in d["fulfillmentOrderItems"]}
    assert items["CR-47K6-H6QN"]["quantity"] == 3
    assert items["CR-47K6-H6QN"]["fulfillmentNetworkSku"] == "X0014BIZ8T"
    assert d["fulfillmentShipments"][0]["fulfillmentShipmentStatus"] == "PENDING"
    assert d["returnItems"] == [] and d["returnAuthorizations"] == []


async def test_fba_published_errors(sp: SP) -> None:
    r = await sp.call("GET", f"{FBA}/fulfillmentOrders/FBATestOrder-10")
    assert r.status_code == 400
    assert error(r) == {
        "code": "InvalidInput",
        "message": "Requested order 'FBATestOrder-10' not found",
        "details": "",
    }
    r = await sp.call("PUT", f"{FBA}/fulfillmentOrders/FBATestOrder-11/cancel")
    assert error(r) == {
        "code": "InvalidInput",
        "message": "Value FBATestOrder-11 for parameter SellerFulfillmentOrderId is invalid. "
        "Reason: DuplicateCancelRequest.",
        "details": "",
    }
    r = await sp.call("GET", f"{FBA}/fulfillmentOrders", params={"queryStartDate": "fdfdsfds"})
    assert error(r) == {
        "code": "InvalidInput",
        "message": "timestamp must follow ISO8601",
        "details": "",
    }


async def test_fba_published_cancel_and_list(sp: SP) -> None:
    r = await sp.call("PUT", f"{FBA}/fulfillmentOrders/TestOrder-7/cancel")
    assert (r.status_code, r.json()) == (200, {})
    params: dict[str, str] = {"queryStartDate": "2020-01-01T19:46:45Z"}
    ids: set[str] = set()
    while True:
        page = (await sp.ok("GET", f"{FBA}/fulfillmentOrders", params=params))["payload"]
        ids |= {o["sellerFulfillmentOrderId"] for o in page["fulfillmentOrders"]}
        if not page.get("nextToken"):
            break
        params = {"nextToken": page["nextToken"]}
    assert {"FBATestOrder-1", "TestOrder-7", "FBATestOrder-11"} <= ids
