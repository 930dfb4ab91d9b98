"""The ? screen: every key of the app and of the panel shown, and what the budget columns mean."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KeySection = tuple[str, Sequence[tuple[str, str]]]
"""A heading and its ``(key, description)`` pairs."""

NOTES = """\
Throttle budget (b hides it): per bucket the operations of this panel spend, tokens now / max,
seconds to the next token and to full, the hourly quota left and when it resets (UTC), and
whether the hourly figure was measured from the server's headers or is modelled locally.
"waiting 38 s for …" means a call is held back so it does not trip the throttle.
"""

MARKS_NOTE = """\
Marks: space marks a row, a marks all; actions work on the marked rows or the cursor row.
Every cancellation and deletion is confirmed first, restating account, items and cost.
"""
"""Shown only where the panel has marks (not on Activity)."""

PALETTE_NOTE = "Command palette (ctrl+p) lists every action available here.\n"

TITLE = "mwstui — keys · Escape, q or ? closes this"


def _table(rows: Sequence[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, description in rows:
        table.add_row(Text(key), Text(description))
    return table


class HelpScreen(ModalScreen[None]):
    """Keys by section, then a few notes.

    Args:
        sections: headings with their keys (built by the app from the live bindings).
        marks: the panel shown has marks (space, a): explain them.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close"),
    ]

    def __init__(self, sections: Sequence[KeySection], *, marks: bool = True) -> None:
        super().__init__(classes="help")
        self.sections = list(sections)
        self.marks = marks

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(Text(TITLE, style="bold"), id="help-title")
            with VerticalScroll(id="help-body"):
                for heading, rows in self.sections:
                    if rows:
                        yield Static(Text(heading, style="bold underline"), classes="help-heading")
                        yield Static(_table(rows))
                yield Static(Text("Notes", style="bold underline"), classes="help-heading")
                notes = NOTES + ("\n" + MARKS_NOTE if self.marks else "") + PALETTE_NOTE
                yield Static(Text(notes), id="help-notes")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        """Back to the dashboard."""
        self.dismiss(None)
