"""Reports API 2021-06-30: typed operations over the SP-API client's send path.

Everything Amazon would refuse is refused here first, before a token is spent: more than
10 report types, a ``createdSince`` older than 90 days, an unknown period, a cancel of a
report that is not ``IN_QUEUE``. ``nextToken`` travels alone (spec §8.1).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from mwstui.calls import Result
from mwstui.catalog import load_catalog
from mwstui.errors import InvalidStateError, MalformedResponseError
from mwstui.spapi import parsing
from mwstui.spapi.documents import Progress, download_document
from mwstui.spapi.errors import with_hint
from mwstui.spapi.models import DocumentDownload, Report, ReportDocument, ReportSchedule
from mwstui.validation import LocalValidationError, check

if TYPE_CHECKING:
    from mwstui.spapi.client import SPAPIClient
    from mwstui.spapi.http import QueryValue

T = TypeVar("T")
_TYPE_SHAPE = re.compile(r"^[A-Z0-9_]+$")
_ID_SHAPE = re.compile(r"^[^\x00-\x1f\x7f/?#]{1,200}$")


def parsed(result: Result[Any], parse: Callable[[Any], T]) -> Result[T]:
    """``parse`` the JSON of ``result``; a malformed answer names the call and request id."""
    try:
        return Result(parse(result.data), result.meta)
    except MalformedResponseError as exc:
        raise with_hint(
            MalformedResponseError(
                exc.code,
                exc.message,
                request_id=result.meta.request_id,
                http_status=result.meta.http_status,
                operation=result.meta.operation,
            )
        ) from None


def ensure(ok: bool, field: str, message: str) -> None:
    """Refuse ``field`` with ``message`` (LocalValidationError) unless ``ok``."""
    check(field, None if ok else message)


def _limit(key: str) -> int:
    return load_catalog().spapi.limit(key)


def identifier(field: str, value: str) -> str:
    """A stripped id safe in a URL path segment (LocalValidationError otherwise)."""
    value = (value or "").strip()
    check(field, None if _ID_SHAPE.match(value) else f"{field} is blank or not a valid id")
    return value


def checked_types(values: Sequence[str], purpose: str) -> list[str]:
    """Stripped, de-duplicated report types; a type the catalog refuses for ``purpose`` is
    refused (unknown well-formed types pass: Amazon has more than the UI offers)."""
    known = {t.type: t for t in load_catalog().spapi.report_types}
    out: list[str] = []
    for raw in values:
        t = raw.strip()
        ensure(bool(_TYPE_SHAPE.match(t)), "reportType", f"reportType {t!r} is not valid")
        info = known.get(t)
        if info is not None and purpose == "request" and not info.requestable:
            raise LocalValidationError("reportType", f"{t} cannot be requested ({info.note})")
        if info is not None and purpose == "schedule" and not info.schedulable:
            raise LocalValidationError("reportType", f"{t} cannot be scheduled")
        if t not in out:
            out.append(t)
    return out


def marketplaces(values: Sequence[str], most: int) -> list[str]:
    ids = [m.strip() for m in values if m.strip()]
    check("marketplaceIds", None if ids else "at least one marketplace id is required")
    check("marketplaceIds", None if len(ids) <= most else f"at most {most} marketplace ids")
    for m in ids:
        check("marketplaceIds", None if _TYPE_SHAPE.match(m) else f"marketplace id {m!r}")
    return list(dict.fromkeys(ids))


def _options(options: Mapping[str, str] | None) -> dict[str, str]:
    # The model's ReportOptions is a map of strings: "true", not true (spec §5.1).
    return {str(k): str(v) for k, v in (options or {}).items()}


def _chunks(values: list[str], size: int) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)] or [[]]


class ReportsAPI:
    """``client.reports``: every Reports 2021-06-30 operation."""

    def __init__(self, client: SPAPIClient) -> None:
        self._c = client

    # -- reports ----------------------------------------------------------------------------

    async def iter_reports(
        self,
        report_types: Sequence[str],
        *,
        statuses: Sequence[str] = (),
        marketplace_ids: Sequence[str] = (),
        created_since: datetime | None = None,
        created_until: datetime | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[Result[list[Report]]]:
        """getReports, every page; more than 10 types are listed 10 at a time.

        Raises:
            LocalValidationError: no type, a status outside the enum, more than 10
                marketplaces, a page size outside 1–100, ``created_since`` more than 90 days
                ago or after ``created_until`` — nothing sent.
        """
        types = checked_types(report_types, "filter")
        check("reportTypes", None if types else "at least one report type is required")
        sp = load_catalog().spapi
        for s in statuses:
            ensure(
                s in sp.enum("report_processing_status"),
                "processingStatuses",
                f"unknown processing status {s!r}",
            )
        most = _limit("getReports.pageSize.max")
        ensure(1 <= page_size <= most, "pageSize", f"pageSize must be 1–{most}")
        days = _limit("getReports.createdSince.max_days")
        now = self._c.clock.now()
        if created_since is not None:
            # Checked at call time; the governor's wait could still age it a little, so the
            # UI should offer "90 days" as a few minutes less (Amazon's cut-off, unverified).
            ensure(
                created_since >= now - timedelta(days=days),
                "createdSince",
                f"createdSince must be within the last {days} days (reports are kept {days})",
            )
        if created_since and created_until:
            ensure(
                created_until >= created_since,
                "createdUntil",
                "createdUntil is before createdSince",
            )
        query: list[tuple[str, QueryValue]] = []
        if statuses:
            query.append(("processingStatuses", list(dict.fromkeys(statuses))))
        if marketplace_ids:
            query.append(
                (
                    "marketplaceIds",
                    marketplaces(marketplace_ids, _limit("getReports.marketplaceIds.max")),
                )
            )
        query.append(("pageSize", str(page_size)))
        if created_since:
            query.append(("createdSince", parsing.format_datetime(created_since)))
        if created_until:
            query.append(("createdUntil", parsing.format_datetime(created_until)))
        for chunk in _chunks(types, _limit("getReports.reportTypes.max")):
            page = parsed(
                await self._c.send("getReports", query=[("reportTypes", chunk), *query]),
                parsing.reports_page,
            )
            yield page
            seen: set[str] = set()
            while (token := page.meta.next_token) is not None:
                if token in seen:  # spec §8.16: a server bug handed the same page back
                    raise MalformedResponseError(
                        "NextTokenRepeated", "Amazon returned a nextToken twice",
                        operation="getReports", request_id=page.meta.request_id,
                    )  # fmt: skip
                seen.add(token)
                # nextToken must be the only parameter (spec §5.2, §8.1).
                page = parsed(
                    await self._c.send("getReports", query=[("nextToken", token)]),
                    parsing.reports_page,
                )
                yield page

    async def create_report(
        self,
        report_type: str,
        marketplace_ids: Sequence[str] | None = None,
        *,
        data_start_time: datetime | None = None,
        data_end_time: datetime | None = None,
        report_options: Mapping[str, str] | None = None,
    ) -> Result[str]:
        """createReport; returns the new ``reportId`` (202).

        Raises:
            LocalValidationError: a type the catalog marks not requestable, no marketplace,
                more than 25, a start after the end or a date in the future — nothing sent.
        """
        (rtype,) = checked_types([report_type], "request") or [""]
        mids = marketplaces(
            marketplace_ids or self._c.marketplace_ids, _limit("createReport.marketplaceIds.max")
        )
        now = self._c.clock.now()
        body: dict[str, Any] = {"reportType": rtype, "marketplaceIds": mids}
        for name, value in (("dataStartTime", data_start_time), ("dataEndTime", data_end_time)):
            if value is not None:
                # 5 minutes of grace: a time typed as "now" ages while the token comes.
                ensure(value <= now + timedelta(minutes=5), name, f"{name} is in the future")
                body[name] = parsing.format_datetime(value)
        if data_start_time and data_end_time:
            ensure(
                data_end_time >= data_start_time,
                "dataEndTime",
                "dataStartTime is after dataEndTime",
            )
        if report_options:
            body["reportOptions"] = _options(report_options)
        result = await self._c.send("createReport", body=body, items=[rtype])
        return parsed(result, lambda d: parsing.created_id(d, "reportId"))

    async def get_report(self, report_id: str) -> Result[Report]:
        """getReport."""
        rid = identifier("reportId", report_id)
        return parsed(await self._c.send("getReport", path={"reportId": rid}), parsing.report)

    async def cancel_report(self, report_id: str, *, status: str | None = None) -> Result[None]:
        """cancelReport, only for an ``IN_QUEUE`` report (spec §5.5).

        Args:
            report_id: the report.
            status: its status when the caller just read it; otherwise it is read first.

        Raises:
            InvalidStateError: the report is not ``IN_QUEUE`` (code ``NotCancellable``;
                nothing sent).
        """
        rid = identifier("reportId", report_id)
        if status is None:
            status = str((await self.get_report(rid)).data.processing_status)
        if not load_catalog().spapi.report_cancellable(status):
            raise with_hint(
                InvalidStateError(
                    "NotCancellable",
                    f"report {rid} is {status or 'of unknown status'}: "
                    "only IN_QUEUE reports can be cancelled",
                    operation="cancelReport",
                ),
                "A report that started cannot be stopped; it ends DONE, CANCELLED or FATAL.",
            )
        result = await self._c.send("cancelReport", path={"reportId": rid}, items=[rid])
        return Result(None, result.meta)

    # -- schedules --------------------------------------------------------------------------

    async def list_schedules(self, report_types: Sequence[str]) -> Result[list[ReportSchedule]]:
        """getReportSchedules for these types (required), 10 types per call."""
        types = checked_types(report_types, "filter")
        ensure(bool(types), "reportTypes", "getReportSchedules needs report types")
        found: list[ReportSchedule] = []
        last = None
        for chunk in _chunks(types, _limit("getReportSchedules.reportTypes.max")):
            last = await self._c.send("getReportSchedules", query=[("reportTypes", chunk)])
            found += parsed(last, parsing.schedules).data
        assert last is not None
        return Result(found, last.meta)

    async def create_schedule(
        self,
        report_type: str,
        period: str,
        marketplace_ids: Sequence[str] | None = None,
        *,
        next_report_creation_time: datetime | None = None,
        report_options: Mapping[str, str] | None = None,
    ) -> Result[str]:
        """createReportSchedule; returns the ``reportScheduleId`` (201).

        A schedule for the same type and marketplaces is cancelled and replaced by Amazon
        (spec §5.7): the caller's confirmation must say so.
        """
        (rtype,) = checked_types([report_type], "schedule") or [""]
        periods = load_catalog().spapi.periods()
        ensure(period in periods, "period", f"period {period!r} is not one of {', '.join(periods)}")
        mids = marketplaces(
            marketplace_ids or self._c.marketplace_ids,
            _limit("createReportSchedule.marketplaceIds.max"),
        )
        body: dict[str, Any] = {"reportType": rtype, "period": period, "marketplaceIds": mids}
        if next_report_creation_time is not None:
            body["nextReportCreationTime"] = parsing.format_datetime(next_report_creation_time)
        if report_options:
            body["reportOptions"] = _options(report_options)
        result = await self._c.send("createReportSchedule", body=body, items=[rtype])
        return parsed(result, lambda d: parsing.created_id(d, "reportScheduleId"))

    async def get_schedule(self, schedule_id: str) -> Result[ReportSchedule]:
        sid = identifier("reportScheduleId", schedule_id)
        result = await self._c.send("getReportSchedule", path={"reportScheduleId": sid})
        return parsed(result, parsing.schedule)

    async def cancel_schedule(self, schedule_id: str) -> Result[None]:
        sid = identifier("reportScheduleId", schedule_id)
        result = await self._c.send(
            "cancelReportSchedule", path={"reportScheduleId": sid}, items=[sid]
        )
        return Result(None, result.meta)

    # -- documents --------------------------------------------------------------------------

    async def get_document(self, document_id: str) -> Result[ReportDocument]:
        """getReportDocument: a pre-signed URL that expires after about five minutes."""
        did = identifier("reportDocumentId", document_id)
        result = await self._c.send("getReportDocument", path={"reportDocumentId": did})
        fetched = self._c.clock.time()
        return parsed(result, lambda d: parsing.document(d, fetched))

    async def download_document(
        self,
        document_id: str,
        dest: Path,
        *,
        progress: Progress | None = None,
        max_bytes: int | None = None,
    ) -> Result[DocumentDownload]:
        """Save a document to ``dest`` (see ``mwstui.spapi.documents``)."""
        return await download_document(
            self, document_id, Path(dest), progress=progress, max_bytes=max_bytes
        )

    @property
    def client(self) -> SPAPIClient:
        return self._c
