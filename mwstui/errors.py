"""The one exception tree for every expected failure, shared by MWS and SellerCenter.

    MwstuiError                   anything expected; str() is a one-line message for the user
    ├── ConfigError               bad or missing configuration / profile
    ├── CredentialError           keyring missing, locked, wrong passphrase, secret absent
    ├── ReadOnlyError             a mutating call refused because the profile is read-only
    └── ApiError                  a call to a service failed (code, message, request id, status)
        ├── ThrottledError        burst bucket empty: MWS RequestThrottled, SellerCenter E429
        ├── QuotaExceededError    hourly quota used up (MWS QuotaExceeded); has resets_at
        ├── AuthError             the service refused who we are
        │   ├── SignatureMismatchError   SignatureDoesNotMatch, SellerCenter E007
        │   └── AccessDeniedError        InvalidAccessKeyId, AccessDenied, E009
        ├── RequestExpiredError   timestamp too far off (RequestExpired, E003); has clock_skew
        ├── InvalidParameterError a parameter was rejected (InvalidParameterValue, E001 ...)
        │   ├── NotFoundError     an id that does not exist (InvalidReportRequestId, E016 ...)
        │   └── InvalidStateError the object cannot do that now (cancel a shipped item, E028)
        ├── ServiceError          the service failed (500 InternalError, 503 ServiceUnavailable)
        ├── TransportError        no usable answer: reset, timed out, over the deadline
        │   └── NotSentError      the request never reached the server (DNS, refused, TLS)
        ├── OutcomeUnknownError   a mutation was sent and the answer was lost
        ├── MalformedResponseError  the answer could not be parsed
        └── IntegrityError        a download failed its Content-MD5 check

Retry rules live with the client; this module only classifies. Every message is passed
through ``mask_secrets`` when the exception is made, so a secret a server echoes back
cannot reach a screen, a log or the journal through an error.
"""

from __future__ import annotations

from datetime import datetime

from mwstui.secret import mask_secrets


class MwstuiError(Exception):
    """Base of every failure the user may meet; ``str()`` is a one-line message."""

    def __init__(self, *args: object) -> None:
        super().__init__(*(mask_secrets(a) if isinstance(a, str) else a for a in args))


class ConfigError(MwstuiError):
    """The configuration or a profile is missing or invalid."""


class CredentialError(MwstuiError):
    """A credential could not be read or stored."""


class ReadOnlyError(MwstuiError):
    """A mutating call was refused because the session or profile is read-only."""


class ApiError(MwstuiError):
    """A call to a marketplace service failed.

    Args:
        code: the service's error code (``RequestThrottled``, ``E007``) or a local one.
        message: the service's message, verbatim (untrusted text: render literally).
        request_id: the service's request id, when it sent one.
        http_status: the HTTP status, when there was a response.
        operation: the operation that failed (``GetReportRequestList``).
    """

    hint: str | None = None
    """What the user can do about it, when there is something to say."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        request_id: str | None = None,
        http_status: int | None = None,
        operation: str | None = None,
    ) -> None:
        self.code = mask_secrets(code)
        self.message = mask_secrets(message)
        self.request_id = mask_secrets(request_id) if request_id else request_id
        self.http_status = http_status
        self.operation = operation
        super().__init__(self.summary())

    def summary(self) -> str:
        """One line: operation, code, message, request id."""
        head = f"{self.operation}: " if self.operation else ""
        rid = f" (request id {self.request_id})" if self.request_id else ""
        msg = " ".join(self.message.split())
        return f"{head}{self.code}: {msg}{rid}"


class ThrottledError(ApiError):
    """The operation's burst bucket is empty."""

    hint = "The request quota is used up; mwstui waits for the next token before retrying."


class QuotaExceededError(ApiError):
    """The operation's hourly quota is used up until ``resets_at``."""

    hint = "The hourly quota is used up; calls resume when it resets."

    def __init__(
        self, code: str, message: str, *, resets_at: datetime | None = None, **kw: object
    ) -> None:
        self.resets_at = resets_at
        super().__init__(code, message, **kw)  # type: ignore[arg-type]


class AuthError(ApiError):
    """The service refused the credentials."""

    hint = "Check the profile's access key, secret key and seller id (mwstui doctor)."


class SignatureMismatchError(AuthError):
    """The signature did not verify: wrong secret key (or API key / user)."""

    hint = "The secret key does not match the access key (or user): re-enter it."


class AccessDeniedError(AuthError):
    """Unknown key, or the account lacks the right to call this operation."""


class RequestExpiredError(ApiError):
    """The request's timestamp was too far from the server's clock."""

    def __init__(
        self, code: str, message: str, *, clock_skew: float | None = None, **kw: object
    ) -> None:
        self.clock_skew = clock_skew
        super().__init__(code, message, **kw)  # type: ignore[arg-type]

    @property
    def hint(self) -> str:  # type: ignore[override]
        if self.clock_skew is None:
            return "This machine's clock is off; synchronise it (e.g. with NTP)."
        return (
            f"This machine's clock is {abs(self.clock_skew):.0f} s "
            f"{'ahead of' if self.clock_skew > 0 else 'behind'} the server; synchronise it."
        )


class InvalidParameterError(ApiError):
    """The service rejected a parameter."""


class NotFoundError(InvalidParameterError):
    """An id that the service does not know."""


class InvalidStateError(InvalidParameterError):
    """The object cannot do that in its current state (e.g. cancel once shipped)."""


class ServiceError(ApiError):
    """The service failed on its side; reads are retried with backoff."""

    hint = "The service had a problem; try again shortly."


class TransportError(ApiError):
    """No usable answer from the network (refused, reset, timed out)."""

    hint = "Check the network and the profile's endpoint (mwstui doctor)."


class NotSentError(TransportError):
    """The request never reached the server: no name, refused, TLS handshake failed.

    Nothing was spent on the server's side, so the throttle model gives the token back,
    and a mutation that met it certainly did not happen.
    """

    transient: bool = True
    """Whether sending again soon may help (a refused connection may; a host name the
    resolver does not know will not, and each lookup can take seconds)."""


class OutcomeUnknownError(ApiError):
    """A mutation was sent but its answer was lost: it may or may not have happened."""

    hint = "It was not retried. Refresh to see whether it took effect; the journal records it."


class MalformedResponseError(ApiError):
    """The service's answer could not be understood."""


class IntegrityError(ApiError):
    """A downloaded report did not match its Content-MD5."""
