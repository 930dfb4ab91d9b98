"""One fulfillment order in full: items, shipments, packages and, where offered, tracking."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from mwstui.backend.fulfillment_records import FulfillmentOrder, FulfillmentOrderDetail, Tracking
from mwstui.backend.protocols import Feature
from mwstui.errors import MwstuiError
from mwstui.session import Session
from mwstui.ui.plan_flow import carry_out
from mwstui.ui.read_only import explain_read_only_key
from mwstui.ui.text.notify import notify_error
from mwstui.ui.text.safe_text import cell, clean, format_datetime, literal
from mwstui.ui.text.status_text import status_cell


def _pairs(*pairs: tuple[str, object]) -> Text:
    """``Label value · Label value`` with every value literal (a status in its tone's
    colour); absent values left out."""
    parts = [
        Text.assemble((f"{label} ", "dim"), status_cell(value))
        for label, value in pairs
        if value is not None and value != () and str(value)
    ]
    return Text(" · ").join(parts)


class FulfillmentDetailModal(ModalScreen[FulfillmentOrder | None]):
    """The order as its backend reads it; dismisses with the order (as just read) when the
    user asks to cancel it, so the panel plans on what the read showed.

    Args:
        session: its fulfillment backend and whether the session is read-only.
        order_id: the seller's fulfillment order id.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back"),
        Binding("r", "reload", "Reload"),
        Binding("t", "track", "Track package"),
        Binding("c", "cancel_order", "Cancel order"),
    ]

    DEFAULT_CSS = """
    FulfillmentDetailModal { align: center middle; }
    FulfillmentDetailModal > #fd-body {
        width: 100%; height: 1fr; border: thick $primary; background: $surface; padding: 0 1;
    }
    FulfillmentDetailModal .fd-heading { text-style: bold; margin-top: 1; }
    FulfillmentDetailModal DataTable { height: auto; max-height: 8; }
    """

    def __init__(self, session: Session, order_id: str) -> None:
        super().__init__()
        self.session = session
        self.order_id = order_id
        self.detail: FulfillmentOrderDetail | None = None
        self.tracking: Tracking | None = None

    @property
    def tracks(self) -> bool:
        """Whether the backend can say where a package is."""
        backend = self.session.backends.fulfillment
        return backend is not None and Feature.PACKAGE_TRACKING in backend.features

    def compose(self) -> ComposeResult:
        packages = "Packages (t: tracking)" if self.tracks else "Packages"
        with VerticalScroll(id="fd-body"):
            yield Static(literal(f"Order {self.order_id}", "bold"), id="fd-title")
            yield Static(id="fd-summary")
            yield Static(Text("Items"), classes="fd-heading")
            yield DataTable[Text](id="fd-items", cursor_type="row")
            yield Static(Text("Shipments"), classes="fd-heading")
            yield DataTable[Text](id="fd-shipments", cursor_type="row")
            yield Static(Text(packages), classes="fd-heading")
            yield DataTable[Text](id="fd-packages", cursor_type="row")
            yield Static(id="fd-tracking")
        yield Footer()

    def on_mount(self) -> None:
        columns = {
            "#fd-items": ("SKU", "Item id", "Qty", "Cancelled", "Unfulfillable", "Disposition",
                          "Est. ship"),
            "#fd-shipments": ("Shipment", "Center", "Status", "Shipped", "Est. arrival", "Items"),
            "#fd-packages": ("Package", "Shipment", "Carrier", "Tracking no.", "Est. arrival"),
        }  # fmt: skip
        for selector, labels in columns.items():
            table = self.query_one(selector, DataTable)
            for label in labels:
                table.add_column(Text(label))
        self.query_one("#fd-tracking").display = self.tracks
        self.action_reload()

    # -- loading ---------------------------------------------------------------------------

    def action_reload(self) -> None:
        """Read the order again."""
        self.query_one("#fd-body").loading = self.detail is None
        self._load()

    @work(exclusive=True, group="fulfillment-detail")
    async def _load(self) -> None:
        backend = self.session.backends.fulfillment
        assert backend is not None
        try:
            detail = await backend.order_detail(self.order_id)
        except MwstuiError as exc:
            self.query_one("#fd-body").loading = False
            self.query_one("#fd-summary", Static).update(Text("Could not load this order."))
            notify_error(self, exc, doing="Loading the order")
            return
        self.show(detail)

    def show(self, detail: FulfillmentOrderDetail) -> None:
        """Fill every section from ``detail``."""
        self.detail = detail
        self.query_one("#fd-body").loading = False
        o = detail.order
        a = o.destination
        summary = [
            _pairs(
                ("Status", o.status),
                ("Displayed id", o.display_id),
                ("Speed", o.shipping_speed),
                ("Policy", o.fulfillment_policy),
                ("Action", o.fulfillment_action),
            ),
            _pairs(
                ("Received", o.received_at),
                ("Updated", o.status_updated_at),
                ("Marketplace", o.marketplace_id),
            ),
        ]
        if a is not None:
            summary.append(
                _pairs(("Ship to", a.name), ("City", a.city), ("Region", a.region),
                       ("Country", a.country))
            )  # fmt: skip
        if o.comment:
            summary.append(_pairs(("Comment", o.comment)))
        self.query_one("#fd-summary", Static).update(Text("\n").join(summary))
        items = self.query_one("#fd-items", DataTable)
        items.clear()
        for i in detail.items:
            items.add_row(
                cell(i.sku),
                cell(i.id),
                cell(i.quantity),
                cell(i.cancelled_quantity),
                cell(i.unfulfillable_quantity),
                cell(i.disposition),
                cell(i.estimated_ship_at),
            )
        shipments = self.query_one("#fd-shipments", DataTable)
        packages = self.query_one("#fd-packages", DataTable)
        shipments.clear()
        packages.clear()
        for s in detail.shipments:
            shipments.add_row(
                cell(s.id),
                cell(s.fulfillment_center),
                status_cell(s.status),
                cell(s.shipped_at),
                cell(s.estimated_arrival_at),
                cell(sum(item.quantity for item in s.items)),
            )
            for p in s.packages:
                packages.add_row(
                    cell(p.number),
                    cell(s.id),
                    cell(p.carrier),
                    cell(p.tracking_number),
                    cell(p.estimated_arrival_at),
                    key=str(p.number),
                )
        self.refresh_bindings()

    # -- tracking --------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#fd-packages")
    def action_track(self) -> None:
        """Where the package under the packages cursor is (when the backend can say)."""
        if not self.tracks:
            return
        packages = self.query_one("#fd-packages", DataTable)
        if not packages.row_count:
            self.notify("This order has no package yet.", severity="warning")
            return
        key = packages.coordinate_to_cell_key(packages.cursor_coordinate).row_key.value
        if key is not None:
            self._track(int(key))

    @work(exclusive=True, group="fulfillment-tracking")
    async def _track(self, package_number: int) -> None:
        backend = self.session.backends.fulfillment
        assert backend is not None
        target = self.query_one("#fd-tracking", Static)
        target.update(Text(f"Tracking package {package_number}…"))
        try:
            found = await backend.tracking(package_number)
        except MwstuiError as exc:
            target.update(Text(f"Tracking package {package_number} failed."))
            notify_error(self, exc, doing="Tracking a package")
            return
        self.tracking = found
        target.update(tracking_text(found))

    # -- closing ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_order":
            return not self.session.read_only
        if action == "track":
            return self.tracks
        return True

    def on_key(self, event: events.Key) -> None:
        explain_read_only_key(self, self.session, {"cancel_order"}, event)

    def action_cancel_order(self) -> None:
        """Close and let the panel confirm the cancel of this order; when the backend's
        plan can take nothing, the same dialog as in the panel says why, here."""
        backend = self.session.backends.fulfillment
        if self.session.read_only or backend is None:
            return
        if self.detail is None:
            why = f"{self.order_id} is still loading: try again in a moment"
            self.notify(clean(why), title="Cannot cancel", severity="warning", markup=False)
            return
        order = self.detail.order
        plan = backend.plan_cancel([self.order_id], {self.order_id: order})
        if plan.empty:
            carry_out(self.app, self.session, plan, lambda _report: None)
            return
        self.dismiss(order)

    def action_close(self) -> None:
        """Back to the list."""
        self.dismiss(None)


def tracking_text(t: Tracking) -> Text:
    """The tracking of one package: status, carrier, arrival, then events newest first."""
    lines = [
        Text.assemble(("Tracking ", "bold"), literal(t.package_number)),
        _pairs(
            ("Status", t.status),
            ("Carrier", t.carrier),
            ("Tracking no.", t.tracking_number),
            ("Signed by", t.signed_for_by),
        ),
        _pairs(("Shipped", t.shipped_at), ("Est. arrival", t.estimated_arrival_at)),
    ]
    events = sorted(t.events, key=lambda e: e.at.timestamp() if e.at else 0, reverse=True)
    for e in events:
        what = f"{e.meaning} ({e.code})" if e.meaning and e.code else e.meaning or e.code
        lines.append(
            Text.assemble(
                (format_datetime(e.at) or "—", "dim"), "  ", literal(what), "  ", literal(e.where)
            )
        )
    if t.location:
        lines.append(_pairs(("Location", t.location)))
    return Text("\n").join(line for line in lines if line.plain)
