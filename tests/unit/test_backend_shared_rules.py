"""The rules every service adapter shares, once in the seam: paging, the status gate of a
plan, send-then-read-back, status schemes from the catalog, the fulfillment verdict."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from mwstui.backend.actions import NOT_LISTED, PlanBuilder
from mwstui.backend.fulfillment_records import (
    FulfillmentItem,
    FulfillmentOrder,
    FulfillmentOrderDetail,
)
from mwstui.backend.models import Status, Tone
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.backend.paging import Pager
from mwstui.backend.readback import send_then_read
from mwstui.backend.statuses import catalog_scheme
from mwstui.catalog import load_catalog
from mwstui.errors import NotFoundError, OutcomeUnknownError, ServiceError
from mwstui.mws import backend_records as mws_records
from mwstui.spapi import backend_records as sp_records
from mwstui.spapi.fulfillment_backend import cancel_result as sp_cancel_result


@dataclass(frozen=True)
class Row:
    id: str
    status: Status = field(default_factory=lambda: Status(""))


def test_pages_are_numbered_across_calls_and_a_record_comes_once() -> None:
    pager: Pager[Row] = Pager()
    first = pager.page([Row("a"), Row("b")], more=True, request_id="r1")
    second = pager.page([Row("b"), Row("c")], more=False, request_id=None)
    assert (first.number, [r.id for r in first.rows], first.more, first.request_id) == (
        1, ["a", "b"], True, "r1",
    )  # fmt: skip
    assert (second.number, [r.id for r in second.rows], second.more, second.request_id) == (
        2, ["c"], False, "",
    )  # fmt: skip


def test_the_status_gate_takes_what_can_be_cancelled_and_says_why_not() -> None:
    scheme = sp_records.order_statuses()
    rows = {
        "a": Row("a", sp_records.order_status("RECEIVED")),
        "b": Row("b", sp_records.order_status("Processing")),
        "c": Row("c", sp_records.order_status("Teleported")),
        "d": Row("d", sp_records.order_status("planning")),
    }
    built = PlanBuilder()
    built.by_status(["a", "b", "gone", "c", "a", "d"], rows, "Received or Planning")
    assert [i.key for i in built.items] == ["a", "d"]
    reasons = {s.key: s.reason for s in built.skipped}
    assert reasons == {
        "b": "status Processing, not Received or Planning",
        "gone": NOT_LISTED,
        "c": "unknown status Teleported: not cancelled",
    }
    assert scheme.cancellable_values() == ("Received", "Planning")
    closed = PlanBuilder()
    closed.by_status(["a"], rows, "x", unavailable="not offered in IN")
    assert closed.items == [] and closed.skipped[0].reason == "not offered in IN"


@dataclass
class Sent:
    request_id: str


def _judge(seen: str, lost: bool) -> ItemResult:
    return ItemResult(Outcome.DONE if seen == "gone" else Outcome.NOT_CONFIRMED, seen)


async def _run(
    send_error: Exception | None,
    read: str | Exception,
    accepted: Callable[[Sent], str] | None = None,
) -> ItemResult:
    async def send() -> Sent:
        if send_error is not None:
            raise send_error
        return Sent("RID-1")

    async def reader(_sent: Sent | None) -> str:
        if isinstance(read, Exception):
            raise read
        return read

    return await send_then_read(send, lambda s: s.request_id, reader, _judge, accepted=accepted)


async def test_send_then_read_back_each_way_it_can_end() -> None:
    done = await _run(None, "gone")
    assert (done.outcome, done.request_id) == (Outcome.DONE, "RID-1")
    failed = await _run(ServiceError("InternalFailure", "boom", http_status=500), "gone")
    assert failed.outcome is Outcome.FAILED and failed.code == "InternalFailure"
    lost_but_read = await _run(OutcomeUnknownError("Lost", "no answer"), "gone")
    assert lost_but_read.outcome is Outcome.DONE and lost_but_read.request_id == ""
    unread = await _run(None, NotFoundError("NotFound", "no such thing", http_status=404))
    assert unread.outcome is Outcome.NOT_CONFIRMED
    assert unread.detail.startswith("accepted; read-back failed") and unread.request_id == "RID-1"
    lost_unread = await _run(OutcomeUnknownError("Lost", "x"), NotFoundError("NotFound", "y"))
    assert lost_unread.outcome is Outcome.UNKNOWN
    assert lost_unread.detail.startswith("answer lost; read-back failed")
    # What the answer said (a create's new id) stays in the line when the read fails.
    named = await _run(None, NotFoundError("NotFound", "z"), lambda s: f"created {s.request_id}")
    assert (named.outcome, named.detail) == (
        Outcome.NOT_CONFIRMED, "created RID-1; read-back failed: NotFound: z",
    )  # fmt: skip
    lost_named = await _run(OutcomeUnknownError("Lost", "x"), NotFoundError("NotFound", "y"),
                            lambda s: f"created {s.request_id}")  # fmt: skip
    assert lost_named.detail.startswith("answer lost; read-back failed")


def test_every_status_scheme_follows_the_catalog_naming_rule() -> None:
    sp = load_catalog().spapi
    scheme = catalog_scheme(sp.enum, "report_processing_status", {"DONE": Tone.SUCCESS})
    assert scheme("IN_QUEUE").cancellable and not scheme("IN_QUEUE").terminal
    assert scheme("DONE").terminal and scheme("DONE").tone is Tone.SUCCESS
    assert not scheme("DONE").cancellable
    mws = mws_records.order_statuses()
    assert mws.cancellable_values() == ("RECEIVED", "PLANNING")
    assert mws("COMPLETE").terminal and not mws("complete").known  # MWS is case-exact


def _sp_detail(status: str, *items: tuple[int, int]) -> FulfillmentOrderDetail:
    order = FulfillmentOrder("SP-1", sp_records.order_status(status))
    lines = tuple(
        FulfillmentItem(str(n), f"SKU-{n}", qty, cancelled_quantity=gone)
        for n, (qty, gone) in enumerate(items)
    )
    return FulfillmentOrderDetail(order, lines)


@pytest.mark.parametrize(
    ("status", "items", "outcome", "words"),
    [
        ("Cancelled", [(2, 2)], Outcome.DONE, "now Cancelled"),
        ("CANCELLED", [(2, 2)], Outcome.DONE, "now CANCELLED"),
        ("Processing", [(3, 1)], Outcome.NOT_CONFIRMED, "2 units may still ship"),
        ("Cancelled", [(2, 2), (3, 1)], Outcome.NOT_CONFIRMED, "SKU-1 1 of 3 cancelled"),
        ("Processing", [(2, 0)], Outcome.NOT_CONFIRMED, "picking had begun"),
        ("Complete", [(2, 0)], Outcome.FAILED, "no effect, nothing cancelled"),
    ],
)
def test_an_spapi_fulfillment_cancel_follows_the_same_rule_as_mws(
    status: str, items: list[tuple[int, int]], outcome: Outcome, words: str
) -> None:
    result = sp_cancel_result(_sp_detail(status, *items))
    assert result.outcome is outcome
    assert words in result.detail
