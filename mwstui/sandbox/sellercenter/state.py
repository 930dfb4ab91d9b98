"""The SellerCenter sandbox's data: accounts, orders, items and reasons, evolving with the clock.

Seed section (the ``sellercenter`` key of a sandbox seed; every key is optional and
``None`` means the deterministic demo data)::

    {
      "marketplace": "SellerCenter Sandbox",       # the marketplace name shown
      "currency": "USD",
      "accounts": {"seller@sandbox.test": "<api key>"},            # UserID -> API key
      "throttle": {"max_quota": 4, "restore_seconds": 0.5},        # default: the catalog's
      "failure_reasons": [{"type": "canceled", "name": "Out of stock"}, ...],
      "order_count": 150,                # demo orders generated when "orders" is absent
      "orders": [                        # given orders replace the generated ones
        {"order_id": 3001, "order_number": "SB3001", "customer_first_name": "Ada",
         "customer_last_name": "Lovelace", "payment_method": "CashOnDelivery",
         "remarks": "", "city": "Santiago", "country": "Chile",
         "created_at": "2025-12-31 10:00:00",     # UTC; or "age_seconds": 7200 (before now)
         "items": [{"order_item_id": 9001, "name": "Desk lamp", "sku": "LAMP-1",
                    "price": "19.90", "status": "pending", "shipping_type": "Dropshipping",
                    "reason": "",
                    "progress": [{"after_seconds": 1800, "status": "ready_to_ship"}]}]}
      ]
    }

``progress`` moves an item on by itself once the clock passes ``created_at +
after_seconds`` (pending → ready_to_ship → shipped), unless it left the status the step
expects (a cancelled item stays cancelled). Everything derives from the seed, the clock's
time at creation and ``rng_seed``: the same inputs give the same data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from mwstui.catalog import Throttle, load_catalog
from mwstui.clock import Clock
from mwstui.sandbox.sellercenter.seed import (
    DEMO_API_KEY,
    DEMO_MARKETPLACE,
    DEMO_REASONS,
    DEMO_USER,
    SandboxItem,
    SandboxOrder,
    build_orders,
)

__all__ = [
    "DEMO_API_KEY",
    "DEMO_MARKETPLACE",
    "DEMO_USER",
    "SCError",
    "SandboxItem",
    "SandboxOrder",
    "SellerCenterState",
]

DELIVERY_TYPES = ("dropship", "pickup", "send_to_warehouse")
_FLOW = {"ready_to_ship": "pending", "shipped": "ready_to_ship", "delivered": "shipped"}
"""Status a step of ``progress`` needs the item to be in."""


class SCError(Exception):
    """A SellerCenter ErrorResponse: ``code`` like ``E016`` and the full ``E016: …`` message."""

    def __init__(self, code: str, detail: str, error_type: str = "Sender") -> None:
        self.code = code
        self.message = f"{code}: {detail}"
        self.error_type = error_type
        super().__init__(self.message)


def mandatory(params: Mapping[str, str], name: str) -> str:
    """A required parameter (E001 when missing or empty)."""
    value = params.get(name, "")
    if not value:
        raise SCError("E001", f"Parameter {name} is mandatory")
    return value


def sc_date(epoch: float) -> str:
    """A body date: ``YYYY-MM-DD HH:MM:SS`` (the sandbox's local time is UTC)."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S")


def parse_date(value: str, name: str) -> float:
    """An ISO 8601 filter date as epoch seconds (naive is UTC); E017 when unreadable."""
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        raise SCError("E017", f'"{value}" Invalid Date Format for {name}') from None
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp()


class SellerCenterState:
    """Accounts, orders and reasons of one simulated SellerCenter instance.

    Build it with ``from_seed``. The operation methods take the request's parameters as
    strings and raise SCError with the code the real API uses.
    """

    def __init__(
        self,
        *,
        accounts: dict[str, str],
        marketplace: str,
        currency: str,
        reasons: list[tuple[str, str]],
        orders: list[SandboxOrder],
        throttle: Throttle | None = None,
    ) -> None:
        self.accounts = accounts
        """UserID → API key."""
        self.marketplace = marketplace
        self.currency = currency
        self.reasons = reasons
        """(type, name) pairs, as GetFailureReasons lists them."""
        self.throttle = throttle
        """The per-user bucket the app enforces (None: the catalog's default)."""
        self.orders = {o.order_id: o for o in orders}
        self.items = {i.order_item_id: i for o in orders for i in o.items}
        self._moving = [i for i in self.items.values() if i.progress]

    @classmethod
    def from_seed(
        cls, section: dict[str, Any] | None, clock: Clock, rng_seed: int = 0
    ) -> SellerCenterState:
        """The state a seed section describes (module docstring); None → the demo data."""
        s = section or {}
        reasons = [(str(r["type"]), str(r["name"])) for r in s.get("failure_reasons", [])]
        t = s.get("throttle")
        return cls(
            accounts={
                str(k): str(v) for k, v in s.get("accounts", {DEMO_USER: DEMO_API_KEY}).items()
            },
            marketplace=str(s.get("marketplace", DEMO_MARKETPLACE)),
            currency=str(s.get("currency", "USD")),
            reasons=reasons or list(DEMO_REASONS),
            orders=build_orders(s, clock.time(), rng_seed),
            throttle=None
            if t is None
            else Throttle(int(t["max_quota"]), float(t["restore_seconds"])),
        )

    # -- time ---------------------------------------------------------------------------

    def advance(self, now: float) -> None:
        """Apply every ``progress`` step due by ``now`` (called on each request)."""
        still = []
        for item in self._moving:
            while item.progress and item.progress[0][0] <= now:
                at, status = item.progress.pop(0)
                if item.status != _FLOW.get(status):
                    item.progress.clear()  # cancelled or moved by hand: the plan is off
                    break
                item.status, item.updated_at = status, at
            if item.progress:
                still.append(item)
        self._moving = still

    # -- reads ----------------------------------------------------------------------------

    def get_orders(self, p: Mapping[str, str]) -> tuple[list[SandboxOrder], int]:
        """GetOrders: the page asked for and the total count.

        Raises:
            SCError: E018 no CreatedAfter/UpdatedAfter, E017 date, E036 status,
                E019 Limit (1 … 1000, default 100), E014 Offset, E075 SortBy, E074 direction.
        """
        if not p.get("CreatedAfter") and not p.get("UpdatedAfter"):
            raise SCError("E018", "Either CreatedAfter or UpdatedAfter is mandatory")
        bounds = {
            k: parse_date(p[k], k)
            for k in ("CreatedAfter", "CreatedBefore", "UpdatedAfter", "UpdatedBefore")
            if p.get(k)
        }
        status = p.get("Status", "")
        if status and status not in load_catalog().sellercenter["order_status_filter"]:
            raise SCError("E036", f'"{status}" Invalid status filter')
        limit = _int(p.get("Limit", "100"), "E019", "Invalid Limit", 1, 1000)
        offset = _int(p.get("Offset", "0"), "E014", "Invalid Offset", 0, None)
        sort_by = p.get("SortBy", "created_at")
        if sort_by not in ("created_at", "updated_at"):
            raise SCError("E075", f'"{sort_by}" Invalid sort filter')
        direction = p.get("SortDirection", "DESC").upper()
        if direction not in ("ASC", "DESC"):
            raise SCError("E074", f'"{p["SortDirection"]}" Invalid sort direction')
        found = [o for o in self.orders.values() if _matches(o, bounds, status)]
        found.sort(key=lambda o: (getattr(o, sort_by), o.order_id), reverse=direction == "DESC")
        return found[offset : offset + limit], len(found)

    def get_order(self, p: Mapping[str, str]) -> SandboxOrder:
        """GetOrder / GetOrderItems: the order of ``OrderId`` (E001, E016)."""
        raw = mandatory(p, "OrderId")
        order = self.orders.get(int(raw)) if raw.isdigit() else None
        if order is None:
            raise SCError("E016", f'"{raw}" Invalid Order ID')
        return order

    def get_multiple(self, p: Mapping[str, str]) -> list[SandboxOrder]:
        """GetMultipleOrderItems (E001, E056 list form, E038 more than 100, E037, E039)."""
        ids = _id_list(mandatory(p, "OrderIdList"), "E056", "OrderIdList must be like [1,2]")
        if len(ids) > 100:
            raise SCError("E038", "Too many orders requested (at most 100)")
        found = [self.orders[i] for i in dict.fromkeys(ids) if i in self.orders]
        if not found:
            raise SCError("E039", "No orders were found")
        if len(found) < len(set(ids)):
            raise SCError("E037", "One or more order ids are invalid")
        return found

    # -- mutations ---------------------------------------------------------------------------

    def cancel(self, p: Mapping[str, str], now: float) -> None:
        """SetStatusToCanceled (E001, E020 unknown item, E022 reason, E028 not pending)."""
        item = self._item(mandatory(p, "OrderItemId"))
        reason = mandatory(p, "Reason")
        if ("canceled", reason) not in self.reasons:
            raise SCError("E022", f'"{reason}" Invalid Reason')
        if item.status not in load_catalog().sellercenter["order_item_status_cancellable"]:
            raise SCError(
                "E028",
                f'Order item {item.order_item_id} cannot be moved to status "canceled" '
                f'(it is "{item.status}")',
            )
        item.status, item.reason = "canceled", reason
        item.reason_detail, item.updated_at = p.get("ReasonDetail", ""), float(int(now))
        item.progress.clear()

    def ready_to_ship(self, p: Mapping[str, str], now: float) -> None:
        """SetStatusToReadyToShip (E001, E020, E024 delivery type, E025 provider, E029, E073)."""
        raw = mandatory(p, "OrderItemIds")
        items = [
            self._item(str(i)) for i in _id_list(raw, "E020", f'"{raw}" Invalid Order Item ID')
        ]
        delivery = mandatory(p, "DeliveryType")
        if delivery not in DELIVERY_TYPES:
            raise SCError("E024", f'"{delivery}" Invalid Delivery Type')
        provider = p.get("ShippingProvider", "")
        if delivery == "dropship" and not provider:
            raise SCError("E025", "A shipping provider is mandatory for dropship")
        if len({i.order_id for i in items}) > 1:
            raise SCError("E029", "All order items must belong to the same order")
        if any(i.status not in ("pending", "ready_to_ship") for i in items):
            raise SCError("E073", "All order items must have status Pending or Ready To Ship")
        for i in items:
            i.status, i.updated_at, i.shipment_provider = "ready_to_ship", float(int(now)), provider
            i.tracking_code = p.get("TrackingNumber", i.tracking_code)
            i.progress = [(at, s) for at, s in i.progress if s != "ready_to_ship"]

    def _item(self, raw: str) -> SandboxItem:
        item = self.items.get(int(raw)) if raw.isdigit() else None
        if item is None:
            raise SCError("E020", f'"{raw}" Invalid Order Item ID')
        return item


def _int(raw: str, code: str, what: str, low: int, high: int | None) -> int:
    if not raw.strip().isdigit() or int(raw) < low or (high is not None and int(raw) > high):
        raise SCError(code, f'"{raw}" {what}')
    return int(raw)


def _id_list(raw: str, code: str, detail: str) -> list[int]:
    inner = raw.strip()
    if not (inner.startswith("[") and inner.endswith("]")):
        raise SCError(code, detail)
    parts = [x.strip() for x in inner[1:-1].split(",")]
    if not parts or not all(x.isdigit() for x in parts):
        raise SCError(code, detail)
    return [int(x) for x in parts]


def _matches(o: SandboxOrder, bounds: dict[str, float], status: str) -> bool:
    c, u = o.created_at, o.updated_at
    checks = {
        "CreatedAfter": lambda b: c >= b,
        "CreatedBefore": lambda b: c <= b,
        "UpdatedAfter": lambda b: u >= b,
        "UpdatedBefore": lambda b: u <= b,
    }
    if not all(checks[k](b) for k, b in bounds.items()):
        return False
    return not status or status in o.statuses
