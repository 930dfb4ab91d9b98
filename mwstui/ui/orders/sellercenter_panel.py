"""Marketplace (SellerCenter) orders: a page at a time, filtered by item status."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from mwstui.backend.models import MarketplaceOrder, OrderItem, StatusFilter
from mwstui.backend.protocols import Page
from mwstui.errors import MwstuiError
from mwstui.session import Session
from mwstui.throttle.budget import BucketKey
from mwstui.ui.orders.sellercenter_items import SellerCenterItemsModal
from mwstui.ui.panel import LOAD_GROUP, Panel
from mwstui.ui.text import fmt
from mwstui.ui.text.safe_text import cell, clean
from mwstui.ui.widgets.field_input import FieldInput
from mwstui.ui.widgets.resource_table import Column, ResourceTable, TableRow

ANY = "any"

CREATED_WINDOWS: tuple[tuple[str, int], ...] = (
    ("7 days", 7),
    ("30 days", 30),
    ("90 days", 90),
    ("1 year", 365),
)
"""How far back the list looks (by creation date)."""
DEFAULT_DAYS = 90


def _short(value: object) -> Text:
    return cell(fmt.short_datetime(value) if isinstance(value, datetime) else value)


def _joined_text(value: object) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)


def _joined(value: object) -> Text:
    return cell(_joined_text(value) if isinstance(value, list | tuple) else value)


def _joined_plain(value: object) -> str:
    return clean(_joined_text(value)) if value is not None else ""


class SellerCenterPanel(Panel):
    """Orders of the session's orders backend, one page at a time; Enter opens the items
    of an order (and their cancel)."""

    panel_id = "sellercenter"
    title = "SellerCenter orders"
    capability = "orders"
    auto_refresh = 60.0

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter (and a click) on a row opens the items too; the table owns that key.
        Binding("d", "show_items", "Items"),
        # "n" means New on every other panel: pages turn with > and < (and ctrl+f / ctrl+b).
        Binding("greater_than_sign,ctrl+f", "next_page", "Next page", key_display=">"),
        Binding("less_than_sign,ctrl+b", "previous_page", "Prev page", key_display="<"),
        Binding("f", "focus_status", "Status filter", show=False),
        Binding("p", "toggle_pause", "Pause", show=False),
        Binding("i", "cycle_interval", "Interval", show=False),
    ]

    DEFAULT_CSS = """
    SellerCenterPanel { height: 1fr; }
    SellerCenterPanel #sc-bar { height: 1; }
    SellerCenterPanel #sc-bar Label { padding: 0 1; }
    SellerCenterPanel #sc-status { width: 20; }
    SellerCenterPanel #sc-window { width: 12; }
    SellerCenterPanel .filter { width: 1fr; }
    SellerCenterPanel .status { height: 1; color: $text-muted; }
    SellerCenterPanel #sc-table-box, SellerCenterPanel #sc-table { height: 1fr; }
    """

    @dataclass
    class PagesLoaded(Message):
        """Pages of orders arrived, the first of them being page ``start``."""

        pages: list[Page[MarketplaceOrder]]
        start: int
        show: int
        """The page to show (the last one fetched if there are fewer)."""
        exhausted: bool

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        backend = session.backends.orders
        self.filters = backend.status_filter if backend is not None else StatusFilter(())
        """The statuses the backend can narrow its listing to."""
        self.status_filter = self.filters.default or ANY
        self.days = DEFAULT_DAYS
        self.pages: list[Page[MarketplaceOrder]] = []
        """Pages fetched so far for the current filter."""
        self.page_index = 0
        self._pager: AsyncIterator[Page[MarketplaceOrder]] | None = None
        self._exhausted = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="sc-bar", classes="panel-bar"):
            yield Label("Status")
            yield Select(
                [*((s, s) for s in self.filters.values), ("any status", ANY)],
                value=self.status_filter,
                allow_blank=False,
                compact=True,
                id="sc-status",
            )
            yield Label("Created in")
            yield Select(
                CREATED_WINDOWS, value=DEFAULT_DAYS, allow_blank=False, compact=True, id="sc-window"
            )
            yield FieldInput(placeholder="/ filter", compact=True, classes="filter", id="sc-filter")
        yield Static(classes="status")
        with Vertical(id="sc-table-box"):
            yield ResourceTable(
                [
                    Column("order_id", "Order"),
                    Column("number", "Number"),
                    Column("statuses", "Item statuses", render=_joined, export=_joined_plain),
                    Column("items", "Items"),
                    Column("customer", "Customer"),
                    Column("price", "Price"),
                    Column("created", "Created", render=_short),
                    Column("payment", "Payment"),
                ],
                id="sc-table",
            )

    # -- loading ---------------------------------------------------------------------------

    def action_refresh_data(self) -> None:
        """Reload the pages up to the one shown, so a refresh keeps the user's place."""
        self._restart(self.page_index)

    def _restart(self, show: int) -> None:
        backend = self.session.backends.orders
        if backend is None:
            return
        pager = aiter(
            backend.list_orders(
                status=None if self.status_filter == ANY else self.status_filter,
                created_after=self.session.clock.now() - timedelta(days=self.days),
            )
        )
        self._pager = pager
        self._fetch(pager, 0, show)
        self.begin_load()

    @work(exclusive=True, group=LOAD_GROUP)
    async def _fetch(
        self, pager: AsyncIterator[Page[MarketplaceOrder]], start: int, show: int
    ) -> None:
        got: list[Page[MarketplaceOrder]] = []
        exhausted = False
        try:
            for _ in range(start, show + 1):
                got.append(await anext(pager))
        except StopAsyncIteration:
            exhausted = True
        except MwstuiError as exc:
            # The pager is spent once it raised: the next refresh starts a new one.
            self._pager = None
            self.load_failed(exc, "Loading orders")
            return
        if pager is self._pager:
            self.post_message(self.PagesLoaded(got, start, show, exhausted))

    @on(PagesLoaded)
    def _pages_loaded(self, event: PagesLoaded) -> None:
        self.pages = self.pages[: event.start] + event.pages
        self._exhausted = event.exhausted
        self.page_index = max(0, min(event.show, len(self.pages) - 1))
        self._show()
        self.load_done(None)

    def loading_cover(self) -> Widget:
        return self.query_one("#sc-table-box")

    def wait_bucket(self) -> BucketKey | None:
        backend = self.session.backends.orders
        # A backend names its listing's operation first.
        return None if backend is None else backend.budget(backend.operations[0]).key

    def _show(self) -> None:
        orders = self.pages[self.page_index].rows if self.pages else ()
        self.query_one(ResourceTable).set_rows(
            TableRow(
                o.id,
                (
                    o.id,
                    o.number,
                    o.statuses,
                    o.items_count,
                    o.customer,
                    o.price,
                    o.created_at,
                    o.payment,
                ),
            )
            for o in orders
        )

    def has_next_page(self) -> bool:
        """Whether another page exists past the one shown (fetched or not)."""
        if self.page_index + 1 < len(self.pages):
            return True
        if not self.pages or self._exhausted:
            return False
        return self.pages[-1].more

    def page_count(self) -> int:
        """Pages the whole listing has: from the total and the size of a full first page."""
        if not self.pages:
            return 1
        first, total = self.pages[0], self.pages[-1].total
        if total is None or not first.more or not first.rows:
            return max(1, len(self.pages) + (1 if self.has_next_page() else 0))
        return max(1, -(-total // len(first.rows)))

    def status_parts(self) -> list[str]:
        total = self.pages[-1].total if self.pages else 0
        if total is None:
            total = sum(len(p.rows) for p in self.pages)
        last = self.page_count()
        # Status and window are on the bar above: the line stays short enough for 80 columns.
        return [f"{total} orders", f"page {self.page_index + 1} of {last}"]

    # -- paging and filters -----------------------------------------------------------------

    def action_next_page(self) -> None:
        """Show the next page (fetched once, then kept)."""
        if self.is_loading() or not self.has_next_page():
            return
        if self.page_index + 1 < len(self.pages):
            self.page_index += 1
            self._show()
            self.update_status()
        elif self._pager is not None:
            self._fetch(self._pager, len(self.pages), len(self.pages))
            self.update_status()

    def action_previous_page(self) -> None:
        """Show the previous page again (no call)."""
        if self.page_index > 0:
            self.page_index -= 1
            self._show()
            self.update_status()

    @on(Select.Changed, "#sc-status")
    def _status_changed(self, event: Select.Changed) -> None:
        if str(event.value) != self.status_filter:
            self.status_filter = str(event.value)
            self._restart(0)

    @on(Select.Changed, "#sc-window")
    def _window_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.days:
            self.days = event.value
            self._restart(0)

    @on(Input.Changed, "#sc-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_one(ResourceTable).set_filter(event.value)

    @on(Input.Submitted, "#sc-filter")
    def _filter_done(self) -> None:
        self.focus_main()

    def action_focus_status(self) -> None:
        """Jump to the status filter."""
        self.query_one("#sc-status", Select).focus()

    # -- items -------------------------------------------------------------------------------

    @on(ResourceTable.RowSelected, "#sc-table")
    def _row_selected(self) -> None:
        self.action_show_items()

    def action_show_items(self) -> None:
        """Open the items of the order under the cursor."""
        order_id = self.query_one(ResourceTable).cursor_key
        if order_id is None or self.session.backends.orders is None:
            return
        order = next((o for p in self.pages for o in p.rows if o.id == order_id), None)
        modal = SellerCenterItemsModal(self.session, order_id, order)

        def closed(changed: bool | None) -> None:
            if not changed:
                return
            if modal.settled:
                # The items were read back after the cancel: the order's row follows them,
                # no page is fetched again.
                self.order_changed(order_id, modal.items.values())
            else:
                self.action_refresh_data()

        self.app.push_screen(modal, closed)

    def order_changed(self, order_id: str, items: Iterable[OrderItem]) -> None:
        """Show ``order_id`` with the statuses of ``items`` (as read back)."""
        statuses = tuple(dict.fromkeys(i.status for i in items))
        for index, page in enumerate(self.pages):
            rows = tuple(
                replace(o, statuses=statuses) if o.id == order_id else o for o in page.rows
            )
            if rows != page.rows:
                self.pages[index] = replace(page, rows=rows)
        self._show()
        self.update_status()
