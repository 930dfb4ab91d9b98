"""Seeds for the benches (format: mwstui/sandbox/SEED.md), with the demo credentials."""

from __future__ import annotations

import random
from typing import Any

from mwstui.sandbox.mws.demo import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, DEMO_SELLER

LARGE_REPORT_ID = "21175694446012345"
STATUSES = ["RECEIVED", "PLANNING", "PROCESSING", "COMPLETE", "CANCELLED", "COMPLETE_PARTIALLED"]


def _seed(seller: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": 1,
        "rng_seed": 1,
        "mws": {
            "developers": [
                {
                    "access_key": DEMO_ACCESS_KEY,
                    "secret_key": DEMO_SECRET_KEY,
                    "sellers": [DEMO_SELLER],
                }
            ],
            "sellers": [{"seller_id": DEMO_SELLER, "marketplaces": ["ATVPDKIKX0DER"], **seller}],
        },
    }


def _order(k: int, status: str, received: float, rng: random.Random) -> dict[str, Any]:
    return {
        "order_id": f"SBX-FO-{k:06d}",
        "displayable_id": f"{rng.randint(111, 114)}-{rng.randrange(10**7):07d}-{k:07d}",
        "comment": "Thank you for your order!",
        "speed": rng.choice(["Standard", "Expedited", "Priority"]),
        "address": {
            "Name": "Jane Doe",
            "Line1": f"{k % 9999 + 1} Main St",
            "City": "Seattle",
            "StateOrProvinceCode": "WA",
            "CountryCode": "US",
            "PostalCode": "98109",
        },
        "status": status,
        "received": received,
        "items": [{"sku": f"SBX-{k % 12:04d}", "quantity": 1 + k % 3}],
    }


def cancellable_orders(n: int = 100) -> dict[str, Any]:
    """``n`` orders in RECEIVED (run the sandbox slowed down so they stay cancellable)."""
    rng = random.Random(1)
    return _seed({"fulfillment_orders": [_order(k, "RECEIVED", -600, rng) for k in range(n)]})


def many_orders(n: int = 10_000) -> dict[str, Any]:
    """``n`` orders, all changed within the default 36 h window, in every common status."""
    rng = random.Random(2)
    orders = [
        _order(k, STATUSES[k % len(STATUSES)], -rng.uniform(120, 30 * 3600), rng) for k in range(n)
    ]
    return _seed({"fulfillment_orders": orders, "report_requests": _requests(20)})


def _requests(n: int) -> list[dict[str, Any]]:
    return [
        {
            "report_type": "_GET_FLAT_FILE_ORDERS_DATA_",
            "status": "_DONE_",
            "submitted": -600 * (k + 1),
        }
        for k in range(n)
    ]


def many_requests(n: int = 5_000) -> dict[str, Any]:
    """``n`` finished report requests, all within the 90-day listing window."""
    return _seed({"report_requests": _requests(n)})


def large_report(size: int) -> dict[str, Any]:
    """One finished report of exactly ``size`` bytes (ReportOptions SandboxReportBytes)."""
    return _seed(
        {
            "report_requests": [
                {
                    "report_type": "_GET_FLAT_FILE_ORDERS_DATA_",
                    "status": "_DONE_",
                    "submitted": -3600,
                    "options": f"SandboxReportBytes={size}",
                    "report_id": LARGE_REPORT_ID,
                }
            ]
        }
    )
