"""GetFulfillmentPreview: what each shipping speed would cost and when it would arrive."""

from __future__ import annotations

from collections.abc import Sequence

from mwstui.catalog import load_catalog
from mwstui.sandbox.fulfillment_model import OrderItem
from mwstui.sandbox.mws.fulfillment_render import members
from mwstui.sandbox.mws.fulfillment_state import FulfillmentState
from mwstui.sandbox.mws.xml_render import Node, boolean, fba_date

DAY = 86400.0
_DEFAULT_SPEEDS = ("Standard", "Expedited", "Priority")
# Demo fee table (per unit, per order, transport per pound) by speed, in the
# marketplace currency; not a published Amazon price list.
_FEES = {
    "Standard": (2.41, 0.0, 0.49),
    "Expedited": (2.89, 1.0, 0.79),
    "Priority": (3.59, 2.0, 1.19),
}
_DAYS = {"Standard": (1, 2, 3, 5), "Expedited": (0, 1, 2, 3), "Priority": (0, 1, 1, 2)}
_CURRENCY = {
    "US": "USD",
    "CA": "CAD",
    "MX": "MXN",
    "BR": "BRL",
    "UK": "GBP",
    "JP": "JPY",
    "AU": "AUD",
    "IN": "INR",
    "SG": "SGD",
    "AE": "AED",
    "SA": "SAR",
    "TR": "TRY",
    "SE": "SEK",
    "PL": "PLN",
    "EG": "EGP",
}


def currency(marketplace_id: str) -> str:
    m = load_catalog().marketplace(marketplace_id)
    return _CURRENCY.get(m.country, "EUR") if m is not None else "USD"


def _weight(value: float) -> list[Node]:
    return [("Unit", "pounds"), ("Value", f"{value:.2f}")]


def _fees(fees: list[tuple[str, float]], cur: str) -> list[Node]:
    amounts: list[list[Node]] = [
        [("Name", name), ("Amount", [("CurrencyCode", cur), ("Value", f"{v:.2f}")])]
        for name, v in fees
    ]
    return members(amounts)


def _shipment(ok: list[tuple[OrderItem, float]], speed: str, now: float) -> list[Node]:
    s0, s1, a0, a1 = _DAYS.get(speed, _DAYS["Standard"])
    lines: list[list[Node]] = [
        [
            ("SellerSKU", i.sku),
            ("SellerFulfillmentOrderItemId", i.item_id),
            ("Quantity", str(i.quantity)),
            ("EstimatedShippingWeight", _weight(w * i.quantity)),
            ("ShippingWeightCalculationMethod", "Package"),
        ]
        for i, w in ok
    ]
    return [
        ("EarliestShipDate", fba_date(now + s0 * DAY)),
        ("LatestShipDate", fba_date(now + s1 * DAY)),
        ("EarliestArrivalDate", fba_date(now + a0 * DAY)),
        ("LatestArrivalDate", fba_date(now + a1 * DAY)),
        ("FulfillmentPreviewItems", members(lines)),
    ]


def _unfulfillable(bad: list[tuple[OrderItem, str]]) -> list[Node]:
    rows: list[list[Node]] = [
        [
            ("SellerSKU", i.sku),
            ("SellerFulfillmentOrderItemId", i.item_id),
            ("Quantity", str(i.quantity)),
            ("ItemUnfulfillableReasons", [("member", why)]),
        ]
        for i, why in bad
    ]
    return members(rows)


def preview(
    state: FulfillmentState,
    marketplace: str,
    items: Sequence[OrderItem],
    speeds: Sequence[str],
    now: float,
) -> list[list[Node]]:
    """One ``FulfillmentPreview`` per requested speed (all but ScheduledDelivery by default)."""
    cur = currency(marketplace)
    out: list[list[Node]] = []
    for speed in speeds or _DEFAULT_SPEEDS:
        ok: list[tuple[OrderItem, float]] = []
        bad: list[tuple[OrderItem, str]] = []
        for item in items:
            inv = state.inventory.get(item.sku)
            if inv is None:
                bad.append((item, "InvalidSKU"))
            elif inv.quantity < item.quantity:
                bad.append((item, "InventoryUnavailable"))
            elif item.quantity > 0:
                ok.append((item, inv.weight_lb))
        reasons = ["DeliverySLAUnavailable"] if speed == "ScheduledDelivery" else []
        fulfillable = not bad and not reasons and bool(ok)
        total = sum(q.quantity * w for q, w in ok)
        unit, order_fee, per_lb = _FEES.get(speed, _FEES["Standard"])
        units = sum(i.quantity for i, _ in ok)
        fees = [
            ("FBAPerUnitFulfillmentFee", unit * units),
            ("FBAPerOrderFulfillmentFee", order_fee),
            ("FBATransportationFee", per_lb * total),
        ]
        out.append(
            [
                ("ShippingSpeedCategory", speed),
                ("IsFulfillable", boolean(fulfillable)),
                ("IsCODCapable", "false"),
                ("MarketplaceId", marketplace),
                ("EstimatedShippingWeight", _weight(total)),
                ("EstimatedFees", _fees(fees, cur) if fulfillable else None),
                (
                    "FulfillmentPreviewShipments",
                    members([_shipment(ok, speed, now)]) if fulfillable else None,
                ),
                ("UnfulfillablePreviewItems", _unfulfillable(bad)),
                ("OrderUnfulfillableReasons", [("member", r) for r in reasons] or None),
            ]
        )
    return out
