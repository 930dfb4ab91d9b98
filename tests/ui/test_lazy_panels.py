"""Only the first tab's panel is composed at start-up; the others when their tab first
opens (keys, ``[``/``]``, the mouse, the palette), or all once the first tab has loaded."""

from __future__ import annotations

from textual.widgets import TabbedContent

from mwstui.ui.app import MwstuiApp
from mwstui.ui.panel import Panel
from tests.ui.harness import SIZE, Harness, until


def mounted(app: MwstuiApp) -> list[str]:
    return [p.panel_id for p in app.query(Panel) if p.is_mounted]


def loaded(panel: Panel) -> bool:
    return panel.is_mounted and panel.loaded_at is not None and not panel.is_loading()


async def test_a_tab_is_mounted_when_first_opened_and_loads(harness: Harness) -> None:
    app = MwstuiApp(harness.session, prewarm=False)
    async with app.run_test(size=SIZE) as pilot:
        reports = app.active_panel
        await until(pilot, lambda: loaded(reports))
        assert mounted(app) == ["reports"]
        await pilot.press("4")  # a key
        sellercenter = app.active_panel
        assert sellercenter.panel_id == "sellercenter"
        await until(pilot, lambda: loaded(sellercenter))
        await pilot.press("right_square_bracket")  # the next tab
        await until(pilot, lambda: loaded(app.active_panel))
        assert app.active_panel.panel_id == "activity"
        await pilot.click("#--content-tab-tab-schedules")  # the mouse
        await until(pilot, lambda: app.active_panel.panel_id == "schedules")
        await until(pilot, lambda: loaded(app.active_panel))
        assert app.query_one(TabbedContent).active == "tab-schedules"
        go = next(
            c for c in app.get_system_commands(app.screen) if c.title == "Go to Fulfillment orders"
        )
        go.callback()  # the command palette's "Go to"
        await until(pilot, lambda: loaded(app.active_panel))
        assert app.active_panel.panel_id == "fulfillment"
        assert sorted(mounted(app)) == sorted(
            ["reports", "sellercenter", "activity", "schedules", "fulfillment"]
        )
        assert app.focused is app.active_panel.main_table()


async def test_the_hidden_tabs_are_mounted_after_the_first_load(harness: Harness) -> None:
    app = MwstuiApp(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(mounted(app)) == 5)
        assert app.active_panel.panel_id == "reports" and loaded(app.active_panel)
        # Mounted, not opened: none of them loaded anything.
        assert all(p.loaded_at is None for p in app.query(Panel) if p.panel_id != "reports")
