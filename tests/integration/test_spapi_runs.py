"""The SP-API client and adapters over whole runs against the SP-API sandbox (in-process).

What the single-call tests of ``test_spapi_client`` do not show: a token that expires in
the middle of a bulk run or between two pages, a 429 storm on a mutation, a mutation that
fails or loses its answer (sent once, never again), and a Cp1252 listing whose accents
arrive as the seller wrote them.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from mwstui.backend.models import AccountInfo
from mwstui.backend.outcomes import Outcome
from mwstui.calls import CallRecord
from mwstui.catalog import Throttle
from mwstui.clock import FakeClock
from mwstui.journal.store import Journal
from mwstui.sandbox.mws.seed import default_seed
from mwstui.sandbox.sandbox import Sandbox
from mwstui.sandbox.spapi.demo import LATE_CANCEL, PARTIAL_CANCEL, demo_section
from mwstui.spapi.client import SPAPIClient
from mwstui.spapi.fulfillment_backend import SpapiFulfillment
from mwstui.throttle.governor import Governor

HOST = "https://sellingpartnerapi-na.sandbox.test"
CANCEL = "cancelFulfillmentOrder"


class Wire(httpx.AsyncBaseTransport):
    """What reached the sandbox: (method, path, status) of every request, LWA included."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.seen: list[tuple[str, str, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        self.seen.append((request.method, request.url.path, response.status_code))
        return response

    def statuses(self, method: str, fragment: str) -> list[int]:
        return [s for m, p, s in self.seen if m == method and fragment in p]


class Run:
    """An SP-API client, its fulfillment adapter and journal, on the demo sandbox.

    The sandbox has its own clock: moving it alone is time passing at Amazon while the
    client's cached token still looks fresh to the client.
    """

    def __init__(
        self,
        tmp: Path,
        *,
        orders: int | None = None,
        overrides: dict[str, Throttle] | None = None,
        one_clock: bool = False,
    ) -> None:
        self.server_clock = FakeClock()
        seed = None
        if orders is not None:
            seed = default_seed()
            section = demo_section()
            section["sellers"][0]["generate"] = {"fulfillment_orders": orders}
            seed["spapi"] = section
        # Slowed down: the orders stay cancellable however far the server clock moves.
        self.sandbox = Sandbox.create(seed=seed, clock=self.server_clock, speed=0.0001, debug=True)
        self.wire = Wire(httpx.ASGITransport(app=self.sandbox.spapi_app))
        # One clock when the client's waits must be the sandbox's time too (throttling).
        self.clock = self.server_clock if one_clock else FakeClock(self.server_clock.time())
        self.journal = Journal(tmp / "journal.db", self.clock)
        creds = self.sandbox.credentials
        self.client = SPAPIClient(
            region=creds.spapi_region,
            client_id=creds.spapi_client_id,
            client_secret=creds.spapi_client_secret,
            refresh_token=creds.spapi_refresh_token,
            seller_id=creds.spapi_seller_id,
            governor=Governor(self.clock, overrides=overrides),
            clock=self.clock,
            endpoint=HOST,
            lwa_endpoint=HOST,
            marketplace_ids=(creds.spapi_marketplace_id,),
            transport=self.wire,
            journal=self.journal,
            profile="runs",
        )
        self.records: list[CallRecord] = []
        self.client.add_observer(self.records.append)
        account = AccountInfo("runs", "spapi", creds.spapi_seller_id, "", self.client.host)
        self.fulfillment = SpapiFulfillment(self.client, account, Governor(self.clock))

    async def open_orders(self) -> dict[str, Any]:
        since = self.clock.now().replace(year=self.clock.now().year - 1)
        rows = {o.id: o async for p in self.fulfillment.list_orders(since=since) for o in p.rows}
        late = {LATE_CANCEL, PARTIAL_CANCEL}
        return {k: o for k, o in rows.items() if o.status.cancellable and k not in late}

    def calls(self, operation: str) -> list[CallRecord]:
        return [r for r in self.records if r.operation == operation]

    def journaled(self, operation: str) -> list[str]:
        """The journal's statuses of ``operation``, oldest first."""
        entries = [e for e in self.journal.entries(None) if e.operation == operation]
        return [e.status for e in sorted(entries, key=lambda e: e.id)]

    async def close(self) -> None:
        await self.client.aclose()
        self.journal.close()


async def test_a_token_expiring_mid_bulk_cancel_is_refreshed_once_and_the_run_goes_on(
    tmp_path: Path,
) -> None:
    run = Run(tmp_path)
    rows = await run.open_orders()
    plan = run.fulfillment.plan_cancel(list(rows)[:5], rows)
    results = []
    for n, key in enumerate(plan.keys()):
        if n == 2:
            run.server_clock.advance(3700)  # the token the client holds has expired there
        results.append(await plan.run(key))
    journaled = run.journaled(CANCEL)
    await run.close()

    assert [r.outcome for r in results] == [Outcome.DONE] * 5, results
    assert run.client.auth.refreshes == 1 and run.client.tokens.exchanges == 2
    # Resent after the refresh, accepted once: the gateway had refused it before any work.
    assert run.wire.statuses("PUT", "/cancel") == [200, 200, 403, 200, 200, 200]
    assert [s for _m, _p, s in run.wire.seen].count(403) == 1
    assert journaled == ["ok"] * 5


async def test_a_token_expiring_between_pages_is_refreshed_once(tmp_path: Path) -> None:
    run = Run(tmp_path)
    since = run.clock.now().replace(year=run.clock.now().year - 1)
    pages = run.fulfillment.list_orders(since=since)
    first = await anext(pages)
    run.server_clock.advance(3700)
    rest = [p async for p in pages]
    await run.close()

    assert first.more and rest and not rest[-1].more
    assert [p.number for p in rest] == list(range(2, len(rest) + 2))
    assert run.client.auth.refreshes == 1
    statuses = run.wire.statuses("GET", "/fba/outbound/2020-07-01/fulfillmentOrders")
    assert statuses.count(403) == 1 and statuses[-1] == 200  # the nextToken outlived the token


async def test_a_429_storm_on_cancels_cancels_each_order_once(tmp_path: Path) -> None:
    # A governor that believes cancels have a burst of 100 sends 40 at once into the
    # sandbox's 30: the 429s (refused before any work) empty our bucket, the rest wait.
    run = Run(tmp_path, orders=400, overrides={CANCEL: Throttle(100, 0.01)}, one_clock=True)
    rows = await run.open_orders()
    keys = list(rows)[:40]
    assert len(keys) == 40
    results = await asyncio.gather(*(run.client.fulfillment.cancel_order(k, status="Received")
                                     for k in keys), return_exceptions=True)  # fmt: skip
    await run.close()

    assert not [r for r in results if isinstance(r, BaseException)], results
    cancels = run.calls(CANCEL)
    throttled = [r for r in cancels if r.http_status == 429]
    assert throttled, "the sandbox enforced its burst"
    assert len([r for r in cancels if r.http_status == 200]) == 40, "each order cancelled once"
    assert len(cancels) <= 40 + 10 + 2, "one emptied bucket, not a retry per call"
    assert not [r for r in cancels if r.error_code == "InvalidInput"], "no duplicate cancel"


async def test_a_cancel_that_fails_or_loses_its_answer_is_sent_once(tmp_path: Path) -> None:
    run = Run(tmp_path)
    rows = await run.open_orders()
    first, second = list(rows)[:2]
    run.sandbox.faults.add(f"{CANCEL}:internal:next=1")
    failed = await run.fulfillment.plan_cancel([first], rows).run(first)
    run.sandbox.faults.add(f"{CANCEL}:drop-after:next=1")
    lost = await run.fulfillment.plan_cancel([second], rows).run(second)
    journaled = run.journaled(CANCEL)
    await run.close()

    assert failed.outcome is Outcome.FAILED and failed.code == "InternalFailure"
    assert failed.request_id, "the refusal names Amazon's request id"
    assert lost.outcome is Outcome.DONE and "answer lost" in lost.detail  # read back
    assert len(run.calls(CANCEL)) == 2, "a 500 and a lost answer are never resent"
    assert journaled == ["error", "unknown"]


async def test_a_gzip_cp1252_listing_keeps_its_accents(tmp_path: Path) -> None:
    run = Run(tmp_path, one_clock=True)
    types = ["GET_MERCHANT_CANCELLED_LISTINGS_DATA", "GET_MERCHANT_LISTINGS_DATA_BACK_COMPAT"]
    listings = [
        r
        async for page in run.client.reports.iter_reports(types, statuses=["DONE"])
        for r in page.data
    ]
    found = None
    for n, report in enumerate(listings):
        assert report.report_document_id
        saved = (
            await run.client.reports.download_document(
                report.report_document_id, tmp_path / f"{n}.txt"
            )
        ).data
        text = saved.path.read_text("utf-8")
        if saved.compressed and "Crème brûlée" in text:
            found = saved, text
            break
    await run.close()

    assert found is not None, "a gzipped demo listing names the crème brûlée torch"
    saved, text = found
    assert saved.compressed and (saved.charset or "").lower() == "cp1252"
    assert "Ã" not in text and "\ufffd" not in text, "decoded once, by the declared charset"
