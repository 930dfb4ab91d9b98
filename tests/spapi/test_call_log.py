"""The SP-API client reports through the shared ``CallLog``: what a record carries, and no
secret (access token, client secret, refresh token) in a record, the journal or a log.

One recorded session: the LWA token exchange, a read throttled once (429) then answered,
a cancel Amazon accepts, and a cancel refused with a message that echoes the access token
and the client secret back. Everything the records, the SQLite journal (its files on
disk) and the Python logs hold afterwards is searched for every secret, raw and encoded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, quote_plus

import httpx
import pytest

from mwstui.call_log import CallLog
from mwstui.calls import CallRecord
from mwstui.clock import FakeClock
from mwstui.errors import AuthError, InvalidParameterError
from mwstui.journal.store import Journal
from mwstui.secret import MASK, Secret
from mwstui.spapi.lwa import TOKEN_OPERATION
from tests.spapi.fakes import CLIENT_SECRET, REFRESH_TOKEN, FakeSpapi, err, j, make_client

ACCESS = "Atza|hunt-ACCESS-token-5e4d3c2b1a0f"
READ_PATH = "/reports/2021-06-30/reports/42"
CANCEL_OK = "/reports/2021-06-30/reports/43"
CANCEL_REFUSED = "/reports/2021-06-30/reports/44"
WIRE_SECONDS = 0.25
"""What each answer takes on the (fake) wire: the records' duration."""


def _forms(*values: str) -> list[str]:
    return [f for v in values for f in (v, quote(v, safe=""), quote_plus(v))]


def _files(folder: Path) -> bytes:
    """Every file the journal left (the database, its WAL and shared memory)."""
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())


def _session(clock: FakeClock) -> FakeSpapi:
    reads = iter([err(429, "QuotaExceeded", "You exceeded your quota.")])

    def lwa(_request: httpx.Request) -> httpx.Response:
        clock.advance(WIRE_SECONDS)
        return httpx.Response(200, json={"access_token": ACCESS, "expires_in": 3600})

    def read(_request: httpx.Request) -> httpx.Response:
        clock.advance(WIRE_SECONDS)
        body = {"reportId": "42", "reportType": "T", "processingStatus": "DONE"}
        return next(reads, None) or j(200, body, **{"x-amzn-RequestId": "req-read"})

    def after_a_while(response: httpx.Response) -> Callable[[httpx.Request], httpx.Response]:
        def answer(_request: httpx.Request) -> httpx.Response:
            clock.advance(WIRE_SECONDS)
            return response

        return answer

    fake = FakeSpapi(lwa=lwa)
    fake.route("GET", READ_PATH, read)
    fake.route("DELETE", CANCEL_OK, after_a_while(j(200, **{"x-amzn-RequestId": "req-cancel"})))
    echo = f"token {ACCESS} for client secret {CLIENT_SECRET} is not allowed"
    fake.route("DELETE", CANCEL_REFUSED, after_a_while(err(400, "InvalidInput", echo)))
    return fake


async def test_a_recorded_spapi_session_shows_every_call_and_no_secret(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    clock = FakeClock()
    fake = _session(clock)
    journal = Journal(tmp_path / "journal.sqlite", clock)
    client, _, _ = make_client(fake, clock, journal=journal, profile="eu")
    records: list[CallRecord] = []
    client.add_observer(records.append)
    async with client:
        await client.reports.get_report("42")
        await client.reports.cancel_report("43", status="IN_QUEUE")
        with pytest.raises(InvalidParameterError):
            await client.reports.cancel_report("44", status="IN_QUEUE")
    # The token really went out: the secrets below are the ones in use.
    assert fake.seen_tokens and set(fake.seen_tokens) == {ACCESS}

    shown = [(r.operation, r.http_status, r.request_id, r.error_code) for r in records]
    assert shown == [
        (TOKEN_OPERATION, 200, None, None),
        ("getReport", 429, "rid-429", "QuotaExceeded"),
        ("getReport", 200, "req-read", None),
        ("cancelReport", 200, "req-cancel", None),
        ("cancelReport", 400, "rid-400", "InvalidInput"),
    ]
    token, throttled, read, cancel, refused = records
    assert (token.method, token.host, token.params, token.response_text) == (
        "POST", "api.amazon.com", {}, "",
    )  # fmt: skip
    assert all(r.service == "spapi" for r in records)
    assert {r.account for r in records[1:]} == {"A2SELLER"}
    assert [r.attempt for r in (throttled, read)] == [1, 2] and read.waited > 0
    # The first call's exchange waited for the token exchange inside it.
    assert [r.duration for r in records] == [WIRE_SECONDS, 2 * WIRE_SECONDS] + [WIRE_SECONDS] * 3
    assert '"processingStatus":"DONE"' in read.response_text  # the inspector's body
    assert cancel.mutating and not read.mutating and cancel.method == "DELETE"
    assert refused.error_message and MASK in refused.error_message
    assert MASK in refused.response_text

    entries = sorted(journal.entries(None), key=lambda e: e.id)
    assert [(e.operation, list(e.items), e.status) for e in entries] == [
        ("cancelReport", ["43"], "ok"),
        ("cancelReport", ["44"], "error"),
    ]
    assert entries[0].request_id == "req-cancel"
    assert entries[1].error_code == "InvalidInput" and MASK in (entries[1].error_message or "")
    journal.close()

    on_disk = _files(tmp_path)
    seen = repr(records) + repr(entries) + caplog.text
    assert "HTTP Request" in caplog.text  # the logs were captured
    for secret in _forms(ACCESS, CLIENT_SECRET, REFRESH_TOKEN):
        assert secret not in seen, secret
        assert secret.encode() not in on_disk, secret


async def test_a_failed_token_exchange_is_recorded_without_the_form() -> None:
    def lwa(_request: httpx.Request) -> httpx.Response:
        echo = f"bad refresh_token={quote_plus(REFRESH_TOKEN)} for {CLIENT_SECRET}"
        return httpx.Response(400, json={"error": "invalid_grant", "error_description": echo})

    client, _, _ = make_client(FakeSpapi(lwa=lwa))
    records: list[CallRecord] = []
    client.add_observer(records.append)
    async with client:
        with pytest.raises(AuthError, match="revoked the app"):
            await client.reports.get_report("42")
    token = records[0]
    assert (token.operation, token.http_status, token.error_code) == (
        TOKEN_OPERATION, 400, "invalid_grant",
    )  # fmt: skip
    for secret in _forms(CLIENT_SECRET, REFRESH_TOKEN):
        assert secret not in repr(records)


def test_a_local_failure_in_the_journal_is_masked() -> None:
    # A failure on our side (not an ApiError, which masks when it is made) may quote
    # what was being sent: the journal keeps it masked.
    secret = Secret("local-failure-secret-0a1b2c3d")
    written: list[dict[str, object]] = []

    class Recorder:
        def record_intent(self, **_kw: object) -> int:
            return 1

        def record_outcome(self, entry_id: int, **fields: object) -> None:
            written.append(fields)

    log = CallLog("spapi", "host", "A2SELLER", Recorder(), "eu")
    log.interrupted(1, RuntimeError(f"could not send {secret.reveal()}"))
    assert written == [
        {"status": "unknown", "error_code": "LocalError", "error_message": f"could not send {MASK}"}
    ]
