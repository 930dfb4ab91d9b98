"""The error a handler raises to answer with SP-API's ``{"errors": [...]}`` body.

Statuses and codes follow spec/spapi.md §3. Where the spec leaves a choice open the
helper says so, and the safe (stricter) answer is taken.
"""

from __future__ import annotations

ACCESS_DENIED = "Access to requested resource is denied."
EXPIRED = "The access token you provided has expired."
INVALID_TOKEN = "The access token you provided is revoked, malformed or invalid."  # noqa: S105
MISSING_TOKEN = "Access token is missing in the request header."  # noqa: S105
QUOTA_MESSAGE = "You exceeded your quota for the requested resource."
UNDECODABLE_PAGE_MARKER = (
    "We could not decode your NextToken. Possible reasons include: a transmission error, "
    "improper quoting or a truncation problem."
)


class SpapiError(Exception):
    """An SP-API error answer.

    Args:
        status: HTTP status.
        code: ``errors[0].code`` (``InvalidInput``, ``NotFound``, ``Unauthorized`` ...).
        message: ``errors[0].message``.
        details: ``errors[0].details`` (None: the key is left out, as real answers do).
        error_type: the gateway's ``x-amzn-ErrorType`` header, when it sends one.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: str | None = "",
        *,
        error_type: str | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.error_type = error_type

    def body(self) -> dict[str, object]:
        error: dict[str, object] = {"code": self.code, "message": self.message}
        if self.details is not None:
            error["details"] = self.details
        return {"errors": [error]}


def invalid(message: str, details: str = "") -> SpapiError:
    """400 InvalidInput, the code of every observed validation failure."""
    return SpapiError(400, "InvalidInput", message, details)


def not_found(what: str) -> SpapiError:
    """404 NotFound for an unknown id (the model's 404; the exact text is unverified)."""
    return SpapiError(404, "NotFound", "The specified resource does not exist.", what)


def unauthorized(details: str) -> SpapiError:
    """403 Unauthorized: how SP-API answers a missing, bad or expired access token."""
    return SpapiError(
        403, "Unauthorized", ACCESS_DENIED, details, error_type="AccessDeniedException"
    )


def quota_exceeded() -> SpapiError:
    """429 QuotaExceeded, as observed: no Retry-After, no rate-limit header."""
    return SpapiError(
        429, "QuotaExceeded", QUOTA_MESSAGE, "", error_type="TooManyRequestsException"
    )


def internal_failure() -> SpapiError:
    return SpapiError(500, "InternalFailure", "We encountered an internal error. Please try again.")


def unavailable() -> SpapiError:
    """503: the model documents the status only; this code and text are our choice."""
    return SpapiError(
        503, "ServiceUnavailable", "Temporary overloading or maintenance of the server.", ""
    )
