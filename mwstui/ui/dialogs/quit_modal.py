"""Asked before quitting in the middle of a bulk run: quitting stops what is left unsent."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from mwstui.ui.text.safe_text import literal


class QuitDuringRunModal(ModalScreen[bool]):
    """``… items not finished. Quit anyway?``: True only on the Quit button.

    The safe answer (keep running) has the focus; Escape keeps running too.

    Args:
        question: the title, naming the run and what is left.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "keep", "Keep running"),
        Binding("left", "app.focus_previous", "Previous button", show=False),
        Binding("right", "app.focus_next", "Next button", show=False),
    ]

    DEFAULT_CSS = """
    QuitDuringRunModal { align: center middle; }
    QuitDuringRunModal > #quit-dialog {
        width: 80%; max-width: 90; height: auto;
        border: thick $error; background: $surface; padding: 0 1;
    }
    QuitDuringRunModal #quit-title { text-style: bold; }
    QuitDuringRunModal #quit-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    QuitDuringRunModal #quit-buttons Button { margin-left: 2; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="quit-dialog"):
            yield Static(literal(self.question), id="quit-title")
            yield Static(
                Text(
                    "Quitting sends nothing more. The call in flight gets a few seconds to "
                    "answer; if it does not, its outcome is unknown and is checked at the "
                    "next start. mwstui then says what was sent and what was not."
                ),
                id="quit-explain",
            )
            with Horizontal(id="quit-buttons"):
                yield Button("Keep running", id="quit-keep", variant="primary", compact=True)
                yield Button("Quit anyway", id="quit-go", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#quit-keep", Button).focus()

    @on(Button.Pressed, "#quit-keep")
    def action_keep(self) -> None:
        """Back to the run."""
        self.dismiss(False)

    @on(Button.Pressed, "#quit-go")
    def _quit(self) -> None:
        self.dismiss(True)
