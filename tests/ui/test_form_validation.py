"""Every form field is checked before any call: a bad value is explained next to its field
and nothing is sent (no CallRecord, no change in the sandbox, no file written)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Input, Select, SelectionList
from textual.widgets.selection_list import Selection

from mwstui.calls import CallRecord
from mwstui.catalog import load_catalog
from mwstui.sellercenter.backend import DETAIL_LIMIT
from mwstui.ui.dialogs.export_modal import ExportModal
from mwstui.ui.fulfillment.fulfillment_panel import FulfillmentPanel
from mwstui.ui.orders.sellercenter_cancel import SellerCenterCancelModal
from mwstui.ui.orders.sellercenter_items import SellerCenterItemsModal
from mwstui.ui.orders.sellercenter_panel import SellerCenterPanel
from mwstui.ui.reports.download_modal import DownloadModal
from mwstui.ui.reports.reports_panel import ReportsPanel
from mwstui.ui.reports.request_report_modal import RequestReportModal
from mwstui.ui.schedules.schedule_form_modal import ScheduleFormModal
from mwstui.ui.text import form_values
from mwstui.ui.widgets.resource_table import ResourceTable
from tests.ui.harness import SIZE, Harness, make_app, screen_text, settle

NOT_REQUESTABLE = next(t.type for t in load_catalog().report_types if not t.requestable)
NOT_SCHEDULABLE = next(
    t.type for t in load_catalog().report_types if t.requestable and not t.schedulable
)


async def until(pilot: Pilot[None], cond: Callable[[], object], rounds: int = 400) -> None:
    for _ in range(rounds):
        if cond():
            return
        await pilot.pause()
    raise AssertionError("condition not reached")


def watch(h: Harness) -> list[CallRecord]:
    """Every call either client sends from now on."""
    calls: list[CallRecord] = []
    assert h.session.mws is not None and h.session.sellercenter is not None
    h.session.mws.add_observer(calls.append)
    h.session.sellercenter.add_observer(calls.append)
    return calls


def assert_beside(field: Widget, error: Widget, *expected: str) -> None:
    """``error`` shows every ``expected`` text and sits right by ``field``: the widget that
    follows it, drawn under it (past at most a margin) or on its row to its right."""
    text = str(error.render())
    for part in expected:
        assert part in text, (part, text)
    assert field.parent is not None
    siblings = list(field.parent.children)
    assert siblings[siblings.index(field) + 1] is error
    assert error.display and error.region.height >= 1
    under = 0 <= error.region.y - field.region.bottom <= 1
    beside = error.region.y == field.region.y and error.region.x >= field.region.right
    assert under or beside, (field.region, error.region)


def assert_shown(pilot: Pilot[None], text: str) -> None:
    assert text in screen_text(pilot.app), text


# -- request a report -------------------------------------------------------------------------


async def open_request_form(pilot: Pilot[None]) -> RequestReportModal:
    await settle(pilot)
    await pilot.press("n")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, RequestReportModal)
    return form


async def submit(pilot: Pilot[None], button: str) -> None:
    """Press ``button`` of the screen shown (as a click or Enter on it would)."""
    pilot.app.screen.query_one(button, Button).press()
    await pilot.pause()
    await pilot.pause()


async def test_request_form_report_type(harness: Harness) -> None:
    calls = watch(harness)
    before = len(harness.sandbox.seller().reports.requests)
    async with make_app(harness.session).run_test(size=SIZE) as pilot:
        form = await open_request_form(pilot)
        picker, error = form.query_one("#rr-type"), form.query_one("#rr-type-error")
        await submit(pilot, "#rr-go")
        assert_beside(picker, error, "ReportType is required", "pick a report type")
        assert "ReportType is required" in str(form.query_one("#rr-error").render())
        search = form.query_one("#rr-type Input", Input)
        for typed, message in [
            ("orders please", "'orders please' is not a report type"),
            ("_GET_NO_SUCH_REPORT_", "_GET_NO_SUCH_REPORT_ is not a known report type"),
            (NOT_REQUESTABLE, "cannot be requested (Amazon generates it)"),
        ]:
            search.value = typed
            await pilot.pause()
            await submit(pilot, "#rr-go")
            assert_beside(picker, error, message)
        assert_shown(pilot, "cannot be requested")
        assert pilot.app.screen is form
    assert not [c for c in calls if c.operation == "RequestReport"]
    assert len(harness.sandbox.seller().reports.requests) == before
    assert harness.journal.entries() == []


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("yesterday", "", "StartDate: 'yesterday' is not a date"),
        ("", "2025-13-40", "EndDate: '2025-13-40' is not a date"),
        ("2026-02-01", "", "StartDate is in the future"),
        ("2025-12-20", "2025-12-10", "StartDate must be earlier than EndDate"),
    ],
)
async def test_request_form_dates(harness: Harness, start: str, end: str, message: str) -> None:
    calls = watch(harness)
    async with make_app(harness.session).run_test(size=SIZE) as pilot:
        form = await open_request_form(pilot)
        form.query_one("#rr-type Input", Input).value = "_GET_MERCHANT_LISTINGS_ALL_DATA_"
        form.query_one("#rr-start", Input).value = start
        form.query_one("#rr-end", Input).value = end
        await pilot.pause()
        await submit(pilot, "#rr-go")
        row = form.query_one("#rr-start").parent
        assert isinstance(row, Widget)
        assert_beside(row, form.query_one("#rr-dates-error"), message)
        assert str(form.query_one("#rr-type-error").render()) == ""  # the type was fine
        assert pilot.app.screen is form
    assert not [c for c in calls if c.operation == "RequestReport"]


async def test_request_form_marketplaces(harness: Harness) -> None:
    calls = watch(harness)
    async with make_app(harness.session).run_test(size=SIZE) as pilot:
        form = await open_request_form(pilot)
        form.query_one("#rr-type Input", Input).value = "_GET_MERCHANT_LISTINGS_ALL_DATA_"
        markets = form.query_one("#rr-markets", SelectionList)
        markets.deselect_all()
        await pilot.pause()
        await submit(pilot, "#rr-go")
        assert_beside(markets, form.query_one("#rr-markets-error"), "pick at least one marketplace")
        # A marketplace the catalog does not know is refused by name.
        markets.add_option(Selection("XX nowhere", "A1NOWHERE000", True))
        await pilot.pause()
        await submit(pilot, "#rr-go")
        assert_beside(markets, form.query_one("#rr-markets-error"), "'A1NOWHERE000' is not a known")
        assert pilot.app.screen is form
    assert not [c for c in calls if c.operation == "RequestReport"]


# -- schedules --------------------------------------------------------------------------------


async def open_schedule_form(pilot: Pilot[None]) -> ScheduleFormModal:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("n")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, ScheduleFormModal)
    return form


async def test_schedule_form_type_and_schedule(harness: Harness) -> None:
    calls = watch(harness)
    before = dict(harness.sandbox.seller().reports.schedules)
    async with make_app(harness.session).run_test(size=SIZE) as pilot:
        form = await open_schedule_form(pilot)
        await submit(pilot, "#sf-go")
        picker = form.query_one("#sf-type")
        assert_beside(picker, form.query_one("#sf-type-error"), "ReportType is required")
        select = form.query_one("#sf-schedule", Select)
        assert_beside(select, form.query_one("#sf-schedule-error"), "Schedule is required")
        assert "(and 1 more above)" in str(form.query_one("#sf-error").render())
        form.query_one("#sf-type Input", Input).value = NOT_SCHEDULABLE
        select.value = "_1_DAY_"
        await pilot.pause()
        await submit(pilot, "#sf-go")
        assert_beside(
            picker, form.query_one("#sf-type-error"), f"{NOT_SCHEDULABLE} cannot be scheduled"
        )
        assert str(form.query_one("#sf-schedule-error").render()) == ""
        assert pilot.app.screen is form
    assert not [c for c in calls if c.operation == "ManageReportSchedule"]
    assert harness.sandbox.seller().reports.schedules == before


@pytest.mark.parametrize(
    ("days", "typed", "message"),
    [
        (None, "next tuesday", "ScheduleDate: 'next tuesday' is not a date"),
        (367, None, "ScheduleDate must be at most 366 days ahead"),
        (-1, None, "ScheduleDate is in the past"),
    ],
)
async def test_schedule_form_date(
    harness: Harness, days: int | None, typed: str | None, message: str
) -> None:
    calls = watch(harness)
    async with make_app(harness.session).run_test(size=SIZE) as pilot:
        form = await open_schedule_form(pilot)
        form.query_one("#sf-type Input", Input).value = "_GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_"
        form.query_one("#sf-schedule", Select).value = "_1_DAY_"
        when = harness.clock.now() + timedelta(days=days or 0)
        form.query_one("#sf-date", Input).value = typed or when.strftime("%Y-%m-%d %H:%M")
        await pilot.pause()
        await submit(pilot, "#sf-go")
        assert_beside(form.query_one("#sf-date"), form.query_one("#sf-date-error"), message)
        assert message in str(form.query_one("#sf-error").render())
        assert pilot.app.screen is form
    assert not [c for c in calls if c.operation == "ManageReportSchedule"]


SP_NOT_SCHEDULABLE = next(t.type for t in load_catalog().spapi.report_types if not t.schedulable)


async def test_spapi_schedule_form_fields(spapi_harness: Harness) -> None:
    calls: list[CallRecord] = []
    assert spapi_harness.session.spapi is not None
    spapi_harness.session.spapi.add_observer(calls.append)
    async with make_app(spapi_harness.session).run_test(size=SIZE) as pilot:
        form = await open_schedule_form(pilot)
        form.query_one("#sf-type Input", Input).value = SP_NOT_SCHEDULABLE
        form.query_one("#sf-schedule", Select).value = "PT5M"
        markets = form.query_one("#sf-markets", SelectionList)
        markets.deselect_all()
        past = spapi_harness.clock.now() - timedelta(days=1)
        form.query_one("#sf-date", Input).value = past.strftime("%Y-%m-%d %H:%M")
        await pilot.pause()
        await submit(pilot, "#sf-go")
        picker = form.query_one("#sf-type")
        assert_beside(
            picker, form.query_one("#sf-type-error"), f"{SP_NOT_SCHEDULABLE} cannot be scheduled"
        )
        assert "pick at least one marketplace" in str(form.query_one("#sf-markets-error").render())
        assert "nextReportCreationTime is in the past" in str(
            form.query_one("#sf-date-error").render()
        )
        assert "(and 2 more above)" in str(form.query_one("#sf-error").render())
        assert pilot.app.screen is form
    assert not [c for c in calls if c.operation == "createReportSchedule"]


# -- fulfillment custom window -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("last week", "since: YYYY-MM-DD [HH:MM], UTC"),
        ("2026-01-02", "since is in the future"),
        ("", "since: YYYY-MM-DD"),
    ],
)
async def test_fulfillment_custom_window_date(harness: Harness, typed: str, message: str) -> None:
    calls = watch(harness)
    async with make_app(harness.session).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.action_show_tab(2)  # type: ignore[attr-defined]
        panel = pilot.app.query_one(FulfillmentPanel)
        await until(pilot, lambda: panel.loaded_at is not None and not panel.is_loading())
        n = len(calls)
        panel.query_one("#fo-window", Select).value = "custom"
        await pilot.pause()
        since = panel.query_one("#fo-since", Input)
        assert pilot.app.focused is since
        since.value = typed
        await pilot.press("enter")
        await settle(pilot)
        assert_beside(since, panel.query_one("#fo-since-error"), message)
        assert_shown(pilot, message)  # whole, even in 80 columns
        assert panel.since is None
    assert len(calls) == n  # nothing sent, not even a reload


# -- SellerCenter cancel -------------------------------------------------------------------------


async def open_reason(pilot: Pilot[None], h: Harness) -> SellerCenterCancelModal:
    await settle(pilot)
    pilot.app.action_show_tab(3)  # type: ignore[attr-defined]
    panel = pilot.app.query_one(SellerCenterPanel)
    await until(pilot, lambda: panel.loaded_at is not None and not panel.is_loading())
    order = next(
        o for o in h.sandbox.sellercenter.orders.values() if o.items[0].status == "pending"
    )
    assert panel.main_table().move_to_key(str(order.order_id))
    await pilot.press("enter")
    items = pilot.app.screen
    assert isinstance(items, SellerCenterItemsModal)
    await until(pilot, lambda: items.items)
    assert items.query_one("#sci-table", ResourceTable).move_to_key(
        str(order.items[0].order_item_id)
    )
    await pilot.press("c")
    reason = pilot.app.screen
    assert isinstance(reason, SellerCenterCancelModal)
    await until(pilot, lambda: reason.reasons)
    return reason


async def test_sellercenter_cancel_reason_and_detail(harness: Harness) -> None:
    calls = watch(harness)
    async with make_app(harness.session).run_test(size=SIZE) as pilot:
        reason = await open_reason(pilot, harness)
        select = reason.query_one("#scc-reason", Select)
        detail = reason.query_one("#scc-detail", Input)
        await submit(pilot, "#scc-continue")
        row, detail_row = select.parent, detail.parent
        assert isinstance(row, Widget) and isinstance(detail_row, Widget)
        assert_beside(row, reason.query_one("#scc-reason-error"), "Pick a reason")
        select.value = "Out of stock"
        detail.value = "x" * (DETAIL_LIMIT + 1)
        await pilot.pause()
        await submit(pilot, "#scc-continue")
        assert str(reason.query_one("#scc-reason-error").render()) == ""
        assert_beside(
            detail_row,
            reason.query_one("#scc-detail-error"),
            f"ReasonDetail is longer than {DETAIL_LIMIT} characters ({DETAIL_LIMIT + 1})",
        )
        assert pilot.app.screen is reason
        detail.value = "x" * DETAIL_LIMIT  # the limit itself is fine: on to the confirmation
        await pilot.pause()
        await submit(pilot, "#scc-continue")
        assert pilot.app.screen is not reason
    assert not [c for c in calls if c.operation == "SetStatusToCanceled"]
    assert harness.journal.entries() == []


# -- download and CSV export paths ---------------------------------------------------------------


async def open_download(pilot: Pilot[None]) -> DownloadModal:
    await settle(pilot)
    panel = pilot.app.query_one(ReportsPanel)
    rid = next(k for k, i in panel.jobs.items() if i.document_id)
    panel.main_table().move_to_key(rid)
    await pilot.press("d")
    await pilot.pause()
    modal = pilot.app.screen
    assert isinstance(modal, DownloadModal)
    return modal


def bad_paths(root: Path) -> list[tuple[str, str]]:
    """Paths nothing can be saved to (and a file in ``root`` to make one of them)."""
    root.mkdir()
    a_file = root / "a-file.txt"
    a_file.write_text("x")
    return [
        ("   ", "Type a path to save to."),
        (str(root / "missing" / "r.txt"), "No such directory"),
        (str(a_file / "r.txt"), "is not a directory"),
    ]


async def test_download_path(harness: Harness, tmp_path: Path, monkeypatch: Any) -> None:
    calls = watch(harness)
    async with make_app(harness.session).run_test(size=SIZE) as pilot:
        modal = await open_download(pilot)
        field, error = modal.query_one("#dl-path", Input), modal.query_one("#dl-path-error")
        root = tmp_path / "out"
        for typed, message in bad_paths(root):
            field.value = typed
            await pilot.pause()
            await submit(pilot, "#dl-go")
            assert_beside(field, error, message)
        locked = root / "locked"
        locked.mkdir()
        monkeypatch.setattr(form_values, "_writable", lambda d: d != locked)
        field.value = str(locked / "r.txt")
        await pilot.pause()
        await submit(pilot, "#dl-go")
        assert_beside(field, error, "Cannot write in", "permission denied")
        assert not modal.query_one("#dl-go").disabled and modal.saved is None
    assert not [c for c in calls if c.operation == "GetReport"]
    assert sorted(p.name for p in root.iterdir()) == ["a-file.txt", "locked"]
    assert not list(locked.iterdir())


@pytest.mark.skipif(
    not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
    reason="root writes anywhere",
)
def test_save_path_refuses_a_read_only_directory(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    path, problem = form_values.save_path(str(locked / "x.csv"))
    assert path is None and problem is not None and "permission denied" in problem


def test_save_path_accepts_and_names_the_file(tmp_path: Path) -> None:
    assert form_values.save_path(f" {tmp_path}/x.csv ") == (tmp_path / "x.csv", None)
    assert form_values.save_path(str(tmp_path), file_name="r.txt") == (tmp_path / "r.txt", None)
    path, problem = form_values.save_path(str(tmp_path))
    assert path is None and problem == f"{tmp_path} is a directory: add a file name."


async def test_csv_export_path(harness: Harness, tmp_path: Path, monkeypatch: Any) -> None:
    async with make_app(harness.session).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await pilot.pause()
        modal = pilot.app.screen
        assert isinstance(modal, ExportModal)
        field, error = modal.query_one("#export-path", Input), modal.query_one("#export-error")
        root = tmp_path / "out"
        for typed, message in [
            *bad_paths(root),
            (str(root), "is a directory: add a file name"),
        ]:
            field.value = typed
            await pilot.pause()
            await submit(pilot, "#export-go")
            assert_beside(field, error, message)
            assert pilot.app.screen is modal
        locked = root / "locked"
        locked.mkdir()
        monkeypatch.setattr(form_values, "_writable", lambda d: d != locked)
        field.value = str(locked / "x.csv")
        await pilot.pause()
        await submit(pilot, "#export-go")
        assert_beside(field, error, "permission denied")
        assert pilot.app.screen is modal
    assert sorted(p.name for p in root.iterdir()) == ["a-file.txt", "locked"]
    assert not list(locked.iterdir())
