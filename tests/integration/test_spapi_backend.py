"""The SP-API backend adapters on the SP-API sandbox: listings, plans, runs, settlement."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from mwstui.backend.models import AccountInfo, ReportJob, Schedule
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.backend.protocols import Feature, Mutation
from mwstui.backend.schedules import ScheduleRequest
from mwstui.clock import FakeClock
from mwstui.journal.store import Journal
from mwstui.sandbox.sandbox import Sandbox
from mwstui.spapi.backend import SpapiReports
from mwstui.spapi.backends import spapi_backends
from mwstui.spapi.client import SPAPIClient
from mwstui.spapi.fulfillment_backend import SpapiFulfillment
from mwstui.spapi.schedules_backend import SpapiSchedules, delete_result
from mwstui.throttle.governor import Governor

HOST = "https://sellingpartnerapi-na.sandbox.test"


class Rig:
    def __init__(self, tmp: Path) -> None:
        self.clock = FakeClock()
        self.sandbox = Sandbox.create(clock=self.clock)
        self.governor = Governor(self.clock)
        self.journal = Journal(tmp / "journal.db", self.clock)
        creds = self.sandbox.credentials
        self.client = SPAPIClient(
            region=creds.spapi_region,
            client_id=creds.spapi_client_id,
            client_secret=creds.spapi_client_secret,
            refresh_token=creds.spapi_refresh_token,
            seller_id=creds.spapi_seller_id,
            governor=self.governor,
            clock=self.clock,
            endpoint=HOST,
            lwa_endpoint=HOST,
            marketplace_ids=(creds.spapi_marketplace_id,),
            transport=httpx.ASGITransport(app=self.sandbox.spapi_app),
            journal=self.journal,
            profile="t",
        )
        account = AccountInfo(
            "t", "spapi", creds.spapi_seller_id, creds.spapi_marketplace_id, self.client.host
        )
        self.reports = SpapiReports(self.client, account, self.governor)
        self.schedules = SpapiSchedules(self.client, account, self.governor)
        self.fulfillment = SpapiFulfillment(self.client, account, self.governor)


@pytest.fixture
async def rig(tmp_path: Path) -> Rig:
    r = Rig(tmp_path)
    yield r  # type: ignore[misc]
    await r.client.aclose()
    r.journal.close()


def test_they_satisfy_the_protocols(rig: Rig) -> None:
    wired = spapi_backends(rig.client, rig.reports.account, rig.governor)
    assert [type(b).__name__ for b in wired.all()] == [
        "SpapiReports",
        "SpapiSchedules",
        "SpapiFulfillment",
    ]
    assert Feature.REPORT_DOCUMENTS not in rig.reports.features
    assert Feature.ACKNOWLEDGEMENTS not in rig.reports.features
    assert Feature.SCHEDULE_REPLACES in rig.schedules.features
    assert {b.operation for b in rig.fulfillment.budgets()} >= {"cancelFulfillmentOrder"}
    assert rig.reports.budget("getReports").throttle.capacity == 10


async def test_report_cancel_plan_and_run(rig: Rig) -> None:
    rid = (await rig.client.reports.create_report("GET_MERCHANT_LISTINGS_ALL_DATA")).data
    rows = {j.id: j async for page in rig.reports.list_jobs() for j in page.rows}
    assert rid in rows and rows[rid].status.cancellable
    done = next(j for j in rows.values() if str(j.status) == "DONE")
    plan = rig.reports.plan_cancel([rid, done.id, "gone"], rows)
    assert plan.keys() == [rid]
    reasons = {s.key: s.reason for s in plan.skipped}
    assert "not IN_QUEUE" in reasons[done.id] and "refresh" in reasons["gone"]
    assert plan.calls == 2  # the cancel and its read-back
    result = await plan.run(rid)
    assert result.outcome is Outcome.DONE and result.request_id
    docs = [p async for p in rig.reports.list_documents()]
    assert docs == []
    assert rig.reports.plan_acknowledge(["x"], {}, True).empty


async def test_a_report_cancel_carries_the_report_as_read_back(rig: Rig) -> None:
    # The Reports panel updates its rows from ``result.read`` instead of listing again:
    # the job must be the one getReport returned, as the list would show it.
    listings = "GET_MERCHANT_LISTINGS_ALL_DATA"
    rid, other = [(await rig.client.reports.create_report(listings)).data for _ in range(2)]
    rows = {j.id: j async for page in rig.reports.list_jobs() for j in page.rows}
    plan = rig.reports.plan_cancel([rid, other], rows)
    result = await plan.run(rid)
    job = result.read
    assert isinstance(job, ReportJob) and job.id == rid, result
    assert str(job.status) == "CANCELLED" and job.note == "or no data"
    assert job.report_type == rows[rid].report_type
    # A read that failed carries nothing: the panel must fetch that row again.
    rig.sandbox.faults.add("getReport:internal")  # every retry of the read too
    unread = await plan.run(other)
    assert unread.outcome is Outcome.NOT_CONFIRMED and unread.read is None, unread
    assert unread.detail.startswith("accepted; read-back failed") and unread.request_id


async def test_lost_cancel_answer_is_settled_by_a_read(rig: Rig) -> None:
    rid = (await rig.client.reports.create_report("GET_MERCHANT_LISTINGS_ALL_DATA")).data
    rows = {j.id: j async for page in rig.reports.list_jobs() for j in page.rows}
    rig.sandbox.faults.add("cancelReport:drop-after:next=1")
    result = await rig.reports.plan_cancel([rid], rows).run(rid)
    assert result.outcome is Outcome.DONE and "answer lost" in result.detail
    assert isinstance(result.read, ReportJob) and result.read.id == rid
    (entry,) = [e for e in rig.journal.entries(None) if e.operation == "cancelReport"]
    assert entry.status == "unknown"
    settled = await rig.reports.check_outcome(
        Mutation(entry.service, entry.account, entry.operation, entry.items, entry.params)
    )
    assert settled is not None and settled.outcome is Outcome.DONE


async def test_schedules_list_and_delete(rig: Rig) -> None:
    sid = (await rig.client.reports.create_schedule("GET_FLAT_FILE_OPEN_LISTINGS_DATA", "P1D")).data
    rows = {s.id: s async for page in rig.schedules.list_schedules() for s in page.rows}
    assert rows[sid].period == "P1D" and rows[sid].period_seconds == 86400
    plan = rig.schedules.plan_delete([sid, "nope"], rows)
    assert plan.keys() == [sid] and plan.skipped[0].key == "nope"
    assert (await plan.run(sid)).outcome is Outcome.DONE
    rows = {s.id: s async for page in rig.schedules.list_schedules() for s in page.rows}
    assert sid not in rows


async def test_a_schedule_save_carries_the_new_schedule_as_read_back(rig: Rig) -> None:
    rows = {s.id: s async for page in rig.schedules.list_schedules() for s in page.rows}
    request = ScheduleRequest("GET_FLAT_FILE_OPEN_LISTINGS_DATA", "P1D", ("ATVPDKIKX0DER",))
    result = await rig.schedules.plan_save(request, rows).run(request.report_type)
    assert result.outcome is Outcome.DONE, result
    saved = result.read
    assert isinstance(saved, Schedule) and saved.period == "P1D"
    assert result.detail == f"created {saved.id} every P1D"
    listed = {s.id: s async for page in rig.schedules.list_schedules() for s in page.rows}
    assert listed[saved.id] == saved  # as the list shows it


def test_a_delete_that_did_not_take_carries_the_schedule_still_there() -> None:
    still = Schedule("S-1", "T", "P1D", 86400)
    assert delete_result(None, False) == ItemResult(Outcome.DONE, "deleted")
    kept = delete_result(still, False)
    assert (kept.outcome, kept.read) == (Outcome.NOT_CONFIRMED, still)
    lost = delete_result(still, True)
    assert (lost.outcome, lost.detail) == (
        Outcome.UNKNOWN, "answer lost; getReportSchedule still finds it",
    )  # fmt: skip


async def test_fulfillment_cancel_plan_and_run(rig: Rig) -> None:
    start = rig.clock.now().replace(year=rig.clock.now().year - 1)
    rows = {o.id: o async for page in rig.fulfillment.list_orders(since=start) for o in page.rows}
    open_ = [o.id for o in rows.values() if o.status.cancellable]
    closed = [o.id for o in rows.values() if str(o.status).casefold() == "processing"]
    plan = rig.fulfillment.plan_cancel([*open_[:3], closed[0]], rows)
    assert plan.keys() == open_[:3]
    assert "not Received or Planning" in plan.skipped[0].reason
    assert plan.calls == 6
    taken = plan.keys()
    results = [await plan.run(k) for k in taken]
    assert any(r.outcome is Outcome.DONE for r in results)
    assert all(r.outcome in (Outcome.DONE, Outcome.NOT_CONFIRMED) for r in results)
    detail = await rig.fulfillment.order_detail(open_[0])
    assert detail.order.id == open_[0]


async def test_report_pages_are_numbered_and_say_whether_more_follow(rig: Rig) -> None:
    pages = [p async for p in rig.reports.list_jobs()]
    assert len(pages) > 1
    assert [p.number for p in pages] == list(range(1, len(pages) + 1))
    assert [p.more for p in pages] == [True] * (len(pages) - 1) + [False]
    ids = [r.id for p in pages for r in p.rows]
    assert len(ids) == len(set(ids))
    assert all(p.request_id for p in pages)
    statuses = [r.status for p in pages for r in p.rows]
    assert all(s.known for s in statuses)
    assert any(s.cancellable for s in statuses) and any(not s.cancellable for s in statuses)


async def test_the_first_page_arrives_before_the_next_is_asked_for(rig: Rig) -> None:
    from mwstui.calls import CallRecord

    calls: list[CallRecord] = []
    rig.client.add_observer(calls.append)
    since = rig.clock.now().replace(year=rig.clock.now().year - 1)
    for listing in (rig.reports.list_jobs(), rig.fulfillment.list_orders(since=since)):
        calls.clear()
        first = await anext(listing)
        assert first.rows and first.more
        assert len([c for c in calls if c.operation != "LWA token"]) == 1
        await listing.aclose()  # type: ignore[attr-defined]
