"""What every MWS request is made of and what its exchange can end in, apart from the send
path: the User-Agent MWS asks for, and the error of an exchange over the deadline."""

from __future__ import annotations

import platform
import sys
from collections.abc import Mapping
from typing import Any

from mwstui import __version__
from mwstui.errors import ApiError, OutcomeUnknownError, TransportError

DEADLINE = "DeadlineExceeded"
"""The code of an exchange that went over the client's deadline (never retried)."""


def user_agent() -> str:
    """The User-Agent MWS asks for (spec §1.3): ``mwstui/0.1.0 (Language=Python/3.11; ...)``."""

    def esc(value: str) -> str:
        return value.replace("\\", "\\\\").replace(")", "\\)").replace(";", "\\;")

    lang = f"Python/{sys.version_info.major}.{sys.version_info.minor}"
    return f"mwstui/{esc(__version__)} (Language={esc(lang)}; Platform={esc(platform.system())})"


def deadline_error(
    operation: str, mutating: bool, host: str, deadline: float, rec: Mapping[str, Any]
) -> ApiError:
    """The exchange went over the deadline: a trickling or stuck server.

    Args:
        operation: the operation's name.
        mutating: whether it changes state (then it may have been carried out).
        host: the endpoint host, named in the message.
        deadline: the seconds the exchange was allowed.
        rec: the attempt's record so far (HTTP status and request id, when known).
    """
    message = f"no complete answer from {host} within {deadline:g} s"
    cls: type[ApiError] = TransportError
    if mutating:  # it may have been carried out; a read will tell
        cls, message = OutcomeUnknownError, f"sent, but {message}"
    return cls(
        DEADLINE, message, operation=operation,
        http_status=rec.get("http_status"), request_id=rec.get("request_id"),
    )  # fmt: skip
