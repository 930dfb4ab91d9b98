"""Seeded customer returns of shipped fulfillment orders (``returnItems``)."""

from __future__ import annotations

from typing import Any

from mwstui.errors import ConfigError
from mwstui.sandbox import fulfillment_model as fm
from mwstui.sandbox.fulfillment_model import FulfillmentOrder
from mwstui.sandbox.mws.fulfillment_state import FulfillmentState
from mwstui.sandbox.spapi.fulfillment_render import return_address

DEFAULT_AFTER = 2 * 86400.0
"""Seconds after delivery a seeded return is received, when the seed does not say."""


def seed_returns(
    state: FulfillmentState, order: FulfillmentOrder, entries: list[Any], now: float
) -> None:
    """Attach returns to ``order``; each appears ``after`` seconds past its delivery.

    Entry keys: ``item_id`` (default: the first shipped line), ``reason`` (a return
    reason code), ``comment``, ``after`` (seconds, default two days).

    Raises:
        ConfigError: a return for an item the order does not ship.
    """
    codes = [c for c, _ in state.return_reasons]
    for n, e in enumerate(entries, 1):
        item_id = e.get("item_id") or (order.items[0].item_id if order.items else "")
        ship = order.shipment_of(str(item_id))
        if ship is None:
            raise ConfigError(f"seed: order {order.order_id}: no shipment for return of {item_id}")
        reason = str(e.get("reason") or codes[n % len(codes)])
        auth = next((a for a in order.authorizations if a.center == ship.center), None)
        if auth is None:
            rma = state.next_rma()
            auth = fm.ReturnAuthorization(
                f"RA{rma}", ship.center, return_address(ship.center), f"D{rma}"
            )
            order.authorizations.append(auth)
        created = ship.arrive_at + float(e.get("after", DEFAULT_AFTER)) / state.speed
        order.returns.append(
            fm.ReturnItem(
                f"{order.order_id}-R{n}",
                str(item_id),
                ship.shipment_id,
                reason,
                e.get("comment"),
                created,
                auth.authorization_id,
                ship.center,
            )
        )
