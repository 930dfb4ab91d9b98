"""The SP-API sandbox as a plain ASGI app: LWA, documents, routing, auth, usage plans.

One request goes: the LWA token path → a document URL → route (method + path from the
catalog; an unknown route is the 403 ``Unauthorized`` a wrong path gets from the
gateway) → User-Agent length → access token (403 ``Unauthorized`` when missing,
unknown or expired) → usage plan (429, spends even if the call then fails) → the
published static pair or the operation's handler. Every answer carries
``x-amzn-RequestId``; ``x-amzn-RateLimit-Limit`` only on 2xx, 400 and 404 (spec §4.2).
"""

from __future__ import annotations

import logging
import random
import re
import uuid
from email.utils import formatdate
from urllib.parse import parse_qsl, unquote

from mwstui.catalog import load_catalog
from mwstui.catalog.spapi import SpapiOperation
from mwstui.clock import Clock
from mwstui.sandbox.asgi import (
    BodyStream,
    BodyTooLarge,
    Receive,
    Reply,
    Scope,
    Send,
    header,
    lifespan,
    read_body,
    send_reply,
)
from mwstui.sandbox.spapi import fulfillment_handlers, reports_handlers, static_pairs
from mwstui.sandbox.spapi.call import Handler, SpCall, SpResult
from mwstui.sandbox.spapi.documents import PREFIX, s3_error
from mwstui.sandbox.spapi.errors import (
    SpapiError,
    internal_failure,
    invalid,
    quota_exceeded,
    unauthorized,
    unavailable,
)
from mwstui.sandbox.spapi.service import SpapiService
from mwstui.sandbox.spapi.wire import JSON_TYPE, json_bytes

log = logging.getLogger(__name__)

HANDLERS: dict[str, Handler] = {**reports_handlers.HANDLERS, **fulfillment_handlers.HANDLERS}
_RATE_HEADER_STATUSES = frozenset({400, 404})


def _routes() -> list[tuple[str, re.Pattern[str], SpapiOperation]]:
    routes = []
    for op in load_catalog().spapi.operations.values():
        if op.name not in HANDLERS:  # the catalog grew: the sandbox must answer it all
            raise RuntimeError(f"SP-API sandbox lacks a handler for {op.name}")
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]*)", re.escape(op.path))
        routes.append((op.method, re.compile(f"^{pattern}$"), op))
    return routes


class SpapiApp:
    """ASGI app serving SP-API, LWA and report documents for the sandbox's sellers.

    Args:
        service: the sellers, tokens, usage plans and document signer.
        clock: the sandbox clock.
        rng: request ids (seeded, so runs are reproducible).
        debug: re-raise unexpected handler exceptions instead of answering 500 (tests).
    """

    def __init__(
        self, service: SpapiService, clock: Clock, rng: random.Random, debug: bool = False
    ) -> None:
        self.service = service
        self.clock = clock
        self.rng = rng
        self.debug = debug
        self.routes = _routes()
        self.token_path = load_catalog().spapi.lwa_token_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        await send_reply(send, await self.handle(scope, receive))

    def new_request_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def route(self, scope: Scope) -> tuple[SpapiOperation, dict[str, str]] | None:
        """The operation a request is for, and its decoded path parameters."""
        raw = bytes(scope.get("raw_path") or scope.get("path", "").encode()).decode("latin-1")
        path = raw.split("?", 1)[0]
        method = str(scope.get("method", "GET")).upper()
        for verb, pattern, op in self.routes:
            m = pattern.match(path)
            if m and verb == method:
                return op, {k: unquote(v) for k, v in m.groupdict().items()}
        return None

    def operation_of(self, scope: Scope, body: bytes) -> str:
        """The operation name faults are drawn for ("" for LWA, documents, unknown paths)."""
        found = self.route(scope)
        return found[0].name if found else ""

    async def handle(self, scope: Scope, receive: Receive) -> Reply:
        """Answer one HTTP request (never raises for a bad request)."""
        now = self.clock.time()
        rid = self.new_request_id()
        try:
            body = await read_body(receive)
        except BodyTooLarge:
            return self._error(invalid("The request body is too large."), rid, now, None)
        path = str(scope.get("path", ""))
        if path == self.token_path:
            return self.service.lwa.token_reply(scope, body, rid)
        if path.startswith(PREFIX):
            return self._document(scope, now)
        found = self.route(scope)
        if found is None:
            return self._error(unauthorized(""), rid, now, None)
        op, params = found
        try:
            result = self._call(scope, body, op, params, now)
        except SpapiError as exc:
            return self._error(exc, rid, now, op)
        except Exception:
            if self.debug:
                raise
            log.exception("SP-API sandbox handler failed")
            return self._error(internal_failure(), rid, now, op)
        data = b"" if result.data is None else json_bytes(result.data)
        reply = Reply(result.status, data, self._headers(rid, now))
        reply.set_header("x-amzn-RateLimit-Limit", _rate(op))
        return reply

    def _call(
        self, scope: Scope, body: bytes, op: SpapiOperation, params: dict[str, str], now: float
    ) -> SpResult:
        agent = header(scope, "user-agent") or ""
        most = load_catalog().spapi.limit("user_agent.max_length")
        if len(agent) > most:
            raise invalid(f"The User-Agent header is longer than {most} characters.")
        grant = self.service.lwa.check(header(scope, "x-amz-access-token"))
        seller = self.service.sellers.get(grant.seller_id or "")
        if seller is None:  # a grantless token: no selling partner to act for
            raise unauthorized("")
        self.service.plans.charge(grant.client_id, seller.seller_id, op)
        if body and op.method in ("POST", "PUT"):
            ctype = (header(scope, "content-type") or "").lower()
            if not ctype.startswith(JSON_TYPE):
                # The model documents 415 without its code: ours is a guess.
                raise SpapiError(
                    415, "UnsupportedMediaType", "The request's Content-Type header is invalid."
                )
        query = bytes(scope.get("query_string", b"")).decode("utf-8", "replace")
        pairs = parse_qsl(query, keep_blank_values=True)
        first: dict[str, str] = {}
        for k, v in pairs:
            first.setdefault(k, v)
        seller.advance(now)
        call = SpCall(
            operation=op,
            path=params,
            query=first,
            query_names=[k for k, _ in pairs],
            body=body,
            seller=seller,
            now=now,
            base_url=_base_url(scope),
            signer=self.service.signer,
        )
        return static_pairs.published(call) or HANDLERS[op.name](call)

    def _document(self, scope: Scope, now: float) -> Reply:
        checked = self.service.signer.check(scope, now)
        if isinstance(checked, Reply):
            return checked
        doc_id, content_encoding = checked
        found = self.service.document(doc_id, now)
        method = str(scope.get("method", "GET")).upper()
        if found is None or method not in ("GET", "HEAD"):
            return s3_error(404, "NoSuchKey", "The specified key does not exist.", now)
        body, ctype, gzipped = found
        headers = [("Content-Type", ctype), ("Date", formatdate(now, usegmt=True))]
        if content_encoding and gzipped:
            headers.append(("Content-Encoding", "gzip"))
        if method == "HEAD":  # the length, and no bytes
            body = BodyStream(body.length, lambda: iter(()))
        return Reply(200, b"", headers, stream=body)

    def _headers(self, rid: str, now: float) -> list[tuple[str, str]]:
        return [
            ("Date", formatdate(now, usegmt=True)),
            ("Content-Type", JSON_TYPE),
            ("x-amzn-RequestId", rid),
        ]

    def _error(self, exc: SpapiError, rid: str, now: float, op: SpapiOperation | None) -> Reply:
        reply = Reply(exc.status, json_bytes(exc.body()), self._headers(rid, now))
        if exc.error_type:
            reply.set_header("x-amzn-ErrorType", exc.error_type)
            reply.set_header("x-amz-apigw-id", rid.replace("-", "")[:16] + "=")
        if op is not None and exc.status in _RATE_HEADER_STATUSES:
            reply.set_header("x-amzn-RateLimit-Limit", _rate(op))
        return reply

    def fault_reply(self, kind: str, scope: Scope, action: str) -> Reply:
        """An injected failure (faults.py) in SP-API's words."""
        exc = {"throttle": quota_exceeded, "quota": quota_exceeded, "internal": internal_failure}
        error = exc.get(kind, unavailable)()
        return self._error(error, self.new_request_id(), self.clock.time(), None)


def _rate(op: SpapiOperation) -> str:
    return f"{op.rate:g}" if op.rate < 1 else f"{float(op.rate):.1f}"


def _base_url(scope: Scope) -> str:
    scheme = str(scope.get("scheme", "http"))
    host = header(scope, "host")
    if not host:
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{scheme}://{host}"
