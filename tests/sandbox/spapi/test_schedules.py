"""Report schedules: list (reportTypes required), create, replace, get, cancel, and the
reports they create as sandbox time passes."""

from __future__ import annotations

from datetime import UTC, datetime

from mwstui.clock import FakeClock
from tests.sandbox.spapi.helpers import REPORTS, SP, error

SCHEDULES = f"{REPORTS}/schedules"
TYPE = "GET_FLAT_FILE_OPEN_LISTINGS_DATA"
US, CA = "ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"


async def create(sp: SP, **body: object) -> str:
    spec = {"reportType": TYPE, "marketplaceIds": [US], "period": "PT15M", **body}
    r = await sp.call("POST", SCHEDULES, json=spec)
    assert r.status_code == 201, r.text
    return str(r.json()["reportScheduleId"])


async def test_list_requires_report_types(sp: SP) -> None:
    r = await sp.call("GET", SCHEDULES)
    assert (r.status_code, error(r)["message"]) == (400, "reportTypes is required.")
    r = await sp.call("GET", SCHEDULES, params={"reportTypes": ",".join([TYPE] * 11)})
    assert r.status_code == 400


async def test_create_get_list_cancel(sp: SP) -> None:
    sid = await create(sp, nextReportCreationTime="2026-01-01T06:00:00Z", reportOptions={"x": "1"})
    body = await sp.ok("GET", f"{SCHEDULES}/{sid}")
    assert body == {
        "reportScheduleId": sid,
        "reportType": TYPE,
        "marketplaceIds": [US],
        "period": "PT15M",
        "nextReportCreationTime": "2026-01-01T06:00:00+00:00",
        "reportOptions": {"x": "1"},
    }
    listed = await sp.ok("GET", SCHEDULES, params={"reportTypes": TYPE})
    assert [s["reportScheduleId"] for s in listed["reportSchedules"]] == [sid]
    r = await sp.call("DELETE", f"{SCHEDULES}/{sid}")
    assert (r.status_code, r.content) == (200, b"")
    assert (await sp.call("GET", f"{SCHEDULES}/{sid}")).status_code == 404
    assert (await sp.call("DELETE", f"{SCHEDULES}/{sid}")).status_code == 404


async def test_same_type_and_marketplaces_replaces_the_schedule(sp: SP) -> None:
    first = await create(sp, marketplaceIds=[US, CA])
    second = await create(sp, marketplaceIds=[CA, US], period="P1D")
    assert second != first
    assert (await sp.call("GET", f"{SCHEDULES}/{first}")).status_code == 404
    other = await create(sp, marketplaceIds=[US])  # other marketplaces: a new one
    listed = await sp.ok("GET", SCHEDULES, params={"reportTypes": TYPE})
    assert sorted(s["reportScheduleId"] for s in listed["reportSchedules"]) == sorted(
        [second, other]
    )
    assert (await sp.ok("GET", f"{SCHEDULES}/{second}"))["period"] == "P1D"


async def test_create_validation(sp: SP) -> None:
    r = await sp.call(
        "POST", SCHEDULES, json={"reportType": TYPE, "marketplaceIds": [US], "period": "_1_DAY_"}
    )
    assert (r.status_code, error(r)["message"]) == (400, "Invalid period: _1_DAY_.")
    r = await sp.call(
        "POST",
        SCHEDULES,
        json={
            "reportType": "GET_MERCHANT_LISTINGS_ALL_DATA",
            "marketplaceIds": [US],
            "period": "P1D",
        },
    )
    assert r.status_code == 400
    assert error(r)["message"].endswith("is not allowed at this time")


async def test_schedules_create_reports_as_time_passes(sp: SP, clock: FakeClock) -> None:
    sid = await create(sp, nextReportCreationTime="2026-01-01T00:10:00Z")
    clock.advance(9 * 60)
    params = {"reportTypes": TYPE, "createdSince": "2026-01-01T00:00:00Z", "pageSize": "100"}
    assert not [r for r in (await sp.ok("GET", f"{REPORTS}/reports", params=params))["reports"]
                if r.get("reportScheduleId") == sid]  # fmt: skip
    clock.advance(60 + 30 * 60)  # 00:40: due at 00:10, 00:25, 00:40
    reports = [
        r
        for r in (await sp.ok("GET", f"{REPORTS}/reports", params=params))["reports"]
        if r.get("reportScheduleId") == sid
    ]
    assert [r["createdTime"] for r in reports] == [
        "2026-01-01T00:40:00+00:00",
        "2026-01-01T00:25:00+00:00",
        "2026-01-01T00:10:00+00:00",
    ]
    assert reports[-1]["dataStartTime"] == "2025-12-31T23:55:00+00:00"
    assert (await sp.ok("GET", f"{SCHEDULES}/{sid}"))["nextReportCreationTime"] == (
        "2026-01-01T00:55:00+00:00"
    )


async def test_p1m_moves_by_calendar_month(sp: SP, clock: FakeClock) -> None:
    sid = await create(sp, period="P1M", nextReportCreationTime="2026-01-31T00:00:00Z")
    clock.set(datetime(2026, 2, 1, tzinfo=UTC).timestamp())
    body = await sp.ok("GET", f"{SCHEDULES}/{sid}")
    assert body["nextReportCreationTime"] == "2026-02-28T00:00:00+00:00"
