"""One SP-API HTTP exchange: send, read a bounded answer, parse it, map errors, record it.

``SPAPIClient.send`` decides when to send (governor, retries, journal); ``Exchange`` does
one attempt: the request goes out with the LWA token, the answer is read within the
deadline and the size cap (``mwstui.wire``), parsed or turned into an exception of
``mwstui.errors``, and the client's ``CallLog`` records it (secrets masked there, as for
every service).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from mwstui.call_log import CallLog, local_failure
from mwstui.calls import ResponseMeta
from mwstui.catalog.spapi import SpapiOperation
from mwstui.clock import Clock
from mwstui.errors import ApiError
from mwstui.spapi.errors import error_from_response, transport_error
from mwstui.spapi.http import (
    deadline_error,
    parse_answer,
    parse_float,
    read_answer,
    redact,
    server_time,
)

RESPONSE_TEXT_LIMIT = 64 * 1024
"""Most of an answer a call record keeps (the Activity panel shows it, untrusted)."""


@dataclass(frozen=True, slots=True)
class Request:
    """One operation's request, ready to send (again, on a retry)."""

    op: SpapiOperation
    url: str
    query: dict[str, str]
    """The query as shown in call records and the journal."""
    content: bytes | None


class Exchange:
    """Sends one request and reads its answer, bounded in size and time.

    Args:
        http: the API client (LWA auth attached).
        clock: time source.
        log: where each attempt is recorded; its host is the one errors name
            ("cannot reach HOST").
        deadline: seconds the whole exchange may take (headers and answer).
        max_response_bytes: largest answer read.
        on_rate: told ``(operation, rate)`` when an answer carries
            ``x-amzn-RateLimit-Limit``.
    """

    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        clock: Clock,
        log: CallLog,
        deadline: float,
        max_response_bytes: int,
        on_rate: Callable[[str, float], None],
    ) -> None:
        self.http = http
        self.clock = clock
        self.log = log
        self.host = log.host
        self.deadline = deadline
        self.max_response_bytes = max_response_bytes
        self.on_rate = on_rate
        self.clock_skew: float | None = None
        """Our clock minus Amazon's ``Date``, from the last answer (None before one)."""

    async def attempt(self, req: Request, attempt: int, waited: float) -> tuple[Any, ResponseMeta]:
        """Send ``req`` once; returns its data (``payload`` unwrapped) and metadata.

        Raises:
            ApiError: any subclass (a refusal, a transport failure, a lost answer, an
                answer over the deadline or the size cap, a malformed answer).
        """
        op = req.op
        t0 = self.clock.time()
        rec: dict[str, Any] = {
            "started_at": self.clock.now(), "params": req.query, "attempt": attempt,
            "waited": waited,
        }  # fmt: skip
        headers = {"Accept": "application/json"}
        if req.content is not None:
            headers["Content-Type"] = "application/json"
        request = self.http.build_request(op.method, req.url, content=req.content, headers=headers)
        response: httpx.Response | None = None
        try:
            try:
                async with asyncio.timeout(self.deadline):
                    response = await self.http.send(request, stream=True)
                    meta = self._meta(op, response, t0, waited)
                    rec.update(http_status=meta.http_status, request_id=meta.request_id)
                    body = await read_answer(response, self.max_response_bytes, op.name)
            except (httpx.TransportError, httpx.DecodingError) as exc:
                status = response.status_code if response is not None else None
                rid = response.headers.get("x-amzn-requestid") if response is not None else None
                raise transport_error(
                    op.name, op.mutating, exc, request_id=rid, http_status=status,
                    host=self.host, answered=response is not None,
                ) from None  # fmt: skip
            except TimeoutError:
                raise deadline_error(
                    op.name, op.mutating, f"{self.host} within {self.deadline:g} s", rec
                ) from None
            rec["response_text"] = redact(body[:RESPONSE_TEXT_LIMIT].decode("utf-8", "replace"))
            if response.status_code >= 300:
                raise error_from_response(
                    body, response.status_code, response.reason_phrase,
                    request_id=meta.request_id, operation=op.name,
                )  # fmt: skip
            data, next_token = parse_answer(op, body, meta)
        except BaseException as exc:
            if isinstance(exc, ApiError):
                rec.update(error_code=exc.code, error_message=exc.message)
                rec["request_id"] = rec.get("request_id") or exc.request_id
                rec["http_status"] = rec.get("http_status") or exc.http_status
            else:  # cancelled, or a local failure: records never name Python types
                code, message = local_failure(exc)
                rec.update(error_code=code, error_message=message)
            self.log.attempt(op, rec, duration=self.clock.time() - t0)
            raise
        finally:
            if response is not None:
                await response.aclose()
        meta = ResponseMeta(
            operation=meta.operation, http_status=meta.http_status, request_id=meta.request_id,
            server_time=meta.server_time, next_token=next_token, rate_limit=meta.rate_limit,
            elapsed=self.clock.time() - t0, waited=waited,
        )  # fmt: skip
        self.log.attempt(op, rec, duration=self.clock.time() - t0)
        return data, meta

    def _meta(
        self, op: SpapiOperation, response: httpx.Response, t0: float, waited: float
    ) -> ResponseMeta:
        rate = parse_float(response.headers.get("x-amzn-ratelimit-limit"))
        if rate is not None and rate > 0:
            self.on_rate(op.name, rate)
        sent_at = server_time(response.headers.get("date"))
        if sent_at is not None:
            self.clock_skew = self.clock.time() - sent_at.timestamp()
        return ResponseMeta(
            operation=op.name,
            http_status=response.status_code,
            request_id=response.headers.get("x-amzn-requestid"),
            server_time=sent_at,
            rate_limit=rate,
            elapsed=self.clock.time() - t0,
            waited=waited,
        )
