"""Fulfillment on an SP-API session, on the in-process SP-API simulator: the same panel,
confirmation, run screen, notification, journal, read-only refusal, start-up settlement,
CSV export and copy as on MWS, with the SP-API words (``Planning``, ``Cancelled``)."""

from __future__ import annotations

import csv
from pathlib import Path

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input

from mwstui.backend.outcomes import Outcome
from mwstui.calls import CallRecord
from mwstui.errors import ReadOnlyError
from mwstui.sandbox.spapi.demo import LATE_CANCEL, PARTIAL_CANCEL
from mwstui.sandbox.spapi.fulfillment_state import SpFulfillment
from mwstui.session import Session
from mwstui.throttle.governor import Governor
from mwstui.ui.app import MwstuiApp
from mwstui.ui.dialogs.bulk import BulkRunModal
from mwstui.ui.dialogs.confirm import ConfirmModal
from mwstui.ui.dialogs.export_modal import ExportModal
from mwstui.ui.fulfillment.fulfillment_panel import FulfillmentPanel
from mwstui.ui.widgets.resource_table import ResourceTable
from mwstui.wiring import build_session, sandbox_spapi_target
from tests.ui.harness import (
    SIZE,
    SPAPI_ENDPOINT,
    Harness,
    make_app,
    sandbox_session,
    settle,
    until,
)
from tests.ui.test_read_only_keys import record_notices

TAB = 2
"""Index of the Fulfillment tab (key 3)."""
CANCEL = "cancelFulfillmentOrder"
READ = "getFulfillmentOrder"
SEEDED = (LATE_CANCEL, PARTIAL_CANCEL)
"""The demo's orders whose cancel Amazon accepts but does not (fully) carry out."""
HOURS = 3600.0


def orders(h: Harness) -> SpFulfillment:
    """The demo seller's orders in the simulator."""
    return h.sandbox.spapi.sellers[h.sandbox.credentials.spapi_seller_id].fulfillment


def sandbox_status(h: Harness, order_id: str) -> str:
    sp = orders(h)
    return sp.status_word(sp.state.orders[order_id], h.clock.time())


def watch(h: Harness) -> list[CallRecord]:
    """Records of the SP-API fulfillment calls (the Reports tab loads at start too)."""
    calls: list[CallRecord] = []
    assert h.session.spapi is not None

    def seen(record: CallRecord) -> None:
        if record.operation in ("listAllFulfillmentOrders", READ, CANCEL):
            calls.append(record)

    h.session.spapi.add_observer(seen)
    return calls


async def open_panel(pilot: Pilot[None]) -> FulfillmentPanel:
    """Show Fulfillment and wait until it is loaded with the keyboard on its table."""
    app = pilot.app
    assert isinstance(app, MwstuiApp)
    app.action_show_tab(TAB)
    panel = app.query_one(FulfillmentPanel)
    await until(
        pilot,
        lambda: (
            panel.loaded_at is not None
            and not panel.is_loading()
            and app.focused is panel.main_table()
        ),
    )
    return panel


def pick(panel: FulfillmentPanel, *statuses: str) -> list[str]:
    """One order id per status, in the order asked (never a seeded late cancel)."""
    return [
        next(k for k, o in panel.orders.items() if str(o.status) == s and k not in SEEDED)
        for s in statuses
    ]


def mark(panel: FulfillmentPanel, ids: list[str]) -> None:
    panel.query_one(ResourceTable).set_marks(ids)


async def test_cancel_confirmed_is_read_back_notified_and_journalled(
    spapi_harness: Harness,
) -> None:
    h = spapi_harness
    calls = watch(h)
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        seen = record_notices(app)
        panel = await open_panel(pilot)
        received, planning, processing = pick(panel, "Received", "Planning", "Processing")
        mark(panel, [received, planning, processing])
        await pilot.press("c")
        confirm = app.screen
        assert isinstance(confirm, ConfirmModal)
        req = confirm.request
        assert sorted(req.items) == sorted([received, planning])
        ((skipped, why),) = req.skipped
        assert skipped == processing and "Processing" in why and "Received" in why
        assert req.account == h.session.spapi_account
        assert req.calls_text == f"2 {CANCEL} + 2 {READ}"
        assert app.focused is confirm.query_one("#confirm-back", Button)  # the safe default
        await pilot.press("tab", "enter")
        bulk = app.screen
        assert isinstance(bulk, BulkRunModal)
        await until(pilot, lambda: bulk.finished)
        table = bulk.query_one("#bulk-table", DataTable)
        for order_id in (received, planning):
            assert table.get_cell(order_id, "outcome").plain == "done · now Cancelled"
            assert sandbox_status(h, order_id) == "Cancelled"
        assert sandbox_status(h, processing) == "Processing"
        assert bulk.report.count(Outcome.DONE) == 2
        await pilot.press("enter")  # Close
        await until(pilot, lambda: any("2 done" in m for m in seen))
        # The rows follow what the read back showed.
        await until(pilot, lambda: str(panel.orders[planning].status) == "Cancelled")
    # Two cancels, each read back; nothing sent for the order that was skipped.
    assert [c.operation for c in calls].count(CANCEL) == 2
    entries = [e for e in h.journal.entries() if e.operation == CANCEL]
    assert sorted(e.items for e in entries) == sorted([(received,), (planning,)])
    assert all(e.service == "spapi" and e.status == "ok" and e.request_id for e in entries)


async def test_a_seeded_cancel_that_does_not_take_is_requested_not_confirmed(
    spapi_harness: Harness,
) -> None:
    """The run screen, the notification and the journal all say "requested, not
    confirmed"; none of them counts it as done."""
    h = spapi_harness
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        seen = record_notices(app)
        panel = await open_panel(pilot)
        late = list(SEEDED)
        assert all(panel.orders[k].status.cancellable for k in late)
        mark(panel, late)
        await pilot.press("c")
        confirm = app.screen
        assert isinstance(confirm, ConfirmModal) and sorted(confirm.request.items) == sorted(late)
        await pilot.press("tab", "enter")
        bulk = app.screen
        assert isinstance(bulk, BulkRunModal)
        await until(pilot, lambda: bulk.finished)
        table = bulk.query_one("#bulk-table", DataTable)
        cells = {k: table.get_cell(k, "outcome").plain for k in late}
        assert all(c.startswith("requested, not confirmed") for c in cells.values()), cells
        # The read back says why, in the words the MWS run uses for the same cases.
        assert "now Processing: picking had begun" in cells[LATE_CANCEL]
        assert "may still ship" in cells[PARTIAL_CANCEL]
        assert bulk.report.summary().startswith("Done: 0 done, 2 requested, not confirmed")
        await pilot.press("enter")  # Close
        await until(pilot, lambda: any("not confirmed" in m for m in seen))
        assert not any("2 done" in m for m in seen)
    assert sandbox_status(h, LATE_CANCEL) == "Processing"
    entries = [e for e in h.journal.entries() if e.operation == CANCEL]
    assert sorted(e.items for e in entries) == sorted((k,) for k in late)
    for e in entries:
        assert e.status != "ok", e
        assert [o.outcome for o in e.outcomes.values()] == [Outcome.NOT_CONFIRMED], e


async def test_cancel_declined_sends_nothing(spapi_harness: Harness) -> None:
    h = spapi_harness
    calls = watch(h)
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        (received,) = pick(panel, "Received")
        panel.query_one(ResourceTable).move_to_key(received)
        await pilot.press("c")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("enter")  # the default button keeps the order
        await until(pilot, lambda: not isinstance(app.screen, ConfirmModal))
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ConfirmModal))
    assert CANCEL not in [c.operation for c in calls]
    assert sandbox_status(h, received) == "Received"
    assert h.journal.entries() == []


async def test_read_only_hides_and_refuses_cancel(spapi_ro_harness: Harness) -> None:
    h = spapi_ro_harness
    calls = watch(h)
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        (received,) = pick(panel, "Received")
        panel.query_one(ResourceTable).move_to_key(received)
        assert "c" not in app.screen.active_bindings
        assert panel.check_action("cancel_selected", ()) is False
        await pilot.press("c")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        panel.start_cancel([received])  # as the command palette would: refused, not sent
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        assert h.session.spapi is not None  # and the client itself refuses to send it
        with pytest.raises(ReadOnlyError):
            await h.session.spapi.fulfillment.cancel_order(received, status="Received")
    assert CANCEL not in [c.operation for c in calls]
    assert sandbox_status(h, received) == "Received"
    assert h.journal.entries() == []


def restart(h: Harness) -> Session:
    """A new session (new clients) on the same simulator and journal: the next start."""
    target = sandbox_spapi_target(
        h.sandbox, endpoint=SPAPI_ENDPOINT, transport=httpx.ASGITransport(app=h.sandbox.spapi_app)
    )
    return build_session(
        clock=h.clock,
        profile=h.session.profile,
        spapi=target,
        governor=Governor(h.clock),
        journal=h.journal,
        sandbox=True,
    )


async def test_a_lost_cancel_answer_is_settled_at_the_next_start(tmp_path: Path) -> None:
    """The answer of a cancel is lost and the run's read-back fails too: unknown. At the
    next start the app reads the order back through the SP-API backend and settles it."""
    h = sandbox_session(
        tmp_path,
        service="spapi",
        # The read is retried (it changes nothing): every attempt of the run's fails.
        faults=f"{CANCEL}:drop-after:next=1,{READ}:unavailable:next=4",
    )
    assert h.session.spapi is not None
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        (planning,) = pick(panel, "Planning")
        panel.query_one(ResourceTable).move_to_key(planning)
        await pilot.press("c", "tab", "enter")
        bulk = app.screen
        assert isinstance(bulk, BulkRunModal)
        await until(pilot, lambda: bulk.finished)
        outcome = bulk.query_one("#bulk-table", DataTable).get_cell(planning, "outcome").plain
        assert outcome.startswith("unknown"), outcome
    assert sandbox_status(h, planning) == "Cancelled"  # it did take: only the answer was lost
    h.clock.advance(2 * HOURS)  # the next start
    (pending,) = h.journal.pending_unknown()
    assert pending.service == "spapi" and pending.items == (planning,)

    restarted = make_app(restart(h))
    async with restarted.run_test(size=SIZE) as pilot:
        await until(
            pilot, lambda: any(n.title == "Unknown outcomes" for n in restarted._notifications)
        )
        (note,) = [n for n in restarted._notifications if n.title == "Unknown outcomes"]
        assert note.message == "1 unknown outcome checked: 1 took effect, 0 did not"
    assert h.journal.pending_unknown() == []
    (settled,) = [e for e in h.journal.entries() if e.operation == CANCEL]
    assert settled.status == "ok" and f"{READ} shows Cancelled" in (settled.note or "")


async def test_export_csv_and_copy_id(spapi_harness: Harness, tmp_path: Path) -> None:
    h = spapi_harness
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot)
        table = panel.main_table()
        assert table is not None
        await pilot.press("y")
        assert table.cursor_key in orders(h).state.orders
        assert app.clipboard == table.cursor_key
        table.set_filter("Planning")
        await pilot.pause()
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, ExportModal))
        modal = app.screen
        assert isinstance(modal, ExportModal)
        dest = tmp_path / "orders.csv"
        modal.query_one("#export-path", Input).value = str(dest)
        await pilot.click("#export-go")
        await until(pilot, lambda: app.screen is not modal)  # written in a worker
        await settle(pilot)
        rows = list(csv.reader(dest.open(encoding="utf-8")))
    assert len(rows) - 1 == table.row_count > 0
    assert all(r[1] == "Planning" for r in rows[1:]), rows[:3]
    assert {r[0] for r in rows[1:]} <= set(orders(h).state.orders)
