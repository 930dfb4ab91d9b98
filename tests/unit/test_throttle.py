"""The throttle governor on a fake clock: bursts, pacing, hourly windows, server re-syncs."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime

import pytest

from mwstui.catalog import Throttle, load_catalog
from mwstui.clock import FakeClock
from mwstui.errors import QuotaExceededError, ThrottledError
from mwstui.mws.parsing import parse_datetime
from mwstui.throttle.budget import HOUR, BucketKey
from mwstui.throttle.governor import Governor

KEY = BucketKey("mws.amazonservices.com", "A1SELLER", "GetReportRequestList")
FBA = Throttle(30, 0.5, None)
REPORTS = Throttle(10, 45.0, 80)


async def _times(gov: Governor, clock: FakeClock, n: int, throttle: Throttle) -> list[float]:
    start = clock.time()
    out = []
    for _ in range(n):
        await gov.acquire(KEY, throttle, operation="op")
        out.append(clock.time() - start)
    return out


async def test_burst_then_pacing_at_the_restore_rate() -> None:
    clock = FakeClock()
    gov = Governor(clock)
    times = await _times(gov, clock, 34, FBA)
    assert times[:30] == [0.0] * 30
    assert times[30:] == [0.5, 1.0, 1.5, 2.0]


async def test_concurrent_callers_share_the_bucket() -> None:
    clock = FakeClock()
    gov = Governor(clock)
    start = clock.time()
    done: list[float] = []

    async def one() -> None:
        await gov.acquire(KEY, REPORTS, operation="op")
        done.append(clock.time() - start)

    await asyncio.gather(*(one() for _ in range(12)))
    assert sorted(done) == [0.0] * 10 + [45.0, 90.0]


async def test_acquire_returns_the_time_waited() -> None:
    clock = FakeClock()
    gov = Governor(clock)
    for _ in range(10):
        assert await gov.acquire(KEY, REPORTS, operation="op") == 0.0
    assert await gov.acquire(KEY, REPORTS, operation="op") == pytest.approx(45.0)


async def test_fractional_waits_never_spin_forever() -> None:
    # Epoch floats resolve ~0.24 µs; a residue below that must not become an endless wait.
    rng = random.Random(7)
    for _ in range(60):
        clock = FakeClock(1_767_225_600.0 + rng.random() * 1e6)
        gov = Governor(clock)
        throttle = Throttle(rng.choice([2, 10]), rng.choice([1 / 3, 0.7, 45.0]), None)
        for _ in range(25):
            if rng.random() < 0.4:
                clock.advance(rng.random() * throttle.restore_seconds * 1.7)
            await asyncio.wait_for(gov.acquire(KEY, throttle, operation="op"), timeout=2)


async def test_hourly_window_is_modelled_from_the_first_call() -> None:
    clock = FakeClock()
    gov = Governor(clock)
    t = Throttle(100, 0.001, 3)
    for _ in range(3):
        await gov.acquire(KEY, t, operation="op")
    snap = gov.snapshot(KEY)
    assert snap is not None
    assert (snap.hourly_max, snap.hourly_remaining, snap.measured) == (3, 0, False)
    assert snap.hourly_resets_at == datetime.fromtimestamp(clock.time() + HOUR, UTC)
    start = clock.time()
    await gov.acquire(KEY, t, operation="op")
    assert clock.time() - start == pytest.approx(HOUR)


@pytest.mark.parametrize("resets_on", ["2026-01-01T00:12:00.000Z", "Thu, 01 Jan 2026 00:12:00 GMT"])
async def test_hourly_window_measured_from_headers(resets_on: str) -> None:
    clock = FakeClock()  # 2026-01-01T00:00:00Z
    gov = Governor(clock)
    reset = parse_datetime(resets_on)
    assert reset == datetime(2026, 1, 1, 0, 12, tzinfo=UTC)
    gov.observe_quota(KEY, REPORTS, quota_max=80.0, remaining=0.0, resets_on=reset)
    snap = gov.snapshot(KEY)
    assert snap is not None
    assert (snap.hourly_max, snap.hourly_remaining, snap.measured) == (80, 0, True)
    assert snap.hourly_resets_at == reset
    start = clock.time()
    await gov.acquire(KEY, REPORTS, operation="op")
    assert clock.time() - start == pytest.approx(12 * 60)
    after = gov.snapshot(KEY)
    assert after is not None
    assert after.hourly_remaining == 79 and not after.measured


async def test_used_up_hour_without_a_reset_time_still_rolls_over() -> None:
    clock = FakeClock()
    gov = Governor(clock)
    gov.observe_quota(KEY, REPORTS, quota_max=80.0, remaining=0.0, resets_on=None)
    start = clock.time()
    await asyncio.wait_for(gov.acquire(KEY, REPORTS, operation="op"), timeout=2)
    assert clock.time() - start == pytest.approx(HOUR)


async def test_request_throttled_drains_the_bucket() -> None:
    clock = FakeClock()
    gov = Governor(clock)
    await gov.acquire(KEY, REPORTS, operation="op")
    gov.observe_throttled(KEY, REPORTS)
    snap = gov.snapshot(KEY)
    assert snap is not None and snap.tokens == 0.0
    start = clock.time()
    await gov.acquire(KEY, REPORTS, operation="op")
    assert clock.time() - start == pytest.approx(45.0)


async def test_quota_exceeded_blocks_until_the_reset() -> None:
    clock = FakeClock()
    gov = Governor(clock)
    reset = datetime.fromtimestamp(clock.time() + 600, UTC)
    gov.observe_quota_exceeded(KEY, REPORTS, reset)
    snap = gov.snapshot(KEY)
    assert snap is not None
    assert snap.blocked_until == reset and snap.hourly_remaining == 0
    with pytest.raises(QuotaExceededError) as info:
        await gov.acquire(KEY, REPORTS, operation="op", max_wait=60)
    assert info.value.code == "LocalQuotaExceeded" and info.value.resets_at == reset
    start = clock.time()
    await gov.acquire(KEY, REPORTS, operation="op")
    assert clock.time() - start == pytest.approx(600)
    snap = gov.snapshot(KEY)
    assert snap is not None and snap.blocked_until is None


async def test_max_wait_refuses_instead_of_waiting() -> None:
    clock = FakeClock()
    gov = Governor(clock)
    for _ in range(10):
        await gov.acquire(KEY, REPORTS, operation="op")
    with pytest.raises(ThrottledError) as info:
        await gov.acquire(KEY, REPORTS, operation="GetReportRequestList", max_wait=10)
    assert info.value.code == "LocalThrottle"
    assert info.value.operation == "GetReportRequestList"
    assert clock.time() == FakeClock().time()  # nothing waited
    assert await gov.acquire(KEY, REPORTS, operation="op", max_wait=45) == pytest.approx(45)


def test_estimate_matches_the_schedule() -> None:
    clock = FakeClock()
    gov = Governor(clock)
    fba = BucketKey("h", "s", "CancelFulfillmentOrder")
    assert gov.estimate(fba, FBA, 0) == 0.0
    assert gov.estimate(fba, FBA, 30) == 0.0
    assert gov.estimate(fba, FBA, 100) == pytest.approx(35.0)
    by_token = load_catalog().operation("GetReportRequestListByNextToken").throttle
    assert gov.estimate(fba, by_token, 49) == pytest.approx(38.0)
    assert gov.estimate(KEY, REPORTS, 81) == pytest.approx(HOUR)  # past the hourly quota


async def test_estimate_counts_fractional_tokens_and_blocks() -> None:
    clock = FakeClock()
    gov = Governor(clock)
    for _ in range(30):
        await gov.acquire(KEY, FBA, operation="op")
    clock.advance(0.25)  # half a token back
    assert gov.estimate(KEY, FBA, 1) == pytest.approx(0.25)
    assert gov.estimate(KEY, FBA, 3) == pytest.approx(1.25)
    gov.observe_quota_exceeded(KEY, FBA, datetime.fromtimestamp(clock.time() + 100, UTC))
    assert gov.estimate(KEY, FBA, 1) >= 100


async def test_snapshot_fields() -> None:
    clock = FakeClock()
    gov = Governor(clock)
    assert gov.snapshot(KEY) is None
    fresh = gov.snapshot(KEY, REPORTS)
    assert fresh is not None
    assert (fresh.tokens, fresh.capacity, fresh.seconds_to_next, fresh.seconds_to_full) == (
        10,
        10,
        0.0,
        0.0,
    )
    for _ in range(4):
        await gov.acquire(KEY, REPORTS, operation="GetReportRequestList")
    clock.advance(9)  # 0.2 of a token back
    snap = gov.snapshot(KEY)
    assert snap is not None
    assert snap.tokens == pytest.approx(6.2)
    assert snap.seconds_to_next == pytest.approx(36.0)  # to 7 tokens
    assert snap.seconds_to_full == pytest.approx(3.8 * 45)
    assert snap.operations == ("GetReportRequestList",)
    assert snap.calls == 4 and snap.waiting == 0 and snap.wait_remaining is None
    assert snap.restore_seconds == 45.0 and snap.hourly_max == 80 and snap.hourly_remaining == 76


async def test_snapshot_shows_who_is_waiting() -> None:
    clock = FakeClock()
    gov = Governor(clock)
    for _ in range(10):
        await gov.acquire(KEY, REPORTS, operation="op")
    task = asyncio.create_task(gov.acquire(KEY, REPORTS, operation="GetReportRequestList"))
    for _ in range(3):
        await asyncio.sleep(0)
    snap = gov.snapshot(KEY)
    assert snap is not None
    assert snap.waiting == 1 and snap.waiting_operation == "GetReportRequestList"
    assert snap.wait_remaining == pytest.approx(45.0)
    await task
    assert gov.snapshots() == [gov.snapshot(KEY)]


async def test_export_and_restore_across_a_restart() -> None:
    clock = FakeClock()
    gov = Governor(clock)
    for _ in range(10):
        await gov.acquire(KEY, REPORTS, operation="GetReportRequestList")
    reset = datetime.fromtimestamp(clock.time() + 1800, UTC)
    gov.observe_quota(KEY, REPORTS, quota_max=80.0, remaining=70.0, resets_on=reset)
    state = gov.export_state()
    clock.advance(90)  # the app was closed for a minute and a half
    again = Governor(clock)
    assert again.restore_state(state) == 1
    snap = again.snapshot(KEY)
    assert snap is not None
    assert snap.tokens == pytest.approx(2.0)  # refilled for the 90 s, not full
    assert snap.hourly_remaining == 70 and snap.measured and snap.hourly_resets_at == reset
    assert snap.operations == ("GetReportRequestList",)


def test_restore_ignores_unknown_versions_and_bad_items() -> None:
    clock = FakeClock()
    gov = Governor(clock)
    assert gov.restore_state({"version": 99}) == 0
    assert gov.restore_state({"version": 1, "buckets": [{"endpoint": "x"}]}) == 0
    assert gov.snapshots() == []


async def test_overrides_replace_catalog_limits() -> None:
    clock = FakeClock()
    gov = Governor(clock, overrides={KEY.bucket: Throttle(2, 10.0, None)})
    times = await _times(gov, clock, 3, REPORTS)
    assert times == [0.0, 0.0, 10.0]


async def test_first_call_latency_is_taken_back_so_call_31_arrives_after_the_servers_token() -> (
    None
):
    """The server starts refilling a full bucket when the first call arrives, not when sent."""
    clock = FakeClock()
    gov = Governor(clock)
    op = load_catalog().operation("CancelFulfillmentOrder")
    key = BucketKey("mws.example", "S1", op.bucket)
    start = clock.time()
    await gov.acquire(key, op.throttle, operation=op.name)
    sent = clock.time()
    clock.advance(0.030)  # the first answer took 30 ms (new connection)
    gov.observe_answer(key, sent)
    for _ in range(29):
        await gov.acquire(key, op.throttle, operation=op.name)
        gov.observe_answer(key, clock.time())  # later answers: no further correction
    await gov.acquire(key, op.throttle, operation=op.name)  # call 31
    assert clock.time() - start >= 0.53 - 1e-6  # never earlier than the server's token
    assert clock.time() - start == pytest.approx(0.53)


async def test_an_answer_to_a_call_that_did_not_find_the_bucket_full_changes_nothing() -> None:
    clock = FakeClock()
    gov = Governor(clock)
    op = load_catalog().operation("CancelFulfillmentOrder")
    key = BucketKey("mws.example", "S1", op.bucket)
    await gov.acquire(key, op.throttle, operation=op.name)
    gov.observe_answer(key, clock.time())  # settles the first take, nothing elapsed
    await gov.acquire(key, op.throttle, operation=op.name)
    sent = clock.time()
    before = gov.snapshot(key)
    clock.advance(0.2)
    gov.observe_answer(key, sent)
    after = gov.snapshot(key)
    assert before is not None and after is not None
    assert after.tokens == pytest.approx(before.tokens + 0.2 / op.throttle.restore_seconds)
