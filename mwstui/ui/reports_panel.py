"""Report requests: list, filter, sort, auto-refresh, request, cancel, download and preview.

``v`` switches to the available reports (``ReportListView``) and back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from mwstui.catalog import load_catalog
from mwstui.errors import MwstuiError
from mwstui.mws.models import ReportRequestInfo
from mwstui.session import Session
from mwstui.throttle.budget import BucketKey
from mwstui.ui.budget_panel import BudgetPanel
from mwstui.ui.bulk import BulkReport, BulkRunModal
from mwstui.ui.confirm import ConfirmModal, build_confirm_request
from mwstui.ui.download_modal import offer_download
from mwstui.ui.field_input import FieldInput
from mwstui.ui.form_values import DATE_HELP, check_range, parse_when
from mwstui.ui.panel import LOAD_GROUP, Panel
from mwstui.ui.preview_screen import PreviewScreen
from mwstui.ui.report_cancel import BatchedCancel, cancel_calls, cancel_plan
from mwstui.ui.report_columns import COLUMNS, request_row
from mwstui.ui.report_list_view import ReportListView
from mwstui.ui.request_report_modal import ReportRequestForm, RequestReportModal
from mwstui.ui.resource_table import ResourceTable, TableRow
from mwstui.ui.safe_text import clean

MAX_PAGES = 10
"""Pages (100 requests each) read per refresh; more would spend the ByNextToken budget."""
ALL = "all"
REQUESTS, AVAILABLE = "requests", "available"
"""The two views of the panel: report requests, and the reports available to download."""
REQUEST_ACTIONS = frozenset({"request_report", "cancel_selected", "download", "preview"})
"""Actions on report requests: off while the available reports are shown (they have their own)."""


class ReportsPanel(Panel):
    """GetReportRequestList as a live table, with the actions a seller needs on it."""

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

    def budget_operations(self) -> list[str]:
        # The MWS requests view spends only these; the available-reports view has its own.
        if self.session.mws is not None:
            return list(self.operations)
        return super().budget_operations()

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.infos: dict[str, ReportRequestInfo] = {}
        self.truncated = False
        self.status_filter = ALL
        self.requested_from: datetime | None = None
        self.requested_to: datetime | None = None
        self.downloads: dict[str, Path] = {}
        """Report id → where it was saved this session (``o`` previews it)."""
        self.date_problem = ""
        """Why the dates typed are not applied (shown until they are fixed), or empty."""
        self.view = REQUESTS
        """The view shown: ``requests`` or ``available``."""
        self._loaded_at: dict[str, float | None] = {}
        """Each view's last load while the other is shown (``loaded_at`` is the shown one's)."""
        self.report_list = ReportListView(session, id="reports-available")
        self.report_list.display = False

    def compose(self) -> ComposeResult:
        statuses = load_catalog().enum("report_processing_status")
        with Horizontal(classes="panel-bar", id="reports-bar"):
            yield FieldInput(placeholder="/ filter type or id", classes="filter", compact=True)
            yield Select(
                [(Text("any status"), ALL)] + [(Text(s), s) for s in statuses],
                value=ALL,
                allow_blank=False,
                compact=True,
                id="reports-status",
            )
            yield FieldInput(placeholder="from YYYY-MM-DD", id="reports-from", compact=True)
            yield FieldInput(placeholder="to YYYY-MM-DD", id="reports-to", compact=True)
        yield Static(classes="status", id="reports-status-line")
        yield ResourceTable(
            COLUMNS, markable=True, sort_by="submitted", sort_reverse=True, id="reports-table"
        )
        yield self.report_list

    def requests_table(self) -> ResourceTable:
        """The report requests table."""
        return self.query_one("#reports-table", ResourceTable)

    def main_table(self) -> ResourceTable:
        return self.report_list.table if self.view == AVAILABLE else self.requests_table()

    # -- the two views -------------------------------------------------------------------------

    def action_show_view(self, view: str) -> None:
        """Show the report requests or the available reports (``v`` switches)."""
        if view == self.view or view not in (REQUESTS, AVAILABLE):
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

    def _budget_follows(self) -> None:
        # The app shows the budget of ``operations`` (the requests view's) when the tab
        # opens; while the available reports are shown, theirs are what ``r`` and ``d`` spend.
        operations = (
            self.report_list.operations if self.view == AVAILABLE else self.budget_operations()
        )
        found = self.app.query(BudgetPanel)
        if found:
            found.first().show_operations(operations)

    def activated(self) -> None:
        super().activated()
        if self.view == AVAILABLE:
            self._budget_follows()

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
        """Reload the view shown: the report requests, or the available reports."""
        if self.session.mws is None:
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
        mws = self.session.mws
        return None if mws is None else mws.bucket_key("GetReportRequestListByNextToken")

    @work(exclusive=True, group=LOAD_GROUP)
    async def _load(self, requested_from: datetime | None, requested_to: datetime | None) -> None:
        client = self.session.mws
        assert client is not None
        table = self.requests_table()
        found: dict[str, ReportRequestInfo] = {}
        truncated = False
        try:
            pages = client.reports.iter_report_requests(
                requested_from=requested_from, requested_to=requested_to
            )
            async for page in pages:
                fresh = {i.report_request_id: i for i in page.data}
                found.update(fresh)
                self.infos.update(fresh)
                self.page_loaded(self._rows(fresh.values()), table=table)
                if len(found) >= MAX_PAGES * 100 and page.meta.next_token:
                    truncated = True
                    break
        except MwstuiError as exc:
            self.load_failed(exc, "Loading report requests")
            return
        self.infos = found
        self.truncated = truncated
        # The other view may be shown: the time goes to the view that loaded.
        self.requests_table().set_rows(self._rows(found.values()))
        self._hide_loading()
        self.progress.succeeded()
        self._view_loaded(REQUESTS)

    def _rows(self, infos: Iterable[ReportRequestInfo]) -> list[TableRow]:
        wanted = self.status_filter
        return [
            request_row(i)
            for i in infos
            if wanted == ALL or str(i.report_processing_status) == wanted
        ]

    def _show(self) -> None:
        self.requests_table().set_rows(self._rows(self.infos.values()))

    def status_parts(self) -> list[str]:
        if self.view == AVAILABLE:
            return [*self.report_list.status_parts(), "v: requests"]
        table = self.requests_table()
        parts = [f"{table.row_count} of {len(self.infos)} requests"]
        if self.truncated:
            parts[0] += f" (first {MAX_PAGES * 100} only)"
        if table.marked:
            parts.append(f"{len(table.marked)} marked")
        if self.date_problem:
            parts.insert(0, self.date_problem)
        if self.requested_from or self.requested_to:
            start = self.requested_from.date().isoformat() if self.requested_from else "…"
            end = self.requested_to.date().isoformat() if self.requested_to else "…"
            parts.append(f"{start} → {end}")
        parts.append("v: available reports")
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
        self._show()

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

    def selected_infos(self) -> list[ReportRequestInfo]:
        """The marked requests, or the one under the cursor."""
        return [self.infos[k] for k in self.requests_table().selected_keys() if k in self.infos]

    # -- request a report --------------------------------------------------------------------------

    def action_request_report(self) -> None:
        """Open the new-report form."""
        if self.refuse_if_read_only("request_report") or self.session.mws is None:
            return
        client = self.session.mws
        ids = [client.marketplace_id] if client.marketplace_id else []
        self.app.push_screen(RequestReportModal(self.session.clock, ids), self._request_formed)

    def _request_formed(self, form: ReportRequestForm | None) -> None:
        if form is not None:
            self._request(form)

    @work(group="mutate")
    async def _request(self, form: ReportRequestForm) -> None:
        client = self.session.mws
        assert client is not None
        try:
            result = await client.reports.request_report(
                form.report_type,
                start_date=form.start_date,
                end_date=form.end_date,
                marketplace_ids=form.marketplace_ids or None,
            )
        except MwstuiError as exc:
            self.report_error(exc, "Requesting a report")
            return
        info = result.data
        status = info.report_processing_status
        self.notify(
            clean(f"{info.report_type}: request {info.report_request_id} ({status})"),
            title="Report requested",
            markup=False,
        )
        self.action_refresh_data()

    # -- cancel ------------------------------------------------------------------------------------

    def action_cancel_selected(self) -> None:
        """Cancel the marked requests (or the one under the cursor), after confirmation."""
        if self.refuse_if_read_only("cancel_selected") or self.session.mws is None:
            return
        selected = self.selected_infos()
        if not selected:
            self.notify("Nothing selected: move to a request or mark some with space.")
            return
        ids, skipped = cancel_plan(selected)
        if not ids:
            why = "; ".join(f"{i}: {reason}" for i, reason in skipped[:3])
            more = f" (+{len(skipped) - 3} more)" if len(skipped) > 3 else ""
            self.notify(
                clean(f"Nothing can be cancelled: {why}{more}"),
                title="Cancel report requests",
                severity="warning",
                markup=False,
            )
            return
        client = self.session.mws
        request = build_confirm_request(
            self.session,
            client,
            "CancelReportRequests",
            ids,
            skipped,
            title=f"Cancel {len(ids)} report request{'s' if len(ids) != 1 else ''}?",
            action_label=f"Cancel {len(ids)}",
            calls=cancel_calls(len(ids)),
            account=self.account,
            notes=["Sent with an explicit ReportRequestIdList; at most 100 ids per call."],
            item_notes={i: str(self.infos[i].report_type) for i in ids if i in self.infos},
        )

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._run_cancel(ids)

        self.app.push_screen(ConfirmModal(request), confirmed)

    def _run_cancel(self, ids: list[str]) -> None:
        client = self.session.mws
        assert client is not None
        runner = BatchedCancel(client, ids)

        def finished(report: BulkReport | None) -> None:
            if report is not None:
                self.notify(report.summary(), title="Cancel report requests", markup=False)
            self.requests_table().clear_marks()
            self.action_refresh_data()

        modal = BulkRunModal(
            f"Cancelling {len(ids)} report request{'s' if len(ids) != 1 else ''}",
            ids,
            runner.run,
            governor=self.session.governor,
            bucket_key=client.bucket_key("CancelReportRequests"),
        )
        self.app.push_screen(modal, finished)

    # -- download / preview ------------------------------------------------------------------------

    def _cursor_info(self) -> ReportRequestInfo | None:
        key = self.requests_table().cursor_key
        return None if key is None else self.infos.get(key)

    def action_download(self) -> None:
        """Download the report of the _DONE_ request under the cursor."""
        info = self._cursor_info()
        if info is None or self.session.mws is None:
            return
        done = info.report_processing_status == "_DONE_"
        if not info.generated_report_id and not done:
            self.notify(
                clean(
                    f"Request {info.report_request_id} has no report to download "
                    f"(status {info.report_processing_status})."
                ),
                severity="warning",
                markup=False,
            )
            return
        offer_download(
            self.app,
            self.session.mws,
            info.generated_report_id or "",
            info.report_type,
            self.session.download_dir,
            self.downloads,
            # A _DONE_ request listed without its id: the dialog finds the report first.
            request=None if info.generated_report_id else info,
        )

    def action_preview(self) -> None:
        """Preview the report of the request under the cursor, downloading it first if needed."""
        info = self._cursor_info()
        if info is None:
            return
        path = self.downloads.get(info.generated_report_id or info.report_request_id)
        if path is not None and path.exists():
            self.app.push_screen(PreviewScreen(path))
        else:
            self.action_download()
