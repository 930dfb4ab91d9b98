"""Reports API 2009-01-01: typed operations over the client's send path, and their parsers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mwstui import validation as v
from mwstui.calls import Result
from mwstui.catalog import load_catalog
from mwstui.errors import MalformedResponseError
from mwstui.mws.download import download_report
from mwstui.mws.models import (
    CancelResult,
    ReportDownload,
    ReportInfo,
    ReportProcessingStatus,
    ReportRequestInfo,
    ReportSchedule,
    Schedule,
)
from mwstui.mws.parsing import (
    Document,
    Node,
    encode_list,
    format_bool,
    format_datetime,
    id_list,
)
from mwstui.mws.report_requests import cancel_requests, report_id_for

if TYPE_CHECKING:
    from mwstui.mws.client import MWSClient


# -- parsers (Document → model), also used by the recorded-response tests --------------------


def report_request_info(n: Node) -> ReportRequestInfo:
    """A ``ReportRequestInfo`` element, in any element order."""
    return ReportRequestInfo(
        report_request_id=n.require("ReportRequestId"),
        report_type=n.text("ReportType") or "",
        report_processing_status=ReportProcessingStatus(n.text("ReportProcessingStatus") or ""),
        start_date=n.date("StartDate"),
        end_date=n.date("EndDate"),
        scheduled=bool(n.flag("Scheduled")),
        submitted_date=n.date("SubmittedDate"),
        started_processing_date=n.date("StartedProcessingDate"),
        completed_date=n.date("CompletedDate"),
        generated_report_id=n.text("GeneratedReportId"),
    )


def report_info(n: Node) -> ReportInfo:
    """A ``ReportInfo`` element."""
    return ReportInfo(
        report_id=n.require("ReportId"),
        report_type=n.text("ReportType") or "",
        report_request_id=n.text("ReportRequestId"),
        available_date=n.date("AvailableDate"),
        acknowledged=bool(n.flag("Acknowledged")),
        acknowledged_date=n.date("AcknowledgedDate"),
    )


def report_schedule(n: Node) -> ReportSchedule:
    """A ``ReportSchedule`` element."""
    return ReportSchedule(
        report_type=n.require("ReportType"),
        schedule=Schedule(n.text("Schedule") or ""),
        scheduled_date=n.date("ScheduledDate"),
    )


def _request_infos(doc: Document) -> list[ReportRequestInfo]:
    return [report_request_info(n) for n in doc.result.children("ReportRequestInfo")]


def _reports(doc: Document) -> list[ReportInfo]:
    return [report_info(n) for n in doc.result.children("ReportInfo")]


def _schedules(doc: Document) -> list[ReportSchedule]:
    return [report_schedule(n) for n in doc.result.children("ReportSchedule")]


def _count(doc: Document) -> int:
    return doc.result.require_integer("Count")


def _requested(doc: Document) -> ReportRequestInfo:
    infos = _request_infos(doc)
    if not infos:
        raise MalformedResponseError("MalformedResponse", "RequestReport returned no request")
    return infos[0]


def _cancelled(doc: Document) -> CancelResult:
    return CancelResult(count=_count(doc), infos=_request_infos(doc))


PARSERS: dict[str, Callable[[Document], Any]] = {
    "RequestReport": _requested,
    "GetReportRequestList": _request_infos,
    "GetReportRequestListByNextToken": _request_infos,
    "GetReportRequestCount": _count,
    "CancelReportRequests": _cancelled,
    "GetReportList": _reports,
    "GetReportListByNextToken": _reports,
    "GetReportCount": _count,
    "UpdateReportAcknowledgements": _reports,
    "ManageReportSchedule": _schedules,
    "GetReportScheduleList": _schedules,
    "GetReportScheduleListByNextToken": _schedules,
    "GetReportScheduleCount": _count,
}
"""Parser of every XML Reports operation (GetReport's body is the report itself)."""


# -- request helpers ---------------------------------------------------------------------------


def _ids(
    values: Sequence[str],
    what: str,
    check: Callable[[str | None], str | None],
    limit_key: str | None = None,
) -> list[str]:
    """Stripped, de-duplicated ids, each of the right shape and, with ``limit_key``, no more
    than the catalog allows in one list (LocalValidationError if not)."""
    ids = id_list(values, what)
    for i in ids:
        v.check(what, check(i))
    most = int(load_catalog().mws_enums["limits"][limit_key]) if limit_key else None
    if most is not None and len(ids) > most:
        raise v.LocalValidationError(what, f"at most {most} {what}s per call, got {len(ids)}")
    return ids


def _filters(
    *,
    report_types: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
    dates: dict[str, datetime | None] | None = None,
    acknowledged: bool | None = None,
) -> dict[str, str]:
    params: dict[str, str] = {}
    if report_types:
        types = id_list(report_types, "ReportType")
        for t in types:
            v.check("ReportType", v.report_type(t, "filter"))
        params |= encode_list("ReportTypeList.Type", types)
    if statuses:
        params |= encode_list(
            "ReportProcessingStatusList.Status",
            _ids(statuses, "ReportProcessingStatus", v.report_status),
        )
    named = list((dates or {}).items())
    # Dates come in (from, to) pairs: a reversed range would only ever match nothing.
    for (first, start), (second, end) in zip(named[::2], named[1::2], strict=False):
        v.check(first, v.date_range(start, end, start_field=first, end_field=second))
    for name, value in named:
        if value is not None:
            params[name] = format_datetime(value)
    if acknowledged is not None:
        params["Acknowledged"] = format_bool(acknowledged)
    return params


def _max_count(value: int) -> str:
    v.check("MaxCount", v.max_count(value))
    return str(value)


class ReportsAPI:
    """``client.reports``: every Reports operation the dashboard uses."""

    def __init__(self, client: MWSClient) -> None:
        self._c = client

    async def request_report(
        self,
        report_type: str,
        *,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        marketplace_ids: Sequence[str] | None = None,
        report_options: str | None = None,
    ) -> Result[ReportRequestInfo]:
        """RequestReport: ask for a report; returns the new ``_SUBMITTED_`` request.

        Raises:
            LocalValidationError: a report type the catalog does not list as requestable,
                a start date after the end date or an unknown marketplace (nothing sent).
        """
        v.check("ReportType", v.report_type(report_type, "request"))
        report_type = report_type.strip()
        params = {"ReportType": report_type}
        params |= _filters(dates={"StartDate": start_date, "EndDate": end_date})
        if marketplace_ids:
            params |= encode_list(
                "MarketplaceIdList.Id", _ids(marketplace_ids, "MarketplaceId", v.marketplace_id)
            )
        if report_options:
            params["ReportOptions"] = report_options
        return await self._c.call("RequestReport", params, _requested, items=[report_type])

    async def iter_report_requests(
        self,
        *,
        request_ids: Sequence[str] | None = None,
        report_types: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        requested_from: datetime | None = None,
        requested_to: datetime | None = None,
        max_count: int = 100,
    ) -> AsyncIterator[Result[list[ReportRequestInfo]]]:
        """GetReportRequestList then …ByNextToken: one item per page."""
        params = {"MaxCount": _max_count(max_count)}
        if request_ids:
            params |= encode_list(
                "ReportRequestIdList.Id",
                _ids(request_ids, "ReportRequestId", v.report_request_id, "ReportRequestIdList"),
            )
        params |= _filters(
            report_types=report_types,
            statuses=statuses,
            dates={"RequestedFromDate": requested_from, "RequestedToDate": requested_to},
        )
        async for page in self._c.iter_pages("GetReportRequestList", params, _request_infos):
            yield page

    async def report_request_count(
        self,
        *,
        report_types: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        requested_from: datetime | None = None,
        requested_to: datetime | None = None,
    ) -> Result[int]:
        """GetReportRequestCount."""
        params = _filters(
            report_types=report_types,
            statuses=statuses,
            dates={"RequestedFromDate": requested_from, "RequestedToDate": requested_to},
        )
        return await self._c.call("GetReportRequestCount", params, _count)

    async def cancel_report_requests(
        self, requests: Sequence[str | ReportRequestInfo], *, recheck: bool = False
    ) -> list[Result[CancelResult]]:
        """CancelReportRequests for exactly these requests, in chunks of 100 (one call each).

        Only a ``_SUBMITTED_`` request can be cancelled (spec §3.2: one that started
        processing cannot), so the client refuses the others itself, before sending.

        Args:
            requests: request ids, or the requests as listed (their status is checked).
            recheck: read the requests first (GetReportRequestList by id, one call per
                100) and leave out those that can no longer be cancelled: they are
                listed, with why, in the first result's ``not_sent``.

        Raises:
            LocalValidationError: (a ValueError) for an empty list, a blank id or an id
                that is not digits — never sent, because an empty ``ReportRequestIdList``
                cancels every request on the account.
            InvalidStateError: code ``NotCancellable``: a request given as listed is not
                ``_SUBMITTED_`` (``_IN_PROGRESS_``, done, cancelled); nothing was sent.
        """
        return await cancel_requests(self, self._c, requests, recheck=recheck)

    async def iter_reports(
        self,
        *,
        report_types: Sequence[str] | None = None,
        acknowledged: bool | None = None,
        request_ids: Sequence[str] | None = None,
        available_from: datetime | None = None,
        available_to: datetime | None = None,
        max_count: int = 100,
    ) -> AsyncIterator[Result[list[ReportInfo]]]:
        """GetReportList then …ByNextToken: one item per page."""
        params = {"MaxCount": _max_count(max_count)}
        if request_ids:
            params |= encode_list(
                "ReportRequestIdList.Id",
                _ids(request_ids, "ReportRequestId", v.report_request_id, "ReportRequestIdList"),
            )
        params |= _filters(
            report_types=report_types,
            acknowledged=acknowledged,
            dates={"AvailableFromDate": available_from, "AvailableToDate": available_to},
        )
        async for page in self._c.iter_pages("GetReportList", params, _reports):
            yield page

    async def report_count(
        self,
        *,
        report_types: Sequence[str] | None = None,
        acknowledged: bool | None = None,
        available_from: datetime | None = None,
        available_to: datetime | None = None,
    ) -> Result[int]:
        """GetReportCount."""
        params = _filters(
            report_types=report_types,
            acknowledged=acknowledged,
            dates={"AvailableFromDate": available_from, "AvailableToDate": available_to},
        )
        return await self._c.call("GetReportCount", params, _count)

    async def download_report(
        self,
        report_id: str,
        dest: Path,
        *,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> Result[ReportDownload]:
        """GetReport into ``dest`` (see ``mwstui.mws.download.download_report``)."""
        return await download_report(self._c, report_id, Path(dest), progress=progress)

    async def report_id_for(self, info: ReportRequestInfo) -> str | None:
        """The ReportId of a ``_DONE_`` request (see ``report_requests.report_id_for``)."""
        return await report_id_for(self, info)

    async def update_report_acknowledgements(
        self, report_ids: Sequence[str], acknowledged: bool = True
    ) -> Result[list[ReportInfo]]:
        """UpdateReportAcknowledgements for up to 100 report ids.

        Raises:
            LocalValidationError: (a ValueError) for an empty list, a blank id, an id that
                is not digits or more ids than one call takes.
        """
        ids = _ids(report_ids, "ReportId", v.report_id, "ReportIdList")
        if not ids:
            raise v.LocalValidationError(
                "ReportId", "UpdateReportAcknowledgements needs at least one ReportId"
            )
        params = encode_list("ReportIdList.Id", ids)
        params["Acknowledged"] = format_bool(acknowledged)
        return await self._c.call("UpdateReportAcknowledgements", params, _reports, items=ids)

    async def manage_report_schedule(
        self, report_type: str, schedule: str, schedule_date: datetime | None = None
    ) -> Result[list[ReportSchedule]]:
        """ManageReportSchedule: create or update; ``_NEVER_`` deletes.

        Raises:
            LocalValidationError: an unknown schedule, a report type the catalog does not
                list as schedulable (any well-formed type may be deleted with ``_NEVER_``),
                or a ScheduleDate further ahead than the catalog allows (366 days) or in
                the past — nothing is sent.
        """
        catalog = load_catalog()
        v.check("Schedule", v.schedule(schedule))
        deleting = catalog.schedules.get(schedule, 0) is None
        v.check("ReportType", v.report_type(report_type, "filter" if deleting else "schedule"))
        report_type = report_type.strip()
        params = {"ReportType": report_type, "Schedule": schedule}
        if schedule_date is not None:
            # A date typed as "now" must survive the wait for a token: the service's own
            # timestamp tolerance is the grace.
            grace = timedelta(seconds=float(catalog.mws_enums["timestamp_tolerance_seconds"]))
            v.check(
                "ScheduleDate", v.schedule_date(schedule_date, self._c.clock.now(), grace=grace)
            )
            params["ScheduleDate"] = format_datetime(schedule_date)
        return await self._c.call("ManageReportSchedule", params, _schedules, items=[report_type])

    async def report_schedules(
        self, *, report_types: Sequence[str] | None = None
    ) -> Result[list[ReportSchedule]]:
        """GetReportScheduleList (following a NextToken, which the docs say never comes)."""
        params = _filters(report_types=report_types)
        schedules: list[ReportSchedule] = []
        last: Result[list[ReportSchedule]] | None = None
        async for page in self._c.iter_pages("GetReportScheduleList", params, _schedules):
            schedules.extend(page.data)
            last = page
        assert last is not None
        return Result(schedules, last.meta)

    async def report_schedule_count(
        self, *, report_types: Sequence[str] | None = None
    ) -> Result[int]:
        """GetReportScheduleCount."""
        return await self._c.call(
            "GetReportScheduleCount", _filters(report_types=report_types), _count
        )
