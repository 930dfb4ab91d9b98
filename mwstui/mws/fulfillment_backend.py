"""The MWS Fulfillment Outbound adapter: list, detail, tracking, and a cancel read back.

Amazon accepts a CancelFulfillmentOrder it "cannot guarantee": an order already picked
stays PROCESSING, a part of one may ship. So every cancel is followed by
GetFulfillmentOrder, and only a read showing the whole order CANCELLED counts as done.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime

from mwstui.backend.actions import ActionPlan, PlanBuilder, assemble, plural, result_of_error
from mwstui.backend.models import FulfillmentOrder, FulfillmentOrderDetail, Tracking, join_or
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.backend.protocols import Feature, Mutation, Page
from mwstui.catalog import load_catalog
from mwstui.errors import MwstuiError, OutcomeUnknownError
from mwstui.mws import backend_records as records
from mwstui.mws.backend import NOT_LISTED, MWSBackend
from mwstui.mws.backend_records import ORDER_CANCELLED

CANCEL = "CancelFulfillmentOrder"
READ = "GetFulfillmentOrder"


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


def cancel_result(
    detail: FulfillmentOrderDetail, *, lost: bool = False, settling: bool = False
) -> ItemResult:
    """How a fulfillment cancel ended, from the order read back after it (the one rule).

    Args:
        detail: the order as GetFulfillmentOrder shows it now.
        lost: the cancel's answer was lost (it may not have arrived).
        settling: read at a later start, long after the cancel: a state that has not
            changed by then will not.

    Returns:
        ``done`` only when the order reads CANCELLED with no unit left to ship;
        ``not confirmed`` when units may still ship or the order is still moving;
        ``unknown`` after a lost answer while the cancel may yet arrive; ``failed``
        when nothing was cancelled and it no longer can be.
    """
    status = detail.order.status
    open_units = sum(i.open_quantity for i in detail.items)
    any_cancelled = any(i.cancelled_quantity for i in detail.items)
    seen = _seen(detail)
    head = "answer lost; " if lost else "accepted; "
    if records.order_statuses().same(status, ORDER_CANCELLED) and open_units == 0:
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


class MWSFulfillment(MWSBackend):
    """Multi-channel fulfillment orders on MWS."""

    operations = (
        "ListAllFulfillmentOrders",
        "ListAllFulfillmentOrdersByNextToken",
        READ,
        CANCEL,
        "GetPackageTrackingDetails",
    )
    mutations = frozenset({CANCEL})

    @property
    def features(self) -> frozenset[Feature]:
        found = {Feature.PACKAGE_TRACKING}
        if self.cancel_unavailable() is None:
            found.add(Feature.CANCEL_FULFILLMENT)
        return frozenset(found)

    def cancel_unavailable(self) -> str | None:
        """Why cancelling is not offered in this account's marketplace, or None."""
        catalog = load_catalog()
        where = catalog.operation(CANCEL).marketplaces
        market = catalog.marketplace(self.client.marketplace_id or "")
        if where is None or market is None or market.country in where:
            return None
        return f"{CANCEL} is not available in marketplace {market.country}"

    async def list_orders(
        self, *, since: datetime | None = None
    ) -> AsyncIterator[Page[FulfillmentOrder]]:
        number = 0
        seen: set[str] = set()
        async for page in self.client.fulfillment.iter_orders(query_start=since):
            number += 1
            # An order that changes between pages can come twice: show it once.
            rows = [records.fulfillment_order(o) for o in page.data]
            fresh = tuple(r for r in rows if r.id not in seen)
            seen.update(r.id for r in fresh)
            yield Page(
                fresh,
                number=number,
                more=bool(page.meta.next_token),
                request_id=page.meta.request_id or "",
            )

    async def order_detail(self, order_id: str) -> FulfillmentOrderDetail:
        return records.order_detail((await self.client.fulfillment.get_order(order_id)).data)

    async def tracking(self, package_number: int) -> Tracking:
        result = await self.client.fulfillment.package_tracking(package_number)
        return records.tracking(result.data)

    def plan_cancel(self, keys: Sequence[str], rows: Mapping[str, FulfillmentOrder]) -> ActionPlan:
        """RECEIVED / PLANNING orders; each cancel is read back with GetFulfillmentOrder."""
        built = PlanBuilder()
        unavailable = self.cancel_unavailable()
        allowed = join_or(records.order_statuses().cancellable_values())
        for key in dict.fromkeys(keys):
            order = rows.get(key)
            if order is None:
                built.skip(key, NOT_LISTED)
            elif unavailable is not None:
                built.skip(key, unavailable)
            elif not order.status.cancellable:
                built.skip(key, f"status {order.status}, not {allowed}")
            else:
                built.take(key)
        n = len(built.items)
        noun = "order" if n == 1 else "orders"
        return assemble(
            built,
            account=self.account,
            governor=self.governor,
            operation=CANCEL,
            costs=[self.cost(CANCEL, n), self.cost(READ, n)],
            run=self.cancel_one,
            title=f"Cancel {plural(n, 'fulfillment order')}",
            action_label=f"Cancel {n} {noun}",
            safe_label=f"Keep {noun}",
            verb="Cancelling",
            notes=[f"Each order is read back with {READ} ({plural(n, 'more call')})."],
        )

    async def cancel_one(self, order_id: str) -> ItemResult:
        """CancelFulfillmentOrder, then GetFulfillmentOrder: the read is the outcome."""
        lost = False
        rid = ""
        try:
            sent = await self.client.fulfillment.cancel_order(order_id)
            rid = sent.meta.request_id or ""
        except OutcomeUnknownError:
            lost = True
        except (MwstuiError, ValueError) as exc:
            return result_of_error(exc)
        try:
            detail = await self.order_detail(order_id)
        except MwstuiError as exc:
            if lost:
                return ItemResult(Outcome.UNKNOWN, f"answer lost; read-back failed: {exc}")
            return ItemResult(
                Outcome.NOT_CONFIRMED, f"accepted; read-back failed: {exc}", request_id=rid
            )
        result = cancel_result(detail, lost=lost)
        return ItemResult(result.outcome, result.detail, result.code, rid)

    async def check_outcome(self, mutation: Mutation) -> ItemResult | None:
        if not self.mine(mutation):
            return None
        detail = await self.order_detail(mutation.items[0])
        verdict = cancel_result(detail, settling=True)
        return ItemResult(verdict.outcome, f"{READ} shows {detail.order.status}: {verdict.detail}")
