"""The fulfillment order detail through the backend seam: the same screen for MWS and SP-API,
what a backend lacks hidden, and a cancel judged by the backend's plan on the order as read."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Static

from mwstui.backend.models import Tone
from mwstui.calls import CallRecord
from mwstui.ui.dialogs.confirm import ConfirmModal
from mwstui.ui.fulfillment.fulfillment_detail import FulfillmentDetailModal
from mwstui.ui.fulfillment.fulfillment_panel import FulfillmentPanel
from mwstui.ui.widgets.resource_table import ResourceTable
from tests.ui.harness import SIZE, Harness, make_app, screen_text, until

TAB = 2
"""Index of the Fulfillment tab (key 3)."""


def watch(h: Harness) -> list[str]:
    """Operations the SP-API client sends."""
    calls: list[str] = []
    assert h.session.spapi is not None

    def seen(record: CallRecord) -> None:
        calls.append(record.operation)

    h.session.spapi.add_observer(seen)
    return calls


async def open_detail(pilot: Pilot[None], pick: Tone) -> FulfillmentDetailModal:
    """Open the detail of the first listed order whose status reads ``pick``."""
    pilot.app.action_show_tab(TAB)  # type: ignore[attr-defined]
    panel = pilot.app.query_one(FulfillmentPanel)
    await until(pilot, lambda: panel.loaded_at is not None and not panel.is_loading())
    order_id = sorted(k for k, o in panel.orders.items() if o.status.tone is pick)[0]
    panel.focus_main()
    await until(pilot, lambda: pilot.app.focused is panel.main_table())
    assert panel.query_one(ResourceTable).move_to_key(order_id)
    await pilot.press("d")
    modal = pilot.app.screen
    assert isinstance(modal, FulfillmentDetailModal)
    await until(pilot, lambda: modal.detail is not None)
    return modal


async def test_an_spapi_order_in_full_without_tracking(spapi_harness: Harness) -> None:
    calls = watch(spapi_harness)
    app = make_app(spapi_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_detail(pilot, Tone.SUCCESS)
        detail = modal.detail
        assert detail is not None and detail.items and detail.shipments
        summary = str(modal.query_one("#fd-summary", Static).render())
        assert f"Status {detail.order.status}" in summary
        items = modal.query_one("#fd-items", DataTable)
        assert items.row_count == len(detail.items)
        first = detail.items[0]
        assert [c.plain for c in items.get_row_at(0)][:5] == [
            first.sku,
            first.id,
            str(first.quantity),
            str(first.cancelled_quantity),
            str(first.unfulfillable_quantity),
        ]
        shipments = modal.query_one("#fd-shipments", DataTable)
        assert shipments.row_count == len(detail.shipments)
        assert [c.plain for c in shipments.get_row_at(0)][:3] == [
            detail.shipments[0].id,
            detail.shipments[0].fulfillment_center or "—",
            str(detail.shipments[0].status),
        ]
        # SP-API offers no package tracking: its key, its hint and its pane are hidden.
        assert "t" not in modal.active_bindings
        assert "(t: tracking)" not in screen_text(app)
        assert not modal.query_one("#fd-tracking").display
        await pilot.press("t")
        await pilot.pause()
        assert modal.tracking is None
    assert "getFulfillmentOrder" in calls
    assert not [c for c in calls if "tracking" in c.casefold()]


async def test_an_spapi_order_that_cannot_be_cancelled_says_why_as_the_panel_does(
    spapi_harness: Harness,
) -> None:
    calls = watch(spapi_harness)
    app = make_app(spapi_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_detail(pilot, Tone.SUCCESS)
        assert modal.detail is not None
        status = modal.detail.order.status
        await pilot.press("c")
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmModal)
        assert confirm.request.items == []
        assert confirm.query_one("#confirm-go", Button).disabled
        ((key, why),) = confirm.request.skipped
        assert key == modal.order_id and why == f"status {status}, not Received or Planning"
        await pilot.press("escape")
        await until(pilot, lambda: pilot.app.screen is modal)
    assert "cancelFulfillmentOrder" not in calls


async def test_an_spapi_cancel_from_the_detail_is_confirmed_for_the_spapi_account(
    spapi_harness: Harness,
) -> None:
    calls = watch(spapi_harness)
    app = make_app(spapi_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_detail(pilot, Tone.PENDING)
        order_id = modal.order_id
        await pilot.press("c")
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmModal)
        assert confirm.request.items == [order_id]
        assert confirm.request.account.service == "spapi"
        assert confirm.request.calls == 2  # the cancel and its read-back
        await pilot.press("enter")  # the safe, default button: nothing sent
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ConfirmModal)
    assert "cancelFulfillmentOrder" not in calls
