"""Download a finished report to a chosen path, with progress and the backend's check shown."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Static

from mwstui.backend.models import ReportJob
from mwstui.backend.protocols import ReportsBackend
from mwstui.backend.report_records import SavedReport
from mwstui.catalog import load_catalog
from mwstui.errors import MwstuiError
from mwstui.settings import locations
from mwstui.ui.reports.preview_screen import PreviewScreen
from mwstui.ui.text.form_values import save_path
from mwstui.ui.text.notify import describe_error
from mwstui.ui.text.safe_text import clean, literal


def default_path(directory: str, report_type: str, report_id: str) -> Path:
    """``<dir>/<report type>-<report id>.txt`` (``.xml`` for an XML report type, by the
    catalog) with anything odd in the names replaced; absolute, so the saved message
    says exactly where the file is."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in clean(report_type).strip("_"))
    rid = "".join(c if c.isalnum() else "_" for c in clean(report_id)) or "report"
    # The catalog spells types the MWS way (``_GET_…_``); SP-API drops the underscores.
    name = report_type.strip()
    formats = {load_catalog().report_format(n) for n in (name, f"_{name.strip('_')}_")}
    suffix = ".xml" if "xml" in formats else ".txt"
    return Path(directory).expanduser().absolute() / f"{safe or 'report'}-{rid}{suffix}"


def human_size(n: int) -> str:
    """``512 B``, ``12.3 KiB``, ``4.0 MiB``."""
    size = float(n)
    for unit in ("B", "KiB", "MiB"):
        if size < 1024 or unit == "MiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"  # pragma: no cover - the loop always returns


class DownloadModal(ModalScreen[tuple[SavedReport, bool] | None]):
    """Asks for the destination, streams the report into it and shows the backend's check.

    Dismisses with ``(saved report, preview wanted)`` once a file is saved, else None.
    Closing during a download stops it; the backend never leaves a partial file behind.

    Args:
        backend: the reports backend that downloads (and checks) it.
        report_id: the report's (document's) id; empty when ``job`` is given without one.
        report_type: for the default file name.
        directory: the default directory (``session.download_dir``).
        job: a finished job listed without its report's id: the dialog asks the
            backend for it first (MWS: GetReportList by ReportRequestId).
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(
        self,
        backend: ReportsBackend,
        report_id: str,
        report_type: str,
        directory: str,
        *,
        job: ReportJob | None = None,
    ) -> None:
        super().__init__(classes="form-modal")
        self.backend = backend
        self.report_id = report_id
        self.job = job
        self.report_type = report_type
        self.directory = directory
        self.path = default_path(directory, report_type, report_id or self._job_id)
        self.saved: SavedReport | None = None
        self._overwrite_ok: Path | None = None

    @property
    def _job_id(self) -> str:
        return self.job.id if self.job else ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._title(), id="dl-title", classes="dialog-title")
            yield Label("Save to")
            yield Input(str(self.path), id="dl-path", compact=True)
            yield Static(Text(""), classes="form-error", id="dl-path-error")
            yield ProgressBar(total=None, show_eta=False, id="dl-progress")
            yield Static(
                Text("Choose where to save it, then Download.", style="dim"), id="dl-status"
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="dl-close", compact=True)
                yield Button("Preview", id="dl-preview", compact=True, disabled=True)
                yield Button("Download", id="dl-go", compact=True, variant="primary")

    def _title(self) -> Text:
        if self.report_id:
            return Text.assemble(("Download report ", "bold"), literal(self.report_id, "bold"))
        return Text.assemble(("Download the report of ", "bold"), literal(self._job_id, "bold"))

    def on_mount(self) -> None:
        # No bar pulsing before anything started.
        self.query_one("#dl-progress", ProgressBar).display = False
        self.query_one("#dl-go", Button).focus()
        if not self.report_id and self.job is not None:
            self.query_one("#dl-go", Button).disabled = True
            self._find_report(self.job)

    @work(exclusive=True, group="download")
    async def _find_report(self, job: ReportJob) -> None:
        """The listing gave no report id: the backend finds it."""
        self._status(Text("Finding its report…"))
        try:
            found = await self.backend.document_for(job)
        except MwstuiError as exc:
            title, message = describe_error(exc)
            self._status(Text(f"{title}\n{message}", style="bold red"))
            return
        if found is None:
            self._status(
                Text(
                    clean(
                        f"No report is listed for {job.id} (none was generated, or it "
                        "is older than the 90 days reports are kept)."
                    ),
                    style="bold yellow",
                )
            )
            return
        self.report_id = found
        self.path = default_path(self.directory, self.report_type, found)
        self.query_one("#dl-title", Static).update(self._title())
        self.query_one("#dl-path", Input).value = str(self.path)
        self.query_one("#dl-go", Button).disabled = False
        self._status(Text(clean(f"Report {found} found. Choose where to save it, then Download.")))

    def _status(self, text: Text) -> None:
        self.query_one("#dl-status", Static).update(text)

    def _path_error(self, message: str, style: str = "bold red") -> None:
        self.query_one("#dl-path-error", Static).update(Text(clean(message), style=style))

    @on(Input.Changed, "#dl-path")
    def _path_changed(self) -> None:
        self._path_error("")

    @on(Input.Submitted, "#dl-path")
    @on(Button.Pressed, "#dl-go")
    def start(self) -> None:
        """Start the download (asking once before overwriting an existing file).

        The destination is checked first (a directory that exists and can be written to),
        with the problem shown under the path; nothing is requested until it is right.
        """
        typed = self.query_one("#dl-path", Input).value
        home = Path(self.directory).expanduser().absolute()
        if Path(typed.strip()).expanduser().absolute().parent == home and not home.exists():
            locations.ensure_private_dir(home)  # the downloads folder, made on first use
        dest, problem = save_path(typed, file_name=self.path.name)
        if dest is None:
            self._path_error(problem or "")
            return
        dest = dest.expanduser().absolute()
        if dest.exists() and self._overwrite_ok != dest:
            self._overwrite_ok = dest
            self._path_error(f"{dest} exists: press Download again to replace it.", "bold yellow")
            return
        self._path_error("")
        self.query_one("#dl-progress", ProgressBar).display = True
        self.query_one("#dl-go", Button).disabled = True
        self.query_one("#dl-path", Input).disabled = True
        self._download(dest)

    def _progress(self, done: int, total: int | None) -> None:
        bar = self.query_one("#dl-progress", ProgressBar)
        bar.display = True
        if total:
            bar.update(total=total, progress=done)
        self._status(Text(f"{human_size(done)}" + (f" of {human_size(total)}" if total else "")))

    @work(exclusive=True, group="download")
    async def _download(self, dest: Path) -> None:
        self._status(Text("Waiting for the throttle and downloading…"))
        try:
            saved = await self.backend.download(self.report_id, dest, progress=self._progress)
        except MwstuiError as exc:
            title, message = describe_error(exc)
            self._status(Text(f"{title}\n{message}", style="bold red"))
            self.query_one("#dl-go", Button).disabled = False
            self.query_one("#dl-path", Input).disabled = False
            return
        self.saved = saved
        bar = self.query_one("#dl-progress", ProgressBar)
        bar.update(total=max(1, saved.size), progress=max(1, saved.size))
        check = Text(saved.check, style="bold green" if saved.verified else "bold yellow")
        where = str(saved.path)  # absolute: ``start`` made it so
        self._status(
            Text.assemble(f"Saved {human_size(saved.size)} to ", literal(where), " · ", check)
        )
        preview = self.query_one("#dl-preview", Button)
        preview.disabled = False
        preview.focus()

    @on(Button.Pressed, "#dl-preview")
    def _preview(self) -> None:
        self.dismiss((self.saved, True) if self.saved else None)

    @on(Button.Pressed, "#dl-close")
    def action_close(self) -> None:
        """Close; a running download is stopped (the backend removes its temp file)."""
        self.workers.cancel_node(self)
        self.dismiss((self.saved, False) if self.saved else None)


def offer_download(
    app: App[object],
    backend: ReportsBackend,
    report_id: str,
    report_type: str,
    directory: str,
    saved: dict[str, SavedReport],
    *,
    job: ReportJob | None = None,
) -> None:
    """Open the download dialog for one report; note where it was saved and preview it
    when the user asks (the Reports panel and the available reports share this).

    Args:
        app: the running app.
        backend: the reports backend.
        report_id: the report's (document's) id.
        report_type: for the default file name.
        directory: the default directory.
        saved: report id → the saved report, updated once the file is saved (also under
            the job's id when ``job`` is given).
        job: a finished job whose listing had no report id (then ``report_id`` is empty
            and the dialog finds it first).
    """

    modal = DownloadModal(backend, report_id, report_type, directory, job=job)

    def closed(outcome: tuple[SavedReport, bool] | None) -> None:
        if outcome is None:
            return
        report, preview = outcome
        saved[modal.report_id] = report
        if job is not None:
            saved[job.id] = report
        if preview:
            app.push_screen(PreviewScreen(report.path, report.encoding))

    app.push_screen(modal, closed)
