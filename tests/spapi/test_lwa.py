"""Login with Amazon: the exchange, the cache, the refresh on a 403 "expired", the errors."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import httpx
import pytest

from mwstui.calls import CallRecord
from mwstui.errors import AccessDeniedError, AuthError
from tests.spapi.fakes import (
    CLIENT_ID,
    CLIENT_SECRET,
    REFRESH_TOKEN,
    FakeSpapi,
    err,
    j,
    make_client,
)

REPORT = "/reports/2021-06-30/reports/42"
DENIED = "Access to requested resource is denied."
EXPIRED = "The access token you provided has expired."
DONE = {"reportId": "42", "reportType": "T", "processingStatus": "DONE"}


async def test_exchange_posts_the_documented_form() -> None:
    fake = FakeSpapi()
    fake.route("GET", REPORT, j(200, DONE))
    client, _, _ = make_client(fake)
    async with client:
        await client.reports.get_report("42")
    (tok,) = fake.token_requests
    assert str(tok.url) == "https://api.amazon.com/auth/o2/token"
    assert tok.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert dict(parse_qsl(tok.content.decode())) == {
        "grant_type": "refresh_token",
        "refresh_token": REFRESH_TOKEN,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }


async def test_request_headers_token_date_user_agent_no_sigv4() -> None:
    fake = FakeSpapi()
    fake.route("GET", REPORT, j(200, DONE))
    client, _, _ = make_client(fake)
    async with client:
        await client.reports.get_report("42")
    (req,) = fake.requests
    assert req.headers["x-amz-access-token"] == "Atza|token-1"
    assert req.headers["x-amz-date"] == "20260101T000000Z"
    assert re.fullmatch(
        r"mwstui/[^ ]+ \(Language=Python/3\.\d+; Platform=[^)]+\)", req.headers["user-agent"]
    )
    assert "authorization" not in req.headers


async def test_token_cached_until_60_s_before_expiry() -> None:
    fake = FakeSpapi()
    fake.route("GET", REPORT, j(200, DONE))
    client, clock, _ = make_client(fake)
    async with client:
        await client.reports.get_report("42")
        clock.advance(3600 - 61)
        await client.reports.get_report("42")
        assert client.tokens.exchanges == 1
        clock.advance(2)  # now 59 s before expiry: stale
        await client.reports.get_report("42")
    assert client.tokens.exchanges == 2
    assert fake.seen_tokens == [
        "Atza|token-1",
        "Atza|token-1",
        "Atza|token-2",
    ]


async def test_403_expired_refreshes_once_and_sends_again() -> None:
    fake = FakeSpapi()
    answers = iter(
        [
            err(403, "Unauthorized", DENIED, EXPIRED),
            j(200, DONE),
        ]
    )
    fake.route("GET", REPORT, lambda _r: next(answers))
    client, _, _ = make_client(fake)
    async with client:
        result = await client.reports.get_report("42")
    assert result.data.report_id == "42"
    assert fake.seen_tokens == [
        "Atza|token-1",
        "Atza|token-2",
    ]
    assert client.auth.refreshes == 1


async def test_403_expired_twice_is_an_error_not_a_loop() -> None:
    fake = FakeSpapi()
    fake.route(
        "GET",
        REPORT,
        err(403, "Unauthorized", DENIED, EXPIRED),
    )
    client, _, _ = make_client(fake)
    async with client:
        with pytest.raises(AccessDeniedError) as info:
            await client.reports.get_report("42")
    assert len(fake.requests) == 2
    assert client.tokens.exchanges == 2
    assert info.value.request_id == "rid-403"
    assert info.value.hint


async def test_403_other_reason_is_not_retried() -> None:
    fake = FakeSpapi()
    fake.route(
        "GET", REPORT, err(403, "Unauthorized", "Access to requested resource is denied.", "")
    )
    client, _, _ = make_client(fake)
    async with client:
        with pytest.raises(AccessDeniedError):
            await client.reports.get_report("42")
    assert len(fake.requests) == 1
    assert client.tokens.exchanges == 1


@pytest.mark.parametrize(
    ("status", "body", "code", "words"),
    [
        (
            400,
            {
                "error": "invalid_grant",
                "error_description": "The request has an invalid grant parameter : refresh_token",
            },
            "invalid_grant",
            "the seller revoked the app or the refresh token is wrong",
        ),
        (
            401,
            {"error": "invalid_client", "error_description": "Client authentication failed"},
            "invalid_client",
            "client id/secret wrong or the secret was not rotated",
        ),
    ],
)
async def test_lwa_errors_one_clear_message(
    status: int, body: dict[str, str], code: str, words: str
) -> None:
    fake = FakeSpapi(lwa=lambda _r: httpx.Response(status, json=body))
    client, _, _ = make_client(fake)
    records: list[CallRecord] = []
    client.add_observer(records.append)
    async with client:
        with pytest.raises(AuthError) as info:
            await client.reports.get_report("42")
    assert info.value.code == code
    assert words in str(info.value)
    assert info.value.hint
    assert fake.requests == []  # nothing reached SP-API
    assert [(r.operation, r.error_code) for r in records] == [
        ("LWA token", code),
        ("getReport", code),
    ]


async def test_concurrent_callers_share_one_exchange() -> None:
    import asyncio

    fake = FakeSpapi()
    fake.route("GET", REPORT, j(200, DONE))
    client, _, _ = make_client(fake)
    async with client:
        await asyncio.gather(*(client.reports.get_report("42") for _ in range(5)))
    assert client.tokens.exchanges == 1


async def test_secrets_never_in_repr() -> None:
    fake = FakeSpapi()
    client, _, _ = make_client(fake)
    async with client:
        text = repr(client) + repr(client.tokens) + repr(vars(client.tokens))
    assert CLIENT_SECRET not in text and REFRESH_TOKEN not in text


@pytest.mark.parametrize(
    "given", ["https://lwa.example.test", "https://lwa.example.test/auth/o2/token/"]
)
def test_the_lwa_endpoint_is_a_host_or_the_token_url_itself(given: str) -> None:
    from mwstui.clock import FakeClock
    from mwstui.secret import Secret
    from mwstui.spapi.lwa import TokenProvider

    provider = TokenProvider(
        client_id=CLIENT_ID,
        client_secret=Secret(CLIENT_SECRET),
        refresh_token=Secret(REFRESH_TOKEN),
        clock=FakeClock(),
        endpoint=given,
    )
    assert provider.url == "https://lwa.example.test/auth/o2/token"
