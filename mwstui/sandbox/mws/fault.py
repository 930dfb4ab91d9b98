"""The error a sandbox handler raises to answer with an MWS ``ErrorResponse``."""

from __future__ import annotations


class MWSFault(Exception):
    """An MWS error answer: HTTP status, Type, Code, Message.

    Args:
        status: HTTP status.
        code: ``Error/Code`` (``InvalidParameterValue``, ``RequestThrottled`` ...).
        message: ``Error/Message``.
        type_: ``Sender`` (the caller's fault) or ``Receiver`` (the service's).
        request_id_tag: ``RequestId`` or ``RequestID``: the real service uses both.
        namespace: overrides the section's namespace (the 404 uses a generic one).
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        type_: str = "Sender",
        request_id_tag: str = "RequestId",
        namespace: str | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.type_ = type_
        self.request_id_tag = request_id_tag
        self.namespace = namespace


def invalid(message: str) -> MWSFault:
    """400 InvalidParameterValue, the documented code for a bad or missing parameter."""
    return MWSFault(400, "InvalidParameterValue", message)


def missing(name: str) -> MWSFault:
    """400 InvalidParameterValue for a required parameter that was not sent."""
    return invalid(f"Parameter {name} is required but was not supplied.")


def fba_invalid(message: str) -> MWSFault:
    """400 InvalidRequestException, the Fulfillment Outbound validation error (observed)."""
    return MWSFault(400, "InvalidRequestException", message)


def throttled() -> MWSFault:
    """503 RequestThrottled: the burst bucket is empty."""
    return MWSFault(503, "RequestThrottled", "Request is throttled")


def internal_error() -> MWSFault:
    return MWSFault(
        500,
        "InternalError",
        "We encountered an internal error. Please try again.",
        type_="Receiver",
    )


def service_unavailable() -> MWSFault:
    return MWSFault(
        503,
        "ServiceUnavailable",
        "Service is temporarily unavailable. Please try again later.",
        type_="Receiver",
    )
