"""Failures reach the user as notifications with code, request id and hint; waits are visible."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input

from mwstui.ui.dialogs.bulk import BulkRunModal
from mwstui.ui.reports.download_modal import DownloadModal
from mwstui.ui.reports.reports_panel import ReportsPanel
from tests.ui.harness import SIZE, make_app, sandbox_session, settle


def capture(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    original = app.notify

    def spy(message: str, **kw: Any) -> None:
        seen.append({"message": message, **kw})
        original(message, **kw)

    monkeypatch.setattr(app, "notify", spy)
    return seen


async def test_load_failure_is_a_notification(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = sandbox_session(tmp_path, faults="GetReportRequestList:internal")
    app = make_app(h.session)
    seen = capture(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        errors = [n for n in seen if n.get("severity") == "error"]
        assert errors, seen
        note = errors[-1]
        assert note["markup"] is False
        assert note["title"].startswith("Loading report requests: GetReportRequestList failed")
        assert "InternalError" in note["message"]
        assert "request id" in note["message"]
        assert "Hint:" in note["message"]
        panel = app.query_one(ReportsPanel)
        assert not panel.main_table().loading  # the indicator does not spin forever
        assert app.is_running


async def test_throttled_call_waits_and_the_wait_is_recorded(tmp_path: Path) -> None:
    h = sandbox_session(tmp_path, faults="GetReportRequestList:throttle:next=1")
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        records = [r for _, r in app.activity.records() if r.operation == "GetReportRequestList"]
        assert [r.error_code for r in records] == ["RequestThrottled", None]
        assert records[1].waited > 0  # held back for a token instead of sent into the throttle
        assert app.query_one(ReportsPanel).jobs


async def test_failed_cancel_is_shown_per_item_and_journaled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = sandbox_session(tmp_path, faults="CancelReportRequests:internal")
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        rid = next(k for k, i in panel.jobs.items() if str(i.status) == "_SUBMITTED_")
        panel.main_table().move_to_key(rid)
        await pilot.press("c")
        await pilot.pause()
        await pilot.click("#confirm-go")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, BulkRunModal)
        result = modal.report.results[rid]
        assert result.outcome == "failed" and result.code == "InternalError"
        shown = modal.query_one("#bulk-table", DataTable).get_cell(rid, "outcome").plain
        assert shown.startswith("failed · InternalError: ") and result.request_id in shown
        entries = h.journal.entries(5)
        assert [(e.operation, e.status) for e in entries] == [("CancelReportRequests", "error")]


async def test_bad_md5_download_is_refused(tmp_path: Path) -> None:
    h = sandbox_session(tmp_path, faults="GetReport:bad-md5")
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        rid = next(k for k, i in panel.jobs.items() if i.document_id)
        panel.main_table().move_to_key(rid)
        await pilot.press("d")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, DownloadModal)
        dest = tmp_path / "r.txt"
        modal.query_one("#dl-path", Input).value = str(dest)
        await pilot.click("#dl-go")
        await settle(pilot)
        assert not dest.exists()
        assert modal.saved is None
        status = str(modal.query_one("#dl-status").render())
        assert "GetReport failed" in status
        assert not modal.query_one("#dl-go").disabled  # the user may try again
