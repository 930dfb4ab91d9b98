"""A mutation read back: the one way a run item learns whether it took.

Every cancel mwstui sends (reports, schedules, fulfillment orders, on MWS and SP-API)
runs the same way: send it; a refusal is ``failed`` (or ``not sent``); a lost answer
is remembered; then read the record back, and only the read decides whether the item
is ``done``. A read that fails leaves it ``not confirmed`` (the service accepted) or
``unknown`` (the answer was lost). The adapters say how to send, how to read and how to
judge what the read shows; the order and the wording of the failures are here, once.

Fulfillment orders have one more shared rule (``fulfillment_cancel_result``): Amazon's
"accepted" means only "asked to stop", on MWS as on SP-API.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TypeVar

from mwstui.backend.actions import plural, result_of_error
from mwstui.backend.fulfillment_records import FulfillmentOrderDetail
from mwstui.backend.models import StatusScheme
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.errors import MwstuiError, OutcomeUnknownError

S = TypeVar("S")
T = TypeVar("T")


async def send_then_read(
    send: Callable[[], Awaitable[S]],
    request_id: Callable[[S], str | None],
    read: Callable[[S | None], Awaitable[T]],
    judge: Callable[[T, bool], ItemResult],
    *,
    accepted: Callable[[S], str] | None = None,
) -> ItemResult:
    """Send one mutation, read the record back, and judge the item by the read.

    Args:
        send: sends the mutation; its result is handed to ``read`` (None when lost).
        request_id: the request id of what ``send`` returned.
        read: reads the record back (it may reuse what ``send`` already read).
        judge: the item's result from what the read shows, and whether the answer
            was lost.
        accepted: what a failed read's line says the service answered (default
            ``accepted``), e.g. the id of what a create made, which the user needs.

    Returns:
        ``judge``'s result with the mutation's request id; or ``failed`` / ``not sent``
        when the mutation was refused, ``not confirmed`` / ``unknown`` when the read
        failed after an accepted / a lost mutation.
    """
    sent: S | None = None
    try:
        sent = await send()
    except OutcomeUnknownError:
        pass
    except (MwstuiError, ValueError) as exc:
        return result_of_error(exc)
    lost = sent is None
    rid = "" if sent is None else (request_id(sent) or "")
    try:
        seen = await read(sent)
    except MwstuiError as exc:
        if lost:
            return ItemResult(Outcome.UNKNOWN, f"answer lost; read-back failed: {exc}")
        said = "accepted" if accepted is None or sent is None else accepted(sent)
        return ItemResult(Outcome.NOT_CONFIRMED, f"{said}; read-back failed: {exc}", request_id=rid)
    verdict = judge(seen, lost)
    return replace(verdict, request_id=verdict.request_id or rid)


def _seen(detail: FulfillmentOrderDetail) -> str:
    """What the read showed, in one line (``now PROCESSING; SKU-1 1 of 3 cancelled``)."""
    partial = [i for i in detail.items if i.open_quantity and i.cancelled_quantity]
    text = f"now {detail.order.status}"
    if partial:
        text += "; " + ", ".join(f"{i.sku} {i.cancelled_quantity} of {i.quantity} cancelled"
                                 for i in partial[:3])  # fmt: skip
        if len(partial) > 3:
            text += f" (+{len(partial) - 3} more)"
    return text


def fulfillment_cancel_result(
    detail: FulfillmentOrderDetail,
    statuses: StatusScheme,
    cancelled: str,
    *,
    lost: bool = False,
    settling: bool = False,
) -> ItemResult:
    """How a fulfillment cancel ended, from the order read back after it (the one rule).

    Args:
        detail: the order as the service shows it now.
        statuses: the service's order statuses (SP-API compares them case-insensitively).
        cancelled: the service's word for a cancelled order (a catalog value).
        lost: the cancel's answer was lost (it may not have arrived).
        settling: read at a later start, long after the cancel: a state that has not
            changed by then will not.

    Returns:
        With the order as read (``read``): ``done`` only when the order reads cancelled
        with no unit left to ship;
        ``not confirmed`` when units may still ship or the order is still moving;
        ``unknown`` after a lost answer while the cancel may yet arrive; ``failed``
        when nothing was cancelled and it no longer can be.
    """
    judged = _judge_cancel(detail, statuses, cancelled, lost=lost, settling=settling)
    return replace(judged, read=detail.order)


def _judge_cancel(
    detail: FulfillmentOrderDetail,
    statuses: StatusScheme,
    cancelled: str,
    *,
    lost: bool,
    settling: bool,
) -> ItemResult:
    status = detail.order.status
    open_units = sum(i.open_quantity for i in detail.items)
    any_cancelled = any(i.cancelled_quantity for i in detail.items)
    seen = _seen(detail)
    head = "answer lost; " if lost else "accepted; "
    if statuses.same(status, cancelled) and open_units == 0:
        return ItemResult(Outcome.DONE, ("answer lost; " if lost else "") + seen)
    if any_cancelled:
        units = plural(open_units, "unit")
        return ItemResult(Outcome.NOT_CONFIRMED, f"{head}{seen}: {units} may still ship")
    if settling or status.terminal:
        return ItemResult(Outcome.FAILED, f"{head}{seen}: no effect, nothing cancelled")
    if lost:
        return ItemResult(Outcome.UNKNOWN, f"{head}{seen}: the cancel may not have arrived")
    if status.cancellable:
        return ItemResult(Outcome.NOT_CONFIRMED, f"{head}{seen}: not cancelled yet")
    return ItemResult(Outcome.NOT_CONFIRMED, f"{head}{seen}: picking had begun, nothing cancelled")
