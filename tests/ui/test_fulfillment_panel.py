"""Fulfillment panel against the in-process sandbox: list, filters, detail, confirmed cancel."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Select, Static

from mwstui.backend.outcomes import Outcome
from mwstui.calls import CallRecord
from mwstui.errors import ReadOnlyError
from mwstui.sandbox.mws.demo import LATE_CANCEL_ORDERS
from mwstui.ui.dialogs.bulk import BulkRunModal
from mwstui.ui.dialogs.confirm import ConfirmModal
from mwstui.ui.fulfillment.fulfillment_detail import FulfillmentDetailModal
from mwstui.ui.fulfillment.fulfillment_panel import FulfillmentPanel, parse_since
from mwstui.ui.widgets.resource_table import ResourceTable
from tests.ui.harness import SIZE, Harness, make_app, sandbox_session, until
from tests.ui.test_read_only_keys import record_notices

TAB = 2
"""Index of the Fulfillment tab (key 3)."""


@pytest.fixture
def h(tmp_path: Path) -> Harness:
    return sandbox_session(tmp_path)


def watch(h: Harness) -> list[CallRecord]:
    """Records of the calls this panel makes (the Reports tab loads at start too)."""
    calls: list[CallRecord] = []
    assert h.session.mws is not None

    def seen(record: CallRecord) -> None:
        if record.operation in FulfillmentPanel.operations:
            calls.append(record)

    h.session.mws.add_observer(seen)
    return calls


def sandbox_status(h: Harness, order_id: str) -> str:
    return str(h.sandbox.seller().fulfillment.orders[order_id].status(h.clock.time()))


async def open_panel(pilot: Pilot[None]) -> FulfillmentPanel:
    # Through the app's action rather than the "3" key: the first tab may still hold the
    # keyboard in one of its inputs while it loads.
    pilot.app.action_show_tab(TAB)  # type: ignore[attr-defined]
    panel = pilot.app.query_one(FulfillmentPanel)
    # Loaded, and the keyboard on its table (the app hands it over after a refresh).
    await until(
        pilot,
        lambda: (
            panel.loaded_at is not None
            and not panel.is_loading()
            and pilot.app.focused is panel.main_table()
        ),
    )
    return panel


def pick(panel: FulfillmentPanel, *statuses: str) -> list[str]:
    """One order id per status, in the order asked (not the demo's late-cancel orders,
    whose cancel Amazon accepts but does not carry out)."""
    return [
        next(
            k for k, o in panel.orders.items() if str(o.status) == s and k not in LATE_CANCEL_ORDERS
        )
        for s in statuses
    ]


def mark(panel: FulfillmentPanel, ids: list[str]) -> None:
    panel.query_one(ResourceTable).set_marks(ids)


async def test_lists_every_order_of_the_default_window(h: Harness) -> None:
    calls = watch(h)
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        table = panel.query_one(ResourceTable)
        assert table.row_count == len(panel.orders) > 50  # more than one page of 50
        ops = [c.operation for c in calls]
        assert ops[0] == "ListAllFulfillmentOrders"
        assert "ListAllFulfillmentOrdersByNextToken" in ops
        assert "QueryStartDateTime" not in calls[0].params  # the service's 36 h default
        status = str(panel.query_one(".status", Static).render())
        assert f"{len(panel.orders)} of {len(panel.orders)} orders" in status
        await until(pilot, lambda: pilot.app.focused is table)


async def test_status_filter_and_text_filter(h: Harness) -> None:
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        table = panel.query_one(ResourceTable)
        panel.query_one("#fo-status", Select).value = "PLANNING"
        await pilot.pause()
        rows = table.visible_rows()
        assert rows and all(r.values[1] == "PLANNING" for r in rows)
        assert len(rows) < len(panel.orders)
        await pilot.press("slash")
        assert pilot.app.focused is panel.query_one("#fo-filter", Input)
        target = rows[0].key
        await pilot.press(*target, "enter")
        assert [r.key for r in table.visible_rows()] == [target]
        assert pilot.app.focused is table


async def test_window_choices_send_the_query_start(h: Harness) -> None:
    calls = watch(h)
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        calls.clear()
        await pilot.press("w")  # 7 days
        await until(pilot, lambda: calls and not panel.is_loading())
        sent = calls[0].params["QueryStartDateTime"]
        assert sent.startswith("2025-12-25T09:30:00")
        await pilot.press("w", "w")  # 30 days, then custom: asks for a date
        since = panel.query_one("#fo-since", Input)
        assert since.display and pilot.app.focused is since
        calls.clear()
        await pilot.press(*"2025-13-01", "enter")
        assert "YYYY-MM-DD" in str(panel.query_one("#fo-since-error").render())
        assert not calls
        since.value = ""
        await pilot.press(*"2025-12-20 08:00", "enter")
        await until(pilot, lambda: calls and not panel.is_loading())
        assert calls[0].params["QueryStartDateTime"].startswith("2025-12-20T08:00:00")


def test_parse_since() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_since("2025-12-01", now) == datetime(2025, 12, 1, tzinfo=UTC)
    assert parse_since(" 2025-12-01 10:30 ", now) == datetime(2025, 12, 1, 10, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="future"):
        parse_since("2026-02-01", now)
    with pytest.raises(ValueError):
        parse_since("yesterday", now)


async def test_detail_shows_items_shipments_packages_and_tracking(h: Harness) -> None:
    calls = watch(h)
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        (order_id,) = pick(panel, "COMPLETE")
        panel.query_one(ResourceTable).move_to_key(order_id)
        await pilot.press("enter")
        modal = pilot.app.screen
        assert isinstance(modal, FulfillmentDetailModal)
        await until(pilot, lambda: modal.detail is not None)
        assert modal.detail is not None
        items = modal.query_one("#fd-items", DataTable)
        assert items.row_count == len(modal.detail.items) > 0
        first = modal.detail.items[0]
        row = [c.plain for c in items.get_row_at(0)]
        assert row[2:5] == [
            str(first.quantity),
            str(first.cancelled_quantity),
            str(first.unfulfillable_quantity),
        ]
        assert modal.query_one("#fd-shipments", DataTable).row_count == len(modal.detail.shipments)
        packages = modal.query_one("#fd-packages", DataTable)
        assert packages.row_count > 0
        assert "Status COMPLETE" in str(modal.query_one("#fd-summary", Static).render())
        await pilot.press("c")  # not cancellable: the dialog of every panel says why
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmModal)
        assert confirm.request.items == []
        assert confirm.query_one("#confirm-go", Button).disabled
        assert confirm.request.skipped == [(order_id, "status COMPLETE, not RECEIVED or PLANNING")]
        await pilot.press("escape")  # back to the detail, nothing sent
        await until(pilot, lambda: pilot.app.screen is modal)
        assert "CancelFulfillmentOrder" not in [c.operation for c in calls]
        await pilot.press("t")
        await until(pilot, lambda: modal.tracking is not None)
        tracking = str(modal.query_one("#fd-tracking", Static).render())
        assert "Tracking " in tracking
        assert modal.tracking is not None and modal.tracking.events
        code = modal.tracking.events[0].code
        assert code and f"({code})" in tracking  # the meaning, with the code after it
        assert "GetPackageTrackingDetails" in [c.operation for c in calls]
        await pilot.press("escape")
        assert isinstance(pilot.app.screen.query_one(FulfillmentPanel), FulfillmentPanel)


async def test_cancel_confirmed_changes_the_sandbox_and_journals(h: Harness) -> None:
    calls = watch(h)
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        received, planning, processing = pick(panel, "RECEIVED", "PLANNING", "PROCESSING")
        mark(panel, [received, planning, processing])
        await pilot.press("c")
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmModal)
        req = confirm.request
        assert sorted(req.items) == sorted([received, planning])
        assert req.skipped == [(processing, req.skipped[0][1])]
        assert "PROCESSING" in req.skipped[0][1] and "RECEIVED or PLANNING" in req.skipped[0][1]
        assert req.account == h.session.mws_account
        # Every call the plan makes is costed: two cancels and their two read-backs.
        assert req.calls == 4 and "CancelFulfillmentOrder" in req.throttle_cost
        assert req.calls_text == "2 CancelFulfillmentOrder + 2 GetFulfillmentOrder"
        assert pilot.app.focused is confirm.query_one("#confirm-back", Button)
        await pilot.press("tab", "enter")
        bulk = pilot.app.screen
        assert isinstance(bulk, BulkRunModal)
        await until(pilot, lambda: bulk.finished)
        table = bulk.query_one("#bulk-table", DataTable)
        for order_id in (received, planning):
            assert table.get_cell(order_id, "outcome").plain.startswith("done · now CANCELLED")
            assert sandbox_status(h, order_id) == "CANCELLED"
        assert sandbox_status(h, processing) == "PROCESSING"
        listed = [c for c in calls if c.operation.startswith("ListAll")]
        await pilot.press("enter")  # Close
        await until(pilot, lambda: not panel.is_loading() and pilot.app.screen is not bulk)
        await until(pilot, lambda: str(panel.orders[received].status) == "CANCELLED")
        # The rows show the orders as read back: the list is not fetched again.
        assert [c for c in calls if c.operation.startswith("ListAll")] == listed
        shown = {r.key: r.values[1] for r in panel.query_one(ResourceTable).visible_rows()}
        assert str(shown[planning]) == "CANCELLED" and str(shown[processing]) == "PROCESSING"
    cancels = [c for c in calls if c.operation == "CancelFulfillmentOrder"]
    assert sorted(c.params["SellerFulfillmentOrderId"] for c in cancels) == sorted(
        [received, planning]
    )
    entries = [e for e in h.journal.entries() if e.operation == "CancelFulfillmentOrder"]
    assert sorted(e.items for e in entries) == sorted([(received,), (planning,)])
    assert all(e.status == "ok" and e.request_id for e in entries)


async def test_cancel_declined_sends_nothing(h: Harness) -> None:
    calls = watch(h)
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        (received,) = pick(panel, "RECEIVED")
        panel.query_one(ResourceTable).move_to_key(received)
        await pilot.press("c")
        assert isinstance(pilot.app.screen, ConfirmModal)
        await pilot.press("enter")  # the default button keeps the order
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ConfirmModal)
        await pilot.press("c", "escape")
        await pilot.pause()
    assert "CancelFulfillmentOrder" not in [c.operation for c in calls]
    assert sandbox_status(h, received) == "RECEIVED"
    assert h.journal.entries() == []


async def test_more_than_ten_orders_need_the_typed_count(h: Harness) -> None:
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        ids = [
            k
            for k, o in panel.orders.items()
            if o.status.cancellable and k not in LATE_CANCEL_ORDERS
        ][:11]
        assert len(ids) == 11
        mark(panel, ids)
        await pilot.press("c")
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmModal)
        assert confirm.query_one("#confirm-go", Button).disabled
        count = confirm.query_one("#confirm-count", Input)
        await until(pilot, lambda: pilot.app.focused is count)  # focus starts in the count
        await pilot.press("1", "1", "enter")
        bulk = pilot.app.screen
        assert isinstance(bulk, BulkRunModal)
        await until(pilot, lambda: bulk.finished)
        assert bulk.report.count(Outcome.DONE) == 11
    assert len(h.journal.entries()) == 11


async def test_read_only_hides_and_refuses_cancel(tmp_path: Path) -> None:
    h = sandbox_session(tmp_path, read_only=True)
    calls = watch(h)
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        (received,) = pick(panel, "RECEIVED")
        panel.query_one(ResourceTable).move_to_key(received)
        assert "c" not in pilot.app.screen.active_bindings
        assert panel.check_action("cancel_selected", ()) is False
        await pilot.press("c")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ConfirmModal)
        panel.start_cancel([received])  # as the command palette would: refused, not sent
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ConfirmModal)
        await pilot.press("d")
        modal = pilot.app.screen
        assert isinstance(modal, FulfillmentDetailModal)
        await until(pilot, lambda: modal.detail is not None)
        assert modal.check_action("cancel_order", ()) is False
        assert "c" not in modal.active_bindings
        await pilot.press("c")  # says why it is off, sends nothing
        await pilot.pause()
        assert pilot.app.screen is modal
    assert h.session.mws is not None
    with pytest.raises(ReadOnlyError):
        await h.session.mws.fulfillment.cancel_order(received)
    assert "CancelFulfillmentOrder" not in [c.operation for c in calls]
    assert sandbox_status(h, received) == "RECEIVED"
    assert h.journal.entries() == []


async def test_cancel_from_the_detail(h: Harness) -> None:
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        (planning,) = pick(panel, "PLANNING")
        panel.query_one(ResourceTable).move_to_key(planning)
        await pilot.press("d")
        modal = pilot.app.screen
        assert isinstance(modal, FulfillmentDetailModal)
        await until(pilot, lambda: modal.detail is not None)
        await pilot.press("c")
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmModal) and confirm.request.items == [planning]
        assert confirm.request.notes[-1].endswith("(1 more call).")
        await pilot.click("#confirm-go")
        bulk = pilot.app.screen
        assert isinstance(bulk, BulkRunModal)
        await until(pilot, lambda: bulk.finished)
    assert sandbox_status(h, planning) == "CANCELLED"


async def test_load_error_is_a_notification(tmp_path: Path) -> None:
    h = sandbox_session(tmp_path, faults="ListAllFulfillmentOrders:unavailable")
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        pilot.app.action_show_tab(TAB)  # type: ignore[attr-defined]
        panel = pilot.app.query_one(FulfillmentPanel)
        await until(pilot, lambda: pilot.app._notifications and not panel.is_loading())
        notes = [n for n in pilot.app._notifications if "fulfillment" in n.title]
        assert notes, [n.title for n in pilot.app._notifications]
        note = notes[0]
        assert note.severity == "error"
        assert "ServiceUnavailable" in note.message or "503" in note.message
        assert "request id" in note.message and "Hint:" in note.message


async def test_lost_answer_is_settled_by_the_read_back(tmp_path: Path) -> None:
    h = sandbox_session(tmp_path, faults="CancelFulfillmentOrder:drop-after:next=1")
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        (planning,) = pick(panel, "PLANNING")
        panel.query_one(ResourceTable).move_to_key(planning)
        await pilot.press("c", "tab", "enter")
        bulk = pilot.app.screen
        assert isinstance(bulk, BulkRunModal)
        await until(pilot, lambda: bulk.finished)
        outcome = bulk.query_one("#bulk-table", DataTable).get_cell(planning, "outcome").plain
        assert outcome == "done · answer lost; now CANCELLED"
    assert sandbox_status(h, planning) == "CANCELLED"
    (entry,) = h.journal.entries()
    # The answer was lost, but the run's read-back settled it: no re-check at the next start.
    assert entry.status == "ok" and entry.items == (planning,) and entry.resolved_at
    assert entry.note == "settled by the run: answer lost; now CANCELLED"
    assert h.journal.pending_unknown() == []


async def test_a_cancel_amazon_accepted_but_did_not_carry_out_is_not_confirmed(h: Harness) -> None:
    """The demo's late orders: one picked as the cancel arrives, one cancelled in part.

    The run screen, the notification and the journal all say "requested, not confirmed";
    none of them counts it as done.
    """
    async with make_app(h.session).run_test(size=SIZE) as pilot:
        seen = record_notices(pilot.app)
        panel = await open_panel(pilot)
        late = list(LATE_CANCEL_ORDERS)
        assert all(panel.orders[k].status.cancellable for k in late)
        mark(panel, late)
        await pilot.press("c")
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmModal)
        assert sorted(confirm.request.items) == sorted(late)
        await pilot.press("tab", "enter")
        bulk = pilot.app.screen
        assert isinstance(bulk, BulkRunModal)
        await until(pilot, lambda: bulk.finished)
        table = bulk.query_one("#bulk-table", DataTable)
        cells = {k: table.get_cell(k, "outcome").plain for k in late}
        assert all(c.startswith("requested, not confirmed") for c in cells.values()), cells
        assert "picking had begun" in cells[late[0]]
        assert "may still ship" in cells[late[1]]
        assert bulk.report.summary().startswith("Done: 0 done, 2 requested, not confirmed")
        await pilot.press("enter")  # Close
        await until(pilot, lambda: any("not confirmed" in m for m in seen))
        assert not any("2 done" in m for m in seen)
    entries = [e for e in h.journal.entries() if e.operation == "CancelFulfillmentOrder"]
    assert sorted(e.items for e in entries) == sorted((k,) for k in late)
    for e in entries:
        assert e.status != "ok", e
        assert [o.outcome for o in e.outcomes.values()] == [Outcome.NOT_CONFIRMED], e
