"""The send path: signing, metadata, observers, journal, retries and error mapping."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from mwstui.calls import CallRecord
from mwstui.clock import FakeClock
from mwstui.errors import (
    ConfigError,
    MalformedResponseError,
    OutcomeUnknownError,
    QuotaExceededError,
    ReadOnlyError,
    RequestExpiredError,
    ServiceError,
    SignatureMismatchError,
    ThrottledError,
    TransportError,
)
from mwstui.mws.http import user_agent
from mwstui.mws.signing import sign_v2
from mwstui.secret import Secret
from mwstui.throttle.governor import Governor
from tests.unit.mws_fakes import (
    FBA_NS,
    SELLER,
    FakeJournal,
    FakeMWS,
    Seen,
    envelope,
    error_xml,
    make_client,
    request_info,
    xml,
)

QUOTA = {
    "x-mws-request-id": "hdr-rid",
    "x-mws-timestamp": "2026-01-01T00:00:01.500Z",
    "x-mws-quota-max": "80.0",
    "x-mws-quota-remaining": "74.0",
    "x-mws-quota-resetsOn": "2026-01-01T00:12:00.000Z",
}


def count_ok(seen: Seen) -> httpx.Response:
    return xml(envelope("GetReportCount", "<Count>4</Count>", request_id="body-rid"), headers=QUOTA)


def cancel_ok(seen: Seen) -> httpx.Response:
    return xml(envelope("CancelFulfillmentOrder", None, ns=FBA_NS, request_id="c-rid"))


def sequence(*responses: httpx.Response | Exception) -> object:
    it = iter(responses)

    def handler(seen: Seen) -> httpx.Response:
        nxt = next(it)
        if isinstance(nxt, Exception):
            raise nxt
        return nxt

    return handler


def broken_observer(record: CallRecord) -> None:
    raise RuntimeError("observer bug")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def test_request_is_a_signed_post_to_the_section_path(clock: FakeClock) -> None:
    server = FakeMWS(clock, {"GetReportCount": count_ok})
    client = make_client(clock, server.transport(), auth_token=Secret("amzn.mws.tok"))
    await client.reports.report_count(report_types=["_A_", "_B_"], acknowledged=False)
    (s,) = server.seen
    assert s.path == "/Reports/2009-01-01"
    p = s.params
    assert p["Action"] == "GetReportCount" and p["SellerId"] == SELLER
    assert p["Version"] == "2009-01-01" and p["AWSAccessKeyId"] == "AKIDEXAMPLE"
    assert p["MWSAuthToken"] == "amzn.mws.tok"
    assert p["ReportTypeList.Type.1"] == "_A_" and p["ReportTypeList.Type.2"] == "_B_"
    assert p["Acknowledged"] == "false"
    assert p["Timestamp"] == "2026-01-01T00:00:00.000Z"
    assert p["SignatureMethod"] == "HmacSHA256" and p["SignatureVersion"] == "2"
    expected = sign_v2("s3cr3t-key", "POST", "mws.amazonservices.com", "/Reports/2009-01-01", p)
    assert p["Signature"] == expected
    assert s.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert s.headers["user-agent"] == user_agent()
    await client.aclose()


def test_user_agent_shape() -> None:
    assert re.fullmatch(
        r"mwstui/0\.1\.0 \(Language=Python/3\.\d+; Platform=[^;()]*\)", user_agent()
    )


async def test_result_carries_metadata_and_syncs_the_governor(clock: FakeClock) -> None:
    server = FakeMWS(clock, {"GetReportCount": count_ok})
    client = make_client(clock, server.transport())
    res = await client.reports.report_count()
    assert res.data == 4
    m = res.meta
    assert (m.operation, m.http_status, m.request_id) == ("GetReportCount", 200, "hdr-rid")
    assert m.server_time == datetime(2026, 1, 1, 0, 0, 1, 500000, tzinfo=UTC)
    assert (m.quota_max, m.quota_remaining) == (80.0, 74.0)
    assert m.quota_resets_on == datetime(2026, 1, 1, 0, 12, tzinfo=UTC)
    assert client.clock_skew == pytest.approx(-1.5)
    snap = client._governor.snapshot(client.bucket_key("GetReportCount"))
    assert snap is not None
    assert (snap.hourly_remaining, snap.hourly_max, snap.measured) == (74, 80, True)


async def test_body_request_id_when_the_header_is_missing(clock: FakeClock) -> None:
    server = FakeMWS(
        clock, {"GetReportCount": lambda s: xml(envelope("GetReportCount", "<Count>0</Count>"))}
    )
    client = make_client(clock, server.transport())
    assert (await client.reports.report_count()).meta.request_id == "rid-1"


async def test_observers_get_a_masked_record_per_attempt(clock: FakeClock) -> None:
    throttled = xml(error_xml("RequestThrottled", "Request is throttled"), 503)
    server = FakeMWS(clock, {"GetReportCount": sequence(throttled, count_ok(None))})  # type: ignore[dict-item,arg-type]
    client = make_client(clock, server.transport(), auth_token=Secret("tok-secret"))
    records: list[CallRecord] = []
    client.add_observer(records.append)
    client.add_observer(broken_observer)  # a broken observer must not break the call
    await client.reports.report_count()
    assert [r.attempt for r in records] == [1, 2]
    first, second = records
    assert (first.http_status, first.error_code, first.request_id) == (
        503,
        "RequestThrottled",
        "rid-err",
    )
    assert "RequestThrottled" in first.response_text
    assert (second.http_status, second.error_code, second.request_id) == (200, None, "hdr-rid")
    assert "<Count>4</Count>" in second.response_text
    assert second.waited == pytest.approx(45.0)
    for r in records:
        assert (r.service, r.account, r.operation, r.method) == (
            "mws",
            SELLER,
            "GetReportCount",
            "POST",
        )
        assert r.host == "mws.amazonservices.com" and not r.mutating
        assert r.params["Signature"] == "••••••" and r.params["MWSAuthToken"] == "••••••"
        assert r.params["Action"] == "GetReportCount" and "Timestamp" in r.params
        assert "tok-secret" not in repr(r) and "s3cr3t" not in repr(r)


async def test_request_throttled_waits_for_the_next_token_then_gives_up(clock: FakeClock) -> None:
    throttled = lambda s: xml(error_xml("RequestThrottled", "Request is throttled"), 503)  # noqa: E731
    server = FakeMWS(clock, {"GetReportCount": throttled})
    client = make_client(clock, server.transport())
    with pytest.raises(ThrottledError) as info:
        await client.reports.report_count()
    assert info.value.request_id == "rid-err" and info.value.http_status == 503
    start = server.seen[0].time
    assert [s.time - start for s in server.seen] == [0.0, 45.0, 90.0, 135.0]


async def test_quota_exceeded_blocks_the_bucket_and_raises(clock: FakeClock) -> None:
    headers = {**QUOTA, "x-mws-quota-remaining": "0.0"}
    server = FakeMWS(
        clock,
        {
            "GetReportCount": lambda s: xml(
                error_xml("QuotaExceeded", "You exceeded your quota"), 503, headers
            )
        },
    )
    client = make_client(clock, server.transport())
    with pytest.raises(QuotaExceededError) as info:
        await client.reports.report_count()
    reset = datetime(2026, 1, 1, 0, 12, tzinfo=UTC)
    assert info.value.resets_at == reset and len(server.seen) == 1
    snap = client._governor.snapshot(client.bucket_key("GetReportCount"))
    assert snap is not None and snap.blocked_until == reset
    with pytest.raises(QuotaExceededError, match="LocalQuotaExceeded"):
        await make_client(
            clock, server.transport(), governor=client._governor, max_wait=5
        ).reports.report_count()
    assert len(server.seen) == 1


async def test_service_errors_are_retried_with_backoff_for_reads(clock: FakeClock) -> None:
    boom = xml(
        error_xml("InternalError", "We encountered an internal error", type_="Receiver"), 500
    )
    server = FakeMWS(clock, {"GetReportCount": sequence(boom, boom, boom, count_ok(None))})  # type: ignore[dict-item,arg-type]
    client = make_client(clock, server.transport())
    res = await client.reports.report_count()
    start = server.seen[0].time
    assert [round(s.time - start, 3) for s in server.seen] == [0.0, 0.4, 2.0, 8.4]
    assert res.data == 4 and res.meta.waited == pytest.approx(8.4)


async def test_service_errors_give_up_after_three_retries(clock: FakeClock) -> None:
    page = httpx.Response(502, text="<html><body>Bad Gateway</body></html>")
    server = FakeMWS(clock, {"GetReportCount": lambda s: page})
    client = make_client(clock, server.transport())
    with pytest.raises(ServiceError) as info:
        await client.reports.report_count()
    assert info.value.code == "HTTP502" and "Bad Gateway" in info.value.message
    assert len(server.seen) == 4


async def test_mutations_are_journalled_and_never_retried_on_service_errors(
    clock: FakeClock,
) -> None:
    server = FakeMWS(
        clock,
        {"CancelFulfillmentOrder": lambda s: xml(error_xml("InternalError", "oops"), 500)},
    )
    journal = FakeJournal()
    client = make_client(clock, server.transport(), journal=journal, profile="main")
    with pytest.raises(ServiceError):
        await client.fulfillment.cancel_order("order-1")
    assert len(server.seen) == 1
    (intent,) = journal.intents
    assert intent["operation"] == "CancelFulfillmentOrder" and intent["items"] == ["order-1"]
    assert (
        intent["profile"] == "main" and intent["service"] == "mws" and intent["account"] == SELLER
    )
    assert intent["params"]["SellerFulfillmentOrderId"] == "order-1"  # type: ignore[index]
    (outcome,) = journal.outcomes
    assert outcome["status"] == "error" and outcome["error_code"] == "InternalError"
    assert outcome["http_status"] == 500 and outcome["request_id"] == "rid-err"


async def test_mutation_ok_outcome(clock: FakeClock) -> None:
    server = FakeMWS(clock, {"CancelFulfillmentOrder": cancel_ok})
    journal = FakeJournal()
    client = make_client(clock, server.transport(), journal=journal)
    res = await client.fulfillment.cancel_order("order-1")
    assert res.data is None and res.meta.request_id == "c-rid"
    assert server.seen[0].path == "/FulfillmentOutboundShipment/2010-10-01"
    assert server.seen[0].params["Version"] == "2010-10-01"
    assert journal.outcomes == [
        {"entry": 1, "status": "ok", "request_id": "c-rid", "http_status": 200}
    ]


@pytest.mark.parametrize("exc", [httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError])
async def test_lost_answer_to_a_mutation_is_outcome_unknown(
    clock: FakeClock, exc: type[Exception]
) -> None:
    server = FakeMWS(clock, {"CancelFulfillmentOrder": sequence(exc("lost"), cancel_ok(None))})  # type: ignore[dict-item,arg-type]
    journal = FakeJournal()
    client = make_client(clock, server.transport(), journal=journal)
    with pytest.raises(OutcomeUnknownError) as info:
        await client.fulfillment.cancel_order("order-1")
    assert info.value.code == exc.__name__
    assert len(server.seen) == 1
    assert journal.outcomes[0]["status"] == "unknown"


@pytest.mark.parametrize("exc", [httpx.ConnectError, httpx.ConnectTimeout])
async def test_unsent_mutation_is_a_transport_error(clock: FakeClock, exc: type[Exception]) -> None:
    server = FakeMWS(clock, {"CancelFulfillmentOrder": sequence(exc("refused"))})  # type: ignore[dict-item]
    journal = FakeJournal()
    client = make_client(clock, server.transport(), journal=journal)
    with pytest.raises(TransportError) as info:
        await client.fulfillment.cancel_order("order-1")
    assert not isinstance(info.value, OutcomeUnknownError)
    assert journal.outcomes[0]["status"] == "error"


async def test_read_timeouts_are_retried_within_bounds_then_a_transport_error(
    clock: FakeClock,
) -> None:
    slow = httpx.ReadTimeout("slow")
    server = FakeMWS(clock, {"GetReportCount": sequence(slow, slow, slow, slow)})  # type: ignore[dict-item]
    client = make_client(clock, server.transport())
    records: list[CallRecord] = []
    client.add_observer(records.append)
    start = clock.time()
    with pytest.raises(TransportError) as info:
        await client.reports.report_count()
    assert type(info.value) is TransportError and info.value.code == "ReadTimeout"
    assert [r.error_code for r in records] == ["ReadTimeout"] * 4
    assert records[0].http_status is None
    assert clock.time() - start == pytest.approx(0.4 + 1.6 + 6.4)


async def test_a_read_timeout_once_is_retried_and_succeeds(clock: FakeClock) -> None:
    server = FakeMWS(
        clock,
        {"GetReportCount": sequence(httpx.ReadTimeout("slow"), count_ok(None))},  # type: ignore[dict-item, arg-type]
    )
    client = make_client(clock, server.transport())
    assert (await client.reports.report_count()).data == 4


async def test_malformed_success_of_a_mutation_is_unknown(clock: FakeClock) -> None:
    server = FakeMWS(
        clock,
        {"CancelFulfillmentOrder": lambda s: xml("<oops", headers={"x-mws-request-id": "r9"})},
    )
    journal = FakeJournal()
    client = make_client(clock, server.transport(), journal=journal)
    with pytest.raises(MalformedResponseError) as info:
        await client.fulfillment.cancel_order("order-1")
    assert info.value.request_id == "r9" and info.value.operation == "CancelFulfillmentOrder"
    assert journal.outcomes[0]["status"] == "unknown"


async def test_read_only_refuses_before_sending(clock: FakeClock) -> None:
    server = FakeMWS(clock, {"CancelFulfillmentOrder": cancel_ok})
    journal = FakeJournal()
    client = make_client(clock, server.transport(), journal=journal, read_only=True)
    with pytest.raises(ReadOnlyError):
        await client.fulfillment.cancel_order("order-1")
    with pytest.raises(ReadOnlyError):
        await client.reports.cancel_report_requests(["1"])
    assert server.seen == [] and journal.intents == []
    server.routes["GetReportCount"] = count_ok
    assert (await client.reports.report_count()).data == 4  # reads still work


async def test_request_expired_carries_the_measured_clock_skew(clock: FakeClock) -> None:
    headers = {"x-mws-timestamp": "2025-12-31T23:40:00.000Z", "x-mws-request-id": "e1"}
    msg = "Request signature is too far in the past and has expired. Timestamp date: 2026-01-01"
    server = FakeMWS(
        clock,
        {
            "GetReportCount": lambda s: xml(
                error_xml("RequestExpired", msg, tag="RequestID"), 400, headers
            )
        },
    )
    client = make_client(clock, server.transport())
    with pytest.raises(RequestExpiredError) as info:
        await client.reports.report_count()
    assert info.value.clock_skew == pytest.approx(1200.0)  # we are 20 min ahead
    assert "ahead" in info.value.hint and info.value.request_id == "e1"


async def test_signature_mismatch(clock: FakeClock) -> None:
    msg = "The request signature we calculated does not match the signature you provided."
    server = FakeMWS(
        clock, {"GetReportCount": lambda s: xml(error_xml("SignatureDoesNotMatch", msg), 403)}
    )
    client = make_client(clock, server.transport())
    with pytest.raises(SignatureMismatchError) as info:
        await client.reports.report_count()
    assert (info.value.http_status, info.value.request_id) == (403, "rid-err")
    assert len(server.seen) == 1


async def test_error_response_with_status_200_is_still_an_error(clock: FakeClock) -> None:
    server = FakeMWS(
        clock, {"GetReportCount": lambda s: xml(error_xml("InvalidParameterValue", "bad"))}
    )
    client = make_client(clock, server.transport())
    with pytest.raises(Exception, match="InvalidParameterValue: bad"):
        await client.reports.report_count()


async def test_max_wait_refuses_locally(clock: FakeClock) -> None:
    server = FakeMWS(clock, {"GetReportCount": count_ok})
    gov = Governor(clock)
    client = make_client(clock, server.transport(), governor=gov, max_wait=1.0)
    for _ in range(10):
        await client.reports.report_count()
    with pytest.raises(ThrottledError, match="LocalThrottle"):
        await client.reports.report_count()
    assert len(server.seen) == 10


async def test_cancelled_mutation_is_journalled_unknown(clock: FakeClock) -> None:
    started = asyncio.Event()

    async def slow(request: httpx.Request) -> httpx.Response:
        started.set()
        await asyncio.Event().wait()
        raise AssertionError

    journal = FakeJournal()
    client = make_client(clock, httpx.MockTransport(slow), journal=journal)
    task = asyncio.create_task(client.fulfillment.cancel_order("order-1"))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert journal.outcomes[0]["status"] == "unknown"
    assert journal.outcomes[0]["error_code"] == "Interrupted"  # never a Python type name


async def test_pages_follow_next_token(clock: FakeClock) -> None:
    def first(s: Seen) -> httpx.Response:
        return xml(
            envelope(
                "GetReportRequestList",
                "<HasNext>true</HasNext><NextToken>t+1/=</NextToken>" + request_info("1"),
            )
        )

    def more(s: Seen) -> httpx.Response:
        assert s.params["NextToken"] == "t+1/="
        return xml(
            envelope(
                "GetReportRequestListByNextToken", request_info("2") + "<HasNext>false</HasNext>"
            )
        )

    server = FakeMWS(
        clock, {"GetReportRequestList": first, "GetReportRequestListByNextToken": more}
    )
    client = make_client(clock, server.transport())
    pages = [p async for p in client.reports.iter_report_requests(statuses=["_SUBMITTED_"])]
    assert [[i.report_request_id for i in p.data] for p in pages] == [["1"], ["2"]]
    assert pages[0].meta.next_token == "t+1/=" and pages[1].meta.next_token is None
    assert server.seen[0].params["MaxCount"] == "100"
    assert server.seen[0].params["ReportProcessingStatusList.Status.1"] == "_SUBMITTED_"
    assert "ReportProcessingStatusList.Status.1" not in server.seen[1].params


def test_endpoint_must_be_http(clock: FakeClock) -> None:
    with pytest.raises(ValueError):
        make_client(clock, httpx.MockTransport(lambda r: httpx.Response(200)), endpoint="ftp://x")


async def test_a_repeated_next_token_stops_paging(clock: FakeClock) -> None:
    def page(s: Seen) -> httpx.Response:
        inner = "<HasNext>true</HasNext><NextToken>same</NextToken>" + request_info("1")
        return xml(envelope(s.action, inner))

    server = FakeMWS(clock, {"GetReportRequestList": page, "GetReportRequestListByNextToken": page})
    client = make_client(clock, server.transport())
    pages = []
    with pytest.raises(MalformedResponseError, match="NextTokenRepeated"):
        async for p in client.reports.iter_report_requests():
            pages.append(p)
    assert len(pages) == 2 and len(server.seen) == 2


def test_ca_bundle_path(clock: FakeClock, tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        make_client(
            clock,
            httpx.MockTransport(lambda r: httpx.Response(200)),
            verify=str(tmp_path / "none.pem"),
        )
