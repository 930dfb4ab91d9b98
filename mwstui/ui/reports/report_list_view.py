"""Available reports (MWS GetReportList): download and acknowledge, Amazon's own reports too.

Settlement reports and other reports Amazon generates on its own have no request in the
Report requests list; this view lists every report still available, with or without a
request, so they can be downloaded and acknowledged (marked as processed) too. Only a
backend with ``Feature.REPORT_DOCUMENTS`` has it (SP-API has one list of reports).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from mwstui.backend.models import ReportDocument
from mwstui.backend.protocols import ReportsBackend
from mwstui.backend.report_records import SavedReport
from mwstui.errors import MwstuiError
from mwstui.session import Session
from mwstui.ui.dialogs.bulk_report import BulkReport
from mwstui.ui.load_progress import LoadProgress
from mwstui.ui.panel import LOAD_GROUP
from mwstui.ui.plan_flow import carry_out
from mwstui.ui.read_only import explain_read_only_key, read_only_error
from mwstui.ui.reports.download_modal import offer_download
from mwstui.ui.text import fmt
from mwstui.ui.text.notify import notify_error
from mwstui.ui.text.safe_text import cell, clean
from mwstui.ui.widgets.field_input import FieldInput
from mwstui.ui.widgets.resource_table import Column, ResourceTable, TableRow

ACK_ANY, ACK_NO, ACK_YES = "any", "no", "yes"
ACK_CHOICES: list[tuple[Text, str]] = [
    (Text("acknowledged or not"), ACK_ANY),
    (Text("not acknowledged"), ACK_NO),
    (Text("acknowledged"), ACK_YES),
]
"""The Acknowledged filter GetReportList is sent with (``any``: none)."""


def _short(value: Any) -> Text:
    return cell(fmt.short_datetime(value) if isinstance(value, datetime) else value)


def _ack(value: Any) -> Text:
    return Text("yes", style="green", end="") if value else Text("no", style="yellow", end="")


TYPE_WIDTH = 20
"""The type column's least width; it grows into the width the ids leave (see report_columns)."""

COLUMNS = [
    Column("report_id", "Report id"),
    Column("report_type", "Type", width=TYPE_WIDTH, grow=True),
    Column("request_id", "Request id"),
    Column("available", "Available", _short),
    Column("acknowledged", "Ack", _ack, export=lambda v: "yes" if v else "no"),
    Column("acknowledged_date", "Acknowledged", _short),
]


def report_row(doc: ReportDocument) -> TableRow:
    """One table row of an available report (raw values; the columns render them)."""
    return TableRow(
        doc.id,
        (doc.id, doc.report_type, doc.job_id, doc.available_at, doc.acknowledged,
         doc.acknowledged_at),
    )  # fmt: skip


class ReportListView(Widget):
    """Available reports (every page) as a table; download, acknowledge, un-acknowledge.

    Shown by the Reports panel in place of the jobs (``v``). It loads when asked
    (``reload``); the panel drives refreshes and the status line.

    Args:
        session: the reports backend, the clock and whether the session is read-only.
    """

    mutating_actions: ClassVar[frozenset[str]] = frozenset({"acknowledge", "unacknowledge"})
    """Hidden and refused in read-only."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "download", "Download"),
        Binding("k", "acknowledge", "Acknowledge"),
        Binding("u", "unacknowledge", "Un-acknowledge", show=False),
        Binding("t", "focus_type", "Type filter", show=False),
    ]

    DEFAULT_CSS = """
    ReportListView { height: 1fr; layout: vertical; }
    ReportListView > .list-status { height: 1; width: 1fr; padding: 0 1; color: $text-muted; }
    ReportListView #rl-type { width: 24; }
    ReportListView #rl-type-error { width: auto; max-width: 50%; color: $error; padding: 0 1; }
    """

    @dataclass
    class ReportsLoaded(Message):
        """A load finished: every available report matching the filters, all pages."""

        reports: list[ReportDocument]

    class LoadFailed(Message):
        """A load failed (``progress`` says when and why; the panel's status line shows it)."""

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.reports: dict[str, ReportDocument] = {}
        self.type_filter: str | None = None
        """The report type listed (one), or None for every type."""
        self.ack_filter = ACK_ANY
        self.pages = 0
        """Pages read by the load in progress (shown while a long list loads)."""
        self.loaded_at: float | None = None
        self.downloads: dict[str, SavedReport] = {}
        """Report id → the report saved this session."""
        self._status_text = ""
        self.progress = LoadProgress()
        """The last failure (shown in the panel's status line until a load succeeds)."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="panel-bar"):
            yield FieldInput(placeholder="/ filter id or type", classes="filter", compact=True)
            yield FieldInput(placeholder="t: report type", id="rl-type", compact=True)
            yield Label("", id="rl-type-error")
            yield Select(ACK_CHOICES, value=ACK_ANY, allow_blank=False, compact=True, id="rl-ack")
        yield Static(classes="list-status")
        yield ResourceTable(COLUMNS, markable=True, sort_by="available", sort_reverse=True)

    @property
    def backend(self) -> ReportsBackend | None:
        """The session's reports backend (None: the session has none)."""
        return self.session.backends.reports

    @property
    def operations(self) -> list[str]:
        """What this view can call: the budget panel shows their buckets while it is shown."""
        backend = self.backend
        return [] if backend is None else list(backend.document_operations)

    @property
    def table(self) -> ResourceTable:
        """The reports table (copy id and CSV export act on it while the view is shown)."""
        return self.query_one(ResourceTable)

    # -- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read every page of the available reports again with the current filters."""
        if self.backend is None:
            return
        self.table.loading = not self.reports
        acknowledged = None if self.ack_filter == ACK_ANY else self.ack_filter == ACK_YES
        self._load(self.type_filter, acknowledged)

    def is_loading(self) -> bool:
        """Whether a load is running."""
        return any(
            w.node is self and w.group == LOAD_GROUP and not w.is_finished for w in self.workers
        )

    @work(exclusive=True, group=LOAD_GROUP)
    async def _load(self, report_type: str | None, acknowledged: bool | None) -> None:
        backend = self.backend
        assert backend is not None
        found: dict[str, ReportDocument] = {}
        self.pages = 0
        try:
            pages = backend.list_documents(
                report_types=[report_type] if report_type else (), acknowledged=acknowledged
            )
            async for page in pages:
                fresh = {r.id: r for r in page.rows}
                found.update(fresh)
                self.reports.update(fresh)
                # Each page shows as it arrives; filter and marks apply to it.
                self.table.add_rows(report_row(r) for r in fresh.values())
                self.table.loading = False
                self.pages += 1
        except MwstuiError as exc:
            self.table.loading = False
            self.progress.fail(exc, self.session.clock.time())
            if self.display:
                notify_error(self, exc, doing="Loading available reports")
            self.post_message(self.LoadFailed())
            return
        self.reports = found
        self.progress.succeeded()
        self.table.set_rows(report_row(r) for r in found.values())
        self.loaded_at = self.session.clock.time()
        self.post_message(self.ReportsLoaded(list(found.values())))

    def status_parts(self) -> list[str]:
        """Counts and filters, for the panel's status line."""
        table = self.table
        parts = [f"{table.row_count} of {len(self.reports)} available reports"]
        if self.type_filter:
            parts.append(f"type {clean(self.type_filter)}")
        if self.ack_filter != ACK_ANY:
            parts.append("acknowledged" if self.ack_filter == ACK_YES else "not acknowledged")
        if table.marked:
            parts.append(f"{len(table.marked)} marked")
        if self.is_loading() and self.pages:
            parts.append(f"{self.pages} pages read")
        return parts

    def show_status(self, text: str) -> None:
        """Put the panel's status text on this view's status line (only when it changed)."""
        if text != self._status_text:
            self._status_text = text
            # One fixed line: repaint it, no relayout of the table under it each second.
            self.query_one(".list-status", Static).update(Text(text), layout=False)

    # -- filters -------------------------------------------------------------------------

    @on(Input.Changed, ".filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self.table.set_filter(event.value)

    @on(Input.Submitted, ".filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    @on(Input.Submitted, "#rl-type")
    def _type_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        backend = self.backend
        problem = backend.report_type_problem(value, "filter") if value and backend else None
        error = self.query_one("#rl-type-error", Label)
        if problem is not None:
            # Next to the field, and nothing is sent.
            error.update(Text(clean(problem)))
            return
        error.update("")
        self.type_filter = value or None
        self.table.focus()
        self.reload()

    @on(Input.Changed, "#rl-type")
    def _type_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#rl-type-error", Label).update("")

    @on(Select.Changed, "#rl-ack")
    def _ack_changed(self, event: Select.Changed) -> None:
        event.stop()
        if str(event.value) != self.ack_filter:
            self.ack_filter = str(event.value)
            self.reload()

    @on(FieldInput.Left)
    def _field_left(self, event: FieldInput.Left) -> None:
        # Escape in the filter or the type field: back to the table, as "/" does.
        event.stop()
        self.table.focus()

    def action_focus_type(self) -> None:
        """Jump to the report type filter."""
        self.query_one("#rl-type", Input).focus()

    def focus_filter(self) -> None:
        """Jump to the text filter (``/``)."""
        self.query_one(".filter", Input).focus()

    # -- download ------------------------------------------------------------------------

    def action_download(self) -> None:
        """Download the report under the cursor (checked by the backend), then preview it."""
        key = self.table.cursor_key
        doc = self.reports.get(key or "")
        backend = self.backend
        if doc is None or backend is None:
            return
        offer_download(
            self.app, backend, doc.id, doc.report_type, self.session.download_dir, self.downloads
        )

    # -- acknowledge ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in self.mutating_actions and self.session.read_only)

    def on_key(self, event: events.Key) -> None:
        explain_read_only_key(self, self.session, self.mutating_actions, event)

    def action_acknowledge(self) -> None:
        """Mark the marked reports (or the one under the cursor) as acknowledged."""
        self.start_acknowledge(True)

    def action_unacknowledge(self) -> None:
        """Mark the marked reports (or the one under the cursor) as not acknowledged."""
        self.start_acknowledge(False)

    def start_acknowledge(self, value: bool) -> None:
        """Confirm, then (un)acknowledge as the backend plans it (those already so are
        skipped with the reason; the backend batches the calls).

        Args:
            value: acknowledge (True) or un-acknowledge (False).
        """
        if self.session.read_only:
            notify_error(self, read_only_error("acknowledge" if value else "unacknowledge"))
            return
        backend = self.backend
        if backend is None:
            return
        keys = [k for k in self.table.selected_keys() if k in self.reports]
        if not keys:
            self.notify("Nothing selected: move to a report or mark some with space.")
            return

        def finished(report: BulkReport | None) -> None:
            if report is None:  # declined, or nothing to do
                return
            self.notify(report.summary(), title="Available reports", markup=False)
            self.table.clear_marks()
            self.reload()

        carry_out(self.app, self.session, backend.plan_acknowledge(keys, self.reports, value),
                  finished)  # fmt: skip
