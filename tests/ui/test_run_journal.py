"""A run's truth in the journal: each item's outcome, and a quit in the middle of a run."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import httpx
import pytest
from textual.widgets import Button

from mwstui.backend.models import ReportJob
from mwstui.backend.outcomes import Outcome
from mwstui.clock import FakeClock
from mwstui.commands.journal_cmd import format_table
from mwstui.journal.store import Journal
from mwstui.mws.backend_records import report_statuses
from mwstui.sandbox.sandbox import Sandbox
from mwstui.throttle.governor import Governor
from mwstui.ui.activity.inspector_modal import InspectorModal
from mwstui.ui.app import MwstuiApp
from mwstui.ui.dialogs.bulk import BulkRunModal
from mwstui.ui.dialogs.quit_modal import QuitDuringRunModal
from mwstui.wiring import build_session, sandbox_targets
from tests.ui.harness import (
    MWS_ENDPOINT,
    SC_ENDPOINT,
    SIZE,
    START,
    Harness,
    make_app,
    settle,
    until,
)
from tests.ui.test_bulk import Host


def requests_with(h: Harness, status: str) -> list[str]:
    now = h.clock.time()
    reqs = h.sandbox.seller().reports.requests
    return sorted(rid for rid, r in reqs.items() if r.status(now) == status)


async def test_a_cancel_that_had_no_effect_is_journaled_failed_per_item(
    harness: Harness,
) -> None:
    h = harness
    backend = h.session.backends.reports
    assert backend is not None

    # The race the journal must record truthfully: the requests start between the list
    # (which showed them queued) and the cancel, which then has no effect.
    def listed_queued(ids: list[str]) -> dict[str, ReportJob]:
        return {i: ReportJob(i, "_GET_ORDERS_DATA_", report_statuses()("_SUBMITTED_")) for i in ids}

    done = requests_with(h, "_DONE_")[:2]
    submitted = requests_with(h, "_SUBMITTED_")[:1]
    plan = backend.plan_cancel(done, listed_queued(done))
    modal = BulkRunModal("Cancelling 2 report requests", done, plan.run, journal=h.journal)
    async with Host(modal).run_test(size=SIZE) as pilot:
        await until(pilot, lambda: modal.finished)
    (entry,) = h.journal.entries()
    # The service answered without an error, but neither request was cancelled.
    assert entry.operation == "CancelReportRequests" and entry.status == "failed"
    assert [entry.outcomes[i].outcome for i in done] == [Outcome.FAILED] * 2
    assert "still _DONE_" in entry.outcomes[done[0]].detail

    table = "\n".join(format_table([entry]))
    assert " failed " in table and " ok " not in table
    assert f"{done[0]}: failed · still _DONE_" in table

    out = io.StringIO()
    h.journal.to_csv(out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["status"] == "failed" and '"outcome": "failed"' in rows[0]["outcomes"]

    inspector = InspectorModal.for_entry(entry)
    assert f"{done[1]}: failed · still _DONE_" in inspector.body

    # One done and one not: the entry says so, never "ok".
    mixed = [submitted[0], requests_with(h, "_DONE_")[2]]
    plan = backend.plan_cancel(mixed, listed_queued(mixed))
    modal = BulkRunModal("Cancelling 2 report requests", mixed, plan.run, journal=h.journal)
    async with Host(modal).run_test(size=SIZE) as pilot:
        await until(pilot, lambda: modal.finished)
    latest = h.journal.entries(1)[0]
    assert latest.status == "partial"
    assert latest.outcome_counts() == "1 done, 1 failed"


class GatedTransport(httpx.AsyncBaseTransport):
    """The sandbox, except that a CancelFulfillmentOrder for ``held`` waits for ``gate``."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.held = ""
        self.gate = asyncio.Event()
        self.arrived = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = request.content.decode()
        if "Action=CancelFulfillmentOrder" in body and f"={self.held}" in body:
            self.arrived.set()
            await self.gate.wait()
        return await self.inner.handle_async_request(request)


def gated_harness(workdir: Path) -> tuple[Harness, GatedTransport]:
    clock = FakeClock(START)
    sandbox = Sandbox.create(clock=clock)
    journal = Journal(workdir / "journal.db", clock)
    gated = GatedTransport(httpx.ASGITransport(app=sandbox.mws_app))
    mws, sc = sandbox_targets(
        sandbox,
        mws_endpoint=MWS_ENDPOINT,
        sellercenter_endpoint=SC_ENDPOINT,
        mws_transport=gated,
        sellercenter_transport=httpx.ASGITransport(app=sandbox.sellercenter_app),
    )
    session = build_session(
        clock=clock,
        profile="sandbox",
        mws=mws,
        sellercenter=sc,
        governor=Governor(clock),
        journal=journal,
        sandbox=True,
    )
    return Harness(session, sandbox, clock, journal), gated


def order_status(h: Harness, order_id: str) -> str:
    return str(h.sandbox.seller().fulfillment.orders[order_id].status(h.clock.time()))


def planning_orders(h: Harness, n: int) -> list[str]:
    orders = h.sandbox.seller().fulfillment.orders
    found = sorted(o for o in orders if order_status(h, o) in ("PLANNING", "RECEIVED"))
    return found[:n]


def start_run(h: Harness, app: MwstuiApp, items: list[str]) -> BulkRunModal:
    backend = h.session.backends.fulfillment
    assert backend is not None
    modal = BulkRunModal(f"Cancelling {len(items)} fulfillment orders", items, backend.cancel_one)
    app.push_screen(modal)
    return modal


async def test_quit_during_a_run_asks_then_stops_and_says_what_was_not_sent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    h, gated = gated_harness(tmp_path)
    first, second, third = planning_orders(h, 3)
    gated.held = second
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bulk = start_run(h, app, [first, second, third])
        await until(pilot, lambda: gated.arrived.is_set())
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, QuitDuringRunModal))
        question = app.screen
        assert isinstance(question, QuitDuringRunModal)
        assert "2 items not finished. Quit anyway?" in question.question
        await pilot.press("enter")  # the focused answer keeps the run going
        await until(pilot, lambda: app.screen is bulk)
        assert app.is_running and not bulk.stop_requested

        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, QuitDuringRunModal))
        await pilot.click("#quit-go")
        await until(pilot, lambda: bulk.interrupted)
        gated.gate.set()  # the call in flight answers within the grace period
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 1
    said = capsys.readouterr().err
    assert "Stopped: 2 done, 1 not sent" in said
    assert f"not sent: {third}" in said and f"sent, done: {first} {second}" in said
    entries = {e.items[0]: e for e in h.journal.entries()}
    assert entries[first].status == "ok" and entries[second].status == "ok"
    assert entries[third].status == "not sent" and entries[third].operation == (
        "CancelFulfillmentOrder"
    )
    assert entries[third].outcomes[third].outcome is Outcome.NOT_SENT
    assert order_status(h, third) != "CANCELLED"


async def test_a_second_quit_cuts_off_the_call_in_flight_and_records_it_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    h, gated = gated_harness(tmp_path)
    first, second, third = planning_orders(h, 3)
    gated.held = first
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bulk = start_run(h, app, [first, second, third])
        await until(pilot, lambda: gated.arrived.is_set())
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, QuitDuringRunModal))
        app.screen.query_one("#quit-go", Button).press()
        await until(pilot, lambda: bulk.interrupted)
        await pilot.press("ctrl+q")  # do not wait for the answer
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 1
    said = capsys.readouterr().err
    assert f"sent, outcome unknown: {first}" in said
    assert f"not sent: {second} {third}" in said
    entries = {e.items[0]: e for e in h.journal.entries()}
    assert entries[first].status == "unknown"
    # Records name what happened, never a Python exception.
    assert entries[first].error_code == "Interrupted"
    assert all("Error" not in (e.error_code or "") for e in entries.values())
    assert entries[second].items == (second, third) and entries[second].status == "not sent"
