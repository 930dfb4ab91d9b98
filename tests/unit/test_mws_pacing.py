"""End-to-end pacing on model time: the client never outruns the catalog's token buckets."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from mwstui.catalog import load_catalog
from mwstui.clock import FakeClock
from mwstui.throttle.governor import Governor
from tests.unit.mws_fakes import FBA_NS, FakeMWS, Seen, envelope, make_client, request_info, xml


def assert_within_bucket(times: list[float], capacity: int, restore_seconds: float) -> None:
    """At every arrival, the server has seen at most capacity + elapsed × rate requests."""
    start = times[0]
    for n, t in enumerate(times, start=1):
        allowed = capacity + (t - start) / restore_seconds
        assert n <= allowed + 1e-9, f"request {n} at +{t - start:.3f}s exceeds the bucket"


def cancel_ok(seen: Seen) -> httpx.Response:
    return xml(envelope("CancelFulfillmentOrder", None, ns=FBA_NS))


@pytest.mark.parametrize("concurrent", [False, True])
async def test_100_cancels_take_35_seconds(concurrent: bool) -> None:
    clock = FakeClock()
    server = FakeMWS(clock, {"CancelFulfillmentOrder": cancel_ok})
    client = make_client(clock, server.transport(), governor=Governor(clock))
    t = load_catalog().operation("CancelFulfillmentOrder").throttle
    assert (t.capacity, t.restore_seconds) == (30, 0.5)
    start = clock.time()
    ids = [f"order-{i}" for i in range(100)]
    if concurrent:
        await asyncio.gather(*(client.fulfillment.cancel_order(i) for i in ids))
    else:
        for i in ids:
            await client.fulfillment.cancel_order(i)
    assert clock.time() - start == 35.0
    times = [s.time for s in server.seen]
    assert len(times) == 100
    assert times.count(start) == 30  # the burst
    assert_within_bucket(times, t.capacity, t.restore_seconds)
    assert sorted(s.params["SellerFulfillmentOrderId"] for s in server.seen) == sorted(ids)


async def test_50_page_report_request_listing_takes_38_seconds() -> None:
    clock = FakeClock()
    pages = 50

    def page(n: int, action: str) -> httpx.Response:
        more = (
            f"<HasNext>true</HasNext><NextToken>token-{n + 1}</NextToken>"
            if n < pages
            else "<HasNext>false</HasNext>"
        )
        return xml(envelope(action, more + request_info(str(n))))

    def first(s: Seen) -> httpx.Response:
        return page(1, "GetReportRequestList")

    def more(s: Seen) -> httpx.Response:
        return page(int(s.params["NextToken"].split("-")[1]), "GetReportRequestListByNextToken")

    server = FakeMWS(
        clock, {"GetReportRequestList": first, "GetReportRequestListByNextToken": more}
    )
    client = make_client(clock, server.transport())
    start = clock.time()
    got = [p async for p in client.reports.iter_report_requests()]
    assert clock.time() - start == 38.0
    assert [p.data[0].report_request_id for p in got] == [str(n) for n in range(1, 51)]
    assert server.actions() == ["GetReportRequestList"] + ["GetReportRequestListByNextToken"] * 49
    catalog = load_catalog()
    by_token = catalog.operation("GetReportRequestListByNextToken").throttle
    assert (by_token.capacity, by_token.restore_seconds) == (30, 2)
    assert_within_bucket(
        [s.time for s in server.seen[1:]], by_token.capacity, by_token.restore_seconds
    )
    key = client.bucket_key("GetReportRequestListByNextToken")
    assert client._governor.estimate(key, by_token, 1) == pytest.approx(2.0)  # bucket empty


def test_helper_rejects_a_burst_beyond_capacity() -> None:
    with pytest.raises(AssertionError, match="exceeds the bucket"):
        assert_within_bucket([0.0] * 31, 30, 0.5)
    assert_within_bucket([0.0] * 30 + [0.5], 30, 0.5)
