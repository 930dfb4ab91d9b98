"""The SP-API adapter: Reports behind the backend protocols.

It owns the SP-API rules the panels must not carry: one reports list (no separate
"available reports", no acknowledgements); only ``IN_QUEUE`` reports can be cancelled,
one call each, read back with getReport; a schedule for a type and marketplaces that
already has one replaces it; a schedule is deleted by cancelReportSchedule.
"""

from __future__ import annotations

import codecs
import dataclasses
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from mwstui.backend.actions import ActionPlan, PlanBuilder, assemble, plural
from mwstui.backend.adapter import ServiceAdapter
from mwstui.backend.models import ReportDocument, ReportJob, join_or
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.backend.paging import Pager
from mwstui.backend.protocols import Feature, Mutation, Page, Progress
from mwstui.backend.readback import send_then_read
from mwstui.backend.report_records import MarketplaceChoice, ReportRequest, SavedReport
from mwstui.catalog import Throttle, load_catalog
from mwstui.errors import NotFoundError
from mwstui.spapi import backend_records as records
from mwstui.spapi import models as wire
from mwstui.spapi.backend_records import REPORT_CANCELLED
from mwstui.spapi.client import SPAPIClient
from mwstui.spapi.reports import checked_types
from mwstui.validation import LocalValidationError

NOT_LISTED = "not in the list any more: refresh"
LIST_MARGIN = timedelta(minutes=10)
"""Kept off the 90-day limit of createdSince: the wait for a token must not push it over."""


REPORT_DONE = "DONE"
CANCELLED_NOTE = "or no data"
"""Amazon ends a report CANCELLED both when it was cancelled and when there was no data to
report (spec §5.1, §8.8); the list says so beside the status instead of guessing."""


def offered_types(purpose: str = "filter") -> list[str]:
    """The report types the UI offers (catalog): every one for ``filter``, the requestable
    ones for ``request``, the schedulable ones for ``schedule``."""
    types = load_catalog().spapi.report_types
    if purpose == "request":
        return [t.type for t in types if t.requestable]
    return [t.type for t in types if purpose != "schedule" or t.schedulable]


def job_of(report: wire.Report) -> ReportJob:
    """A listed report as a job, with what a CANCELLED may mean."""
    job = records.report_job(report)
    if records.report_statuses().same(job.status, REPORT_CANCELLED):
        return dataclasses.replace(job, note=CANCELLED_NOTE)
    return job


def _saved_encoding(charset: str | None, transcoded: bool) -> str | None:
    """How the saved file is encoded: UTF-8 when a declared charset was decoded (or was
    UTF-8 already); None when none was declared and the bytes were kept as sent."""
    if transcoded:
        return "utf-8"
    if not charset:
        return None
    try:
        name = codecs.lookup(load_catalog().spapi.python_charset(charset)).name
    except LookupError:
        return None
    return "utf-8" if name == "utf-8" else None


class SpapiBackend(ServiceAdapter[SPAPIClient]):
    """What the SP-API capabilities share: the client, the account, the budgets."""

    service = "spapi"

    def throttle(self, operation: str) -> Throttle:
        return self.client.throttle(operation)


def report_cancel_result(job: ReportJob | None, *, lost: bool) -> ItemResult:
    """How a cancelReport ended, from the report read back after it (``read``: the report
    as read, so a panel shows it without listing again; None when it was not found)."""
    how = "answer lost; read back " if lost else ""
    if job is None:
        outcome = Outcome.UNKNOWN if lost else Outcome.NOT_CONFIRMED
        return ItemResult(outcome, f"{how}the report is not found")
    if records.report_statuses().same(job.status, REPORT_CANCELLED):
        return ItemResult(Outcome.DONE, f"{how}now {job.status}", read=job)
    if job.status.cancellable:
        outcome = Outcome.UNKNOWN if lost else Outcome.NOT_CONFIRMED
        return ItemResult(outcome, f"{how}still {job.status}", read=job)
    return ItemResult(
        Outcome.FAILED, f"{how}{job.status}: it had started before the cancel arrived", read=job
    )


class SpapiReports(SpapiBackend):
    """Reports on SP-API: one list of reports (jobs); finished ones carry a document id."""

    operations = ("getReports", "getReport", "cancelReport", "createReport", "getReportDocument")
    job_operations = operations
    document_operations: tuple[str, ...] = ()
    """SP-API has one list of reports (``Feature.REPORT_DOCUMENTS`` is off)."""
    mutations = frozenset({"cancelReport"})
    features = frozenset({Feature.CANCEL_JOBS})

    # -- what the panel offers -----------------------------------------------------------------

    def job_statuses(self) -> tuple[tuple[str, str], ...]:
        return tuple(
            (s, f"{s} (or no data)" if s == REPORT_CANCELLED else s)
            for s in records.report_statuses().known
        )

    def report_types(self, purpose: str = "request") -> tuple[str, ...]:
        return tuple(offered_types(purpose))

    def report_type_problem(self, value: str, purpose: str = "request") -> str | None:
        try:
            checked_types([value], purpose)
        except LocalValidationError as exc:
            return exc.message
        return None

    def marketplace_choices(self) -> tuple[MarketplaceChoice, ...]:
        """The marketplaces of the account's region; a token works only there (spec §2)."""
        own = self.client.marketplace_ids
        return tuple(
            MarketplaceChoice(m.marketplace_id, f"{m.country} {m.marketplace_id}",
                              m.marketplace_id in own)
            for m in load_catalog().spapi.marketplaces_in(self.client.region.region)
        )  # fmt: skip

    # -- request, download -------------------------------------------------------------------

    async def request_report(self, request: ReportRequest) -> str:
        """createReport (the account's marketplaces when none are given)."""
        result = await self.client.reports.create_report(
            request.report_type,
            list(request.marketplaces) or None,
            data_start_time=request.start,
            data_end_time=request.end,
            report_options=dict(request.options) or None,
        )
        return result.data

    def downloadable(self, job: ReportJob) -> bool:
        """DONE, or any report with a document (a FATAL one may explain the failure)."""
        return bool(job.document_id) or records.report_statuses().same(job.status, REPORT_DONE)

    async def document_for(self, job: ReportJob) -> str | None:
        """reportDocumentId, read again with getReport when the listing had none."""
        if job.document_id:
            return job.document_id
        return (await self.client.reports.get_report(job.id)).data.report_document_id

    async def download(
        self, document_id: str, dest: Path, *, progress: Progress | None = None
    ) -> SavedReport:
        """getReportDocument, then the pre-signed URL without SP-API headers (re-fetched
        when it expired), gunzipped by its bytes, decoded by its charset, size checked."""
        announced: list[int | None] = [None]

        def seen(done: int, total: int | None) -> None:
            announced[0] = total
            if progress is not None:
                progress(done, total)

        d = (await self.client.reports.download_document(document_id, dest, progress=seen)).data
        checked = announced[0] is not None  # documents.py refuses a length that differs
        parts = [
            f"size checked: {d.downloaded} bytes as announced"
            if checked
            else "not verified: the server announced no length"
        ]
        if d.compressed:
            parts.append("gunzipped")
        if d.transcoded:
            parts.append(f"{d.charset} → UTF-8")
        elif d.charset:
            parts.append(str(d.charset))
        else:
            parts.append("no charset declared: bytes kept as sent")
        if d.url_fetches > 1:
            parts.append(f"{d.url_fetches} download links (one expired)")
        return SavedReport(
            d.path, d.size, checked, " · ".join(parts),
            _saved_encoding(d.charset, d.transcoded), document_id,
        )  # fmt: skip

    async def list_jobs(
        self,
        *,
        report_types: Sequence[str] = (),
        statuses: Sequence[str] = (),
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> AsyncIterator[Page[ReportJob]]:
        """getReports; without types, every type the catalog offers (10 per listing)."""
        days = load_catalog().spapi.limit("getReports.createdSince.max_days")
        oldest = self.client.clock.now() - timedelta(days=days) + LIST_MARGIN
        if since is not None and since < oldest:
            since = oldest  # Amazon keeps reports 90 days: older ones do not exist
        types = list(dict.fromkeys(report_types)) or offered_types()
        size = load_catalog().spapi.limit("getReports.reportTypes.max")
        chunks = [types[i : i + size] for i in range(0, len(types), size)]
        pager: Pager[ReportJob] = Pager()  # numbered across listings, each report once
        for n, chunk in enumerate(chunks, 1):
            # One listing per 10 types: "more" stays true until the last one's last page.
            pages = self.client.reports.iter_reports(
                chunk, statuses=statuses, created_since=since, created_until=until
            )
            async for page in pages:
                more = bool(page.meta.next_token) or n < len(chunks)
                yield pager.page(map(job_of, page.data), more=more,
                                 request_id=page.meta.request_id)  # fmt: skip

    async def list_documents(
        self, *, acknowledged: bool | None = None, report_types: Sequence[str] = ()
    ) -> AsyncIterator[Page[ReportDocument]]:
        """SP-API has no separate list of finished reports (``Feature.REPORT_DOCUMENTS``
        is off): a DONE report in ``list_jobs`` carries its document id."""
        none: tuple[Page[ReportDocument], ...] = ()
        for page in none:  # an async generator that yields nothing
            yield page

    def plan_acknowledge(
        self, keys: Sequence[str], rows: Mapping[str, ReportDocument], value: bool
    ) -> ActionPlan:
        """SP-API has no acknowledgements: every item is skipped, nothing is sent."""
        built = PlanBuilder()
        for key in dict.fromkeys(keys):
            built.skip(key, "SP-API has no report acknowledgements")

        async def run(key: str) -> ItemResult:
            return ItemResult(Outcome.NOT_SENT, "SP-API has no report acknowledgements")

        return assemble(
            built, account=self.account, governor=self.governor, operation="acknowledge",
            costs=[], run=run, title="Acknowledge reports", action_label="Acknowledge",
        )  # fmt: skip

    def plan_cancel(self, keys: Sequence[str], rows: Mapping[str, ReportJob]) -> ActionPlan:
        """Only ``IN_QUEUE`` reports; one cancelReport each, read back with getReport."""
        built = PlanBuilder()
        allowed = join_or(records.report_statuses().cancellable_values())
        for key in dict.fromkeys(keys):
            job = rows.get(key)
            if job is None:
                built.skip(key, NOT_LISTED)
            elif job.status.cancellable:
                built.take(key, note=job.report_type)
            elif not job.status.known:
                built.skip(key, f"unknown status {job.status}: not cancelled")
            else:
                built.skip(key, f"status {job.status}, not {allowed}: already started or ended")
        n = len(built.items)
        return assemble(
            built,
            account=self.account,
            governor=self.governor,
            operation="cancelReport",
            costs=[self.cost("cancelReport", n), self.cost("getReport", n)],
            run=self.cancel_one,
            title=f"Cancel {plural(n, 'report')}",
            action_label=f"Cancel {plural(n, 'report')}",
            safe_label="Keep reports" if n != 1 else "Keep report",
            verb="Cancelling",
            notes=[
                "Each report is cancelled with cancelReport and read back with getReport: "
                f"only one that reads {REPORT_CANCELLED} counts as done."
            ],
        )

    async def cancel_one(self, report_id: str) -> ItemResult:
        """cancelReport, then getReport: the read is the outcome, and the result carries it."""
        # The plan took only IN_QUEUE rows: no extra read before sending.
        return await send_then_read(
            lambda: self.client.reports.cancel_report(report_id, status="IN_QUEUE"),
            lambda sent: sent.meta.request_id,
            lambda _sent: self._read(report_id),
            lambda job, lost: report_cancel_result(job, lost=lost),
        )

    async def _read(self, report_id: str) -> ReportJob | None:
        """The report as the list would show it, or None when getReport does not find it."""
        try:
            return job_of((await self.client.reports.get_report(report_id)).data)
        except NotFoundError:
            return None

    async def check_outcome(self, mutation: Mutation) -> ItemResult | None:
        if not self.mine(mutation):
            return None
        job = await self._read(mutation.items[0])
        if job is None:
            return ItemResult(Outcome.FAILED, "getReport does not find the report")
        if records.report_statuses().same(job.status, REPORT_CANCELLED):
            return ItemResult(Outcome.DONE, f"getReport shows {job.status}")
        return ItemResult(Outcome.FAILED, f"getReport shows {job.status}: the cancel did not take")
