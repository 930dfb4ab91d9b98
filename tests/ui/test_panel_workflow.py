"""The panel workflow: focus follows the tab shown, pages as they arrive, failures that stay."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Static, TabbedContent

from mwstui.catalog import load_catalog
from mwstui.clock import FakeClock
from mwstui.ui.fulfillment.fulfillment_panel import FulfillmentPanel
from mwstui.ui.panel import Panel
from mwstui.ui.reports.reports_panel import ReportsPanel
from mwstui.ui.schedules.schedules_panel import SchedulesPanel
from tests.ui.harness import SIZE, START, Harness, make_app, sandbox_session, settle, until


async def test_a_load_finishing_as_the_tab_switches_does_not_pull_the_tab_back(
    harness: Harness,
) -> None:
    # The e2e flake of issue 11 item 13: "3" pressed right as the first report rows
    # appeared. The Reports load finished in the same turn as the switch; the panel still
    # believed itself active (TabActivated not handled yet), focused its table, and the
    # tabs followed focus back to Reports: the user's key was lost.
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reports = app.query_one(ReportsPanel)
        app.set_focus(None)
        app.action_show_tab(2)  # what "3" does; TabActivated is still on its way
        reports._refocus()  # the end of its load runs first (call_after_refresh)
        fulfillment = app.query_one(FulfillmentPanel)
        await until(pilot, lambda: fulfillment.loaded_at is not None)
        await settle(pilot)
        assert app.query_one(TabbedContent).active == "tab-fulfillment"
        await until(pilot, lambda: app.focused is fulfillment.main_table())


async def test_a_table_focused_just_before_a_tab_key_does_not_pull_its_tab_back(
    harness: Harness,
) -> None:
    # The focus message of a table reaches the tabs turns later; if "3" was handled in
    # between, the tabs used to follow that stale focus back to Reports.
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.set_focus(None)
        await pilot.pause()
        app.query_one(ReportsPanel).requests_table().focus()
        app.action_show_tab(2)
        await settle(pilot)
        assert app.query_one(TabbedContent).active == "tab-fulfillment"


class ManualClock(FakeClock):
    """A FakeClock that never jumps by itself: throttle waits last until the test advances."""

    def _drive(self, loop: asyncio.AbstractEventLoop, settle: int) -> None:
        self._driving = False


def status_line(panel: Panel) -> str:
    return str(panel.query_one(".status", Static).render())


async def test_rows_show_after_the_first_page_and_a_filter_typed_early_applies_to_later_pages(
    tmp_path: Path,
) -> None:
    clock = ManualClock(START)
    h = sandbox_session(tmp_path, clock=clock)
    mws = h.session.mws
    assert mws is not None
    op = load_catalog().operation("ListAllFulfillmentOrders")
    key = mws.bucket_key(op.name)
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Leave one token: the first page goes at once, each later one waits a refill.
        for _ in range(op.throttle.capacity - 1):
            await h.session.governor.acquire(key, op.throttle, operation="test")
        app.action_show_tab(2)
        panel = app.query_one(FulfillmentPanel)
        table = panel.main_table()
        assert table is not None
        await until(pilot, lambda: table.row_count > 0)
        first = table.row_count
        assert panel.is_loading() and first < len(h.sandbox.seller().fulfillment.orders)
        await until(pilot, lambda: "throttle wait" in status_line(panel))
        assert f"loading: {first} rows from 1 pages" in status_line(panel)
        # Usable now: filter and marks while the later pages are held by the throttle.
        await pilot.press("slash", *"planning")
        shown_early = {r.key for r in table.visible_rows()}
        assert shown_early and all(r.values[1] == "PLANNING" for r in table.visible_rows())
        table.set_marks(shown_early)
        while panel.is_loading():
            clock.advance(op.throttle.restore_seconds)
            await pilot.pause()
        await settle(pilot)
        planning = {k for k, o in panel.orders.items() if str(o.status) == "PLANNING"}
        assert {r.key for r in table.visible_rows()} == planning
        assert len(planning) > len(shown_early)  # later pages brought more, filtered too
        assert table.marked == shown_early  # marks kept across the pages
        assert table.total_rows == len(panel.orders) > first


async def test_a_failed_load_stays_in_the_panel_with_r_working(tmp_path: Path) -> None:
    h = sandbox_session(tmp_path, faults="ListAllFulfillmentOrders:malformed")
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_show_tab(2)
        panel = app.query_one(FulfillmentPanel)
        await until(pilot, lambda: "last load failed" in status_line(panel))
        line = status_line(panel)
        assert "01-01" not in line and "09:30:00" in line and "r to retry" in line
        await until(pilot, lambda: app.focused is panel.main_table())
        h.sandbox.faults.clear()
        h.clock.advance(3600)  # an hour later the error is still there
        await pilot.pause()
        panel.update_status()
        assert "last load failed 09:30:00" in status_line(panel)
        await pilot.press("r")
        await until(pilot, lambda: panel.loaded_at is not None and not panel.is_loading())
        assert "failed" not in status_line(panel)
        assert panel.main_table().row_count == len(panel.orders) > 0  # type: ignore[union-attr]


async def test_another_panels_failure_is_no_toast_over_this_one(tmp_path: Path) -> None:
    h = sandbox_session(tmp_path, faults="GetReportScheduleList:malformed")
    app = make_app(h.session)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        schedules = app.query_one(SchedulesPanel)
        schedules.action_refresh_data()  # e.g. an auto-refresh of a panel not shown
        await until(pilot, lambda: schedules.progress.failed_at is not None)
        await settle(pilot)
        assert not [n for n in app._notifications if "schedules" in n.title.casefold()]
        await pilot.press("2")
        await until(pilot, lambda: "last load failed" in status_line(schedules))


async def test_a_filter_reached_fast_after_a_tab_key_keeps_the_keyboard(harness: Harness) -> None:
    # "3" then "/" typed fast: the app's late hand-over of focus to the new tab's table
    # (after a refresh) used to take the keyboard from the filter; the text went elsewhere.
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        panel = app.query_one(FulfillmentPanel)
        panel.action_focus_filter()
        await pilot.pause()
        app._focus_active()  # the hand-over scheduled by the tab switch runs now
        await pilot.pause()
        assert app.focused is panel.query_one("#fo-filter")
