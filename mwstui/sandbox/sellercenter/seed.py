"""SellerCenter sandbox records, and how a seed section (or the demo) becomes them.

The seed section format is documented in ``mwstui.sandbox.sellercenter.state``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

DEMO_USER = "seller@sandbox.test"
DEMO_API_KEY = "5b3c7e0d9a214f6e8c1b2a3d4e5f60718293a4b5"
DEMO_MARKETPLACE = "SellerCenter Sandbox"
DEMO_REASONS = (
    ("canceled", "Out of stock"),
    ("canceled", "Wrong address"),
    ("canceled", "Customer request"),
    ("canceled", "Sourcing team couldn't find items"),
    ("canceled", "Price error"),
    ("failed", "Customer unreachable"),
    ("failed", "Package damaged"),
    ("returned", "Wrong item"),
    ("returned", "Item not as described"),
)
_PRODUCTS = (
    "Desk lamp", "Wireless mouse", "Coffee grinder", "Yoga mat", "Backpack 20L", "Phone case",
    "Running shoes", "Water bottle", "Notebook A5", "USB-C cable", "Table fan", "Cotton T-shirt",
)  # fmt: skip
_FIRST = ("Ada", "Kwame", "Lucia", "Ravi", "Amara", "Diego", "Fatima", "Chen", "Sofia", "Tunde")
_LAST = ("Okafor", "Silva", "Haider", "Mensah", "Rojas", "Perera", "Diallo", "Gomez", "Njoroge")
_CITIES = (("Santiago", "Chile"), ("Lima", "Peru"), ("Bogota", "Colombia"), ("Lagos", "Nigeria"))
_REMARKS = ("", "", "Leave at the door")
_PAYMENTS = ("CashOnDelivery", "CreditCard", "MobileMoney")
_SHIPPING = ("Dropshipping", "Dropshipping", "Cross docking", "Own Warehouse")


@dataclass
class SandboxItem:
    """One order item; ``progress`` holds (epoch, status) steps still to come."""

    order_item_id: int
    order_id: int
    name: str
    sku: str
    price: Decimal
    status: str
    shipping_type: str
    created_at: float
    updated_at: float
    reason: str = ""
    reason_detail: str = ""
    tracking_code: str = ""
    shipment_provider: str = ""
    progress: list[tuple[float, str]] = field(default_factory=list)


@dataclass
class SandboxOrder:
    """One order; its statuses and update time derive from its items."""

    order_id: int
    order_number: str
    customer_first_name: str
    customer_last_name: str
    payment_method: str
    remarks: str
    city: str
    country: str
    created_at: float
    items: list[SandboxItem] = field(default_factory=list)

    @property
    def updated_at(self) -> float:
        return max([self.created_at, *(i.updated_at for i in self.items)])

    @property
    def statuses(self) -> list[str]:
        return list(dict.fromkeys(i.status for i in self.items))

    @property
    def price(self) -> Decimal:
        return sum((i.price for i in self.items), Decimal("0.00"))


def build_orders(section: dict[str, Any], now: float, rng_seed: int) -> list[SandboxOrder]:
    """The seed's ``orders``, or ``order_count`` (150) generated demo orders."""
    if "orders" in section:
        return [_seed_order(o, now) for o in section["orders"]]
    return _demo_orders(random.Random(rng_seed), now, int(section.get("order_count", 150)))


def _seed_order(d: dict[str, Any], now: float) -> SandboxOrder:
    if "created_at" in d:
        created = datetime.fromisoformat(str(d["created_at"])).replace(tzinfo=UTC).timestamp()
    else:
        created = float(int(now - float(d.get("age_seconds", 0))))
    oid = int(d["order_id"])
    order = SandboxOrder(
        order_id=oid,
        order_number=str(d.get("order_number", oid)),
        customer_first_name=str(d.get("customer_first_name", "")),
        customer_last_name=str(d.get("customer_last_name", "")),
        payment_method=str(d.get("payment_method", "CashOnDelivery")),
        remarks=str(d.get("remarks", "")),
        city=str(d.get("city", "")),
        country=str(d.get("country", "")),
        created_at=created,
    )
    for it in d.get("items", []):
        steps = [
            (created + float(s["after_seconds"]), str(s["status"])) for s in it.get("progress", [])
        ]
        order.items.append(
            SandboxItem(
                order_item_id=int(it["order_item_id"]),
                order_id=oid,
                name=str(it.get("name", "")),
                sku=str(it.get("sku", "")),
                price=Decimal(str(it.get("price", "0.00"))),
                status=str(it.get("status", "pending")),
                shipping_type=str(it.get("shipping_type", "Dropshipping")),
                created_at=created,
                updated_at=created,
                reason=str(it.get("reason", "")),
                progress=sorted(steps),
            )
        )
    return order


_DEMO_MIX = (
    (2.0, "pending:85 ready_to_ship:10 canceled:5"),
    (7.0, "pending:15 ready_to_ship:20 shipped:40 canceled:15 failed:10"),
    (1e9, "delivered:60 shipped:8 canceled:14 returned:8 failed:6 return_waiting_for_approval:4"),
)
"""Demo item statuses by order age in days: status:weight (recent orders mostly pending)."""


def _demo_status(rng: random.Random, age_days: float) -> str:
    mix = next(m for limit, m in _DEMO_MIX if age_days < limit)
    pairs = [p.split(":") for p in mix.split()]
    return rng.choices([s for s, _ in pairs], [int(w) for _, w in pairs])[0]


def _demo_orders(rng: random.Random, now: float, count: int) -> list[SandboxOrder]:
    day = 86_400.0
    # A fifth of the orders in the last two days (mostly pending), the rest over 60 days.
    ages = sorted(
        (rng.uniform(0.02, 2) if i % 5 == 0 else rng.uniform(2, 60)) * day for i in range(count)
    )
    orders = []
    next_item = 900_001
    for n, age in enumerate(reversed(ages)):
        created = float(int(now - age))  # whole seconds, as bodies show them
        oid = 300_001 + n
        city, country = rng.choice(_CITIES)
        order = SandboxOrder(
            oid, f"{200_000_000 + oid * 7}", rng.choice(_FIRST), rng.choice(_LAST),
            rng.choice(_PAYMENTS), rng.choice(_REMARKS), city, country, created,
        )  # fmt: skip
        base = _demo_status(rng, age / day)
        for k in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
            status = base if rng.random() > 0.15 else _demo_status(rng, age / day)
            name = rng.choice(_PRODUCTS)
            item = SandboxItem(
                order_item_id=next_item + k,
                order_id=oid,
                name=name,
                sku=f"{name.split()[0].upper()}-{rng.randint(1, 9)}",
                price=Decimal(rng.randint(300, 9_900)) / 100,
                status=status,
                shipping_type=rng.choice(_SHIPPING),
                created_at=created,
                updated_at=created
                if status == "pending"
                else float(int(min(now, created + rng.uniform(0.1, 2) * day))),
            )
            if status in ("canceled", "failed", "returned"):
                item.reason = rng.choice([r for t, r in DEMO_REASONS if t == status])
            if status == "pending" and rng.random() < 0.3:
                ready = float(int(now + rng.uniform(600, 3 * 3600)))
                item.progress = [
                    (ready, "ready_to_ship"),
                    (ready + rng.randint(2 * 3600, 12 * 3600), "shipped"),
                ]
            order.items.append(item)
        next_item += len(order.items)
        orders.append(order)
    return orders
