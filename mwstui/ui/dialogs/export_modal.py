"""Ask where to export the current table as CSV (and whether to replace an existing file)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from mwstui.ui.text.csv_export import write_csv
from mwstui.ui.text.form_values import save_path
from mwstui.ui.text.safe_text import clean

if TYPE_CHECKING:
    from mwstui.session import Session
    from mwstui.ui.panel import Panel


class ExportModal(ModalScreen[Path | None]):
    """Confirms the CSV destination, writes the rows there; dismisses with the path, or None.

    The rows are written in a worker thread, streamed one at a time with a running count:
    100,000 rows leave the dashboard responsive. A file that cannot be written is said
    under the field, and another path can be tried.

    Args:
        what: what is exported (``42 rows of Report requests``).
        default: the suggested path.
        headers: the header row (None: only ask for the path; the caller writes).
        rows: the rows (``csv_export.LazyRows`` streams them).
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back")]

    def __init__(
        self,
        what: str,
        default: Path,
        headers: Sequence[str] | None = None,
        rows: Sequence[Sequence[str]] | None = None,
    ) -> None:
        super().__init__(classes="form-modal")
        self.what = what
        self.default = default
        self.headers = headers
        self.rows = rows
        self.written: int | None = None
        """Rows written, once the export finished."""
        self._overwrite_ok: Path | None = None
        self._writing = False

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
        if self.headers is None or self.rows is None:
            self.dismiss(path)
            return
        if not self._writing:
            self._writing = True
            self.query_one("#export-go", Button).disabled = True
            self._error(f"Writing {len(self.rows):,} rows…", "dim")
            self._write(path, self.headers, self.rows)

    @work(thread=True, exclusive=True, group="export")
    def _write(self, path: Path, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        total = len(rows)

        def progress(n: int) -> None:
            self.app.call_from_thread(self._error, f"Writing {n:,} of {total:,} rows…", "dim")

        try:
            n = write_csv(path, headers, rows, progress)
        except OSError as exc:
            self.app.call_from_thread(self._failed, f"{path}: {exc.strerror or exc}")
            return
        self.app.call_from_thread(self._written, path, n)

    def _failed(self, message: str) -> None:
        self._writing = False
        self.query_one("#export-go", Button).disabled = False
        self._error(message)

    def _written(self, path: Path, n: int) -> None:
        self.written = n
        self.dismiss(path)

    @on(Button.Pressed, "#export-back")
    def action_cancel(self) -> None:
        """Leave without writing anything."""
        self.dismiss(None)


def export_panel(app: App[Any], panel: Panel, session: Session) -> None:
    """Ask where to save ``panel``'s table (as filtered and sorted), then write it.

    The dialog writes the file in a worker with a running count before it closes; the
    default name is ``mwstui-<panel>-<time>.csv`` in the session's downloads folder.
    """
    exported = panel.export_table()
    if exported is None or not exported[1]:
        app.notify("No rows to export.", severity="warning")
        return
    headers, rows = exported
    stamp = session.clock.now().strftime("%Y%m%d-%H%M%S")
    default = Path(session.download_dir) / f"mwstui-{panel.panel_id}-{stamp}.csv"

    def chosen(path: Path | None) -> None:
        if path is not None:
            app.notify(clean(f"{len(rows)} rows → {path}"), title="Exported", markup=False)

    what = f"{len(rows)} rows of {panel.title}"
    app.push_screen(ExportModal(what, default, headers, rows), chosen)
