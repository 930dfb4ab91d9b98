"""The panel workflow: focus follows the tab shown, pages as they arrive, failures that stay."""

from __future__ import annotations

from textual.widgets import TabbedContent

from mwstui.ui.fulfillment_panel import FulfillmentPanel
from mwstui.ui.reports_panel import ReportsPanel
from tests.ui.harness import SIZE, Harness, make_app, settle, until


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
