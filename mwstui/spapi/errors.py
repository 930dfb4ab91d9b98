"""SP-API error bodies and LWA errors → the one exception tree of ``mwstui.errors``.

Every SP-API error answers ``{"errors":[{"code","message","details"}]}`` (spec §3); the
code picks the class, the HTTP status decides when the code is unknown (or the literal
``"400"`` of Amazon's static sandbox). Each error carries a hint for the user.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import httpx

from mwstui import wire
from mwstui.errors import (
    AccessDeniedError,
    ApiError,
    AuthError,
    InvalidParameterError,
    InvalidStateError,
    MalformedResponseError,
    NotFoundError,
    NotSentError,
    OutcomeUnknownError,
    ServiceError,
    ThrottledError,
    TransportError,
)

CLASSES: dict[str, type[ApiError]] = {
    "InvalidInput": InvalidParameterError,
    "Unauthorized": AccessDeniedError,
    "MissingAuthenticationToken": AccessDeniedError,
    "NotFound": NotFoundError,
    "QuotaExceeded": ThrottledError,
    "InternalFailure": ServiceError,
    "ServiceUnavailable": ServiceError,
}
"""Error code → class (spec §3 table). ``QuotaExceeded`` is a token-bucket throttle."""

HINTS: dict[type[ApiError], str] = {
    InvalidParameterError: "Amazon refused a parameter; check the values and try again.",
    NotFoundError: "Amazon does not know this id (reports are kept 90 days); refresh the list.",
    InvalidStateError: "It cannot be done in its current state; refresh to see the state.",
    AccessDeniedError: (
        "Amazon refused the access token or the app lacks the role; check the profile's "
        "LWA credentials and the app's roles (mwstui doctor)."
    ),
    ThrottledError: (
        "Amazon's usage plan for this operation is used up; mwstui waits for the next "
        "token (some report types also have their own hourly quota)."
    ),
    ServiceError: "Amazon had a problem on its side; try again shortly.",
    TransportError: "Check the network and the region's endpoint (mwstui doctor).",
    OutcomeUnknownError: (
        "It was not retried. Refresh to see whether it took effect; the journal records it."
    ),
    MalformedResponseError: "Amazon's answer could not be read; try again.",
}

EXPIRED_TOKEN = re.compile(r"access token.*expired", re.IGNORECASE | re.DOTALL)
"""403 details meaning "refresh the LWA token and send again" (spec §8.13)."""
_NOT_FOUND = re.compile(r"\bnot found\b", re.IGNORECASE)
_DUPLICATE = re.compile(r"DuplicateCancelRequest", re.IGNORECASE)

LWA_MESSAGES = {
    "invalid_grant": "the seller revoked the app or the refresh token is wrong",
    "invalid_client": "client id/secret wrong or the secret was not rotated",
}
"""The one clear message of each LWA failure a seller can fix (spec §1.1, §8.14)."""
LWA_HINTS = {
    "invalid_grant": "Authorize the app again in Seller Central and store the new refresh token.",
    "invalid_client": (
        "Check the LWA client id and secret; secrets must be rotated every 180 days "
        "(Developer Central → rotate, then store the new secret)."
    ),
}


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """The first error of an SP-API error body."""

    code: str
    message: str
    details: str = ""


def one_line(text: str, limit: int = 300) -> str:
    """Whitespace collapsed and cut: server text goes into one-line messages."""
    return " ".join(text.split())[:limit]


def loads_bounded(body: bytes) -> Any:
    """``json.loads`` of server text, refusing nesting a recursive parser would die on.

    Raises:
        ValueError: not JSON, or nested deeper than ``wire.MAX_DEPTH`` (``wire.TooDeep``).
    """
    wire.check_json_depth(body)
    return json.loads(body.decode("utf-8", "replace"))


def read_errors(body: bytes) -> ErrorInfo | None:
    """The first ``errors[]`` entry of a JSON body, or None when there is none."""
    try:
        data = loads_bounded(body[:65536]) if body else None
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    errors = data.get("errors")
    if not isinstance(errors, list) or not errors or not isinstance(errors[0], dict):
        return None
    first: dict[str, Any] = errors[0]
    # Real answers sometimes carry "message": null or no details (spec §3).
    return ErrorInfo(
        code=str(first.get("code") or ""),
        message=str(first.get("message") or ""),
        details=str(first.get("details") or ""),
    )


def class_for(code: str, status: int | None, message: str = "") -> type[ApiError]:
    """The exception class for an SP-API error code, else by HTTP status."""
    if code == "InvalidInput" and _DUPLICATE.search(message):
        return InvalidStateError
    if code == "InvalidInput" and _NOT_FOUND.search(message):
        # Fulfillment Outbound answers an unknown order with 400 InvalidInput (spec §3).
        return NotFoundError
    cls = CLASSES.get(code)
    if cls is not None:
        return cls
    if status is None:
        return ApiError
    if status in (401, 403):
        return AccessDeniedError
    if status == 404:
        return NotFoundError
    if status == 409:
        return InvalidStateError
    if status == 429:
        return ThrottledError
    if 400 <= status < 500:
        return InvalidParameterError
    if status >= 500:
        return ServiceError
    return MalformedResponseError


def with_hint(exc: ApiError, hint: str | None = None) -> ApiError:
    """``exc`` with an SP-API hint (the class's own one otherwise)."""
    chosen = hint or HINTS.get(type(exc))
    if chosen and not isinstance(type(exc).__dict__.get("hint"), property):
        exc.hint = chosen
    return exc


def make_error(
    code: str,
    message: str,
    *,
    http_status: int | None,
    request_id: str | None,
    operation: str | None,
    details: str = "",
) -> ApiError:
    """The right exception for an SP-API error (message and details in one line)."""
    cls = class_for(code, http_status, f"{message} {details}")
    text = one_line(f"{message} ({details})" if details else message) or "no message"
    exc = cls(
        code or f"HTTP{http_status}",
        text,
        request_id=request_id,
        http_status=http_status,
        operation=operation,
    )
    hint = None
    if cls is AccessDeniedError and EXPIRED_TOKEN.search(details or message):
        hint = "The access token expired and one refresh did not help; check the clock."
    return with_hint(exc, hint)


def error_from_response(
    body: bytes, status: int, reason: str, *, request_id: str | None, operation: str
) -> ApiError:
    """The error an HTTP error answer carries; a non-JSON body is classified by status."""
    info = read_errors(body)
    if info is None:
        text = one_line(body[:400].decode("utf-8", "replace"))
        message = f"{reason or 'HTTP error'}: {text}" if text else (reason or "no body")
        info = ErrorInfo(f"HTTP{status}", message)
    return make_error(
        info.code,
        info.message,
        details=info.details,
        http_status=status,
        request_id=request_id,
        operation=operation,
    )


def lwa_error(body: bytes, status: int, *, operation: str = "LWA token") -> ApiError:
    """An LWA token-endpoint failure (OAuth2 ``error`` / ``error_description``)."""
    try:
        data = loads_bounded(body[:65536])
    except ValueError:
        data = None
    code = str(data.get("error") or "") if isinstance(data, dict) else ""
    description = str(data.get("error_description") or "") if isinstance(data, dict) else ""
    rid = str(data.get("request_id") or "") or None if isinstance(data, dict) else None
    if code in LWA_MESSAGES:
        message = LWA_MESSAGES[code]
        if description:
            message += f" (Amazon: {one_line(description, 200)})"
        exc: ApiError = AuthError(
            code, message, request_id=rid, http_status=status, operation=operation
        )
        return with_hint(exc, LWA_HINTS[code])
    if status >= 500 or code in ("server_error", "temporarily_unavailable"):
        exc = ServiceError(
            code or f"HTTP{status}",
            one_line(description) or "the LWA token service failed",
            request_id=rid,
            http_status=status,
            operation=operation,
        )
        return with_hint(exc, "Login with Amazon had a problem on its side; try again shortly.")
    text = one_line(description or body[:300].decode("utf-8", "replace")) or "token refused"
    exc = AuthError(code or f"HTTP{status}", text, request_id=rid, http_status=status,
                    operation=operation)  # fmt: skip
    return with_hint(exc, "Check the profile's LWA client id, secret and refresh token.")


_TRANSPORT_WORDS = {
    "ConnectError": "could not connect to the service",
    "ConnectTimeout": "timed out connecting to the service",
    "PoolTimeout": "no free connection within the timeout",
    "WriteTimeout": "timed out while sending the request",
    "WriteError": "the connection broke while sending the request",
    "ReadTimeout": "no answer within the timeout",
    "ReadError": "the connection broke while reading the answer",
    "RemoteProtocolError": "the connection broke off",
}
NOT_SENT: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.LocalProtocolError,
    httpx.UnsupportedProtocol,
    httpx.ProxyError,
)
"""Failures raised before the request left this machine: a mutation was not sent."""


def transport_error(
    operation: str,
    mutating: bool,
    exc: httpx.TransportError | httpx.DecodingError,
    *,
    request_id: str | None = None,
    http_status: int | None = None,
    host: str = "",
    answered: bool = False,
) -> ApiError:
    """A network failure: ``OutcomeUnknownError`` for a mutation that may have been sent.

    A request that never reached ``host`` (no name, refused, TLS handshake) before any
    answer (``answered``) is a ``NotSentError`` saying so in plain words.
    """
    if isinstance(exc, wire.NOT_SENT) and not answered:
        err = NotSentError(
            type(exc).__name__,
            f"cannot reach {host or 'the service'}: {wire.unreachable_reason(exc)}",
            operation=operation,
        )
        err.transient = not wire.name_unknown(exc)
        return with_hint(err)
    words = _TRANSPORT_WORDS.get(type(exc).__name__)
    detail = one_line(str(exc))
    message = f"{words} ({detail})" if words and detail else (words or detail or "network error")
    cls: type[ApiError] = TransportError
    if isinstance(exc, httpx.DecodingError):
        cls = MalformedResponseError
    elif mutating and not isinstance(exc, NOT_SENT):
        cls = OutcomeUnknownError
        message = f"sent, but the answer was lost: {message}"
    return with_hint(
        cls(
            type(exc).__name__,
            message,
            request_id=request_id,
            http_status=http_status,
            operation=operation,
        )
    )
