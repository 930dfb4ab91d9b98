"""Pick the reason (as the backend offers them) and an optional detail for cancelling items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from mwstui.backend.models import CancelReason
from mwstui.backend.protocols import OrdersBackend
from mwstui.errors import MwstuiError
from mwstui.ui.text.notify import notify_error
from mwstui.ui.text.safe_text import clean, literal


@dataclass(frozen=True, slots=True)
class CancelChoice:
    """What the user picked: one of the offered reasons, and free text."""

    reason: CancelReason
    detail: str | None


class SellerCenterCancelModal(ModalScreen[CancelChoice | None]):
    """Loads the marketplace's cancellation reasons and asks for one; nothing is sent here.

    What a reason and a detail must be is the backend's rule (``check_reason``,
    ``check_detail``); the dialog shows its answer beside each field.

    Args:
        backend: the orders backend that offers the reasons and will send the cancel.
        items: what will be cancelled, as shown to the user.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
    ]

    DEFAULT_CSS = """
    SellerCenterCancelModal { align: center middle; }
    SellerCenterCancelModal > #scc-dialog {
        width: 90%; max-width: 90; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    SellerCenterCancelModal #scc-title { text-style: bold; }
    SellerCenterCancelModal .scc-row { height: auto; margin-top: 1; }
    SellerCenterCancelModal .scc-row > Label { width: 8; padding-top: 1; }
    SellerCenterCancelModal #scc-reason { width: 1fr; }
    SellerCenterCancelModal #scc-detail { width: 1fr; }
    SellerCenterCancelModal #scc-reason-error, SellerCenterCancelModal #scc-detail-error {
        color: $error; height: auto; padding-left: 8;
    }
    SellerCenterCancelModal #scc-buttons { height: auto; align-horizontal: right; }
    SellerCenterCancelModal #scc-buttons Button { margin-left: 2; }
    """

    def __init__(self, backend: OrdersBackend, items: list[str]) -> None:
        super().__init__()
        self.backend = backend
        self.items = items
        self.reasons: list[CancelReason] = []

    def compose(self) -> ComposeResult:
        n = len(self.items)
        with Vertical(id="scc-dialog"):
            yield Static(Text(f"Cancel {n} order item{'s' if n != 1 else ''}"), id="scc-title")
            yield Static(Text(", ").join(literal(i) for i in self.items), id="scc-items")
            with Horizontal(classes="scc-row"):
                yield Label("Reason")
                yield Select[str]([], prompt="Loading reasons…", id="scc-reason", disabled=True)
            yield Label("", id="scc-reason-error")
            with Horizontal(classes="scc-row"):
                yield Label("Detail")
                yield Input(
                    placeholder=f"optional, at most {self.backend.detail_limit} characters",
                    id="scc-detail",
                )
            yield Label("", id="scc-detail-error")
            with Horizontal(id="scc-buttons"):
                yield Button("Back", id="scc-back", variant="primary")
                yield Button("Continue", id="scc-continue", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#scc-back", Button).focus()
        self._load()

    @work(exclusive=True, group="sellercenter-reasons")
    async def _load(self) -> None:
        select = self.query_one("#scc-reason", Select)
        select.loading = True
        try:
            reasons = await self.backend.cancel_reasons()
        except MwstuiError as exc:
            select.loading = False
            select.set_options([])
            select.prompt = "No reasons: could not load them"
            notify_error(self, exc, doing="Loading cancellation reasons")
            return
        self.show_reasons(reasons)

    def show_reasons(self, reasons: tuple[CancelReason, ...]) -> None:
        """Offer ``reasons`` (the backend's, for a cancel), in the order the service gave them."""
        self.reasons = list(reasons)
        select = self.query_one("#scc-reason", Select)
        select.loading = False
        # Prompts are Text so a reason name is never parsed as markup.
        select.set_options((literal(r.name), r.name) for r in self.reasons)
        if self.reasons:
            select.prompt = "Pick a reason"
            select.disabled = False
            select.focus()
        else:
            select.prompt = "The marketplace offers no cancellation reason"

    def choice(self) -> CancelChoice | None:
        """The reason and detail entered, or None (with a message by each bad field)."""
        value = self.query_one("#scc-reason", Select).value
        name = value if isinstance(value, str) else None
        reason_problem = self.backend.check_reason(name, self.reasons)
        detail = clean(self.query_one("#scc-detail", Input).value).strip()
        detail_problem = self.backend.check_detail(detail)
        self.query_one("#scc-reason-error", Label).update(literal(reason_problem or ""))
        self.query_one("#scc-detail-error", Label).update(literal(detail_problem or ""))
        reason = next((r for r in self.reasons if r.name == name), None)
        if reason_problem or detail_problem or reason is None:
            return None
        return CancelChoice(reason, detail or None)

    @on(Select.Changed, "#scc-reason")
    def _reason_changed(self) -> None:
        self.query_one("#scc-reason-error", Label).update("")

    @on(Input.Changed, "#scc-detail")
    def _detail_changed(self) -> None:
        self.query_one("#scc-detail-error", Label).update("")

    @on(Input.Submitted, "#scc-detail")
    @on(Button.Pressed, "#scc-continue")
    def action_continue(self) -> None:
        """Go on to the confirmation, if a reason was picked."""
        picked = self.choice()
        if picked is not None:
            self.dismiss(picked)

    @on(Button.Pressed, "#scc-back")
    def action_back(self) -> None:
        """Leave; nothing is sent."""
        self.dismiss(None)
