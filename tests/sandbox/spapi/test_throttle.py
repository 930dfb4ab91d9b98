"""Usage plans from the catalog: bursts, restore rates, 429 without Retry-After, and the
rate-limit header only on 2xx, 400 and 404; a request id on every answer."""

from __future__ import annotations

from mwstui.catalog import load_catalog
from mwstui.clock import FakeClock
from mwstui.sandbox.sandbox import Sandbox
from tests.sandbox.conftest import small_seed
from tests.sandbox.spapi.helpers import FBA, REPORTS, SP, error

SPAPI = load_catalog().spapi


async def test_get_reports_burst_then_429(sp: SP, clock: FakeClock) -> None:
    op = SPAPI.operation("getReports")
    params = {"reportTypes": "GET_AFN_INVENTORY_DATA"}
    for _ in range(op.burst):
        r = await sp.call("GET", f"{REPORTS}/reports", params=params)
        assert r.status_code == 200
        assert r.headers["x-amzn-ratelimit-limit"] == f"{op.rate:g}"
    r = await sp.call("GET", f"{REPORTS}/reports", params=params)
    assert r.status_code == 429
    assert error(r) == {
        "code": "QuotaExceeded",
        "message": "You exceeded your quota for the requested resource.",
        "details": "",
    }
    assert "retry-after" not in r.headers
    assert "x-amzn-ratelimit-limit" not in r.headers
    assert r.headers["x-amzn-requestid"]
    assert r.headers["x-amzn-errortype"] == "TooManyRequestsException"
    clock.advance(1 / op.rate - 0.5)
    assert (await sp.call("GET", f"{REPORTS}/reports", params=params)).status_code == 429
    clock.advance(0.5)
    assert (await sp.call("GET", f"{REPORTS}/reports", params=params)).status_code == 200
    assert (await sp.call("GET", f"{REPORTS}/reports", params=params)).status_code == 429


async def test_failed_calls_spend_tokens_and_buckets_are_per_operation(sp: SP) -> None:
    op = SPAPI.operation("cancelFulfillmentOrder")
    for n in range(op.burst):
        r = await sp.call("PUT", f"{FBA}/fulfillmentOrders/NOPE-{n}/cancel")
        assert r.status_code == 400
        assert r.headers["x-amzn-ratelimit-limit"] == "2.0"
    r = await sp.call("PUT", f"{FBA}/fulfillmentOrders/NOPE/cancel")
    assert r.status_code == 429
    assert (await sp.call("GET", f"{FBA}/fulfillmentOrders/FBATestOrder-1")).status_code == 200


async def test_usage_plans_are_per_application_and_seller(clock: FakeClock) -> None:
    section = {
        "applications": [
            {"client_id": "amzn1.application-oa2-client.a", "client_secret": "a"},
            {"client_id": "amzn1.application-oa2-client.b", "client_secret": "b"},
        ],
        "sellers": [
            {"seller_id": "S1", "marketplaces": ["ATVPDKIKX0DER"], "refresh_token": "Atzr|a",
             "client_id": "amzn1.application-oa2-client.a"},
            {"seller_id": "S1B", "marketplaces": ["ATVPDKIKX0DER"], "refresh_token": "Atzr|b",
             "client_id": "amzn1.application-oa2-client.b"},
        ],
    }  # fmt: skip
    sandbox = Sandbox.create(seed=small_seed(spapi=section), clock=clock, debug=True)
    a = SP(
        sandbox,
        client_id="amzn1.application-oa2-client.a",
        client_secret="a",
        refresh_token="Atzr|a",
    )
    b = SP(
        sandbox,
        client_id="amzn1.application-oa2-client.b",
        client_secret="b",
        refresh_token="Atzr|b",
    )
    path = f"{REPORTS}/schedules"
    params = {"reportTypes": "GET_AFN_INVENTORY_DATA"}
    burst = SPAPI.operation("getReportSchedules").burst
    codes = [(await a.call("GET", path, params=params)).status_code for _ in range(burst + 1)]
    assert codes == [200] * burst + [429]
    assert (await b.call("GET", path, params=params)).status_code == 200


async def test_request_id_on_every_answer_and_unknown_paths(sp: SP) -> None:
    r = await sp.call("GET", f"{REPORTS}/nothing-here")
    assert r.status_code == 403 and error(r)["code"] == "Unauthorized"
    assert r.headers["x-amzn-requestid"]
    r = await sp.call("POST", f"{REPORTS}/reports/123")  # a known path, another verb
    assert r.status_code == 403
    ids = set()
    for _ in range(3):
        ids.add((await sp.call("GET", f"{REPORTS}/reports/1")).headers["x-amzn-requestid"])
    assert len(ids) == 3


async def test_user_agent_over_500_characters_is_refused(sp: SP) -> None:
    r = await sp.call(
        "GET",
        f"{REPORTS}/reports/1",
        headers={"user-agent": "a/1 (Language=Python; x=" + "y" * 500 + ")"},
    )
    assert r.status_code == 400
