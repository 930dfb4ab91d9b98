"""The 14 operations of MWS Reports 2009-01-01, answered from a seller's ReportsState.

Element names and order follow the recorded responses (spec/mws.md §6), including
their quirks: ``HasNext`` first (last in the schedule list), ``NextToken`` only when
there is more, and CancelReportRequests infos without ``GeneratedReportId``.
"""

from __future__ import annotations

from mwstui.catalog import load_catalog
from mwstui.sandbox import report_bodies, sized_report
from mwstui.sandbox.mws.call import Call, Handler, RawResult, XmlResult
from mwstui.sandbox.mws.fault import MWSFault, invalid
from mwstui.sandbox.mws.paging import Page
from mwstui.sandbox.mws.params import Params, now_tolerance_check
from mwstui.sandbox.mws.reports_state import NEVER, Report, ReportRequest, Schedule
from mwstui.sandbox.mws.xml_render import Node, boolean, reports_date

DAY = 86400.0
RETENTION = 90 * DAY
"""Reports and requests are listed (and downloadable) for 90 days."""

_CATALOG = load_catalog()
_ENUMS = _CATALOG.mws_enums
_STATUSES = tuple(_ENUMS["report_processing_status"])
_MAX_IDS = int(_ENUMS["limits"]["ReportRequestIdList"])
_MAX_COUNT = int(_ENUMS["limits"]["MaxCount"])
_MAX_AHEAD = float(_ENUMS["schedule_date_max_days_ahead"]) * DAY
_PAGE = _CATALOG.sections["reports"].page_size


def request_info(r: ReportRequest, now: float, *, generated: bool = True) -> list[Node]:
    """A ``ReportRequestInfo``'s children, in the recorded order."""
    started, completed = r.started_processing(now), r.completed(now)
    return [
        ("ReportType", r.report_type),
        ("ReportProcessingStatus", r.status(now)),
        ("EndDate", reports_date(r.end_date)),
        ("Scheduled", boolean(r.scheduled)),
        ("ReportRequestId", r.request_id),
        ("StartedProcessingDate", None if started is None else reports_date(started)),
        ("SubmittedDate", reports_date(r.submitted)),
        ("StartDate", reports_date(r.start_date)),
        ("CompletedDate", None if completed is None else reports_date(completed)),
        ("GeneratedReportId", r.generated_report_id(now) if generated else None),
    ]


def report_info(r: Report) -> list[Node]:
    """A ``ReportInfo``'s children, in the recorded order."""
    ack = None if r.acknowledged_date is None else reports_date(r.acknowledged_date)
    return [
        ("ReportType", r.report_type),
        ("Acknowledged", boolean(r.acknowledged)),
        ("AcknowledgedDate", ack),
        ("ReportId", r.report_id),
        ("ReportRequestId", r.request_id),
        ("AvailableDate", reports_date(r.available)),
    ]


def schedule_info(s: Schedule) -> list[Node]:
    return [
        ("ReportType", s.report_type),
        ("Schedule", s.schedule),
        ("ScheduledDate", reports_date(s.next_date)),
    ]


def _statuses(p: Params) -> list[str]:
    values = p.numbered("ReportProcessingStatusList.Status")
    for v in values:
        if v not in _STATUSES:
            raise invalid(f"Value {v} for parameter ReportProcessingStatusList is invalid.")
    return values


def _ids(p: Params, prefix: str, name: str) -> list[str]:
    ids = p.numbered(prefix)
    if len(ids) > _MAX_IDS:
        raise invalid(f"Parameter {name} may hold at most {_MAX_IDS} values.")
    return ids


def _window(p: Params, since: str, until: str, now: float) -> tuple[float, float]:
    frm = p.date(since)
    to = p.date(until)
    frm = now - RETENTION if frm is None else frm
    to = now if to is None else to
    if frm > to:
        raise invalid(f"{since} must be earlier than {until}.")
    return frm, to


def _max_count(p: Params) -> int:
    return p.integer("MaxCount", 10, 1, _MAX_COUNT) or 10


def _request_page(call: Call, page: Page) -> XmlResult:
    has_next = page.next_token is not None
    out: list[Node] = [("HasNext", boolean(has_next)), ("NextToken", page.next_token)]
    reqs = call.seller.reports.requests
    out += [("ReportRequestInfo", request_info(reqs[i], call.now)) for i in page.ids]
    return XmlResult(out)


def _report_page(call: Call, page: Page) -> XmlResult:
    has_next = page.next_token is not None
    out: list[Node] = [("HasNext", boolean(has_next)), ("NextToken", page.next_token)]
    reps = call.seller.reports.reports
    out += [("ReportInfo", report_info(reps[i])) for i in page.ids]
    return XmlResult(out)


def _type(p: Params, *, schedulable: bool = False) -> str:
    name = p.required("ReportType")
    known = _CATALOG.report_types
    info = next((t for t in known if t.type == name), None)
    if info is None:
        raise MWSFault(400, "InvalidReportType", f"Invalid report type {name}.")
    if schedulable and not info.schedulable:
        raise MWSFault(400, "InvalidReportType", f"Report type {name} cannot be scheduled.")
    if not schedulable and not info.requestable:
        raise MWSFault(400, "InvalidReportType", f"Report type {name} cannot be requested.")
    return name


def request_report(call: Call) -> XmlResult:
    p, now = call.params, call.now
    report_type = _type(p)
    start, end = p.date("StartDate"), p.date("EndDate")
    now_tolerance_check(start, now, "StartDate")
    now_tolerance_check(end, now, "EndDate")
    end = now if end is None else end
    start = min(now, end) if start is None else start
    if start > end:
        raise invalid("StartDate must be earlier than EndDate.")
    legacy = p.get("Marketplace")
    markets = p.numbered("MarketplaceIdList.Id") or ([legacy] if legacy else [])
    for m in markets:
        if m not in call.seller.account.marketplaces:
            raise invalid(f"Value {m} for parameter MarketplaceIdList is invalid.")
    req = call.seller.reports.add_request(
        report_type,
        submitted=now,
        start_date=start,
        end_date=end,
        options=p.get("ReportOptions"),
        marketplaces=markets,
    )
    return XmlResult([("ReportRequestInfo", request_info(req, now))])


def _find_requests(call: Call, *, with_ids: bool = True) -> list[ReportRequest]:
    p = call.params
    ids = _ids(p, "ReportRequestIdList.Id", "ReportRequestIdList") if with_ids else []
    statuses = _statuses(p)
    frm, to = _window(p, "RequestedFromDate", "RequestedToDate", call.now)
    return call.seller.reports.find_requests(
        ids=ids,
        types=p.numbered("ReportTypeList.Type"),
        statuses=statuses,
        since=frm,
        until=to,
        now=call.now,
    )


def get_report_request_list(call: Call) -> XmlResult:
    count = _max_count(call.params)
    found = [r.request_id for r in _find_requests(call)]
    return _request_page(
        call, call.seller.tokens.first_page(call.seller_id, "requests", found, count)
    )


def get_report_request_list_by_next_token(call: Call) -> XmlResult:
    token = call.params.required("NextToken")
    return _request_page(
        call, call.seller.tokens.next_page(call.seller_id, "requests", token, _PAGE)
    )


def get_report_request_count(call: Call) -> XmlResult:
    return XmlResult([("Count", str(len(_find_requests(call, with_ids=False))))])


def cancel_report_requests(call: Call) -> XmlResult:
    ids = _ids(call.params, "ReportRequestIdList.Id", "ReportRequestIdList")
    state = call.seller.reports
    if ids and any(i not in state.requests for i in ids):
        raise MWSFault(
            400,
            "InvalidReportRequestId",
            "One or more of the provided ReportRequestIds could not be found.",
        )
    found = _find_requests(call)
    state.cancel(found, call.now)
    out: list[Node] = [("Count", str(len(found)))]
    # Recorded: the infos of a cancel carry no GeneratedReportId, even for _DONE_ ones.
    out += [("ReportRequestInfo", request_info(r, call.now, generated=False)) for r in found[:100]]
    return XmlResult(out)


def _find_reports(call: Call, *, with_ids: bool = True) -> list[Report]:
    p = call.params
    ids = _ids(p, "ReportRequestIdList.Id", "ReportRequestIdList") if with_ids else []
    frm, to = _window(p, "AvailableFromDate", "AvailableToDate", call.now)
    return call.seller.reports.find_reports(
        request_ids=ids,
        types=p.numbered("ReportTypeList.Type"),
        acknowledged=p.boolean("Acknowledged"),
        since=frm,
        until=to,
        now=call.now,
    )


def get_report_list(call: Call) -> XmlResult:
    count = _max_count(call.params)
    found = [r.report_id for r in _find_reports(call)]
    return _report_page(
        call, call.seller.tokens.first_page(call.seller_id, "reports", found, count)
    )


def get_report_list_by_next_token(call: Call) -> XmlResult:
    token = call.params.required("NextToken")
    return _report_page(call, call.seller.tokens.next_page(call.seller_id, "reports", token, _PAGE))


def get_report_count(call: Call) -> XmlResult:
    return XmlResult([("Count", str(len(_find_reports(call, with_ids=False))))])


def get_report(call: Call) -> RawResult:
    rid = call.params.required("ReportId")
    if not rid.isdigit():
        raise invalid(f"Value {rid} for parameter ReportId is invalid.")
    state = call.seller.reports
    rep = state.reports.get(rid)
    if rep is None or rep.available > call.now:
        raise MWSFault(400, "InvalidReportId", f"Report {rid} could not be found.")
    if rep.available < call.now - RETENTION:
        raise MWSFault(400, "ReportNoLongerAvailable", f"Report {rid} is no longer available.")
    from mwstui.mws.signing import content_md5

    ctype = report_bodies.content_type(rep.report_type)
    req = state.requests.get(rep.request_id or "")
    size = sized_report.requested_size(req.options if req is not None else None)
    if size is not None:  # a large report: streamed, never held in memory
        sized = sized_report.SizedReport(rep.report_id, rep.report_type, rep.available, size)
        headers = [("Content-MD5", sized.content_md5()), ("x-amz-request-id", call.request_id)]
        ctype = "text/plain;charset=utf-8"
        return RawResult(b"", ctype, headers, stream=sized.stream())
    body = state.body(rep)
    headers = [("Content-MD5", content_md5(body)), ("x-amz-request-id", call.request_id)]
    return RawResult(body, ctype, headers)


def manage_report_schedule(call: Call) -> XmlResult:
    p, now = call.params, call.now
    report_type = _type(p, schedulable=True)
    schedule = p.required("Schedule")
    if schedule not in _CATALOG.schedules:
        raise MWSFault(400, "InvalidScheduleFrequency", f"Invalid schedule {schedule}.")
    when = p.date("ScheduleDate")
    if when is not None and when > now + _MAX_AHEAD:
        raise invalid("ScheduleDate cannot be more than 366 days in the future.")
    if when is not None and when < now - 900 and schedule != NEVER:
        raise invalid("ScheduleDate cannot be in the past.")
    changed = call.seller.reports.manage_schedule(report_type, schedule, when, now)
    out: list[Node] = [("ReportSchedule", schedule_info(s)) for s in changed]
    out.append(("Count", str(len(changed))))
    return XmlResult(out)


def _schedules(call: Call) -> list[Schedule]:
    return call.seller.reports.find_schedules(call.params.numbered("ReportTypeList.Type"))


def _schedule_page(call: Call, page: Page) -> XmlResult:
    state = call.seller.reports.schedules
    out: list[Node] = [("ReportSchedule", schedule_info(state[t])) for t in page.ids if t in state]
    out.append(("HasNext", boolean(page.next_token is not None)))
    out.append(("NextToken", page.next_token))
    return XmlResult(out)


def get_report_schedule_list(call: Call) -> XmlResult:
    types = [s.report_type for s in _schedules(call)]
    page = call.seller.tokens.first_page(call.seller_id, "schedules", types, _PAGE)
    return _schedule_page(call, page)


def get_report_schedule_list_by_next_token(call: Call) -> XmlResult:
    token = call.params.required("NextToken")
    return _schedule_page(
        call, call.seller.tokens.next_page(call.seller_id, "schedules", token, _PAGE)
    )


def get_report_schedule_count(call: Call) -> XmlResult:
    return XmlResult([("Count", str(len(_schedules(call))))])


def update_report_acknowledgements(call: Call) -> XmlResult:
    p = call.params
    ids = p.numbered("ReportIdList.Id")
    if not ids:
        raise invalid("Parameter ReportIdList is required but was not supplied.")
    if len(ids) > int(_ENUMS["limits"]["ReportIdList"]):
        raise invalid("Parameter ReportIdList may hold at most 100 values.")
    value = p.boolean("Acknowledged", True)
    done = call.seller.reports.acknowledge(ids, bool(value), call.now)
    out: list[Node] = [("Count", str(len(done)))]
    out += [("ReportInfo", report_info(r)) for r in done]
    return XmlResult(out)


HANDLERS: dict[str, Handler] = {
    "RequestReport": request_report,
    "GetReportRequestList": get_report_request_list,
    "GetReportRequestListByNextToken": get_report_request_list_by_next_token,
    "GetReportRequestCount": get_report_request_count,
    "CancelReportRequests": cancel_report_requests,
    "GetReportList": get_report_list,
    "GetReportListByNextToken": get_report_list_by_next_token,
    "GetReportCount": get_report_count,
    "GetReport": get_report,
    "ManageReportSchedule": manage_report_schedule,
    "GetReportScheduleList": get_report_schedule_list,
    "GetReportScheduleListByNextToken": get_report_schedule_list_by_next_token,
    "GetReportScheduleCount": get_report_schedule_count,
    "UpdateReportAcknowledgements": update_report_acknowledgements,
}
"""Operation name → handler; the app checks it covers the catalog's Reports section."""
