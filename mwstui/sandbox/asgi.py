"""Plain-ASGI plumbing shared by the sandbox apps: types, body reading, responses."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 4 * 1024 * 1024
"""Largest request body read; bigger bodies are refused (the real limit is unpublished)."""

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


class BodyTooLarge(Exception):
    """The request body exceeded ``MAX_BODY``."""


@dataclass(frozen=True, slots=True)
class BodyStream:
    """A body sent piece by piece (a large report), its length known before the first byte.

    Attributes:
        length: total bytes ``chunks`` yields (sent as Content-Length).
        chunks: a fresh iterator over the pieces each time it is called.
    """

    length: int
    chunks: Callable[[], Iterator[bytes]]


@dataclass(slots=True)
class Reply:
    """A complete HTTP response (``stream``, when set, is sent instead of ``body``)."""

    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
    stream: BodyStream | None = None

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)

    def set_header(self, name: str, value: str) -> None:
        low = name.lower()
        self.headers = [(k, v) for k, v in self.headers if k.lower() != low]
        self.headers.append((name, value))


async def read_body(receive: Receive) -> bytes:
    """The whole request body.

    Raises:
        BodyTooLarge: past ``MAX_BODY`` bytes.
    """
    chunks: list[bytes] = []
    size = 0
    while True:
        msg = await receive()
        if msg["type"] == "http.disconnect":
            break
        chunk = msg.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise BodyTooLarge
        chunks.append(chunk)
        if not msg.get("more_body", False):
            break
    return b"".join(chunks)


def replay(body: bytes) -> Receive:
    """A ``receive`` that hands ``body`` to an inner app once, then reports a disconnect."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def header(scope: Scope, name: str) -> str | None:
    """A request header's value (latin-1 decoded), or None."""
    want = name.lower().encode("latin-1")
    for k, v in scope.get("headers", []):
        if k.lower() == want:
            return bytes(v).decode("latin-1")
    return None


def request_params(scope: Scope, body: bytes) -> list[tuple[str, str]]:
    """Query parameters, then form-body parameters, in the order received.

    Raises:
        UnicodeDecodeError: when the query or the body is not UTF-8.
    """
    query = bytes(scope.get("query_string", b"")).decode("utf-8")
    pairs = parse_qsl(query, keep_blank_values=True, errors="strict")
    ctype = (header(scope, "content-type") or "").lower()
    if body and (not ctype or ctype.startswith("application/x-www-form-urlencoded")):
        pairs += parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    return pairs


def first_param(scope: Scope, body: bytes, name: str) -> str | None:
    """One parameter's value, tolerating undecodable input (used to route faults)."""
    try:
        return next((v for k, v in request_params(scope, body) if k == name), None)
    except UnicodeDecodeError:
        return None


def is_loopback(scope: Scope) -> bool:
    client = scope.get("client")
    return client is not None and str(client[0]) in LOOPBACK


async def send_reply(send: Send, reply: Reply) -> None:
    """Send ``reply`` with a correct Content-Length (a stream piece by piece)."""
    stream = reply.stream
    length = len(reply.body) if stream is None else stream.length
    headers = [(k, v) for k, v in reply.headers if k.lower() != "content-length"]
    headers.append(("Content-Length", str(length)))
    await send(
        {
            "type": "http.response.start",
            "status": reply.status,
            "headers": encode_headers(headers),
        }
    )
    if stream is None:
        await send({"type": "http.response.body", "body": reply.body, "more_body": False})
        return
    for chunk in stream.chunks():
        # The server's flow control waits in ``send`` while the client is slow, so only a
        # few pieces are ever held; the yield lets other requests run between pieces.
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await asyncio.sleep(0)
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def encode_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """Headers as ASGI wants them: lower-case latin-1 byte pairs."""
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]


async def lifespan(receive: Receive, send: Send) -> None:
    """Answer a lifespan scope: nothing to start or stop."""
    while True:
        msg = await receive()
        if msg["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif msg["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
