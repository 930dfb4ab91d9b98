"""ASGI middleware that applies a FaultPlan to any sandbox app, plus its admin endpoint.

It names the operation (MWS and SellerCenter: ``Action`` from the query or the form
body; SP-API: method and path, through ``action_of``), asks the plan what to do, and
then answers with an error body in the service's own words (the wrapped service
supplies them), delays, mangles the body or the Content-MD5, or drops the connection
— before the service ran, or after it changed its state.

Dropping a connection: under uvicorn the transport behind ``send`` is aborted, so the
client sees a real reset; in process (``httpx.ASGITransport``) the same
``httpx.RemoteProtocolError`` a client would get from the network is raised.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from mwstui.clock import Clock
from mwstui.sandbox.asgi import (
    ASGIApp,
    BodyTooLarge,
    Message,
    Receive,
    Reply,
    Scope,
    Send,
    encode_headers,
    first_param,
    is_loopback,
    read_body,
    replay,
    send_reply,
)
from mwstui.sandbox.faults import ERROR_KINDS, FaultPlan

ADMIN_PATH = "/_sandbox/faults"
ErrorReply = Callable[[str, Scope, str], Reply]
"""(kind, scope, action) → the service's error answer for an injected error kind."""
ActionOf = Callable[[Scope, bytes], str]
"""(scope, body) → the operation name a request is for ("" when none)."""


def mws_action(scope: Scope, body: bytes) -> str:
    """MWS and SellerCenter name the operation in the ``Action`` parameter."""
    return first_param(scope, body, "Action") or ""


@dataclass(slots=True)
class _Capture:
    status: int = 500
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytearray = field(default_factory=bytearray)

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            self.headers = [
                (bytes(k).decode("latin-1"), bytes(v).decode("latin-1"))
                for k, v in message.get("headers", [])
            ]
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")

    def reply(self) -> Reply:
        return Reply(self.status, bytes(self.body), list(self.headers))


async def drop_connection(send: Send, partial: bool = False) -> None:
    """Close the connection under the response (reset, no more bytes)."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None or not hasattr(transport, "abort"):
        if partial:
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body"
            )
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
    transport.abort()
    # Let the server notice before the app returns, so it does not answer 500 itself.
    for _ in range(200):
        if getattr(cycle, "disconnected", True):
            return
        await asyncio.sleep(0.005)


class FaultMiddleware:
    """Wraps ``app`` and injects the faults of ``plan``.

    Args:
        app: the service (MWS or SellerCenter).
        plan: the faults in force (may change at run time).
        clock: where injected latency sleeps.
        error_reply: builds the service's answer for throttle/quota/internal/unavailable.
        action_of: names the operation of a request (default: the ``Action`` parameter;
            SP-API names it by method and path).
    """

    def __init__(
        self,
        app: ASGIApp,
        plan: FaultPlan,
        clock: Clock,
        error_reply: ErrorReply,
        action_of: ActionOf = mws_action,
    ) -> None:
        self.app = app
        self.plan = plan
        self.clock = clock
        self.error_reply = error_reply
        self.action_of = action_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("path") == ADMIN_PATH:
            await self._admin(scope, receive, send)
            return
        try:
            body = await read_body(receive)
        except BodyTooLarge:
            await send_reply(send, Reply(413, b"Request body too large\n"))
            return
        action = self.action_of(scope, body)
        latency, rule = self.plan.draw(action) if action else (0.0, None)
        if latency > 0:
            await self.clock.sleep(latency)
        inner = replay(body)
        if rule is None:
            await self.app(scope, inner, send)
            return
        kind = rule.kind
        if kind in ERROR_KINDS:
            await send_reply(send, self.error_reply(kind, scope, action))
            return
        if kind == "drop-before":
            await drop_connection(send)
            return
        capture = _Capture()
        await self.app(scope, inner, capture.send)
        reply = capture.reply()
        if kind == "drop-after":
            await drop_connection(send)
        elif kind == "malformed":
            reply.body = reply.body[: len(reply.body) // 2] or b"<"
            await send_reply(send, reply)
        elif kind == "bad-md5":
            reply.set_header("Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA==")
            await send_reply(send, reply)
        else:  # truncate: promise every byte, deliver half, hang up
            headers = [(k, v) for k, v in reply.headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(reply.body))))
            start = {"type": "http.response.start", "status": reply.status}
            await send({**start, "headers": encode_headers(headers)})
            half = reply.body[: len(reply.body) // 2]
            await send({"type": "http.response.body", "body": half, "more_body": True})
            await drop_connection(send, partial=True)

    async def _admin(self, scope: Scope, receive: Receive, send: Send) -> None:
        """GET shows the plan, PUT replaces it, POST adds rules, DELETE clears (loopback only)."""
        body = await read_body(receive)
        if not is_loopback(scope):
            await send_reply(send, _json(403, {"error": "the admin endpoint is loopback-only"}))
            return
        method = str(scope.get("method", "GET")).upper()
        text = body.decode("utf-8", "replace").strip()
        if text.startswith("{"):
            try:
                text = str(json.loads(text).get("faults", ""))
            except (ValueError, AttributeError):
                await send_reply(send, _json(400, {"error": "body must be a spec or JSON"}))
                return
        try:
            if method == "PUT":
                self.plan.set(text)
            elif method == "POST":
                self.plan.add(text)
            elif method == "DELETE":
                self.plan.clear()
            elif method != "GET":
                await send_reply(send, _json(405, {"error": f"method {method} not allowed"}))
                return
        except ValueError as exc:
            await send_reply(send, _json(400, {"error": str(exc)}))
            return
        await send_reply(send, _json(200, {"faults": self.plan.spec}))


def _json(status: int, data: object) -> Reply:
    body = (json.dumps(data) + "\n").encode()
    return Reply(status, body, [("Content-Type", "application/json")])
