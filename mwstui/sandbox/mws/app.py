"""The MWS sandbox as a plain ASGI app: routing, authentication, throttling, headers.

One request goes: route by path (404 InvalidAddress, before any auth, as recorded) →
Version and Action → User-Agent → SigV2 and Timestamp → seller → throttle (spends
quota even if the call then fails) → the operation's handler → the XML or raw reply,
with ``x-mws-request-id``, ``x-mws-timestamp``, ``Date`` (and quota headers on
Reports) on every answer, errors included.
"""

from __future__ import annotations

import base64
import logging
import random
import uuid
from collections.abc import Mapping

from mwstui.catalog import Section, load_catalog
from mwstui.clock import Clock
from mwstui.sandbox.asgi import (
    BodyTooLarge,
    Receive,
    Reply,
    Scope,
    Send,
    header,
    lifespan,
    read_body,
    request_params,
    send_reply,
)
from mwstui.sandbox.mws import fulfillment_handlers, reports_handlers
from mwstui.sandbox.mws.auth import MWSVerifier
from mwstui.sandbox.mws.call import Call, Handler, RawResult, SellerState
from mwstui.sandbox.mws.fault import (
    MWSFault,
    internal_error,
    invalid,
    service_unavailable,
    throttled,
)
from mwstui.sandbox.mws.params import Params
from mwstui.sandbox.mws.throttle import QuotaHeaders, ServerThrottle, ThrottleFault
from mwstui.sandbox.mws.xml_render import (
    ERROR_NAMESPACE,
    http_date,
    ms_date,
    render_error,
    render_ping,
    render_response,
)

log = logging.getLogger(__name__)

HANDLERS: dict[str, dict[str, Handler]] = {
    "reports": reports_handlers.HANDLERS,
    "fulfillment": fulfillment_handlers.HANDLERS,
}


def _routes() -> dict[str, Section]:
    routes: dict[str, Section] = {}
    for key in HANDLERS:
        section = load_catalog().sections[key]
        missing = set(section.operations) - set(HANDLERS[key])
        if missing:  # the catalog grew: the sandbox must answer every operation in it
            raise RuntimeError(f"sandbox lacks handlers for {sorted(missing)}")
        for path in (section.path, *section.alt_paths):
            routes[path] = section
            routes[path.rstrip("/") + "/"] = section
    return routes


class MWSApp:
    """ASGI app serving MWS Reports and Fulfillment Outbound for the sandbox's sellers.

    Args:
        sellers: per seller id, its state.
        verifier: checks credentials, signatures and timestamps.
        throttle: the server-side buckets.
        clock: the sandbox clock (dates, timestamps, progress).
        rng: request ids and response contexts (seeded for reproducible runs).
        debug: re-raise unexpected handler exceptions instead of answering 500 (tests).
    """

    def __init__(
        self,
        *,
        sellers: Mapping[str, SellerState],
        verifier: MWSVerifier,
        throttle: ServerThrottle,
        clock: Clock,
        rng: random.Random,
        debug: bool = False,
    ) -> None:
        self.sellers = dict(sellers)
        self.verifier = verifier
        self.throttle = throttle
        self.clock = clock
        self.rng = rng
        self.debug = debug
        self.routes = _routes()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        await send_reply(send, await self.handle(scope, receive))

    # -- one request --------------------------------------------------------------------------

    def new_request_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    async def handle(self, scope: Scope, receive: Receive) -> Reply:
        """Answer one HTTP request (never raises for a bad request)."""
        now = self.clock.time()
        rid = self.new_request_id()
        section = self.routes.get(scope.get("path", ""))
        quota: QuotaHeaders | None = None
        try:
            try:
                body = await read_body(receive)
            except BodyTooLarge:
                raise invalid("The request size exceeded the maximum accepted size.") from None
            try:
                pairs = request_params(scope, body)
            except UnicodeDecodeError:
                raise MWSFault(
                    400, "InputStreamDisconnected", "The request is not UTF-8."
                ) from None
            params: dict[str, str] = {}
            for k, v in pairs:
                params.setdefault(k, v)
            method = str(scope.get("method", "GET")).upper()
            if section is not None and scope["path"] == "/" and method == "GET" and not params:
                return self._reply(200, render_ping(now), now, rid)
            section, operation = self._route(scope, method, section, params)
            self.verifier.check_user_agent(header(scope, "user-agent"))
            account = self.verifier.verify(
                method=method,
                host=header(scope, "host") or "",
                path=scope["path"],
                params=params,
                now=now,
            )
            seller = self.sellers[account.seller_id]
            op = section.operations[operation]
            try:
                quota = self.throttle.charge(account.seller_id, op)
            except ThrottleFault as exc:
                quota = exc.quota
                raise
            seller.advance(now)
            call = Call(
                operation, Params(params, fba=section.key == "fulfillment"), seller, now, rid
            )
            result = HANDLERS[section.key][operation](call)
        except MWSFault as fault:
            return self._error(fault, section, now, rid, quota)
        except Exception:
            if self.debug:
                raise
            log.exception("sandbox handler failed")
            return self._error(internal_error(), section, now, rid, quota)
        if isinstance(result, RawResult):
            reply = self._reply(200, result.body, now, rid, result.content_type, quota)
            reply.headers += result.headers
            reply.stream = result.stream
            return reply
        return self._reply(
            200,
            render_response(operation, section.namespace, result.result, rid),
            now,
            rid,
            quota=quota,
        )

    def _route(
        self, scope: Scope, method: str, section: Section | None, params: dict[str, str]
    ) -> tuple[Section, str]:
        path = scope.get("path", "")
        version = params.get("Version", "")
        missing = "" if version else " API Version is missing"
        if section is None or method not in ("GET", "POST"):
            raise _not_found(f"Resource {path} is not found on this server.{missing}")
        if not version:
            raise _not_found(f"Resource {path} is not found on this server.{missing}")
        if version != section.version:
            raise _not_found(
                f"Resource {path} is not found on this server. API Version {version} is not valid"
            )
        action = params.get("Action", "")
        if action not in section.operations:
            raise _not_found(
                f"Resource {path} is not found on this server. Operation {action} is not valid "
                f"for {section.name} {section.version}"
            )
        return section, action

    # -- replies ------------------------------------------------------------------------------

    def _reply(
        self,
        status: int,
        body: bytes,
        now: float,
        rid: str,
        content_type: str = "text/xml",
        quota: QuotaHeaders | None = None,
    ) -> Reply:
        context = base64.b64encode(self.rng.randbytes(54)).decode()
        headers = [
            ("Server", "Server"),
            ("Date", http_date(now)),
            ("Content-Type", content_type),
            ("x-mws-request-id", rid),
            ("x-mws-timestamp", ms_date(now)),
            ("x-mws-response-context", context),
        ]
        if quota is not None:
            headers += quota.headers()
        return Reply(status, body, headers)

    def _error(
        self,
        fault: MWSFault,
        section: Section | None,
        now: float,
        rid: str,
        quota: QuotaHeaders | None = None,
    ) -> Reply:
        namespace = fault.namespace or (section.namespace if section else ERROR_NAMESPACE)
        body = render_error(
            namespace,
            type_=fault.type_,
            code=fault.code,
            message=fault.message,
            request_id=rid,
            request_id_tag=fault.request_id_tag,
        )
        return self._reply(fault.status, body, now, rid, quota=quota)

    def fault_reply(self, kind: str, scope: Scope, action: str) -> Reply:
        """An injected failure (see faults.py) in this service's words."""
        section = self.routes.get(scope.get("path", ""))
        now = self.clock.time()
        quota: QuotaHeaders | None = None
        op = section.operations.get(action) if section else None
        if kind == "quota":
            hourly = op.throttle.hourly_quota if op else None
            resets = (now // 3600 + 1) * 3600
            fault = MWSFault(
                503, "QuotaExceeded", f"You exceeded your quota for operation {action}."
            )
            if hourly and section is not None and section.quota_headers:
                quota = QuotaHeaders(hourly, 0, resets)
        else:
            fault = {"throttle": throttled, "internal": internal_error}.get(
                kind, service_unavailable
            )()
        return self._error(fault, section, now, self.new_request_id(), quota)


def _not_found(message: str) -> MWSFault:
    return MWSFault(
        404, "InvalidAddress", message, request_id_tag="RequestID", namespace=ERROR_NAMESPACE
    )
