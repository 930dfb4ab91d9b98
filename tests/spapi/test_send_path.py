"""The send path: governor buckets, rate header, 429 storms, retries, error mapping, journal."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
import pytest

from mwstui.calls import CallRecord
from mwstui.errors import (
    AccessDeniedError,
    InvalidParameterError,
    InvalidStateError,
    MalformedResponseError,
    NotFoundError,
    OutcomeUnknownError,
    ServiceError,
    ThrottledError,
)
from mwstui.spapi.client import MAX_SERVICE_RETRIES, MAX_THROTTLE_RETRIES, PACING_MARGIN
from mwstui.throttle.budget import BucketKey
from tests.spapi.fakes import FakeSpapi, err, j, make_client

REPORT = "/reports/2021-06-30/reports/42"
REPORTS = "/reports/2021-06-30/reports"
DONE = {"reportId": "42", "reportType": "T", "processingStatus": "DONE"}
QUOTA = err(429, "QuotaExceeded", "You exceeded your quota for the requested resource.")


class Journal:
    def __init__(self) -> None:
        self.intents: list[dict[str, Any]] = []
        self.outcomes: list[dict[str, Any]] = []

    def record_intent(
        self,
        *,
        profile: str,
        service: str,
        account: str,
        operation: str,
        params: Mapping[str, str],
        items: Sequence[str],
    ) -> int:
        self.intents.append({"service": service, "operation": operation, "items": list(items)})
        return len(self.intents)

    def record_outcome(self, entry_id: int, *, status: str, **kw: Any) -> None:
        self.outcomes.append({"id": entry_id, "status": status, **kw})


async def test_rate_header_updates_the_bucket_and_marks_it_measured() -> None:
    fake = FakeSpapi()
    fake.route("GET", REPORT, j(200, DONE, **{"x-amzn-RateLimit-Limit": "0.5"}))
    client, _, governor = make_client(fake)
    async with client:
        result = await client.reports.get_report("42")
    assert result.meta.rate_limit == 0.5
    snap = governor.snapshot(BucketKey("sellingpartnerapi-eu.amazon.com", "A2SELLER", "getReport"))
    assert snap is not None and snap.measured
    assert snap.restore_seconds == pytest.approx(2.0 * PACING_MARGIN)
    assert snap.capacity == 15  # burst stays the catalog's: the header has none


async def test_buckets_per_operation_at_the_catalog_rate() -> None:
    fake = FakeSpapi()
    fake.route("GET", REPORTS, j(200, {"reports": []}))
    client, clock, governor = make_client(fake)
    start = clock.time()
    async with client:
        for _ in range(12):  # burst 10, then one token every 45 s
            [p async for p in client.reports.iter_reports(["T"])]
    assert clock.time() - start == pytest.approx(2 * 45.045, abs=0.5)
    keys = {s.key.bucket for s in governor.snapshots()}
    assert keys == {"getReports"}


async def test_429_storm_backs_off_bounded_without_a_retry_storm() -> None:
    fake = FakeSpapi()
    fake.route("GET", REPORT, QUOTA)
    client, clock, _ = make_client(fake, rng=random.Random(7))
    start = clock.time()
    async with client:
        results = await asyncio.gather(
            *(client.reports.get_report("42") for _ in range(20)), return_exceptions=True
        )
    assert all(isinstance(r, ThrottledError) for r in results)
    assert len(fake.requests) <= 20 * (1 + MAX_THROTTLE_RETRIES)
    # After the first 429 the bucket is empty: the rest are paced at 2/s, not fired at once.
    sent_times = clock.time() - start
    assert sent_times >= (len(fake.requests) - 15) * 0.5 - 1
    err0 = results[0]
    assert isinstance(err0, ThrottledError) and err0.code == "QuotaExceeded"
    assert err0.request_id == "rid-429" and err0.hint and "usage plan" in err0.hint


async def test_429_then_success_is_retried_after_the_next_token() -> None:
    fake = FakeSpapi()
    answers = iter([QUOTA, j(200, DONE)])
    fake.route("GET", REPORT, lambda _r: next(answers))
    client, clock, _ = make_client(fake, rng=random.Random(1))
    start = clock.time()
    async with client:
        result = await client.reports.get_report("42")
    assert result.data.report_id == "42" and len(fake.requests) == 2
    assert 0.5 <= clock.time() - start <= 0.5 + 0.5  # one token (0.5 s) + jitter ≤ 0.5 s


async def test_read_retries_500_then_gives_up() -> None:
    fake = FakeSpapi()
    fake.route("GET", REPORT, err(500, "InternalFailure", "We encountered an internal error."))
    client, _, _ = make_client(fake)
    async with client:
        with pytest.raises(ServiceError) as info:
            await client.reports.get_report("42")
    assert len(fake.requests) == 1 + MAX_SERVICE_RETRIES
    assert info.value.hint


async def test_mutation_is_never_retried_blindly() -> None:
    fake = FakeSpapi()
    fake.route("POST", REPORTS, err(500, "InternalFailure", "We encountered an internal error."))
    journal = Journal()
    client, _, _ = make_client(fake, journal=journal)
    async with client:
        with pytest.raises(ServiceError):
            await client.reports.create_report("GET_AFN_INVENTORY_DATA")
    assert len(fake.requests) == 1
    assert journal.intents[0]["service"] == "spapi"
    assert journal.outcomes[0]["status"] == "error"


async def test_lost_answer_of_a_mutation_is_outcome_unknown() -> None:
    fake = FakeSpapi()

    def lost(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection reset", request=request)

    fake.route("DELETE", REPORT, lost)
    journal = Journal()
    client, _, _ = make_client(fake, journal=journal)
    async with client:
        with pytest.raises(OutcomeUnknownError) as info:
            await client.reports.cancel_report("42", status="IN_QUEUE")
    assert len(fake.requests) == 1
    assert journal.outcomes == [
        {
            "id": 1,
            "status": "unknown",
            "request_id": None,
            "http_status": None,
            "error_code": "ReadError",
            "error_message": info.value.message,
        }
    ]


async def test_lost_answer_of_a_read_is_retried() -> None:
    fake = FakeSpapi()
    calls = iter([httpx.ReadError("reset"), j(200, DONE)])

    def flaky(request: httpx.Request) -> httpx.Response:
        answer = next(calls)
        if isinstance(answer, Exception):
            raise answer
        return answer

    fake.route("GET", REPORT, flaky)
    client, _, _ = make_client(fake)
    async with client:
        assert (await client.reports.get_report("42")).data.report_id == "42"


DUPLICATE = (
    "Value X for parameter SellerFulfillmentOrderId is invalid. Reason: DuplicateCancelRequest."
)
DENIED = "Access to requested resource is denied."
MAPPING = [
    (err(400, "InvalidInput", "dataStartTime is after dataEndTime"), InvalidParameterError,
     "InvalidInput"),
    (err(400, "400", "Invalid input", "Invalid input in processing status"),
     InvalidParameterError, "400"),
    (err(404, "NotFound", "The specified resource does not exist."), NotFoundError, "NotFound"),
    (err(403, "Unauthorized", DENIED, ""), AccessDeniedError, "Unauthorized"),
    (err(400, "InvalidInput", DUPLICATE), InvalidStateError, "InvalidInput"),
    (j(415, {"errors": [{"code": "X", "message": None}]}), InvalidParameterError, "X"),
    (httpx.Response(502, text="<html>bad gateway</html>"), ServiceError, "HTTP502"),
    (j(200, ["not", "an", "object"]), MalformedResponseError, "MalformedResponse"),
]  # fmt: skip


@pytest.mark.parametrize(("response", "cls", "code"), MAPPING)
async def test_error_mapping(response: httpx.Response, cls: type[Exception], code: str) -> None:
    fake = FakeSpapi()
    fake.route("GET", REPORT, response)
    client, _, _ = make_client(fake)
    records: list[CallRecord] = []
    client.add_observer(records.append)
    async with client:
        with pytest.raises(cls) as info:
            await client.reports.get_report("42")
    exc = info.value
    assert type(exc) is cls
    assert getattr(exc, "code", None) == code
    assert getattr(exc, "hint", None)
    assert "\n" not in str(exc)
    assert records and records[-1].service == "spapi"


async def test_call_records_carry_request_id_and_no_token() -> None:
    fake = FakeSpapi()
    fake.route("GET", REPORT, j(200, DONE, **{"x-amzn-RequestId": "req-abc"}))
    client, _, _ = make_client(fake)
    records: list[CallRecord] = []
    client.add_observer(records.append)
    async with client:
        await client.reports.get_report("42")
    api = [r for r in records if r.operation == "getReport"]
    assert api[0].request_id == "req-abc" and api[0].method == "GET"
    assert "Atza|" not in repr(records)
