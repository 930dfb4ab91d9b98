"""Every Reports operation against the sandbox: results, state over time, errors, paging."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from mwstui.catalog import load_catalog
from mwstui.clock import FakeClock
from mwstui.sandbox.sandbox import Sandbox
from tests.sandbox.helpers import MWS, as_list, error, parse


def iso(clock: FakeClock, offset: float = 0.0) -> str:
    when = datetime.fromtimestamp(clock.time(), UTC) + timedelta(seconds=offset)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


async def request(mws: MWS, report_type: str = "_GET_MERCHANT_LISTINGS_DATA_", **p: str) -> dict:
    res = await mws.ok("RequestReport", {"ReportType": report_type, **p})
    return dict(res["ReportRequestInfo"])


async def info(mws: MWS, request_id: str) -> dict:
    res = await mws.ok("GetReportRequestList", {"ReportRequestIdList.Id.1": request_id})
    return dict(res["ReportRequestInfo"])


def test_handlers_cover_every_catalog_operation() -> None:
    from mwstui.sandbox.mws import reports_handlers

    assert set(reports_handlers.HANDLERS) == set(load_catalog().sections["reports"].operations)


async def test_request_report_starts_submitted_like_the_recording(
    small_mws: MWS, clock: FakeClock
) -> None:
    r = await small_mws.call("RequestReport", {"ReportType": "_GET_MERCHANT_LISTINGS_ALL_DATA_"})
    got = parse(r)["RequestReportResponse"]["RequestReportResult"]["ReportRequestInfo"]
    assert got["ReportProcessingStatus"] == "_SUBMITTED_"
    assert got["Scheduled"] == "false"
    assert len(got["ReportRequestId"]) == 11 and got["ReportRequestId"].isdigit()
    assert got["SubmittedDate"] == iso(clock).replace("Z", "+00:00")
    assert "GeneratedReportId" not in got and "StartedProcessingDate" not in got


async def test_request_progresses_to_done_and_the_report_downloads(
    small: Sandbox, small_mws: MWS, clock: FakeClock
) -> None:
    rid = (await request(small_mws))["ReportRequestId"]
    seen = []
    for _ in range(200):
        status = (await info(small_mws, rid))["ReportProcessingStatus"]
        if not seen or seen[-1] != status:
            seen.append(status)
        if status.startswith("_DONE"):
            break
        clock.advance(1)
        small.throttle.reset()  # poll every second: this test is about progress, not quota
    # The seeded generator makes this listings request end _DONE_ (no-data is rare for them).
    assert seen == ["_SUBMITTED_", "_IN_PROGRESS_", "_DONE_"]
    final = await info(small_mws, rid)
    assert final["StartedProcessingDate"] <= final["CompletedDate"]
    report_id = final["GeneratedReportId"]
    assert len(report_id) == 17
    r = await small_mws.call("GetReport", {"ReportId": report_id})
    assert r.status_code == 200
    md5 = base64.b64encode(hashlib.md5(r.content).digest()).decode()
    assert r.headers["content-md5"] == md5
    assert r.content.decode("utf-8-sig").splitlines()[0].startswith("item-name\t")
    assert r.headers["x-amz-request-id"] == r.headers["x-mws-request-id"]


async def test_seeded_report_downloads_the_same_bytes_twice(small_mws: MWS) -> None:
    a = await small_mws.call("GetReport", {"ReportId": "21175694446018424"})
    b = await small_mws.call("GetReport", {"ReportId": "21175694446018424"})
    assert a.content == b.content and a.headers["content-md5"] == b.headers["content-md5"]
    assert a.content.startswith("\ufeff".encode())  # listings come with a BOM, as recorded
    assert a.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("report_id", "code"),
    [("99999999999999999", "InvalidReportId"), ("abc", "InvalidParameterValue")],
)
async def test_get_report_errors(small_mws: MWS, report_id: str, code: str) -> None:
    r = await small_mws.call("GetReport", {"ReportId": report_id})
    assert (r.status_code, error(r)["Code"]) == (400, code)
    assert r.headers["content-type"] == "text/xml"


async def test_request_report_validation(small_mws: MWS, clock: FakeClock) -> None:
    cases = [
        ({"ReportType": "_GET_NOTHING_"}, "InvalidReportType"),
        ({"ReportType": "_GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_"}, "InvalidReportType"),
        ({}, "InvalidParameterValue"),
        (
            {"ReportType": "_GET_MERCHANT_LISTINGS_DATA_", "StartDate": iso(clock, 3600)},
            "InvalidParameterValue",
        ),
        (
            {
                "ReportType": "_GET_MERCHANT_LISTINGS_DATA_",
                "StartDate": iso(clock, -60),
                "EndDate": iso(clock, -120),
            },
            "InvalidParameterValue",
        ),
        (
            {
                "ReportType": "_GET_MERCHANT_LISTINGS_DATA_",
                "MarketplaceIdList.Id.1": "A1PA6795UKMFR9",
            },
            "InvalidParameterValue",
        ),
    ]
    for params, code in cases:
        r = await small_mws.call("RequestReport", params)
        assert (r.status_code, error(r)["Code"]) == (400, code), params


async def test_request_report_options_and_marketplaces(small_mws: MWS, small: Sandbox) -> None:
    got = await request(
        small_mws,
        "_GET_FLAT_FILE_ORDERS_DATA_",
        ReportOptions="ShowSalesChannel=true",
        **{"MarketplaceIdList.Id.1": "A2EUQ1WTGCTBG2"},
    )
    req = small.seller().reports.requests[got["ReportRequestId"]]
    assert req.options == "ShowSalesChannel=true" and req.marketplaces == ("A2EUQ1WTGCTBG2",)


async def test_cancel_only_submitted_ones_and_report_the_rest_unchanged(small_mws: MWS) -> None:
    res = await small_mws.ok(
        "CancelReportRequests",
        {"ReportRequestIdList.Id.1": "51790018424", "ReportRequestIdList.Id.2": "51781018424"},
    )
    assert res["Count"] == "2"
    infos = {i["ReportRequestId"]: i for i in as_list(res["ReportRequestInfo"])}
    assert infos["51790018424"]["ReportProcessingStatus"] == "_CANCELLED_"
    assert infos["51781018424"]["ReportProcessingStatus"] == "_DONE_"
    assert "GeneratedReportId" not in infos["51781018424"]  # recorded quirk
    assert (await info(small_mws, "51790018424"))["ReportProcessingStatus"] == "_CANCELLED_"
    assert (await info(small_mws, "51781018424"))["GeneratedReportId"] == "21175694446018424"


async def test_cancelled_request_never_progresses(small_mws: MWS, clock: FakeClock) -> None:
    rid = (await request(small_mws))["ReportRequestId"]
    await small_mws.ok("CancelReportRequests", {"ReportRequestIdList.Id.1": rid})
    clock.advance(3600)
    assert (await info(small_mws, rid))["ReportProcessingStatus"] == "_CANCELLED_"


async def test_cancel_unknown_ids_like_the_recording(small_mws: MWS) -> None:
    r = await small_mws.call(
        "CancelReportRequests",
        {"ReportRequestIdList.Id.1": "51783018499", "ReportRequestIdList.Id.2": "51781018424"},
    )
    assert r.status_code == 400
    err = error(r)
    assert err["Code"] == "InvalidReportRequestId"
    assert err["Message"] == "One or more of the provided ReportRequestIds could not be found."


async def test_cancel_by_filter(small_mws: MWS) -> None:
    res = await small_mws.ok(
        "CancelReportRequests", {"ReportProcessingStatusList.Status.1": "_SUBMITTED_"}
    )
    assert res["Count"] == "1"
    assert as_list(res["ReportRequestInfo"])[0]["ReportProcessingStatus"] == "_CANCELLED_"


async def test_list_filters_and_count(small_mws: MWS) -> None:
    res = await small_mws.ok(
        "GetReportRequestList", {"ReportTypeList.Type.1": "_GET_FLAT_FILE_ORDERS_DATA_"}
    )
    infos = as_list(res["ReportRequestInfo"])
    assert [i["ReportProcessingStatus"] for i in infos] == ["_DONE_NO_DATA_"]
    assert res["HasNext"] == "false" and "NextToken" not in res
    count = await small_mws.ok(
        "GetReportRequestCount", {"ReportProcessingStatusList.Status.1": "_DONE_"}
    )
    assert count["Count"] == "1"
    bad = await small_mws.call(
        "GetReportRequestList", {"ReportProcessingStatusList.Status.1": "_FINE_"}
    )
    assert error(bad)["Code"] == "InvalidParameterValue"


@pytest.mark.parametrize("max_count", ["0", "101", "ten"])
async def test_max_count_out_of_range(small_mws: MWS, max_count: str) -> None:
    r = await small_mws.call("GetReportRequestList", {"MaxCount": max_count})
    assert (r.status_code, error(r)["Code"]) == (400, "InvalidParameterValue")


async def test_requested_date_window(small_mws: MWS, clock: FakeClock) -> None:
    res = await small_mws.ok("GetReportRequestList", {"RequestedFromDate": iso(clock, -1800)})
    assert [i["ReportRequestId"] for i in as_list(res["ReportRequestInfo"])] == ["51790018424"]


async def test_paging_requests_pages_of_100_until_has_next_false(mws: MWS) -> None:
    total = int((await mws.ok("GetReportRequestCount"))["Count"])
    assert total > 200
    first = await mws.ok("GetReportRequestList", {"MaxCount": "100"})
    ids = [i["ReportRequestId"] for i in as_list(first["ReportRequestInfo"])]
    assert first["HasNext"] == "true" and len(ids) == 100
    token = first["NextToken"]
    pages = 1
    while token:
        page = await mws.ok("GetReportRequestListByNextToken", {"NextToken": token})
        got = as_list(page["ReportRequestInfo"])
        assert len(got) <= 100
        ids += [i["ReportRequestId"] for i in got]
        token = page.get("NextToken")
        assert (page["HasNext"] == "true") == bool(token)
        pages += 1
    assert len(ids) == len(set(ids)) == total and pages >= 3


async def test_default_max_count_is_ten(mws: MWS) -> None:
    first = await mws.ok("GetReportRequestList")
    assert len(as_list(first["ReportRequestInfo"])) == 10 and first["HasNext"] == "true"


async def test_paging_reports(mws: MWS) -> None:
    total = int((await mws.ok("GetReportCount"))["Count"])
    first = await mws.ok("GetReportList", {"MaxCount": "100"})
    ids = [i["ReportId"] for i in as_list(first["ReportInfo"])]
    token = first.get("NextToken")
    while token:
        page = await mws.ok("GetReportListByNextToken", {"NextToken": token})
        ids += [i["ReportId"] for i in as_list(page.get("ReportInfo"))]
        token = page.get("NextToken")
    assert len(ids) == len(set(ids)) == total > 100


@pytest.mark.parametrize("token", ["bm9wZQ==", "", "garbage!"])
async def test_corrupt_next_token(mws: MWS, token: str) -> None:
    r = await mws.call("GetReportRequestListByNextToken", {"NextToken": token})
    assert r.status_code == 400
    assert error(r)["Code"] in ("NextTokenCorrupted", "InvalidParameterValue")


async def test_next_token_of_another_list_is_refused(mws: MWS) -> None:
    token = (await mws.ok("GetReportList"))["NextToken"]
    r = await mws.call("GetReportRequestListByNextToken", {"NextToken": token})
    assert error(r)["Code"] == "NextTokenCorrupted"


async def test_report_list_and_acknowledgements(small_mws: MWS, clock: FakeClock) -> None:
    res = await small_mws.ok("GetReportList")
    rep = as_list(res["ReportInfo"])[0]
    assert (rep["ReportId"], rep["Acknowledged"]) == ("21175694446018424", "false")
    ack = await small_mws.ok(
        "UpdateReportAcknowledgements",
        {
            "ReportIdList.Id.1": "21175694446018424",
            "ReportIdList.Id.2": "11111111111111111",
            "Acknowledged": "true",
        },
    )
    assert ack["Count"] == "1"
    assert ack["ReportInfo"]["AcknowledgedDate"] == iso(clock).replace("Z", "+00:00")
    assert (await small_mws.ok("GetReportCount", {"Acknowledged": "true"}))["Count"] == "1"
    assert (await small_mws.ok("GetReportCount", {"Acknowledged": "false"}))["Count"] == "0"
    by_request = await small_mws.ok("GetReportList", {"ReportRequestIdList.Id.1": "51781018424"})
    assert by_request["ReportInfo"]["Acknowledged"] == "true"
    undo = await small_mws.ok(
        "UpdateReportAcknowledgements",
        {"ReportIdList.Id.1": "21175694446018424", "Acknowledged": "false"},
    )
    assert "AcknowledgedDate" not in undo["ReportInfo"]
    missing = await small_mws.call("UpdateReportAcknowledgements", {"Acknowledged": "true"})
    assert error(missing)["Code"] == "InvalidParameterValue"


async def test_schedule_create_update_delete(small_mws: MWS, clock: FakeClock) -> None:
    rtype = "_GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_"
    made = await small_mws.ok(
        "ManageReportSchedule", {"ReportType": rtype, "Schedule": "_30_DAYS_"}
    )
    assert made["Count"] == "1"
    assert made["ReportSchedule"]["ScheduledDate"] == iso(clock).replace("Z", "+00:00")
    updated = await small_mws.ok(
        "ManageReportSchedule",
        {"ReportType": rtype, "Schedule": "_1_DAY_", "ScheduleDate": iso(clock, 7200)},
    )
    assert updated["ReportSchedule"]["Schedule"] == "_1_DAY_"
    listed = await small_mws.ok("GetReportScheduleList")
    assert as_list(listed["ReportSchedule"])[0]["Schedule"] == "_1_DAY_"
    assert listed["HasNext"] == "false"
    assert (await small_mws.ok("GetReportScheduleCount"))["Count"] == "1"
    gone = await small_mws.ok("ManageReportSchedule", {"ReportType": rtype, "Schedule": "_NEVER_"})
    assert gone["Count"] == "1" and gone["ReportSchedule"]["Schedule"] == "_NEVER_"
    assert (await small_mws.ok("GetReportScheduleCount"))["Count"] == "0"
    empty = await small_mws.call("GetReportScheduleList")
    assert "<HasNext>false</HasNext>" in empty.text and "<ReportSchedule>" not in empty.text


async def test_schedule_list_element_order_like_the_recording(mws: MWS) -> None:
    from tests.sandbox.helpers import child_tags

    r = await mws.call("GetReportScheduleList")
    tags = child_tags(r.content, "GetReportScheduleListResult")
    assert tags[-1] == "HasNext" and set(tags[:-1]) == {"ReportSchedule"}


async def test_schedule_validation(small_mws: MWS, clock: FakeClock) -> None:
    cases = [
        (
            {"ReportType": "_GET_FLAT_FILE_ORDERS_DATA_", "Schedule": "_7_YEARS_"},
            "InvalidScheduleFrequency",
        ),
        (
            {"ReportType": "_GET_MERCHANT_LISTINGS_DATA_", "Schedule": "_1_DAY_"},
            "InvalidReportType",
        ),
        (
            {
                "ReportType": "_GET_FLAT_FILE_ORDERS_DATA_",
                "Schedule": "_1_DAY_",
                "ScheduleDate": iso(clock, 367 * 86400),
            },
            "InvalidParameterValue",
        ),
    ]
    for params, code in cases:
        r = await small_mws.call("ManageReportSchedule", params)
        assert (r.status_code, error(r)["Code"]) == (400, code), params
    ok = {
        "ReportType": "_GET_FLAT_FILE_ORDERS_DATA_",
        "Schedule": "_1_DAY_",
        "ScheduleDate": iso(clock, 365 * 86400),
    }
    assert (await small_mws.call("ManageReportSchedule", ok)).status_code == 200


async def test_orders_data_schedules_replace_each_other(small_mws: MWS) -> None:
    await small_mws.ok(
        "ManageReportSchedule", {"ReportType": "_GET_ORDERS_DATA_", "Schedule": "_1_DAY_"}
    )
    await small_mws.ok(
        "ManageReportSchedule", {"ReportType": "_GET_FLAT_FILE_ORDERS_DATA_", "Schedule": "_1_DAY_"}
    )
    listed = await small_mws.ok("GetReportScheduleList")
    assert [s["ReportType"] for s in as_list(listed["ReportSchedule"])] == [
        "_GET_FLAT_FILE_ORDERS_DATA_"
    ]


async def test_due_schedule_submits_scheduled_requests(small_mws: MWS, clock: FakeClock) -> None:
    rtype = "_GET_FLAT_FILE_OPEN_LISTINGS_DATA_"
    await small_mws.ok(
        "ManageReportSchedule",
        {"ReportType": rtype, "Schedule": "_15_MINUTES_", "ScheduleDate": iso(clock, 600)},
    )
    before = await small_mws.ok("GetReportRequestCount", {"ReportTypeList.Type.1": rtype})
    assert before["Count"] == "0"
    clock.advance(600 + 3 * 900 + 60)
    res = await small_mws.ok("GetReportRequestList", {"ReportTypeList.Type.1": rtype})
    infos = as_list(res["ReportRequestInfo"])
    assert len(infos) == 4 and all(i["Scheduled"] == "true" for i in infos)
    sched = (await small_mws.ok("GetReportScheduleList"))["ReportSchedule"]
    assert sched["ScheduledDate"] == iso(clock, -60 + 900).replace("Z", "+00:00")


async def test_schedule_list_by_next_token_refuses_tokens_it_never_issued(small_mws: MWS) -> None:
    r = await small_mws.call("GetReportScheduleListByNextToken", {"NextToken": "AAAA"})
    assert error(r)["Code"] == "NextTokenCorrupted"


async def test_sellers_do_not_see_each_other(small_mws: MWS) -> None:
    from tests.sandbox.conftest import OTHER_SELLER

    res = await small_mws.ok("GetReportRequestCount", seller=OTHER_SELLER)
    assert res["Count"] == "0"


async def test_legacy_root_path_serves_reports(small_mws: MWS) -> None:
    res = await small_mws.ok("GetReportCount", path="/")
    assert res["Count"] == "1"


async def test_get_requests_work_too(small_mws: MWS) -> None:
    res = await small_mws.ok("GetReportCount", method="GET")
    assert res["Count"] == "1"
