"""Settling unknown outcomes: a mutation whose answer was lost is checked by a follow-up read.

The journal keeps intents whose outcome never arrived (crash, dropped connection); at
the next start the app asks the service what actually happened, instead of guessing.
"""

from __future__ import annotations

from mwstui.journal import Journal, JournalEntry, OutcomeCheck, recheck_unknown
from mwstui.session import Session

CANCELED = "canceled"
"""The status a SellerCenter item reads back with once SetStatusToCanceled took effect."""


def outcome_check(session: Session) -> OutcomeCheck:
    """A check that reads back the object each kind of mutation acted on.

    Returns ``(status, note)`` when the read tells, ``None`` when it cannot (other
    account, operation without a read-back): such entries stay pending.
    """

    async def check(entry: JournalEntry) -> tuple[str, str] | None:
        if entry.service == "sellercenter":
            return await _check_sellercenter(session, entry)
        mws = session.mws
        if entry.service != "mws" or mws is None or entry.account != mws.seller_id:
            return None
        if entry.operation == "CancelFulfillmentOrder" and entry.items:
            detail = (await mws.fulfillment.get_order(entry.items[0])).data
            status = str(detail.order.fulfillment_order_status)
            verdict = "ok" if status == "CANCELLED" else "error"
            return verdict, f"GetFulfillmentOrder shows {status}"
        if entry.operation == "CancelReportRequests" and entry.items:
            seen: dict[str, str] = {}
            async for page in mws.reports.iter_report_requests(request_ids=list(entry.items)):
                for info in page.data:
                    seen[info.report_request_id] = str(info.report_processing_status)
            cancelled = sum(1 for s in seen.values() if s == "_CANCELLED_")
            verdict = "ok" if cancelled == len(entry.items) else "error"
            return verdict, f"{cancelled} of {len(entry.items)} report requests are _CANCELLED_"
        if entry.operation == "ManageReportSchedule" and entry.items:
            wanted = entry.params.get("Schedule", "")
            schedules = (await mws.reports.report_schedules(report_types=[entry.items[0]])).data
            current = [str(s.schedule) for s in schedules]
            took = (not current) if wanted == "_NEVER_" else (wanted in current)
            shown = ", ".join(current) or "no schedule"
            return ("ok" if took else "error"), f"GetReportScheduleList shows {shown}"
        return None

    return check


async def _check_sellercenter(session: Session, entry: JournalEntry) -> tuple[str, str] | None:
    """SetStatusToCanceled: GetOrderItems of the order the item belongs to (its intent says).

    An entry from before the order id was recorded cannot be read back: it stays pending.
    """
    sc = session.sellercenter
    order_id = entry.context.get("OrderId", "")
    if (
        sc is None
        or entry.account != sc.user_id
        or entry.operation != "SetStatusToCanceled"
        or not entry.items
        or not order_id
    ):
        return None
    items = {i.order_item_id: str(i.status) for i in (await sc.order_items(order_id)).data}
    wanted = entry.items[0]
    status = items.get(wanted)
    if status is None:
        return "unknown", f"GetOrderItems of order {order_id} does not list item {wanted}"
    verdict = "ok" if status == CANCELED else "error"
    return verdict, f"GetOrderItems shows item {wanted} {status}"


async def settle_unknown_outcomes(session: Session) -> list[JournalEntry]:
    """Re-check every unknown outcome the session's clients can read back."""
    journal: Journal | None = session.journal
    if journal is None:
        return []
    return await recheck_unknown(journal, outcome_check(session))
