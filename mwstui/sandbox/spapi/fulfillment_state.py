"""One seller's Multi-Channel Fulfillment orders as SP-API sees them.

The plans (phases, shipments, packages, returns) are the MWS sandbox's
(``FulfillmentState``); this layer adds the SP-API status words and cancels that can
fail to take. A cancel is accepted (200 ``{}``) for an order that is Received or
Planning; what happens next depends on the order's ``cancel`` behaviour (seeded):

- ``normal``: the order is Cancelled at once and its stock returns.
- ``late``: picking starts before the cancel reaches the fulfillment centre, so the
  order is Processing and goes on to Complete — a read back shows the cancel did
  not take.
- ``partial``: the first shipment is already being picked; it goes on and the other
  lines are cancelled (``cancelledQuantity``), ending CompletePartialled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mwstui.sandbox import fulfillment_model as fm
from mwstui.sandbox.fulfillment_model import FulfillmentOrder, OrderItem, Shipment
from mwstui.sandbox.mws.fulfillment_state import FulfillmentState
from mwstui.sandbox.spapi.errors import invalid

STATUS_WORDS = {
    fm.RECEIVED: "Received",
    fm.PLANNING: "Planning",
    fm.PROCESSING: "Processing",
    fm.COMPLETE: "Complete",
    fm.PARTIAL: "CompletePartialled",
    fm.CANCELLED: "Cancelled",
    fm.UNFULFILLABLE: "Unfulfillable",
    fm.INVALID: "Invalid",
}
"""Plan status → the model's ``FulfillmentOrderStatus`` enum value (spec §6.3)."""
FROM_WORDS = {v.lower(): k for k, v in STATUS_WORDS.items()}
CANCELLABLE = frozenset({fm.RECEIVED, fm.PLANNING})
CANCEL_BEHAVIOURS = ("normal", "late", "partial")
STATUS_CASES = ("model", "upper")


@dataclass(slots=True)
class CancelRecord:
    """A cancel the order received: when, and which lines it cancelled."""

    at: float
    items: set[str] = field(default_factory=set)
    dropped: list[Shipment] = field(default_factory=list)
    """Shipments whose every line was cancelled (shown CANCELLED_BY_SELLER)."""


class SpFulfillment:
    """The orders of one seller and the cancels they received.

    Args:
        state: the plans (shared machinery with the MWS sandbox).
        status_case: ``model`` sends the model's enum (``CompletePartialled``); ``upper``
            sends the spelling of the model's own examples (``COMPLETE_PARTIALLED``), which
            clients must accept too (spec §6.3).
    """

    def __init__(self, state: FulfillmentState, status_case: str = "model") -> None:
        self.state = state
        self.status_case = status_case
        self.behaviour: dict[str, str] = {}
        self.cancels: dict[str, CancelRecord] = {}

    def order(self, order_id: str, now: float) -> FulfillmentOrder | None:
        order = self.state.orders.get(order_id)
        return None if order is None or order.received > now else order

    def status_word(self, order: FulfillmentOrder, now: float) -> str:
        status = order.status(now)
        return status if self.status_case == "upper" else STATUS_WORDS[status]

    def cancelled_quantity(self, order: FulfillmentOrder, item: OrderItem, now: float) -> int:
        rec = self.cancels.get(order.order_id)
        if rec is not None and rec.items and rec.at <= now:
            return item.quantity - item.unfulfillable if item.item_id in rec.items else 0
        return order.cancelled_quantity(item, now)

    def cancel(self, order: FulfillmentOrder, now: float) -> None:
        """Accept a cancel, or refuse it with 400 InvalidInput.

        The refusal texts: a repeated cancel is the published DuplicateCancelRequest
        (spec §7); for other statuses Amazon's words are unknown, so the reason names the
        status.
        """
        status = order.status(now)
        oid = order.order_id
        prefix = f"Value {oid} for parameter SellerFulfillmentOrderId is invalid. Reason:"
        if status == fm.CANCELLED or oid in self.cancels:
            raise invalid(f"{prefix} DuplicateCancelRequest.")
        if status not in CANCELLABLE:
            raise invalid(f"{prefix} Order is {STATUS_WORDS[status]} and cannot be cancelled.")
        mode = self.behaviour.get(oid, "normal")
        if mode == "late":
            self.cancels[oid] = CancelRecord(now)
            self._continue(order, now, self.state.final_status(order))
        elif mode == "partial" and len(order.items) > 1:
            self._partial(order, now)
        else:
            self.cancels[oid] = CancelRecord(now)
            self.state.cancel(order, now)

    def _continue(self, order: FulfillmentOrder, now: float, final: str) -> None:
        """Picking has started: Processing now, then ``final`` after the usual work."""
        work = self.state.rng.uniform(1800, 14400) / self.state.speed
        order.replan(now, [(fm.PROCESSING, now), (final, now + work)])
        for s in order.shipments:
            self.state.packages.pop(s.package.number, None)
        self.state.plan_shipments(order)

    def _partial(self, order: FulfillmentOrder, now: float) -> None:
        first = order.shipments[0] if order.shipments else None
        keep = {i for i, _ in first.items} if first and len(order.shipments) > 1 else set()
        if not keep:
            keep = {order.items[0].item_id}
        gone = {i.item_id for i in order.items} - keep
        rec = CancelRecord(now, gone)
        self.cancels[order.order_id] = rec
        for item in order.items:
            if item.item_id in gone:
                inv = self.state.inventory.get(item.sku)
                if inv is not None:
                    inv.quantity += item.quantity - item.unfulfillable
        work = self.state.rng.uniform(1800, 14400) / self.state.speed
        order.replan(now, [(fm.PROCESSING, now), (fm.PARTIAL, now + work)])
        ship_at = now + work
        kept: list[Shipment] = []
        for s in order.shipments:
            lines = [(i, q) for i, q in s.items if i in keep]
            if lines:
                s.items = lines
                s.arrive_at = ship_at + (s.arrive_at - s.ship_at)
                s.ship_at = ship_at
                kept.append(s)
            else:
                rec.dropped.append(s)
                self.state.packages.pop(s.package.number, None)
        order.shipments = kept

    def updated_since(self, since: float, now: float) -> list[str]:
        return self.state.updated_since(since, now)
