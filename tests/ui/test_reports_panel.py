"""Report requests: loading, filters, request, cancel (confirm, decline, read-only), download."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, Select

from mwstui.backend.outcomes import Outcome
from mwstui.ui.dialogs.bulk import BulkRunModal
from mwstui.ui.dialogs.confirm import ConfirmModal
from mwstui.ui.reports.download_modal import DownloadModal
from mwstui.ui.reports.preview_screen import PreviewScreen
from mwstui.ui.reports.reports_panel import ReportsPanel
from mwstui.ui.reports.request_report_modal import RequestReportModal
from tests.ui.harness import SIZE, Harness, make_app, settle

SUBMITTED, CANCELLED, DONE = "_SUBMITTED_", "_CANCELLED_", "_DONE_"


def sandbox_status(h: Harness, request_id: str) -> str:
    return h.sandbox.seller().reports.requests[request_id].status(h.clock.time())


def calls_of(app: object, operation: str) -> int:
    return sum(1 for _, r in app.activity.records() if r.operation == operation)  # type: ignore[attr-defined]


async def test_loads_every_request_from_the_sandbox(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        now = harness.clock.time()
        # GetReportRequestList without dates covers the last 90 days.
        expected = harness.sandbox.seller().reports.find_requests(now=now, since=now - 90 * 86400)
        assert set(panel.jobs) == {r.request_id for r in expected}
        assert panel.main_table().row_count == len(expected)
        assert calls_of(app, "GetReportRequestList") == 1


async def test_status_and_text_filters(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        table = panel.main_table()
        panel.query_one("#reports-status", Select).value = DONE
        await pilot.pause()
        done = [i for i in panel.jobs.values() if str(i.status) == DONE]
        assert table.row_count == len(done) > 0
        needle = "flat"
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*needle)
        await pilot.pause()
        expected = [i for i in done if needle in i.report_type.lower()]
        assert 0 < len(expected) < len(done)
        assert table.row_count == len(expected)


async def test_cancel_confirmed_changes_the_sandbox_and_journals(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        table = panel.main_table()
        submitted = [k for k, i in panel.jobs.items() if str(i.status) == SUBMITTED]
        done = next(k for k, i in panel.jobs.items() if str(i.status) == DONE)
        targets = submitted[:2]
        table.set_marks([*targets, done])
        await pilot.press("c")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ConfirmModal)
        assert modal.request.items == targets
        assert [i for i, _ in modal.request.skipped] == [done]
        assert modal.request.calls == 1
        # The report type goes beside each id: what is being cancelled, not just a number.
        assert modal.request.item_notes == {t: panel.jobs[t].report_type for t in targets}
        assert app.focused is modal.query_one("#confirm-back", Button)
        await pilot.click("#confirm-go")
        await settle(pilot)
        assert isinstance(app.screen, BulkRunModal)
        assert app.screen.report.count(Outcome.DONE) == 2
        listed = calls_of(app, "GetReportRequestList")
        await pilot.press("escape")
        await settle(pilot)
        for rid in targets:
            assert sandbox_status(harness, rid) == CANCELLED
        # The rows show the requests as the cancel's answer read them: no list again.
        assert calls_of(app, "GetReportRequestList") == listed
        shown = {r.key: str(r.values[1]) for r in table.visible_rows()}
        assert [shown[t] for t in targets] == [CANCELLED, CANCELLED]
        assert shown[done] == DONE
        entries = harness.journal.entries(10)
        assert [e.operation for e in entries] == ["CancelReportRequests"]
        assert list(entries[0].items) == targets
        assert entries[0].status == "ok"
        assert panel.jobs[targets[0]].status.value == CANCELLED


async def test_cancel_declined_sends_nothing(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        rid = next(k for k, i in panel.jobs.items() if str(i.status) == SUBMITTED)
        panel.main_table().move_to_key(rid)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("enter")  # the focused, default button is the safe one
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
        assert sandbox_status(harness, rid) == SUBMITTED
        assert harness.journal.entries(10) == []
        assert calls_of(app, "CancelReportRequests") == 0


async def test_cancel_of_only_started_requests_offers_nothing(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        rid = next(k for k, i in panel.jobs.items() if str(i.status) == DONE)
        panel.main_table().move_to_key(rid)
        await pilot.press("c")
        await pilot.pause()
        # The same dialog as every panel's: nothing to act on, the reason, no way to send.
        modal = app.screen
        assert isinstance(modal, ConfirmModal)
        assert modal.request.items == [] and modal.request.calls == 0
        assert modal.request.skipped == [(rid, "status _DONE_: already started or ended")]
        assert modal.query_one("#confirm-go", Button).disabled
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
        assert calls_of(app, "CancelReportRequests") == 0
        assert harness.journal.entries(10) == []


async def test_read_only_hides_and_refuses_mutations(ro_harness: Harness) -> None:
    app = make_app(ro_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        keys = {b.binding.action for b in app.screen.active_bindings.values()}
        assert "cancel_selected" not in keys
        assert "request_report" not in keys
        assert "download" in keys
        await pilot.press("c", "n")
        await pilot.pause()
        assert app.screen.__class__.__name__ != "ConfirmModal"
        panel.action_cancel_selected()
        panel.action_request_report()
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert ro_harness.journal.entries(10) == []


async def test_request_a_report_through_the_form(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = len(harness.sandbox.seller().reports.requests)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, RequestReportModal)
        await pilot.click("#rr-go")
        assert "pick a report type" in str(app.screen.query_one("#rr-error").render())
        app.screen.query_one("#rr-type Input", Input).focus()
        await pilot.press(*"listings all", "enter")
        app.screen.query_one("#rr-start", Input).value = "2025-12-01"
        await pilot.click("#rr-go")
        await settle(pilot)
        reports = harness.sandbox.seller().reports.requests
        assert len(reports) == before + 1
        new = max(reports.values(), key=lambda r: r.submitted)
        assert new.report_type == "_GET_MERCHANT_LISTINGS_ALL_DATA_"
        assert harness.journal.entries(1)[0].operation == "RequestReport"


async def test_download_verifies_and_previews(harness: Harness, tmp_path: Path) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        rid = next(k for k, i in panel.jobs.items() if str(i.status) == DONE and i.document_id)
        panel.main_table().move_to_key(rid)
        await pilot.press("d")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, DownloadModal)
        dest = tmp_path / "report.txt"
        modal.query_one("#dl-path", Input).value = str(dest)
        await pilot.click("#dl-go")
        await settle(pilot)
        assert dest.exists()
        assert modal.saved is not None and modal.saved.verified
        assert "MD5 verified" in str(modal.query_one("#dl-status").render())
        await pilot.click("#dl-preview")
        await settle(pilot)
        assert isinstance(app.screen, PreviewScreen)
        assert app.screen.query("#preview-table")
        await pilot.press("escape")
        assert panel.downloads[panel.jobs[rid].document_id or ""].path == dest
