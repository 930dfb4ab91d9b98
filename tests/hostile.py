"""A sandbox seed in which every server field a screen shows is hostile text.

Markup Rich and Textual would act on (``[@click=app.quit]``, ``[link=…]``), ANSI and OSC
escape sequences, C0/C1 control characters, right-to-left overrides, emoji, CJK and
10,000-character strings go into order ids, names, addresses, comments, SKUs, reasons,
statuses and the marketplace name. UI tests render this seed and assert that nothing
is interpreted; client tests assert that every string comes back unchanged. To look at
it by hand: ``python -m tests.hostile /tmp/hostile.json`` then
``mwstui --sandbox --seed /tmp/hostile.json``.

What MWS can return is bounded by XML 1.0: the sandbox replaces the control characters
XML cannot carry by U+FFFD, the parser turns CR into LF, and the client strips the ends
of element text (``mws_expected``). SellerCenter answers in JSON, which carries anything.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

from mwstui.sandbox.mws.demo import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, DEMO_SELLER

CLICK_QUIT = "[@click=app.quit]Thanks![/]"
LINK = "[link=https://evil.example/phish]click me[/link]"
MARKUP = "[b]bold[/b] [red on white]red[/] [reverse]rev[/reverse] \\[escaped]"
ANSI = "\x1b[31mred\x1b[0m \x1b[2J\x1b[H\x1b[5mblink\x1b[0m"
OSC = "\x1b]0;pwned title\x07 \x1b]52;c;ZXZpbA==\x07 \x1b]8;;https://evil.example\x1b\\x\x1b]8;;\x1b\\"
CONTROL = "nul\x00 bell\x07 bs\x08 vt\x0b ff\x0c cr\r lf\n tab\t esc\x1b del\x7f csi\x9b31m"
RTL = "\u202eexe.gnp\u202c العربية עברית \u200fRTL\u200e"
EMOJI = "🎁 👩‍👩‍👧‍👦 🇨🇱 ❤️ 🏳️‍🌈 \U0001f9ea"
CJK = "中文 日本語 한국어 ｆｕｌｌｗｉｄｔｈ 𠜎𠜱"
XMLISH = "<b>&amp; ]]> <![CDATA[x]]> &#0; \"quoted\" 'single'"
FORMAT = "%s %(x)s {0} {{}} ${HOME} `id` $(id) \\N{BELL}"
ZERO_WIDTH = "zero\u200bwidth\ufeffbom\u2028ls\u2029ps\u0085nel"
LONG_MARKUP = ("[@click=app.quit]X[/] " * 500)[:10_000]
LONG_CJK = ("漢字🎁" * 3334)[:10_000]

HOSTILE_STRINGS: tuple[str, ...] = (
    CLICK_QUIT,
    LINK,
    MARKUP,
    ANSI,
    OSC,
    CONTROL,
    RTL,
    EMOJI,
    CJK,
    XMLISH,
    FORMAT,
    ZERO_WIDTH,
    LONG_MARKUP,
    LONG_CJK,
)
"""Every hostile string the seed uses (two of them 10,000 characters long)."""

HOSTILE_IDS: tuple[str, ...] = (
    "[@click=app.quit]ORD-1",
    "[link=https://e.example]ORD-2[/link]",
    "\u202eORD-3-RTL",
    "注文-🎁-4",
    "[b]ORD[/b]&<5>",
)
"""SellerFulfillmentOrderIds: hostile, yet at most 40 characters and free of control
characters, so they survive XML and the client may act on them."""

OVERLONG_ID = "[@click=app.quit]" + "L" * 60
"""A server-side id longer than the 40 characters the client accepts from a user."""

HOSTILE_STATUS = "[blink]pending[/blink]\x1b[5m"
"""A SellerCenter item status no catalog knows (kept verbatim, never cancellable)."""

SELLERCENTER_ORDER_BASE = 7_000_001
SELLERCENTER_ITEM_BASE = 8_000_001


def _cycle(n: int) -> str:
    return HOSTILE_STRINGS[n % len(HOSTILE_STRINGS)]


def _inventory() -> list[dict[str, Any]]:
    skus = [*HOSTILE_IDS, "PLAIN-SKU"]
    return [
        {"sku": sku, "name": _cycle(n), "quantity": 500, "weight_lb": 1.0}
        for n, sku in enumerate(skus)
    ]


def _address(n: int) -> dict[str, str]:
    return {
        "Name": _cycle(n),
        "Line1": _cycle(n + 1),
        "Line2": _cycle(n + 2),
        "City": _cycle(n + 3),
        "StateOrProvinceCode": _cycle(n + 4),
        "CountryCode": "US",
        "PostalCode": _cycle(n + 5),
        "PhoneNumber": _cycle(n + 6),
    }


def _fulfillment_orders() -> list[dict[str, Any]]:
    ids = [*HOSTILE_IDS, OVERLONG_ID]
    orders = []
    for n, order_id in enumerate(ids):
        orders.append(
            {
                "order_id": order_id,
                "displayable_id": _cycle(n + 7),
                "comment": _cycle(n + 8),
                "received": -600 - n,
                "status": "RECEIVED" if n % 2 == 0 else "PLANNING",
                "speed": "Standard",
                "address": _address(n),
                "emails": [_cycle(n + 9)],
                "items": [
                    {
                        "sku": HOSTILE_IDS[n % len(HOSTILE_IDS)],
                        "item_id": _cycle(n + 10),
                        "quantity": 1,
                        "gift_message": _cycle(n + 11),
                        "comment": _cycle(n + 12),
                    },
                    {
                        "sku": "PLAIN-SKU",
                        "item_id": f"item-{n}-{_cycle(n)[:20]}",
                        "quantity": 2,
                        "comment": LONG_CJK,
                    },
                ],
            }
        )
    return orders


def _sellercenter() -> dict[str, Any]:
    reasons = [{"type": "canceled", "name": s} for s in HOSTILE_STRINGS if len(s) < 200]
    reasons.append({"type": "canceled", "name": "Out of stock"})
    reasons += [{"type": t, "name": _cycle(n)} for n, t in enumerate(("failed", "returned"))]
    orders = []
    item = SELLERCENTER_ITEM_BASE
    for n, text in enumerate(HOSTILE_STRINGS):
        items = []
        for k in range(2):
            status = HOSTILE_STATUS if (n, k) == (0, 1) else "pending"
            items.append(
                {
                    "order_item_id": item,
                    "name": _cycle(n + k),
                    "sku": _cycle(n + k + 1),
                    "price": "19.90",
                    "status": status,
                    "shipping_type": _cycle(n + k + 2),
                    "reason": _cycle(n + k + 3),
                }
            )
            item += 1
        orders.append(
            {
                "order_id": SELLERCENTER_ORDER_BASE + n,
                "order_number": text,
                "customer_first_name": _cycle(n + 1),
                "customer_last_name": _cycle(n + 2),
                "payment_method": _cycle(n + 3),
                "remarks": _cycle(n + 4),
                "city": _cycle(n + 5),
                "country": _cycle(n + 6),
                "age_seconds": 3600 + 60 * n,
                "items": items,
            }
        )
    return {
        "marketplace": CLICK_QUIT + " " + RTL,
        "currency": "USD",
        "failure_reasons": reasons,
        "orders": orders,
    }


_SEED: dict[str, Any] = {
    "version": 1,
    "rng_seed": 11,
    "mws": {
        "developers": [
            {"access_key": DEMO_ACCESS_KEY, "secret_key": DEMO_SECRET_KEY, "sellers": [DEMO_SELLER]}
        ],
        "sellers": [
            {
                "seller_id": DEMO_SELLER,
                "marketplaces": ["ATVPDKIKX0DER"],
                "inventory": _inventory(),
                "return_reason_codes": [
                    {"code": f"CR-{n}", "description": s} for n, s in enumerate(HOSTILE_STRINGS)
                ],
                "report_requests": [
                    {
                        "report_type": "_GET_MERCHANT_LISTINGS_DATA_",
                        "status": "_DONE_",
                        "submitted": -7200,
                        "request_id": "61781018424",
                        "report_id": "31175694446018424",
                    },
                    {
                        "report_type": "_GET_AFN_INVENTORY_DATA_",
                        "status": "_SUBMITTED_",
                        "submitted": -5,
                        "request_id": "61790018424",
                    },
                ],
                "fulfillment_orders": _fulfillment_orders(),
            }
        ],
    },
    "sellercenter": _sellercenter(),
}


def hostile_seed() -> dict[str, Any]:
    """A fresh copy of the hostile seed (``Sandbox.create(seed=hostile_seed())``).

    It uses the sandbox's demo credentials, so ``sandbox_targets`` works unchanged.
    """
    return copy.deepcopy(_SEED)


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def mws_expected(text: str) -> str | None:
    """What an MWS client reads back for ``text`` the sandbox put in an XML element.

    XML 1.0 cannot carry most C0 controls (the sandbox sends U+FFFD instead), an XML
    parser turns CR LF and CR into LF, and the client strips the ends of element text;
    an element left empty reads as ``None``.
    """
    cleaned = _XML_INVALID.sub("\ufffd", text).replace("\r\n", "\n").replace("\r", "\n")
    return cleaned.strip() or None


def fit(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, for fields with a length limit."""
    return text[:limit]


def write_seed(path: Path) -> Path:
    """Write the seed as a JSON file for ``mwstui --sandbox --seed FILE`` (about 1 MB, so
    it is generated where needed rather than kept in the repository). Returns ``path``."""
    path.write_text(json.dumps(hostile_seed(), ensure_ascii=False), "utf-8")
    return path


if __name__ == "__main__":  # python -m tests.hostile FILE
    print(write_seed(Path(sys.argv[1])))
