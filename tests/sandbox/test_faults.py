"""Faults on demand: the spec grammar, each kind of fault, run-time changes, SellerCenter."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import httpx
import pytest

from mwstui.clock import FakeClock
from mwstui.errors import ConfigError
from mwstui.sandbox.faults import FaultPlan, parse_rules
from mwstui.sandbox.sandbox import Sandbox
from tests.sandbox.conftest import small_seed
from tests.sandbox.helpers import FBA, MWS, error

SPEC = "GetReportRequestList:throttle:next=2,CancelFulfillmentOrder:drop-after:p=0.5,*:latency=3"


def test_parse_the_documented_example() -> None:
    rules = parse_rules(SPEC)
    assert [(r.target, r.kind, r.remaining, r.probability, r.seconds) for r in rules] == [
        ("GetReportRequestList", "throttle", 2, 1.0, 0.0),
        ("CancelFulfillmentOrder", "drop-after", None, 0.5, 0.0),
        ("*", "latency", None, 1.0, 3.0),
    ]
    assert FaultPlan.parse(SPEC).spec == SPEC


def test_aliases_and_whitespace() -> None:
    rules = parse_rules(" GetReport : 500 , GetOrders:503:always, *:drop ")
    assert [(r.target, r.kind) for r in rules] == [
        ("GetReport", "internal"),
        ("GetOrders", "unavailable"),
        ("*", "drop-before"),
    ]


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("GetReport", "expected TARGET:KIND"),
        ("NoSuchOperation:throttle", "unknown operation"),
        ("GetReport:explode", "unknown fault"),
        ("GetReport:throttle:next=0", "outside"),
        ("GetReport:throttle:p=2", "outside"),
        ("GetReport:throttle:p=x", "not a number"),
        ("GetReport:throttle:sometimes", "unknown trigger"),
        ("GetReport:throttle=3", "takes no value"),
    ],
)
def test_bad_specs_say_what_is_wrong(spec: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_rules(spec)


def test_a_bad_spec_is_a_config_error_for_create(clock: FakeClock) -> None:
    with pytest.raises(ConfigError):
        Sandbox.create(seed=small_seed(), clock=clock, faults="GetReport:explode")


def test_next_n_then_spent_and_probability_is_seeded() -> None:
    plan = FaultPlan.parse("GetReport:internal:next=2")
    assert [plan.draw("GetReport")[1] is not None for _ in range(3)] == [True, True, False]
    assert plan.spec == ""
    a = FaultPlan.parse("*:throttle:p=0.5", seed=3)
    b = FaultPlan.parse("*:throttle:p=0.5", seed=3)
    draws_a = [a.draw("GetReport")[1] is not None for _ in range(40)]
    assert draws_a == [b.draw("GetReport")[1] is not None for _ in range(40)]
    assert 5 < sum(draws_a) < 35


def test_latency_adds_up_and_the_first_failure_wins() -> None:
    plan = FaultPlan.parse("*:latency=1,GetReport:latency=2,GetReport:internal,*:throttle:next=1")
    latency, rule = plan.draw("GetReport")
    assert latency == 3.0 and rule is not None and rule.kind == "internal"
    assert "*:throttle:next=1" in plan.spec  # not consumed by a call another rule took


def sandbox_with(clock: FakeClock, spec: str) -> tuple[Sandbox, MWS]:
    sb = Sandbox.create(seed=small_seed(), clock=clock, faults=spec, debug=True)
    return sb, MWS(sb)


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("throttle", 503, "RequestThrottled"),
        ("quota", 503, "QuotaExceeded"),
        ("internal", 500, "InternalError"),
        ("unavailable", 503, "ServiceUnavailable"),
    ],
)
async def test_error_faults_answer_in_mws_words(
    clock: FakeClock, kind: str, status: int, code: str
) -> None:
    _sb, mws = sandbox_with(clock, f"GetReportRequestList:{kind}:next=1")
    r = await mws.call("GetReportRequestList")
    assert (r.status_code, error(r)["Code"]) == (status, code)
    assert error(r)["RequestId"] == r.headers["x-mws-request-id"]
    assert (await mws.call("GetReportRequestList")).status_code == 200
    if kind == "quota":
        assert r.headers["x-mws-quota-remaining"] == "0.0"


async def test_latency_sleeps_on_the_sandbox_clock(clock: FakeClock) -> None:
    _, mws = sandbox_with(clock, "*:latency=3")
    start = clock.time()
    r = await mws.call("GetReportCount")
    assert r.status_code == 200 and clock.time() - start == pytest.approx(3.0)


async def test_malformed_body(clock: FakeClock) -> None:
    _, mws = sandbox_with(clock, "GetReportCount:malformed")
    r = await mws.call("GetReportCount")
    assert r.status_code == 200
    with pytest.raises(ET.ParseError):
        ET.fromstring(r.content)


async def test_truncated_body_breaks_the_connection(clock: FakeClock) -> None:
    _, mws = sandbox_with(clock, "GetReport:truncate")
    with pytest.raises(httpx.RemoteProtocolError):
        await mws.call("GetReport", {"ReportId": "21175694446018424"})


async def test_drop_before_leaves_state_alone(clock: FakeClock) -> None:
    sb, mws = sandbox_with(clock, "CancelReportRequests:drop-before:next=1")
    with pytest.raises(httpx.RemoteProtocolError):
        await mws.call("CancelReportRequests", {"ReportRequestIdList.Id.1": "51790018424"})
    assert sb.seller().reports.requests["51790018424"].cancelled_at is None


async def test_drop_after_changes_state_but_loses_the_answer(clock: FakeClock) -> None:
    sb, mws = sandbox_with(clock, "CancelReportRequests:drop-after:next=1")
    with pytest.raises(httpx.RemoteProtocolError):
        await mws.call("CancelReportRequests", {"ReportRequestIdList.Id.1": "51790018424"})
    assert sb.seller().reports.requests["51790018424"].cancelled_at is not None


async def test_bad_md5_on_a_report(clock: FakeClock) -> None:
    import base64
    import hashlib

    _, mws = sandbox_with(clock, "GetReport:bad-md5:next=1")
    r = await mws.call("GetReport", {"ReportId": "21175694446018424"})
    assert r.headers["content-md5"] != base64.b64encode(hashlib.md5(r.content).digest()).decode()
    good = await mws.call("GetReport", {"ReportId": "21175694446018424"})
    assert (
        good.headers["content-md5"] == base64.b64encode(hashlib.md5(good.content).digest()).decode()
    )


async def test_faults_change_at_run_time(clock: FakeClock) -> None:
    sb, mws = sandbox_with(clock, "")
    assert (await mws.call("GetReportCount")).status_code == 200
    sb.faults.set("GetReportCount:internal")
    assert (await mws.call("GetReportCount")).status_code == 500
    sb.faults.clear()
    assert (await mws.call("GetReportCount")).status_code == 200


async def admin(
    sb: Sandbox, method: str, body: str = "", client: str = "127.0.0.1"
) -> httpx.Response:
    transport = httpx.ASGITransport(app=sb.mws_app, client=(client, 5555))
    async with httpx.AsyncClient(transport=transport, base_url="http://mws.sandbox.test") as c:
        return await c.request(method, "/_sandbox/faults", content=body.encode())


async def test_admin_endpoint(clock: FakeClock) -> None:
    sb, mws = sandbox_with(clock, "")
    assert (await admin(sb, "PUT", "GetReportCount:throttle")).json() == {
        "faults": "GetReportCount:throttle"
    }
    assert error(await mws.call("GetReportCount"))["Code"] == "RequestThrottled"
    added = await admin(sb, "POST", json.dumps({"faults": "GetReport:500:next=1"}))
    assert added.json()["faults"] == "GetReportCount:throttle,GetReport:internal:next=1"
    assert (await admin(sb, "GET")).json()["faults"] == added.json()["faults"]
    bad = await admin(sb, "PUT", "GetReport:explode")
    assert bad.status_code == 400 and "unknown fault" in bad.json()["error"]
    assert (await admin(sb, "DELETE")).json() == {"faults": ""}
    assert (await mws.call("GetReportCount")).status_code == 200


async def test_admin_endpoint_is_loopback_only(clock: FakeClock) -> None:
    sb, _ = sandbox_with(clock, "")
    r = await admin(sb, "PUT", "GetReport:500", client="192.0.2.7")
    assert r.status_code == 403 and sb.faults.spec == ""


async def test_seed_faults_section(clock: FakeClock) -> None:
    sb = Sandbox.create(seed=small_seed(faults="GetReportCount:throttle:next=1"), clock=clock)
    mws = MWS(sb)
    assert error(await mws.call("GetReportCount"))["Code"] == "RequestThrottled"


async def sellercenter(sb: Sandbox, action: str, fmt: str = "JSON") -> httpx.Response:
    transport = httpx.ASGITransport(app=sb.sellercenter_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sc.sandbox.test") as c:
        return await c.get("/", params={"Action": action, "Format": fmt})


async def test_sellercenter_throttle_fault_is_an_e429_error_response(clock: FakeClock) -> None:
    sb, _ = sandbox_with(clock, "GetOrders:throttle:next=1")
    r = await sellercenter(sb, "GetOrders")
    assert r.status_code == 429
    head = r.json()["ErrorResponse"]["Head"]
    assert head == {
        "RequestAction": "GetOrders",
        "ErrorType": "Sender",
        "ErrorCode": "429",
        "ErrorMessage": "E429: Too many requests",
    }
    # Spent: the next call reaches the real app (which refuses the unsigned call itself).
    nxt = await sellercenter(sb, "GetOrders")
    assert nxt.status_code == 200 and "E001" in nxt.text


async def test_sellercenter_xml_fault_and_drop(clock: FakeClock) -> None:
    sb, _ = sandbox_with(clock, "GetOrder:internal:next=1,GetOrderItems:drop-before")
    r = await sellercenter(sb, "GetOrder", fmt="XML")
    assert r.status_code == 500
    root = ET.fromstring(r.content)
    assert (
        root.tag == "ErrorResponse"
        and root.findtext("Head/ErrorMessage") == "E006: Unexpected internal error"
    )
    with pytest.raises(httpx.RemoteProtocolError):
        await sellercenter(sb, "GetOrderItems")


async def test_fulfillment_drop_after_cancel_then_read_shows_it(clock: FakeClock) -> None:
    from tests.sandbox.mws.test_fulfillment import order_params

    _sb, mws = sandbox_with(clock, "CancelFulfillmentOrder:drop-after:next=1")
    await mws.fba("CreateFulfillmentOrder", order_params("D-1"))
    with pytest.raises(httpx.RemoteProtocolError):
        await mws.call("CancelFulfillmentOrder", {"SellerFulfillmentOrderId": "D-1"}, path=FBA)
    detail = await mws.fba("GetFulfillmentOrder", {"SellerFulfillmentOrderId": "D-1"})
    assert detail["FulfillmentOrder"]["FulfillmentOrderStatus"] == "CANCELLED"
