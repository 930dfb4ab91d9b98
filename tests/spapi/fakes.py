"""A scripted SP-API + LWA behind ``httpx.MockTransport`` for the client's unit tests."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx

from mwstui.clock import FakeClock
from mwstui.secret import Secret
from mwstui.spapi.client import SPAPIClient
from mwstui.throttle.governor import Governor

ENDPOINT = "https://sellingpartnerapi-eu.amazon.com"
LWA_HOST = "api.amazon.com"
CLIENT_ID = "amzn1.application-oa2-client.test"
CLIENT_SECRET = "client-secret-VALUE"
REFRESH_TOKEN = "Atzr|refresh-token-VALUE"

Handler = Callable[[httpx.Request], httpx.Response]


def j(status: int, body: Any = None, **headers: str) -> httpx.Response:
    """A JSON answer with a request id."""
    hdrs = {"x-amzn-RequestId": f"rid-{status}", **headers}
    if body is None:
        return httpx.Response(status, headers=hdrs)
    return httpx.Response(status, json=body, headers=hdrs)


def err(status: int, code: str, message: str, details: str = "") -> httpx.Response:
    return j(status, {"errors": [{"code": code, "message": message, "details": details}]})


@dataclass
class FakeSpapi:
    """Routes ``(METHOD, path)`` to handlers; answers LWA; records every request."""

    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    token_requests: list[httpx.Request] = field(default_factory=list)
    seen_tokens: list[str | None] = field(default_factory=list)
    """``x-amz-access-token`` of each request as sent (a resent request is the same object)."""
    lwa: Handler | None = None
    tokens: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def route(self, method: str, path: str, handler: Handler | httpx.Response) -> None:
        if isinstance(handler, httpx.Response):
            response = handler
            self.routes[(method, path)] = lambda _r: response
        else:
            self.routes[(method, path)] = handler

    def _lwa(self, request: httpx.Request) -> httpx.Response:
        self.token_requests.append(request)
        if self.lwa is not None:
            return self.lwa(request)
        n = next(self.tokens)
        return httpx.Response(
            200,
            json={"access_token": f"Atza|token-{n}", "token_type": "bearer", "expires_in": 3600},
        )

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == LWA_HOST:
            return self._lwa(request)
        self.requests.append(request)
        self.seen_tokens.append(request.headers.get("x-amz-access-token"))
        handler = self.routes.get((request.method, request.url.path))
        if handler is None:
            return err(404, "NotFound", f"no route {request.method} {request.url.path}")
        return handler(request)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def calls(self, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path == path]


class _Chunks(httpx.AsyncByteStream):
    def __init__(self, data: bytes, size: int) -> None:
        self._parts = [data[i : i + size] for i in range(0, len(data), size)]

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        for part in self._parts:
            yield part


def streamed(
    status: int, data: bytes, headers: dict[str, str] | None = None, chunk: int = 7
) -> httpx.Response:
    """A response whose body streams in small chunks, as from a real server."""
    hdrs = {"content-length": str(len(data)), **(headers or {})}
    return httpx.Response(status, headers=hdrs, stream=_Chunks(data, chunk))


def query(request: httpx.Request) -> dict[str, str]:
    return dict(parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True))


def body(request: httpx.Request) -> Any:
    return json.loads(request.content)


def make_client(
    fake: FakeSpapi, clock: FakeClock | None = None, **kw: Any
) -> tuple[SPAPIClient, FakeClock, Governor]:
    clock = clock or FakeClock()
    governor = kw.pop("governor", None) or Governor(clock)
    client = SPAPIClient(
        region="EU",
        client_id=CLIENT_ID,
        client_secret=Secret(CLIENT_SECRET),
        refresh_token=Secret(REFRESH_TOKEN),
        seller_id="A2SELLER",
        governor=governor,
        clock=clock,
        marketplace_ids=("A1PA6795UKMFR9",),
        transport=fake.transport(),
        **kw,
    )
    return client, clock, governor
