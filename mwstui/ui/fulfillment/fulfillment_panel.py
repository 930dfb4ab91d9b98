"""Fulfillment orders: list by query window and status, detail, and a confirmed bulk cancel."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from mwstui import validation
from mwstui.backend.fulfillment_records import FulfillmentOrder
from mwstui.errors import MwstuiError
from mwstui.session import Session
from mwstui.throttle.budget import BucketKey
from mwstui.ui.dialogs.bulk_report import BulkReport
from mwstui.ui.fulfillment.fulfillment_detail import FulfillmentDetailModal
from mwstui.ui.panel import LOAD_GROUP, Panel
from mwstui.ui.plan_flow import carry_out
from mwstui.ui.read_back import follow_read_back
from mwstui.ui.text import fmt
from mwstui.ui.text.safe_text import cell, clean
from mwstui.ui.widgets.field_input import FieldInput
from mwstui.ui.widgets.resource_table import Column, ResourceTable, TableRow

WINDOWS: tuple[tuple[str, str], ...] = (
    ("36 h (default)", "default"),
    ("7 days", "7"),
    ("30 days", "30"),
    ("custom…", "custom"),
)
"""Query window choices: ``default`` lets the service apply its own (36 h)."""

ALL = "all"


def _short(value: object) -> Text:
    return cell(fmt.short_datetime(value) if isinstance(value, datetime) else value)


SINCE_HELP = "YYYY-MM-DD [HH:MM], UTC"
"""The custom window's date forms, short enough to sit beside the field in 80 columns."""


def parse_since(text: str, now: datetime) -> datetime:
    """``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM`` (UTC) → an aware datetime not in the future.

    Raises:
        ValueError: with a one-line message naming the field (``since``, sent as
            QueryStartDateTime), short enough to show beside it.
    """
    value = text.strip()
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            since = datetime.strptime(value, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
        problem = validation.date_range(since, None, now=now, start_field="since")
        if problem:
            raise ValueError(problem)
        return since
    raise ValueError(f"since: {SINCE_HELP}")


class FulfillmentPanel(Panel):
    """Fulfillment Outbound orders whose status changed within the query window."""

    panel_id = "fulfillment"
    title = "Fulfillment orders"
    capability = "fulfillment"
    operations: ClassVar[list[str]] = [
        "ListAllFulfillmentOrders",
        "ListAllFulfillmentOrdersByNextToken",
        "GetFulfillmentOrder",
        "CancelFulfillmentOrder",
        "GetPackageTrackingDetails",
    ]
    mutating_actions = frozenset({"cancel_selected"})
    auto_refresh = 60.0

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter (and a click) on a row opens the detail too; the table owns that key.
        Binding("d", "show_detail", "Detail"),
        Binding("c", "cancel_selected", "Cancel orders"),
        Binding("w", "cycle_window", "Window"),
        Binding("f", "focus_status", "Status filter", show=False),
        Binding("p", "toggle_pause", "Pause", show=False),
        Binding("i", "cycle_interval", "Interval", show=False),
    ]

    DEFAULT_CSS = """
    FulfillmentPanel { height: 1fr; }
    FulfillmentPanel #fo-bar { height: 1; }
    FulfillmentPanel #fo-bar Label { padding: 0 1; }
    FulfillmentPanel #fo-window { width: 18; }
    FulfillmentPanel #fo-status { width: 24; }
    FulfillmentPanel #fo-since { width: 20; }
    FulfillmentPanel #fo-since-error { color: $error; width: auto; }
    FulfillmentPanel .filter { width: 1fr; }
    FulfillmentPanel .status { height: 1; color: $text-muted; }
    FulfillmentPanel #fo-table-box, FulfillmentPanel #fo-table { height: 1fr; }
    """

    @dataclass
    class OrdersCancelled(Message):
        """A bulk cancel finished (or was stopped)."""

        report: BulkReport

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.orders: dict[str, FulfillmentOrder] = {}
        self.window = "default"
        self.since: datetime | None = None
        self.status_filter = ALL

    def compose(self) -> ComposeResult:
        backend = self.session.backends.fulfillment
        statuses = [(s, s) for s in (backend.order_statuses() if backend is not None else ())]
        with Horizontal(id="fo-bar", classes="panel-bar"):
            yield Label("Window")
            yield Select(WINDOWS, value="default", allow_blank=False, compact=True, id="fo-window")
            yield FieldInput(placeholder="since YYYY-MM-DD", compact=True, id="fo-since")
            yield Label("", id="fo-since-error")
            yield Label("Status")
            yield Select(
                [("all statuses", ALL), *statuses],
                value=ALL,
                allow_blank=False,
                compact=True,
                id="fo-status",
            )
            yield FieldInput(placeholder="/ filter", compact=True, classes="filter", id="fo-filter")
        yield Static(classes="status")
        with Vertical(id="fo-table-box"):
            yield ResourceTable(
                [
                    Column("order_id", "Order"),
                    Column("status", "Status"),
                    Column("displayable_id", "Displayed id"),
                    Column("updated", "Updated", render=_short),
                    Column("received", "Received", render=_short),
                    Column("speed", "Speed"),
                ],
                markable=True,
                sort_by="updated",
                sort_reverse=True,
                id="fo-table",
            )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#fo-since", Input).display = False

    # -- loading ---------------------------------------------------------------------------

    def query_start(self) -> datetime | None:
        """The QueryStartDateTime sent (None: the service's default window)."""
        if self.window == "custom":
            return self.since
        if self.window == "default":
            return None
        return self.session.clock.now() - timedelta(days=int(self.window))

    def action_refresh_data(self) -> None:
        """Reload every page of the window; each page shows as it arrives."""
        if self.session.backends.fulfillment is None:
            return
        self._load(self.query_start())
        self.begin_load()

    def loading_cover(self) -> Widget:
        return self.query_one("#fo-table-box")

    def wait_bucket(self) -> BucketKey | None:
        backend = self.session.backends.fulfillment
        return None if backend is None else backend.budget(backend.operations[0]).key

    @work(exclusive=True, group=LOAD_GROUP)
    async def _load(self, query_start: datetime | None) -> None:
        backend = self.session.backends.fulfillment
        assert backend is not None
        found: dict[str, FulfillmentOrder] = {}
        try:
            async for page in backend.list_orders(since=query_start):
                fresh = {o.id: o for o in page.rows}
                found.update(fresh)
                # Known at once (cancel, detail, counts); the rest of the old list stays
                # until the last page says what is gone.
                self.orders.update(fresh)
                self.page_loaded(self._rows(fresh.values()))
        except MwstuiError as exc:
            self.load_failed(exc, "Loading fulfillment orders")
            return
        self.orders = found
        self.load_done(self._rows(found.values()))

    def _rows(self, orders: Iterable[FulfillmentOrder]) -> list[TableRow]:
        wanted = self.status_filter
        return [
            TableRow(
                o.id,
                (
                    o.id,
                    str(o.status),
                    o.display_id,
                    o.status_updated_at,
                    o.received_at,
                    o.shipping_speed,
                ),
            )
            for o in orders
            # Case-insensitively: SP-API answers in the model's spelling or in upper case.
            if wanted == ALL or str(o.status).casefold() == wanted.casefold()
        ]

    def _show(self) -> None:
        self.query_one(ResourceTable).set_rows(self._rows(self.orders.values()))

    def status_parts(self) -> list[str]:
        table = self.query_one(ResourceTable)
        parts = [f"{table.row_count} of {len(self.orders)} orders"]
        start = self.query_start()
        parts.append("since " + (fmt.short_datetime(start) if start else "36 h (default)"))
        if table.marked:
            parts.append(f"{len(table.marked)} marked")
        return parts

    # -- filters -------------------------------------------------------------------------------

    @on(Select.Changed, "#fo-window")
    def _window_changed(self, event: Select.Changed) -> None:
        if str(event.value) == self.window:
            return  # the initial value, or a re-pick: nothing to reload
        self.window = str(event.value)
        since = self.query_one("#fo-since", Input)
        since.display = self.window == "custom"
        if self.window == "custom":
            since.focus()
            return
        self.query_one("#fo-since-error", Label).update("")
        self.action_refresh_data()

    @on(Input.Submitted, "#fo-since")
    def _since_submitted(self, event: Input.Submitted) -> None:
        error = self.query_one("#fo-since-error", Label)
        try:
            self.since = parse_since(event.value, self.session.clock.now())
        except ValueError as exc:
            # Next to the field; nothing is sent until the date is right.
            error.update(Text(clean(str(exc))))
            return
        error.update("")
        self.focus_main()
        self.action_refresh_data()

    @on(Select.Changed, "#fo-status")
    def _status_changed(self, event: Select.Changed) -> None:
        if str(event.value) == self.status_filter:
            return
        self.status_filter = str(event.value)
        self._show()
        self.update_status()

    @on(Input.Changed, "#fo-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_one(ResourceTable).set_filter(event.value)
        self.update_status()

    @on(Input.Submitted, "#fo-filter")
    def _filter_done(self) -> None:
        self.focus_main()

    @on(ResourceTable.MarksChanged)
    def _marks_changed(self) -> None:
        self.update_status()

    def action_cycle_window(self) -> None:
        """Switch to the next query window."""
        values = [v for _, v in WINDOWS]
        select = self.query_one("#fo-window", Select)
        select.value = values[(values.index(self.window) + 1) % len(values)]

    def action_focus_status(self) -> None:
        """Jump to the status filter."""
        self.query_one("#fo-status", Select).focus()

    # -- detail --------------------------------------------------------------------------------

    @on(ResourceTable.RowSelected, "#fo-table")
    def _row_selected(self) -> None:
        self.action_show_detail()

    def action_show_detail(self) -> None:
        """Open the order under the cursor: items, shipments, packages, tracking."""
        order_id = self.query_one(ResourceTable).cursor_key
        if order_id is None or self.session.backends.fulfillment is None:
            return

        def closed(wanted: FulfillmentOrder | None) -> None:
            if wanted is not None:
                # The detail's read is newer than the list: the plan judges the order by it.
                self.orders[order_id] = wanted
                self.query_one(ResourceTable).add_rows(self._rows([wanted]))
                self.start_cancel([order_id])

        self.app.push_screen(FulfillmentDetailModal(self.session, order_id), closed)

    # -- cancel --------------------------------------------------------------------------------

    def action_cancel_selected(self) -> None:
        """Cancel the marked orders (or the one under the cursor), after confirmation."""
        self.start_cancel(self.query_one(ResourceTable).selected_keys())

    def start_cancel(self, order_ids: list[str]) -> None:
        """Confirm, then cancel ``order_ids`` as the backend plans it (what cannot be
        cancelled is skipped with the reason; every cancel is read back).

        Args:
            order_ids: the orders the user picked (cancellable or not).
        """
        backend = self.session.backends.fulfillment
        if self.refuse_if_read_only("cancel_selected") or backend is None:
            return
        if not order_ids:
            self.notify("No order under the cursor.", severity="warning")
            return

        def finished(report: BulkReport | None) -> None:
            if report is None:  # declined, or nothing could be cancelled
                return
            self.query_one(ResourceTable).clear_marks()
            self.post_message(self.OrdersCancelled(report))
            self.notify(report.summary(), title="Fulfillment orders", markup=False)
            # Each cancel was read back: its row shows the order as read, no list again.
            follow_read_back(self, report.results, self.orders, FulfillmentOrder, self._show)

        carry_out(self.app, self.session, backend.plan_cancel(order_ids, self.orders), finished)
