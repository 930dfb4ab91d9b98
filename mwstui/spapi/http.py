"""What every SP-API request is made of: the User-Agent, the query string, header values.

Kept apart from the send path so the rules read in one place (spec §1.2, §1.4, §8.2), with
the bounds every answer is read within (``mwstui.wire``).
"""

from __future__ import annotations

import platform
import re
import sys
from collections.abc import Sequence
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx

from mwstui import __version__, wire
from mwstui.calls import ResponseMeta
from mwstui.catalog import load_catalog
from mwstui.catalog.spapi import SpapiOperation
from mwstui.errors import ApiError, MalformedResponseError, OutcomeUnknownError, TransportError
from mwstui.spapi.errors import loads_bounded, make_error

DEADLINE = "DeadlineExceeded"
"""The code of an exchange that went over the client's deadline (never retried)."""

QueryValue = str | Sequence[str]
"""A query value: a string, or a list sent comma-separated."""


def user_agent() -> str:
    """The documented form (spec §1.4): ``mwstui/0.1.0 (Language=Python/3.11; Platform=Linux)``."""

    def esc(value: str) -> str:
        return value.replace("\\", "\\\\").replace(")", "\\)").replace(";", "\\;")

    lang = f"Python/{sys.version_info.major}.{sys.version_info.minor}"
    agent = f"mwstui/{esc(__version__)} (Language={esc(lang)}; Platform={esc(platform.system())})"
    return agent[: load_catalog().spapi.limit("user_agent.max_length")]


def encode_query(query: Sequence[tuple[str, QueryValue]]) -> str:
    """``name=value`` pairs, every value percent-encoded exactly once.

    A list is sent comma-separated (Swagger 2.0 ``csv``; spec §1.2) with each item
    encoded; a ``nextToken`` (base64 ``+/=``) is thus encoded once, never twice (§8.2).
    """
    parts = []
    for name, value in query:
        if isinstance(value, str):
            encoded = quote(value, safe="")
        else:
            encoded = ",".join(quote(item, safe="") for item in value)
        parts.append(f"{quote(name, safe='')}={encoded}")
    return "&".join(parts)


_SIGNED_URL = re.compile(r'("url"\s*:\s*"[^"?]*)\?[^"]*"')


def redact(text: str) -> str:
    """A body as records may keep it: a pre-signed document URL's query (its signature, a
    five-minute bearer credential for the report) replaced by a mask."""
    return _SIGNED_URL.sub(r'\1?••••••"', text)


def parse_float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def server_time(value: str | None) -> datetime | None:
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None


async def read_answer(response: httpx.Response, limit: int, operation: str) -> bytes:
    """The answer, capped in size and checked for depth before any parser sees it.

    Raises:
        MalformedResponseError: larger than ``limit`` bytes, or nested too deep.
    """
    try:
        body = await wire.read_capped(response, limit)
        wire.check_json_depth(body)
    except wire.TooLarge as exc:
        code, message = "ResponseTooLarge", str(exc)
    except wire.TooDeep as exc:
        code, message = "MalformedResponse", f"malformed response: {exc}"
    else:
        return body
    raise MalformedResponseError(
        code, message, http_status=response.status_code,
        request_id=response.headers.get("x-amzn-requestid"), operation=operation,
    )  # fmt: skip


def deadline_error(operation: str, mutating: bool, within: str, rec: dict[str, Any]) -> ApiError:
    """The exchange went over the deadline (``within``: "host within N s"): a trickling or
    stuck server. A mutation may have been carried out; a read will tell."""
    message = f"no complete answer from {within}"
    cls: type[ApiError] = TransportError
    if mutating:
        cls, message = OutcomeUnknownError, f"sent, but {message}"
    return cls(
        DEADLINE, message, operation=operation,
        http_status=rec.get("http_status"), request_id=rec.get("request_id"),
    )  # fmt: skip


def parse_answer(op: SpapiOperation, body: bytes, meta: ResponseMeta) -> tuple[Any, str | None]:
    """A 2xx answer's data (``payload`` unwrapped) and its ``nextToken``.

    Raises:
        MalformedResponseError: not JSON.
        ApiError: a 2xx that still lists errors.
    """
    if not body.strip():  # cancelReport / cancelReportSchedule: 200, no body
        return None, None
    try:
        data = loads_bounded(body)
    except ValueError:
        raise MalformedResponseError(
            "MalformedResponse", "the answer is not JSON", http_status=meta.http_status,
            request_id=meta.request_id, operation=op.name,
        ) from None  # fmt: skip
    if isinstance(data, dict) and data.get("errors"):
        # A 2xx that still lists errors (the cancel schemas allow it): a refusal.
        first = data["errors"][0] if isinstance(data["errors"], list) else {}
        first = first if isinstance(first, dict) else {}
        raise make_error(
            str(first.get("code") or "UnknownError"), str(first.get("message") or ""),
            details=str(first.get("details") or ""), http_status=meta.http_status,
            request_id=meta.request_id, operation=op.name,
        )  # fmt: skip
    if op.envelope and isinstance(data, dict) and op.envelope in data:
        data = data[op.envelope]
    token = data.get("nextToken") if isinstance(data, dict) else None
    return data, (token if isinstance(token, str) and token else None)
