"""At start the app settles mutations whose answer was lost last time, and says what it found."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from textual.notifications import Notification

from mwstui.journal.entry import JournalEntry
from mwstui.session import Session
from mwstui.ui.recovery_notice import recovery_summary
from tests.ui.harness import SIZE, Harness, make_app, settle

HOURS = 3600.0


async def cancellable_orders(session: Session, n: int) -> list[str]:
    assert session.mws is not None
    found: list[str] = []
    async for page in session.mws.fulfillment.iter_orders(query_start=None):
        found += [
            o.seller_fulfillment_order_id
            for o in page.data
            if o.fulfillment_order_status.cancellable
        ]
    assert len(found) >= n
    return found[:n]


def orphan_intent(h: Harness, item: str, *, account: str | None = None) -> None:
    """An intent whose writer died before its outcome: unknown once it is old enough."""
    assert h.session.mws is not None
    h.journal.record_intent(
        profile="sandbox",
        service="mws",
        account=account or h.session.mws.seller_id,
        operation="CancelFulfillmentOrder",
        params={"Action": "CancelFulfillmentOrder", "SellerFulfillmentOrderId": item},
        items=[item],
    )


def notes(notifications: Iterable[Notification]) -> list[Notification]:
    return [n for n in notifications if n.title == "Unknown outcomes"]


async def test_lost_cancels_are_checked_and_reported(harness: Harness) -> None:
    session = harness.session
    assert session.mws is not None
    cancelled, untouched = await cancellable_orders(session, 2)
    await session.mws.fulfillment.cancel_order(cancelled)  # its answer "got lost" below
    orphan_intent(harness, cancelled)
    orphan_intent(harness, untouched)
    harness.clock.advance(2 * HOURS)  # the next start, long after the writer died
    assert len(harness.journal.pending_unknown()) == 2

    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        found = notes(app._notifications)
        assert [n.message for n in found] == [
            "2 unknown outcomes checked: 1 took effect, 1 did not"
        ]
        assert found[0].severity == "information"
    assert harness.journal.pending_unknown() == []
    verdicts = {e.items[0]: e.status for e in harness.journal.entries() if e.items}
    assert verdicts[cancelled] == "ok" and verdicts[untouched] == "error"


async def test_outcomes_nobody_can_check_point_to_the_journal(harness: Harness) -> None:
    orphan_intent(harness, "X-1", account="A-NOT-THIS-SELLER")
    harness.clock.advance(2 * HOURS)
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (note,) = notes(app._notifications)
        assert note.severity == "warning"
        assert note.message.startswith("1 mutation's outcome is still unknown")
        assert "Activity → journal" in note.message
    assert len(harness.journal.pending_unknown()) == 1  # left for the user (and next start)


async def test_nothing_unknown_means_no_notification(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert notes(app._notifications) == []


def entry(status: str) -> JournalEntry:
    return JournalEntry(
        id=1,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        profile="p",
        service="mws",
        account="A",
        operation="CancelFulfillmentOrder",
        params={},
        items=("X",),
        status=status,
    )


def test_the_summary_counts_each_verdict() -> None:
    assert recovery_summary([], 0) is None
    assert recovery_summary([entry("ok")], 0) == (
        "1 unknown outcome checked: 1 took effect, 0 did not",
        False,
    )
    text, warn = recovery_summary([entry("ok"), entry("error"), entry("unknown")], 2) or ("", False)
    assert text.startswith(
        "2 unknown outcomes checked: 1 took effect, 1 did not; "
        "3 mutations' outcomes are still unknown: see Activity → journal"
    )
    assert warn
