"""The dashboard on an SP-API session (the SP-API simulator in-process): the panels that
work through the backend seam list SP-API records as they list MWS ones."""

from __future__ import annotations

from textual.widgets import Select

from mwstui.ui.fulfillment.fulfillment_panel import FulfillmentPanel
from mwstui.ui.widgets.resource_table import ResourceTable
from tests.ui.harness import SIZE, Harness, make_app, until


async def test_fulfillment_panel_lists_the_spapi_orders(spapi_harness: Harness) -> None:
    h = spapi_harness
    assert h.session.mws is None and h.session.spapi is not None
    seller = h.sandbox.spapi.sellers[h.sandbox.credentials.spapi_seller_id]
    known = set(seller.fulfillment.state.orders)
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        app.action_show_tab(2)
        panel = app.query_one(FulfillmentPanel)
        await until(pilot, lambda: panel.loaded_at is not None and not panel.is_loading())
        assert panel.orders and set(panel.orders) <= known
        assert panel.account is not None and panel.account.service == "spapi"


async def test_the_fulfillment_status_filter_offers_and_finds_spapi_statuses(
    spapi_harness: Harness,
) -> None:
    app = make_app(spapi_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        app.action_show_tab(2)
        panel = app.query_one(FulfillmentPanel)
        await until(pilot, lambda: panel.loaded_at is not None and not panel.is_loading())
        select = panel.query_one("#fo-status", Select)
        offered = {str(value) for _label, value in select._options}
        assert {"Received", "Planning", "Processing", "Cancelled"} <= offered
        wanted = next(str(o.status) for o in panel.orders.values())
        select.value = wanted
        table = panel.query_one(ResourceTable)
        await until(pilot, lambda: panel.status_filter == wanted)
        shown = [row.key for row in table.visible_rows()]
        assert shown and all(str(panel.orders[k].status) == wanted for k in shown)
