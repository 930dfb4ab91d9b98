"""The confirmation dialog every cancellation and schedule deletion goes through."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Protocol

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from mwstui.catalog import Throttle, load_catalog
from mwstui.session import AccountInfo
from mwstui.throttle.budget import BucketKey
from mwstui.ui.text import fmt
from mwstui.ui.text.safe_text import literal

if TYPE_CHECKING:
    from mwstui.session import Session

TYPED_COUNT_THRESHOLD = 10
"""Above this many items the user types the count to enable the action button."""


class BudgetedClient(Protocol):
    """What the dialog needs of a client: its host and the bucket an operation spends."""

    host: str

    def bucket_key(self, operation: str) -> BucketKey: ...


@dataclass(frozen=True)
class ConfirmRequest:
    """Everything the dialog restates before an irreversible action."""

    title: str
    account: AccountInfo
    operation: str
    """Catalog operation name (``CancelFulfillmentOrder``)."""
    items: list[str]
    """The exact items acted on, as the service names them (untrusted text)."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """Items left out and why (``("ORDER-9", "status PROCESSING")``)."""
    calls: int = 0
    throttle_cost: str = ""
    expected_seconds: float = 0.0
    action_label: str = "Confirm"
    safe_label: str = "Back"
    notes: list[str] = field(default_factory=list)
    """Extra lines, ours (e.g. that every order is read back afterwards)."""
    item_notes: dict[str, str] = field(default_factory=dict)
    """What each item is, shown beside its id (a report request's report type)."""
    calls_text: str = ""
    """The calls per operation when a run makes more than one kind (read-backs)."""

    @property
    def needs_typed_count(self) -> bool:
        """True when the user must type the number of items to confirm."""
        return len(self.items) > TYPED_COUNT_THRESHOLD


def _account_for(session: Session, client: BudgetedClient) -> AccountInfo:
    if client is session.mws and session.mws_account is not None:
        return session.mws_account
    if client is session.sellercenter and session.sellercenter_account is not None:
        return session.sellercenter_account
    # A client the session does not list: restate what the client itself says, never
    # another account's profile.
    seller = str(getattr(client, "seller_id", "") or getattr(client, "user_id", ""))
    profile = str(getattr(client, "profile", "") or "")
    return AccountInfo(profile=profile, service="", seller=seller, marketplace="", host=client.host)


def throttle_cost_text(
    session: Session, key: BucketKey, throttle: Throttle, operation: str, calls: int
) -> str:
    """One line: how many tokens of which bucket the run spends, and what is left now."""
    snap = session.governor.snapshot(key)
    tokens = snap.tokens if snap else float(throttle.capacity)
    capacity = snap.capacity if snap else throttle.capacity
    restore = snap.restore_seconds if snap else throttle.restore_seconds
    noun = "token" if calls == 1 else "tokens"
    text = (
        f"{calls} {noun} of {key.bucket} "
        f"({fmt.tokens_figure(tokens, capacity)} now, +1/{restore:g}s)"
    )
    hourly_max = snap.hourly_max if snap else throttle.hourly_quota
    if hourly_max:
        left = snap.hourly_remaining if snap and snap.hourly_remaining is not None else hourly_max
        text += f"; hourly quota {left}/{hourly_max} left"
    return text


def build_confirm_request(
    session: Session,
    client: BudgetedClient,
    operation: str,
    items: Sequence[str],
    skipped: Iterable[tuple[str, str]] = (),
    *,
    title: str | None = None,
    action_label: str | None = None,
    calls: int | None = None,
    account: AccountInfo | None = None,
    notes: Iterable[str] = (),
    safe_label: str = "Back",
    item_notes: dict[str, str] | None = None,
) -> ConfirmRequest:
    """Fill a ConfirmRequest from the session, the client and the governor's model.

    Args:
        session: for the account restated and the governor.
        client: the client that will send (its bucket is the one spent).
        operation: the catalog operation (``CancelFulfillmentOrder``).
        items: what will be acted on.
        skipped: what will not, and why.
        title: the dialog title (default: the operation and the item count).
        action_label: the dangerous button (default ``Confirm``).
        calls: calls to send (default one per item; CancelReportRequests batches 100).
        account: override the account found from the session.
        notes: extra lines shown under the cost.
        safe_label: the safe, focused button (``Keep orders``).
        item_notes: what each item is, shown beside its id (``_GET_…_DATA_``).

    Returns:
        The request, with the throttle cost and expected duration computed now.
    """
    op = load_catalog().operation(operation)
    # SellerCenter clients carry the profile's bucket; MWS overrides live in the governor.
    own = getattr(client, "throttle", None)
    throttle = own if isinstance(own, Throttle) else op.throttle
    key = client.bucket_key(operation)
    n = len(items) if calls is None else calls
    return ConfirmRequest(
        title=title or f"{operation}: {len(items)} item{'s' if len(items) != 1 else ''}",
        account=account or _account_for(session, client),
        operation=operation,
        items=list(items),
        skipped=list(skipped),
        calls=n,
        throttle_cost=throttle_cost_text(session, key, throttle, operation, n),
        expected_seconds=session.governor.estimate(key, throttle, n),
        action_label=action_label or "Confirm",
        safe_label=safe_label,
        notes=list(notes),
        item_notes=dict(item_notes or {}),
    )


def expected_text(seconds: float) -> str:
    """How long the run should take, in words the user can plan with."""
    if seconds <= 0:
        return "immediately (within the burst)"
    return f"about {fmt.duration(seconds)} (paced by the throttle)"


def question(title: str) -> str:
    """Every confirmation title asks, with one question mark (``Cancel 1 order?``)."""
    return title.rstrip().rstrip("?").rstrip() + "?"


def _field(name: str, value: object) -> Text:
    return Text.assemble((f"{name} ", "dim"), literal(value, "bold"))


class ConfirmModal(ModalScreen[bool]):
    """Restates the account, items, skips and cost; dismisses True only on the action button.

    Focus starts on the safe button, Escape declines, Left and Right move between the
    buttons. Above ten items the action button stays disabled until the count is typed:
    focus starts in the count field, and Enter there with the right count confirms.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "decline", "Back", show=True),
        # An Input keeps Left/Right for its cursor: these act only when a button has focus.
        Binding("left", "app.focus_previous", "Previous button", show=False),
        Binding("right", "app.focus_next", "Next button", show=False),
    ]

    # Sized to fit 80×24 with every section visible: the two lists scroll within a share
    # of the height, the buttons are one line.
    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > #confirm-dialog {
        width: 100%; max-width: 100; height: auto; max-height: 100%;
        border: thick $error; background: $surface; padding: 0 1;
    }
    ConfirmModal #confirm-title { text-style: bold; width: 1fr; }
    ConfirmModal .confirm-heading { text-style: bold; }
    ConfirmModal #confirm-items-heading { margin-top: 1; }
    ConfirmModal #confirm-list { height: auto; max-height: 25vh; }
    ConfirmModal #confirm-skipped-list { height: auto; max-height: 15vh; }
    ConfirmModal #confirm-count-row { height: 1; }
    ConfirmModal #confirm-count-label { padding-right: 1; }
    ConfirmModal #confirm-count { width: 12; background: $boost; }
    ConfirmModal #confirm-count-hint { width: 1fr; padding-left: 1; }
    ConfirmModal #confirm-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmModal #confirm-buttons Button { margin-left: 2; }
    """

    def __init__(self, request: ConfirmRequest) -> None:
        super().__init__()
        self.request = request

    def compose(self) -> ComposeResult:
        r = self.request
        a = r.account
        with Vertical(id="confirm-dialog"):
            yield Static(literal(question(r.title)), id="confirm-title")
            yield Static(
                Text(" · ").join(
                    [
                        _field("Profile", a.profile or "—"),
                        _field("Seller", a.seller),
                        _field("Marketplace", a.marketplace or "—"),
                        _field("Host", a.host),
                    ]
                ),
                id="confirm-account",
            )
            if r.items:
                yield Static(
                    Text(f"{r.operation} on {len(r.items)}:"),
                    id="confirm-items-heading",
                    classes="confirm-heading",
                )
            else:
                yield Static(
                    Text("Nothing can be done: every item is skipped."),
                    id="confirm-items-heading",
                    classes="confirm-heading",
                )
            with VerticalScroll(id="confirm-list"):
                yield Static(
                    Text("\n").join(
                        Text.assemble(literal(i), ("  ", ""), literal(r.item_notes[i], "dim"))
                        if r.item_notes.get(i)
                        else literal(i)
                        for i in r.items
                    ),
                    id="confirm-items",
                )
            if r.skipped:
                yield Static(
                    Text(f"Skipped {len(r.skipped)} (not sent):"), classes="confirm-heading"
                )
                with VerticalScroll(id="confirm-skipped-list"):
                    yield Static(
                        Text("\n").join(
                            Text.assemble(literal(item), (" — ", "dim"), literal(why))
                            for item, why in r.skipped
                        ),
                        id="confirm-skipped",
                    )
            yield Static(self._cost_text(), id="confirm-cost")
            if r.needs_typed_count:
                with Horizontal(id="confirm-count-row"):
                    yield Label(
                        f"Type {len(r.items)} and Enter to confirm:", id="confirm-count-label"
                    )
                    yield Input(
                        placeholder="count",
                        id="confirm-count",
                        compact=True,
                        restrict=r"[0-9]*",
                    )
                    yield Label("", id="confirm-count-hint")
            with Horizontal(id="confirm-buttons"):
                yield Button(r.safe_label, id="confirm-back", variant="primary", compact=True)
                yield Button(
                    r.action_label,
                    id="confirm-go",
                    variant="error",
                    compact=True,
                    disabled=not r.items or r.needs_typed_count,
                )

    def _cost_text(self) -> Text:
        r = self.request
        lines = [
            Text.assemble(
                ("Calls ", "dim"),
                r.calls_text or f"{r.calls} {r.operation}",
                (" · expected ", "dim"),
                expected_text(r.expected_seconds),
            ),
            Text.assemble(("Throttle cost ", "dim"), r.throttle_cost),
            *(literal(note) for note in r.notes),
        ]
        return Text("\n").join(lines)

    def on_mount(self) -> None:
        if self.request.needs_typed_count and self.request.items:
            self.query_one("#confirm-count", Input).focus()
        else:
            self.query_one("#confirm-back", Button).focus()

    @on(Input.Changed, "#confirm-count")
    def _count_changed(self, event: Input.Changed) -> None:
        ok = event.value.strip() == str(len(self.request.items))
        self.query_one("#confirm-go", Button).disabled = not ok
        self.query_one("#confirm-count-hint", Label).update("")

    @on(Input.Submitted, "#confirm-count")
    def _count_submitted(self, event: Input.Submitted) -> None:
        go = self.query_one("#confirm-go", Button)
        if go.disabled:
            hint = f"That is not {len(self.request.items)}."
            self.query_one("#confirm-count-hint", Label).update(hint)
        else:
            # The typed count is the deliberate act: Enter on it confirms.
            self.dismiss(True)

    @on(Button.Pressed, "#confirm-back")
    def action_decline(self) -> None:
        """Leave without doing anything."""
        self.dismiss(False)

    @on(Button.Pressed, "#confirm-go")
    def _confirm(self) -> None:
        if not self.query_one("#confirm-go", Button).disabled:
            self.dismiss(True)
