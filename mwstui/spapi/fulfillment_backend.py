"""The SP-API Fulfillment Outbound adapter: list, detail, and a cancel read back.

Amazon's 200 to cancelFulfillmentOrder only means "asked to stop": the client reads the
order back after every cancel, and only a read showing the whole order Cancelled counts
as done. Package tracking (getPackageTrackingDetails) is not offered on SP-API yet.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime

from mwstui.backend.actions import ActionPlan, PlanBuilder, assemble, plural, result_of_error
from mwstui.backend.models import FulfillmentOrder, FulfillmentOrderDetail, Tracking, join_or
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.backend.protocols import Feature, Mutation, Page
from mwstui.errors import ConfigError, MwstuiError, OutcomeUnknownError
from mwstui.spapi import backend_records as records
from mwstui.spapi.backend import NOT_LISTED, SpapiBackend
from mwstui.spapi.backend_records import ORDER_CANCELLED

CANCEL = "cancelFulfillmentOrder"
READ = "getFulfillmentOrder"


def cancel_result(
    detail: FulfillmentOrderDetail, *, lost: bool = False, settling: bool = False
) -> ItemResult:
    """How a cancel ended, from the order read back after it (``done`` only when the
    whole order reads Cancelled)."""
    status = detail.order.status
    how = "answer lost; " if lost else ""
    if detail.partly_cancelled:
        cancelled = sum(i.cancelled_quantity for i in detail.items)
        total = sum(i.quantity for i in detail.items)
        return ItemResult(
            Outcome.NOT_CONFIRMED,
            f"{how}cancelled in part ({cancelled} of {total} units); now {status}",
        )
    if records.order_statuses().same(records.order_status(str(status)), ORDER_CANCELLED):
        return ItemResult(Outcome.DONE, f"{how}now {status}")
    if settling or status.terminal:
        return ItemResult(Outcome.FAILED, f"{how}no effect: now {status}")
    if lost:
        return ItemResult(Outcome.UNKNOWN, f"{how}now {status}")
    return ItemResult(Outcome.NOT_CONFIRMED, f"accepted; still {status}")


class SpapiFulfillment(SpapiBackend):
    """Multi-channel fulfillment orders on SP-API."""

    operations = ("listAllFulfillmentOrders", READ, CANCEL)
    mutations = frozenset({CANCEL})
    features = frozenset({Feature.CANCEL_FULFILLMENT})

    async def list_orders(
        self, *, since: datetime | None = None
    ) -> AsyncIterator[Page[FulfillmentOrder]]:
        number = 0
        seen: set[str] = set()
        async for page in self.client.fulfillment.iter_orders(query_start_date=since):
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
        raise ConfigError("package tracking is not offered for SP-API profiles yet")

    def plan_cancel(self, keys: Sequence[str], rows: Mapping[str, FulfillmentOrder]) -> ActionPlan:
        """Received / Planning orders (any casing); each cancel is read back."""
        built = PlanBuilder()
        allowed = join_or(records.order_statuses().cancellable_values())
        for key in dict.fromkeys(keys):
            order = rows.get(key)
            if order is None:
                built.skip(key, NOT_LISTED)
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
            notes=[
                f"Each order is read back with {READ} ({plural(n, 'more call')}): "
                f"only an order that reads {ORDER_CANCELLED} counts as done."
            ],
        )

    async def cancel_one(self, order_id: str) -> ItemResult:
        """cancelFulfillmentOrder, then getFulfillmentOrder: the read is the outcome."""
        lost = False
        rid = ""
        try:
            # The plan took only Received/Planning rows: the status check is not repeated
            # with a read (the server still refuses an order that has moved on).
            sent = await self.client.fulfillment.cancel_order(order_id, status="Received")
            rid = sent.meta.request_id or ""
        except OutcomeUnknownError:
            lost = True
        except (MwstuiError, ValueError) as exc:
            return result_of_error(exc)
        try:
            if not lost and sent.data.detail_after is not None:  # the client read it back
                detail = records.order_detail(sent.data.detail_after)
            else:
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
