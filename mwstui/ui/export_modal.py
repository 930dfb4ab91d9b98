"""Ask where to export the current table as CSV (and whether to replace an existing file)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from mwstui.ui.form_values import save_path
from mwstui.ui.safe_text import clean


class ExportModal(ModalScreen[Path | None]):
    """Confirms the CSV destination; dismisses with the path, or None.

    Args:
        what: what is exported (``42 rows of Report requests``).
        default: the suggested path.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back")]

    def __init__(self, what: str, default: Path) -> None:
        super().__init__(classes="form-modal")
        self.what = what
        self.default = default
        self._overwrite_ok: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(f"Export {self.what} to CSV", style="bold"), classes="dialog-title")
            yield Label("Save to")
            yield Input(str(self.default), id="export-path", compact=True)
            yield Static(Text(""), classes="form-error", id="export-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Back", id="export-back", compact=True)
                yield Button("Export", id="export-go", compact=True, variant="primary")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def _error(self, message: str, style: str = "bold red") -> None:
        self.query_one("#export-error", Static).update(Text(clean(message), style=style))

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self._error("")

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def _go(self) -> None:
        # Checked here, under the field: a missing or read-only directory is refused
        # before anything is written.
        path, problem = save_path(self.query_one("#export-path", Input).value)
        if path is None:
            self._error(problem or "")
            return
        if path.exists() and self._overwrite_ok != path:
            self._overwrite_ok = path
            self._error(f"{path} exists: press Export again to replace it.", "bold yellow")
            return
        self.dismiss(path)

    @on(Button.Pressed, "#export-back")
    def action_cancel(self) -> None:
        """Leave without writing anything."""
        self.dismiss(None)
