"""Ground truth: every recorded real MWS exchange through the parser and through the client.

Each file in ``tests/fixtures/mws-recorded`` must be handled: a success becomes its model
with the expected content, an error becomes the right exception with its request id, a
GetReport body recomputes its Content-MD5. A new fixture nobody handles fails the test.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from mwstui.calls import Result
from mwstui.clock import FakeClock
from mwstui.errors import ApiError, InvalidParameterError, NotFoundError
from mwstui.mws import fulfillment, reports
from mwstui.mws.client import MWSClient
from mwstui.mws.errors import make_error, read_error
from mwstui.mws.models import (
    CancelResult,
    ReportDownload,
    ReportInfo,
    ReportRequestInfo,
    ReportSchedule,
    ServiceStatus,
)
from mwstui.mws.parsing import parse_datetime, parse_document
from mwstui.mws.signing import content_md5
from tests.unit.mws_fakes import make_client

T = TypeVar("T")
FIXTURE_DIR = Path(__file__).parent.parent / "fixtures" / "mws-recorded"
FIXTURES = sorted(FIXTURE_DIR.glob("*.json"))
PARSERS: dict[str, Callable[[Any], Any]] = {**reports.PARSERS, **fulfillment.PARSERS}
AUTH = {"AWSAccessKeyId", "MWSAuthToken", "SellerId", "Signature", "SignatureMethod",
        "SignatureVersion", "Timestamp"}  # fmt: skip

# What each recorded answer must turn into (checked item by item, not just "parsed").
EXPECTED_ERRORS: dict[str, tuple[type[ApiError], str]] = {
    "any--unknown-path-404": (InvalidParameterError, "InvalidAddress"),
    "reports--should-throw-error-on-invalid-report-request-ids": (
        NotFoundError,
        "InvalidReportRequestId",
    ),
}


def _infos(n: int, first_id: str) -> Callable[[Any], None]:
    def check(data: Any) -> None:
        assert isinstance(data, list) and len(data) == n
        assert all(isinstance(i, ReportRequestInfo) for i in data)
        assert data[0].report_request_id == first_id

    return check


def _list(cls: type, n: int) -> Callable[[Any], None]:
    def check(data: Any) -> None:
        assert isinstance(data, list) and len(data) == n and all(isinstance(i, cls) for i in data)

    return check


def _equals(value: Any) -> Callable[[Any], None]:
    def check(data: Any) -> None:
        assert data == value

    return check


def _requested(rid: str) -> Callable[[Any], None]:
    def check(data: Any) -> None:
        assert isinstance(data, ReportRequestInfo) and data.report_request_id == rid
        assert data.report_processing_status == "_SUBMITTED_" and data.generated_report_id is None
        assert data.submitted_date is not None and data.scheduled is False

    return check


def _cancelled(data: Any) -> None:
    assert isinstance(data, CancelResult) and data.count == 2
    assert [i.report_request_id for i in data.infos] == ["51783018425", "51784018425"]
    assert all(i.report_processing_status == "_DONE_" for i in data.infos)


def _status(data: Any) -> None:
    assert isinstance(data, ServiceStatus) and data.status == "GREEN" and data.status.known
    assert data.timestamp == parse_datetime("2020-07-17T07:17:00.562Z")


def _acknowledged(data: Any) -> None:
    _list(ReportInfo, 2)(data)
    assert all(r.acknowledged and r.acknowledged_date is not None for r in data)
    assert [r.report_id for r in data] == ["21175694446018424", "21178489344018424"]


def _schedule_list(data: Any) -> None:
    _list(ReportSchedule, 4)(data)
    assert data[0].report_type == "_GET_XML_BROWSE_TREE_DATA_" and data[0].schedule == "_30_DAYS_"


def _one_schedule(schedule: str) -> Callable[[Any], None]:
    def check(data: Any) -> None:
        _list(ReportSchedule, 1)(data)
        assert data[0].schedule == schedule and data[0].schedule.known

    return check


def _report_list(data: Any) -> None:
    _list(ReportInfo, 5)(data)
    assert data[0].report_id == "21175694446018424" and data[0].report_request_id == "51781018424"
    assert not any(r.acknowledged for r in data)


SCHEDULE_LIST = "reports--after-creating-a-schedule-list-it-should-return-a-count-of-more-than-one"
EXPECTED: dict[str, Callable[[Any], None]] = {
    "fulfillmentoutboundshipment--should-be-able-to-query-service-status": _status,
    f"{SCHEDULE_LIST}--1": _one_schedule("_30_DAYS_"),
    f"{SCHEDULE_LIST}--2": _one_schedule("_15_DAYS_"),
    f"{SCHEDULE_LIST}--3": _schedule_list,
    "reports--should-be-able-to-query-get-report-count": _equals(4),
    "reports--should-be-able-to-query-get-report-list": _report_list,
    "reports--should-be-able-to-query-get-report-request-count": _equals(5),
    "reports--should-be-able-to-query-get-report-request-list": _infos(6, "51781018424"),
    "reports--should-return-another-request-report": _requested("51784018425"),
    "reports--should-return-new-request-report": _requested("51783018425"),
    "reports--should-succesfully-get-a-count-of-0-on-an-empty-report-id-list": _acknowledged,
    "reports--should-succesfully-get-a-count-of-2-with-2-valid-ids": _acknowledged,
    "reports--should-succesfully-get-report-schedule-count": _equals(0),
    "reports--should-succesfully-get-report-schedule-list": _equals([]),
    "reports--should-succesfully-query-get-report-schedule-list": _equals([]),
    "reports--should-succesfully-return-info-on-cancelled-report-requests": _cancelled,
}
REPORT_DOWNLOADS = {
    "reports--should-be-able-to-get-a-report": 959,
    "reports--should-be-able-to-request-a-report": 959,
    "reports--should-be-able-to-request-a-report-number-2": 1508,
}


def load(path: Path) -> tuple[dict[str, str], dict[str, Any]]:
    data = json.loads(path.read_text("utf-8"))
    return {**data["request"]["params"], "_path": data["request"]["path"]}, data["response"]


def test_there_are_fixtures() -> None:
    assert len(FIXTURES) >= 21


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_parser_handles_recorded_response(path: Path) -> None:
    params, response = load(path)
    action, body, headers = params["Action"], response["body"], response["headers"]
    name = path.stem
    if action == "GetReport":
        assert name in REPORT_DOWNLOADS, f"unhandled GetReport fixture {name}"
        raw = body.encode("utf-8")
        assert len(raw) == REPORT_DOWNLOADS[name]
        assert content_md5(raw) == headers["content-md5"]
        return
    doc = parse_document(body)
    if response["status"] >= 300 or doc.is_error:
        assert name in EXPECTED_ERRORS, f"unhandled error fixture {name}"
        cls, code = EXPECTED_ERRORS[name]
        info = read_error(doc)
        assert info is not None and info.code == code
        err = make_error(
            info.code, info.message, http_status=response["status"],
            request_id=info.request_id, operation=action,
        )  # fmt: skip
        assert type(err) is cls
        assert err.request_id == headers["x-mws-request-id"]
        return
    assert action in PARSERS, f"no parser for {action}"
    assert name in EXPECTED, f"unhandled success fixture {name}"
    EXPECTED[name](PARSERS[action](doc))
    assert doc.request_id == headers["x-mws-request-id"]
    assert doc.next_token() is None


async def _first(pages: AsyncIterator[Result[T]]) -> Result[T]:
    async with aclosing(pages) as it:  # type: ignore[type-var]
        async for page in it:
            return page
    raise AssertionError("no page")


async def _call(client: MWSClient, action: str, p: dict[str, str], tmp: Path) -> Result[Any]:
    r = client.reports
    ids = [v for k, v in sorted(p.items()) if ".Id." in k]
    if action == "RequestReport":
        return await r.request_report(p["ReportType"])
    if action == "GetReportRequestList":
        return await _first(r.iter_report_requests())
    if action == "GetReportList":
        return await _first(r.iter_reports())
    if action == "GetReportRequestCount":
        return await r.report_request_count()
    if action == "GetReportCount":
        return await r.report_count()
    if action == "CancelReportRequests":
        return (await r.cancel_report_requests(ids))[0]
    if action == "UpdateReportAcknowledgements":
        return await r.update_report_acknowledgements(ids)
    if action == "ManageReportSchedule":
        return await r.manage_report_schedule(p["ReportType"], p["Schedule"])
    if action == "GetReportScheduleList":
        return await r.report_schedules()
    if action == "GetReportScheduleCount":
        return await r.report_schedule_count()
    if action == "GetReport":
        return await r.download_report(p["ReportId"], tmp / "report.txt")
    if action == "GetServiceStatus":
        return await client.fulfillment.service_status()
    raise AssertionError(f"no client call for {action}")


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
async def test_client_replays_recorded_exchange(path: Path, tmp_path: Path) -> None:
    params, response = load(path)
    action, headers = params["Action"], response["headers"]
    server_time = parse_datetime(headers["x-mws-timestamp"])
    assert server_time is not None
    clock = FakeClock(server_time.timestamp())
    sent: list[httpx.Request] = []

    def replay(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(
            response["status"],
            headers={k: v for k, v in headers.items() if k != "content-length"},
            content=response["body"].encode("utf-8"),
        )

    client = make_client(clock, httpx.MockTransport(replay))
    name = path.stem
    result: Result[Any] | None = None
    if name in EXPECTED_ERRORS:
        cls, code = EXPECTED_ERRORS[name]
        with pytest.raises(cls) as info:
            await _call(client, action, params, tmp_path)
        assert info.value.code == code and type(info.value) is cls
        assert info.value.request_id == headers["x-mws-request-id"]
        assert info.value.http_status == response["status"] and info.value.operation == action
    else:
        result = await _call(client, action, params, tmp_path)
    await client.aclose()

    # What went out matches what the real client sent (ours may add MaxCount/Acknowledged).
    assert len(sent) == 1
    form = dict(httpx.QueryParams(sent[0].content.decode()))
    recorded = {k: v for k, v in params.items() if k not in AUTH}
    recorded_path = recorded.pop("_path")
    if recorded_path == "/Sellers/":  # recorded on purpose with a wrong path and no Version
        recorded_path = "/FulfillmentOutboundShipment/2010-10-01"
        recorded["Version"] = "2010-10-01"
    assert {k: form.get(k) for k in recorded} == recorded
    assert sent[0].url.path == recorded_path

    if result is not None:
        m = result.meta
        assert (m.operation, m.http_status) == (action, response["status"])
        assert m.request_id == headers["x-mws-request-id"]
        assert m.server_time == server_time
        assert m.next_token is None
        if name in EXPECTED:
            EXPECTED[name](result.data)
        if action == "GetReport":
            saved = result.data
            assert isinstance(saved, ReportDownload) and saved.verified
            assert content_md5(saved.path.read_bytes()) == headers["content-md5"] == saved.md5
            assert saved.path.read_bytes() == response["body"].encode("utf-8")
    if "x-mws-quota-max" in headers:
        _check_quota(client, action, headers, result)


def _check_quota(
    client: MWSClient, action: str, headers: dict[str, str], result: Result[Any] | None
) -> None:
    resets: datetime | None = parse_datetime(headers["x-mws-quota-resetson"])
    if result is not None:
        m = result.meta
        assert m.quota_max == float(headers["x-mws-quota-max"])
        assert m.quota_remaining == float(headers["x-mws-quota-remaining"])
        assert m.quota_resets_on == resets
    snap = client._governor.snapshot(client.bucket_key(action))
    assert snap is not None and snap.measured
    assert snap.hourly_max == int(float(headers["x-mws-quota-max"]))
    assert snap.hourly_remaining == int(float(headers["x-mws-quota-remaining"]))
    assert snap.hourly_resets_at == resets
