"""The items of one SellerCenter order, and the confirmed cancel of some of them."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from mwstui.catalog import load_catalog
from mwstui.errors import MwstuiError
from mwstui.journal import intent_context
from mwstui.sellercenter.models import Order, OrderItem
from mwstui.session import Session
from mwstui.ui.bulk import BulkReport, BulkRunModal
from mwstui.ui.confirm import ConfirmModal, build_confirm_request
from mwstui.ui.notify import notify_error
from mwstui.ui.read_only import explain_read_only_key, read_only_error
from mwstui.ui.resource_table import Column, ResourceTable, TableRow
from mwstui.ui.safe_text import clean, literal
from mwstui.ui.sellercenter_cancel import CancelChoice, SellerCenterCancelModal


def skip_reason(item: OrderItem | None) -> str | None:
    """Why ``item`` cannot be cancelled, or None when it can."""
    if item is None:
        return "not in the list any more: reload"
    if item.status.cancellable:
        return None
    allowed = " or ".join(load_catalog().sellercenter["order_item_status_cancellable"])
    return f"status {item.status}, not {allowed}"


def item_label(item: OrderItem) -> str:
    """``123 · Desk lamp (SKU-1)``: how an item is restated in the confirmation."""
    return clean(f"{item.order_item_id} · {item.name} ({item.sku})")


class SellerCenterItemsModal(ModalScreen[bool]):
    """GetOrderItems for one order; ``c`` cancels the marked items (or the one under the cursor).

    Dismisses True when a cancel ran, so the order list reloads.

    Args:
        session: the SellerCenter client, governor and read-only flag.
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

    def __init__(self, session: Session, order_id: str, order: Order | None = None) -> None:
        super().__init__()
        self.session = session
        self.order_id = order_id
        self.order = order
        self.items: dict[str, OrderItem] = {}
        self.changed = False

    def compose(self) -> ComposeResult:
        title = Text.assemble("Order ", literal(self.order_id))
        if self.order is not None:
            title.append_text(Text.assemble(" · ", literal(self.order.order_number)))
            if self.order.customer_name:
                title.append_text(Text.assemble(" · ", literal(self.order.customer_name)))
        with Vertical(id="sci-body"):
            yield Static(title, id="sci-title")
            with Vertical(id="sci-table-box"):
                yield ResourceTable(
                    [
                        Column("item_id", "Item"),
                        Column("status", "Status"),
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
        sc = self.session.sellercenter
        assert sc is not None
        try:
            result = await sc.order_items(self.order_id)
        except MwstuiError as exc:
            self.query_one("#sci-table-box").loading = False
            notify_error(self, exc, doing="Loading order items")
            return
        self.show(result.data)

    def show(self, items: list[OrderItem]) -> None:
        """Put ``items`` in the table."""
        self.items = {i.order_item_id: i for i in items}
        table = self.query_one(ResourceTable)
        self.query_one("#sci-table-box").loading = False
        table.set_rows(
            TableRow(
                i.order_item_id,
                (
                    i.order_item_id,
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
        return not (action == "cancel_items" and self.session.read_only)

    def on_key(self, event: events.Key) -> None:
        explain_read_only_key(self, self.session, {"cancel_items"}, event)

    def action_cancel_items(self) -> None:
        """Reason, then confirmation, then one SetStatusToCanceled per item."""
        if self.session.read_only:
            notify_error(self, read_only_error("cancel_items"))
            return
        picked, skipped = [], []
        for key in self.query_one(ResourceTable).selected_keys():
            item = self.items.get(key)
            why = skip_reason(item)
            if item is not None and why is None:
                picked.append(item)
            else:
                skipped.append((item_label(item) if item else key, why or ""))
        if not picked:
            self._confirm(picked, skipped, None)
            return

        def reason_chosen(choice: CancelChoice | None) -> None:
            if choice is not None:
                self._confirm(picked, skipped, choice)

        labels = [item_label(i) for i in picked]
        self.app.push_screen(SellerCenterCancelModal(self.session, labels), reason_chosen)

    def _confirm(
        self, picked: list[OrderItem], skipped: list[tuple[str, str]], choice: CancelChoice | None
    ) -> None:
        sc = self.session.sellercenter
        assert sc is not None
        noun = "item" if len(picked) == 1 else "items"
        notes = []
        if choice is not None:
            notes.append(f"Reason: {choice.reason} · detail: {choice.detail or 'none'}")
        request = build_confirm_request(
            self.session,
            sc,
            "SetStatusToCanceled",
            [item_label(i) for i in picked],
            skipped,
            title=f"Cancel {len(picked)} order {noun} of order {clean(self.order_id)}",
            action_label=f"Cancel {len(picked)} {noun}",
            safe_label=f"Keep {noun}",
            notes=notes,
        )

        def confirmed(yes: bool | None) -> None:
            if yes and choice is not None:
                self._run(picked, choice)

        self.app.push_screen(ConfirmModal(request), confirmed)

    def _run(self, picked: list[OrderItem], choice: CancelChoice) -> None:
        sc = self.session.sellercenter
        assert sc is not None

        async def run(item_id: str) -> str:
            # The order id goes with the intent: an unknown outcome is read back by order.
            with intent_context(OrderId=str(self.order_id)):
                sent = await sc.cancel_item(item_id, choice.reason, choice.detail)
            rid = sent.meta.request_id
            return f"canceled (request id {rid})" if rid else "canceled"

        def finished(report: BulkReport | None) -> None:
            self.changed = True
            self.query_one(ResourceTable).clear_marks()
            if report is not None:
                self.notify(report.summary(), title="Order items", markup=False)
            self.action_reload()

        noun = "item" if len(picked) == 1 else "items"
        self.app.push_screen(
            BulkRunModal(
                f"Cancelling {len(picked)} order {noun}",
                [i.order_item_id for i in picked],
                run,
                governor=self.session.governor,
                bucket_key=sc.bucket_key("SetStatusToCanceled"),
            ),
            finished,
        )

    def action_close(self) -> None:
        """Back to the orders."""
        self.dismiss(self.changed)
