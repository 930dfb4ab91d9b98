"""The MWS cancel rules, each in one place: what a read-back or an answer says happened."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwstui.backend.fulfillment_records import (
    FulfillmentItem,
    FulfillmentOrder,
    FulfillmentOrderDetail,
)
from mwstui.backend.models import ReportJob
from mwstui.backend.outcomes import Outcome
from mwstui.mws.backend import report_cancel_result
from mwstui.mws.backend_records import order_statuses, report_statuses
from mwstui.mws.fulfillment_backend import MWSFulfillment, cancel_result
from tests.contract.rig import make_rig


def _detail(status: str, *items: tuple[int, int]) -> FulfillmentOrderDetail:
    order = FulfillmentOrder("ORDER-1", order_statuses()(status))
    lines = tuple(
        FulfillmentItem(str(n), f"SKU-{n}", qty, cancelled_quantity=gone)
        for n, (qty, gone) in enumerate(items)
    )
    return FulfillmentOrderDetail(order, lines)


@pytest.mark.parametrize(
    ("status", "items", "lost", "outcome", "words"),
    [
        ("CANCELLED", [(2, 2)], False, Outcome.DONE, "now CANCELLED"),
        (
            "PROCESSING",
            [(2, 0)],
            False,
            Outcome.NOT_CONFIRMED,
            "now PROCESSING: picking had begun, nothing cancelled",
        ),
        ("PLANNING", [(2, 0)], False, Outcome.NOT_CONFIRMED, "now PLANNING: not cancelled yet"),
        (
            "PROCESSING",
            [(3, 1)],
            False,
            Outcome.NOT_CONFIRMED,
            "SKU-0 1 of 3 cancelled: 2 units may still ship",
        ),
        (
            "CANCELLED",
            [(2, 2), (3, 1)],
            False,
            Outcome.NOT_CONFIRMED,
            "SKU-1 1 of 3 cancelled: 2 units may still ship",
        ),
        ("COMPLETE", [(2, 0)], False, Outcome.FAILED, "now COMPLETE: no effect, nothing cancelled"),
        ("CANCELLED", [(2, 2)], True, Outcome.DONE, "answer lost; now CANCELLED"),
        ("RECEIVED", [(2, 0)], True, Outcome.UNKNOWN, "answer lost; now RECEIVED"),
    ],
)
def test_a_fulfillment_cancel_is_only_done_when_the_whole_order_reads_cancelled(
    status: str, items: list[tuple[int, int]], lost: bool, outcome: Outcome, words: str
) -> None:
    result = cancel_result(_detail(status, *items), lost=lost)
    assert result.outcome is outcome
    assert words in result.detail


def test_at_the_next_start_an_order_that_did_not_change_was_not_cancelled() -> None:
    assert cancel_result(_detail("RECEIVED", (1, 0)), settling=True).outcome is Outcome.FAILED
    assert cancel_result(_detail("PROCESSING", (1, 0)), settling=True).outcome is Outcome.FAILED
    assert cancel_result(_detail("CANCELLED", (1, 1)), settling=True).outcome is Outcome.DONE


@pytest.mark.parametrize(
    ("status", "lost", "outcome", "words"),
    [
        ("_CANCELLED_", False, Outcome.DONE, "_CANCELLED_"),
        ("_IN_PROGRESS_", False, Outcome.FAILED, "had started"),
        ("_DONE_", False, Outcome.FAILED, "had started"),
        ("_SUBMITTED_", False, Outcome.FAILED, "did not take"),
        (None, False, Outcome.NOT_CONFIRMED, "not listed"),
        ("_CANCELLED_", True, Outcome.DONE, "answer lost; read back _CANCELLED_"),
        (None, True, Outcome.UNKNOWN, "answer lost"),
    ],
)
def test_a_report_cancel_is_what_the_answer_says_of_each_request(
    status: str | None, lost: bool, outcome: Outcome, words: str
) -> None:
    shown = (
        None if status is None else ReportJob("R", "_GET_ORDERS_DATA_", report_statuses()(status))
    )
    result = report_cancel_result(shown, lost=lost, request_id="R-1")
    assert result.outcome is outcome
    assert words in result.detail
    # The request as seen goes with the result: the panel shows it without listing.
    assert result.read is shown


def test_an_order_of_a_marketplace_without_cancel_is_skipped_with_the_reason(
    tmp_path: Path,
) -> None:
    # The account's marketplace offers CancelFulfillmentOrder; the order's (Brazil) does not.
    rig = make_rig(tmp_path)
    backend = rig.session.backends.fulfillment
    assert isinstance(backend, MWSFulfillment)
    received = order_statuses()("RECEIVED")
    rows = {
        "HERE": FulfillmentOrder("HERE", received),
        "IN-BRAZIL": FulfillmentOrder("IN-BRAZIL", received, marketplace_id="A2Q3Y263D00KWC"),
    }
    plan = backend.plan_cancel(list(rows), rows)
    assert plan.keys() == ["HERE"]
    assert [(s.key, s.reason) for s in plan.skipped] == [
        ("IN-BRAZIL", "CancelFulfillmentOrder is not available in marketplace BR")
    ]
    rig.journal.close()
