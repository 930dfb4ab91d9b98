"""The Reports panel on an SP-API session (the SP-API simulator in-process): one list of
reports with SP-API's own statuses, request, cancel (confirm, decline, read-only),
download and preview — the same panel as on MWS, the differences said on screen."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Select

from mwstui.backend.outcomes import Outcome
from mwstui.sandbox.spapi.reports_state import Report
from mwstui.ui.dialogs.bulk import BulkRunModal
from mwstui.ui.dialogs.confirm import ConfirmModal
from mwstui.ui.reports.download_modal import DownloadModal
from mwstui.ui.reports.preview_screen import PreviewScreen
from mwstui.ui.reports.reports_panel import ReportsPanel
from mwstui.ui.reports.request_report_modal import RequestReportModal
from mwstui.ui.widgets.budget_panel import BudgetPanel
from tests.ui.harness import SIZE, Harness, make_app, screen_text, until

IN_QUEUE, DONE, CANCELLED = "IN_QUEUE", "DONE", "CANCELLED"
SPAPI_STATUSES = ["IN_QUEUE", "IN_PROGRESS", "DONE", "CANCELLED", "FATAL"]


def sandbox_reports(h: Harness) -> dict[str, Report]:
    return h.sandbox.spapi.sellers[h.sandbox.credentials.spapi_seller_id].reports.reports


def sandbox_status(h: Harness, report_id: str) -> str:
    return sandbox_reports(h)[report_id].status(h.clock.time())


def calls_of(app: object, operation: str) -> int:
    return sum(1 for _, r in app.activity.records() if r.operation == operation)  # type: ignore[attr-defined]


async def loaded(pilot: Pilot[None]) -> ReportsPanel:
    panel = pilot.app.query_one(ReportsPanel)
    await until(pilot, lambda: panel.loaded_at is not None and not panel.is_loading())
    await until(pilot, lambda: pilot.app.focused is panel.requests_table())
    return panel


def first(panel: ReportsPanel, status: str, *, document: bool | None = None) -> str:
    return next(
        k
        for k, j in sorted(panel.jobs.items())
        if str(j.status) == status and (document is None or bool(j.document_id) == document)
    )


async def test_one_list_of_reports_with_the_spapi_statuses(spapi_harness: Harness) -> None:
    h = spapi_harness
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await loaded(pilot)
        assert panel.account is not None and panel.account.service == "spapi"
        # Every report the simulator holds for the last 90 days, in one list.
        now = h.clock.time()
        kept = {k for k, r in sandbox_reports(h).items() if now - 90 * 86400 < r.created <= now}
        assert set(panel.jobs) and set(panel.jobs) <= kept
        assert {str(j.status) for j in panel.jobs.values()} <= set(SPAPI_STATUSES)
        # The filter offers SP-API's statuses, and says what CANCELLED may mean.
        select = panel.query_one("#reports-status", Select)
        options = [(str(label), value) for label, value in select._options]
        assert [v for _, v in options[1:]] == SPAPI_STATUSES
        assert ("CANCELLED (or no data)", CANCELLED) in options
        select.value = IN_QUEUE
        await pilot.pause()
        queued = [k for k, j in panel.jobs.items() if str(j.status) == IN_QUEUE]
        assert panel.requests_table().row_count == len(queued) > 0
        select.value = CANCELLED
        await pilot.pause()
        text = screen_text(app)
        assert "CANCELLED (or no data)" in text
        # Named as SP-API names them: reports and their documents, one list.
        assert "Report id" in text and "Request id" not in text
        headers = panel.requests_table().export_headers()
        assert headers[0] == "report_id" and headers[-1] == "document_id"
        assert "reports · " in text and "one list (v: why)" in text
        # The budget shows the SP-API operations the list spends.
        budget = app.query_one(BudgetPanel)
        assert budget.operations[0] == "getReports" and "cancelReport" in budget.operations
        labels = [budget.query_one(DataTable).get_row_at(i)[0].plain for i in range(2)]
        assert labels[0] == "getReports"
        # v: no second list, and the key says why.
        await pilot.press("v")
        await pilot.pause()
        assert panel.view == "requests" and not panel.report_list.display
        note = list(app._notifications)[-1]
        assert note.title == "One list of reports"
        assert "no separate list of available reports" in note.message
        assert "acknowledgements" in note.message


async def test_request_a_report(spapi_harness: Harness) -> None:
    h = spapi_harness
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        before = set(sandbox_reports(h))
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RequestReportModal)
        # SP-API's own type names, and the marketplaces of the account's region.
        assert "GET_MERCHANT_LISTINGS_ALL_DATA" in form.report_types
        assert not any(t.startswith("_") for t in form.report_types)
        ticked = [m.id for m in form.marketplaces if m.preselected]
        assert ticked and set(ticked) <= {m.id for m in form.marketplaces}
        form.query_one("#rr-type Input", Input).focus()
        await pilot.press(*"merchant listings all", "enter")
        form.query_one("#rr-start", Input).value = "2025-12-01"
        await pilot.click("#rr-go")

        def requested() -> list[str]:
            # Schedules may make reports meanwhile (the governor's waits move the clock).
            fresh = set(sandbox_reports(h)) - before
            return [k for k in fresh if sandbox_reports(h)[k].schedule_id is None]

        await until(pilot, requested)
        (new,) = requested()
        made = sandbox_reports(h)[new]
        assert made.report_type == "GET_MERCHANT_LISTINGS_ALL_DATA"
        assert set(made.marketplaces) == set(ticked)
        await until(pilot, lambda: bool(h.journal.entries(1)))
        assert h.journal.entries(1)[0].operation == "createReport"
        await until(pilot, lambda: new in app.query_one(ReportsPanel).jobs)


async def test_cancel_confirmed_only_in_queue_and_read_back(spapi_harness: Harness) -> None:
    h = spapi_harness
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await loaded(pilot)
        queued = first(panel, IN_QUEUE)
        done = first(panel, DONE)
        panel.requests_table().set_marks([queued, done])
        await pilot.press("c")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ConfirmModal)
        assert modal.request.operation == "cancelReport"
        assert modal.request.items == [queued]
        assert modal.request.skipped == [
            (done, "status DONE, not IN_QUEUE: already started or ended")
        ]
        # Every call is counted: the cancel and its read-back.
        assert modal.request.calls == 2 and "getReport" in modal.request.calls_text
        assert modal.request.item_notes == {queued: panel.jobs[queued].report_type}
        assert app.focused is modal.query_one("#confirm-back", Button)
        listings = calls_of(app, "getReports")
        await pilot.click("#confirm-go")
        run = app.screen
        assert isinstance(run, BulkRunModal)
        await until(pilot, lambda: run.finished)
        assert run.report.results[queued].outcome is Outcome.DONE
        assert "CANCELLED" in run.report.results[queued].detail
        await pilot.press("escape")
        await until(pilot, lambda: str(panel.jobs[queued].status) == CANCELLED)
        # The row shows the report as getReport read it back: the 8 listings are not
        # fetched again (minutes of getReports' throttle).
        assert calls_of(app, "getReports") == listings and not panel.is_loading()
        assert panel.jobs[queued].note == "or no data"
        assert sandbox_status(h, queued) == CANCELLED and sandbox_status(h, done) == DONE
        (entry,) = h.journal.entries(10)
        assert entry.operation == "cancelReport" and list(entry.items) == [queued]
        assert entry.status == "ok"


async def test_cancel_declined_sends_nothing(spapi_harness: Harness) -> None:
    h = spapi_harness
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await loaded(pilot)
        queued = first(panel, IN_QUEUE)
        panel.requests_table().move_to_key(queued)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("enter")  # the focused, default button is the safe one
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        assert sandbox_status(h, queued) == IN_QUEUE
        assert calls_of(app, "cancelReport") == 0
        assert h.journal.entries(10) == []


async def test_read_only_hides_and_refuses_request_and_cancel(spapi_ro_harness: Harness) -> None:
    h = spapi_ro_harness
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await loaded(pilot)
        keys = {b.binding.action for b in app.screen.active_bindings.values()}
        assert "cancel_selected" not in keys and "request_report" not in keys
        assert "download" in keys
        assert "cancelReport" not in [
            app.query_one(BudgetPanel).query_one(DataTable).get_row_at(i)[0].plain
            for i in range(app.query_one(BudgetPanel).query_one(DataTable).row_count)
        ]
        panel.requests_table().move_to_key(first(panel, IN_QUEUE))
        await pilot.press("c", "n")
        await pilot.pause()
        panel.action_cancel_selected()
        panel.action_request_report()
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert calls_of(app, "cancelReport") == calls_of(app, "createReport") == 0
        assert h.journal.entries(10) == []


async def test_download_gunzips_decodes_and_previews(
    spapi_harness: Harness, tmp_path: Path
) -> None:
    h = spapi_harness
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await loaded(pilot)
        rid = first(panel, DONE, document=True)
        report = sandbox_reports(h)[rid]
        panel.requests_table().move_to_key(rid)
        await pilot.press("d")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, DownloadModal)
        assert modal.report_id == panel.jobs[rid].document_id
        dest = tmp_path / "report.txt"
        modal.query_one("#dl-path", Input).value = str(dest)
        await pilot.click("#dl-go")
        await until(pilot, lambda: modal.saved is not None)
        saved = modal.saved
        assert saved is not None and saved.path == dest and dest.exists()
        assert saved.size == dest.stat().st_size > 0
        # Saved as UTF-8 whatever the declared charset, gunzipped once when compressed.
        dest.read_bytes().decode("utf-8")
        status = str(modal.query_one("#dl-status").render())
        assert saved.check in status
        if report.compression:
            assert "gunzipped" in saved.check
        assert f"{report.charset} → UTF-8" in saved.check or report.charset == "UTF-8"
        assert calls_of(app, "getReportDocument") == 1
        await pilot.click("#dl-preview")
        await until(pilot, lambda: isinstance(app.screen, PreviewScreen))
        preview = app.screen
        assert isinstance(preview, PreviewScreen) and preview.encoding == "utf-8"
        assert preview.query("#preview-table")
        await pilot.press("escape")
        await pilot.pause()
        assert panel.downloads[panel.jobs[rid].document_id or ""].path == dest
        # o previews what was saved, without downloading again.
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, PreviewScreen))
        assert calls_of(app, "getReportDocument") == 1


async def test_a_report_without_a_document_is_not_offered(spapi_harness: Harness) -> None:
    app = make_app(spapi_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await loaded(pilot)
        panel.requests_table().move_to_key(first(panel, IN_QUEUE))
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(app.screen, DownloadModal)
        assert "has no report to download (status IN_QUEUE)" in list(app._notifications)[-1].message
        assert calls_of(app, "getReportDocument") == 0
