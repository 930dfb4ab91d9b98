"""The SP-API client on broken or hostile endpoints: unreachable, huge, trickling, deep.

The same bounds as MWS and SellerCenter (``test_bounded_wire``): memory, time and depth
bounded, nothing spent that was not sent, records in words and without secrets.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from mwstui.calls import CallRecord
from mwstui.catalog import load_catalog
from mwstui.clock import FakeClock
from mwstui.errors import (
    ApiError,
    MalformedResponseError,
    NotSentError,
    OutcomeUnknownError,
    TransportError,
)
from mwstui.secret import MASK, Secret
from mwstui.spapi.client import SPAPIClient
from mwstui.spapi.lwa import _Token
from mwstui.throttle.governor import Governor
from tests.hardening.test_bounded_wire import no_such_name
from tests.hardening.wire_servers import closed_port, hostile_server
from tests.unit.mws_fakes import FakeJournal

CLIENT_SECRET = "amzn1.oa2-cs.v1.wire-test-client-secret-0123456789"
REFRESH_TOKEN = "Atzr|wire-test-refresh-token-abcdefghijklmnop"
ACCESS_TOKEN = "Atza|wire-test-access-token-qrstuvwxyz012345"
REPORT_ID = "50001019000"


def spapi(url: str, clock: FakeClock, governor: Governor, **kw: Any) -> SPAPIClient:
    return SPAPIClient(
        region="NA",
        client_id="amzn1.application-oa2-client.wiretest",
        client_secret=Secret(CLIENT_SECRET),
        refresh_token=Secret(REFRESH_TOKEN),
        seller_id="A1WIRE",
        governor=governor,
        clock=clock,
        endpoint=url,
        lwa_endpoint=url,
        **kw,
    )


def with_token(client: SPAPIClient, clock: FakeClock) -> SPAPIClient:
    """An access token already held: the hostile server then meets the API call itself."""
    client.tokens._token = _Token(Secret(ACCESS_TOKEN), clock.time() + 3600)
    return client


def lwa_or(body: bytes, status: int = 200) -> httpx.MockTransport:
    """LWA hands out a token; every API call gets ``body``."""
    token_path = load_catalog().spapi.lwa_token_path

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == token_path:
            return httpx.Response(200, json={"access_token": ACCESS_TOKEN, "expires_in": 3600})
        return httpx.Response(status, content=body)

    return httpx.MockTransport(handle)


def figures(governor: Governor) -> list[tuple[float, int | None, int]]:
    return [(s.tokens, s.hourly_remaining, s.calls) for s in governor.snapshots()]


# -- unreachable: nothing sent, nothing spent, a lookup that failed not repeated -------------


async def test_calls_that_never_connect_give_their_token_back_and_name_the_host() -> None:
    clock, port = FakeClock(), closed_port()
    governor = Governor(clock)
    client = with_token(spapi(f"http://127.0.0.1:{port}", clock, governor, max_wait=30.0), clock)
    governor.register(client.bucket_key("getReport"), client.throttle("getReport"), "getReport")
    before = figures(governor)
    async with client:
        for _ in range(4):  # getReport holds 15 tokens, each retry would take one more
            with pytest.raises(NotSentError) as caught:
                await client.reports.get_report(REPORT_ID)
    assert figures(governor) == before
    assert f"cannot reach 127.0.0.1:{port}: connection refused" in str(caught.value)


async def test_a_token_exchange_that_never_connects_is_not_sent_either() -> None:
    clock, port = FakeClock(), closed_port()
    governor = Governor(clock)
    async with spapi(f"http://127.0.0.1:{port}", clock, governor) as client:
        with pytest.raises(NotSentError, match=f"cannot reach 127.0.0.1:{port}: connection"):
            await client.reports.get_report(REPORT_ID)
    assert all(s.tokens == s.capacity for s in governor.snapshots())


async def test_an_unknown_host_is_named_and_not_retried() -> None:
    clock = FakeClock()
    records: list[CallRecord] = []
    client = with_token(
        spapi(
            "https://sellingpartnerapi-na.amazon.com",
            clock,
            Governor(clock),
            transport=httpx.MockTransport(no_such_name),
        ),
        clock,
    )
    client.add_observer(records.append)
    async with client:
        with pytest.raises(NotSentError) as caught:
            await client.reports.get_report(REPORT_ID)
    assert "cannot reach sellingpartnerapi-na.amazon.com: name not known" in str(caught.value)
    assert len(records) == 1


async def test_a_failed_tls_handshake_is_not_sent() -> None:
    clock = FakeClock()
    async with hostile_server("not-tls") as served:
        governor = Governor(clock)
        url = f"https://127.0.0.1:{served.port}"
        async with with_token(spapi(url, clock, governor), clock) as client:
            with pytest.raises(NotSentError) as caught:
                await client.reports.get_report(REPORT_ID)
    assert f"cannot reach 127.0.0.1:{served.port}: TLS handshake failed" in str(caught.value)
    assert all(s.tokens == s.capacity for s in governor.snapshots())


# -- memory and time -------------------------------------------------------------------------


async def test_a_huge_answer_is_refused_at_the_configured_cap() -> None:
    clock = FakeClock()
    async with hostile_server("huge") as served:
        client = spapi(served.url, clock, Governor(clock), max_response_bytes=2 * 1024 * 1024)
        async with with_token(client, clock):
            with pytest.raises(MalformedResponseError, match="larger than 2 MB"):
                await client.reports.get_report(REPORT_ID)
    assert served.requests == 1
    assert served.bytes_sent < 32 * 1024 * 1024


async def test_a_huge_token_answer_is_refused_too() -> None:
    clock = FakeClock()
    async with hostile_server("huge") as served:
        client = spapi(served.url, clock, Governor(clock), max_response_bytes=1024 * 1024)
        async with client:
            with pytest.raises(MalformedResponseError, match="larger than 1 MB"):
                await client.tokens.token()
    assert served.bytes_sent < 32 * 1024 * 1024


@pytest.mark.parametrize("kind", ["trickle", "silent"])
async def test_a_trickling_or_silent_server_cannot_hold_a_read(kind: str) -> None:
    clock = FakeClock()
    async with hostile_server(kind, interval=0.02) as served:
        client = with_token(spapi(served.url, clock, Governor(clock), deadline=0.4), clock)
        async with client:
            t0 = time.monotonic()
            with pytest.raises(TransportError) as caught:
                await client.reports.get_report(REPORT_ID)
            elapsed = time.monotonic() - t0
    assert caught.value.code == "DeadlineExceeded"
    assert "within 0.4 s" in str(caught.value)
    assert served.requests == 1  # not retried: it would hold the caller as long again
    assert elapsed < 5


async def test_a_mutation_over_the_deadline_is_recorded_unknown() -> None:
    clock = FakeClock()
    journal = FakeJournal()
    async with hostile_server("silent") as served:
        client = spapi(served.url, clock, Governor(clock), deadline=0.3, journal=journal)
        async with with_token(client, clock):
            with pytest.raises(OutcomeUnknownError, match=r"sent, but .*within 0\.3 s"):
                await client.reports.cancel_report(REPORT_ID, status="IN_QUEUE")
    assert served.requests == 1
    assert [o["status"] for o in journal.outcomes] == ["unknown"]


class Hangs(httpx.AsyncBaseTransport):
    """Takes the request, says so, and never answers (until the caller gives up)."""

    def __init__(self) -> None:
        self.reached = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.reached.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def test_an_interrupted_mutation_is_recorded_in_words() -> None:
    clock = FakeClock()
    journal = FakeJournal()
    records: list[CallRecord] = []
    hangs = Hangs()
    client = spapi(
        "https://sp.example.test", clock, Governor(clock), transport=hangs, journal=journal
    )
    client.add_observer(records.append)
    async with with_token(client, clock):
        task = asyncio.create_task(client.reports.cancel_report(REPORT_ID, status="IN_QUEUE"))
        await hangs.reached.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert [(o["status"], o["error_code"]) for o in journal.outcomes] == [
        ("unknown", "Interrupted")
    ]
    assert "CancelledError" not in repr(journal.outcomes)
    assert [r.error_code for r in records] == ["Interrupted"]


# -- depth -----------------------------------------------------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("status", [200, 400])
async def test_deeply_nested_answers_are_malformed_not_a_recursion_error(status: int) -> None:
    clock = FakeClock()
    async with spapi(
        "https://sp.example.test", clock, Governor(clock), transport=lwa_or(DEEP, status)
    ) as client:
        with pytest.raises(MalformedResponseError, match="malformed response"):
            await client.reports.get_report(REPORT_ID)


async def test_a_deep_token_refusal_is_an_error_not_a_recursion_error() -> None:
    clock = FakeClock()
    transport = httpx.MockTransport(lambda r: httpx.Response(400, content=DEEP[:60_000]))
    async with spapi("https://sp.example.test", clock, Governor(clock), transport=transport) as c:
        with pytest.raises(ApiError):
            await c.tokens.token()


# -- secrets ---------------------------------------------------------------------------------


async def test_secrets_echoed_by_spapi_never_reach_a_message_record_or_journal() -> None:
    clock = FakeClock()
    journal = FakeJournal()
    records: list[CallRecord] = []
    echo = (
        f'{{"errors":[{{"code":"InvalidInput","message":"bad {CLIENT_SECRET}",'
        f'"details":"{REFRESH_TOKEN} {ACCESS_TOKEN}"}}]}}'
    ).encode()
    client = spapi(
        "https://sp.example.test",
        clock,
        Governor(clock),
        transport=lwa_or(echo, 400),
        journal=journal,
    )
    client.add_observer(records.append)
    async with client:
        with pytest.raises(ApiError) as caught:
            await client.reports.cancel_report(REPORT_ID, status="IN_QUEUE")
    shown = [str(caught.value), caught.value.message, repr(journal.outcomes)]
    shown += [f"{r.error_message} {r.response_text}" for r in records]
    for text in shown:
        for secret in (CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN):
            assert secret not in text
    assert any(MASK in (r.response_text or "") for r in records)
