"""The SellerCenter adapter: marketplace orders and the cancel of their items.

It owns the SellerCenter rules the panels used to carry: the list opens on ``pending``
orders, only ``pending`` items can be cancelled, the reason must be one of
GetFailureReasons' ``canceled`` reasons and its detail at most ``DETAIL_LIMIT``
characters, one SetStatusToCanceled per item, and a lost answer is settled with
GetOrderItems of the item's order (in the run, and at the next start when the journal
holds the order id).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from functools import cache

from mwstui.backend.actions import (
    ActionPlan,
    Budget,
    CallCost,
    PlanBuilder,
    assemble,
    plural,
    result_of_error,
)
from mwstui.backend.models import (
    AccountInfo,
    CancelReason,
    MarketplaceOrder,
    OrderItem,
    Status,
    StatusFilter,
    StatusScheme,
    Tone,
    join_or,
)
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.backend.protocols import Feature, Mutation, Page
from mwstui.catalog import load_catalog
from mwstui.errors import MwstuiError, OutcomeUnknownError
from mwstui.journal.intents import intent_context
from mwstui.sellercenter import models as wire
from mwstui.sellercenter.client import SellerCenterClient
from mwstui.throttle.governor import Governor
from mwstui.validation import reason as check_reason_value
from mwstui.validation import text as check_text

CANCEL = "SetStatusToCanceled"
READ = "GetOrderItems"
CANCELED = "canceled"
"""The status a cancelled item reads back with (a catalog value)."""
CANCEL_REASON_TYPE = "canceled"
"""SetStatusToCanceled takes only reasons of this type (a catalog failure reason type)."""
NOT_LISTED = "not in the list any more: reload"
DEFAULT_FILTER = "pending"
"""The order list opens on what needs action (a value of the catalog's status filter)."""
DETAIL_LIMIT = 255
"""Longest ReasonDetail accepted. No SellerCenter document gives a limit (free text,
spec 3.6); 255 is what a VARCHAR-backed marketplace surely stores, so a long paste is
refused by its field instead of being cut or rejected by the service."""


@cache
def item_statuses() -> StatusScheme:
    """Order item statuses: only ``pending`` can be cancelled."""
    sc = load_catalog().sellercenter
    return StatusScheme(
        sc["order_item_status"],
        cancellable=sc["order_item_status_cancellable"],
        terminal=sc.get("order_item_status_terminal", ()),
        tones={
            "pending": Tone.PENDING,
            "ready_to_ship": Tone.ACTIVE,
            "shipped": Tone.ACTIVE,
            "delivered": Tone.SUCCESS,
            "failed": Tone.ERROR,
            "canceled": Tone.MUTED,
            "returned": Tone.MUTED,
            "return_waiting_for_approval": Tone.WARNING,
            "return_shipped_by_customer": Tone.WARNING,
            "return_rejected": Tone.WARNING,
        },
    )


def marketplace_order(o: wire.Order) -> MarketplaceOrder:
    scheme = item_statuses()
    return MarketplaceOrder(
        id=o.order_id,
        number=o.order_number,
        customer=o.customer_name,
        price=o.price,
        created_at=o.created_at,
        updated_at=o.updated_at,
        items_count=o.items_count,
        statuses=tuple(scheme(str(s)) for s in o.statuses),
        payment=o.payment_method,
    )


def order_item(i: wire.OrderItem) -> OrderItem:
    return OrderItem(
        id=i.order_item_id,
        order_id=i.order_id,
        status=item_statuses()(str(i.status)),
        name=i.name,
        sku=i.sku,
        paid_price=i.paid_price,
        currency=i.currency,
        shipping_type=i.shipping_type,
        tracking_code=i.tracking_code,
        reason=i.reason,
        reason_detail=i.reason_detail,
        created_at=i.created_at,
        updated_at=i.updated_at,
    )


def cancel_result(status: Status | None, *, lost: bool) -> ItemResult:
    """How an item's cancel ended, from the status GetOrderItems shows after a lost answer."""
    if status is None:
        return ItemResult(Outcome.UNKNOWN, "answer lost; the item is not in its order any more")
    if item_statuses().same(status, CANCELED):
        return ItemResult(Outcome.DONE, f"answer lost; read back {status}" if lost else "canceled")
    # SetStatusToCanceled is synchronous: an item still pending after it was not cancelled.
    return ItemResult(Outcome.FAILED, f"answer lost; no effect: still {status}")


class SellerCenterOrders:
    """Orders and order items of one SellerCenter user.

    Args:
        client: the SellerCenter client that sends.
        account: who it acts for.
        governor: the throttle model, for costs and durations.
    """

    service = "sellercenter"
    operations = ("GetOrders", READ, "GetFailureReasons", CANCEL)
    features = frozenset({Feature.CANCEL_ORDER_ITEMS, Feature.CANCEL_REASONS})
    settles = frozenset({CANCEL})

    def __init__(
        self, client: SellerCenterClient, account: AccountInfo, governor: Governor
    ) -> None:
        self.client = client
        self._account = account
        self.governor = governor

    def __repr__(self) -> str:
        return f"SellerCenterOrders({self.client!r})"

    @property
    def account(self) -> AccountInfo:
        return self._account

    def budget(self, operation: str) -> Budget:
        if operation not in self.operations:
            raise KeyError(operation)
        # Every operation of one user on one host spends one bucket, the profile's.
        return Budget(operation, self.client.bucket_key(operation), self.client.throttle)

    def budgets(self) -> tuple[Budget, ...]:
        return (self.budget("GetOrders"),)

    @property
    def status_filter(self) -> StatusFilter:
        """GetOrders' Status values; the list opens on ``pending``."""
        values = tuple(load_catalog().sellercenter["order_status_filter"])
        return StatusFilter(values, DEFAULT_FILTER if DEFAULT_FILTER in values else None)

    @property
    def detail_limit(self) -> int:
        return DETAIL_LIMIT

    def check_reason(self, reason: str | None, offered: Sequence[CancelReason]) -> str | None:
        """A reason is required, and must be one GetFailureReasons offered."""
        if not reason:
            return f"Pick a reason: {CANCEL} requires one."
        return check_reason_value(reason, [r.name for r in offered])

    def check_detail(self, detail: str) -> str | None:
        return check_text("ReasonDetail", detail, limit=DETAIL_LIMIT)

    async def list_orders(
        self, *, status: str | None = None, created_after: datetime | None = None
    ) -> AsyncIterator[Page[MarketplaceOrder]]:
        number = 0
        pages = self.client.iter_orders(status=status, created_after=created_after)
        async for page in pages:
            number += 1
            data = page.data
            yield Page(
                tuple(marketplace_order(o) for o in data.orders),
                number=number,
                more=data.offset + len(data.orders) < data.total_count and bool(data.orders),
                total=data.total_count,
                request_id=page.meta.request_id or "",
            )

    async def order_items(self, order_id: str) -> tuple[OrderItem, ...]:
        return tuple(order_item(i) for i in (await self.client.order_items(order_id)).data)

    async def cancel_reasons(self) -> tuple[CancelReason, ...]:
        """The ``canceled`` reasons, in the order the marketplace gave them."""
        found = (await self.client.failure_reasons()).data
        return tuple(CancelReason(r.name, r.type) for r in found if r.type == CANCEL_REASON_TYPE)

    def plan_cancel_items(
        self,
        keys: Sequence[str],
        rows: Mapping[str, OrderItem],
        reason: CancelReason | None,
        detail: str | None = None,
    ) -> ActionPlan:
        """One SetStatusToCanceled per ``pending`` item, with ``reason``."""
        built = PlanBuilder()
        allowed = join_or(item_statuses().cancellable_values())
        for key in dict.fromkeys(keys):
            item = rows.get(key)
            if item is None:
                built.skip(key, NOT_LISTED)
            elif not item.status.cancellable:
                built.skip(key, f"status {item.status}, not {allowed}", item.label)
            else:
                built.take(key, item.label)
        orders = {k: rows[k].order_id for k in (i.key for i in built.items)}

        async def run(item_id: str) -> ItemResult:
            if reason is None:
                return ItemResult(Outcome.NOT_SENT, "no cancel reason chosen")
            try:
                # The journal keeps the item's order: a lost answer is settled at the
                # next start by GetOrderItems of that order.
                with intent_context(OrderId=orders[item_id]):
                    sent = await self.client.cancel_item(item_id, reason.name, detail)
            except OutcomeUnknownError:
                return await self._read_back(orders[item_id], item_id)
            except (MwstuiError, ValueError) as exc:
                return result_of_error(exc)
            return ItemResult(Outcome.DONE, CANCELED, request_id=sent.meta.request_id or "")

        n = len(built.items)
        noun = "item" if n == 1 else "items"
        # Items are cancelled from one order's list: the title names it.
        title = f"Cancel {plural(n, 'order item')}"
        if len(set(orders.values())) == 1:
            title += f" of order {next(iter(orders.values()))}"
        notes = []
        if reason is not None:
            notes.append(f"Reason: {reason.name} · detail: {detail or 'none'}")
        return assemble(
            built,
            account=self.account,
            governor=self.governor,
            operation=CANCEL,
            costs=[CallCost(self.budget(CANCEL), n)],
            run=run,
            title=title,
            action_label=f"Cancel {n} {noun}",
            safe_label=f"Keep {noun}",
            verb="Cancelling",
            notes=notes,
        )

    async def _read_back(self, order_id: str, item_id: str) -> ItemResult:
        try:
            items = await self.order_items(order_id)
        except MwstuiError as exc:
            return ItemResult(Outcome.UNKNOWN, f"answer lost; read-back failed: {exc}")
        found = next((i for i in items if i.id == item_id), None)
        return cancel_result(None if found is None else found.status, lost=True)

    async def check_outcome(self, mutation: Mutation) -> ItemResult | None:
        order_id = mutation.context.get("OrderId") or mutation.params.get("OrderId", "")
        if (
            mutation.service != self.service
            or mutation.account != self.client.user_id
            or mutation.operation not in self.settles
            or not mutation.items
            or not order_id
        ):
            return None
        items = {i.id: i for i in await self.order_items(order_id)}
        found = items.get(mutation.items[0])
        verdict = cancel_result(None if found is None else found.status, lost=True)
        item = mutation.items[0]
        if found is None:
            return ItemResult(
                verdict.outcome, f"{READ} of order {order_id} does not list item {item}"
            )
        return ItemResult(verdict.outcome, f"{READ} shows item {item} {found.status}")
