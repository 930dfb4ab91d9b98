"""The frame: header badges, tabs, budget panel, help, palette, copy id, export, small terminals."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static

from mwstui.throttle.budget import BucketKey
from mwstui.throttle.snapshot import BucketSnapshot
from mwstui.ui.dialogs.export_modal import ExportModal
from mwstui.ui.dialogs.help_screen import HelpScreen
from mwstui.ui.reports.reports_panel import ReportsPanel
from mwstui.ui.schedules.schedules_panel import SchedulesPanel
from mwstui.ui.widgets.budget_panel import (
    BudgetPanel,
    BudgetRow,
    budget_rows,
    row_cells,
    waiting_text,
)
from mwstui.ui.widgets.header import AccountHeader
from mwstui.wiring import attach_backends
from tests.ui.harness import SIZE, Harness, make_app, settle, until


def header_text(app: Any) -> str:
    return str(app.query_one(AccountHeader).render())


async def test_header_restates_account_and_sandbox(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = header_text(app)
        creds = harness.sandbox.credentials
        assert "SANDBOX" in text and "READ-ONLY" not in text
        for part in ("profile sandbox", creds.seller_id, creds.marketplace_id, "mws.sandbox.test"):
            assert part in text
        await pilot.press("4")
        await settle(pilot)
        text = header_text(app)
        assert "SellerCenter" in text and creds.sellercenter_user in text
        assert "sellercenter.sandbox.test" in text


async def test_header_read_only_badge(ro_harness: Harness) -> None:
    app = make_app(ro_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "READ-ONLY" in header_text(app)


async def test_too_small_terminal_shows_a_message_instead(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=(79, 24)) as pilot:
        await settle(pilot)
        assert app.has_class("-too-small")
        message = app.query_one("#too-small")
        assert message.display and "at least 80×24" in str(message.render())
        assert not app.query_one("#tabs").display
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not app.has_class("-too-small")
        assert app.query_one("#tabs").display


async def test_tabs_switch_and_the_budget_follows(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        budget = app.query_one(BudgetPanel)
        assert budget.operations == ReportsPanel.operations
        await pilot.press("2")
        await settle(pilot)
        assert app.active_panel is app.query_one(SchedulesPanel)
        assert budget.operations == SchedulesPanel.operations
        table = budget.query_one(DataTable)
        labels = [table.get_row_at(i)[0].plain for i in range(table.row_count)]
        assert labels == ["GetReportScheduleList", "ManageReportSchedule"]
        await pilot.press("right_square_bracket")
        assert app.active_panel.panel_id == "fulfillment"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert app.active_panel.panel_id == "reports"


async def test_budget_tick_touches_nothing_when_nothing_changed(
    harness: Harness, monkeypatch: Any
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        budget = app.query_one(BudgetPanel)
        table = budget.query_one(DataTable)
        budget.tick()
        updates: list[tuple[Any, ...]] = []
        original = table.update_cell
        monkeypatch.setattr(table, "update_cell", lambda *a, **k: updates.append(a))
        budget.tick()
        assert updates == []
        harness.clock.advance(30)
        budget.tick()
        assert updates  # tokens restored: those cells, and only those, change
        assert {col for _, col, *_ in updates} <= {"tokens", "next", "full"}
        monkeypatch.setattr(table, "update_cell", original)


async def test_budget_toggle(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        assert not app.query_one(BudgetPanel).display
        await pilot.press("b")
        assert app.query_one(BudgetPanel).display


def test_budget_rows_before_any_call_are_full_and_modelled(harness: Harness) -> None:
    rows = budget_rows(harness.session, ReportsPanel.operations)
    assert [r.label for r in rows][:2] == ["GetReportRequestList", " ↳ByNextToken"]
    cells = [c.plain for c in row_cells(rows[0])]
    assert cells[1].rstrip().endswith("10/10") and cells[4] == "80/80" and cells[6] == "model"


def snapshot(**kw: Any) -> BucketSnapshot:
    base: dict[str, Any] = dict(
        key=BucketKey("h", "A1", "GetReportRequestList"),
        operations=("GetReportRequestList",),
        tokens=0.2,
        capacity=10,
        restore_seconds=45.0,
        seconds_to_next=36.0,
        seconds_to_full=441.0,
        hourly_max=80,
        hourly_remaining=12,
        hourly_resets_at=datetime(2026, 1, 1, 10, 18, tzinfo=UTC),
        measured=True,
        waiting=2,
        wait_remaining=37.2,
        waiting_operation="GetReportRequestList",
        blocked_until=None,
        calls=70,
    )
    base.update(kw)
    return BucketSnapshot(**base)


def test_waiting_is_spelled_out() -> None:
    row = BudgetRow(
        BucketKey("h", "A1", "GetReportRequestList"), "GetReportRequestList", snapshot()
    )
    assert waiting_text([row]) == "waiting 38 s for GetReportRequestList (+1 queued)"
    cells = [c.plain for c in row_cells(row)]
    assert cells[1:] == ["█░░░░░ 0.2/10", "wait 38s", "7m21s", "12/80", "10:18Z", "server"]


def test_blocked_bucket_says_until_when() -> None:
    blocked = snapshot(waiting=0, blocked_until=datetime(2026, 1, 1, 10, 18, tzinfo=UTC))
    row = BudgetRow(blocked.key, "GetReportRequestList", blocked)
    assert row_cells(row)[2].plain == "blocked to 10:18Z"
    assert waiting_text([row]) == ""


async def test_help_lists_live_keys(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        sections = dict(app.screen.sections)
        panel_keys = {d for _, d in sections["Report requests"]}
        assert {"Cancel", "Download", "Refresh", "Mark"} <= panel_keys
        help_text = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Escape, q or ? closes this" in help_text and "Marks:" in help_text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("5")  # Activity: nothing there is marked
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Marks:" not in " ".join(str(s.render()) for s in app.screen.query(Static))


async def test_help_in_read_only_has_no_mutations(ro_harness: Harness) -> None:
    app = make_app(ro_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel_keys = {d for _, d in dict(app.key_sections())["Report requests"]}
        assert "Cancel" not in panel_keys and "New" not in panel_keys


async def test_command_palette_offers_every_active_action(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in (
            "Cancel (c)",
            "Download (d)",
            "New (n)",
            "Export CSV (E)",
            "Copy id (y)",
            "Go to Schedules",
            "Pause (p)",
        ):
            assert wanted in titles
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title == "Go to Activity"
        )
        command.callback()
        await settle(pilot)
        assert app.active_panel.panel_id == "activity"


async def test_copy_id_uses_the_clipboard(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(ReportsPanel).main_table()
        await pilot.press("down", "y")
        assert app.clipboard == table.cursor_key


async def test_export_csv_writes_the_visible_rows(harness: Harness, tmp_path: Path) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        panel.main_table().set_filter("_DONE_")
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ExportModal)
        dest = tmp_path / "out.csv"
        modal.query_one("#export-path", Input).value = str(dest)
        await pilot.click("#export-go")
        await until(pilot, lambda: app.screen is not modal)  # written in a worker
        assert modal.written == panel.main_table().row_count
        rows = list(csv.reader(dest.open(encoding="utf-8")))
        assert rows[0][:3] == ["request_id", "status", "report_type"]
        assert len(rows) - 1 == panel.main_table().row_count
        assert all(r[1].startswith("_DONE_") for r in rows[1:])


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_everything_fits_from_80_by_24(harness: Harness, size: tuple[int, int]) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert not app.has_class("-too-small")
        budget = app.query_one(BudgetPanel)
        assert budget.region.right <= size[0]
        table = budget.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width
        assert app.query_one(ReportsPanel).main_table().size.height >= 5


def test_read_only_budget_leaves_out_what_it_cannot_spend(ro_harness: Harness) -> None:
    labels = [r.label for r in budget_rows(ro_harness.session, ReportsPanel.operations)]
    assert "RequestReport" not in labels and "CancelReportRequests" not in labels
    assert "GetReport" in labels


async def test_no_color_keeps_every_state_in_words(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.no_color
        assert "SANDBOX" in header_text(app)
        table = app.query_one(BudgetPanel).query_one(DataTable)
        assert table.get_row_at(0)[6].plain in {"server", "model"}


async def test_a_profile_without_mws_says_so(harness: Harness) -> None:
    harness.session.mws = None
    harness.session.mws_account = None
    attach_backends(harness.session)
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        status = str(app.query_one(ReportsPanel).query_one(".status").render())
        assert "no Amazon account" in status
        await pilot.press("2", "5")
        await settle(pilot)
        assert app.is_running
        assert app.activity.total == 0


async def test_mouse_switches_tabs_and_sorts(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#--content-tab-tab-schedules")
        await settle(pilot)
        panel = app.query_one(SchedulesPanel)
        assert app.active_panel is panel
        table = panel.main_table()
        assert table.sort_by == "report_type" and not table.sort_reverse
        await pilot.click(table, offset=(6, 0))  # the "Report type" header
        await pilot.pause()
        assert table.sort_reverse
