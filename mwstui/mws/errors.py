"""MWS error codes → the exception tree, and the reading of an ``ErrorResponse`` body.

The table is data: one line per code the documentation or recorded traffic shows.
A code not in it is classified by its HTTP status, so a new code still lands on a
sensible branch of ``mwstui.errors``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import httpx

from mwstui import wire
from mwstui.calls import ResponseMeta
from mwstui.errors import (
    AccessDeniedError,
    ApiError,
    InvalidParameterError,
    InvalidStateError,
    MalformedResponseError,
    NotFoundError,
    NotSentError,
    OutcomeUnknownError,
    QuotaExceededError,
    RequestExpiredError,
    ServiceError,
    SignatureMismatchError,
    ThrottledError,
    TransportError,
)
from mwstui.mws.parsing import Document, parse_document

ERROR_CLASSES: dict[str, type[ApiError]] = {
    # throttling (spec §5.2, §5.4)
    "RequestThrottled": ThrottledError,
    "QuotaExceeded": QuotaExceededError,
    # who we are
    "SignatureDoesNotMatch": SignatureMismatchError,
    "InvalidAccessKeyId": AccessDeniedError,
    "InvalidClientTokenId": AccessDeniedError,
    "AccessDenied": AccessDeniedError,
    "AccessToReportDenied": AccessDeniedError,
    "Unauthorized": AccessDeniedError,
    "RequestExpired": RequestExpiredError,
    # what we asked
    "InvalidParameterValue": InvalidParameterError,
    "InvalidRequestException": InvalidParameterError,
    "MissingParameter": InvalidParameterError,
    "MissingRequiredParameter": InvalidParameterError,
    "InvalidReportType": InvalidParameterError,
    "InvalidScheduleFrequency": InvalidParameterError,
    "NextTokenCorrupted": InvalidParameterError,
    "UserAgentHeaderMalformed": InvalidParameterError,
    # a path/section/version the service does not have: the request itself is wrong
    "InvalidAddress": InvalidParameterError,
    # ids the service does not know
    "InvalidReportRequestId": NotFoundError,
    "InvalidReportId": NotFoundError,
    "ReportNoLongerAvailable": NotFoundError,
    "InvalidFulfillmentOrderId": NotFoundError,
    # right id, wrong moment
    "ReportNotReady": InvalidStateError,
    # the service's side
    "InternalError": ServiceError,
    "ServiceUnavailable": ServiceError,
    "InputStreamDisconnected": ServiceError,
}
"""Error code → exception class (spec/mws.md §3.7, §5.2)."""

RETRYABLE_SERVICE_CODES = frozenset({"InternalError", "ServiceUnavailable"})
"""Service failures a read may retry with backoff (never a mutation)."""

NOT_SENT: tuple[type[httpx.TransportError], ...] = (*wire.NOT_SENT, httpx.LocalProtocolError)
"""Transport failures raised before the request left this machine: safe to call unsent."""

# DG_Errors files an expired timestamp under InvalidParameterValue; the message tells.
_EXPIRED = re.compile(r"expired|timestamp", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """The first ``Error`` of an ``ErrorResponse``."""

    code: str
    message: str
    type: str | None = None
    detail: str | None = None
    request_id: str | None = None


def read_error(doc: Document) -> ErrorInfo | None:
    """The error in ``doc`` when it is an ``ErrorResponse`` (``RequestId``/``RequestID``)."""
    if not doc.is_error:
        return None
    err = doc.root.child("Error")
    if err is None:
        return ErrorInfo("UnknownError", "ErrorResponse without Error", request_id=doc.request_id)
    return ErrorInfo(
        code=err.text("Code") or "UnknownError",
        message=err.text("Message") or "",
        type=err.text("Type"),
        detail=err.text("Detail"),
        request_id=doc.request_id,
    )


def class_for(code: str, http_status: int | None, message: str = "") -> type[ApiError]:
    """The exception class for an error code, falling back on the HTTP status."""
    cls = ERROR_CLASSES.get(code)
    if (
        cls is InvalidParameterError
        and code == "InvalidParameterValue"
        and _EXPIRED.search(message)
    ):
        return RequestExpiredError
    if cls is not None:
        return cls
    if http_status is None:
        return ApiError
    if http_status in (401, 403):
        return AccessDeniedError
    if http_status == 404:
        return NotFoundError
    if http_status == 429:
        return ThrottledError
    if 400 <= http_status < 500:
        return InvalidParameterError
    if http_status >= 500:
        return ServiceError
    return MalformedResponseError


def make_error(
    code: str,
    message: str,
    *,
    http_status: int | None,
    request_id: str | None,
    operation: str | None,
    clock_skew: float | None = None,
    resets_at: datetime | None = None,
) -> ApiError:
    """Build the right exception for an MWS error.

    Args:
        code: the ``Error/Code`` (or a local code).
        message: the ``Error/Message``, verbatim.
        http_status: the HTTP status of the response.
        request_id: from ``x-mws-request-id`` or the body.
        operation: the operation that failed.
        clock_skew: our clock minus the server's, in seconds (for RequestExpired).
        resets_at: the hourly reset from ``x-mws-quota-resetsOn`` (for QuotaExceeded).
    """
    cls = class_for(code, http_status, message)
    if issubclass(cls, RequestExpiredError):
        return cls(
            code, message, clock_skew=clock_skew,
            request_id=request_id, http_status=http_status, operation=operation,
        )  # fmt: skip
    if issubclass(cls, QuotaExceededError):
        return cls(
            code, message, resets_at=resets_at,
            request_id=request_id, http_status=http_status, operation=operation,
        )  # fmt: skip
    return cls(code, message, request_id=request_id, http_status=http_status, operation=operation)


def one_line(text: str, limit: int = 200) -> str:
    """Whitespace collapsed and cut: server text goes into one-line messages."""
    return " ".join(text.split())[:limit]


def error_for(
    code: str, message: str, meta: ResponseMeta, *, now: float, body_request_id: str | None = None
) -> ApiError:
    """``make_error`` with what a response's metadata says (request id, skew, reset time).

    Args:
        now: our clock when the response arrived; the skew is ``now - server time``.
    """
    skew = None if meta.server_time is None else now - meta.server_time.timestamp()
    return make_error(
        code,
        message,
        http_status=meta.http_status,
        request_id=meta.request_id or body_request_id,
        operation=meta.operation,
        clock_skew=skew,
        resets_at=meta.quota_resets_on,
    )


def error_from_body(body: bytes, meta: ResponseMeta, *, reason: str, now: float) -> ApiError:
    """The error an HTTP error response carries; a non-XML body is classified by status."""
    try:
        info = read_error(parse_document(body))
    except MalformedResponseError:
        info = None
    if info is None:  # a proxy's HTML page, an empty 503 ...
        text = one_line(body[:400].decode("utf-8", "replace"))
        message = f"{reason or 'HTTP error'}: {text}" if text else (reason or "no body")
        return error_for(f"HTTP{meta.http_status}", message, meta, now=now)
    return error_for(info.code, info.message, meta, now=now, body_request_id=info.request_id)


def transport_error(
    operation: str,
    mutating: bool,
    exc: httpx.TransportError | httpx.DecodingError,
    meta: ResponseMeta | None,
    host: str = "",
) -> ApiError:
    """A network failure: ``OutcomeUnknownError`` for a mutation that may have been sent.

    A request that never reached ``host`` (no name, refused, TLS handshake) is a
    ``NotSentError`` saying so in plain words; a body that cannot be decoded (bad gzip)
    is a ``MalformedResponseError``.
    """
    request_id = meta.request_id if meta else None
    status = meta.http_status if meta else None
    if isinstance(exc, wire.NOT_SENT) and meta is None:
        err = NotSentError(
            type(exc).__name__,
            f"cannot reach {host or 'the service'}: {wire.unreachable_reason(exc)}",
            operation=operation,
        )
        err.transient = not wire.name_unknown(exc)
        return err
    message = wire.describe_transport_error(exc)
    cls: type[ApiError] = TransportError
    if isinstance(exc, httpx.DecodingError):
        cls = MalformedResponseError
    elif mutating and not isinstance(exc, NOT_SENT):
        cls = OutcomeUnknownError
        message = f"sent, but the answer was lost: {message}"
    return cls(
        type(exc).__name__, message, request_id=request_id, http_status=status, operation=operation
    )
