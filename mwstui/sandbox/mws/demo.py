"""The default demo seed, and generated data for any seller that asks for it.

Generation is deterministic (``random.Random`` seeded from the seed's ``rng_seed`` and
the seller id) and produces the same JSON shapes a hand-written seed uses, with times
relative to start, so ``mwstui sandbox --dump-seed`` prints an editable seed.
"""

from __future__ import annotations

import random
from typing import Any

from mwstui.catalog import load_catalog
from mwstui.sandbox.report_bodies import CITIES, PRODUCTS, sku_for

DEMO_ACCESS_KEY = "AKIASANDBOXDEMO00001"
DEMO_SECRET_KEY = "sandbox/Demo+SecretKey0wJalrXUtnFEMIK7MDENG"  # noqa: S105
"""Not a secret: the sandbox's published demo key (it has '/' and '+' like real ones)."""
DEMO_SELLER = "A1SANDBOXSELLER"
DEMO_MARKETPLACES = ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8"]
DAY = 86400

RETURN_REASONS = [
    ("CR-UNWANTED_ITEM", "No longer needed/wanted"),
    ("CR-DEFECTIVE", "Defective/Does not work properly"),
    ("CR-DAMAGED_BY_CARRIER", "Product and shipping box both damaged"),
    ("CR-NOT_AS_DESCRIBED", "Not as described on website"),
    ("CR-ORDERED_WRONG_ITEM", "Bought by mistake"),
    ("CR-MISSED_ESTIMATED_DELIVERY", "Item arrived too late"),
]
"""Return reason codes ListReturnReasonCodes offers (demo values)."""

_COMMON_TYPES = [
    "_GET_MERCHANT_LISTINGS_DATA_",
    "_GET_MERCHANT_LISTINGS_ALL_DATA_",
    "_GET_FLAT_FILE_OPEN_LISTINGS_DATA_",
    "_GET_FLAT_FILE_ORDERS_DATA_",
    "_GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_",
    "_GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_",
    "_GET_AFN_INVENTORY_DATA_",
    "_GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA_",
    "_GET_AMAZON_FULFILLED_SHIPMENTS_DATA_",
    "_GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA_",
]
# Status mixes (weights) — the demo shows every status, mostly finished work.
_REPORT_STATUS = [
    ("_DONE_", 66),
    ("_DONE_NO_DATA_", 10),
    ("_CANCELLED_", 8),
    ("_SUBMITTED_", 9),
    ("_IN_PROGRESS_", 7),
]
_ORDER_STATUS = [
    ("RECEIVED", 7),
    ("PLANNING", 10),
    ("PROCESSING", 14),
    ("COMPLETE", 38),
    ("COMPLETE_PARTIALLED", 6),
    ("CANCELLED", 10),
    ("UNFULFILLABLE", 5),
    ("INVALID", 4),
    ("HOLD", 6),
]
_NAMES = [
    "Jane Doe",
    "Ravi Patel",
    "Zoë Müller",
    "Kenji Sato",
    "Amara Okafor",
    "Luis García",
    "O'Brien Family",
    "Chen Wei",
]
_COMMENTS = [
    "Thank you for your order!",
    "Gift — please do not include prices.",
    "[b]Rush[/b] order for a returning customer",
    "[@click=app.quit]Thanks![/] see you soon",
    "Leave at the back door <no signature>",
    "Zoë's birthday present 🎁",
    "",
]
"""Order comments, some with markup and brackets: server text the UI must show literally."""


def demo_seed() -> dict[str, Any]:
    """The package's default seed: demo credentials and one generated demo seller."""
    return {
        "version": 1,
        "rng_seed": 0,
        "mws": {
            "developers": [
                {
                    "access_key": DEMO_ACCESS_KEY,
                    "secret_key": DEMO_SECRET_KEY,
                    "sellers": [DEMO_SELLER],
                }
            ],
            "sellers": [
                {
                    "seller_id": DEMO_SELLER,
                    "marketplaces": DEMO_MARKETPLACES,
                    "generate": {"late_cancel_orders": True},
                }
            ],
        },
        "sellercenter": None,
        "spapi": None,
    }


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def expand_seller(entry: dict[str, Any], rng_seed: int = 0) -> dict[str, Any]:
    """``entry`` with its ``generate`` request replaced by generated data.

    ``generate`` keys (all optional): ``report_requests`` (default 320),
    ``fulfillment_orders`` (300), ``schedules`` (5), ``rng_seed``, ``late_cancel_orders``
    (false; the demo's true adds the two orders of ``LATE_CANCEL_ORDERS``). Lists already
    in the entry are kept and the generated items appended.
    """
    spec = dict(entry.get("generate") or {})
    out = {k: v for k, v in entry.items() if k != "generate"}
    rng = random.Random(f"demo:{spec.get('rng_seed', rng_seed)}:{entry.get('seller_id')}")
    out["inventory"] = list(out.get("inventory") or []) + _inventory(rng)
    out["report_requests"] = list(out.get("report_requests") or []) + _requests(
        rng, int(spec.get("report_requests", 320))
    )
    out["schedules"] = list(out.get("schedules") or []) + _schedules(
        rng, int(spec.get("schedules", 5))
    )
    out["fulfillment_orders"] = list(out.get("fulfillment_orders") or []) + _orders(
        rng, int(spec.get("fulfillment_orders", 300)), [i["sku"] for i in out["inventory"]]
    )
    # Drawn from their own generator so the data above stays what it always was.
    extra = random.Random(f"demo-extra:{spec.get('rng_seed', rng_seed)}:{entry.get('seller_id')}")
    _linger(extra, out["report_requests"])
    if spec.get("late_cancel_orders"):
        out["fulfillment_orders"] += _late_cancels(extra, [i["sku"] for i in out["inventory"]])
    return out


def _linger(rng: random.Random, requests: list[dict[str, Any]]) -> None:
    """Keep about half the ``_SUBMITTED_`` requests queued for 15–45 minutes, so a
    newcomer's first cancel can still succeed, and list about one ``_DONE_`` request in
    ten without its GeneratedReportId (its report is found through GetReportList)."""
    for req in requests:
        if req.get("status") == "_SUBMITTED_" and rng.random() < 0.5:
            req["starts_in"] = round(rng.uniform(15 * 60, 45 * 60))
        elif req.get("status") == "_DONE_" and not req.get("acknowledged") and rng.random() < 0.1:
            req["generated_report_id"] = False


LATE_CANCEL_ORDERS = ("SBX-FO-LATE-1", "SBX-FO-LATE-2")
"""Demo orders whose cancel Amazon accepts but does not (fully) carry out."""


def _late_cancels(rng: random.Random, skus: list[str]) -> list[dict[str, Any]]:
    """Two PLANNING orders for which a cancel is accepted but not (fully) carried out."""
    plans = [
        (LATE_CANCEL_ORDERS[0], "picked", "Demo: picking starts as you cancel; it ships"),
        (LATE_CANCEL_ORDERS[1], "partial", "Demo: part is picked before your cancel arrives"),
    ]
    out = []
    for n, (oid, on_cancel, comment) in enumerate(plans):
        received = -round(rng.uniform(600, 1800))
        out.append(
            {
                "order_id": oid,
                "displayable_id": _amazon_order_id(rng),
                "displayable_date": received - 120,
                "comment": comment,
                "speed": "Standard",
                "address": _address(rng),
                "policy": "FillOrKill",
                "action": "Ship",
                "status": "PLANNING",
                "received": received,
                "next_phase_in": 6 * 3600,
                "on_cancel": on_cancel,
                "items": [
                    {"sku": skus[n], "item_id": f"{oid}-1", "quantity": 1},
                    {"sku": skus[n + 1], "item_id": f"{oid}-2", "quantity": 3},
                ],
            }
        )
    return out


def _inventory(rng: random.Random) -> list[dict[str, Any]]:
    items = []
    for n, (title, _asin) in enumerate(PRODUCTS):
        qty = 0 if n == 7 else 2 if n == 5 else rng.randint(40, 600)
        items.append(
            {
                "sku": sku_for(n),
                "fnsku": f"X00{rng.randrange(10**7):07d}",
                "name": title,
                "quantity": qty,
                "weight_lb": round(rng.uniform(0.2, 6.0), 2),
                "price": f"{rng.randint(6, 90)}.99",
            }
        )
    return items


def _requests(rng: random.Random, n: int) -> list[dict[str, Any]]:
    catalog = load_catalog()
    requestable = [t.type for t in catalog.report_types if t.requestable]
    out: list[dict[str, Any]] = []
    for _ in range(n):
        status = _pick(rng, _REPORT_STATUS)
        if status in ("_SUBMITTED_", "_IN_PROGRESS_"):
            submitted = -rng.uniform(1, 300)
        else:
            # Mostly recent, a few past the 90-day default window.
            submitted = -min(rng.expovariate(1 / (12 * DAY)), 100 * DAY) - 60
        rtype = rng.choice(_COMMON_TYPES) if rng.random() < 0.7 else rng.choice(requestable)
        span = rng.choice([1, 7, 30]) * DAY
        req: dict[str, Any] = {
            "report_type": rtype,
            "status": status,
            "submitted": round(submitted),
            "start_date": round(submitted - span),
            "end_date": round(submitted),
            "scheduled": rng.random() < 0.12,
        }
        if status == "_DONE_" and rng.random() < 0.2:
            req["acknowledged"] = True
        out.append(req)
    # Settlement reports: Amazon-generated every 14 days, never requested by the seller.
    for k in range(1, 7):
        end = -k * 14 * DAY + rng.randint(-3600, 3600)
        out.append(
            {
                "report_type": "_GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_",
                "status": "_DONE_",
                "submitted": end + 1500,
                "start_date": end - 14 * DAY,
                "end_date": end,
                "scheduled": False,
            }
        )
    return out


def _schedules(rng: random.Random, n: int) -> list[dict[str, Any]]:
    types = [t.type for t in load_catalog().report_types if t.schedulable]
    plans = [
        ("_15_MINUTES_", 120),
        ("_1_DAY_", 5 * 3600),
        ("_1_WEEK_", 3 * DAY),
        ("_30_DAYS_", 20 * DAY),
        ("_8_HOURS_", 2 * 3600),
        ("_72_HOURS_", DAY),
    ]
    chosen = rng.sample(types, min(n, len(types)))
    # Only one of the two Seller Central order reports can be scheduled.
    if "_GET_ORDERS_DATA_" in chosen and "_GET_FLAT_FILE_ORDERS_DATA_" in chosen:
        chosen.remove("_GET_ORDERS_DATA_")
    return [
        {
            "report_type": t,
            "schedule": plans[i % len(plans)][0],
            "scheduled_date": plans[i % len(plans)][1],
        }
        for i, t in enumerate(chosen)
    ]


def _address(rng: random.Random) -> dict[str, str]:
    city, state, postal = rng.choice(CITIES)
    return {
        "Name": rng.choice(_NAMES),
        "Line1": f"{rng.randint(1, 9999)} {rng.choice(['Pine', 'Oak', 'Main', 'Lake'])} St",
        "City": city,
        "StateOrProvinceCode": state,
        "CountryCode": "US",
        "PostalCode": postal,
        "PhoneNumber": f"206-555-{rng.randint(0, 9999):04d}",
    }


def _orders(rng: random.Random, n: int, skus: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stocked = skus[:5] + skus[8:]
    for k in range(n):
        status = _pick(rng, _ORDER_STATUS)
        hold = status == "HOLD"
        if status in ("RECEIVED", "PLANNING", "PROCESSING", "HOLD"):
            received = -rng.uniform(60, 6 * 3600)
        else:
            received = -rng.uniform(3600, 60 * 3600)
        lines = rng.randint(1, 4)
        items: list[dict[str, Any]] = [
            {"sku": sku, "item_id": f"ITEM-{k:05d}-{n_}", "quantity": rng.randint(1, 3)}
            for n_, sku in enumerate(rng.sample(stocked, lines), 1)
        ]
        if status == "COMPLETE_PARTIALLED":
            items[0]["quantity"] = max(2, int(items[0]["quantity"]))
            items[0]["unfulfillable"] = 1
        oid = f"SBX-FO-{k + 1:06d}"
        out.append(
            {
                "order_id": oid,
                "displayable_id": _amazon_order_id(rng),
                "displayable_date": round(received - rng.uniform(60, 3600)),
                "comment": rng.choice(_COMMENTS),
                "speed": rng.choice(["Standard", "Standard", "Expedited", "Priority"]),
                "address": _address(rng),
                "policy": rng.choice(["FillOrKill", "FillOrKill", "FillAll", "FillAllAvailable"]),
                "action": "Hold" if hold else "Ship",
                "status": "RECEIVED" if hold else status,
                "received": round(received),
                "emails": [f"buyer{k}@example.com"] if rng.random() < 0.3 else [],
                "items": items,
            }
        )
    return out


def _amazon_order_id(rng: random.Random) -> str:
    return f"{rng.randint(111, 114)}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
