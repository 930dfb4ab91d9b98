"""One seller's Fulfillment Outbound data: inventory, orders and their plans, returns.

Order progress RECEIVED → PLANNING → PROCESSING → COMPLETE (or COMPLETE_PARTIALLED)
is planned when an order is created, with durations divided by the speed factor;
holds wait for UpdateFulfillmentOrder (and are cancelled after two weeks).
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence
from dataclasses import dataclass

from mwstui.sandbox import fulfillment_model as fm
from mwstui.sandbox.fulfillment_model import FulfillmentOrder, OrderItem, Package, Shipment

HOLD_SECONDS = 14 * 86400.0
ON_CANCEL = ("cancel", "picked", "partial")
"""What an accepted cancel does to a seeded order (see ``FulfillmentState.cancel``)."""
CENTERS = {
    "SEA8": ("Kent", "WA"),
    "PHX6": ("Phoenix", "AZ"),
    "ONT8": ("Moreno Valley", "CA"),
    "MDW2": ("Joliet", "IL"),
    "BFI4": ("Kent", "WA"),
}
CARRIERS = ("UPS", "USPS", "AMZN_US")
_TRANSIT_DAYS = {"Standard": (3, 5), "Expedited": (2, 2), "Priority": (1, 1)}
_PATH = [fm.RECEIVED, fm.PLANNING, fm.PROCESSING, fm.COMPLETE]


@dataclass(slots=True)
class InventoryItem:
    """Sellable stock of one SKU at the fulfillment network."""

    sku: str
    fnsku: str
    name: str
    quantity: int
    weight_lb: float = 1.0
    price: str = "19.99"


class FulfillmentState:
    """Orders, inventory and return data of one seller.

    Args:
        rng: drives ids and plans (seeded: runs are reproducible).
        speed: how much faster than real time orders progress.
        inventory: the SKUs that can be shipped.
        return_reasons: (code, description) pairs ListReturnReasonCodes offers.
    """

    def __init__(
        self,
        rng: random.Random,
        speed: float = 1.0,
        inventory: Sequence[InventoryItem] = (),
        return_reasons: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.rng = rng
        self.speed = max(speed, 1e-6)
        self.inventory = {i.sku: i for i in inventory}
        self.return_reasons = list(return_reasons)
        self.orders: dict[str, FulfillmentOrder] = {}
        self.packages: dict[int, tuple[str, int]] = {}
        self._next_package = 10_000_000 + rng.randrange(9_000_000)
        self._next_rma = rng.randrange(10**8, 10**9)

    def advance(self, now: float) -> None:
        """Orders are plans read off the clock; only expired holds give their stock back."""
        for order in self.orders.values():
            expired = order.action == "Hold" and order.cancelled_at is None
            if expired and order.status(now) == fm.CANCELLED:
                order.cancelled_at = order.status_updated(now)
                self._restock(order)

    # -- planning ----------------------------------------------------------------------------

    def _durations(self) -> list[float]:
        r = self.rng
        return [
            d / self.speed
            for d in (r.uniform(60, 300), r.uniform(900, 5400), r.uniform(1800, 14400))
        ]

    def timeline(
        self, received: float, final: str, now: float | None = None, target: str | None = None
    ) -> list[tuple[str, float]]:
        """Phases from ``received`` to ``final``; with ``target``, placed so ``now`` shows it.

        Args:
            received: when the order was received.
            final: how the plan ends (COMPLETE, COMPLETE_PARTIALLED, UNFULFILLABLE, INVALID,
                CANCELLED).
            now: the instant the seed describes (only with ``target``).
            target: the status the order must have at ``now``.
        """
        if final in (fm.UNFULFILLABLE, fm.INVALID):
            path = [fm.RECEIVED, final]
        elif final == fm.CANCELLED:
            path = [fm.RECEIVED, fm.PLANNING, fm.CANCELLED][: 2 + self.rng.randrange(2)]
            path[-1] = fm.CANCELLED
        else:
            path = [*_PATH[:-1], final]
        steps = self._durations()
        if target is None or now is None:
            t, phases = received, [(path[0], received)]
            for status, step in zip(path[1:], steps, strict=False):
                t += step
                phases.append((status, t))
            return phases
        k = path.index(target) if target in path else len(path) - 1
        past = sorted(self.rng.uniform(received, now) for _ in range(k))
        phases = [(path[0], received), *zip(path[1 : k + 1], past, strict=True)]
        t = now
        for status, step in zip(path[k + 1 :], steps[k:], strict=False):
            t += step * self.rng.uniform(0.2, 1.0)
            phases.append((status, t))
        return phases

    def plan_shipments(self, order: FulfillmentOrder) -> None:
        """Split the fulfillable quantities into one or two shipments from random centres."""
        lines = [(i.item_id, i.quantity - i.unfulfillable) for i in order.items]
        lines = [(i, q) for i, q in lines if q > 0]
        order.shipments = []
        if not lines:
            return
        groups = [lines] if len(lines) < 3 or self.rng.random() < 0.5 else [lines[:1], lines[1:]]
        ship_at = next((t for s, t in order.phases if s in (fm.COMPLETE, fm.PARTIAL)), None)
        if ship_at is None:  # cancelled or held: keep an estimate for the PENDING display
            ship_at = order.received + sum(self._durations())
        lo, hi = _TRANSIT_DAYS.get(order.speed, (1, 2))
        for group in groups:
            arrive = ship_at + self.rng.uniform(lo, hi) * 86400 / self.speed
            package = self._package()
            center = self.rng.choice(list(CENTERS))
            sid = "".join(self.rng.choice(string.ascii_letters) for _ in range(9))
            order.shipments.append(Shipment(sid, center, group, package, ship_at, arrive))
            self.packages[package.number] = (order.order_id, len(order.shipments) - 1)

    def _package(self) -> Package:
        self._next_package += self.rng.randrange(1, 40)
        carrier = self.rng.choice(CARRIERS)
        r = self.rng
        if carrier == "UPS":
            tracking = "1Z" + "".join(
                r.choice(string.ascii_uppercase + string.digits) for _ in range(16)
            )
        elif carrier == "USPS":
            tracking = "9400" + "".join(r.choice(string.digits) for _ in range(18))
        else:
            tracking = "TBA" + "".join(r.choice(string.digits) for _ in range(12))
        return Package(self._next_package, carrier, tracking)

    # -- stock ---------------------------------------------------------------------------------

    def allocate(self, items: Sequence[OrderItem], policy: str) -> list[str]:
        """Reserve stock; set each item's unfulfillable part.

        Returns:
            The SKUs short of stock (FillOrKill reserves nothing when any is short).
        """
        short = [
            i.sku
            for i in items
            if self.inventory.get(i.sku) is None or self.inventory[i.sku].quantity < i.quantity
        ]
        if short and policy == "FillOrKill":
            return short
        for item in items:
            inv = self.inventory.get(item.sku)
            have = 0 if inv is None else inv.quantity
            take = min(have, item.quantity)
            item.unfulfillable = item.quantity - take
            if inv is not None:
                inv.quantity -= take
        return short

    def _restock(self, order: FulfillmentOrder) -> None:
        for item in order.items:
            inv = self.inventory.get(item.sku)
            if inv is not None:
                inv.quantity += item.quantity - item.unfulfillable

    # -- operations ------------------------------------------------------------------------------

    def add(self, order: FulfillmentOrder) -> None:
        self.orders[order.order_id] = order

    def final_status(self, order: FulfillmentOrder) -> str:
        if all(i.unfulfillable >= i.quantity for i in order.items):
            return fm.UNFULFILLABLE
        return fm.PARTIAL if any(i.unfulfillable for i in order.items) else fm.COMPLETE

    def start(self, order: FulfillmentOrder, now: float) -> None:
        """Plan a new order from ``now``: held, or on its way to its final status."""
        if order.action == "Hold":
            order.phases = [(fm.RECEIVED, now), (fm.CANCELLED, now + HOLD_SECONDS / self.speed)]
        else:
            order.phases = self.timeline(now, self.final_status(order))
        self.plan_shipments(order)

    def release(self, order: FulfillmentOrder, now: float) -> None:
        """A held order set to Ship: plan the rest of its life from ``now``."""
        order.action = "Ship"
        order.replan(now, self.timeline(now, self.final_status(order))[1:])
        for sid in [s.package.number for s in order.shipments]:
            self.packages.pop(sid, None)
        self.plan_shipments(order)

    def cancel(self, order: FulfillmentOrder, now: float) -> None:
        """An accepted CancelFulfillmentOrder: best effort, as Amazon warns.

        An order seeded ``picked`` was being picked when the cancel came: it goes on to
        PROCESSING and ships in full. One seeded ``partial`` had one line not picked yet:
        that line's units are cancelled (an item's CancelledQuantity < Quantity when it
        had more than one unit), the rest ships and the order ends COMPLETE_PARTIALLED.
        """
        if order.on_cancel not in ON_CANCEL[1:]:
            order.cancel(now)
            self._restock(order)
            return
        planned = [t for s, t in order.phases if s in (fm.COMPLETE, fm.PARTIAL) and t > now]
        final_at = planned[0] if planned else now + sum(self._durations()[1:])
        final = self.final_status(order)
        if order.on_cancel == "partial":
            line = max(order.items, key=lambda i: i.quantity - i.unfulfillable)
            open_units = line.quantity - line.unfulfillable
            line.cancelled_late = open_units // 2 if open_units > 1 else open_units
            inv = self.inventory.get(line.sku)
            if inv is not None:
                inv.quantity += line.cancelled_late
            for shipment in order.shipments:
                shipment.items = [
                    (i, q - line.cancelled_late if i == line.item_id else q)
                    for i, q in shipment.items
                ]
                shipment.items = [(i, q) for i, q in shipment.items if q > 0]
            final = fm.PARTIAL
        order.cancel_too_late(now, final, final_at)

    def updated_since(self, since: float, now: float) -> list[str]:
        """Ids of orders whose last status change is at or after ``since``, newest first."""
        found = [
            o for o in self.orders.values() if o.received <= now and o.status_updated(now) >= since
        ]
        found.sort(key=lambda o: (o.status_updated(now), o.order_id), reverse=True)
        return [o.order_id for o in found]

    def package(self, number: int, now: float) -> tuple[FulfillmentOrder, Shipment] | None:
        """The shipped package ``number`` and its order (None if unknown or not shipped)."""
        where = self.packages.get(number)
        if where is None:
            return None
        order = self.orders[where[0]]
        if order.shipment_status(now) != fm.SHIPPED:
            return None
        return order, order.shipments[where[1]]

    def next_rma(self) -> str:
        self._next_rma += self.rng.randrange(1, 1000)
        return f"{self._next_rma}"
