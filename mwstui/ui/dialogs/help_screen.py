"""The ? screen: every key of the app and of the panel shown, and what the budget columns mean."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KeySection = tuple[str, Sequence[tuple[str, str]]]

HELP_HIDDEN_ACTIONS = ("cursor_", "scroll_", "page_", "command_palette", "select_cursor")
"""Movement and palette bindings every table has: summarised, not listed one by one."""
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


def key_sections(
    app: App[Any], bindings: Mapping[str, ActiveBinding], panel: str
) -> list[KeySection]:
    """The live bindings grouped for the help screen: app-wide, then the active panel's.

    Args:
        app: the dashboard (its own bindings are the app-wide ones; it names the keys).
        bindings: the screen's active bindings.
        panel: the active panel's title.
    """
    found: dict[tuple[bool, str], str] = {}
    for key, active in bindings.items():
        b = active.binding
        if (
            not b.description
            or key.isdigit()
            or "square_bracket" in key
            or b.action.startswith(HELP_HIDDEN_ACTIONS)
        ):
            continue
        slot = (active.node is app, b.description)
        shown = app.get_key_display(b)
        # One line per action; of several keys (q, ctrl+q) show the shortest.
        if slot not in found or len(shown) < len(found[slot]):
            found[slot] = shown
    app_rows = [("1–5  [  ]", "switch panel")]
    app_rows += [(k, d) for (is_app, d), k in found.items() if is_app]
    panel_rows = [(k, d) for (is_app, d), k in found.items() if not is_app]
    app_rows.append(("ctrl+p", "command palette (every action)"))
    panel_rows.append(("↑ ↓ pgup pgdn", "move"))
    return [("Everywhere", app_rows), (panel, panel_rows)]


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
