"""SellerCenter error codes (spec/sellercenter.md §4.3) mapped onto the shared exception tree."""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime

import httpx

from mwstui import wire
from mwstui.clock import Clock
from mwstui.errors import (
    AccessDeniedError,
    ApiError,
    InvalidParameterError,
    InvalidStateError,
    MalformedResponseError,
    NotFoundError,
    NotSentError,
    OutcomeUnknownError,
    RequestExpiredError,
    ServiceError,
    SignatureMismatchError,
    ThrottledError,
    TransportError,
)
from mwstui.sellercenter.parsing import Envelope

_CLASSES: dict[str, type[ApiError]] = {
    "E003": RequestExpiredError,
    "E007": SignatureMismatchError,
    "E009": AccessDeniedError,
    "E429": ThrottledError,
    "E006": ServiceError,
    "E021": ServiceError,
    "1000": ServiceError,
    "E012": NotFoundError,
    "E016": NotFoundError,
    "E020": NotFoundError,
    "E037": NotFoundError,
    "E039": NotFoundError,
    "E028": InvalidStateError,
    "E073": InvalidStateError,
    "E119": InvalidStateError,
}
"""Codes with a specific class; every other Sender code is an InvalidParameterError."""

RETRYABLE = frozenset({"E429", "E006", "1000"})
"""Service codes a read is retried on (spec §4.4); E003/E007 never are, nor E021 (OMS)."""

_HINTS: dict[str, str] = {
    "E007": (
        "The API key does not match the UserID (or the user is unknown): check both in "
        "Seller Center › Settings › Manage Users and re-enter the key."
    ),
    "E009": (
        "This Seller Center user lacks the role for this call: give it 'Seller API Access' "
        "or 'Seller API Order Access' (Settings › Manage Users)."
    ),
    "E010": "The endpoint refused plain HTTP: use an https:// endpoint.",
    "E018": "GetOrders needs CreatedAfter or UpdatedAfter.",
    "E022": "The reason must be a 'canceled' reason name from GetFailureReasons.",
    "E028": "The item is no longer cancellable (only 'pending' items can be cancelled).",
    "E429": "Too many requests: mwstui backs off and waits for the SellerCenter bucket.",
}

_PREFIX = re.compile(r"^\s*(E\d{3,}|\d{4,})\s*:\s*")


def normalise_code(error_code: object, message: str) -> str:
    """The canonical code (``E007``, ``E429``, ``1000``) from Head.ErrorCode and the message.

    The message prefix (``E007: …``) wins; otherwise a bare number becomes ``E%03d``,
    except ``1000``, which the docs list without the ``E``.
    """
    m = _PREFIX.match(message)
    if m:
        return m.group(1)
    raw = "" if error_code is None else str(error_code).strip()
    if raw.isdigit():
        n = int(raw)
        return str(n) if n >= 1000 else f"E{n:03d}"
    return raw or "Unknown"


def strip_prefix(message: str, code: str) -> str:
    """The message without its leading ``<code>:`` (the summary shows the code already)."""
    m = _PREFIX.match(message)
    return message[m.end() :] if m and m.group(1) == code else message


def error_for(
    code: str,
    message: str,
    *,
    error_type: str | None = None,
    operation: str | None = None,
    http_status: int | None = None,
    request_id: str | None = None,
    clock_skew: float | None = None,
) -> ApiError:
    """The typed exception for one SellerCenter ErrorResponse.

    Args:
        code: a normalised code (see ``normalise_code``).
        message: the server's message, untrusted, without its code prefix.
        error_type: Head.ErrorType: ``Sender`` or ``Platform`` (unknown codes of type
            Platform become ServiceError).
        operation: the Action that failed.
        http_status: the HTTP status of the answer.
        request_id: Head.RequestId, when not empty.
        clock_skew: seconds this machine is ahead of the server (E003), when known.
    """
    cls = _CLASSES.get(code)
    if cls is None:
        cls = ServiceError if (error_type or "").lower() == "platform" else InvalidParameterError
    kw: dict[str, object] = {
        "operation": operation,
        "http_status": http_status,
        "request_id": request_id,
    }
    if cls is RequestExpiredError:
        return RequestExpiredError(code, message, clock_skew=clock_skew, **kw)
    err = cls(code, message, **kw)  # type: ignore[arg-type]
    hint = _HINTS.get(code)
    if hint is not None:
        # An instance attribute shadows the class's generic (MWS-worded) hint.
        err.hint = hint
    return err


def envelope_error(
    env: Envelope, operation: str, http_status: int, date_header: str | None, clock: Clock
) -> ApiError:
    """The exception for an ``ErrorResponse`` envelope, whatever its HTTP status.

    For E003 the clock skew is measured against the ``Date`` header when there is one.
    """
    message = env.head_text("ErrorMessage")
    code = normalise_code(env.head.get("ErrorCode"), message)
    skew = None
    if code == "E003" and date_header:
        try:
            skew = clock.time() - parsedate_to_datetime(date_header).timestamp()
        except (TypeError, ValueError):
            skew = None
    return error_for(
        code,
        strip_prefix(message, code) or code,
        error_type=env.head_text("ErrorType"),
        operation=env.head_text("RequestAction") or operation,
        http_status=http_status,
        request_id=env.head_text("RequestId") or None,
        clock_skew=skew,
    )


def unreadable_error(operation: str, mutating: bool, http_status: int, why: str) -> ApiError:
    """The exception for an answer with no readable envelope.

    HTTP 429 is a throttle; for a mutation anything else leaves the outcome unknown
    (a proxy may have answered after forwarding it); for a read 5xx is a service failure.
    """
    what = f"HTTP {http_status}, {why}"
    if http_status == 429:
        return ThrottledError(
            "HTTP429", "Too many requests", operation=operation, http_status=http_status
        )
    if mutating:
        return OutcomeUnknownError(
            "MalformedResponse", what, operation=operation, http_status=http_status
        )
    if http_status >= 500:
        return ServiceError(
            f"HTTP{http_status}", what, operation=operation, http_status=http_status
        )
    return MalformedResponseError(
        "MalformedResponse", what, operation=operation, http_status=http_status
    )


DEADLINE = "DeadlineExceeded"
"""The code of an exchange that went over the deadline (never retried)."""


def transport_error(
    operation: str, mutating: bool, exc: httpx.HTTPError, host: str = ""
) -> ApiError:
    """The exception for an exchange that got no answer.

    A request that never reached ``host`` is NotSentError ("cannot reach …: name not
    known"); a mutation that may have left is OutcomeUnknownError (never retried);
    anything else is TransportError.
    """
    if isinstance(exc, wire.NOT_SENT):
        reason = wire.unreachable_reason(exc)
        err = NotSentError(
            type(exc).__name__, f"cannot reach {host or 'the service'}: {reason}",
            operation=operation,
        )  # fmt: skip
        err.transient = not wire.name_unknown(exc)
        return err
    message = wire.describe_transport_error(exc)
    if mutating:
        return OutcomeUnknownError(
            "ConnectionLost", f"sent, but the answer was lost: {message}", operation=operation
        )
    return TransportError("Transport", f"{type(exc).__name__}: {message}", operation=operation)


def deadline_error(operation: str, mutating: bool, host: str, deadline: float) -> ApiError:
    """An exchange that went over the deadline: a stuck or trickling server."""
    message = f"no complete answer from {host} within {deadline:g} s"
    if mutating:  # it may have been carried out; a read will tell
        return OutcomeUnknownError(DEADLINE, f"sent, but {message}", operation=operation)
    return TransportError(DEADLINE, message, operation=operation)


def retryable(exc: ApiError) -> bool:
    """Whether a read that failed so may be sent again (after backoff)."""
    if exc.code == DEADLINE:  # retrying would hold the caller that long again
        return False
    if isinstance(exc, NotSentError) and not exc.transient:  # an unknown host name
        return False
    if isinstance(exc, (ThrottledError, TransportError)):
        return True
    return isinstance(exc, ServiceError) and (exc.code in RETRYABLE or exc.code.startswith("HTTP"))
