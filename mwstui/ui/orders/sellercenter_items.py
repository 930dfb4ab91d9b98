"""The items of one marketplace order, and the confirmed cancel of some of them."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from mwstui.backend.actions import ActionPlan
from mwstui.backend.models import MarketplaceOrder, OrderItem
from mwstui.backend.protocols import Feature
from mwstui.errors import MwstuiError
from mwstui.session import Session
from mwstui.ui.dialogs.bulk_report import BulkReport
from mwstui.ui.orders.sellercenter_cancel import CancelChoice, SellerCenterCancelModal
from mwstui.ui.plan_flow import carry_out
from mwstui.ui.read_only import explain_read_only_key, read_only_error
from mwstui.ui.text.notify import notify_error
from mwstui.ui.text.safe_text import literal
from mwstui.ui.text.status_text import status_cell
from mwstui.ui.widgets.resource_table import Column, ResourceTable, TableRow


class SellerCenterItemsModal(ModalScreen[bool]):
    """The items of one order; ``c`` cancels the marked items (or the one under the cursor).

    Dismisses True when a cancel ran, so the order list shows what changed (``settled``:
    the items were read back after it).

    Args:
        session: its orders backend and read-only flag.
        order_id: the order.
        order: the order as listed, for the title (optional).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back"),
        Binding("r", "reload", "Reload"),
        Binding("c", "cancel_items", "Cancel items"),
    ]

    DEFAULT_CSS = """
    SellerCenterItemsModal { align: center middle; }
    SellerCenterItemsModal > #sci-body {
        width: 100%; height: 1fr; border: thick $primary; background: $surface; padding: 0 1;
    }
    SellerCenterItemsModal #sci-title { text-style: bold; }
    SellerCenterItemsModal #sci-table-box, SellerCenterItemsModal #sci-table { height: 1fr; }
    """

    def __init__(
        self, session: Session, order_id: str, order: MarketplaceOrder | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.order_id = order_id
        self.order = order
        self.items: dict[str, OrderItem] = {}
        self.changed = False
        """A cancel ran while the dialog was open."""
        self.settled = False
        """The items shown were read after the last cancel."""

    def compose(self) -> ComposeResult:
        title = Text.assemble("Order ", literal(self.order_id))
        if self.order is not None:
            title.append_text(Text.assemble(" · ", literal(self.order.number)))
            if self.order.customer:
                title.append_text(Text.assemble(" · ", literal(self.order.customer)))
        with Vertical(id="sci-body"):
            yield Static(title, id="sci-title")
            with Vertical(id="sci-table-box"):
                yield ResourceTable(
                    [
                        Column("item_id", "Item"),
                        Column("status", "Status", render=status_cell),
                        Column("name", "Name"),
                        Column("sku", "SKU"),
                        Column("price", "Paid"),
                        Column("shipping", "Shipping"),
                        Column("reason", "Reason"),
                        Column("tracking", "Tracking"),
                    ],
                    markable=True,
                    id="sci-table",
                )
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    # -- loading ---------------------------------------------------------------------------

    def action_reload(self) -> None:
        """Read the items again."""
        table = self.query_one(ResourceTable)
        self.query_one("#sci-table-box").loading = not self.items
        table.focus()
        self._load()

    @work(exclusive=True, group="sellercenter-items")
    async def _load(self) -> None:
        backend = self.session.backends.orders
        assert backend is not None
        try:
            items = await backend.order_items(self.order_id)
        except MwstuiError as exc:
            self.query_one("#sci-table-box").loading = False
            notify_error(self, exc, doing="Loading order items")
            return
        self.show(items)
        self.settled = True

    def show(self, items: tuple[OrderItem, ...]) -> None:
        """Put ``items`` in the table."""
        self.items = {i.id: i for i in items}
        table = self.query_one(ResourceTable)
        self.query_one("#sci-table-box").loading = False
        table.set_rows(
            TableRow(
                i.id,
                (
                    i.id,
                    i.status,
                    i.name,
                    i.sku,
                    f"{i.paid_price} {i.currency}".strip() if i.paid_price is not None else None,
                    i.shipping_type,
                    " · ".join(x for x in (i.reason, i.reason_detail) if x),
                    i.tracking_code,
                ),
            )
            for i in items
        )

    # -- cancel ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "cancel_items":
            return True
        backend = self.session.backends.orders
        supported = backend is not None and Feature.CANCEL_ORDER_ITEMS in backend.features
        return supported and not self.session.read_only

    def on_key(self, event: events.Key) -> None:
        explain_read_only_key(self, self.session, {"cancel_items"}, event)

    def action_cancel_items(self) -> None:
        """Reason (where the backend needs one), then confirmation, then the run."""
        backend = self.session.backends.orders
        if self.session.read_only:
            notify_error(self, read_only_error("cancel_items"))
            return
        if backend is None or Feature.CANCEL_ORDER_ITEMS not in backend.features:
            return
        keys = self.query_one(ResourceTable).selected_keys()
        if not keys:
            self.notify("No item under the cursor.", severity="warning")
            return
        # Planned first without a reason: when nothing can be cancelled, the same dialog as
        # in every panel says why, and no reason is asked for nothing.
        probe = backend.plan_cancel_items(keys, self.items, None)
        if probe.empty or Feature.CANCEL_REASONS not in backend.features:
            self._carry_out(probe)
            return

        def reason_chosen(choice: CancelChoice | None) -> None:
            if choice is not None:
                plan = backend.plan_cancel_items(keys, self.items, choice.reason, choice.detail)
                self._carry_out(plan)

        labels = [i.label for i in probe.items]
        self.app.push_screen(SellerCenterCancelModal(backend, labels), reason_chosen)

    def _carry_out(self, plan: ActionPlan) -> None:
        carry_out(self.app, self.session, plan, self._finished)

    def _finished(self, report: BulkReport | None) -> None:
        if report is None:  # declined, or nothing could be cancelled
            return
        self.changed = True
        self.settled = False
        self.query_one(ResourceTable).clear_marks()
        self.notify(report.summary(), title="Order items", markup=False)
        # One read of the order's items settles every row (what the run did, as it is now).
        self.action_reload()

    def action_close(self) -> None:
        """Back to the orders."""
        self.dismiss(self.changed)
