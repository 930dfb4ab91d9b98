"""Download a generated report to a chosen path, with progress and the MD5 check shown."""

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

from mwstui.catalog import load_catalog
from mwstui.errors import MwstuiError
from mwstui.mws.client import MWSClient
from mwstui.mws.models import ReportDownload, ReportRequestInfo
from mwstui.settings import locations
from mwstui.ui.form_values import save_path
from mwstui.ui.notify import describe_error
from mwstui.ui.preview_screen import PreviewScreen
from mwstui.ui.safe_text import clean, literal


def default_path(directory: str, report_type: str, report_id: str) -> Path:
    """``<dir>/<report type>-<report id>.txt`` (``.xml`` for an XML report type, by the
    catalog) with anything odd in the names replaced; absolute, so the saved message
    says exactly where the file is."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in clean(report_type).strip("_"))
    rid = "".join(c if c.isalnum() else "_" for c in clean(report_id)) or "report"
    suffix = ".xml" if load_catalog().report_format(report_type) == "xml" else ".txt"
    return Path(directory).expanduser().absolute() / f"{safe or 'report'}-{rid}{suffix}"


def human_size(n: int) -> str:
    """``512 B``, ``12.3 KiB``, ``4.0 MiB``."""
    size = float(n)
    for unit in ("B", "KiB", "MiB"):
        if size < 1024 or unit == "MiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"  # pragma: no cover - the loop always returns


class DownloadModal(ModalScreen[tuple[Path, bool] | None]):
    """Asks for the destination, streams GetReport into it and says whether the MD5 matched.

    Dismisses with ``(saved path, preview wanted)`` once a file is saved, else None. Closing
    during a download stops it; the client never leaves a partial file behind.

    Args:
        client: the MWS client (GetReport).
        report_id: the generated report's id.
        report_type: for the default file name.
        directory: the default directory (``session.download_dir``).
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(
        self,
        client: MWSClient,
        report_id: str,
        report_type: str,
        directory: str,
        *,
        request: ReportRequestInfo | None = None,
    ) -> None:
        super().__init__(classes="form-modal")
        self.client = client
        self.report_id = report_id
        self.request = request
        """A ``_DONE_`` request listed without its GeneratedReportId: its report is found
        first (GetReportList by ReportRequestId) and ``report_id`` set from it."""
        self.report_type = report_type
        self.directory = directory
        self.path = default_path(directory, report_type, report_id or self._request_id)
        self.saved: ReportDownload | None = None
        self._overwrite_ok: Path | None = None

    @property
    def _request_id(self) -> str:
        return self.request.report_request_id if self.request else ""

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
        return Text.assemble(
            ("Download the report of request ", "bold"), literal(self._request_id, "bold")
        )

    def on_mount(self) -> None:
        # No bar pulsing before anything started.
        self.query_one("#dl-progress", ProgressBar).display = False
        self.query_one("#dl-go", Button).focus()
        if not self.report_id and self.request is not None:
            self.query_one("#dl-go", Button).disabled = True
            self._find_report(self.request)

    @work(exclusive=True, group="download")
    async def _find_report(self, request: ReportRequestInfo) -> None:
        """The listing gave no GeneratedReportId: ask GetReportList by ReportRequestId."""
        self._status(Text("Finding its report (GetReportList by ReportRequestId)…"))
        try:
            found = await self.client.reports.report_id_for(request)
        except MwstuiError as exc:
            title, message = describe_error(exc)
            self._status(Text(f"{title}\n{message}", style="bold red"))
            return
        if found is None:
            self._status(
                Text(
                    clean(
                        f"No report is listed for request {request.report_request_id} "
                        "(GetReportList found none: none was generated, or it is older "
                        "than 90 days)."
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
            result = await self.client.reports.download_report(
                self.report_id, dest, progress=self._progress
            )
        except MwstuiError as exc:
            title, message = describe_error(exc)
            self._status(Text(f"{title}\n{message}", style="bold red"))
            self.query_one("#dl-go", Button).disabled = False
            self.query_one("#dl-path", Input).disabled = False
            return
        self.saved = result.data
        bar = self.query_one("#dl-progress", ProgressBar)
        bar.update(total=max(1, result.data.size), progress=max(1, result.data.size))
        check = (
            Text("MD5 verified ✓", style="bold green")
            if result.data.verified
            else Text("not verified: the server sent no Content-MD5", style="bold yellow")
        )
        where = str(result.data.path)  # absolute: ``start`` made it so
        self._status(
            Text.assemble(f"Saved {human_size(result.data.size)} to ", literal(where), " · ", check)
        )
        preview = self.query_one("#dl-preview", Button)
        preview.disabled = False
        preview.focus()

    @on(Button.Pressed, "#dl-preview")
    def _preview(self) -> None:
        self.dismiss((self.saved.path, True) if self.saved else None)

    @on(Button.Pressed, "#dl-close")
    def action_close(self) -> None:
        """Close; a running download is stopped (the client removes its temp file)."""
        self.workers.cancel_node(self)
        self.dismiss((self.saved.path, False) if self.saved else None)


def offer_download(
    app: App[object],
    client: MWSClient,
    report_id: str,
    report_type: str,
    directory: str,
    saved: dict[str, Path],
    *,
    request: ReportRequestInfo | None = None,
) -> None:
    """Open the download dialog for one report; note where it was saved and preview it
    when the user asks (the Reports panel and the available reports share this).

    Args:
        app: the running app.
        client: the MWS client (GetReport).
        report_id: the generated report's id.
        report_type: for the default file name.
        directory: the default directory.
        saved: report id → saved path, updated once the file is saved (also under the
            request id when ``request`` is given).
        request: a ``_DONE_`` request whose listing had no GeneratedReportId (then
            ``report_id`` is empty and the dialog finds it first).
    """

    modal = DownloadModal(client, report_id, report_type, directory, request=request)

    def closed(outcome: tuple[Path, bool] | None) -> None:
        if outcome is None:
            return
        path, preview = outcome
        saved[modal.report_id] = path
        if request is not None:
            saved[request.report_request_id] = path
        if preview:
            app.push_screen(PreviewScreen(path))

    app.push_screen(modal, closed)
