"""The SP-API client against the SP-API sandbox (in-process, ASGITransport, fake clock)."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import Any

import httpx
import pytest

from mwstui.catalog import Throttle, load_catalog
from mwstui.clock import FakeClock
from mwstui.errors import AuthError, InvalidStateError, NotFoundError
from mwstui.sandbox.sandbox import Sandbox
from mwstui.secret import Secret
from mwstui.spapi import documents
from mwstui.spapi.client import SPAPIClient
from mwstui.spapi.models import Report
from mwstui.throttle.governor import Governor

HOST = "https://sellingpartnerapi-na.sandbox.test"
LISTINGS = "GET_MERCHANT_LISTINGS_ALL_DATA"
ALL_TYPES = [t.type for t in load_catalog().spapi.report_types]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> Sandbox:
    return Sandbox.create(clock=clock, debug=True)


def make(sandbox: Sandbox, clock: FakeClock, **kw: Any) -> SPAPIClient:
    creds = sandbox.credentials
    return SPAPIClient(
        region=creds.spapi_region,
        client_id=kw.pop("client_id", creds.spapi_client_id),
        client_secret=creds.spapi_client_secret,
        refresh_token=kw.pop("refresh_token", creds.spapi_refresh_token),
        seller_id=creds.spapi_seller_id,
        governor=kw.pop("governor", None) or Governor(clock),
        clock=clock,
        endpoint=HOST,
        lwa_endpoint=HOST,
        marketplace_ids=(creds.spapi_marketplace_id,),
        transport=httpx.ASGITransport(app=sandbox.spapi_app),
        **kw,
    )


async def wait_terminal(client: SPAPIClient, clock: FakeClock, report_id: str) -> Report:
    for _ in range(200):
        report = (await client.reports.get_report(report_id)).data
        if report.processing_status.terminal:
            return report
        clock.advance(5)
    raise AssertionError(f"report {report_id} never finished")


async def test_list_every_report_page_by_page(sandbox: Sandbox, clock: FakeClock) -> None:
    async with make(sandbox, clock) as client:
        pages = [p async for p in client.reports.iter_reports(ALL_TYPES)]
    reports = [r for p in pages for r in p.data]
    assert reports, "the demo seller has reports"
    assert len({r.report_id for r in reports}) == len(reports)
    assert all(p.meta.request_id for p in pages)
    assert {str(r.processing_status) for r in reports} <= set(
        load_catalog().spapi.enum("report_processing_status")
    )


async def test_create_poll_download_and_preview(
    sandbox: Sandbox, clock: FakeClock, tmp_path: Path
) -> None:
    async with make(sandbox, clock) as client:
        rid = (await client.reports.create_report(LISTINGS)).data
        report = await wait_terminal(client, clock, rid)
        assert report.processing_status == "DONE", report
        assert report.report_document_id
        saved = await client.reports.download_document(
            report.report_document_id, tmp_path / "listings.txt"
        )
    text = saved.data.path.read_text("utf-8")  # valid UTF-8 whatever the declared charset
    assert text.strip()
    assert saved.data.charset is not None
    assert documents.preview(saved.data.path, 1)


async def test_cancel_in_queue_and_refuse_the_others(sandbox: Sandbox, clock: FakeClock) -> None:
    async with make(sandbox, clock) as client:
        rid = (await client.reports.create_report(LISTINGS)).data
        await client.reports.cancel_report(rid)
        assert (await client.reports.get_report(rid)).data.processing_status == "CANCELLED"
        with pytest.raises(InvalidStateError, match="only IN_QUEUE"):
            await client.reports.cancel_report(rid)
        with pytest.raises(NotFoundError):
            await client.reports.get_report("999999999999")


async def test_schedule_create_replace_list_cancel(sandbox: Sandbox, clock: FakeClock) -> None:
    rtype = "GET_FLAT_FILE_OPEN_LISTINGS_DATA"
    async with make(sandbox, clock) as client:
        first = (await client.reports.create_schedule(rtype, "P1D")).data
        second = (await client.reports.create_schedule(rtype, "PT12H")).data
        listed = (await client.reports.list_schedules([rtype])).data
        mine = [s for s in listed if s.marketplace_ids == client.marketplace_ids]
        assert [s.report_schedule_id for s in mine] == [second]  # the first was replaced
        assert mine[0].period == "PT12H"
        assert (await client.reports.get_schedule(second)).data.report_type == rtype
        await client.reports.cancel_schedule(second)
        listed = (await client.reports.list_schedules([rtype])).data
    assert second not in {s.report_schedule_id for s in listed}
    assert first not in {s.report_schedule_id for s in listed}


async def test_fulfillment_list_detail_cancel_read_back(sandbox: Sandbox, clock: FakeClock) -> None:
    async with make(sandbox, clock) as client:
        orders = (
            await client.fulfillment.list_orders(
                query_start_date=clock.now().replace(year=clock.now().year - 1)
            )
        ).data
        assert orders
        open_ = [o for o in orders if o.status.cancellable]
        closed = [o for o in orders if o.status.canonical == "Processing"]
        assert open_ and closed
        detail = (await client.fulfillment.get_order(open_[0].seller_fulfillment_order_id)).data
        assert detail.items
        outcomes = []
        for o in open_[:3]:
            result = await client.fulfillment.cancel_order(o.seller_fulfillment_order_id)
            assert result.data.status_after is not None
            outcomes.append(result.data.confirmed)
        assert any(outcomes)
        with pytest.raises(InvalidStateError):
            await client.fulfillment.cancel_order(closed[0].seller_fulfillment_order_id)


async def test_token_expired_at_the_server_is_refreshed_once(sandbox: Sandbox) -> None:
    # The client's clock is an hour behind the sandbox's: its cached token looks fresh to
    # it, the sandbox answers 403 "expired", the client refreshes once and succeeds.
    server_clock = sandbox.clock
    client_clock = FakeClock(server_clock.time())
    async with make(sandbox, client_clock) as client:
        await client.reports.iter_reports([LISTINGS]).__anext__()
        assert isinstance(server_clock, FakeClock)
        server_clock.advance(3700)
        page = await client.reports.iter_reports([LISTINGS]).__anext__()
    assert page.meta.http_status == 200
    assert client.auth.refreshes == 1 and client.tokens.exchanges == 2


async def test_wrong_refresh_token_and_client(sandbox: Sandbox, clock: FakeClock) -> None:
    async with make(sandbox, clock, refresh_token=Secret("Atzr|wrong")) as client:
        with pytest.raises(AuthError, match="revoked the app or the refresh token is wrong"):
            await client.reports.get_report("1")
    async with make(sandbox, clock, client_id="amzn1.application-oa2-client.nope") as client:
        with pytest.raises(AuthError, match="client id/secret wrong"):
            await client.reports.get_report("1")


async def test_429_storm_settles_without_a_retry_storm(sandbox: Sandbox, clock: FakeClock) -> None:
    # A governor that believes getReport has 100 tokens sends into the sandbox's 15: the
    # 429s empty our bucket, the rest is paced; every call ends, few are throttled.
    governor = Governor(clock, overrides={"getReport": Throttle(100, 0.01)})
    async with make(sandbox, clock, governor=governor) as client:
        rid = (await client.reports.create_report(LISTINGS)).data
        records: list[Any] = []
        client.add_observer(records.append)
        results = await asyncio.gather(
            *(client.reports.get_report(rid) for _ in range(40)), return_exceptions=True
        )
    ok = [r for r in results if not isinstance(r, BaseException)]
    throttled = [r for r in records if r.http_status == 429]
    assert len(ok) == 40
    assert throttled, "the sandbox enforced its burst"
    assert len(records) <= 40 + 5  # one drained bucket, not a retry per call


async def test_expired_document_url_is_fetched_again(
    sandbox: Sandbox, clock: FakeClock, tmp_path: Path
) -> None:
    async with make(sandbox, clock) as client:
        rid = (await client.reports.create_report(LISTINGS)).data
        report = await wait_terminal(client, clock, rid)
        assert report.report_document_id
        old = (await client.reports.get_document(report.report_document_id)).data
        clock.advance(301)  # the sandbox's URL is now expired; pretend ours is fresh
        stale = dataclasses.replace(old, fetched_at=clock.time())

        class Api:
            def __init__(self) -> None:
                self.client = client
                self.first = True

            async def get_document(self, document_id: str) -> Any:
                if self.first:
                    self.first = False
                    return dataclasses.replace(
                        await client.reports.get_document(document_id), data=stale
                    )
                return await client.reports.get_document(document_id)

        saved = await documents.download_document(
            Api(),  # type: ignore[arg-type]
            report.report_document_id,
            tmp_path / "r.txt",
        )
    assert saved.data.url_fetches == 2
    assert (tmp_path / "r.txt").read_text("utf-8").strip()


async def test_every_kind_of_demo_document_downloads_and_decodes(
    sandbox: Sandbox, clock: FakeClock, tmp_path: Path
) -> None:
    async with make(sandbox, clock) as client:
        done = [
            r
            async for page in client.reports.iter_reports(ALL_TYPES, statuses=["DONE"])
            for r in page.data
            if r.report_document_id
        ]
        kinds: dict[tuple[bool, str], Any] = {}
        for n, report in enumerate(done[:40]):
            assert report.report_document_id
            saved = (
                await client.reports.download_document(
                    report.report_document_id, tmp_path / f"{n}.txt"
                )
            ).data
            kinds.setdefault((saved.compressed, (saved.charset or "").lower()), saved)
            if {(True, "cp1252"), (True, "utf-8")} <= set(kinds):
                break
    # gzip + Cp1252 listings and gzip + UTF-8 reports, each saved as readable UTF-8 text
    assert {(True, "cp1252"), (True, "utf-8")} <= set(kinds), sorted(kinds)
    for saved in kinds.values():
        assert saved.path.read_text("utf-8").strip()


async def test_paced_calls_are_never_throttled(sandbox: Sandbox, clock: FakeClock) -> None:
    # 10 in the burst, then one per refill: each paced call must find Amazon's token.
    async with make(sandbox, clock) as client:
        records: list[Any] = []
        client.add_observer(records.append)
        start = clock.time()
        for _ in range(16):
            await client.reports.iter_reports([LISTINGS], page_size=1).__anext__()
    assert [r.http_status for r in records if r.operation == "getReports"] == [200] * 16
    floor = 6 / 0.0222
    assert floor <= clock.time() - start <= floor * 1.01


async def test_doctor_checks_token_call_and_clock(sandbox: Sandbox, clock: FakeClock) -> None:
    from mwstui.spapi.health import check_connection

    async with make(sandbox, clock) as client:
        checks = await check_connection(client)
    assert [(c.name, c.ok) for c in checks] == [
        ("LWA token", True),
        ("SP-API call", True),
        ("clock", True),
    ]
    async with make(sandbox, clock, refresh_token=Secret("Atzr|wrong")) as client:
        (check,) = await check_connection(client)
    assert not check.ok and "revoked the app" in check.detail


async def test_doctor_reports_a_clock_that_is_off(sandbox: Sandbox) -> None:
    from mwstui.spapi.health import check_connection

    client_clock = FakeClock(sandbox.clock.time() + 600)
    async with make(sandbox, client_clock) as client:
        checks = await check_connection(client)
    clock_check = checks[-1]
    assert clock_check.name == "clock" and not clock_check.ok
    assert "600 s ahead of Amazon" in clock_check.detail
