"""Fulfillment orders as plans over time: status, shipments and packages read off the clock.

An order holds the instants at which it enters each status (``phases``). Reading it
at ``now`` gives the status the real service would show; cancelling truncates the
plan. Shipments are planned at creation too (items, centre, package, ship and arrival
times) and become visible, then shipped, as the order moves through its phases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RECEIVED, PLANNING, PROCESSING = "RECEIVED", "PLANNING", "PROCESSING"
COMPLETE, PARTIAL, CANCELLED = "COMPLETE", "COMPLETE_PARTIALLED", "CANCELLED"
UNFULFILLABLE, INVALID = "UNFULFILLABLE", "INVALID"
PENDING, SHIPPED = "PENDING", "SHIPPED"
CANCELLED_BY_SELLER = "CANCELLED_BY_SELLER"


@dataclass(slots=True)
class Money:
    currency: str
    value: str


@dataclass(slots=True)
class OrderItem:
    """One line of an order; ``unfulfillable`` is decided when the order is planned."""

    sku: str
    item_id: str
    quantity: int
    gift_message: str | None = None
    comment: str | None = None
    fnsku: str | None = None
    declared_value: Money | None = None
    per_unit_price: Money | None = None
    per_unit_tax: Money | None = None
    unfulfillable: int = 0
    cancelled_late: int = 0
    """Units a cancel that came while picking had begun still stopped (a partial cancel)."""


@dataclass(slots=True)
class Package:
    number: int
    carrier: str
    tracking: str


@dataclass(slots=True)
class Shipment:
    """A planned shipment: which item quantities leave which centre, and when."""

    shipment_id: str
    center: str
    items: list[tuple[str, int]]
    """(SellerFulfillmentOrderItemId, quantity)."""
    package: Package
    ship_at: float
    arrive_at: float


@dataclass(slots=True)
class ReturnItem:
    return_item_id: str
    item_id: str
    shipment_id: str
    reason: str
    comment: str | None
    created: float
    authorization_id: str
    center: str


@dataclass(slots=True)
class ReturnAuthorization:
    authorization_id: str
    center: str
    address: dict[str, str]
    rma_id: str


@dataclass(slots=True)
class FulfillmentOrder:
    """A fulfillment order and its plan."""

    order_id: str
    displayable_id: str
    displayable_date: float
    comment: str
    speed: str
    address: dict[str, str]
    policy: str
    action: str
    marketplace_id: str
    emails: list[str]
    items: list[OrderItem]
    received: float
    phases: list[tuple[str, float]]
    shipments: list[Shipment] = field(default_factory=list)
    cancelled_at: float | None = None
    fingerprint: str = ""
    returns: list[ReturnItem] = field(default_factory=list)
    authorizations: list[ReturnAuthorization] = field(default_factory=list)
    on_cancel: str = "cancel"
    """What an accepted cancel does: ``cancel`` (all of it), ``picked`` (picking had begun:
    nothing is cancelled) or ``partial`` (one line was not picked yet and is cancelled)."""
    late_cancel_at: float | None = None
    """When a cancel was accepted but came too late (``picked`` / ``partial``)."""

    def _phase(self, now: float) -> tuple[str, float]:
        current = self.phases[0]
        for phase in self.phases:
            if phase[1] <= now:
                current = phase
        return current

    def status(self, now: float) -> str:
        return self._phase(now)[0]

    def status_updated(self, now: float) -> float:
        return self._phase(now)[1]

    def reached(self, status: str, now: float) -> float | None:
        """When the order entered ``status`` (None if it has not, by ``now``)."""
        return next((t for s, t in self.phases if s == status and t <= now), None)

    def on_hold(self, now: float) -> bool:
        return self.action == "Hold" and self.status(now) == RECEIVED

    def shipment_status(self, now: float) -> str | None:
        """Status of every shipment (they move together here); None while not visible."""
        if self.reached(PLANNING, now) is None:
            return None
        if self.cancelled_at is not None and self.cancelled_at <= now:
            return CANCELLED_BY_SELLER
        return SHIPPED if self.status(now) in (COMPLETE, PARTIAL) else PENDING

    def cancelled_quantity(self, item: OrderItem, now: float) -> int:
        if self.cancelled_at is not None and self.cancelled_at <= now:
            return item.quantity - item.unfulfillable
        if self.late_cancel_at is not None and self.late_cancel_at <= now:
            return item.cancelled_late
        return 0

    def unfulfillable_quantity(self, item: OrderItem, now: float) -> int:
        status = self.status(now)
        if status == UNFULFILLABLE:
            return item.quantity
        return item.unfulfillable if self.reached(PLANNING, now) is not None else 0

    def shipment_of(self, item_id: str) -> Shipment | None:
        return next((s for s in self.shipments if any(i == item_id for i, _ in s.items)), None)

    def cancel(self, now: float) -> None:
        """Stop the plan at ``now`` and end it CANCELLED."""
        self.phases = [p for p in self.phases if p[1] <= now] + [(CANCELLED, now)]
        self.cancelled_at = now

    def cancel_too_late(self, now: float, final: str, final_at: float) -> None:
        """A cancel accepted while picking had begun: PROCESSING now, ``final`` later."""
        self.phases = [p for p in self.phases if p[1] <= now] + [
            (PROCESSING, now),
            (final, max(final_at, now + 1.0)),
        ]
        self.late_cancel_at = now

    def replan(self, now: float, phases: list[tuple[str, float]]) -> None:
        """Replace everything after ``now`` (a held order released to ship)."""
        self.phases = [p for p in self.phases if p[1] <= now] + phases
