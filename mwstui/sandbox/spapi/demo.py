"""The SP-API demo section of the default seed, and generated data for any seller.

Generation is deterministic (seeded from the seed's ``rng_seed`` and the seller id)
and writes the same JSON a hand-written seed uses, with times relative to start, so
``mwstui sandbox --dump-seed`` prints an editable seed. The demo seller also holds the
orders of Amazon's published sandbox examples (spec §7) and two orders whose cancel
does not (fully) take.
"""

from __future__ import annotations

import random
from typing import Any

from mwstui.catalog import load_catalog
from mwstui.sandbox.report_bodies import CITIES, PRODUCTS, sku_for

DEMO_CLIENT_ID = "amzn1.application-oa2-client.5andb0xdem0c11ent1d0000000000"
DEMO_CLIENT_SECRET = "amzn1.oa2-cs.v1.5andb0xdem0-c11ent-5ecret-not-a-secret-0000"  # noqa: S105
DEMO_REFRESH_TOKEN = "Atzr|IwEBI5andb0xDem0-Refre5h-T0ken-published-for-the-sandbox"  # noqa: S105
"""Not secrets: the sandbox's published demo credentials."""
DEMO_SELLER = "A1SANDBOXSELLER"
DEMO_MARKETPLACES = ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8"]
LATE_CANCEL = "SBX-SP-LATE-CANCEL"
"""A demo order whose cancel is accepted but does not take (picking starts first)."""
PARTIAL_CANCEL = "SBX-SP-PARTIAL-CANCEL"
"""A demo order whose cancel takes for only some of its lines."""
DAY = 86400
RETURN_REASONS = [
    ("CR-UNWANTED_ITEM", "No longer needed/wanted"),
    ("CR-DEFECTIVE", "Defective/Does not work properly"),
    ("CR-DAMAGED_BY_CARRIER", "Product and shipping box both damaged"),
    ("CR-NOT_AS_DESCRIBED", "Not as described on website"),
]
_REPORT_STATUS = [
    ("DONE", 66),
    ("CANCELLED", 10),
    ("CANCELLED_BY_SELLER", 4),
    ("FATAL", 4),
    ("IN_QUEUE", 8),
    ("IN_PROGRESS", 8),
]
_ORDER_STATUS = [
    ("Received", 8),
    ("Planning", 10),
    ("Processing", 14),
    ("Complete", 40),
    ("CompletePartialled", 6),
    ("Cancelled", 10),
    ("Unfulfillable", 5),
    ("Invalid", 4),
]
_NAMES = ["Jane Doe", "Ravi Patel", "Zoë Müller", "Kenji Sato", "O'Brien Family", "Chen Wei"]
_COMMENTS = ["Thank you for your order!", "[b]Rush[/b] order", "Zoë's birthday 🎁", "", "<gift>"]
_TROY = {
    "name": "Amazon",
    "addressLine1": "1234 Amazon Way",
    "addressLine2": "Suite 123",
    "city": "Troy",
    "stateOrRegion": "MI",
    "countryCode": "US",
    "postalCode": "48084",
}
_FIXTURE_SKUS = [
    {"sku": "CR-47K6-H6QN", "fnsku": "X0014BIZ8T", "name": "Test item", "quantity": 500},
    {"sku": "PSMM-TEST-SKU-Jan-21_19_59_44-0738", "fnsku": "B07CGHKWZP", "quantity": 500},
]


def demo_section() -> dict[str, Any]:
    """The default ``spapi`` section: one demo application and one generated seller."""
    return {
        "applications": [{"client_id": DEMO_CLIENT_ID, "client_secret": DEMO_CLIENT_SECRET}],
        "sellers": [
            {
                "seller_id": DEMO_SELLER,
                "region": "NA",
                "marketplaces": DEMO_MARKETPLACES,
                "refresh_token": DEMO_REFRESH_TOKEN,
                "generate": {},
            }
        ],
    }


def expand_section(section: dict[str, Any] | None, rng_seed: int = 0) -> dict[str, Any]:
    """The ``spapi`` section as the sandbox uses it: the demo one when absent, and every
    ``generate`` request written out (for ``--dump-seed``)."""
    out = dict(section if isinstance(section, dict) else demo_section())
    sellers = out.get("sellers") or []
    if isinstance(sellers, list):
        out["sellers"] = [
            expand_seller(s, rng_seed) if isinstance(s, dict) and "generate" in s else s
            for s in sellers
        ]
    return out


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def expand_seller(entry: dict[str, Any], rng_seed: int = 0) -> dict[str, Any]:
    """``entry`` with ``generate`` replaced by generated data (lists already there kept).

    ``generate`` keys (all optional): ``reports`` (240), ``schedules`` (5),
    ``fulfillment_orders`` (150), ``fixtures`` (true: the published example orders and
    the late/partial-cancel orders), ``rng_seed``.
    """
    spec = dict(entry.get("generate") or {})
    out = {k: v for k, v in entry.items() if k != "generate"}
    seller = entry.get("seller_id")
    rng = random.Random(f"spapi-demo:{spec.get('rng_seed', rng_seed)}:{seller}")
    markets = [str(m) for m in entry.get("marketplaces") or DEMO_MARKETPLACES]
    inventory = _inventory(rng) + (_FIXTURE_SKUS if spec.get("fixtures", True) else [])
    out["inventory"] = list(out.get("inventory") or []) + inventory
    out["reports"] = list(out.get("reports") or []) + _reports(
        rng, int(spec.get("reports", 240)), markets
    )
    out["schedules"] = list(out.get("schedules") or []) + _schedules(
        rng, int(spec.get("schedules", 5)), markets
    )
    orders = _orders(rng, int(spec.get("fulfillment_orders", 150)), markets[0])
    if spec.get("fixtures", True):
        orders = _fixtures(markets[0]) + orders
    out["fulfillment_orders"] = list(out.get("fulfillment_orders") or []) + orders
    return out


def _inventory(rng: random.Random) -> list[dict[str, Any]]:
    return [
        {
            "sku": sku_for(n),
            "fnsku": f"X00{rng.randrange(10**7):07d}",
            "name": title,
            "quantity": 0 if n == 7 else rng.randint(40, 600),
            "price": f"{rng.randint(6, 90)}.99",
        }
        for n, (title, _asin) in enumerate(PRODUCTS)
    ]


def _reports(rng: random.Random, n: int, markets: list[str]) -> list[dict[str, Any]]:
    types = [
        t.type
        for t in load_catalog().spapi.report_types
        if t.requestable and "SETTLEMENT" not in t.type
    ]
    out: list[dict[str, Any]] = []
    for _ in range(n):
        status = _pick(rng, _REPORT_STATUS)
        if status in ("IN_QUEUE", "IN_PROGRESS"):
            created = -rng.uniform(1, 300)
        else:
            created = -min(rng.expovariate(1 / (12 * DAY)), 100 * DAY) - 60
        span = rng.choice([1, 7, 30]) * DAY
        rep: dict[str, Any] = {
            "report_type": rng.choice(types),
            "status": "CANCELLED" if status == "CANCELLED_BY_SELLER" else status,
            "created": round(created),
            "data_start": round(created - span),
            "data_end": round(created),
            "marketplaces": [markets[0]] if rng.random() < 0.8 else markets[:2],
        }
        if status == "CANCELLED_BY_SELLER":
            rep["cancelled_by_seller"] = True
        out.append(rep)
    # Settlement reports: Amazon creates one every 14 days; they can only be listed and read.
    for k in range(1, 7):
        end = -k * 14 * DAY + rng.randint(-3600, 3600)
        out.append(
            {
                "report_type": "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE",
                "status": "DONE",
                "created": end + 1500,
                "data_start": end - 14 * DAY,
                "data_end": end,
                "marketplaces": [markets[0]],
            }
        )
    return out


def _schedules(rng: random.Random, n: int, markets: list[str]) -> list[dict[str, Any]]:
    types = [t.type for t in load_catalog().spapi.report_types if t.schedulable]
    plans = [
        ("PT15M", 120),
        ("P1D", 5 * 3600),
        ("P7D", 3 * DAY),
        ("P30D", 20 * DAY),
        ("PT8H", 7200),
    ]
    chosen = rng.sample(types, min(n, len(types)))
    return [
        {
            "report_type": t,
            "marketplaces": [markets[0]],
            "period": plans[i % len(plans)][0],
            "next": plans[i % len(plans)][1],
        }
        for i, t in enumerate(chosen)
    ]


def _address(rng: random.Random) -> dict[str, str]:
    city, state, postal = rng.choice(CITIES)
    return {
        "name": rng.choice(_NAMES),
        "addressLine1": f"{rng.randint(1, 9999)} {rng.choice(['Pine', 'Oak', 'Main'])} St",
        "city": city,
        "stateOrRegion": state,
        "countryCode": "US",
        "postalCode": postal,
        "phone": f"206-555-{rng.randint(0, 9999):04d}",
    }


def _orders(rng: random.Random, n: int, market: str) -> list[dict[str, Any]]:
    skus = [sku_for(i) for i in range(len(PRODUCTS)) if i != 7]
    out: list[dict[str, Any]] = []
    for k in range(n):
        status = _pick(rng, _ORDER_STATUS)
        live = status in ("Received", "Planning", "Processing")
        received = -rng.uniform(60, 6 * 3600) if live else -rng.uniform(3600, 60 * 3600)
        items: list[dict[str, Any]] = [
            {"sku": sku, "item_id": f"SPITEM-{k:05d}-{j}", "quantity": rng.randint(1, 3)}
            for j, sku in enumerate(rng.sample(skus, rng.randint(1, 3)), 1)
        ]
        if status == "CompletePartialled":
            items[0]["quantity"] = max(2, int(items[0]["quantity"]))
            items[0]["unfulfillable"] = 1
        shown = f"{rng.randint(111, 114)}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
        order: dict[str, Any] = {
            "order_id": f"SBX-SP-{k + 1:06d}",
            "displayable_id": shown,
            "displayable_date": round(received - rng.uniform(60, 3600)),
            "comment": rng.choice(_COMMENTS),
            "speed": rng.choice(["Standard", "Standard", "Expedited", "Priority"]),
            "address": _address(rng),
            "policy": rng.choice(["FillOrKill", "FillOrKill", "FillAll"]),
            "marketplace_id": market,
            "status": status,
            "received": round(received),
            "items": items,
        }
        if status == "Complete" and rng.random() < 0.15:
            # Old enough to have been delivered and sent back.
            order["received"] = round(-rng.uniform(10, 20) * DAY)
            order["displayable_date"] = order["received"] - 600
            order["returns"] = [{"comment": "Changed my mind"}]
        out.append(order)
    return out


def _fixtures(market: str) -> list[dict[str, Any]]:
    """Amazon's published example orders (spec §7) and two cancels that do not take."""
    test_items = [
        {"sku": "PSMM-TEST-SKU-Jan-21_19_59_44-0738", "item_id": "OrderItemID2", "quantity": 1},
        {"sku": "CR-47K6-H6QN", "item_id": "OrderItemID1", "quantity": 3},
    ]
    base = {
        "displayable_id": "TestOrder-FBAOutbound",
        "comment": "TestOrder",
        "address": _TROY,
        "policy": "FillOrKill",
        "marketplace_id": market,
        "emails": ["test2@amazon.com", "test1@amazon.com"],
    }
    return [
        {**base, "order_id": "FBATestOrder-1", "status": "Processing", "received": -1800,
         "items": test_items},
        {**base, "order_id": "TestOrder-7", "status": "Received", "received": -120,
         "action": "Hold",
         "items": [{"sku": "CR-47K6-H6QN", "item_id": "OrderItemID7", "quantity": 1}]},
        {**base, "order_id": "FBATestOrder-11", "status": "Cancelled", "received": -7200,
         "items": [{"sku": "CR-47K6-H6QN", "item_id": "OrderItemID11", "quantity": 2}]},
        {**base, "order_id": LATE_CANCEL, "displayable_id": "113-0000000-0000001",
         "status": "Planning", "received": -600, "cancel": "late",
         "comment": "Picking starts before a cancel can take", "items": test_items},
        {**base, "order_id": PARTIAL_CANCEL, "displayable_id": "113-0000000-0000002",
         "status": "Planning", "received": -600, "cancel": "partial",
         "comment": "Only part of this order can still be cancelled",
         "items": [*test_items, {"sku": sku_for(0), "item_id": "OrderItemID3", "quantity": 2}]},
    ]  # fmt: skip
