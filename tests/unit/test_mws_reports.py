"""ReportsAPI: parameters on the wire, safety checks before sending, typed results."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from mwstui.clock import FakeClock
from mwstui.errors import InvalidParameterError, NotFoundError
from tests.unit.mws_fakes import (
    FakeJournal,
    FakeMWS,
    Seen,
    envelope,
    error_xml,
    make_client,
    request_info,
    xml,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def cancel_echo(seen: Seen) -> httpx.Response:
    ids = [v for k, v in sorted(seen.params.items()) if k.startswith("ReportRequestIdList.Id.")]
    infos = "".join(request_info(i, "_CANCELLED_") for i in ids[:100])
    return xml(envelope("CancelReportRequests", f"<Count>{len(ids)}</Count>{infos}"))


async def test_request_report_parameters(clock: FakeClock) -> None:
    def handler(s: Seen) -> httpx.Response:
        return xml(envelope("RequestReport", request_info("51783018425")))

    server = FakeMWS(clock, {"RequestReport": handler})
    journal = FakeJournal()
    client = make_client(clock, server.transport(), journal=journal)
    res = await client.reports.request_report(
        "_GET_FLAT_FILE_ORDERS_DATA_",
        start_date=datetime(2020, 6, 1, tzinfo=UTC),
        end_date=datetime(2020, 6, 2, 2, tzinfo=UTC) + timedelta(hours=0),
        marketplace_ids=["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"],
        report_options="ShowSalesChannel=true",
    )
    assert res.data.report_request_id == "51783018425"
    assert res.data.report_processing_status == "_SUBMITTED_"
    p = server.seen[0].params
    assert p["ReportType"] == "_GET_FLAT_FILE_ORDERS_DATA_"
    assert (
        p["StartDate"] == "2020-06-01T00:00:00.000Z" and p["EndDate"] == "2020-06-02T02:00:00.000Z"
    )
    assert p["MarketplaceIdList.Id.1"] == "ATVPDKIKX0DER"
    assert p["MarketplaceIdList.Id.2"] == "A2EUQ1WTGCTBG2"
    assert p["ReportOptions"] == "ShowSalesChannel=true"
    assert journal.intents[0]["items"] == ["_GET_FLAT_FILE_ORDERS_DATA_"]


async def test_cancel_requires_an_explicit_non_empty_id_list(clock: FakeClock) -> None:
    server = FakeMWS(clock, {"CancelReportRequests": cancel_echo})
    journal = FakeJournal()
    client = make_client(clock, server.transport(), journal=journal)
    with pytest.raises(ValueError, match="at least one"):
        await client.reports.cancel_report_requests([])
    with pytest.raises(ValueError, match="blank"):
        await client.reports.cancel_report_requests(["1", ""])
    with pytest.raises(TypeError):
        await client.reports.cancel_report_requests("12345")
    assert server.seen == [] and journal.intents == []


async def test_cancel_is_chunked_by_100(clock: FakeClock) -> None:
    server = FakeMWS(clock, {"CancelReportRequests": cancel_echo})
    journal = FakeJournal()
    client = make_client(clock, server.transport(), journal=journal)
    ids = [str(50000000000 + i) for i in range(250)]
    results = await client.reports.cancel_report_requests(ids)
    assert [r.data.count for r in results] == [100, 100, 50]
    assert [len(s.params) for s in server.seen]  # sanity
    sent = [
        [v for k, v in s.params.items() if k.startswith("ReportRequestIdList.Id.")]
        for s in server.seen
    ]
    assert [len(c) for c in sent] == [100, 100, 50]
    assert [i for chunk in sent for i in chunk] == ids
    assert all("ReportTypeList.Type.1" not in s.params for s in server.seen)
    assert [i["items"] for i in journal.intents] == [ids[:100], ids[100:200], ids[200:]]
    assert results[2].data.infos[0].report_processing_status == "_CANCELLED_"


async def test_cancel_unknown_ids_is_not_found(clock: FakeClock) -> None:
    msg = "One or more of the provided ReportRequestIds could not be found."
    server = FakeMWS(
        clock,
        {"CancelReportRequests": lambda s: xml(error_xml("InvalidReportRequestId", msg), 400)},
    )
    journal = FakeJournal()
    client = make_client(clock, server.transport(), journal=journal)
    with pytest.raises(NotFoundError) as info:
        await client.reports.cancel_report_requests(["51783018499"])
    assert info.value.request_id == "rid-err"
    assert journal.outcomes[0]["error_code"] == "InvalidReportRequestId"


async def test_iter_reports_filters_and_pages(clock: FakeClock) -> None:
    info = (
        "<ReportInfo><ReportType>_T_</ReportType><Acknowledged>false</Acknowledged>"
        "<ReportId>{}</ReportId><AvailableDate>2020-06-11T07:44:32+00:00</AvailableDate></ReportInfo>"
    )

    def first(s: Seen) -> httpx.Response:
        return xml(
            envelope(
                "GetReportList",
                "<HasNext>true</HasNext><NextToken>tok</NextToken>" + info.format(1),
            )
        )

    def more(s: Seen) -> httpx.Response:
        return xml(
            envelope("GetReportListByNextToken", "<HasNext>false</HasNext>" + info.format(2))
        )

    server = FakeMWS(clock, {"GetReportList": first, "GetReportListByNextToken": more})
    client = make_client(clock, server.transport())
    pages = [
        p
        async for p in client.reports.iter_reports(
            report_types=["_T_"],
            acknowledged=False,
            available_from=datetime(2020, 6, 1, tzinfo=UTC),
            max_count=50,
        )
    ]
    assert [r.report_id for p in pages for r in p.data] == ["1", "2"]
    assert pages[0].data[0].acknowledged is False
    p = server.seen[0].params
    assert (p["MaxCount"], p["Acknowledged"], p["ReportTypeList.Type.1"]) == ("50", "false", "_T_")
    assert p["AvailableFromDate"] == "2020-06-01T00:00:00.000Z"
    assert server.seen[1].params["NextToken"] == "tok"


async def test_max_count_is_checked_locally(clock: FakeClock) -> None:
    server = FakeMWS(clock)
    client = make_client(clock, server.transport())
    with pytest.raises(InvalidParameterError, match="MaxCount"):
        async for _ in client.reports.iter_report_requests(max_count=101):
            pass
    assert server.seen == []


async def test_acknowledgements(clock: FakeClock) -> None:
    def handler(s: Seen) -> httpx.Response:
        return xml(
            envelope(
                "UpdateReportAcknowledgements",
                "<Count>1</Count><ReportInfo><ReportId>21175694446018424</ReportId>"
                "<Acknowledged>true</Acknowledged><AcknowledgedDate>2020-06-12T04:15:48+00:00"
                "</AcknowledgedDate><ReportType>_T_</ReportType></ReportInfo>",
            )
        )

    server = FakeMWS(clock, {"UpdateReportAcknowledgements": handler})
    client = make_client(clock, server.transport())
    res = await client.reports.update_report_acknowledgements(["21175694446018424"])
    assert res.data[0].acknowledged and res.data[0].acknowledged_date == datetime(
        2020, 6, 12, 4, 15, 48, tzinfo=UTC
    )
    assert server.seen[0].params["ReportIdList.Id.1"] == "21175694446018424"
    assert server.seen[0].params["Acknowledged"] == "true"
    with pytest.raises(ValueError):
        await client.reports.update_report_acknowledgements([])
    with pytest.raises(InvalidParameterError, match="at most 100"):
        await client.reports.update_report_acknowledgements([str(i) for i in range(101)])
    assert len(server.seen) == 1


def schedule_echo(s: Seen) -> httpx.Response:
    sched = (
        f"<ReportSchedule><ReportType>{s.params['ReportType']}</ReportType>"
        f"<Schedule>{s.params['Schedule']}</Schedule>"
        f"<ScheduledDate>2026-01-02T00:00:00+00:00</ScheduledDate></ReportSchedule>"
    )
    return xml(envelope("ManageReportSchedule", sched + "<Count>1</Count>"))


async def test_manage_schedule_and_the_366_day_limit(clock: FakeClock) -> None:
    server = FakeMWS(clock, {"ManageReportSchedule": schedule_echo})
    journal = FakeJournal()
    client = make_client(clock, server.transport(), journal=journal)
    ok_date = clock.now() + timedelta(days=366)
    res = await client.reports.manage_report_schedule("_GET_ORDERS_DATA_", "_15_DAYS_", ok_date)
    assert (
        res.data[0].schedule == "_15_DAYS_" and res.data[0].schedule.interval_seconds == 15 * 86400
    )
    assert server.seen[0].params["ScheduleDate"] == "2027-01-02T00:00:00.000Z"
    with pytest.raises(InvalidParameterError, match="366 days"):
        await client.reports.manage_report_schedule(
            "_GET_ORDERS_DATA_", "_15_DAYS_", ok_date + timedelta(seconds=1)
        )
    with pytest.raises(InvalidParameterError, match="unknown Schedule"):
        await client.reports.manage_report_schedule("_GET_ORDERS_DATA_", "_7_DAYS_")
    assert len(server.seen) == 1
    await client.reports.manage_report_schedule("_GET_ORDERS_DATA_", "_NEVER_")
    assert (
        server.seen[1].params["Schedule"] == "_NEVER_"
        and "ScheduleDate" not in server.seen[1].params
    )
    assert [i["operation"] for i in journal.intents] == ["ManageReportSchedule"] * 2


async def test_schedules_and_counts(clock: FakeClock) -> None:
    server = FakeMWS(
        clock,
        {
            "GetReportScheduleList": lambda s: xml(
                envelope("GetReportScheduleList", "<HasNext>false</HasNext>")
            ),
            "GetReportScheduleCount": lambda s: xml(
                envelope("GetReportScheduleCount", "<Count>0</Count>")
            ),
            "GetReportRequestCount": lambda s: xml(
                envelope("GetReportRequestCount", "<Count>5</Count>")
            ),
        },
    )
    client = make_client(clock, server.transport())
    assert (await client.reports.report_schedules(report_types=["_A_"])).data == []
    assert server.seen[0].params["ReportTypeList.Type.1"] == "_A_"
    assert (await client.reports.report_schedule_count()).data == 0
    count = await client.reports.report_request_count(
        statuses=["_DONE_"], requested_to=datetime(2020, 1, 1, tzinfo=UTC)
    )
    assert count.data == 5
    assert server.seen[2].params["RequestedToDate"] == "2020-01-01T00:00:00.000Z"
    assert server.seen[2].params["ReportProcessingStatusList.Status.1"] == "_DONE_"
