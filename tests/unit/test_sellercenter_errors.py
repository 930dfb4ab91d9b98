"""SellerCenter error codes → the shared exception tree, with codes, messages and hints."""

from __future__ import annotations

import pytest

from mwstui.clock import FakeClock
from mwstui.errors import (
    AccessDeniedError,
    ApiError,
    InvalidParameterError,
    InvalidStateError,
    MalformedResponseError,
    NotFoundError,
    OutcomeUnknownError,
    RequestExpiredError,
    ServiceError,
    SignatureMismatchError,
    ThrottledError,
)
from mwstui.sellercenter import parsing
from mwstui.sellercenter.errors import (
    envelope_error,
    error_for,
    normalise_code,
    retryable,
    strip_prefix,
    unreadable_error,
)


@pytest.mark.parametrize(
    ("error_code", "message", "code"),
    [
        ("7", "E007: Login failed. Signature mismatching", "E007"),
        ("7", "Login failed", "E007"),
        (7, "", "E007"),
        ("429", "E429: Too many requests", "E429"),
        ("1000", "Internal Application Error", "1000"),
        ("", "E028: cannot move", "E028"),
        (None, "", "Unknown"),
        ("E016", "", "E016"),
    ],
)
def test_normalise_code(error_code: object, message: str, code: str) -> None:
    assert normalise_code(error_code, message) == code


def test_strip_prefix_only_strips_the_own_code() -> None:
    assert strip_prefix("E007: Login failed", "E007") == "Login failed"
    assert strip_prefix("E007: Login failed", "E003") == "E007: Login failed"


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        ("E001", InvalidParameterError),
        ("E002", InvalidParameterError),
        ("E003", RequestExpiredError),
        ("E004", InvalidParameterError),
        ("E006", ServiceError),
        ("E007", SignatureMismatchError),
        ("E008", InvalidParameterError),
        ("E009", AccessDeniedError),
        ("E011", InvalidParameterError),
        ("E429", ThrottledError),
        ("1000", ServiceError),
        ("E016", NotFoundError),
        ("E018", InvalidParameterError),
        ("E020", NotFoundError),
        ("E022", InvalidParameterError),
        ("E028", InvalidStateError),
        ("E073", InvalidStateError),
    ],
)
def test_codes_map_to_classes_keeping_code_message_and_action(
    code: str, cls: type[ApiError]
) -> None:
    err = error_for(code, "msg", operation="GetOrders", http_status=200)
    assert type(err) is cls
    assert (err.code, err.message, err.operation) == (code, "msg", "GetOrders")
    assert str(err) == f"GetOrders: {code}: msg"


def test_unknown_codes_follow_the_error_type() -> None:
    assert type(error_for("E999", "x", error_type="Platform")) is ServiceError
    assert type(error_for("E999", "x", error_type="Sender")) is InvalidParameterError


def test_hints_explain_clock_key_and_role() -> None:
    e003 = error_for("E003", "Timestamp has expired")
    assert "clock" in (e003.hint or "")
    e007 = error_for("E007", "Login failed. Signature mismatching")
    assert "API key" in (e007.hint or "") and "UserID" in (e007.hint or "")
    e009 = error_for("E009", "Access Denied")
    assert "Seller API" in (e009.hint or "")
    # The class-wide MWS wording is untouched.
    assert "secret key" in (SignatureMismatchError.hint or "")


def _error_env(code: str, message: str, action: str = "GetOrders") -> parsing.Envelope:
    head = {"RequestAction": action, "ErrorType": "Sender", "ErrorCode": code}
    return parsing.Envelope(False, {**head, "ErrorMessage": message}, "")


def test_envelope_error_measures_skew_from_the_date_header() -> None:
    clock = FakeClock(start=1_767_225_600.0 + 1200)  # 20 min ahead of the server
    err = envelope_error(
        _error_env("3", "E003: Timestamp has expired"),
        "GetOrders",
        200,
        "Thu, 01 Jan 2026 00:00:00 GMT",
        clock,
    )
    assert isinstance(err, RequestExpiredError)
    assert err.clock_skew == pytest.approx(1200)
    assert "ahead" in err.hint
    assert err.message == "Timestamp has expired"


def test_envelope_error_uses_the_request_action_from_the_head() -> None:
    err = envelope_error(
        _error_env("28", "E028: no", "SetStatusToCanceled"), "X", 200, None, FakeClock()
    )
    assert isinstance(err, InvalidStateError) and err.operation == "SetStatusToCanceled"


@pytest.mark.parametrize(
    ("status", "mutating", "cls"),
    [
        (429, False, ThrottledError),
        (429, True, ThrottledError),
        (502, False, ServiceError),
        (502, True, OutcomeUnknownError),
        (200, True, OutcomeUnknownError),
        (200, False, MalformedResponseError),
    ],
)
def test_unreadable_answers(status: int, mutating: bool, cls: type[ApiError]) -> None:
    err = unreadable_error("GetOrders", mutating, status, "neither JSON nor XML")
    assert type(err) is cls and err.http_status == status


def test_retryable() -> None:
    assert retryable(error_for("E429", "x"))
    assert retryable(error_for("E006", "x"))
    assert retryable(unreadable_error("GetOrders", False, 503, "x"))
    assert not retryable(error_for("E021", "x"))
    assert not retryable(error_for("E007", "x"))
    assert not retryable(error_for("E003", "x"))
