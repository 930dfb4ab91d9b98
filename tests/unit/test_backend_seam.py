"""The seam's own types: statuses that carry their meaning, plans, batching, error outcomes."""

from __future__ import annotations

import asyncio

import pytest

from mwstui.backend.actions import result_of_error
from mwstui.backend.batch import BatchedRun, chunk_calls
from mwstui.backend.fulfillment_records import (
    FulfillmentItem,
    FulfillmentOrder,
    FulfillmentOrderDetail,
)
from mwstui.backend.models import StatusScheme, Tone
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.errors import (
    InvalidStateError,
    OutcomeUnknownError,
    ReadOnlyError,
    ServiceError,
    ThrottledError,
    TransportError,
)
from mwstui.mws.backend_records import order_statuses, report_statuses
from mwstui.validation import LocalValidationError

SCHEME = StatusScheme(
    ["Received", "Planning", "Processing", "Cancelled", "Complete"],
    cancellable=["Received", "Planning"],
    terminal=["Cancelled", "Complete"],
    tones={"Received": Tone.PENDING, "Cancelled": Tone.MUTED},
    fold_case=True,
)


def test_a_status_knows_what_it_means_in_either_spelling() -> None:
    upper, pascal = SCHEME("RECEIVED"), SCHEME("Received")
    assert upper.cancellable and pascal.cancellable and not upper.terminal
    assert str(upper) == "RECEIVED", "the service's spelling is kept"
    assert upper.tone is Tone.PENDING
    assert SCHEME("CANCELLED").terminal and not SCHEME("CANCELLED").cancellable
    assert SCHEME("Processing").tone is Tone.ACTIVE
    assert SCHEME.same("cancelled", "CANCELLED")


def test_an_unknown_status_is_kept_and_never_cancellable() -> None:
    odd = SCHEME("ON_HOLD_FOREVER")
    assert (odd.value, odd.known, odd.cancellable, odd.terminal) == (
        "ON_HOLD_FOREVER",
        False,
        False,
        False,
    )
    assert odd.tone is Tone.UNKNOWN
    assert SCHEME(None).value == ""


def test_a_scheme_is_exact_unless_told_to_fold_case() -> None:
    exact = StatusScheme(["_SUBMITTED_"], cancellable=["_SUBMITTED_"])
    assert exact("_SUBMITTED_").cancellable and not exact("_submitted_").known
    assert SCHEME.cancellable_values() == ("Received", "Planning")


def test_mws_statuses_come_from_the_catalog() -> None:
    assert report_statuses()("_SUBMITTED_").cancellable
    assert not report_statuses()("_IN_PROGRESS_").cancellable
    assert report_statuses()("_DONE_NO_DATA_").tone is Tone.EMPTY
    assert report_statuses()("_CANCELLED_").terminal
    assert order_statuses().cancellable_values() == ("RECEIVED", "PLANNING")
    assert order_statuses()("COMPLETE_PARTIALLED").tone is Tone.WARNING


def test_a_partly_cancelled_order_is_told_apart() -> None:
    order = FulfillmentOrder("O-1", order_statuses()("PROCESSING"))
    whole = FulfillmentOrderDetail(order, (FulfillmentItem("1", "SKU", 3, cancelled_quantity=3),))
    part = FulfillmentOrderDetail(order, (FulfillmentItem("1", "SKU", 3, cancelled_quantity=1),))
    none = FulfillmentOrderDetail(order, (FulfillmentItem("1", "SKU", 3),))
    assert part.partly_cancelled
    assert not whole.partly_cancelled and not none.partly_cancelled


@pytest.mark.parametrize(
    ("exc", "outcome"),
    [
        (OutcomeUnknownError("ConnectionLost", "sent, but lost", operation="X"), Outcome.UNKNOWN),
        (ServiceError("InternalError", "boom", request_id="R1", http_status=500), Outcome.FAILED),
        (InvalidStateError("E028", "not pending", http_status=200), Outcome.FAILED),
        (TransportError("ConnectError", "connection refused"), Outcome.NOT_SENT),
        (ThrottledError("LocalThrottle", "no request quota for 90 s"), Outcome.NOT_SENT),
        (LocalValidationError("ReportRequestId", "not a number"), Outcome.NOT_SENT),
        (ReadOnlyError("read-only profile"), Outcome.NOT_SENT),
        (ValueError("bad id"), Outcome.NOT_SENT),
    ],
)
def test_an_error_becomes_the_outcome_it_is(exc: Exception, outcome: Outcome) -> None:
    result = result_of_error(exc)
    assert result.outcome is outcome
    assert result.detail


def test_a_refusal_keeps_its_code_and_request_id() -> None:
    result = result_of_error(
        ServiceError("InternalError", "We  encountered\nan error", request_id="R1", http_status=500)
    )
    assert (result.code, result.request_id, result.detail) == (
        "InternalError",
        "R1",
        "We encountered an error",
    )


@pytest.mark.parametrize(
    ("sent", "outcome", "words"),
    [
        (True, Outcome.UNKNOWN, "may have been sent: checked at the next start"),
        (None, Outcome.UNKNOWN, "may have been sent: refresh to see"),
        (False, Outcome.NOT_SENT, "nothing was sent"),
    ],
)
def test_a_bug_is_never_done_and_its_traceback_goes_to_the_log_only(
    sent: bool | None, outcome: Outcome, words: str, caplog: pytest.LogCaptureFixture
) -> None:
    try:
        {}["secret-looking-key"]  # raises KeyError
    except KeyError as exc:
        result = result_of_error(exc, sent=sent)
    assert result.outcome is outcome and result.code == "InternalError"
    assert result.detail.startswith("internal error (KeyError), a bug in mwstui; ")
    assert words in result.detail
    # One line, no traceback and not the exception's text: the log has them.
    assert "Traceback" not in result.detail and "secret-looking-key" not in result.detail
    (record,) = caplog.records
    assert record.exc_info is not None and record.exc_info[0] is KeyError


def test_a_cancellation_is_not_an_outcome() -> None:
    with pytest.raises(asyncio.CancelledError):
        result_of_error(asyncio.CancelledError())


def test_a_refusal_with_no_call_of_the_item_was_not_sent() -> None:
    # The read before the cancel was refused: the item's own call never went out.
    refused = ServiceError("InternalError", "boom", request_id="R1", http_status=500)
    result = result_of_error(refused, sent=False)
    assert result.outcome is Outcome.NOT_SENT
    assert result.detail == "refused before sending: boom" and result.request_id == "R1"
    assert result_of_error(refused, sent=True).outcome is Outcome.FAILED
    # A lost answer stays unknown, and a call that never reached the service not sent,
    # whatever the journal holds.
    lost = OutcomeUnknownError("ConnectionLost", "sent, but lost")
    assert result_of_error(lost, sent=False).outcome is Outcome.UNKNOWN
    never = TransportError("ConnectError", "connection refused")
    assert result_of_error(never, sent=True).outcome is Outcome.NOT_SENT


async def test_a_batched_run_sends_each_chunk_once_on_its_first_item() -> None:
    sent: list[list[str]] = []

    async def send(chunk: list[str]) -> dict[str, ItemResult]:
        sent.append(chunk)
        return {k: ItemResult(Outcome.DONE, k) for k in chunk if k != "4"}

    keys = [str(i) for i in range(5)]
    batch = BatchedRun([*keys, "0"], 2, send)
    results = [await batch.run(k) for k in keys]

    assert sent == [["0", "1"], ["2", "3"], ["4"]]
    assert batch.calls == 3 == chunk_calls(5, 2)
    assert [r.outcome for r in results[:4]] == [Outcome.DONE] * 4
    assert results[4].outcome is Outcome.NOT_CONFIRMED, "sent but not in the answer"
    assert (await batch.run("elsewhere")).outcome is Outcome.NOT_SENT


async def test_a_chunk_that_fails_fails_every_item_of_it_and_only_those() -> None:
    async def send(chunk: list[str]) -> dict[str, ItemResult]:
        if "a" in chunk:
            raise OutcomeUnknownError("ConnectionLost", "sent, but the answer was lost")
        return {k: ItemResult(Outcome.DONE) for k in chunk}

    batch = BatchedRun(["a", "b", "c"], 2, send)
    outcomes = [(await batch.run(k)).outcome for k in ("a", "b", "c")]
    assert outcomes == [Outcome.UNKNOWN, Outcome.UNKNOWN, Outcome.DONE]
    assert chunk_calls(0, 100) == 0
    with pytest.raises(ValueError):
        BatchedRun([], 0, send)
