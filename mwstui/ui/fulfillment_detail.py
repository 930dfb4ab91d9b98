"""One fulfillment order in full: items, shipments, packages and package tracking."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from mwstui.catalog import load_catalog
from mwstui.errors import MwstuiError
from mwstui.mws.fulfillment_cancel import not_cancellable_reason
from mwstui.mws.models import FulfillmentOrderDetail, PackageTracking
from mwstui.session import Session
from mwstui.ui.notify import notify_error
from mwstui.ui.read_only import explain_read_only_key
from mwstui.ui.safe_text import cell, clean, format_datetime, literal


def _pairs(*pairs: tuple[str, object]) -> Text:
    """``Label value · Label value`` with every value literal; absent values left out."""
    parts = [
        Text.assemble((f"{label} ", "dim"), cell(value))
        for label, value in pairs
        if value not in (None, "", ())
    ]
    return Text(" · ").join(parts)


class FulfillmentDetailModal(ModalScreen[bool]):
    """GetFulfillmentOrder for one order; dismisses True when the user asks to cancel it.

    Args:
        session: the MWS client and whether the session is read-only.
        order_id: the SellerFulfillmentOrderId.
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
        self.tracking: PackageTracking | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="fd-body"):
            yield Static(literal(f"Order {self.order_id}", "bold"), id="fd-title")
            yield Static(id="fd-summary")
            yield Static(Text("Items"), classes="fd-heading")
            yield DataTable[Text](id="fd-items", cursor_type="row")
            yield Static(Text("Shipments"), classes="fd-heading")
            yield DataTable[Text](id="fd-shipments", cursor_type="row")
            yield Static(Text("Packages (t: tracking)"), classes="fd-heading")
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
        self.action_reload()

    # -- loading ---------------------------------------------------------------------------

    def action_reload(self) -> None:
        """Read the order again."""
        self.query_one("#fd-body").loading = self.detail is None
        self._load()

    @work(exclusive=True, group="fulfillment-detail")
    async def _load(self) -> None:
        mws = self.session.mws
        assert mws is not None
        try:
            result = await mws.fulfillment.get_order(self.order_id)
        except MwstuiError as exc:
            self.query_one("#fd-body").loading = False
            self.query_one("#fd-summary", Static).update(Text("Could not load this order."))
            notify_error(self, exc, doing="Loading the order")
            return
        self.show(result.data)

    def show(self, detail: FulfillmentOrderDetail) -> None:
        """Fill every section from ``detail``."""
        self.detail = detail
        self.query_one("#fd-body").loading = False
        o = detail.order
        a = o.destination_address
        summary = [
            _pairs(
                ("Status", o.fulfillment_order_status),
                ("Displayed id", o.displayable_order_id),
                ("Speed", o.shipping_speed_category),
                ("Policy", o.fulfillment_policy),
                ("Action", o.fulfillment_action),
            ),
            _pairs(
                ("Received", o.received_date_time),
                ("Updated", o.status_updated_date_time),
                ("Marketplace", o.marketplace_id),
            ),
        ]
        if a is not None:
            summary.append(
                _pairs(
                    ("Ship to", a.name),
                    ("City", a.city),
                    ("Region", a.state_or_province_code),
                    ("Country", a.country_code),
                )
            )
        if o.displayable_order_comment:
            summary.append(_pairs(("Comment", o.displayable_order_comment)))
        self.query_one("#fd-summary", Static).update(Text("\n").join(summary))
        items = self.query_one("#fd-items", DataTable)
        items.clear()
        for i in detail.items:
            items.add_row(
                cell(i.seller_sku),
                cell(i.seller_fulfillment_order_item_id),
                cell(i.quantity),
                cell(i.cancelled_quantity),
                cell(i.unfulfillable_quantity),
                cell(i.order_item_disposition),
                cell(i.estimated_ship_date_time),
            )
        shipments = self.query_one("#fd-shipments", DataTable)
        packages = self.query_one("#fd-packages", DataTable)
        shipments.clear()
        packages.clear()
        for s in detail.shipments:
            shipments.add_row(
                cell(s.amazon_shipment_id),
                cell(s.fulfillment_center_id),
                cell(s.status),
                cell(s.shipping_date_time),
                cell(s.estimated_arrival_date_time),
                cell(sum(item.quantity for item in s.items)),
            )
            for p in s.packages:
                packages.add_row(
                    cell(p.package_number),
                    cell(s.amazon_shipment_id),
                    cell(p.carrier_code),
                    cell(p.tracking_number),
                    cell(p.estimated_arrival_date_time),
                    key=str(p.package_number),
                )
        self.refresh_bindings()

    # -- tracking --------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#fd-packages")
    def action_track(self) -> None:
        """GetPackageTrackingDetails for the package under the packages cursor."""
        packages = self.query_one("#fd-packages", DataTable)
        if not packages.row_count:
            self.notify("This order has no package yet.", severity="warning")
            return
        key = packages.coordinate_to_cell_key(packages.cursor_coordinate).row_key.value
        if key is not None:
            self._track(int(key))

    @work(exclusive=True, group="fulfillment-tracking")
    async def _track(self, package_number: int) -> None:
        mws = self.session.mws
        assert mws is not None
        target = self.query_one("#fd-tracking", Static)
        target.update(Text(f"Tracking package {package_number}…"))
        try:
            result = await mws.fulfillment.package_tracking(package_number)
        except MwstuiError as exc:
            target.update(Text(f"Tracking package {package_number} failed."))
            notify_error(self, exc, doing="Tracking a package")
            return
        self.tracking = result.data
        target.update(tracking_text(result.data))

    # -- closing ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_order":
            return not self.session.read_only
        return True

    def on_key(self, event: events.Key) -> None:
        explain_read_only_key(self, self.session, {"cancel_order"}, event)

    def cancel_refusal(self) -> str | None:
        """Why this order cannot be cancelled now, or None when it can."""
        if self.detail is None:
            return f"{self.order_id} is still loading: try again in a moment"
        order = self.detail.order
        mws = self.session.mws
        for market in (order.marketplace_id, mws.marketplace_id if mws else None):
            if not load_catalog().offered("CancelFulfillmentOrder", market):
                return f"{self.order_id}: CancelFulfillmentOrder is not offered in {market}"
        status = order.fulfillment_order_status
        if status.cancellable:
            return None
        return f"{self.order_id} is {not_cancellable_reason(status)}"

    def action_cancel_order(self) -> None:
        """Close and let the panel confirm the cancel of this order, or say why not."""
        why = self.cancel_refusal()
        if why is not None:
            self.notify(clean(why), title="Cannot cancel", severity="warning", markup=False)
            return
        self.dismiss(True)

    def action_close(self) -> None:
        """Back to the list."""
        self.dismiss(False)


def tracking_text(t: PackageTracking) -> Text:
    """The tracking of one package: status, carrier, arrival, then events newest first."""
    lines = [
        Text.assemble(("Tracking ", "bold"), literal(t.package_number)),
        _pairs(
            ("Status", t.current_status),
            ("Carrier", t.carrier_code),
            ("Tracking no.", t.tracking_number),
            ("Signed by", t.signed_for_by),
        ),
        _pairs(("Shipped", t.ship_date), ("Est. arrival", t.estimated_arrival_date)),
    ]
    events = sorted(
        t.events, key=lambda e: e.event_date.timestamp() if e.event_date else 0, reverse=True
    )
    for e in events:
        place = e.event_address
        where = ", ".join(x for x in (place.city, place.state, place.country) if x) if place else ""
        lines.append(
            Text.assemble(
                (format_datetime(e.event_date) or "—", "dim"),
                "  ",
                literal(event_meaning(e.event_code)),
                "  ",
                literal(where),
            )
        )
    if t.additional_location_info:
        lines.append(_pairs(("Location", t.additional_location_info)))
    return Text("\n").join(line for line in lines if line.plain)


def event_meaning(code: str | None) -> str:
    """``Delivered (EVENT_301)``: a tracking event code with its documented meaning
    (the catalog's ``tracking_event_code``); an unknown code is shown as it came."""
    if not code:
        return ""
    meaning = load_catalog().mws_enums.get("tracking_event_code", {}).get(code)
    return f"{meaning} ({code})" if meaning else code
