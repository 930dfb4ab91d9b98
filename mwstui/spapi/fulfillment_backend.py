"""The SP-API Fulfillment Outbound adapter: list, detail, and a cancel read back.

Amazon's 200 to cancelFulfillmentOrder only means "asked to stop": the client reads the
order back after every cancel, and only a read showing the whole order Cancelled counts
as done. Package tracking (getPackageTrackingDetails) is not offered on SP-API yet.
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
from mwstui.calls import Result
from mwstui.errors import ConfigError
from mwstui.spapi import backend_records as records
from mwstui.spapi.backend import SpapiBackend
from mwstui.spapi.backend_records import ORDER_CANCELLED
from mwstui.spapi.models import CancelReadBack

CANCEL = "cancelFulfillmentOrder"
READ = "getFulfillmentOrder"


def cancel_result(
    detail: FulfillmentOrderDetail, *, lost: bool = False, settling: bool = False
) -> ItemResult:
    """How a cancel ended, from the order read back (``readback``'s one rule: ``done``
    only when the whole order reads Cancelled, in any casing, with no unit to ship)."""
    return fulfillment_cancel_result(
        detail, records.order_statuses(), ORDER_CANCELLED, lost=lost, settling=settling
    )


class SpapiFulfillment(SpapiBackend):
    """Multi-channel fulfillment orders on SP-API."""

    operations = ("listAllFulfillmentOrders", READ, CANCEL)
    mutations = frozenset({CANCEL})
    features = frozenset({Feature.CANCEL_FULFILLMENT})

    def order_statuses(self) -> tuple[str, ...]:
        return records.order_statuses().known

    async def list_orders(
        self, *, since: datetime | None = None
    ) -> AsyncIterator[Page[FulfillmentOrder]]:
        pager: Pager[FulfillmentOrder] = Pager()
        async for page in self.client.fulfillment.iter_orders(query_start_date=since):
            rows = map(records.fulfillment_order, page.data)
            yield pager.page(rows, more=bool(page.meta.next_token), request_id=page.meta.request_id)

    async def order_detail(self, order_id: str) -> FulfillmentOrderDetail:
        return records.order_detail((await self.client.fulfillment.get_order(order_id)).data)

    async def tracking(self, package_number: int) -> Tracking:
        raise ConfigError("package tracking is not offered for SP-API profiles yet")

    def plan_cancel(self, keys: Sequence[str], rows: Mapping[str, FulfillmentOrder]) -> ActionPlan:
        """Received / Planning orders (any casing); each cancel is read back."""
        built = PlanBuilder()
        built.by_status(keys, rows, join_or(records.order_statuses().cancellable_values()))
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
            notes=[
                f"Each order is read back with {READ} ({plural(n, 'more call')}): "
                f"only an order that reads {ORDER_CANCELLED} counts as done."
            ],
        )

    async def cancel_one(self, order_id: str) -> ItemResult:
        """cancelFulfillmentOrder, then getFulfillmentOrder: the read is the outcome."""

        async def read(sent: Result[CancelReadBack] | None) -> FulfillmentOrderDetail:
            if sent is not None and sent.data.detail_after is not None:  # the client read it
                return records.order_detail(sent.data.detail_after)
            return await self.order_detail(order_id)

        # The plan took only Received/Planning rows: the status check is not repeated
        # with a read (the server still refuses an order that has moved on).
        return await send_then_read(
            lambda: self.client.fulfillment.cancel_order(order_id, status="Received"),
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
