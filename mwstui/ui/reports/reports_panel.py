"""Report jobs: list, filter, sort, auto-refresh; request, cancel, download and preview.

On a backend with a separate list of finished reports (MWS), ``v`` switches to it
(``ReportListView``) and back; on one without (SP-API), ``v`` says why there is none.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from mwstui.backend.models import ReportJob
from mwstui.backend.protocols import Feature
from mwstui.errors import MwstuiError
from mwstui.session import Session
from mwstui.throttle.budget import BucketKey
from mwstui.ui.load_progress import bucket_calls
from mwstui.ui.panel import LOAD_GROUP
from mwstui.ui.reports.report_columns import job_columns, job_row
from mwstui.ui.reports.report_job_actions import ReportJobActions
from mwstui.ui.reports.report_list_view import ReportListView
from mwstui.ui.text import fmt
from mwstui.ui.text.form_values import DATE_HELP, check_range, parse_when
from mwstui.ui.text.safe_text import clean
from mwstui.ui.widgets.budget_panel import BudgetPanel
from mwstui.ui.widgets.field_input import FieldInput
from mwstui.ui.widgets.resource_table import ResourceTable, TableRow

MAX_ROWS = 1000
"""Jobs read per refresh (ten pages of 100); more would spend the listing's budget."""
ALL = "all"
REQUESTS, AVAILABLE = "requests", "available"
"""The two views of the panel: report jobs, and the reports available to download."""
REQUEST_ACTIONS = frozenset({"request_report", "cancel_selected", "download", "preview"})
"""Actions on report jobs: off while the available reports are shown (they have their own)."""


class ReportsPanel(ReportJobActions):
    """The reports backend's jobs as a live table, with the actions a seller needs on it."""

    panel_id = "reports"
    title = "Report requests"
    capability = "reports"
    operations: ClassVar[list[str]] = [
        "GetReportRequestList",
        "GetReportRequestListByNextToken",
        "RequestReport",
        "CancelReportRequests",
        "GetReport",
    ]
    """The budget rows of a session without a reports backend (the MWS names)."""
    mutating_actions = frozenset({"request_report", "cancel_selected"})
    auto_refresh = 60.0

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "request_report", "New"),
        Binding("c", "cancel_selected", "Cancel"),
        Binding("d", "download", "Download"),
        # One key, two bindings (help and palette name the view it leads to). Not in the
        # footer: 80 columns have no room left; the status line says it instead.
        Binding("v", "show_view('available')", "Available reports", show=False),
        Binding("v", "show_view('requests')", "Report requests", show=False),
        Binding("o", "preview", "Preview", show=False),
        Binding("p", "toggle_pause", "Pause", show=False),
        Binding("i", "cycle_interval", "Interval", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.truncated = False
        self.status_filter = ALL
        self.requested_from: datetime | None = None
        self.requested_to: datetime | None = None
        self.date_problem = ""
        """Why the dates typed are not applied (shown until they are fixed), or empty."""
        self.view = REQUESTS
        """The view shown: ``requests`` or ``available``."""
        self._loaded_at: dict[str, float | None] = {}
        """Each view's last load while the other is shown (``loaded_at`` is the shown one's)."""
        self.report_list = ReportListView(session, id="reports-available")
        self.report_list.display = False

    @property
    def separate_documents(self) -> bool:
        """The backend lists finished reports apart (MWS); SP-API has one list."""
        backend = self.reports
        return backend is not None and Feature.REPORT_DOCUMENTS in backend.features

    def budget_operations(self) -> list[str]:
        # What the view shown spends: the jobs list's, or the available reports'.
        backend = self.reports
        if backend is None:
            return list(self.operations)
        if self.view == AVAILABLE:
            return list(backend.document_operations)
        return list(backend.job_operations)

    def compose(self) -> ComposeResult:
        backend = self.reports
        statuses = backend.job_statuses() if backend is not None else ()
        with Horizontal(classes="panel-bar", id="reports-bar"):
            yield FieldInput(placeholder="/ filter type or id", classes="filter", compact=True)
            yield Select(
                [(Text("any status"), ALL)] + [(Text(label), s) for s, label in statuses],
                value=ALL,
                allow_blank=False,
                compact=True,
                id="reports-status",
            )
            yield FieldInput(placeholder="from YYYY-MM-DD", id="reports-from", compact=True)
            yield FieldInput(placeholder="to YYYY-MM-DD", id="reports-to", compact=True)
        yield Static(classes="status", id="reports-status-line")
        yield ResourceTable(
            job_columns(self.separate_documents or backend is None),
            markable=True,
            sort_by="submitted",
            sort_reverse=True,
            id="reports-table",
        )
        yield self.report_list

    def requests_table(self) -> ResourceTable:
        """The report jobs table."""
        return self.query_one("#reports-table", ResourceTable)

    def main_table(self) -> ResourceTable:
        return self.report_list.table if self.view == AVAILABLE else self.requests_table()

    # -- the two views -------------------------------------------------------------------------

    def action_show_view(self, view: str) -> None:
        """Show the report jobs or the available reports (``v`` switches)."""
        if view == self.view or view not in (REQUESTS, AVAILABLE):
            return
        if view == AVAILABLE and not self.separate_documents:
            self._explain_one_list()
            return
        # Auto-refresh and "updated N s ago" follow the view shown: each keeps its own time.
        self._loaded_at[self.view] = self.loaded_at
        self.view = view
        self.loaded_at = self._loaded_at.get(view)
        requests = view == REQUESTS
        for widget in (
            self.query_one("#reports-bar"),
            self.query_one("#reports-status-line"),
            self.requests_table(),
        ):
            widget.display = requests
        self.report_list.display = not requests
        self._budget_follows()
        self.refresh_bindings()
        if self.loaded_at is None and self.available:
            self.action_refresh_data()
        self.update_status()
        self.focus_main()

    def _explain_one_list(self) -> None:
        # The key is there so that the difference is said, not silently missing.
        name = fmt.SERVICE_NAMES.get(self.service, self.service)
        self.notify(
            f"{name} has no separate {Feature.REPORT_DOCUMENTS} and no report "
            "acknowledgements: this one list holds every report, and a finished one "
            "downloads from it (d).",
            title="One list of reports",
            markup=False,
        )

    def _budget_follows(self) -> None:
        # The app shows the budget of the view shown when the tab opens; a switch of
        # view changes what ``r`` and ``d`` spend.
        found = self.app.query(BudgetPanel)
        if found:
            found.first().show_operations(self.budget_operations())

    def _view_loaded(self, view: str) -> None:
        if view == self.view:
            self.mark_loaded()
        else:
            self._loaded_at[view] = self.now()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_view":
            return parameters[:1] != (self.view,)
        if self.view == AVAILABLE and action in REQUEST_ACTIONS:
            return False
        return super().check_action(action, parameters)

    def is_loading(self) -> bool:
        return super().is_loading() or self.report_list.is_loading()

    def action_focus_filter(self) -> None:
        if self.view == AVAILABLE:
            self.report_list.focus_filter()
        else:
            super().action_focus_filter()

    def update_status(self) -> None:
        super().update_status()
        if self.view == AVAILABLE:
            # The available reports have their own line, under their own filter bar.
            self.report_list.show_status(self._status_text)

    @on(ReportListView.ReportsLoaded)
    def _reports_loaded(self) -> None:
        self._view_loaded(AVAILABLE)

    @on(ReportListView.LoadFailed)
    def _reports_failed(self) -> None:
        self.update_status()
        self.call_after_refresh(self._refocus)

    def failure_text(self) -> str:
        if self.view == AVAILABLE:
            return self.report_list.progress.failure_text()
        return super().failure_text()

    # -- loading -----------------------------------------------------------------------------------

    def action_refresh_data(self) -> None:
        """Reload the view shown: the report jobs, or the available reports."""
        if self.reports is None:
            return
        if self.view == AVAILABLE:
            self.report_list.reload()
            self.update_status()
            return
        self._load(self.requested_from, self.requested_to)
        self.begin_load(self.requests_table())

    def loading_cover(self) -> Widget:
        return self.requests_table()

    def wait_bucket(self) -> BucketKey | None:
        # The first of the listing's buckets that has a caller waiting (a long list
        # waits on its continuation's), else the listing's own.
        backend = self.reports
        if backend is None:
            return None
        keys = [backend.budget(op).key for op in backend.job_operations[:2]]
        governor = self.session.governor
        waiting = (k for k in keys if (snap := governor.snapshot(k)) and snap.waiting)
        return next(waiting, keys[0])

    @work(exclusive=True, group=LOAD_GROUP)
    async def _load(self, since: datetime | None, until: datetime | None) -> None:
        backend = self.reports
        assert backend is not None
        table = self.requests_table()
        found: dict[str, ReportJob] = {}
        truncated = False
        try:
            async for page in backend.list_jobs(since=since, until=until):
                fresh = {j.id: j for j in page.rows}
                found.update(fresh)
                self.jobs.update(fresh)
                self.page_loaded(self._rows(fresh.values()), table=table)
                if len(found) >= MAX_ROWS and page.more:
                    truncated = True
                    break
        except MwstuiError as exc:
            noun = "report requests" if self.separate_documents else "reports"
            self.load_failed(exc, f"Loading {noun}")
            return
        self.jobs = found
        self.truncated = truncated
        # The other view may be shown: the time goes to the view that loaded.
        self.requests_table().set_rows(self._rows(found.values()))
        self._hide_loading()
        self.progress.succeeded(bucket_calls(self._listing()))
        self._view_loaded(REQUESTS)

    def _rows(self, jobs: Iterable[ReportJob]) -> list[TableRow]:
        wanted = self.status_filter
        return [job_row(j) for j in jobs if wanted == ALL or str(j.status) == wanted]

    def show_jobs(self) -> None:
        self.requests_table().set_rows(self._rows(self.jobs.values()))

    def status_parts(self) -> list[str]:
        if self.view == AVAILABLE:
            return [*self.report_list.status_parts(), "v: requests"]
        table = self.requests_table()
        noun = "requests" if self.separate_documents else "reports"
        parts = [f"{table.row_count} of {len(self.jobs)} {noun}"]
        if self.truncated:
            parts[0] += f" (first {MAX_ROWS} only)"
        if table.marked:
            parts.append(f"{len(table.marked)} marked")
        if self.date_problem:
            parts.insert(0, self.date_problem)
        if self.requested_from or self.requested_to:
            start = self.requested_from.date().isoformat() if self.requested_from else "…"
            end = self.requested_to.date().isoformat() if self.requested_to else "…"
            parts.append(f"{start} → {end}")
        parts.append("v: available reports" if self.separate_documents else "one list (v: why)")
        return parts

    # -- filters -----------------------------------------------------------------------------------

    @on(Input.Changed, ".filter")
    def _filter(self, event: Input.Changed) -> None:
        self.requests_table().set_filter(event.value)

    @on(Input.Submitted, ".filter")
    def _filter_done(self) -> None:
        self.focus_main()

    @on(Select.Changed, "#reports-status")
    def _status_changed(self, event: Select.Changed) -> None:
        self.status_filter = str(event.value)
        self.show_jobs()

    @on(Input.Submitted, "#reports-from, #reports-to")
    def _dates_changed(self) -> None:
        fields = {
            "from": self.query_one("#reports-from", Input),
            "to": self.query_one("#reports-to", Input),
        }
        try:
            start = parse_when(fields["from"].value)
        except ValueError:
            self._date_problem("from", fields, DATE_HELP)
            return
        try:
            end = parse_when(fields["to"].value, end_of_day=True)
        except ValueError:
            self._date_problem("to", fields, DATE_HELP)
            return
        try:
            check_range(start, end, self.session.clock.now())
        except ValueError as exc:
            self._date_problem("from", fields, str(exc))
            return
        self.date_problem = ""
        for field in fields.values():
            field.remove_class("-invalid")
        self.requested_from, self.requested_to = start, end
        self.action_refresh_data()
        self.focus_main()

    def _date_problem(self, which: str, fields: dict[str, Input], message: str) -> None:
        # Marked on the field and said in the status line until fixed: the list shown is
        # not filtered by these dates, and nothing is sent.
        for name, field in fields.items():
            field.set_class(name == which, "-invalid")
        self.date_problem = f"{which} date not applied: {clean(message)}"
        self.update_status()

    @on(ResourceTable.MarksChanged)
    @on(ResourceTable.RowsShown)
    def _table_changed(self) -> None:
        self.update_status()

    def selected_jobs(self) -> list[ReportJob]:
        """The marked jobs, or the one under the cursor."""
        return [self.jobs[k] for k in self.requests_table().selected_keys() if k in self.jobs]
