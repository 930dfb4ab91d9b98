"""Reports 2021-06-30 over MockTransport: paths, query strings, bodies, paging, refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from mwstui.calls import Result
from mwstui.errors import InvalidStateError, ReadOnlyError
from mwstui.spapi.models import Report
from mwstui.validation import LocalValidationError
from tests.spapi.fakes import FakeSpapi, body, j, make_client, query

BASE = "/reports/2021-06-30"
TOKEN = "VGhpcyB0b2tlbi+/is=="  # base64 with + / =


def rep(rid: str, status: str = "DONE", **extra: Any) -> dict[str, Any]:
    return {
        "reportId": rid,
        "reportType": "GET_MERCHANT_LISTINGS_ALL_DATA",
        "processingStatus": status,
        "createdTime": "2021-08-03T01:02:25+00:00",
        **extra,
    }


async def collect(client: Any, *args: Any, **kw: Any) -> list[Result[list[Report]]]:
    return [page async for page in client.reports.iter_reports(*args, **kw)]


async def test_get_reports_query_and_next_token_alone_encoded_once() -> None:
    fake = FakeSpapi()

    def reports(request: httpx.Request) -> httpx.Response:
        if "nextToken" in query(request):
            return j(200, {"reports": [rep("2")]})
        return j(200, {"reports": [rep("1")], "nextToken": TOKEN})

    fake.route("GET", f"{BASE}/reports", reports)
    client, clock, _ = make_client(fake)
    since = clock.now() - timedelta(days=30)
    async with client:
        pages = await collect(
            client,
            ["GET_MERCHANT_LISTINGS_ALL_DATA", "GET_AFN_INVENTORY_DATA"],
            statuses=["IN_QUEUE", "DONE"],
            created_since=since,
        )
    assert [[r.report_id for r in p.data] for p in pages] == [["1"], ["2"]]
    first, second = fake.requests
    assert first.url.query.decode() == (
        "reportTypes=GET_MERCHANT_LISTINGS_ALL_DATA,GET_AFN_INVENTORY_DATA"
        "&processingStatuses=IN_QUEUE,DONE&pageSize=100&createdSince=2025-12-02T00%3A00%3A00Z"
    )
    # Alone, and encoded exactly once: %2B %2F %3D, never %252B.
    assert second.url.query.decode() == "nextToken=VGhpcyB0b2tlbi%2B%2Fis%3D%3D"
    assert query(second) == {"nextToken": TOKEN}
    assert pages[0].meta.next_token == TOKEN and pages[1].meta.next_token is None
    assert pages[0].meta.request_id == "rid-200"


async def test_more_than_ten_types_are_listed_ten_at_a_time() -> None:
    fake = FakeSpapi()
    fake.route("GET", f"{BASE}/reports", j(200, {"reports": []}))
    client, _, _ = make_client(fake)
    types = [f"TYPE_{i}" for i in range(12)]
    async with client:
        await collect(client, types)
    assert [len(query(r)["reportTypes"].split(",")) for r in fake.requests] == [10, 2]


async def test_repeated_next_token_stops_the_paging() -> None:
    fake = FakeSpapi()
    fake.route("GET", f"{BASE}/reports", j(200, {"reports": [], "nextToken": "same"}))
    client, _, _ = make_client(fake)
    async with client:
        with pytest.raises(Exception, match="nextToken twice"):
            await collect(client, ["T"])
    assert len(fake.requests) == 2


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"created_since": timedelta(days=-91)}, "createdSince"),
        ({"statuses": ["SUBMITTED"]}, "processingStatuses"),
        ({"page_size": 101}, "pageSize"),
        ({"page_size": 0}, "pageSize"),
        ({"marketplace_ids": [f"M{i}" for i in range(11)]}, "marketplaceIds"),
    ],
)
async def test_list_refused_before_sending(kw: dict[str, Any], field: str) -> None:
    fake = FakeSpapi()
    client, clock, _ = make_client(fake)
    if "created_since" in kw:
        kw["created_since"] = clock.now() + kw["created_since"]
    async with client:
        with pytest.raises(LocalValidationError) as info:
            await collect(client, ["T"], **kw)
    assert info.value.field == field
    assert fake.requests == []


async def test_create_report_body_and_id() -> None:
    fake = FakeSpapi()
    fake.route("POST", f"{BASE}/reports", j(202, {"reportId": "ID323"}))
    client, _, _ = make_client(fake)
    async with client:
        result = await client.reports.create_report(
            "GET_MERCHANT_LISTINGS_ALL_DATA",
            ["A1PA6795UKMFR9", "ATVPDKIKX0DER"],
            data_start_time=datetime(2025, 12, 10, 20, 11, 24, tzinfo=UTC),
            report_options={"custom": "true"},
        )
    assert result.data == "ID323"
    (req,) = fake.requests
    assert req.headers["content-type"] == "application/json"
    assert body(req) == {
        "reportType": "GET_MERCHANT_LISTINGS_ALL_DATA",
        "marketplaceIds": ["A1PA6795UKMFR9", "ATVPDKIKX0DER"],
        "dataStartTime": "2025-12-10T20:11:24Z",
        "reportOptions": {"custom": "true"},
    }


async def test_create_report_uses_profile_marketplaces_and_refuses_settlement() -> None:
    fake = FakeSpapi()
    fake.route("POST", f"{BASE}/reports", j(202, {"reportId": "1"}))
    client, _, _ = make_client(fake)
    async with client:
        await client.reports.create_report("GET_AFN_INVENTORY_DATA")
        with pytest.raises(LocalValidationError, match="cannot be requested"):
            await client.reports.create_report("GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE")
    assert body(fake.requests[0])["marketplaceIds"] == ["A1PA6795UKMFR9"]
    assert len(fake.requests) == 1


async def test_get_report_parses_every_field() -> None:
    fake = FakeSpapi()
    fake.route(
        "GET",
        f"{BASE}/reports/ID323",
        j(
            200,
            rep(
                "ID323",
                dataStartTime="2019-12-11T13:47:20.677Z",
                reportDocumentId="DOC-1",
                marketplaceIds=["A1PA6795UKMFR9"],
            ),
        ),
    )
    client, _, _ = make_client(fake)
    async with client:
        r = (await client.reports.get_report("ID323")).data
    assert r.processing_status == "DONE" and r.processing_status.terminal
    assert r.created_time == datetime(2021, 8, 3, 1, 2, 25, tzinfo=UTC)
    assert r.data_start_time == datetime(2019, 12, 11, 13, 47, 20, 677000, tzinfo=UTC)
    assert r.report_document_id == "DOC-1" and r.marketplace_ids == ("A1PA6795UKMFR9",)


async def test_cancel_only_in_queue() -> None:
    fake = FakeSpapi()
    fake.route("GET", f"{BASE}/reports/7", j(200, rep("7", "IN_PROGRESS")))
    fake.route("GET", f"{BASE}/reports/8", j(200, rep("8", "IN_QUEUE")))
    fake.route("DELETE", f"{BASE}/reports/8", j(200))
    client, _, _ = make_client(fake)
    async with client:
        with pytest.raises(InvalidStateError, match="only IN_QUEUE") as info:
            await client.reports.cancel_report("7")
        assert info.value.code == "NotCancellable" and info.value.hint
        with pytest.raises(InvalidStateError):
            await client.reports.cancel_report("9", status="DONE")
        result = await client.reports.cancel_report("8")
    assert result.data is None and result.meta.http_status == 200
    assert [(r.method, r.url.path) for r in fake.requests] == [
        ("GET", f"{BASE}/reports/7"),
        ("GET", f"{BASE}/reports/8"),
        ("DELETE", f"{BASE}/reports/8"),
    ]


async def test_read_only_refuses_mutations() -> None:
    fake = FakeSpapi()
    client, _, _ = make_client(fake, read_only=True)
    async with client:
        with pytest.raises(ReadOnlyError):
            await client.reports.cancel_report("8", status="IN_QUEUE")
        with pytest.raises(ReadOnlyError):
            await client.reports.create_schedule("FEE_DISCOUNTS_REPORT", "P1D")
    assert fake.requests == []


async def test_schedules_need_types_and_go_ten_per_call() -> None:
    fake = FakeSpapi()
    fake.route(
        "GET",
        f"{BASE}/schedules",
        lambda r: j(
            200,
            {
                "reportSchedules": [
                    {
                        "reportScheduleId": f"S-{t}",
                        "reportType": t,
                        "period": "PT5M",
                        "marketplaceIds": ["ATVPDKIKX0DER"],
                        "nextReportCreationTime": "2024-03-11T15:03:44.973Z",
                    }
                    for t in query(r)["reportTypes"].split(",")
                ]
            },
        ),
    )
    client, _, _ = make_client(fake)
    types = [f"TYPE_{i}" for i in range(11)]
    async with client:
        with pytest.raises(LocalValidationError):
            await client.reports.list_schedules([])
        result = await client.reports.list_schedules(types)
    assert [s.report_type for s in result.data] == types
    assert [len(query(r)["reportTypes"].split(",")) for r in fake.requests] == [10, 1]
    assert result.data[0].period == "PT5M"


async def test_create_get_cancel_schedule() -> None:
    fake = FakeSpapi()
    fake.route("POST", f"{BASE}/schedules", j(201, {"reportScheduleId": "ID323"}))
    fake.route(
        "GET",
        f"{BASE}/schedules/ID323",
        j(
            200,
            {
                "reportScheduleId": "ID323",
                "reportType": "FEE_DISCOUNTS_REPORT",
                "period": "PT5M",
                "reportOptions": {"a": 1},
            },
        ),
    )
    fake.route("DELETE", f"{BASE}/schedules/ID323", j(200))
    client, _, _ = make_client(fake)
    async with client:
        with pytest.raises(LocalValidationError, match="period"):
            await client.reports.create_schedule("FEE_DISCOUNTS_REPORT", "_1_DAY_")
        with pytest.raises(LocalValidationError, match="cannot be scheduled"):
            await client.reports.create_schedule("GET_MERCHANT_LISTINGS_ALL_DATA", "P1D")
        sid = await client.reports.create_schedule(
            "FEE_DISCOUNTS_REPORT",
            "PT5M",
            ["A1PA6795UKMFR9", "ATVPDKIKX0DER"],
            next_report_creation_time=datetime(2024, 3, 10, 20, 11, 24, tzinfo=UTC),
        )
        got = await client.reports.get_schedule("ID323")
        await client.reports.cancel_schedule("ID323")
    assert sid.data == "ID323"
    assert body(fake.requests[0]) == {
        "reportType": "FEE_DISCOUNTS_REPORT",
        "period": "PT5M",
        "marketplaceIds": ["A1PA6795UKMFR9", "ATVPDKIKX0DER"],
        "nextReportCreationTime": "2024-03-10T20:11:24Z",
    }
    assert got.data.report_options == {"a": "1"}
    assert [(r.method, r.url.path) for r in fake.requests][1:] == [
        ("GET", f"{BASE}/schedules/ID323"),
        ("DELETE", f"{BASE}/schedules/ID323"),
    ]


async def test_ids_are_encoded_in_the_path() -> None:
    fake = FakeSpapi()
    fake.route("GET", f"{BASE}/reports/a b", j(200, rep("a b")))
    client, _, _ = make_client(fake)
    async with client:
        await client.reports.get_report("a b")
        with pytest.raises(LocalValidationError):
            await client.reports.get_report("../schedules")
    assert fake.requests[0].url.raw_path == b"/reports/2021-06-30/reports/a%20b"
