"""Unknown outcomes are settled at the next start by reading back what the service did."""

from __future__ import annotations

from pathlib import Path

import httpx

from mwstui.clock import FakeClock
from mwstui.journal.intents import intent_context
from mwstui.journal.store import Journal
from mwstui.recovery import settle_unknown_outcomes
from mwstui.sandbox.sandbox import Sandbox
from mwstui.session import Session
from mwstui.wiring import build_session, sandbox_targets

HOURS = 3600.0


def _session(sandbox: Sandbox, clock: FakeClock, journal: Journal) -> Session:
    mws, sc = sandbox_targets(
        sandbox,
        mws_endpoint="http://mws.sandbox.test",
        sellercenter_endpoint="http://sc.sandbox.test",
        mws_transport=httpx.ASGITransport(app=sandbox.mws_app),
        sellercenter_transport=httpx.ASGITransport(app=sandbox.sellercenter_app),
    )
    return build_session(
        clock=clock, profile="test", mws=mws, sellercenter=sc, journal=journal, sandbox=True
    )


async def _cancellable_orders(session: Session, n: int) -> list[str]:
    assert session.mws is not None
    found: list[str] = []
    async for page in session.mws.fulfillment.iter_orders(query_start=None):
        for order in page.data:
            if order.fulfillment_order_status.cancellable:
                found.append(order.seller_fulfillment_order_id)
    assert len(found) >= n
    return found[:n]


def _orphan_intent(
    path: Path, clock: FakeClock, session: Session, operation: str, item: str
) -> None:
    """An intent written by a process that then died before recording the outcome."""
    assert session.mws is not None
    journal = Journal(path=path, clock=clock)
    journal.record_intent(
        profile="test",
        service="mws",
        account=session.mws.seller_id,
        operation=operation,
        params={"Action": operation, "SellerFulfillmentOrderId": item},
        items=[item],
    )
    journal.close()


async def test_lost_cancel_that_happened_is_settled_ok_and_one_that_did_not_is_error(
    tmp_path: Path,
) -> None:
    clock = FakeClock()
    sandbox = Sandbox.create(clock=clock)
    path = tmp_path / "journal.sqlite"
    live = _session(sandbox, clock, Journal(path=path, clock=clock))
    cancelled, untouched = await _cancellable_orders(live, 2)
    assert live.mws is not None and live.journal is not None
    await live.mws.fulfillment.cancel_order(cancelled)  # the answer "got lost" below
    live.journal.close()
    _orphan_intent(path, clock, live, "CancelFulfillmentOrder", cancelled)
    _orphan_intent(path, clock, live, "CancelFulfillmentOrder", untouched)

    clock.advance(2 * HOURS)  # the next start, long after the writer died
    journal = Journal(path=path, clock=clock)
    assert len(journal.pending_unknown()) == 2
    session = _session(sandbox, clock, journal)
    settled = await settle_unknown_outcomes(session)

    verdicts = {e.items[0]: (e.status, e.note) for e in settled}
    assert verdicts[cancelled][0] == "ok"
    assert "CANCELLED" in (verdicts[cancelled][1] or "")
    assert verdicts[untouched][0] == "error"
    assert journal.pending_unknown() == []


async def test_entries_of_another_account_stay_pending(tmp_path: Path) -> None:
    clock = FakeClock()
    sandbox = Sandbox.create(clock=clock)
    path = tmp_path / "journal.sqlite"
    journal = Journal(path=path, clock=clock)
    journal.record_intent(
        profile="other",
        service="mws",
        account="A-NOT-THIS-SELLER",
        operation="CancelFulfillmentOrder",
        params={},
        items=["X"],
    )
    journal.close()
    clock.advance(2 * HOURS)
    journal = Journal(path=path, clock=clock)
    session = _session(sandbox, clock, journal)
    assert await settle_unknown_outcomes(session) == []
    assert len(journal.pending_unknown()) == 1


async def test_lost_sellercenter_cancels_are_settled_by_reading_their_order(
    tmp_path: Path,
) -> None:
    clock = FakeClock()
    sandbox = Sandbox.create(clock=clock)
    path = tmp_path / "journal.sqlite"
    live = _session(sandbox, clock, Journal(path=path, clock=clock))
    assert live.sellercenter is not None and live.journal is not None
    order = next(
        o for o in sandbox.sellercenter.orders.values()
        if sum(i.status == "pending" for i in o.items) >= 2
    )  # fmt: skip
    cancelled, untouched = [str(i.order_item_id) for i in order.items if i.status == "pending"][:2]
    await live.sellercenter.cancel_item(cancelled, "Customer request")  # the answer "got lost"
    user = live.sellercenter.user_id
    live.journal.close()
    journal = Journal(path=path, clock=clock)
    for item in (cancelled, untouched):
        # Written by a process that died before the answer: the order id went with the intent.
        with intent_context(OrderId=str(order.order_id)):
            journal.record_intent(
                profile="test", service="sellercenter", account=user,
                operation="SetStatusToCanceled", params={"OrderItemId": item}, items=[item],
            )  # fmt: skip
    journal.close()

    clock.advance(2 * HOURS)
    journal = Journal(path=path, clock=clock)
    assert len(journal.pending_unknown()) == 2
    settled = await settle_unknown_outcomes(_session(sandbox, clock, journal))
    verdicts = {e.items[0]: (e.status, e.note or "") for e in settled}
    assert verdicts[cancelled] == ("ok", f"GetOrderItems shows item {cancelled} canceled")
    assert verdicts[untouched] == ("error", f"GetOrderItems shows item {untouched} pending")
    assert journal.pending_unknown() == []
