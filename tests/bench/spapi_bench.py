"""SP-API throttle efficiency: the dashboard's calls against the sandbox at the default rates.

``.venv/bin/python -m tests.bench.spapi_bench [--quick] [--json PATH]``

Two runs, each against a sandbox in its own process over loopback HTTP, the real usage
plans enforced by the sandbox and the governor pacing from the catalog's defaults:

- bulk-cancel 100 fulfillment orders, exactly as the dashboard's confirmed plan runs
  them (``cancelFulfillmentOrder`` then ``getFulfillmentOrder`` per order, one after the
  other). Both operations are 2/s with a burst of 30 and each has its own bucket, so the
  floor is (100 − 30) / 2 = 35 s;
- list 1,500 reports of one type: 15 ``getReports`` pages of 100, 10 in the burst and 5
  paced at 0.0222/s (45 s apart): floor 225 s.

Each prints its wall time over the floor beside the target (≤ 1.03 ×) and the number of
429 answers (target 0). The demo seller has fewer than 100 cancellable orders, so the
bench seeds its own seller.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mwstui.backend.models import AccountInfo
from mwstui.backend.outcomes import Outcome
from mwstui.calls import CallRecord
from mwstui.catalog import load_catalog
from mwstui.clock import SystemClock
from mwstui.journal.store import Journal
from mwstui.secret import Secret
from mwstui.spapi.backend import SpapiReports
from mwstui.spapi.client import SPAPIClient
from mwstui.spapi.fulfillment_backend import SpapiFulfillment
from mwstui.throttle.governor import Governor
from tests.bench import seeds
from tests.bench.common import Figure, dump, sandbox_process, target, write_seed

BENCH = "spapi"
SLOW = 0.001
"""Sandbox speed: orders stay Received (cancellable) and reports DONE for the whole run."""
REPORT_TYPE = "GET_MERCHANT_LISTINGS_ALL_DATA"
SELLER = "A1SPAPIBENCH"
MARKETPLACE = "ATVPDKIKX0DER"
CLIENT_ID = "amzn1.application-oa2-client.5andb0xbench000000000000000000"
CLIENT_SECRET = "amzn1.oa2-cs.v1.5andb0x-bench-not-a-secret-0000"
REFRESH_TOKEN = "Atzr|IwEBI5andb0xBench-Refre5h-T0ken"


def floor_seconds(operation: str, calls: int) -> float:
    """Least time ``calls`` back-to-back calls take from a full bucket (catalog defaults)."""
    t = load_catalog().spapi.operation(operation).throttle
    return max(0, calls - t.capacity) * t.restore_seconds


def spapi_seed(*, orders: int = 0, reports: int = 0) -> dict[str, Any]:
    """A seed whose SP-API seller has ``orders`` Received orders and ``reports`` DONE ones."""
    seed = seeds.many_requests(0)
    seed["spapi"] = {
        "applications": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}],
        "sellers": [
            {
                "seller_id": SELLER,
                "region": "NA",
                "marketplaces": [MARKETPLACE],
                "refresh_token": REFRESH_TOKEN,
                "inventory": [{"sku": "SBX-BENCH", "quantity": 10_000, "price": "9.99"}],
                "reports": [
                    {"report_type": REPORT_TYPE, "status": "DONE", "created": -60 * (k + 1)}
                    for k in range(reports)
                ],
                "fulfillment_orders": [
                    {
                        "order_id": f"SBX-SP-BENCH-{k:04d}",
                        "status": "Received",
                        "received": -600,
                        "marketplace_id": MARKETPLACE,
                        "address": {
                            "name": "Jane Doe",
                            "addressLine1": f"{k + 1} Main St",
                            "city": "Seattle",
                            "stateOrRegion": "WA",
                            "countryCode": "US",
                            "postalCode": "98109",
                        },
                        "items": [{"sku": "SBX-BENCH", "item_id": f"I{k}", "quantity": 1}],
                    }
                    for k in range(orders)
                ],
            }
        ],
    }
    return seed


@dataclass
class Run:
    wall: float
    throttled: int
    calls: int
    done: int


class Counter:
    """Counts SP-API attempts (token exchanges apart) and 429 answers."""

    def __init__(self) -> None:
        self.calls = 0
        self.throttled = 0

    def __call__(self, record: CallRecord) -> None:
        if record.operation in load_catalog().spapi.operations:
            self.calls += 1
            self.throttled += record.http_status == 429


def _client(
    ready: dict[str, Any], clock: SystemClock, governor: Governor, journal: Journal | None
) -> SPAPIClient:
    return SPAPIClient(
        region="NA",
        client_id=CLIENT_ID,
        client_secret=Secret(CLIENT_SECRET),
        refresh_token=Secret(REFRESH_TOKEN),
        seller_id=SELLER,
        governor=governor,
        clock=clock,
        endpoint=ready["spapi_endpoint"],
        lwa_endpoint=ready["spapi_endpoint"],
        marketplace_ids=(MARKETPLACE,),
        journal=journal,
        profile="bench",
    )


def _account(client: SPAPIClient) -> AccountInfo:
    return AccountInfo("bench", "spapi", SELLER, MARKETPLACE, client.host)


async def bulk_cancel(ready: dict[str, Any], n: int, home: Path) -> Run:
    """The dashboard's run: the plan over the listed orders, then ``plan.run`` per order."""
    clock = SystemClock()
    governor = Governor(clock)
    journal = Journal(home / "journal.sqlite", clock)
    counter = Counter()
    async with _client(ready, clock, governor, journal) as client:
        backend = SpapiFulfillment(client, _account(client), governor)
        # The token exchange and the listing are the panel's, before the user confirms.
        rows = {o.id: o async for page in backend.list_orders() for o in page.rows}
        plan = backend.plan_cancel(sorted(rows)[:n], rows)
        assert len(plan.items) == n, f"{len(plan.items)} cancellable orders, not {n}"
        keys = plan.keys()
        client.add_observer(counter)
        start = time.monotonic()
        results = [await plan.run(key) for key in keys]
        wall = time.monotonic() - start
    journal.close()
    done = sum(r.outcome is Outcome.DONE for r in results)
    return Run(wall, counter.throttled, counter.calls, done)


async def list_reports(ready: dict[str, Any]) -> Run:
    """The Reports panel's listing of one type, every page."""
    clock = SystemClock()
    governor = Governor(clock)
    counter = Counter()
    async with _client(ready, clock, governor, None) as client:
        await client.tokens.token()  # the login is not part of the listing
        backend = SpapiReports(client, _account(client), governor)
        client.add_observer(counter)
        rows = 0
        start = time.monotonic()
        async for page in backend.list_jobs(report_types=[REPORT_TYPE]):
            rows += len(page.rows)
        wall = time.monotonic() - start
    return Run(wall, counter.throttled, counter.calls, rows)


def _figures(label: str, run: Run, floor: float, what: str) -> list[Figure]:
    note = f"{run.wall:.2f} s; {run.done} {what}, {run.calls} HTTP calls, floor {floor:.2f} s"
    return [
        target(BENCH, f"{label}: wall / floor", run.wall / floor, "×", "<=", 1.03, note),
        target(BENCH, f"{label}: throttled responses (429)", run.throttled, "", "<=", 0),
    ]


async def run(quick: bool) -> list[Figure]:
    n_cancel = 40 if quick else 100
    n_reports = 1_100 if quick else 1_500
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="mwstui-bench-") as tmp:
        home = Path(tmp)
        seed = write_seed(home, "spapi-cancel.json", spapi_seed(orders=n_cancel))
        floor = max(
            floor_seconds("cancelFulfillmentOrder", n_cancel),
            floor_seconds("getFulfillmentOrder", n_cancel),
        )
        with sandbox_process(seed, speed=SLOW) as ready:
            cancel = await bulk_cancel(ready, n_cancel, home)
        label = f"SP-API bulk-cancel {n_cancel} fulfillment orders, + read-back (dashboard)"
        figures += _figures(label, cancel, floor, "cancelled and read back")

        seed = write_seed(home, "spapi-reports.json", spapi_seed(reports=n_reports))
        pages = -(-n_reports // 100)
        floor = floor_seconds("getReports", pages)
        with sandbox_process(seed, speed=SLOW) as ready:
            listing = await list_reports(ready)
        label = f"SP-API list {n_reports:,} reports ({pages} pages)"
        figures += _figures(label, listing, floor, "rows")
    return figures


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.spapi_bench")
    p.add_argument("--json", type=Path)
    p.add_argument("--quick", action="store_true", help="smaller workloads (smoke test)")
    args = p.parse_args()
    dump(asyncio.run(run(args.quick)), args.json)


if __name__ == "__main__":
    main()
