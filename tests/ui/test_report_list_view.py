"""Available reports (GetReportList) in the Reports panel: list, filters, download, acknowledge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Select

from mwstui.backend.models import ReportDocument
from mwstui.backend.outcomes import Outcome
from mwstui.calls import CallRecord
from mwstui.errors import ReadOnlyError
from mwstui.sandbox.mws.reports_handlers import RETENTION
from mwstui.sandbox.mws.reports_state import Report
from mwstui.ui.dialogs.bulk import BulkRunModal
from mwstui.ui.dialogs.confirm import ConfirmModal
from mwstui.ui.reports.download_modal import DownloadModal
from mwstui.ui.reports.report_list_view import ReportListView
from mwstui.ui.reports.reports_panel import ReportsPanel
from mwstui.ui.widgets.budget_panel import BudgetPanel
from mwstui.ui.widgets.resource_table import ResourceTable
from tests.ui.harness import SIZE, Harness, make_app, sandbox_session, screen_text, settle

SETTLEMENT_ID = "98765432101234567"
SETTLEMENT = "_GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_"


async def until(pilot: Pilot[None], cond: Callable[[], object], rounds: int = 400) -> None:
    """Let the app run until ``cond`` holds; fail after ``rounds`` turns."""
    for _ in range(rounds):
        if cond():
            return
        await pilot.pause()
    raise AssertionError("condition not reached")


def with_settlement(h: Harness) -> Harness:
    """Add a report Amazon generated on its own: it has no request in the requests list."""
    state = h.sandbox.seller().reports
    state.reports[SETTLEMENT_ID] = Report(SETTLEMENT_ID, SETTLEMENT, None, h.clock.time() - 60, 5)
    return h


@pytest.fixture
def h(tmp_path: Path) -> Harness:
    return with_settlement(sandbox_session(tmp_path))


def watch(h: Harness) -> list[CallRecord]:
    calls: list[CallRecord] = []
    assert h.session.mws is not None
    h.session.mws.add_observer(calls.append)
    return calls


def ops(calls: list[CallRecord]) -> list[str]:
    return [c.operation for c in calls]


def available(h: Harness, at: CallRecord) -> list[Report]:
    """What the sandbox had to list when ``at`` (the first GetReportList) was answered:
    the reports of the last 90 days (its default AvailableFromDate)."""
    now = at.started_at.timestamp()
    return h.sandbox.seller().reports.find_reports(since=now - RETENTION, now=now)


async def open_view(pilot: Pilot[None]) -> ReportListView:
    """Start, let the requests load, then ``v`` to the available reports."""
    await settle(pilot)
    panel = pilot.app.query_one(ReportsPanel)
    await pilot.press("v")
    view = panel.report_list
    await until(pilot, lambda: view.loaded_at is not None and not view.is_loading())
    await until(pilot, lambda: pilot.app.focused is view.table)
    return view


async def finish_run(pilot: Pilot[None]) -> None:
    """Let the run dialog the confirmation opened finish (every item done), then close it."""
    run = pilot.app.screen
    assert isinstance(run, BulkRunModal)
    await until(pilot, lambda: run.finished)
    assert run.report.count(Outcome.DONE) == len(run.report.results)
    await pilot.press("escape")


def mark_unacknowledged(view: ReportListView, n: int) -> list[str]:
    ids = sorted(k for k, r in view.reports.items() if not r.acknowledged)[:n]
    view.table.set_marks(ids)
    return ids


async def test_lists_every_page_including_reports_without_a_request(h: Harness) -> None:
    calls = watch(h)
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_view(pilot)
        panel = app.query_one(ReportsPanel)
        assert panel.view == "available" and view.display
        assert not panel.requests_table().display
        listed = [c for c in calls if c.operation.startswith("GetReportList")]
        assert ops(listed)[0] == "GetReportList"
        expected = available(h, listed[0])
        assert len(expected) > 100  # more than one page
        assert set(view.reports) == {r.report_id for r in expected}
        assert view.table.row_count == len(expected)
        assert "GetReportListByNextToken" in ops(listed)
        # The settlement report: no request id, the newest, on screen.
        row = view.table.row(SETTLEMENT_ID)
        assert row is not None and row.values[1] == SETTLEMENT and row.values[2] is None
        assert view.table.cursor_key == SETTLEMENT_ID
        assert SETTLEMENT_ID not in {i.document_id for i in panel.jobs.values()}
        assert f"{len(expected)} of {len(expected)} available reports" in screen_text(app)
        # The budget shows what this view spends; copy id and export act on its table.
        budget = app.query_one(BudgetPanel)
        assert h.session.backends.reports is not None
        assert budget.operations == list(h.session.backends.reports.document_operations)
        labels = [r[0].plain for r in map(budget.query_one(DataTable).get_row_at, range(4))]
        assert labels[0] == "GetReportList" and "UpdateReportAcknowledgements" in labels
        assert panel.main_table() is view.table and panel.selected_id() == SETTLEMENT_ID
        exported = panel.export_table()
        assert exported is not None and len(exported[1]) == len(expected)
        # Request actions are off here; v leads back (the status line says so).
        bindings = app.screen.active_bindings
        assert "c" not in bindings and "n" not in bindings
        assert bindings["v"].binding.description == "Report requests"
        assert bindings["k"].binding.description == "Acknowledge"
        assert "v: requests" in screen_text(app)


async def test_v_switches_back_and_each_view_keeps_its_own_refresh(h: Harness) -> None:
    calls = watch(h)
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_view(pilot)
        panel = app.query_one(ReportsPanel)
        n = len(calls)
        await pilot.press("v")
        await settle(pilot)
        assert panel.view == "requests" and not view.display
        assert len(calls) == n  # the requests were loaded: shown again without a call
        assert app.query_one(BudgetPanel).operations == ReportsPanel.operations
        assert app.screen.active_bindings["v"].binding.description == "Available reports"
        assert "v: available reports" in screen_text(app)
        await pilot.press("v")
        await settle(pilot)
        assert len(calls) == n  # nor the available reports
        await pilot.press("r")
        await until(pilot, lambda: len(calls) > n and not view.is_loading())
        assert ops(calls[n:])[0] == "GetReportList"  # r refreshes the view shown
        # Auto-refresh follows the view shown too.
        h.clock.advance(61)
        m = len(calls)
        await until(pilot, lambda: len(calls) > m and not panel.is_loading())
        assert ops(calls[m:])[0] == "GetReportList"


async def test_filters_are_sent_and_a_bad_type_is_refused_by_its_field(h: Harness) -> None:
    calls = watch(h)
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_view(pilot)
        n = len(calls)
        box = view.query_one("#rl-type", Input)
        box.value = "settlement please"
        await pilot.press("t")  # the table has the keyboard: t jumps to the type field
        assert app.focused is box
        await pilot.press("enter")
        await pilot.pause()
        error = str(view.query_one("#rl-type-error").render())
        assert "ReportType 'settlement please' is not a report type" in error
        assert len(calls) == n
        box.value = SETTLEMENT
        await pilot.press("enter")
        await until(pilot, lambda: len(calls) > n and not view.is_loading())
        assert calls[n].params["ReportTypeList.Type.1"] == SETTLEMENT
        assert str(view.query_one("#rl-type-error").render()) == ""
        assert SETTLEMENT_ID in view.reports
        assert {r.report_type for r in view.reports.values()} == {SETTLEMENT}
        m = len(calls)
        view.query_one("#rl-ack", Select).value = "no"
        await until(pilot, lambda: len(calls) > m and not view.is_loading())
        assert calls[m].params["Acknowledged"] == "false"
        assert "type _GET_V2_SETTLEMENT" in screen_text(app)


async def test_download_an_amazon_generated_report(h: Harness, tmp_path: Path) -> None:
    calls = watch(h)
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_view(pilot)
        assert view.table.cursor_key == SETTLEMENT_ID
        await pilot.press("d")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, DownloadModal) and modal.report_id == SETTLEMENT_ID
        dest = tmp_path / "settlement.txt"
        modal.query_one("#dl-path", Input).value = str(dest)
        await pilot.click("#dl-go")
        await until(pilot, lambda: modal.saved is not None)
        assert modal.saved is not None and modal.saved.verified
        assert dest.read_bytes().startswith(b"settlement-id")
        assert ops(calls).count("GetReport") == 1
        await pilot.click("#dl-close")
        await pilot.pause()
        assert view.downloads[SETTLEMENT_ID].path == dest


async def test_acknowledge_after_confirmation_and_journaled(h: Harness) -> None:
    calls = watch(h)
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_view(pilot)
        acked = next(k for k, r in view.reports.items() if r.acknowledged)
        ids = mark_unacknowledged(view, 2)
        view.table.set_marks([*ids, acked])
        await pilot.press("k")
        confirm = app.screen
        assert isinstance(confirm, ConfirmModal)
        req = confirm.request
        assert req.operation == "UpdateReportAcknowledgements"
        assert sorted(req.items) == ids
        assert req.skipped == [(acked, "already acknowledged")]
        assert req.calls == 1 and req.account == h.session.mws_account
        assert app.focused is confirm.query_one("#confirm-back", Button)
        await pilot.press("tab", "enter")
        await finish_run(pilot)
        await until(pilot, lambda: not view.table.marked and not view.is_loading())
        await until(pilot, lambda: all(view.reports[i].acknowledged for i in ids))
    state = h.sandbox.seller().reports.reports
    assert all(state[i].acknowledged for i in ids)
    sent = [c for c in calls if c.operation == "UpdateReportAcknowledgements"]
    assert len(sent) == 1 and sent[0].params["Acknowledged"] == "true"
    entries = [e for e in h.journal.entries() if e.operation == "UpdateReportAcknowledgements"]
    assert len(entries) == 1 and sorted(entries[0].items) == ids
    assert entries[0].status == "ok"


async def test_unacknowledge(h: Harness) -> None:
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_view(pilot)
        acked = sorted(k for k, r in view.reports.items() if r.acknowledged)[0]
        view.table.move_to_key(acked)
        await pilot.press("u")
        confirm = app.screen
        assert isinstance(confirm, ConfirmModal) and confirm.request.items == [acked]
        await pilot.press("tab", "enter")
        await finish_run(pilot)
        await until(pilot, lambda: not view.reports[acked].acknowledged)
    assert not h.sandbox.seller().reports.reports[acked].acknowledged


async def test_declining_sends_nothing(h: Harness) -> None:
    calls = watch(h)
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_view(pilot)
        ids = mark_unacknowledged(view, 3)
        await pilot.press("k")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("enter")  # the focused, safe button
        await settle(pilot)
        assert app.screen is app.screen_stack[0]
        await pilot.press("k")
        await pilot.press("escape")
        await settle(pilot)
        assert sorted(view.table.marked) == ids  # still marked, nothing done
    assert "UpdateReportAcknowledgements" not in ops(calls)
    state = h.sandbox.seller().reports.reports
    assert not any(state[i].acknowledged for i in ids)
    assert h.journal.entries() == []


async def test_read_only_hides_and_refuses_acknowledge(tmp_path: Path) -> None:
    h = with_settlement(sandbox_session(tmp_path, read_only=True))
    calls = watch(h)
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_view(pilot)
        bindings = app.screen.active_bindings
        assert "k" not in bindings and "u" not in bindings and "d" in bindings
        budget = [r[0].plain for r in map(
            app.query_one(BudgetPanel).query_one(DataTable).get_row_at, range(3)
        )]  # fmt: skip
        assert "UpdateReportAcknowledgements" not in budget
        await pilot.press("k")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
        view.action_acknowledge()  # as the command palette would: refused
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
        assert any("Read-only" in str(n.title) for n in app._notifications)
    assert h.session.mws is not None
    with pytest.raises(ReadOnlyError):
        await h.session.mws.reports.update_report_acknowledgements([SETTLEMENT_ID])
    assert "UpdateReportAcknowledgements" not in ops(calls)
    assert not h.sandbox.seller().reports.reports[SETTLEMENT_ID].acknowledged
    assert h.journal.entries() == []


async def test_a_failed_load_is_reported(tmp_path: Path) -> None:
    h = sandbox_session(tmp_path, faults="GetReportList:internal:always")
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        view = app.query_one(ReportsPanel).report_list
        await until(
            pilot, lambda: any("available reports" in str(n.title) for n in app._notifications)
        )
        await settle(pilot)
        assert not view.table.loading and view.reports == {}
        assert app.is_running


def test_columns_and_the_request_less_row() -> None:
    from mwstui.ui.reports.report_list_view import COLUMNS, report_row

    row = report_row(ReportDocument(SETTLEMENT_ID, SETTLEMENT))
    assert [c.key for c in COLUMNS] == [
        "report_id", "report_type", "request_id", "available", "acknowledged",
        "acknowledged_date",
    ]  # fmt: skip
    assert row.key == SETTLEMENT_ID and row.values[2] is None
    cells = ResourceTable(COLUMNS)._cells(row)
    assert [c.plain for c in cells] == [SETTLEMENT_ID, SETTLEMENT, "—", "—", "no", "—"]
