"""Bench 1: throttle efficiency against the sandbox at the real quotas, over loopback HTTP.

Bulk-cancel of fulfillment orders and a full listing of report requests, each done by
the governed client (what mwstui does) and by the same client with pacing switched off
(a governor override that never waits: a naive loop that retries a throttled call at
once). Wall time is compared with the theoretical floor the catalog's buckets allow.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from mwstui.calls import CallRecord
from mwstui.catalog import load_catalog
from mwstui.clock import SystemClock
from mwstui.errors import ThrottledError
from mwstui.journal.store import Journal
from mwstui.mws.client import MWSClient
from mwstui.mws.reports import PARSERS
from mwstui.throttle.governor import Governor
from tests.bench import seeds
from tests.bench.common import (
    UNLIMITED,
    Figure,
    dump,
    info,
    mws_session,
    sandbox_process,
    target,
    write_seed,
)

BENCH = "throttle"
SLOW = 0.001
"""Sandbox speed: orders stay RECEIVED (cancellable) for the whole run."""


def floor_seconds(operation: str, calls: int) -> float:
    """Least time ``calls`` back-to-back calls take from a full bucket (catalog facts)."""
    t = load_catalog().operation(operation).throttle
    return max(0, calls - t.capacity) * t.restore_seconds


@dataclass
class Run:
    wall: float
    throttled: int
    done: int
    calls: int
    first_pass_failed: int = 0


class Counter:
    """Counts attempts and RequestThrottled answers (a call observer)."""

    def __init__(self) -> None:
        self.calls = 0
        self.throttled = 0

    def __call__(self, record: CallRecord) -> None:
        self.calls += 1
        if record.error_code == "RequestThrottled":
            self.throttled += 1


def _client(ready: dict[str, object], governor: Governor | None, journal: Journal | None):  # type: ignore[no-untyped-def]
    session = mws_session(ready, SystemClock(), governor=governor, journal=journal)  # type: ignore[arg-type]
    assert session.mws is not None
    counter = Counter()
    session.mws.add_observer(counter)
    return session.mws, counter


def _naive_governor(*buckets: str) -> Governor:
    return Governor(SystemClock(), {b: UNLIMITED for b in buckets})


async def cancel_governed(ready: dict[str, object], ids: list[str], home: Path, *,
                          read_back: bool = False) -> Run:  # fmt: skip
    journal = Journal(path=home / f"journal-{int(read_back)}.sqlite", clock=SystemClock())
    client, counter = _client(ready, None, journal)
    try:
        start = time.monotonic()
        if read_back:  # exactly what the dashboard's bulk cancel runs per order
            from mwstui.backend.models import AccountInfo
            from mwstui.mws.fulfillment_backend import MWSFulfillment

            account = AccountInfo("bench", "mws", client.seller_id, "", client.host)
            backend = MWSFulfillment(client, account, Governor(SystemClock()))
            for order_id in ids:
                await backend.cancel_one(order_id)
        else:
            for order_id in ids:
                await client.fulfillment.cancel_order(order_id)
        wall = time.monotonic() - start
    finally:
        await client.aclose()
        journal.close()
    return Run(wall, counter.throttled, len(ids), counter.calls)


async def cancel_naive(ready: dict[str, object], ids: list[str]) -> Run:
    client, counter = _client(ready, _naive_governor("CancelFulfillmentOrder"), None)
    try:
        start = time.monotonic()
        failed = []
        for order_id in ids:  # one pass, no retry beyond the client's own three
            try:
                await client.fulfillment.cancel_order(order_id)
            except ThrottledError:
                failed.append(order_id)
        first_pass_failed = len(failed)
        while failed:  # then retry what failed, at once, until everything is through
            order_id = failed[0]
            try:
                await client.fulfillment.cancel_order(order_id)
                failed.pop(0)
            except ThrottledError:
                pass
        wall = time.monotonic() - start
    finally:
        await client.aclose()
    return Run(wall, counter.throttled, len(ids), counter.calls, first_pass_failed)


async def list_governed(ready: dict[str, object]) -> Run:
    client, counter = _client(ready, None, None)
    rows = 0
    try:
        start = time.monotonic()
        async for page in client.reports.iter_report_requests(max_count=100):
            rows += len(page.data)
        wall = time.monotonic() - start
    finally:
        await client.aclose()
    return Run(wall, counter.throttled, rows, counter.calls)


async def list_naive(ready: dict[str, object]) -> Run:
    client, counter = _client(
        ready,
        _naive_governor("GetReportRequestList", "GetReportRequestListByNextToken"),
        None,
    )
    rows = 0
    try:
        start = time.monotonic()
        page = await _retrying(client, "GetReportRequestList", {"MaxCount": "100"})
        rows += len(page.data)
        while page.meta.next_token:
            token = page.meta.next_token
            page = await _retrying(client, "GetReportRequestListByNextToken", {"NextToken": token})
            rows += len(page.data)
        wall = time.monotonic() - start
    finally:
        await client.aclose()
    return Run(wall, counter.throttled, rows, counter.calls)


async def _retrying(client: MWSClient, operation: str, params: dict[str, str]):  # type: ignore[no-untyped-def]
    while True:
        try:
            return await client.call(operation, params, PARSERS[operation])
        except ThrottledError:
            continue


def _figures(label: str, run: Run, floor: float, governed: bool, what: str) -> list[Figure]:
    note = f"{run.done} {what}, {run.calls} HTTP calls, floor {floor:.1f} s"
    if governed:
        return [
            target(
                BENCH,
                f"{label}: wall / floor",
                run.wall / floor,
                "×",
                "<=",
                1.03,
                f"{run.wall:.2f} s; {note}",
            ),
            target(BENCH, f"{label}: throttled responses", run.throttled, "", "<=", 0),
        ]
    extra = f"; first pass: {run.first_pass_failed} failed" if run.first_pass_failed else ""
    return [
        info(
            BENCH,
            f"{label} (naive): wall / floor",
            run.wall / floor,
            "×",
            f"{run.wall:.2f} s; {note}{extra}",
        ),
        info(
            BENCH,
            f"{label} (naive): throttled responses",
            run.throttled,
            "",
            "retried at once, no pacing",
        ),
    ]


async def run(quick: bool) -> list[Figure]:
    n_cancel = 40 if quick else 100
    n_requests = 3_500 if quick else 5_000
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="mwstui-bench-") as tmp:
        home = Path(tmp)
        cancel_seed = write_seed(home, "cancel.json", seeds.cancellable_orders(n_cancel))
        ids = [f"SBX-FO-{k:06d}" for k in range(n_cancel)]
        floor = floor_seconds("CancelFulfillmentOrder", n_cancel)
        label = f"bulk-cancel {n_cancel} orders"
        with sandbox_process(cancel_seed, speed=SLOW) as ready:
            figures += _figures(
                label, await cancel_governed(ready, ids, home), floor, True, "cancelled"
            )
        with sandbox_process(cancel_seed, speed=SLOW) as ready:
            dash = await cancel_governed(ready, ids, home, read_back=True)
            figures += _figures(
                f"{label}, + read-back (dashboard)", dash, floor, True, "cancelled and read back"
            )
        with sandbox_process(cancel_seed, speed=SLOW) as ready:
            figures += _figures(label, await cancel_naive(ready, ids), floor, False, "cancelled")

        list_seed = write_seed(home, "requests.json", seeds.many_requests(n_requests))
        pages = math.ceil(n_requests / 100)
        floor = floor_seconds("GetReportRequestList", 1) + floor_seconds(
            "GetReportRequestListByNextToken", pages - 1
        )
        label = f"list {n_requests:,} report requests (1 + {pages - 1} pages)"
        with sandbox_process(list_seed) as ready:
            figures += _figures(label, await list_governed(ready), floor, True, "rows")
        with sandbox_process(list_seed) as ready:
            figures += _figures(label, await list_naive(ready), floor, False, "rows")
    return figures


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.throttle_bench")
    p.add_argument("--json", type=Path)
    p.add_argument("--quick", action="store_true", help="smaller workloads (smoke test)")
    args = p.parse_args()
    dump(asyncio.run(run(args.quick)), args.json)


if __name__ == "__main__":
    main()
