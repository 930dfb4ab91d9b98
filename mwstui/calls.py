"""What every API call returns and reports: result metadata and the call record for Activity."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ResponseMeta:
    """Metadata of one HTTP exchange, whatever the service."""

    operation: str
    http_status: int
    request_id: str | None = None
    server_time: datetime | None = None
    """The server's clock (``x-mws-timestamp``, SellerCenter ``Head.Timestamp`` or ``Date``)."""
    quota_max: float | None = None
    quota_remaining: float | None = None
    quota_resets_on: datetime | None = None
    next_token: str | None = None
    elapsed: float = 0.0
    """Seconds on the wire."""
    waited: float = 0.0
    """Seconds spent waiting for the throttle governor before sending."""
    rate_limit: float | None = None
    """SP-API ``x-amzn-RateLimit-Limit``: the operation's refill rate (requests/s), if sent."""


@dataclass(frozen=True, slots=True)
class Result(Generic[T]):
    """A parsed result and the metadata of the call that produced it."""

    data: T
    meta: ResponseMeta


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One attempt at one API call, as the Activity panel and the logs see it.

    ``params`` already has every secret masked; ``response_text`` is the raw body
    (truncated), untrusted.
    """

    started_at: datetime
    service: str
    """``mws`` or ``sellercenter``."""
    account: str
    """Seller id or SellerCenter user: whose budget it spent."""
    operation: str
    method: str
    host: str
    params: Mapping[str, str] = field(default_factory=dict)
    http_status: int | None = None
    error_code: str | None = None
    error_message: str | None = None
    request_id: str | None = None
    duration: float = 0.0
    waited: float = 0.0
    attempt: int = 1
    response_text: str = ""
    mutating: bool = False


CallObserver = Callable[[CallRecord], None]
"""Receives a record after every attempt (the UI's Activity panel, logs)."""

SECRET_PARAMS = frozenset({"Signature", "MWSAuthToken", "AWSSecretKey", "SecretKey", "APIKey"})
"""Request parameters never shown: masked in call records and logs."""


def mask_params(params: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``params`` with every secret-bearing value replaced by a mask."""
    return {k: ("••••••" if k in SECRET_PARAMS else v) for k, v in params.items()}


class SignedParams(dict[str, str]):
    """Request parameters that hold live secrets (Signature, MWSAuthToken) while signing.

    A plain dict, except that its ``repr`` masks them: a traceback formatted with its
    locals (``capture_locals=True``, Rich's ``show_locals``) shows the mask, not the value.
    """

    def __repr__(self) -> str:
        return f"SignedParams({mask_params(self)!r})"


class MutationRecorder(Protocol):
    """Where a client writes every mutating call: the intent before sending, the outcome after.

    Implemented by the journal (``mwstui.journal.store``); clients take it as an argument.
    """

    def record_intent(
        self,
        *,
        profile: str,
        service: str,
        account: str,
        operation: str,
        params: Mapping[str, str],
        items: Sequence[str],
    ) -> int:
        """Store a pending entry (params already masked) and return its id."""
        ...

    def record_outcome(
        self,
        entry_id: int,
        *,
        status: str,
        request_id: str | None = None,
        http_status: int | None = None,
        error_code: str | None = None,
        error_message: str | None = None,
    ) -> None:
        """Complete an entry; ``status`` is ``ok``, ``error`` or ``unknown``."""
        ...
