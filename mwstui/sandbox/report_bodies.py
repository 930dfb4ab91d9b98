"""Report documents: tab-delimited (or XML) bodies with realistic columns per report family.

A body is a pure function of the report id, type and creation time, so it never has to
be stored and every download of the same report returns the same bytes (and MD5).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

PRODUCTS = (
    ("Stainless Steel Garlic Press", "B07L1G4YKT"),
    ("Silicone Spatula, Medium, Red", "B00D6CMT12"),
    ("Wireless Dual Band Gigabit Router", "B00J8NCVX4"),
    ("Crème brûlée Torch with Fuel Gauge", "B08CREME01"),
    ("Bamboo Cutting Board Set (3 pcs)", "B01BAMBOO3"),
    ("USB-C Charging Cable 2 m", "B07USBC200"),
    ("Ceramic Pour-Over Coffee Dripper", "B06POUROVR"),
    ('Cast Iron Skillet 10"', "B00CASTIRN"),
    ("Kids' Rain Boots – Yellow", "B09RAINBT1"),
    ("LED Desk Lamp with Clamp", "B08LEDLAMP"),
    ("Yoga Mat 6 mm Non-Slip", "B07YOGAMAT"),
    ("Stainless Water Bottle 750 ml", "B07BOTTLE7"),
)
"""(title, ASIN): shared with the fulfillment demo data so SKUs look alike everywhere."""

CITIES = (
    ("Seattle", "WA", "98109"),
    ("Austin", "TX", "78701"),
    ("Portland", "OR", "97205"),
    ("Denver", "CO", "80202"),
    ("Boston", "MA", "02108"),
    ("Chicago", "IL", "60601"),
)


def sku_for(index: int) -> str:
    return f"SBX-{index:04d}"


def family(report_type: str) -> str:
    """The column family a report type belongs to."""
    t = report_type.upper()
    if "SETTLEMENT" in t:
        return "settlement"
    if "_XML_" in t or t == "_GET_ORDERS_DATA_" or t == "_GET_PENDING_ORDERS_DATA_":
        return "xml"
    if "LISTINGS" in t or "REFERRAL_FEE" in t:
        return "listings"
    if "RETURN" in t:
        return "returns"
    if "INVENTORY" in t or "_AFN_" in t or "RESERVED" in t or "STRANDED" in t:
        return "inventory"
    if "ORDER" in t or "SHIPMENT" in t or "SALES" in t:
        return "orders"
    return "generic"


_SIZES = {
    "settlement": (4, 40),
    "listings": (12, 160),
    "orders": (10, 400),
    "inventory": (20, 300),
    "returns": (2, 60),
    "xml": (5, 80),
    "generic": (5, 120),
}


def row_count(report_type: str, rng: random.Random) -> int:
    lo, hi = _SIZES[family(report_type)]
    return rng.randint(lo, hi)


def content_type(report_type: str) -> str:
    return "text/xml" if family(report_type) == "xml" else "text/plain;charset=utf-8"


def render(report_id: str, report_type: str, created: float, rows: int) -> bytes:
    """The bytes of a report (deterministic in its arguments)."""
    rng = random.Random(int(report_id) if report_id.isdigit() else report_id)
    fam = family(report_type)
    when = datetime.fromtimestamp(created, UTC)
    if fam == "xml":
        return _xml(rng, report_type, when, rows)
    header, make_row = _TABLES[fam]
    lines = ["\t".join(header)]
    lines += ["\t".join(make_row(rng, when, i)) for i in range(rows)]
    text = "\n".join(lines) + "\n"
    # Listings reports came with a UTF-8 BOM in the recording; keep that quirk.
    bom = "\ufeff" if fam == "listings" else ""
    return (bom + text).encode("utf-8")


def _product(rng: random.Random) -> tuple[int, str, str]:
    i = rng.randrange(len(PRODUCTS))
    return i, PRODUCTS[i][0], PRODUCTS[i][1]


def _stamp(when: datetime, rng: random.Random, days: int) -> datetime:
    return when - timedelta(seconds=rng.randrange(max(1, days * 86400)))


def _listing(rng: random.Random, when: datetime, n: int) -> list[str]:
    i, title, asin = _product(rng)
    opened = _stamp(when, rng, 400).strftime("%Y-%m-%d %H:%M:%S PST")
    price = f"{rng.randint(5, 120)}.{rng.randint(0, 99):02d}"
    return [
        title,
        "",
        f"{rng.randrange(10**10):010d}X",
        sku_for(i),
        price,
        str(rng.randint(0, 250)),
        opened,
        "y",
        "1",
        asin,
        "11",
        "DEFAULT",
    ]


def _order(rng: random.Random, when: datetime, n: int) -> list[str]:
    i, title, _asin = _product(rng)
    bought = _stamp(when, rng, 30)
    city, state, postal = rng.choice(CITIES)
    oid = f"{rng.randint(100, 114)}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
    qty = rng.randint(1, 3)
    return [
        oid,
        f"{rng.randrange(10**14):014d}",
        bought.isoformat(timespec="seconds"),
        (bought + timedelta(hours=1)).isoformat(timespec="seconds"),
        f"buyer{n}@marketplace.example",
        f"Buyer {n}",
        sku_for(i),
        title,
        str(qty),
        "USD",
        f"{qty * rng.randint(5, 90)}.{rng.randint(0, 99):02d}",
        rng.choice(["Standard", "Expedited", "SecondDay"]),
        city,
        state,
        postal,
        "US",
    ]


def _inventory(rng: random.Random, when: datetime, n: int) -> list[str]:
    i, title, asin = _product(rng)
    ok, bad, res = rng.randint(0, 400), rng.randint(0, 6), rng.randint(0, 20)
    return [
        sku_for(i),
        f"X00{rng.randrange(10**7):07d}",
        asin,
        title,
        "New",
        f"{rng.randint(5, 120)}.99",
        "No",
        str(ok + bad + res),
        str(ok),
        str(bad),
        str(res),
    ]


def _return(rng: random.Random, when: datetime, n: int) -> list[str]:
    i, title, asin = _product(rng)
    return [
        _stamp(when, rng, 60).isoformat(timespec="seconds"),
        f"{rng.randint(100, 114)}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}",
        sku_for(i),
        asin,
        f"X00{rng.randrange(10**7):07d}",
        title,
        str(rng.randint(1, 2)),
        rng.choice(["SEA8", "PHX6", "BFI4"]),
        rng.choice(["SELLABLE", "DEFECTIVE"]),
        rng.choice(["UNWANTED_ITEM", "DEFECTIVE", "NOT_AS_DESCRIBED"]),
        "Unit returned",
    ]


def _settlement(rng: random.Random, when: datetime, n: int) -> list[str]:
    amount = f"{rng.choice([-1, 1]) * rng.randint(1, 200)}.{rng.randint(0, 99):02d}"
    kind = rng.choice(["Order", "Refund", "Subscription Fee", "Successful charge"])
    return [
        "12746358451",
        "",
        "",
        "",
        "",
        "",
        kind,
        _stamp(when, rng, 28).isoformat(timespec="seconds"),
        amount,
    ]


def _generic(rng: random.Random, when: datetime, n: int) -> list[str]:
    i, title, asin = _product(rng)
    return [
        _stamp(when, rng, 30).strftime("%Y-%m-%d"),
        sku_for(i),
        asin,
        title,
        str(rng.randint(0, 50)),
        f"{rng.randint(1, 300)}.{rng.randint(0, 99):02d}",
    ]


_Row = Callable[[random.Random, datetime, int], list[str]]
_TABLES: dict[str, tuple[list[str], _Row]] = {
    "listings": (
        [
            "item-name",
            "item-description",
            "listing-id",
            "seller-sku",
            "price",
            "quantity",
            "open-date",
            "item-is-marketplace",
            "product-id-type",
            "asin1",
            "item-condition",
            "fulfillment-channel",
        ],
        _listing,
    ),
    "orders": (
        [
            "amazon-order-id",
            "order-item-id",
            "purchase-date",
            "payments-date",
            "buyer-email",
            "buyer-name",
            "sku",
            "product-name",
            "quantity-purchased",
            "currency",
            "item-price",
            "ship-service-level",
            "ship-city",
            "ship-state",
            "ship-postal-code",
            "ship-country",
        ],
        _order,
    ),
    "inventory": (
        [
            "sku",
            "fnsku",
            "asin",
            "product-name",
            "condition",
            "your-price",
            "mfn-listing-exists",
            "afn-warehouse-quantity",
            "afn-fulfillable-quantity",
            "afn-unsellable-quantity",
            "afn-reserved-quantity",
        ],
        _inventory,
    ),
    "returns": (
        [
            "return-date",
            "order-id",
            "sku",
            "asin",
            "fnsku",
            "product-name",
            "quantity",
            "fulfillment-center-id",
            "detailed-disposition",
            "reason",
            "status",
        ],
        _return,
    ),
    "settlement": (
        [
            "settlement-id",
            "settlement-start-date",
            "settlement-end-date",
            "deposit-date",
            "total-amount",
            "currency",
            "transaction-type",
            "posted-date",
            "other-amount",
        ],
        _settlement,
    ),
    "generic": (["date", "sku", "asin", "product-name", "quantity", "amount"], _generic),
}


def _xml(rng: random.Random, report_type: str, when: datetime, rows: int) -> bytes:
    from xml.sax.saxutils import escape

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<AmazonEnvelope>",
        "  <Header><DocumentVersion>1.00</DocumentVersion></Header>",
        f"  <MessageType>{escape(report_type.strip('_'))}</MessageType>",
    ]
    for n in range(rows):
        i, title, asin = _product(rng)
        out.append(
            f"  <Message><MessageID>{n + 1}</MessageID><Item><SKU>{sku_for(i)}</SKU>"
            f"<ASIN>{asin}</ASIN><Title>{escape(title)}</Title>"
            f"<Date>{_stamp(when, rng, 30).isoformat(timespec='seconds')}</Date></Item></Message>"
        )
    out.append("</AmazonEnvelope>")
    return ("\n".join(out) + "\n").encode("utf-8")
