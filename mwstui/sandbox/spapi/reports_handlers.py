"""Reports 2021-06-30 operations (spec §5): validation, then the seller's report state.

Choices where the spec is silent, made once here: cancelling a report that is not
IN_QUEUE is 400 InvalidInput (§5.5); an unknown id is 404 NotFound (the model's 404);
``createdSince`` more than 90 days back or after ``createdUntil`` is 400 (stricter
than a silent clamp, so a client's mistake shows); a settlement report cannot be
requested or scheduled and answers 429 QuotaExceeded, as observed (§4.1, §8.6).
"""

from __future__ import annotations

from typing import Any

from mwstui.catalog import load_catalog
from mwstui.sandbox.spapi.call import Handler, SpCall, SpResult
from mwstui.sandbox.spapi.errors import (
    UNDECODABLE_PAGE_MARKER,
    invalid,
    not_found,
    quota_exceeded,
)
from mwstui.sandbox.spapi.reports_state import Report, Schedule
from mwstui.sandbox.spapi.wire import (
    csv_values,
    parse_time,
    read_json_object,
    report_time,
)

DAY = 86400.0
_GET_REPORTS_PARAMS = (
    "reportTypes",
    "processingStatuses",
    "marketplaceIds",
    "pageSize",
    "createdSince",
    "createdUntil",
)


def _limit(key: str) -> int:
    return load_catalog().spapi.limit(key)


def report_json(r: Report, now: float) -> dict[str, Any]:
    status = r.status(now)
    out: dict[str, Any] = {
        "marketplaceIds": list(r.marketplaces),
        "reportId": r.report_id,
        "reportType": r.report_type,
        "dataStartTime": report_time(r.data_start),
        "dataEndTime": report_time(r.data_end),
    }
    if r.schedule_id is not None:
        out["reportScheduleId"] = r.schedule_id
    out["createdTime"] = report_time(r.created)
    out["processingStatus"] = status
    if r.cancelled_at is None and now >= r.starts:
        out["processingStartTime"] = report_time(r.starts)
        if now >= r.completes:
            out["processingEndTime"] = report_time(r.completes)
    doc = r.document(now)
    if doc is not None:
        out["reportDocumentId"] = doc
    return out


def schedule_json(s: Schedule) -> dict[str, Any]:
    out: dict[str, Any] = {
        "reportScheduleId": s.schedule_id,
        "reportType": s.report_type,
        "marketplaceIds": list(s.marketplaces),
        "period": s.period,
        "nextReportCreationTime": report_time(s.next_time),
    }
    if s.options:
        out["reportOptions"] = dict(s.options)
    return out


def _known_type(report_type: object, *, schedule: bool) -> str:
    if not isinstance(report_type, str) or not report_type:
        raise invalid("reportType is required.")
    rt = next((t for t in load_catalog().spapi.report_types if t.type == report_type), None)
    if rt is None:
        raise invalid(f"Invalid reportType: {report_type}.")
    if "SETTLEMENT" in report_type:
        raise quota_exceeded()
    if schedule and not rt.schedulable:
        raise invalid(f"Creation of report schedule type {report_type} is not allowed at this time")
    if not schedule and not rt.requestable:
        raise quota_exceeded()
    return report_type


def _marketplaces(call: SpCall, value: object, most: int) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise invalid("marketplaceIds is required: a list of 1 to 25 marketplace ids.")
    if len(value) > most:
        raise invalid(f"marketplaceIds accepts at most {most} values, {len(value)} were sent.")
    foreign = [m for m in value if m not in call.seller.marketplaces]
    if foreign:
        raise invalid(f"Invalid marketplaceIds: {', '.join(foreign)}.")
    return list(dict.fromkeys(value))


def _options(value: object) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise invalid("reportOptions must map strings to strings.")
    return dict(value)


def _body_time(data: dict[str, Any], name: str) -> float | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid(f"Invalid {name}.")
    return parse_time(name, value)


def get_reports(call: SpCall) -> SpResult:
    q, now, seller = call.query, call.now, call.seller
    if "nextToken" in q:
        extra = [n for n in dict.fromkeys(call.query_names) if n != "nextToken"]
        if extra:
            raise invalid(
                "NextToken cannot be specified with other input parameters",
                ";".join(reversed(extra)),
            )
        page = seller.pages.redeem(seller.seller_id, "getReports", q["nextToken"])
        if page is None:
            raise invalid(UNDECODABLE_PAGE_MARKER)
    else:
        if "reportTypes" not in q:
            raise invalid("Either reportTypes or nextToken is required.")
        types = csv_values(
            "reportTypes", q["reportTypes"], most=_limit("getReports.reportTypes.max")
        )
        statuses: list[str] = []
        if "processingStatuses" in q:
            statuses = csv_values("processingStatuses", q["processingStatuses"], most=100)
            known = set(load_catalog().spapi.enum("report_processing_status"))
            bad = [s for s in statuses if s not in known]
            if bad:
                raise invalid(f"Invalid input in processing status: {', '.join(bad)}")
        markets: list[str] = []
        if "marketplaceIds" in q:
            markets = csv_values(
                "marketplaceIds", q["marketplaceIds"], most=_limit("getReports.marketplaceIds.max")
            )
        size = _page_size(q.get("pageSize"))
        days = _limit("getReports.createdSince.max_days")
        since = (
            parse_time("createdSince", q["createdSince"])
            if "createdSince" in q
            else now - days * DAY
        )
        until = parse_time("createdUntil", q["createdUntil"]) if "createdUntil" in q else now
        if since < now - days * DAY - 60:
            raise invalid(f"createdSince cannot be more than {days} days in the past.")
        if since > until:
            raise invalid("createdSince is after createdUntil.")
        found = seller.reports.find(
            types=types, statuses=statuses, marketplaces=markets, since=since, until=until, now=now
        )
        page = seller.pages.first(
            seller.seller_id, "getReports", [r.report_id for r in found], size
        )
    reports = [report_json(seller.reports.reports[i], now) for i in page.ids]
    data: dict[str, Any] = {"reports": reports}
    if page.next_token:
        data["nextToken"] = page.next_token
    return SpResult(200, data)


def _page_size(text: str | None) -> int:
    if text is None:
        return _limit("getReports.pageSize.default")
    top = _limit("getReports.pageSize.max")
    if not text.isdigit() or not 1 <= int(text) <= top:
        raise invalid(f"pageSize must be an integer from 1 to {top}.")
    return int(text)


def create_report(call: SpCall) -> SpResult:
    data = read_json_object(call.body)
    rtype = _known_type(data.get("reportType"), schedule=False)
    markets = _marketplaces(
        call, data.get("marketplaceIds"), _limit("createReport.marketplaceIds.max")
    )
    options = _options(data.get("reportOptions"))
    start, end = _body_time(data, "dataStartTime"), _body_time(data, "dataEndTime")
    now = call.now
    for name, value in (("dataStartTime", start), ("dataEndTime", end)):
        if value is not None and value > now + 60:
            raise invalid(f"{name} cannot be in the future.")
    if start is not None and end is not None and start > end:
        raise invalid("dataStartTime is after dataEndTime")
    rep = call.seller.reports.create(
        rtype, markets, created=now, data_start=start, data_end=end, options=options
    )
    return SpResult(202, {"reportId": rep.report_id})


def _report(call: SpCall) -> Report:
    rid = call.path["reportId"]
    if not rid:
        raise invalid("reportId is required.")
    rep = call.seller.reports.get(rid, call.now)
    if rep is None:
        raise not_found(f"Report {rid} not found.")
    return rep


def get_report(call: SpCall) -> SpResult:
    return SpResult(200, report_json(_report(call), call.now))


def cancel_report(call: SpCall) -> SpResult:
    rep = _report(call)
    if not call.seller.reports.cancel(rep, call.now):
        status = rep.status(call.now)
        raise invalid(
            f"Report {rep.report_id} cannot be cancelled: its processingStatus is {status}; "
            "only IN_QUEUE reports can be cancelled."
        )
    return SpResult(200, None)


def get_report_schedules(call: SpCall) -> SpResult:
    if "reportTypes" not in call.query:
        raise invalid("reportTypes is required.")
    types = set(
        csv_values(
            "reportTypes",
            call.query["reportTypes"],
            most=_limit("getReportSchedules.reportTypes.max"),
        )
    )
    found = [s for s in call.seller.reports.schedules.values() if s.report_type in types]
    return SpResult(200, {"reportSchedules": [schedule_json(s) for s in found]})


def create_report_schedule(call: SpCall) -> SpResult:
    data = read_json_object(call.body)
    rtype = _known_type(data.get("reportType"), schedule=True)
    markets = _marketplaces(
        call, data.get("marketplaceIds"), _limit("createReportSchedule.marketplaceIds.max")
    )
    period = data.get("period")
    if period not in load_catalog().spapi.periods():
        raise invalid(f"Invalid period: {period}.")
    options = _options(data.get("reportOptions"))
    when = _body_time(data, "nextReportCreationTime")
    sched, _replaced = call.seller.reports.add_schedule(
        rtype, markets, str(period), call.now if when is None else when, options
    )
    return SpResult(201, {"reportScheduleId": sched.schedule_id})


def _schedule(call: SpCall) -> Schedule:
    sid = call.path["reportScheduleId"]
    if not sid:
        raise invalid("reportScheduleId is required.")
    sched = call.seller.reports.schedules.get(sid)
    if sched is None:
        raise not_found(f"Report schedule {sid} not found.")
    return sched


def get_report_schedule(call: SpCall) -> SpResult:
    return SpResult(200, schedule_json(_schedule(call)))


def cancel_report_schedule(call: SpCall) -> SpResult:
    sched = _schedule(call)
    del call.seller.reports.schedules[sched.schedule_id]
    return SpResult(200, None)


def get_report_document(call: SpCall) -> SpResult:
    doc_id = call.path["reportDocumentId"]
    if not doc_id:
        raise invalid("reportDocumentId is required.")
    reports = call.seller.reports
    rid = reports.documents.get(doc_id)
    rep = reports.get(rid, call.now) if rid else None
    if rep is None or rep.document(call.now) != doc_id:
        raise not_found(f"Report document {doc_id} not found.")
    flag = call.query.get("enableContentEncodingUrlHeader", "false").lower()
    if flag not in ("true", "false"):
        raise invalid("enableContentEncodingUrlHeader must be true or false.")
    gzip_header = flag == "true" and rep.compression is not None
    url = call.signer.url(call.base_url, doc_id, call.now, content_encoding=gzip_header)
    data: dict[str, Any] = {"reportDocumentId": doc_id, "url": url}
    if rep.compression is not None:
        data["compressionAlgorithm"] = rep.compression
    return SpResult(200, data)


HANDLERS: dict[str, Handler] = {
    "getReports": get_reports,
    "createReport": create_report,
    "getReport": get_report,
    "cancelReport": cancel_report,
    "getReportSchedules": get_report_schedules,
    "createReportSchedule": create_report_schedule,
    "getReportSchedule": get_report_schedule,
    "cancelReportSchedule": cancel_report_schedule,
    "getReportDocument": get_report_document,
}
