"""The real MWS client against the sandbox in process: every operation the client exposes.

Time is a FakeClock shared by client, governor and sandbox, so throttle waits and order
progress take no real time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from mwstui.catalog import load_catalog
from mwstui.clock import FakeClock
from mwstui.errors import (
    IntegrityError,
    InvalidParameterError,
    NotFoundError,
    OutcomeUnknownError,
    RequestExpiredError,
    SignatureMismatchError,
)
from mwstui.mws.client import MWSClient
from mwstui.mws.models import Address, NewFulfillmentOrder, NewFulfillmentOrderItem
from mwstui.sandbox.sandbox import Sandbox
from mwstui.secret import Secret
from mwstui.throttle.governor import Governor

HOUR = 3600.0


def make_client(sandbox: Sandbox, clock: FakeClock, **kw: object) -> MWSClient:
    c = sandbox.credentials
    args: dict[str, object] = {
        "endpoint": "http://mws.sandbox.test",
        "access_key": c.access_key,
        "secret_key": c.secret_key,
        "seller_id": c.seller_id,
        "marketplace_id": c.marketplace_id,
        "governor": Governor(clock),
        "clock": clock,
        "transport": httpx.ASGITransport(app=sandbox.mws_app),
    }
    args.update(kw)
    return MWSClient(**args)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> Sandbox:
    return Sandbox.create(clock=clock, debug=True)


@pytest.fixture
async def client(sandbox: Sandbox, clock: FakeClock) -> AsyncIterator[MWSClient]:
    async with make_client(sandbox, clock) as c:
        yield c


def new_order(oid: str, sku: str = "SBX-0000", qty: int = 1) -> NewFulfillmentOrder:
    return NewFulfillmentOrder(
        seller_fulfillment_order_id=oid,
        displayable_order_id=oid,
        displayable_order_date_time=FakeClock().now(),
        displayable_order_comment="From the client test",
        shipping_speed_category="Standard",
        destination_address=Address(
            name="Jane Doe",
            line1="1 Main St",
            state_or_province_code="WA",
            country_code="US",
            city="Seattle",
            postal_code="98109",
        ),
        items=[NewFulfillmentOrderItem(sku, f"{oid}-1", qty)],
    )


async def test_request_list_count_and_pages(client: MWSClient) -> None:
    total = (await client.reports.report_request_count()).data
    seen: list[str] = []
    pages = 0
    async for page in client.reports.iter_report_requests():
        seen += [r.report_request_id for r in page.data]
        pages += 1
    assert pages >= 3 and len(seen) == len(set(seen)) == total
    assert page.meta.quota_max == 1800.0  # last page came from ...ByNextToken


async def test_request_report_progresses_and_downloads(
    client: MWSClient, sandbox: Sandbox, clock: FakeClock, tmp_path: Path
) -> None:
    info = (await client.reports.request_report("_GET_MERCHANT_LISTINGS_DATA_")).data
    assert info.report_processing_status == "_SUBMITTED_"
    for _ in range(20):
        clock.advance(60)
        page = [
            p
            async for p in client.reports.iter_report_requests(request_ids=[info.report_request_id])
        ]
        current = page[0].data[0]
        if current.report_processing_status.startswith("_DONE"):
            break
    assert current.report_processing_status == "_DONE_" and current.generated_report_id
    dest = tmp_path / "report.txt"
    got = (await client.reports.download_report(current.generated_report_id, dest)).data
    assert got.verified and dest.read_bytes()
    assert got.size == dest.stat().st_size


async def test_reports_list_count_and_acknowledge(client: MWSClient) -> None:
    total = (await client.reports.report_count()).data
    ids: list[str] = []
    async for page in client.reports.iter_reports():
        ids += [r.report_id for r in page.data]
    assert len(ids) == total
    acked = (await client.reports.update_report_acknowledgements(ids[:2])).data
    assert all(r.acknowledged and r.acknowledged_date for r in acked)
    assert (await client.reports.report_count(acknowledged=True)).data >= 2


async def test_cancel_report_requests(client: MWSClient) -> None:
    pending = []
    async for page in client.reports.iter_report_requests(statuses=["_SUBMITTED_"]):
        pending += [r.report_request_id for r in page.data]
    done = []
    async for page in client.reports.iter_report_requests(statuses=["_DONE_"], max_count=1):
        done += [r.report_request_id for r in page.data]
        break
    results = await client.reports.cancel_report_requests(pending[:2] + done)
    infos = {i.report_request_id: i for i in results[0].data.infos}
    assert results[0].data.count == 3
    assert {infos[i].report_processing_status for i in pending[:2]} == {"_CANCELLED_"}
    assert infos[done[0]].report_processing_status == "_DONE_"
    with pytest.raises(NotFoundError):
        await client.reports.cancel_report_requests(["10000000001"])


async def test_schedules(client: MWSClient, clock: FakeClock) -> None:
    listed = (await client.reports.report_schedules()).data
    before = (await client.reports.report_schedule_count()).data
    assert before == len(listed) > 0
    rtype = next(
        t.type
        for t in load_catalog().report_types
        if t.schedulable
        and t.type not in {s.report_type for s in listed}
        and "ORDERS_DATA" not in t.type
    )
    when = clock.now() + timedelta(days=2)
    made = (await client.reports.manage_report_schedule(rtype, "_1_WEEK_", when)).data
    assert made[0].schedule == "_1_WEEK_" and made[0].scheduled_date == when.replace(microsecond=0)
    listed = (await client.reports.report_schedules()).data
    assert rtype in {s.report_type for s in listed}
    assert (await client.reports.report_schedule_count()).data == before + 1
    await client.reports.manage_report_schedule(rtype, "_NEVER_")
    assert (await client.reports.report_schedule_count()).data == before


async def test_fulfillment_orders_pages_detail_cancel(client: MWSClient) -> None:
    orders = []
    async for page in client.fulfillment.iter_orders():
        assert len(page.data) <= 50
        orders += page.data
    assert len(orders) > 100
    cancellable = [o for o in orders if o.fulfillment_order_status.cancellable]
    target = cancellable[0].seller_fulfillment_order_id
    await client.fulfillment.cancel_order(target)
    detail = (await client.fulfillment.get_order(target)).data
    assert detail.order.fulfillment_order_status == "CANCELLED"
    assert all(i.cancelled_quantity == i.quantity - i.unfulfillable_quantity for i in detail.items)
    processing = next(o for o in orders if o.fulfillment_order_status == "PROCESSING")
    with pytest.raises(InvalidParameterError):
        await client.fulfillment.cancel_order(processing.seller_fulfillment_order_id)


async def test_create_order_ships_and_tracks(client: MWSClient, clock: FakeClock) -> None:
    await client.fulfillment.create_order(new_order("CLIENT-1"))
    for _ in range(100):
        detail = (await client.fulfillment.get_order("CLIENT-1")).data
        if detail.order.fulfillment_order_status == "COMPLETE":
            break
        clock.advance(300)
    assert detail.order.fulfillment_order_status == "COMPLETE"
    package = detail.shipments[0].packages[0]
    tracking = (await client.fulfillment.package_tracking(package.package_number)).data
    assert tracking.tracking_number == package.tracking_number and tracking.events


async def test_service_status(client: MWSClient) -> None:
    status = (await client.fulfillment.service_status()).data
    assert status.status == "GREEN"


async def test_governor_paces_a_burst_of_31_cancels(client: MWSClient, clock: FakeClock) -> None:
    start = clock.time()
    for n in range(31):
        with pytest.raises(InvalidParameterError):
            await client.fulfillment.cancel_order(f"NOPE-{n}")
    assert clock.time() - start >= 0.5  # the 31st waited for a token instead of a 503


async def test_wrong_secret_and_skewed_clock(sandbox: Sandbox, clock: FakeClock) -> None:
    async with make_client(sandbox, clock, secret_key=Secret("wrong")) as bad:
        with pytest.raises(SignatureMismatchError):
            await bad.reports.report_count()
    skewed = FakeClock(clock.time() + 20 * 60)
    async with make_client(sandbox, skewed, governor=Governor(skewed)) as late:
        with pytest.raises(RequestExpiredError):
            await late.reports.report_count()


async def test_injected_throttle_is_retried(client: MWSClient, sandbox: Sandbox) -> None:
    sandbox.faults.set("GetReportCount:throttle:next=1")
    assert (await client.reports.report_count()).data > 0
    assert sandbox.faults.injected[-1] == ("GetReportCount", "throttle")


async def test_lost_cancel_answer_is_outcome_unknown(client: MWSClient, sandbox: Sandbox) -> None:
    orders = [o async for p in client.fulfillment.iter_orders() for o in p.data]
    target = next(
        o for o in orders if o.fulfillment_order_status.cancellable
    ).seller_fulfillment_order_id
    sandbox.faults.set("CancelFulfillmentOrder:drop-after:next=1")
    with pytest.raises(OutcomeUnknownError):
        await client.fulfillment.cancel_order(target)
    assert (
        await client.fulfillment.get_order(target)
    ).data.order.fulfillment_order_status == "CANCELLED"


async def test_bad_md5_is_retried_then_refused(
    client: MWSClient, sandbox: Sandbox, tmp_path: Path
) -> None:
    report_id = next(iter(sandbox.seller().reports.reports))
    sandbox.faults.set("GetReport:bad-md5:next=1")
    ok = (await client.reports.download_report(report_id, tmp_path / "a.txt")).data
    assert ok.verified and ok.attempts == 2
    sandbox.faults.set("GetReport:bad-md5")
    with pytest.raises(IntegrityError):
        await client.reports.download_report(report_id, tmp_path / "b.txt")
    assert not (tmp_path / "b.txt").exists()
