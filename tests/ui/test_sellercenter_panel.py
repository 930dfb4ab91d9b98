"""SellerCenter panel against the in-process sandbox: pages, items, reason and cancel."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Select, Static
from textual.widgets.data_table import ColumnKey

from mwstui.backend.outcomes import Outcome
from mwstui.calls import CallRecord
from mwstui.errors import ReadOnlyError
from mwstui.sandbox.sellercenter.seed import SandboxOrder
from mwstui.ui.dialogs.bulk import BulkRunModal
from mwstui.ui.dialogs.confirm import ConfirmModal
from mwstui.ui.orders.sellercenter_cancel import SellerCenterCancelModal
from mwstui.ui.orders.sellercenter_items import SellerCenterItemsModal
from mwstui.ui.orders.sellercenter_panel import SellerCenterPanel
from mwstui.ui.widgets.resource_table import ResourceTable
from tests.ui.harness import SIZE, Harness, make_app, sandbox_session, screen_text, until

TAB = 3
"""Index of the SellerCenter tab (key 4)."""


@pytest.fixture
def h(tmp_path: Path) -> Harness:
    return sandbox_session(tmp_path)


def watch(h: Harness) -> list[CallRecord]:
    calls: list[CallRecord] = []
    assert h.session.sellercenter is not None
    h.session.sellercenter.add_observer(calls.append)
    return calls


def ops(calls: list[CallRecord]) -> list[str]:
    return [c.operation for c in calls]


def mixed_order(h: Harness) -> SandboxOrder:
    """The demo order with both pending items and items that can no longer be cancelled."""
    return next(
        o
        for o in h.sandbox.sellercenter.orders.values()
        if sum(i.status == "pending" for i in o.items) > 1
        and any(i.status != "pending" for i in o.items)
    )


async def open_panel(pilot: Pilot[None]) -> SellerCenterPanel:
    pilot.app.action_show_tab(TAB)  # type: ignore[attr-defined]
    panel = pilot.app.query_one(SellerCenterPanel)
    await until(pilot, lambda: panel.loaded_at is not None and not panel.is_loading())
    # The keyboard on its table: the app hands it over on the tab change, but a load that
    # finishes late on a busy machine may leave it on the filter; give it as a user would.
    panel.focus_main()
    await until(pilot, lambda: pilot.app.focused is panel.main_table())
    return panel


async def open_items(pilot: Pilot[None], order_id: str) -> SellerCenterItemsModal:
    panel = pilot.app.query_one(SellerCenterPanel)
    assert panel.query_one(ResourceTable).move_to_key(order_id)
    await pilot.press("enter")
    modal = pilot.app.screen
    assert isinstance(modal, SellerCenterItemsModal)
    await until(pilot, lambda: modal.items)
    return modal


async def test_lists_pending_orders_by_default(h: Harness) -> None:
    calls = watch(h)
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        rows = panel.query_one(ResourceTable).visible_rows()
        pending = [
            o for o in h.sandbox.sellercenter.orders.values()
            if any(i.status == "pending" for i in o.items)
        ]  # fmt: skip
        assert len(rows) == len(pending) > 0
        assert all("pending" in map(str, r.values[2]) for r in rows)
        assert calls[0].operation == "GetOrders"
        assert calls[0].params["Status"] == "pending" and "CreatedAfter" in calls[0].params
        status = str(panel.query_one(".status", Static).render())
        assert f"{len(pending)} orders · page 1 of 1" in status


async def test_pages_are_fetched_once_and_kept(h: Harness) -> None:
    calls = watch(h)
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        calls.clear()
        panel.query_one("#sc-status", Select).value = "any"
        await until(pilot, lambda: calls and panel.pages and not panel.is_loading())
        assert "Status" not in calls[0].params
        table = panel.query_one(ResourceTable)
        assert table.row_count == 100
        assert "150 orders · page 1 of 2" in str(panel.query_one(".status", Static).render())
        await pilot.press("n")  # n means New on every panel: here it turns no page
        await pilot.pause()
        assert panel.page_index == 0
        await pilot.press("greater_than_sign")
        await until(pilot, lambda: panel.page_index == 1 and not panel.is_loading())
        assert table.row_count == 50
        assert calls[-1].params["Offset"] == "100"
        n = len(calls)
        await pilot.press("greater_than_sign")  # no page 3: nothing sent
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert panel.page_index == 0 and table.row_count == 100
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert panel.page_index == 1
        assert len(calls) == n  # pages seen before are not fetched again


async def test_cancel_items_with_a_reason(h: Harness) -> None:
    calls = watch(h)
    order = mixed_order(h)
    pending = [str(i.order_item_id) for i in order.items if i.status == "pending"]
    other = next(i for i in order.items if i.status != "pending")
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        await open_panel(pilot)
        items = await open_items(pilot, str(order.order_id))
        table = items.query_one(ResourceTable)
        table.set_marks([*pending, str(other.order_item_id)])
        await pilot.press("c")
        reason = pilot.app.screen
        assert isinstance(reason, SellerCenterCancelModal)
        await until(pilot, lambda: reason.reasons)
        # Only reasons of the "canceled" type are offered (the demo has five).
        assert [r.name for r in reason.reasons] == [
            name for kind, name in h.sandbox.sellercenter.reasons if kind == "canceled"
        ]
        await pilot.click("#scc-continue")  # no reason picked: refused next to the field
        await pilot.pause()
        assert pilot.app.screen is reason
        assert "Pick a reason" in str(reason.query_one("#scc-reason-error").render())
        assert "SetStatusToCanceled" not in ops(calls)
        reason.query_one("#scc-reason", Select).value = "Customer request"
        reason.query_one("#scc-detail", Input).focus()
        await pilot.press(*"asked by phone", "enter")
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmModal)
        req = confirm.request
        assert [i.split(" · ")[0] for i in req.items] == pending
        assert req.skipped[0][0].startswith(str(other.order_item_id))
        assert f"status {other.status}" in req.skipped[0][1]
        assert req.notes == ["Reason: Customer request · detail: asked by phone"]
        assert req.account == h.session.sellercenter_account
        assert req.calls == len(pending)
        await pilot.press("tab", "enter")
        bulk = pilot.app.screen
        assert isinstance(bulk, BulkRunModal)
        await until(pilot, lambda: bulk.finished)
        assert bulk.report.count(Outcome.DONE) == len(pending)
        await pilot.press("enter")
        await until(pilot, lambda: str(items.items[pending[0]].status) == "canceled")
    state = h.sandbox.sellercenter.items
    for item_id in pending:
        item = state[int(item_id)]
        assert (item.status, item.reason, item.reason_detail) == (
            "canceled", "Customer request", "asked by phone"
        )  # fmt: skip
    assert state[other.order_item_id].status == other.status
    entries = [e for e in h.journal.entries() if e.operation == "SetStatusToCanceled"]
    assert sorted(e.items for e in entries) == sorted((i,) for i in pending)
    assert all(e.status == "ok" for e in entries)
    # The order id goes with each intent: an unknown outcome can be read back by order.
    assert all(e.context == {"OrderId": str(order.order_id)} for e in entries)
    assert all(e.outcomes[e.items[0]].outcome is Outcome.DONE for e in entries)


async def test_a_status_that_grows_widens_its_column(h: Harness) -> None:
    # Every item pending: the Status column is as wide as "pending" until one is cancelled.
    order = next(
        o
        for o in h.sandbox.sellercenter.orders.values()
        if o.items and all(i.status == "pending" for i in o.items)
    )
    item_id = str(order.items[0].order_item_id)
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        await open_panel(pilot)
        items = await open_items(pilot, str(order.order_id))
        table = items.query_one(ResourceTable)
        status = table.columns[ColumnKey("status")]
        assert status.content_width == len("pending")
        h.sandbox.sellercenter.items[int(item_id)].status = "canceled"
        await pilot.press("r")
        await until(pilot, lambda: str(items.items[item_id].status) == "canceled")
        await pilot.pause()
        assert status.content_width == len("canceled")
        row = next(line for line in screen_text(pilot.app).splitlines() if item_id in line)
        assert "canceled" in row.split()
        assert table.get_row(item_id)[0].plain == " "  # updated in place, not rebuilt


async def test_declining_sends_nothing(h: Harness) -> None:
    calls = watch(h)
    order = mixed_order(h)
    item_id = next(str(i.order_item_id) for i in order.items if i.status == "pending")
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        await open_panel(pilot)
        items = await open_items(pilot, str(order.order_id))
        items.query_one(ResourceTable).move_to_key(item_id)
        await pilot.press("c")
        reason = pilot.app.screen
        assert isinstance(reason, SellerCenterCancelModal)
        await until(pilot, lambda: reason.reasons)
        await pilot.press("escape")  # back from the reason: nothing sent
        assert pilot.app.screen is items
        await pilot.press("c")
        reason = pilot.app.screen
        assert isinstance(reason, SellerCenterCancelModal)
        await until(pilot, lambda: reason.reasons)
        reason.query_one("#scc-reason", Select).value = "Out of stock"
        await pilot.click("#scc-continue")
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmModal)
        assert confirm.query_one("#confirm-back", Button).label.plain == "Keep item"
        await pilot.press("enter")  # the focused, safe button
        await pilot.pause()
        assert pilot.app.screen is items
    assert "SetStatusToCanceled" not in ops(calls)
    assert h.sandbox.sellercenter.items[int(item_id)].status == "pending"
    assert h.journal.entries() == []


async def test_nothing_cancellable_is_explained(h: Harness) -> None:
    order = mixed_order(h)
    other = next(i for i in order.items if i.status != "pending")
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        await open_panel(pilot)
        items = await open_items(pilot, str(order.order_id))
        items.query_one(ResourceTable).move_to_key(str(other.order_item_id))
        await pilot.press("c")
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmModal)  # straight to the why, no reason asked
        assert confirm.request.items == []
        assert confirm.query_one("#confirm-go", Button).disabled
        await pilot.press("escape")


async def test_read_only_hides_and_refuses_cancel(tmp_path: Path) -> None:
    h = sandbox_session(tmp_path, read_only=True)
    calls = watch(h)
    order = mixed_order(h)
    item_id = next(str(i.order_item_id) for i in order.items if i.status == "pending")
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        await open_panel(pilot)
        items = await open_items(pilot, str(order.order_id))
        items.query_one(ResourceTable).move_to_key(item_id)
        assert "c" not in items.active_bindings
        assert items.check_action("cancel_items", ()) is False
        await pilot.press("c")
        await pilot.pause()
        assert pilot.app.screen is items
        items.action_cancel_items()  # as the command palette would: refused
        await pilot.pause()
        assert pilot.app.screen is items
    assert h.session.sellercenter is not None
    with pytest.raises(ReadOnlyError):
        await h.session.sellercenter.cancel_item(item_id, "Out of stock")
    assert "SetStatusToCanceled" not in ops(calls)
    assert h.sandbox.sellercenter.items[int(item_id)].status == "pending"
    assert h.journal.entries() == []


async def test_refresh_keeps_the_page_shown(h: Harness) -> None:
    calls = watch(h)
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        panel.query_one("#sc-status", Select).value = "any"
        await until(pilot, lambda: panel.status_filter == "any" and not panel.is_loading())
        await until(pilot, lambda: panel.pages and panel.pages[0].total == 150)
        await pilot.press("greater_than_sign")
        await until(pilot, lambda: panel.page_index == 1 and not panel.is_loading())
        calls.clear()
        await pilot.press("r")
        await until(pilot, lambda: len(calls) == 2 and not panel.is_loading())
        assert [c.params["Offset"] for c in calls] == ["0", "100"]
        assert panel.page_index == 1
        assert panel.query_one(ResourceTable).row_count == 50
        panel.query_one("#sc-status", Select).value = "pending"  # a new filter: page 1
        await until(pilot, lambda: panel.status_filter == "pending" and not panel.is_loading())
        await until(pilot, lambda: (panel.pages[0].total or 0) < 150)
        assert panel.page_index == 0


async def test_after_a_cancel_the_order_row_follows_its_items_without_a_reload(
    h: Harness,
) -> None:
    calls = watch(h)
    order = next(
        o
        for o in h.sandbox.sellercenter.orders.values()
        if o.items and all(i.status == "pending" for i in o.items)
    )
    order_id = str(order.order_id)
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        items = await open_items(pilot, order_id)
        items.query_one(ResourceTable).set_marks(list(items.items))
        # Colour by what the status means (pending: waiting), not by its spelling.
        cell = items.query_one(ResourceTable).get_row(next(iter(items.items)))[2]
        assert cell.plain == "pending" and "cyan" in str(cell.style)
        await pilot.press("c")
        reason = pilot.app.screen
        assert isinstance(reason, SellerCenterCancelModal)
        await until(pilot, lambda: reason.reasons)
        reason.query_one("#scc-reason", Select).value = "Out of stock"
        await pilot.click("#scc-continue")
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmModal)
        n = len(order.items)
        assert confirm.request.title.startswith(f"Cancel {n} order item")
        assert confirm.request.title.endswith(f" of order {order_id}")
        await pilot.click("#confirm-go")
        bulk = pilot.app.screen
        assert isinstance(bulk, BulkRunModal)
        await until(pilot, lambda: bulk.finished)
        await pilot.press("enter")
        await until(pilot, lambda: items.settled)
        calls.clear()
        await pilot.press("escape")
        await until(pilot, lambda: pilot.app.screen is not items)
        row = panel.query_one(ResourceTable).row(order_id)
        assert row is not None and [str(s) for s in row.values[2]] == ["canceled"]
        assert not panel.is_loading()
    assert calls == []  # the items' read-back was enough: no page fetched again
