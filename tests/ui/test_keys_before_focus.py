"""A key pressed while nothing has the keyboard yet reaches the panel shown, not the void.

A tab just shown hands its table the keyboard a refresh later (or once its first page
is in); a user's ``/`` typed in between used to reach no binding and be lost, with the
text after it typed into nothing (the tmux end-to-end flake).
"""

from __future__ import annotations

import pytest
from textual import events
from textual.app import App
from textual.widgets import Input

from mwstui.ui.app import MwstuiApp
from mwstui.ui.fulfillment.fulfillment_panel import FulfillmentPanel
from mwstui.ui.reports.reports_panel import ReportsPanel
from tests.ui.harness import SIZE, Harness, make_app, until


async def test_slash_with_nothing_focused_opens_the_shown_panels_filter(harness: Harness) -> None:
    async with make_app(harness.session).run_test(size=SIZE) as pilot:
        app = pilot.app
        app.action_show_tab(2)  # type: ignore[attr-defined]
        panel = app.query_one(FulfillmentPanel)
        await until(pilot, lambda: panel.loaded_at is not None and not panel.is_loading())
        app.set_focus(None)  # the moment between the tab shown and its table focused
        await pilot.press("slash", "P", "L", "A")
        field = panel.query_one("#fo-filter", Input)
        await until(pilot, lambda: field.value == "PLA")
        assert app.focused is field
        assert app.screen is app.screen_stack[0]  # "P" went into the field, no switcher


async def test_a_key_with_nothing_focused_never_loops(harness: Harness) -> None:
    async with make_app(harness.session).run_test(size=SIZE) as pilot:
        app = pilot.app
        app.action_show_tab(2)  # type: ignore[attr-defined]
        panel = app.query_one(FulfillmentPanel)
        await until(pilot, lambda: panel.loaded_at is not None and not panel.is_loading())
        app.set_focus(None)
        await pilot.press("x")  # bound nowhere: the table takes the keyboard, nothing more
        await until(pilot, lambda: app.focused is panel.main_table())


def burst(app: App[object], keys: str) -> None:
    """Post ``keys`` at once, as a terminal delivers a fast typist's keys (or tmux
    ``send-keys``): no pause for the app between them, unlike ``pilot.press``."""
    for char in keys:
        key = {"/": "slash"}.get(char, char)
        app.post_message(events.Key(key, char))


@pytest.mark.parametrize("mounted", [True, False], ids=["tab-mounted", "tab-not-mounted-yet"])
async def test_a_burst_after_a_tab_key_reaches_the_new_tabs_filter(
    harness: Harness, mounted: bool
) -> None:
    # Not mounted yet: the tab key mounts the panel, and the keys behind it wait for it.
    async with MwstuiApp(harness.session, prewarm=mounted).run_test(size=SIZE) as pilot:
        app = pilot.app
        reports = app.query_one(ReportsPanel)
        await until(pilot, lambda: reports.loaded_at is not None and not reports.is_loading())
        await until(pilot, lambda: app.focused is reports.main_table())
        if mounted:
            await until(pilot, lambda: any(p.is_mounted for p in app.query(FulfillmentPanel)))
        assert bool(app.query(FulfillmentPanel)) is mounted
        burst(app, "3/PLAN")
        await until(pilot, lambda: app.query(FulfillmentPanel))
        panel = app.query_one(FulfillmentPanel)
        field = panel.query_one("#fo-filter", Input)
        await until(pilot, lambda: field.value == "PLAN")
        assert app.focused is field
        assert app.screen is app.screen_stack[0]  # no profile switcher from the "P"
        assert reports.query_one(".filter", Input).value == ""


async def test_a_burst_while_nothing_is_focused_keeps_its_order(harness: Harness) -> None:
    async with make_app(harness.session).run_test(size=SIZE) as pilot:
        app = pilot.app
        app.action_show_tab(2)  # type: ignore[attr-defined]
        panel = app.query_one(FulfillmentPanel)
        await until(pilot, lambda: panel.loaded_at is not None and not panel.is_loading())
        app.set_focus(None)
        burst(app, "/PLAN")
        field = panel.query_one("#fo-filter", Input)
        await until(pilot, lambda: field.value == "PLAN")
        assert app.focused is field and app.screen is app.screen_stack[0]
