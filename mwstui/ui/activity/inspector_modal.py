"""Inspect one API call or journal entry: its parameters (secrets masked) and the raw answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from mwstui.calls import CallRecord, mask_params
from mwstui.journal.entry import JournalEntry
from mwstui.ui.text.safe_text import clean, format_datetime, literal


def _fields(pairs: Sequence[tuple[str, object]]) -> Text:
    out = Text(end="")
    for name, value in pairs:
        if value is None or value == "":
            continue
        if out.plain:
            out.append("  ")
        out.append(f"{name} ", style="dim")
        out.append_text(literal(value, "bold"))
    return out


def _params(params: Mapping[str, str]) -> Text:
    if not params:
        return Text("(none)", style="dim")
    # Masked again here: whatever a client forgot, the inspector never shows a secret.
    masked = mask_params(dict(params))
    width = max(len(clean(k)) for k in masked)
    lines = [
        Text.assemble((clean(k).ljust(width), "dim"), " = ", literal(v)) for k, v in masked.items()
    ]
    return Text("\n", end="").join(lines)


def seconds_text(value: float | None) -> str:
    """``0.00 s``, ``1.25 s``: durations and throttle waits, the same in Activity and here."""
    return f"{float(value or 0):.2f} s"


class InspectorModal(ModalScreen[None]):
    """A read-only view of one call: summary, request parameters and a raw body.

    Args:
        title: the heading (ours).
        summary: label/value pairs (values may be server text).
        params: request parameters; secret-bearing ones are masked.
        body_title: heading of the body section.
        body: the raw response (or error text): untrusted, shown literally.
        copy_value: what ``y`` copies (the request id).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
        Binding("y", "copy", "Copy request id"),
    ]

    def __init__(
        self,
        title: str,
        summary: Sequence[tuple[str, object]],
        params: Mapping[str, str],
        body_title: str,
        body: str,
        copy_value: str | None = None,
    ) -> None:
        super().__init__(classes="inspector")
        self.heading = title
        self.summary = list(summary)
        self.params = dict(params)
        self.body_title = body_title
        self.body = body
        self.copy_value = copy_value

    @classmethod
    def for_call(cls, record: CallRecord, profile: str = "") -> InspectorModal:
        """The inspector of one API call attempt."""
        status = "—" if record.http_status is None else str(record.http_status)
        summary: list[tuple[str, object]] = [
            ("Time", format_datetime(record.started_at)),
            ("Profile", profile),
            ("Service", record.service),
            ("Account", record.account),
            ("Host", record.host),
            ("Method", record.method),
            ("HTTP", status),
            ("Error", record.error_code),
            ("Message", record.error_message),
            ("Request id", record.request_id),
            ("Duration", seconds_text(record.duration)),
            ("Throttle wait", seconds_text(record.waited)),
            ("Attempt", record.attempt),
            ("Mutating", "yes" if record.mutating else None),
        ]
        return cls(
            f"{record.operation} · {status}",
            summary,
            record.params,
            "Raw response",
            record.response_text or "(no body)",
            record.request_id,
        )

    @classmethod
    def for_entry(cls, entry: JournalEntry) -> InspectorModal:
        """The inspector of one journal entry (a mutating call and its outcome)."""
        summary: list[tuple[str, object]] = [
            ("Entry", entry.id),
            ("Time", format_datetime(entry.created_at)),
            ("Profile", entry.profile),
            ("Service", entry.service),
            ("Account", entry.account),
            ("Status", entry.status),
            ("Outcomes", entry.outcome_counts() or None),
            ("Completed", format_datetime(entry.completed_at)),
            ("HTTP", entry.http_status),
            ("Error", entry.error_code),
            ("Request id", entry.request_id),
            ("Checked", format_datetime(entry.resolved_at)),
            ("Note", entry.note),
        ]
        noun = "item" if len(entry.items) == 1 else "items"
        if entry.outcomes:
            lines = [f"{len(entry.items)} {noun}, each with its outcome:", *entry.outcome_lines()]
        else:
            lines = [f"{len(entry.items)} {noun} (no outcome per item recorded):", *entry.items]
        if entry.error_message:
            lines += ["", "Error message:", entry.error_message]
        return cls(
            f"Journal #{entry.id} · {entry.operation} · {entry.status}",
            summary,
            entry.params,
            "Items and outcome",
            "\n".join(lines),
            entry.request_id,
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="inspector-dialog"):
            yield Static(literal(self.heading, "bold"), id="inspector-title")
            with VerticalScroll(id="inspector-meta"):
                yield Static(_fields(self.summary), id="inspector-summary")
                yield Static(
                    Text("Request parameters (secrets masked)", style="bold"),
                    classes="inspector-heading",
                )
                yield Static(_params(self.params), id="inspector-params")
            yield Static(Text(self.body_title, style="bold"), classes="inspector-heading")
            yield TextArea(
                clean(self.body, multiline=True),
                read_only=True,
                soft_wrap=True,
                show_line_numbers=False,
                id="inspector-body",
            )
            with Horizontal(id="inspector-buttons"):
                yield Button("Copy request id", id="inspector-copy", disabled=not self.copy_value)
                yield Button("Close", id="inspector-close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#inspector-close", Button).focus()

    @on(Button.Pressed, "#inspector-close")
    def action_close(self) -> None:
        """Back to the list."""
        self.dismiss(None)

    @on(Button.Pressed, "#inspector-copy")
    def action_copy(self) -> None:
        """Copy the request id (OSC 52)."""
        if self.copy_value:
            self.app.copy_to_clipboard(self.copy_value)
            self.notify(f"Copied request id {clean(self.copy_value)}", markup=False)
