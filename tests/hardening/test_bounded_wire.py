"""Broken or hostile endpoints: unreachable, huge, trickling, deep, echoing secrets.

Each call must stay bounded (memory, time, depth), spend nothing it did not send,
and say what failed in one line with no secret in it.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from mwstui.calls import CallRecord
from mwstui.clock import FakeClock
from mwstui.errors import (
    MalformedResponseError,
    NotSentError,
    OutcomeUnknownError,
    TransportError,
)
from mwstui.mws.client import MWSClient
from mwstui.secret import MASK, Secret
from mwstui.sellercenter.client import SellerCenterClient
from mwstui.throttle.governor import Governor
from tests.hardening.wire_servers import closed_port, hostile_server

MWS_SECRET = "wire-test-secret-key-0123456789abcdef0123"
MWS_TOKEN = "amzn.mws.wire-test-token-0000-1111"
SC_KEY = "b1f8c2d9e0a7wiretest5c6d7e8f9a0b1c2d3e4f5"


def mws(url: str, clock: FakeClock, governor: Governor, **kw: Any) -> MWSClient:
    return MWSClient(
        endpoint=url,
        access_key="AKIAWIRETEST",
        secret_key=Secret(MWS_SECRET),
        auth_token=Secret(MWS_TOKEN),
        seller_id="A1WIRE",
        governor=governor,
        clock=clock,
        **kw,
    )


def sc(url: str, clock: FakeClock, governor: Governor, **kw: Any) -> SellerCenterClient:
    return SellerCenterClient(
        endpoint=url,
        user_id="wire@example.test",
        api_key=Secret(SC_KEY),
        governor=governor,
        clock=clock,
        **kw,
    )


def figures(governor: Governor) -> list[tuple[float, int | None, int]]:
    return [(s.tokens, s.hourly_remaining, s.calls) for s in governor.snapshots()]


# -- unreachable: nothing sent, nothing spent ------------------------------------------------


async def test_mws_calls_that_never_connect_spend_no_tokens_nor_hourly_quota() -> None:
    clock, port = FakeClock(), closed_port()
    governor = Governor(clock)
    client = mws(f"http://127.0.0.1:{port}", clock, governor, max_wait=30.0)
    for op in ("GetServiceStatus", "GetReportRequestCount"):
        governor.register(client.bucket_key(op), client.operation(op).throttle, op)
    before = figures(governor)
    async with client:
        for _ in range(6):  # GetServiceStatus holds 2 tokens, one back every 5 minutes
            with pytest.raises(NotSentError) as caught:
                await client.fulfillment.service_status()
            with pytest.raises(NotSentError):
                await client.reports.report_request_count()
    assert figures(governor) == before
    assert f"cannot reach 127.0.0.1:{port}: connection refused" in str(caught.value)
    assert "LocalThrottle" not in str(caught.value)


async def test_sellercenter_calls_that_never_connect_spend_nothing() -> None:
    clock, port = FakeClock(), closed_port()
    governor = Governor(clock)
    records: list[CallRecord] = []
    async with sc(f"http://127.0.0.1:{port}", clock, governor, max_wait=30.0) as client:
        client.add_observer(records.append)
        before = figures(governor)
        for _ in range(4):
            with pytest.raises(NotSentError) as caught:
                await client.failure_reasons()
    assert figures(governor) == before
    assert len(records) == 4 * 5  # bounded retries, every one of them free
    assert f"cannot reach 127.0.0.1:{port}: connection refused" in str(caught.value)


def no_such_name(request: httpx.Request) -> httpx.Response:
    """What httpx raises when the resolver does not know the host."""
    import socket

    try:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    except socket.gaierror as exc:
        raise httpx.ConnectError(str(exc), request=request) from exc


async def test_unknown_host_is_named_in_plain_words() -> None:
    clock = FakeClock()
    governor = Governor(clock)
    client = mws(
        "https://mws.amazonservices.com",
        clock,
        governor,
        transport=httpx.MockTransport(no_such_name),
    )
    records: list[CallRecord] = []
    client.add_observer(records.append)
    async with client:
        with pytest.raises(NotSentError) as caught:
            await client.fulfillment.service_status()
    assert "cannot reach mws.amazonservices.com: name not known" in str(caught.value)
    # A name the resolver does not know is not asked again (each lookup can take seconds).
    assert len(records) == 1


async def test_a_failed_tls_handshake_is_not_sent_and_says_so() -> None:
    clock = FakeClock()
    async with hostile_server("not-tls") as served:
        governor = Governor(clock)
        url = f"https://127.0.0.1:{served.port}"
        async with mws(url, clock, governor) as client:
            with pytest.raises(NotSentError) as caught:
                await client.reports.report_request_count()
    assert f"cannot reach 127.0.0.1:{served.port}: TLS handshake failed" in str(caught.value)
    assert all(s.tokens == s.capacity for s in governor.snapshots())


async def test_sellercenter_does_not_retry_an_unknown_host() -> None:
    clock = FakeClock()
    records: list[CallRecord] = []
    transport = httpx.MockTransport(no_such_name)
    async with sc("https://sc.example.test", clock, Governor(clock), transport=transport) as c:
        c.add_observer(records.append)
        with pytest.raises(NotSentError, match=r"cannot reach sc\.example\.test: name not known"):
            await c.failure_reasons()
    assert len(records) == 1


# -- memory: an answer over the cap is refused while it streams ------------------------------


@pytest.mark.parametrize("service", ["mws", "sellercenter"])
async def test_a_huge_answer_is_refused_early(service: str) -> None:
    cap = 2 * 1024 * 1024
    clock = FakeClock()
    async with hostile_server("huge") as served:
        governor = Governor(clock)
        if service == "mws":
            client: Any = mws(served.url, clock, governor, max_response_bytes=cap)
            call = client.reports.report_request_count
        else:
            client = sc(served.url, clock, governor, max_response_bytes=cap)
            call = client.failure_reasons
        async with client:
            with pytest.raises(MalformedResponseError) as caught:
                await call()
    assert "larger than 2 MB" in str(caught.value)
    assert served.requests == 1  # refused, not retried
    # 400 MB were on offer; the client stopped reading at the cap (plus socket buffers).
    assert served.bytes_sent < 32 * 1024 * 1024


async def test_a_declared_huge_answer_is_refused_before_reading() -> None:
    clock = FakeClock()
    async with hostile_server("declared-huge") as served:
        client = mws(served.url, clock, Governor(clock), max_response_bytes=1024 * 1024)
        async with client:
            t0 = time.monotonic()
            with pytest.raises(MalformedResponseError, match="larger than 1 MB"):
                await client.reports.report_request_count()
    assert time.monotonic() - t0 < 5


# -- time: an overall deadline, however slowly bytes arrive ----------------------------------


@pytest.mark.parametrize("kind", ["trickle", "silent"])
@pytest.mark.parametrize("service", ["mws", "sellercenter"])
async def test_a_trickling_or_silent_server_cannot_hold_a_call(service: str, kind: str) -> None:
    clock = FakeClock()
    async with hostile_server(kind, interval=0.02) as served:
        governor = Governor(clock)
        if service == "mws":
            client: Any = mws(served.url, clock, governor, deadline=0.4)
            call = client.reports.report_request_count
        else:
            client = sc(served.url, clock, governor, deadline=0.4)
            call = client.failure_reasons
        async with client:
            t0 = time.monotonic()
            with pytest.raises(TransportError) as caught:
                await call()
            elapsed = time.monotonic() - t0
    assert caught.value.code == "DeadlineExceeded"
    assert "within 0.4 s" in str(caught.value)
    assert served.requests == 1  # a deadline is not retried: it would hold the caller again
    assert elapsed < 5


async def test_a_mutation_over_the_deadline_is_unknown_not_failed() -> None:
    clock = FakeClock()
    async with hostile_server("silent") as served:
        client = mws(served.url, clock, Governor(clock), deadline=0.3)
        async with client:
            with pytest.raises(OutcomeUnknownError, match=r"within 0\.3 s"):
                await client.fulfillment.cancel_order("SBX-1")


# -- structure: deep nesting is a malformed response ---------------------------------------


def _deep_xml(depth: int) -> bytes:
    return b"<a>" * depth + b"x" + b"</a>" * depth


@pytest.mark.parametrize("depth", [200, 50_000])
async def test_deeply_nested_mws_xml_is_malformed_not_a_recursion_error(depth: int) -> None:
    clock = FakeClock()
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=_deep_xml(depth)))
    async with mws("https://mws.example.test", clock, Governor(clock), transport=transport) as c:
        with pytest.raises(MalformedResponseError, match="malformed response"):
            await c.reports.report_request_count()


@pytest.mark.parametrize(
    "body",
    [
        b'{"SuccessResponse": {"Head": {}, "Body": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
        b'{"SuccessResponse": {"Head": {"x": "[[[[[[[[["}, "Body": ' + b"{}" + b"}}",
        _deep_xml(100_000),
    ],
    ids=["json", "json-brackets-in-strings-are-fine", "xml"],
)
async def test_deeply_nested_sellercenter_answers_are_malformed(body: bytes) -> None:
    clock = FakeClock()
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=body))
    async with sc("https://sc.example.test", clock, Governor(clock), transport=transport) as c:
        if b'"[[[[[[[[["' in body:
            assert (await c.failure_reasons()).data == []
            return
        with pytest.raises(MalformedResponseError, match="malformed response"):
            await c.failure_reasons()


# -- secrets: masked even when the server echoes them ----------------------------------------


def _echo_mws(request: httpx.Request) -> httpx.Response:
    body = (
        '<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type>'
        f"<Code>InvalidParameterValue</Code><Message>bad key {MWS_SECRET} token {MWS_TOKEN}"
        f"</Message></Error><RequestId>rid-echo</RequestId></ErrorResponse>"
    )
    return httpx.Response(400, content=body.encode())


async def test_a_secret_echoed_by_mws_never_reaches_a_message_record_or_journal() -> None:
    from tests.unit.mws_fakes import FakeJournal

    clock = FakeClock()
    journal = FakeJournal()
    records: list[CallRecord] = []
    transport = httpx.MockTransport(_echo_mws)
    client = mws(
        "https://mws.example.test", clock, Governor(clock), transport=transport, journal=journal
    )
    client.add_observer(records.append)
    async with client:
        with pytest.raises(Exception) as caught:
            await client.fulfillment.cancel_order("SBX-1")
    shown = [str(caught.value), caught.value.message, repr(journal.outcomes)]  # type: ignore[attr-defined]
    shown += [r.error_message or "" for r in records] + [r.response_text for r in records]
    for text in shown:
        assert MWS_SECRET not in text and MWS_TOKEN not in text
    assert MASK in str(caught.value)


async def test_a_secret_echoed_by_sellercenter_is_masked() -> None:
    clock = FakeClock()
    records: list[CallRecord] = []
    head = {"ErrorType": "Sender", "ErrorCode": "7", "ErrorMessage": f"E007: key {SC_KEY} bad"}
    transport = httpx.MockTransport(
        lambda r: httpx.Response(200, json={"ErrorResponse": {"Head": head}})
    )
    async with sc("https://sc.example.test", clock, Governor(clock), transport=transport) as c:
        c.add_observer(records.append)
        with pytest.raises(Exception) as caught:
            await c.failure_reasons()
    for text in [str(caught.value)] + [f"{r.error_message} {r.response_text}" for r in records]:
        assert SC_KEY not in text
    assert MASK in str(caught.value)
