"""The MWS adapter: Reports behind the backend protocols (Fulfillment beside it).

It owns the MWS service rules the panels used to carry: only ``_SUBMITTED_`` report
requests can be cancelled; CancelReportRequests and UpdateReportAcknowledgements take
100 ids a call; ``_NEVER_`` deletes a schedule; a lost answer is settled by a read, in a
run and at the next start alike (``check_outcome``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import cast

from mwstui import validation
from mwstui.backend.actions import (
    ActionPlan,
    PlanBuilder,
    assemble,
    plural,
)
from mwstui.backend.adapter import ServiceAdapter
from mwstui.backend.batch import BatchedRun
from mwstui.backend.models import ReportDocument, ReportJob
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.backend.protocols import Feature, Mutation, Page, Progress
from mwstui.backend.report_records import MarketplaceChoice, ReportRequest, SavedReport
from mwstui.catalog import Throttle, load_catalog
from mwstui.errors import MwstuiError, OutcomeUnknownError
from mwstui.mws import backend_records as records
from mwstui.mws.backend_records import REPORT_CANCELLED
from mwstui.mws.client import MWSClient
from mwstui.mws.models import ReportProcessingStatus, ReportRequestInfo

NOT_LISTED = "not in the list any more: refresh"
REPORT_DONE = "_DONE_"
"""A finished request: it has a report, even when the listing omits its id (a catalog value)."""
"""Why an item picked from a list that no longer holds it is skipped (every panel)."""


def never_schedule() -> str:
    """The schedule value that deletes (``_NEVER_``: the catalog's one without interval)."""
    return next(k for k, v in load_catalog().schedules.items() if v is None)


def id_list_limit(name: str) -> int:
    """Ids one call takes in list ``name`` (catalog: 100)."""
    return int(load_catalog().mws_enums["limits"][name])


class MWSBackend(ServiceAdapter[MWSClient]):
    """What the MWS capabilities share: the client, the account, the budgets.

    Args:
        client: the MWS client that sends.
        account: who it acts for (restated by every confirmation).
        governor: the throttle model, for costs and durations.
    """

    service = "mws"

    def throttle(self, operation: str) -> Throttle:
        return self.client.operation(operation).throttle


def report_cancel_result(job: ReportJob | None, *, lost: bool, request_id: str = "") -> ItemResult:
    """How a report request's cancel ended, from the request as the service shows it.

    CancelReportRequests is synchronous: the answer (or a read after a lost one) is the
    state. ``_CANCELLED_`` is done; a request that had started can no longer be cancelled.
    The result carries the request as seen (``read``): the panel shows it without listing.
    """
    how = "answer lost; read back " if lost else ""
    if job is None:
        if lost:
            return ItemResult(Outcome.UNKNOWN, "answer lost; the read-back does not list it")
        return ItemResult(
            Outcome.NOT_CONFIRMED, "not listed in the answer: refresh", request_id=request_id
        )
    status = job.status
    if records.report_statuses().same(status, REPORT_CANCELLED):
        outcome, detail = Outcome.DONE, f"{how}{status}"
    elif status.cancellable:
        outcome, detail = Outcome.FAILED, f"{how}still {status}: the cancel did not take"
    else:
        outcome = Outcome.FAILED
        detail = f"{how}still {status}: it had started before the cancel arrived"
    return ItemResult(outcome, detail, request_id=request_id, read=job)


class MWSReports(MWSBackend):
    """Report requests (jobs) and available reports (documents) on MWS."""

    operations = (
        "GetReportRequestList",
        "GetReportRequestListByNextToken",
        "CancelReportRequests",
        "GetReportList",
        "GetReportListByNextToken",
        "UpdateReportAcknowledgements",
        "RequestReport",
        "GetReport",
    )
    job_operations = (
        "GetReportRequestList",
        "GetReportRequestListByNextToken",
        "RequestReport",
        "CancelReportRequests",
        "GetReport",
    )
    document_operations = (
        "GetReportList",
        "GetReportListByNextToken",
        "GetReport",
        "UpdateReportAcknowledgements",
    )
    mutations = frozenset({"CancelReportRequests"})
    features = frozenset({Feature.CANCEL_JOBS, Feature.REPORT_DOCUMENTS, Feature.ACKNOWLEDGEMENTS})

    # -- what the panel offers -----------------------------------------------------------------

    def job_statuses(self) -> tuple[tuple[str, str], ...]:
        return tuple((s, s) for s in records.report_statuses().known)

    def report_types(self, purpose: str = "request") -> tuple[str, ...]:
        """Catalog order; ``filter`` offers every type the catalog knows."""
        types = load_catalog().report_types
        if purpose == "request":
            return tuple(t.type for t in types if t.requestable)
        if purpose == "schedule":
            return tuple(t.type for t in types if t.schedulable)
        return tuple(t.type for t in types)

    def report_type_problem(self, value: str, purpose: str = "request") -> str | None:
        return validation.report_type(value, cast(validation.ReportTypePurpose, purpose))

    def marketplace_choices(self) -> tuple[MarketplaceChoice, ...]:
        """The marketplaces of the account's region (one request spans one region)."""
        own = self.client.marketplace_id
        catalog = load_catalog()
        found = catalog.marketplace(own) if own else None
        if found is None:
            return ()
        return tuple(
            MarketplaceChoice(m.marketplace_id, f"{m.country} {m.marketplace_id}",
                              m.marketplace_id == own)
            for m in catalog.marketplaces
            if m.region == found.region
        )  # fmt: skip

    # -- request, download -------------------------------------------------------------------

    async def request_report(self, request: ReportRequest) -> str:
        """RequestReport; options go as ``name=value`` pairs joined by ``;``."""
        options = ";".join(f"{k}={v}" for k, v in request.options) or None
        result = await self.client.reports.request_report(
            request.report_type,
            start_date=request.start,
            end_date=request.end,
            marketplace_ids=list(request.marketplaces) or None,
            report_options=options,
        )
        return result.data.report_request_id

    def downloadable(self, job: ReportJob) -> bool:
        """A request with a GeneratedReportId, or ``_DONE_`` (its id may be missing)."""
        return bool(job.document_id) or records.report_statuses().same(job.status, REPORT_DONE)

    async def document_for(self, job: ReportJob) -> str | None:
        """GeneratedReportId, or for a ``_DONE_`` request listed without it, GetReportList
        by its ReportRequestId (the rule lives in ``report_requests.report_id_for``)."""
        info = ReportRequestInfo(
            job.id,
            job.report_type,
            ReportProcessingStatus(str(job.status)),
            generated_report_id=job.document_id,
        )
        return await self.client.reports.report_id_for(info)

    async def download(
        self, document_id: str, dest: Path, *, progress: Progress | None = None
    ) -> SavedReport:
        """GetReport, streamed to ``dest``; the body's MD5 checked against Content-MD5."""
        saved = (
            await self.client.reports.download_report(document_id, dest, progress=progress)
        ).data
        check = (
            "MD5 verified ✓" if saved.verified else "not verified: the server sent no Content-MD5"
        )
        return SavedReport(saved.path, saved.size, saved.verified, check, None, document_id)

    async def list_jobs(
        self,
        *,
        report_types: Sequence[str] = (),
        statuses: Sequence[str] = (),
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> AsyncIterator[Page[ReportJob]]:
        pages = self.client.reports.iter_report_requests(
            report_types=report_types or None,
            statuses=statuses or None,
            requested_from=since,
            requested_to=until,
        )
        number = 0
        async for page in pages:
            number += 1
            yield Page(
                tuple(records.report_job(i) for i in page.data),
                number=number,
                more=bool(page.meta.next_token),
                request_id=page.meta.request_id or "",
            )

    async def list_documents(
        self, *, acknowledged: bool | None = None, report_types: Sequence[str] = ()
    ) -> AsyncIterator[Page[ReportDocument]]:
        pages = self.client.reports.iter_reports(
            acknowledged=acknowledged, report_types=report_types or None
        )
        number = 0
        async for page in pages:
            number += 1
            yield Page(
                tuple(records.report_document(i) for i in page.data),
                number=number,
                more=bool(page.meta.next_token),
                request_id=page.meta.request_id or "",
            )

    # -- cancel ------------------------------------------------------------------------------

    def plan_cancel(self, keys: Sequence[str], rows: Mapping[str, ReportJob]) -> ActionPlan:
        """Only ``_SUBMITTED_`` requests; one CancelReportRequests per 100 ids."""
        built = PlanBuilder()
        for key in dict.fromkeys(keys):
            job = rows.get(key)
            if job is None:
                built.skip(key, NOT_LISTED)
            elif job.status.cancellable:
                built.take(key, note=job.report_type)
            elif not job.status.known:
                built.skip(key, f"unknown status {job.status}: not cancelled")
            else:
                built.skip(key, f"status {job.status}: already started or ended")
        size = id_list_limit("ReportRequestIdList")
        batch = BatchedRun([i.key for i in built.items], size, self._send_cancel)
        n = len(built.items)
        return assemble(
            built,
            account=self.account,
            governor=self.governor,
            operation="CancelReportRequests",
            costs=[self.cost("CancelReportRequests", batch.calls)],
            run=batch.run,
            title=f"Cancel {plural(n, 'report request')}",
            action_label=f"Cancel {plural(n, 'request')}",
            safe_label="Keep requests" if n != 1 else "Keep request",
            verb="Cancelling",
            # Never an empty list: CancelReportRequests without ids cancels everything.
            notes=[f"Sent with an explicit ReportRequestIdList; at most {size} ids per call."],
        )

    async def _send_cancel(self, chunk: list[str]) -> Mapping[str, ItemResult]:
        try:
            answers = await self.client.reports.cancel_report_requests(chunk)
        except OutcomeUnknownError:
            return await self._read_back_cancel(chunk)
        results: dict[str, ItemResult] = {}
        for answer in answers:
            rid = answer.meta.request_id or ""
            # The answer's infos are the requests as they are now (the call is synchronous).
            # Recorded: they omit GeneratedReportId; one that finished meanwhile finds its
            # report on download (``document_for``).
            shown = {i.report_request_id: records.report_job(i) for i in answer.data.infos}
            for key in chunk:
                results.setdefault(
                    key, report_cancel_result(shown.get(key), lost=False, request_id=rid)
                )
        return results

    async def _read_back_cancel(self, chunk: list[str]) -> Mapping[str, ItemResult]:
        try:
            seen = await self._read_jobs(chunk)
        except MwstuiError as exc:
            lost = ItemResult(Outcome.UNKNOWN, f"answer lost; read-back failed: {exc}")
            return dict.fromkeys(chunk, lost)
        return {k: report_cancel_result(seen.get(k), lost=True) for k in chunk}

    async def _read_jobs(self, ids: Sequence[str]) -> dict[str, ReportJob]:
        """The requests ``ids`` as GetReportRequestList shows them now, by id."""
        seen: dict[str, ReportJob] = {}
        async for page in self.client.reports.iter_report_requests(request_ids=list(ids)):
            for info in page.data:
                seen[info.report_request_id] = records.report_job(info)
        return seen

    async def check_outcome(self, mutation: Mutation) -> ItemResult | None:
        if not self.mine(mutation):
            return None
        ids = list(mutation.items)
        seen = await self._read_jobs(ids)
        scheme = records.report_statuses()
        cancelled = sum(
            1 for k in ids if k in seen and scheme.same(seen[k].status, REPORT_CANCELLED)
        )
        note = f"{cancelled} of {len(ids)} report requests are {REPORT_CANCELLED}"
        if cancelled == len(ids):
            return ItemResult(Outcome.DONE, note)
        return ItemResult(Outcome.NOT_CONFIRMED if cancelled else Outcome.FAILED, note)

    # -- acknowledge -------------------------------------------------------------------------

    def plan_acknowledge(
        self, keys: Sequence[str], rows: Mapping[str, ReportDocument], value: bool
    ) -> ActionPlan:
        """UpdateReportAcknowledgements, 100 ids a call; reports already so are skipped."""
        built = PlanBuilder()
        already = "already acknowledged" if value else "not acknowledged"
        for key in dict.fromkeys(keys):
            doc = rows.get(key)
            if doc is None:
                built.skip(key, NOT_LISTED)
            elif doc.acknowledged == value:
                built.skip(key, already)
            else:
                built.take(key)
        size = id_list_limit("ReportIdList")

        async def send(chunk: list[str]) -> Mapping[str, ItemResult]:
            answer = await self.client.reports.update_report_acknowledgements(chunk, value)
            rid = answer.meta.request_id or ""
            shown = {i.report_id: i.acknowledged for i in answer.data}
            word = "acknowledged" if value else "not acknowledged"
            return {
                k: ItemResult(Outcome.DONE, f"now {word}", request_id=rid)
                if shown.get(k) == value
                else ItemResult(
                    Outcome.NOT_CONFIRMED, "the answer does not show it", request_id=rid
                )
                for k in chunk
            }

        batch = BatchedRun([i.key for i in built.items], size, send)
        n, verb = len(built.items), "Acknowledge" if value else "Un-acknowledge"
        return assemble(
            built,
            account=self.account,
            governor=self.governor,
            operation="UpdateReportAcknowledgements",
            costs=[self.cost("UpdateReportAcknowledgements", batch.calls)],
            run=batch.run,
            title=f"{verb} {plural(n, 'report')}?",
            action_label=f"{verb} {n}",
            verb="Acknowledging" if value else "Un-acknowledging",
            notes=[
                f"Sent as UpdateReportAcknowledgements with Acknowledged={str(value).lower()}; "
                f"at most {size} ids per call."
            ],
        )
