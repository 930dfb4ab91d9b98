"""The MWS sandbox's fault grammar applied to SP-API operations by name."""

from __future__ import annotations

import httpx
import pytest

from mwstui.clock import FakeClock
from mwstui.sandbox.faults import parse_rules
from mwstui.sandbox.sandbox import Sandbox
from tests.sandbox.spapi.helpers import FBA, REPORTS, SP, error


def sp_with(clock: FakeClock, spec: str) -> SP:
    return SP(Sandbox.create(clock=clock, faults=spec, debug=True))


def test_spapi_operations_are_fault_targets() -> None:
    rules = parse_rules("getReports:throttle:next=2,cancelFulfillmentOrder:drop-after")
    assert [(r.target, r.kind) for r in rules] == [
        ("getReports", "throttle"),
        ("cancelFulfillmentOrder", "drop-after"),
    ]
    with pytest.raises(ValueError, match="unknown operation 'getreports'"):
        parse_rules("getreports:throttle")


async def test_injected_throttle_is_a_429_quota_exceeded(clock: FakeClock) -> None:
    sp = sp_with(clock, "getReports:throttle:next=1")
    params = {"reportTypes": "GET_AFN_INVENTORY_DATA"}
    r = await sp.call("GET", f"{REPORTS}/reports", params=params)
    assert (r.status_code, error(r)["code"]) == (429, "QuotaExceeded")
    assert "x-amzn-ratelimit-limit" not in r.headers and r.headers["x-amzn-requestid"]
    assert (await sp.call("GET", f"{REPORTS}/reports", params=params)).status_code == 200
    assert sp.sandbox.faults.injected == [("getReports", "throttle")]


async def test_internal_and_unavailable(clock: FakeClock) -> None:
    sp = sp_with(clock, "getReport:internal:next=1,getReport:503:next=1")
    r = await sp.call("GET", f"{REPORTS}/reports/1")
    assert (r.status_code, error(r)["code"]) == (500, "InternalFailure")
    r = await sp.call("GET", f"{REPORTS}/reports/1")
    assert r.status_code == 503


async def test_drop_after_cancels_but_the_answer_is_lost(clock: FakeClock) -> None:
    sp = sp_with(clock, "cancelFulfillmentOrder:drop-after:next=1")
    with pytest.raises(httpx.RemoteProtocolError):
        await sp.call("PUT", f"{FBA}/fulfillmentOrders/TestOrder-7/cancel")
    d = (await sp.ok("GET", f"{FBA}/fulfillmentOrders/TestOrder-7"))["payload"]
    assert d["fulfillmentOrder"]["fulfillmentOrderStatus"] == "Cancelled"  # it did happen


async def test_drop_before_changes_nothing(clock: FakeClock) -> None:
    sp = sp_with(clock, "cancelFulfillmentOrder:drop:next=1")
    with pytest.raises(httpx.RemoteProtocolError):
        await sp.call("PUT", f"{FBA}/fulfillmentOrders/TestOrder-7/cancel")
    d = (await sp.ok("GET", f"{FBA}/fulfillmentOrders/TestOrder-7"))["payload"]
    assert d["fulfillmentOrder"]["fulfillmentOrderStatus"] == "Received"


async def test_malformed_body_and_wildcard_rules(clock: FakeClock) -> None:
    sp = sp_with(clock, "getFulfillmentOrder:malformed:next=1")
    r = await sp.call("GET", f"{FBA}/fulfillmentOrders/FBATestOrder-1")
    with pytest.raises(ValueError):
        r.json()
    sp = sp_with(clock, "*:internal:next=1")
    await sp.login()  # the token endpoint is not an operation: no fault is drawn for it
    r = await sp.call("GET", f"{FBA}/fulfillmentOrders/FBATestOrder-1")
    assert r.status_code == 500


async def test_admin_endpoint_on_the_spapi_listener(sp: SP) -> None:
    async with sp.client() as c:
        r = await c.put("/_sandbox/faults", content="listAllFulfillmentOrders:throttle:next=1")
    assert r.json() == {"faults": "listAllFulfillmentOrders:throttle:next=1"}
    assert (await sp.call("GET", f"{FBA}/fulfillmentOrders")).status_code == 429
