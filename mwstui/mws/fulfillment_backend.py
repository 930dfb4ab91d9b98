"""The MWS Fulfillment Outbound adapter: list, detail, tracking, and a cancel read back.

Amazon accepts a CancelFulfillmentOrder it "cannot guarantee": an order already picked
stays PROCESSING, a part of one may ship. So every cancel is followed by
GetFulfillmentOrder, and only a read showing the whole order CANCELLED counts as done.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime

from mwstui.backend.actions import ActionPlan, PlanBuilder, assemble, plural
from mwstui.backend.fulfillment_records import FulfillmentOrder, FulfillmentOrderDetail, Tracking
from mwstui.backend.models import join_or
from mwstui.backend.outcomes import ItemResult
from mwstui.backend.paging import Pager
from mwstui.backend.protocols import Feature, Mutation, Page
from mwstui.backend.readback import fulfillment_cancel_result, send_then_read
from mwstui.catalog import load_catalog
from mwstui.mws import backend_records as records
from mwstui.mws.backend import MWSBackend
from mwstui.mws.backend_records import ORDER_CANCELLED

CANCEL = "CancelFulfillmentOrder"
READ = "GetFulfillmentOrder"


def cancel_result(
    detail: FulfillmentOrderDetail, *, lost: bool = False, settling: bool = False
) -> ItemResult:
    """How a fulfillment cancel ended, from the order read back (``readback``'s one rule)."""
    return fulfillment_cancel_result(
        detail, records.order_statuses(), ORDER_CANCELLED, lost=lost, settling=settling
    )


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

    def cancel_unavailable(self, order_marketplace: str = "") -> str | None:
        """Why cancelling is not offered in this account's marketplace (or the order's,
        when given), or None."""
        catalog = load_catalog()
        for market_id in (self.client.marketplace_id, order_marketplace):
            market = catalog.marketplace(market_id or "")
            # ``offered`` knows the operation's listed and excluded marketplaces (Brazil).
            if market is not None and not catalog.offered(CANCEL, market_id):
                return f"{CANCEL} is not available in marketplace {market.country}"
        return None

    def order_statuses(self) -> tuple[str, ...]:
        return records.order_statuses().known

    async def list_orders(
        self, *, since: datetime | None = None
    ) -> AsyncIterator[Page[FulfillmentOrder]]:
        pager: Pager[FulfillmentOrder] = Pager()
        async for page in self.client.fulfillment.iter_orders(query_start=since):
            rows = map(records.fulfillment_order, page.data)
            yield pager.page(rows, more=bool(page.meta.next_token), request_id=page.meta.request_id)

    async def order_detail(self, order_id: str) -> FulfillmentOrderDetail:
        return records.order_detail((await self.client.fulfillment.get_order(order_id)).data)

    async def tracking(self, package_number: int) -> Tracking:
        result = await self.client.fulfillment.package_tracking(package_number)
        return records.tracking(result.data)

    def plan_cancel(self, keys: Sequence[str], rows: Mapping[str, FulfillmentOrder]) -> ActionPlan:
        """RECEIVED / PLANNING orders; each cancel is read back with GetFulfillmentOrder."""
        built = PlanBuilder()
        allowed = join_or(records.order_statuses().cancellable_values())
        here = self.cancel_unavailable()
        # An order of a marketplace without the cancel (Brazil) is skipped, with why.
        elsewhere = {
            key: why
            for key in dict.fromkeys(keys)
            if here is None
            and (order := rows.get(key)) is not None
            and (why := self.cancel_unavailable(order.marketplace_id))
        }
        for key, why in elsewhere.items():
            built.skip(key, why)
        built.by_status([k for k in keys if k not in elsewhere], rows, allowed, unavailable=here)
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

        async def read(_sent: object) -> FulfillmentOrderDetail:
            return await self.order_detail(order_id)

        return await send_then_read(
            lambda: self.client.fulfillment.cancel_order(order_id),
            lambda sent: sent.meta.request_id,
            read,
            lambda detail, lost: cancel_result(detail, lost=lost),
        )

    async def check_outcome(self, mutation: Mutation) -> ItemResult | None:
        if not self.mine(mutation):
            return None
        detail = await self.order_detail(mutation.items[0])
        verdict = cancel_result(detail, settling=True)
        return ItemResult(verdict.outcome, f"{READ} shows {detail.order.status}: {verdict.detail}")
