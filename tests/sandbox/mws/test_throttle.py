"""Server-side throttling from the catalog: bursts, restore, hourly quota, headers."""

from __future__ import annotations

import pytest

from mwstui.catalog import load_catalog
from mwstui.clock import FakeClock
from mwstui.sandbox.sandbox import Sandbox
from tests.sandbox.conftest import OTHER_SELLER
from tests.sandbox.helpers import FBA, MWS, error

CATALOG = load_catalog()


async def test_31st_burst_cancel_fulfillment_order_is_throttled(small_mws: MWS) -> None:
    # Sent straight, without any governor: the sandbox alone enforces the 30-token bucket.
    capacity = CATALOG.operation("CancelFulfillmentOrder").throttle.capacity
    assert capacity == 30
    codes = []
    for n in range(capacity + 1):
        r = await small_mws.call(
            "CancelFulfillmentOrder", {"SellerFulfillmentOrderId": f"X{n}"}, path=FBA
        )
        codes.append(error(r)["Code"])
    assert codes[:capacity] == ["InvalidRequestException"] * capacity  # unknown ids: still spent
    assert codes[capacity] == "RequestThrottled"
    r = await small_mws.call("CancelFulfillmentOrder", {"SellerFulfillmentOrderId": "X"}, path=FBA)
    assert r.status_code == 503
    err = error(r)
    assert (err["Type"], err["Message"]) == ("Sender", "Request is throttled")


async def test_bucket_restores_at_the_catalog_rate(small_mws: MWS, clock: FakeClock) -> None:
    op = CATALOG.operation("GetFulfillmentOrder").throttle
    for _ in range(op.capacity):
        await small_mws.call("GetServiceStatus", path=FBA)  # a different bucket: no effect
        await small_mws.call("GetFulfillmentOrder", {"SellerFulfillmentOrderId": "x"}, path=FBA)
    r = await small_mws.call("GetFulfillmentOrder", {"SellerFulfillmentOrderId": "x"}, path=FBA)
    assert error(r)["Code"] == "RequestThrottled"
    clock.advance(op.restore_seconds)
    r = await small_mws.call("GetFulfillmentOrder", {"SellerFulfillmentOrderId": "x"}, path=FBA)
    assert error(r)["Code"] == "InvalidRequestException"
    r = await small_mws.call("GetFulfillmentOrder", {"SellerFulfillmentOrderId": "x"}, path=FBA)
    assert error(r)["Code"] == "RequestThrottled"


async def test_list_all_and_by_next_token_share_one_bucket(mws: MWS) -> None:
    first = await mws.fba("ListAllFulfillmentOrders")
    token = first["NextToken"]
    for _ in range(29):
        await mws.call("ListAllFulfillmentOrdersByNextToken", {"NextToken": token}, path=FBA)
    r = await mws.call("ListAllFulfillmentOrders", path=FBA)
    assert error(r)["Code"] == "RequestThrottled"


async def test_service_status_bucket_is_two(small_mws: MWS) -> None:
    results = [(await small_mws.call("GetServiceStatus", path=FBA)).status_code for _ in range(3)]
    assert results == [200, 200, 503]


async def test_sellers_have_separate_buckets(small_mws: MWS) -> None:
    for _ in range(10):
        await small_mws.call("GetReportRequestCount")
    assert error(await small_mws.call("GetReportRequestCount"))["Code"] == "RequestThrottled"
    assert (await small_mws.call("GetReportRequestCount", seller=OTHER_SELLER)).status_code == 200


async def test_quota_headers_count_down_including_failed_calls(small_mws: MWS) -> None:
    r1 = await small_mws.call("CancelReportRequests", {"ReportRequestIdList.Id.1": "1"})
    r2 = await small_mws.call("CancelReportRequests", {"ReportRequestIdList.Id.1": "2"})
    assert r1.status_code == r2.status_code == 400
    assert r1.headers["x-mws-quota-max"] == "80.0"
    assert (r1.headers["x-mws-quota-remaining"], r2.headers["x-mws-quota-remaining"]) == (
        "79.0",
        "78.0",
    )
    assert r1.headers["x-mws-quota-resetson"].endswith(":00.000Z")


@pytest.mark.parametrize("op", [o.name for o in CATALOG.operations("reports")])
async def test_every_reports_answer_carries_its_hourly_quota(small_mws: MWS, op: str) -> None:
    r = await small_mws.call(op)
    quota = CATALOG.operation(op).throttle.hourly_quota
    assert r.headers["x-mws-quota-max"] == f"{float(quota):.1f}"


async def test_hourly_quota_exceeded_until_the_reset(
    small_mws: MWS, small: Sandbox, clock: FakeClock
) -> None:
    throttle = CATALOG.operation("GetReportRequestCount").throttle
    assert throttle.hourly_quota == 80
    first = await small_mws.call("GetReportRequestCount")
    reset = first.headers["x-mws-quota-resetson"]
    # Land a few minutes into a fresh window so all calls fall inside one hour.
    from mwstui.sandbox.mws.params import parse_iso8601

    reset_at = parse_iso8601(reset)
    assert reset_at is not None
    clock.set(reset_at + 1)
    small.throttle.reset()
    for n in range(throttle.hourly_quota):
        r = await small_mws.call("GetReportRequestCount")
        assert r.status_code == 200, (n, r.text)
        small.throttle.refill()
    r = await small_mws.call("GetReportRequestCount")
    assert (r.status_code, error(r)["Code"]) == (503, "QuotaExceeded")
    assert r.headers["x-mws-quota-remaining"] == "0.0"
    assert "Your quota will reset on" in error(r)["Message"]
    clock.set(reset_at + 3601)
    assert (await small_mws.call("GetReportRequestCount")).status_code == 200


async def test_fulfillment_answers_have_no_quota_headers(small_mws: MWS) -> None:
    r = await small_mws.call("ListAllFulfillmentOrders", path=FBA)
    assert "x-mws-quota-max" not in r.headers
