"""Reports 2021-06-30 against the sandbox: create, progress on the clock, list, get, cancel."""

from __future__ import annotations

from urllib.parse import quote

import httpx

from mwstui.catalog import load_catalog
from mwstui.clock import FakeClock
from mwstui.sandbox.sandbox import Sandbox
from mwstui.sandbox.spapi.reports_state import CANCELLED, DONE, FATAL, IN_PROGRESS, IN_QUEUE
from tests.sandbox.spapi.helpers import BASE_URL, REPORTS, SP, USER_AGENT, error

LIST = f"{REPORTS}/reports"
TYPE = "GET_FLAT_FILE_OPEN_LISTINGS_DATA"
US = "ATVPDKIKX0DER"


async def create(sp: SP, **body: object) -> str:
    spec = {"reportType": TYPE, "marketplaceIds": [US], **body}
    r = await sp.call("POST", LIST, json=spec)
    assert r.status_code == 202, r.text
    assert r.headers["x-amzn-ratelimit-limit"] == "0.0167"
    return str(r.json()["reportId"])


async def test_a_created_report_moves_in_queue_in_progress_done(sp: SP, clock: FakeClock) -> None:
    rid = await create(sp, dataStartTime="2025-12-01T00:00:00Z", reportOptions={"custom": "true"})
    rep = sp.sandbox.spapi.sellers["A1SANDBOXSELLER"].reports.reports[rid]
    rep.outcome = DONE  # this test follows the happy path; the others are tested below
    seen = []
    for _ in range(400):
        body = await sp.ok("GET", f"{LIST}/{rid}")
        if not seen or seen[-1] != body["processingStatus"]:
            seen.append(body["processingStatus"])
        if body["processingStatus"] == DONE:
            break
        clock.advance(1)
    assert seen == [IN_QUEUE, IN_PROGRESS, DONE]
    assert body["reportType"] == TYPE and body["marketplaceIds"] == [US]
    assert body["dataStartTime"] == "2025-12-01T00:00:00+00:00"
    assert body["createdTime"] == "2026-01-01T00:00:00+00:00"
    assert body["processingStartTime"] <= body["processingEndTime"]
    assert body["reportDocumentId"].startswith("amzn1.spdoc.1.4.na.")


async def test_no_data_ends_cancelled_without_document_and_fatal_may_have_one(
    sp: SP, clock: FakeClock
) -> None:
    seller = sp.sandbox.spapi.sellers["A1SANDBOXSELLER"]
    empty = seller.reports.create(TYPE, [US], created=clock.time(), outcome=CANCELLED)
    fatal = seller.reports.create(TYPE, [US], created=clock.time(), outcome=FATAL)
    clock.advance(3000)
    body = await sp.ok("GET", f"{LIST}/{empty.report_id}")
    assert body["processingStatus"] == CANCELLED
    assert "reportDocumentId" not in body and "processingEndTime" in body
    body = await sp.ok("GET", f"{LIST}/{fatal.report_id}")
    assert body["processingStatus"] == FATAL
    assert body.get("reportDocumentId") == fatal.document_id


async def test_cancel_only_in_queue(sp: SP, clock: FakeClock) -> None:
    rid = await create(sp)
    r = await sp.call("DELETE", f"{LIST}/{rid}")
    assert (r.status_code, r.content) == (200, b"")
    body = await sp.ok("GET", f"{LIST}/{rid}")
    assert body["processingStatus"] == CANCELLED and "processingStartTime" not in body
    clock.advance(3600)
    assert (await sp.ok("GET", f"{LIST}/{rid}"))["processingStatus"] == CANCELLED
    started = await create(sp)
    clock.advance(30)  # processing started
    r = await sp.call("DELETE", f"{LIST}/{started}")
    assert r.status_code == 400
    assert error(r)["code"] == "InvalidInput"
    assert "only IN_QUEUE" in error(r)["message"]
    assert r.headers["x-amzn-ratelimit-limit"] == "0.0222"


async def test_unknown_report_is_404_with_the_rate_header(sp: SP) -> None:
    r = await sp.call("GET", f"{LIST}/12345")
    assert r.status_code == 404
    assert error(r)["code"] == "NotFound"
    assert r.headers["x-amzn-ratelimit-limit"] == "2.0"


async def test_create_validation(sp: SP) -> None:
    cases = [
        ({"marketplaceIds": [US]}, "reportType is required."),
        ({"reportType": "NOT_A_TYPE", "marketplaceIds": [US]}, "Invalid reportType: NOT_A_TYPE."),
        ({"reportType": TYPE}, "marketplaceIds is required"),
        ({"reportType": TYPE, "marketplaceIds": ["A1PA6795UKMFR9"]}, "Invalid marketplaceIds"),
        (
            {"reportType": TYPE, "marketplaceIds": [US], "dataStartTime": "2025-12-02T00:00:00Z",
             "dataEndTime": "2025-12-01T00:00:00Z"},
            "dataStartTime is after dataEndTime",
        ),
        ({"reportType": TYPE, "marketplaceIds": [US], "reportOptions": {"a": 1}}, "reportOptions"),
    ]  # fmt: skip
    for body, text in cases:
        r = await sp.call("POST", LIST, json=body)
        assert r.status_code == 400, body
        assert error(r)["code"] == "InvalidInput"
        assert error(r)["message"].startswith(text), error(r)


async def test_settlement_reports_cannot_be_requested_429(sp: SP) -> None:
    r = await sp.call(
        "POST",
        LIST,
        json={"reportType": "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE", "marketplaceIds": [US]},
    )
    assert (r.status_code, error(r)["code"]) == (429, "QuotaExceeded")


async def test_a_post_that_is_not_json_is_415(sp: SP) -> None:
    r = await sp.call("POST", LIST, headers={"content-type": "text/plain"}, json={"a": "b"})
    assert r.status_code == 415


async def test_list_pages_with_next_token_alone(sp: SP) -> None:
    params = {
        "reportTypes": ",".join(t.type for t in load_catalog().spapi.report_types[:10]),
        "pageSize": "7",
    }
    first = await sp.ok("GET", LIST, params=params)
    ids = [r["reportId"] for r in first["reports"]]
    assert len(ids) == 7
    token = first["nextToken"]
    assert set("+/=") <= set(token)
    seen = set(ids)
    pages = 1
    while token:
        page = await sp.ok("GET", LIST, params={"nextToken": token})
        pages += 1
        new = [r["reportId"] for r in page["reports"]]
        assert not seen & set(new)
        seen |= set(new)
        token = page.get("nextToken")
    created = [
        r.created for r in sp.sandbox.spapi.sellers["A1SANDBOXSELLER"].reports.reports.values()
    ]
    assert pages > 2 and len(seen) <= len(created)


async def test_next_token_with_other_parameters_is_refused(sp: SP) -> None:
    first = await sp.ok("GET", LIST, params={"reportTypes": TYPE, "pageSize": "1"})
    r = await sp.call("GET", LIST, params={"nextToken": first["nextToken"], "pageSize": "10"})
    assert r.status_code == 400
    assert error(r)["message"] == "NextToken cannot be specified with other input parameters"
    assert error(r)["details"] == "pageSize"


async def test_a_token_not_url_encoded_cannot_be_decoded(sp: SP) -> None:
    first = await sp.ok("GET", LIST, params={"reportTypes": TYPE, "pageSize": "1"})
    token = first["nextToken"]
    hdrs = {"x-amz-access-token": sp.access_token or "", "user-agent": USER_AGENT}
    async with httpx.AsyncClient(transport=sp.transport, base_url=BASE_URL) as c:
        raw = await c.get(f"{LIST}?nextToken={token}", headers=hdrs)  # '+' arrives as ' '
        twice = await c.get(
            f"{LIST}?nextToken={quote(quote(token, safe=''), safe='')}", headers=hdrs
        )
        once = await c.get(f"{LIST}?nextToken={quote(token, safe='')}", headers=hdrs)
    for r in (raw, twice):
        assert r.status_code == 400
        assert error(r)["message"].startswith("We could not decode your NextToken.")
    assert once.status_code == 200


async def test_list_filters(sp: SP, clock: FakeClock) -> None:
    types = ",".join(t.type for t in load_catalog().spapi.report_types[:10])
    body = await sp.ok(
        "GET",
        LIST,
        params={
            "reportTypes": types,
            "processingStatuses": "IN_QUEUE,IN_PROGRESS",
            "pageSize": "100",
        },
    )
    assert body["reports"] and {r["processingStatus"] for r in body["reports"]} <= {
        IN_QUEUE,
        IN_PROGRESS,
    }
    body = await sp.ok(
        "GET",
        LIST,
        params={"reportTypes": types, "marketplaceIds": "A2EUQ1WTGCTBG2", "pageSize": "100"},
    )
    assert all("A2EUQ1WTGCTBG2" in r["marketplaceIds"] for r in body["reports"])
    since = "2025-12-25T00:00:00Z"
    body = await sp.ok(
        "GET", LIST, params={"reportTypes": types, "createdSince": since, "pageSize": "100"}
    )
    assert all(r["createdTime"] >= "2025-12-25T00:00:00+00:00" for r in body["reports"])
    times = [r["createdTime"] for r in body["reports"]]
    assert times == sorted(times, reverse=True)


async def test_list_validation(sp: SP) -> None:
    cases = [
        ({}, "Either reportTypes or nextToken is required."),
        ({"reportTypes": TYPE, "pageSize": "101"}, "pageSize must be an integer from 1 to 100."),
        ({"reportTypes": TYPE, "pageSize": "0"}, "pageSize must be an integer from 1 to 100."),
        ({"reportTypes": ",".join([TYPE] * 11)}, "reportTypes accepts at most 10 values"),
        ({"reportTypes": TYPE, "processingStatuses": "_DONE_"},
         "Invalid input in processing status"),
        ({"reportTypes": TYPE, "createdSince": "2025-09-01T00:00:00Z"},
         "createdSince cannot be more than 90"),
        ({"reportTypes": TYPE, "createdSince": "yesterday"}, "Invalid createdSince"),
    ]  # fmt: skip
    for params, text in cases:
        r = await sp.call("GET", LIST, params=params)
        assert r.status_code == 400, params
        assert error(r)["message"].startswith(text), (params, error(r))


async def test_reports_older_than_90_days_are_no_longer_served(clock: FakeClock) -> None:
    sandbox = Sandbox.create(clock=clock, debug=True)
    seller = sandbox.spapi.sellers["A1SANDBOXSELLER"]
    old = seller.reports.create(TYPE, [US], created=clock.time() - 95 * 86400)
    r = await SP(sandbox).call("GET", f"{LIST}/{old.report_id}")
    assert r.status_code == 404
