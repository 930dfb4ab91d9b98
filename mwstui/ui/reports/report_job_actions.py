"""What a user does to report jobs: request one, cancel some, download and preview a result.

Every service rule (which jobs can be cancelled, how calls are batched and read back, how
a download is checked, where a finished job's report is) is the reports backend's; this
module only asks, confirms and shows.
"""

from __future__ import annotations

from pathlib import Path

from textual import work

from mwstui.backend.models import ReportJob
from mwstui.backend.protocols import ReportsBackend
from mwstui.backend.report_records import ReportRequest, SavedReport
from mwstui.errors import MwstuiError
from mwstui.session import Session
from mwstui.ui.dialogs.bulk_report import BulkReport
from mwstui.ui.panel import Panel
from mwstui.ui.plan_flow import carry_out
from mwstui.ui.read_back import follow_read_back
from mwstui.ui.reports.download_modal import offer_download
from mwstui.ui.reports.preview_screen import PreviewScreen
from mwstui.ui.reports.request_report_modal import RequestReportModal
from mwstui.ui.text.safe_text import clean
from mwstui.ui.widgets.resource_table import ResourceTable


class ReportJobActions(Panel):
    """The job actions of the Reports panel, on its session's reports backend.

    Args:
        session: the backends, the clock and whether the session is read-only.
    """

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.jobs: dict[str, ReportJob] = {}
        """The jobs as last listed, by id."""
        self.downloads: dict[str, SavedReport] = {}
        """Report id (and job id) → the report saved this session (``o`` previews it)."""

    @property
    def reports(self) -> ReportsBackend | None:
        """The session's reports backend (None: the session has none)."""
        return self.session.backends.reports

    def requests_table(self) -> ResourceTable:
        """The jobs table."""
        raise NotImplementedError

    def show_jobs(self) -> None:
        """Redraw the jobs table from ``jobs`` (its filters apply)."""
        raise NotImplementedError

    # -- request a report --------------------------------------------------------------------

    def action_request_report(self) -> None:
        """Open the new-report form."""
        backend = self.reports
        if self.refuse_if_read_only("request_report") or backend is None:
            return
        modal = RequestReportModal(
            self.session.clock,
            backend.report_types("request"),
            backend.marketplace_choices(),
            lambda value: backend.report_type_problem(value, "request"),
        )
        self.app.push_screen(modal, self._request_formed)

    def _request_formed(self, form: ReportRequest | None) -> None:
        if form is not None:
            self._request(form)

    @work(group="mutate")
    async def _request(self, form: ReportRequest) -> None:
        # Not exclusive: nothing may cancel a mutation half-way.
        backend = self.reports
        assert backend is not None
        try:
            job_id = await backend.request_report(form)
        except MwstuiError as exc:
            self.report_error(exc, "Requesting a report")
            return
        self.notify(
            clean(f"{form.report_type}: {job_id} requested"),
            title="Report requested",
            markup=False,
        )
        self.action_refresh_data()

    # -- cancel ------------------------------------------------------------------------------

    def action_cancel_selected(self) -> None:
        """Cancel the marked jobs (or the one under the cursor), as the backend plans it."""
        backend = self.reports
        if self.refuse_if_read_only("cancel_selected") or backend is None:
            return
        keys = [k for k in self.requests_table().selected_keys() if k in self.jobs]
        if not keys:
            self.notify("Nothing selected: move to a report or mark some with space.")
            return
        plan = backend.plan_cancel(keys, self.jobs)

        def finished(report: BulkReport | None) -> None:
            if report is None:  # declined, or nothing could be cancelled
                return
            self.notify(report.summary(), title=plan.title, markup=False)
            self.requests_table().clear_marks()
            # Each cancel was read back: its row shows the job as read, no list again.
            follow_read_back(self, report.results, self.jobs, ReportJob, self.show_jobs)

        carry_out(self.app, self.session, plan, finished)

    # -- download / preview ------------------------------------------------------------------

    def _cursor_job(self) -> ReportJob | None:
        key = self.requests_table().cursor_key
        return None if key is None else self.jobs.get(key)

    def action_download(self) -> None:
        """Download the report of the finished job under the cursor."""
        job = self._cursor_job()
        backend = self.reports
        if job is None or backend is None:
            return
        if not backend.downloadable(job):
            self.notify(
                clean(f"{job.id} has no report to download (status {job.status})."),
                severity="warning",
                markup=False,
            )
            return
        offer_download(
            self.app,
            backend,
            job.document_id or "",
            job.report_type,
            self.session.download_dir,
            self.downloads,
            # Finished but listed without its report's id: the dialog finds it first.
            job=None if job.document_id else job,
        )

    def action_preview(self) -> None:
        """Preview the report of the job under the cursor, downloading it first if needed."""
        job = self._cursor_job()
        if job is None:
            return
        saved = self.downloads.get(job.document_id or job.id)
        if saved is not None and Path(saved.path).exists():
            self.app.push_screen(PreviewScreen(saved.path, saved.encoding))
        else:
            self.action_download()
