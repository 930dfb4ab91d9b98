"""SellerCenterClient against the SellerCenter sandbox, in-process (ASGITransport, FakeClock)."""

from __future__ import annotations

import pytest

from mwstui.catalog import Throttle
from mwstui.clock import FakeClock
from mwstui.errors import (
    InvalidParameterError,
    InvalidStateError,
    NotFoundError,
    ReadOnlyError,
    RequestExpiredError,
    SignatureMismatchError,
    ThrottledError,
)
from mwstui.sandbox.sellercenter.state import SellerCenterState
from mwstui.secret import Secret
from mwstui.sellercenter.client import SellerCenterClient
from mwstui.throttle.governor import Governor
from tests.sellercenter.conftest import MakeClient, since
from tests.sellercenter.helpers import MemoryJournal, Records


@pytest.mark.parametrize("fmt", ["JSON", "XML"])
async def test_listing_pages_through_every_order(
    make_client: MakeClient, clock: FakeClock, state: SellerCenterState, fmt: str
) -> None:
    client = make_client(fmt=fmt)
    pages = [
        p async for p in client.iter_orders(status=None, created_after=since(clock), page_size=40)
    ]
    assert [p.data.offset for p in pages] == [0, 40, 80, 120]
    assert {p.data.total_count for p in pages} == {150}
    ids = [o.order_id for p in pages for o in p.data.orders]
    assert len(ids) == len(set(ids)) == 150
    created = [o.created_at.timestamp() for p in pages for o in p.data.orders if o.created_at]
    assert len(created) == 150
    assert created == sorted(created, reverse=True)  # created_at DESC by default
    first = pages[0].data.orders[0]
    expected = state.orders[int(first.order_id)]
    assert first.items_count == len(expected.items)
    assert first.statuses == expected.statuses
    assert first.price == expected.price
    assert pages[0].meta.server_time == clock.now().replace(microsecond=0)


async def test_listing_pending_orders_by_default(
    client: SellerCenterClient, clock: FakeClock, state: SellerCenterState
) -> None:
    orders = [
        o async for p in client.iter_orders(created_after=since(clock)) for o in p.data.orders
    ]
    expected = [o for o in state.orders.values() if "pending" in o.statuses]
    assert len(orders) == len(expected) > 10
    assert all("pending" in o.statuses for o in orders)


async def test_items_of_one_and_of_several_orders(
    client: SellerCenterClient, state: SellerCenterState
) -> None:
    one = next(o for o in state.orders.values() if len(o.items) == 1)
    many = next(o for o in state.orders.values() if len(o.items) >= 3)
    items = (await client.order_items(many.order_id)).data
    assert [i.order_item_id for i in items] == [str(i.order_item_id) for i in many.items]
    assert items[0].currency == state.currency and items[0].item_price is not None
    single = (await client.order_items(one.order_id)).data  # a one-element object in JSON
    assert len(single) == 1 and single[0].status == one.items[0].status
    both = (await client.multiple_order_items([one.order_id, many.order_id])).data
    assert {k: len(v) for k, v in both.items()} == {
        str(one.order_id): 1,
        str(many.order_id): len(many.items),
    }
    order = (await client.get_order(many.order_id)).data
    assert order.order_number == many.order_number


async def test_unknown_order_is_not_found(client: SellerCenterClient) -> None:
    with pytest.raises(NotFoundError) as info:
        await client.get_order(42)
    assert info.value.code == "E016" and info.value.operation == "GetOrder"


async def test_failure_reasons(client: SellerCenterClient) -> None:
    reasons = (await client.failure_reasons()).data
    assert {r.type for r in reasons} == {"canceled", "failed", "returned"}
    assert any(r.type == "canceled" and r.name == "Out of stock" for r in reasons)


async def test_successful_cancel_is_journaled_and_visible(
    client: SellerCenterClient,
    state: SellerCenterState,
    journal: MemoryJournal,
    records: Records,
) -> None:
    item = next(i for i in state.items.values() if i.status == "pending")
    reason = next(r.name for r in (await client.failure_reasons()).data if r.type == "canceled")
    result = await client.cancel_item(item.order_item_id, reason, "customer called")
    assert result.data is None and result.meta.http_status == 200
    [entry] = journal.entries
    assert entry["status"] == "ok" and entry["items"] == [str(item.order_item_id)]
    assert entry["service"] == "sellercenter" and entry["operation"] == "SetStatusToCanceled"
    cancel = records.calls[-1]
    assert cancel.method == "POST" and cancel.mutating and cancel.params["Signature"] == "••••••"
    after = (await client.order_items(item.order_id)).data
    mine = next(i for i in after if i.order_item_id == str(item.order_item_id))
    assert (mine.status, mine.reason, mine.reason_detail) == (
        "canceled",
        reason,
        "customer called",
    )
    assert not mine.status.cancellable


async def test_cancelling_a_non_pending_item_is_a_clear_error(
    client: SellerCenterClient, state: SellerCenterState, journal: MemoryJournal
) -> None:
    item = next(i for i in state.items.values() if i.status == "shipped")
    with pytest.raises(InvalidStateError) as info:
        await client.cancel_item(item.order_item_id, "Out of stock")
    err = info.value
    assert err.code == "E028" and '"shipped"' in err.message
    assert "pending" in (err.hint or "")
    assert str(err).startswith("SetStatusToCanceled: E028: ")
    assert journal.entries[0]["status"] == "error" and journal.entries[0]["error_code"] == "E028"
    assert state.items[item.order_item_id].status == "shipped"


async def test_cancel_with_a_reason_of_the_wrong_type_or_unknown_item(
    client: SellerCenterClient, state: SellerCenterState
) -> None:
    item = next(i for i in state.items.values() if i.status == "pending")
    with pytest.raises(InvalidParameterError) as info:
        await client.cancel_item(item.order_item_id, "Customer unreachable")  # type "failed"
    assert info.value.code == "E022"
    with pytest.raises(NotFoundError) as nf:
        await client.cancel_item(1, "Out of stock")
    assert nf.value.code == "E020"
    assert state.items[item.order_item_id].status == "pending"


async def test_ready_to_ship(client: SellerCenterClient, state: SellerCenterState) -> None:
    order = next(o for o in state.orders.values() if o.statuses == ["pending"])
    ids = [i.order_item_id for i in order.items]
    await client.ready_to_ship(ids, "dropship", "Sandbox Express", "TRK-1")
    items = (await client.order_items(order.order_id)).data
    assert {(i.status, i.tracking_code, i.shipment_provider) for i in items} == {
        ("ready_to_ship", "TRK-1", "Sandbox Express")
    }


async def test_wrong_key_is_e007_with_a_hint(make_client: MakeClient, records: Records) -> None:
    client = make_client(api_key=Secret("not-the-key"))
    with pytest.raises(SignatureMismatchError) as info:
        await client.failure_reasons()
    err = info.value
    assert err.code == "E007" and err.message == "Login failed. Signature mismatching"
    assert "API key" in (err.hint or "")
    assert len(records.calls) == 1  # never retried


async def test_unknown_user_is_e007(make_client: MakeClient) -> None:
    with pytest.raises(SignatureMismatchError):
        await make_client(user_id="nobody@sandbox.test").failure_reasons()


async def test_expired_timestamp_is_e003(make_client: MakeClient, clock: FakeClock) -> None:
    slow = FakeClock(start=clock.time() - 20 * 60)  # this machine is 20 minutes behind
    client = make_client(clock=slow)
    with pytest.raises(RequestExpiredError) as info:
        await client.failure_reasons()
    assert info.value.code == "E003" and "clock" in info.value.hint
    fine = FakeClock(start=clock.time() - 14 * 60)  # inside the 15-minute window
    assert (await make_client(clock=fine).failure_reasons()).data


async def test_e429_backoff_when_the_client_models_too_generous_a_bucket(
    make_client: MakeClient, clock: FakeClock, records: Records
) -> None:
    client = make_client(throttle=Throttle(100, 0.01))
    start = clock.time()
    for _ in range(8):
        await client.failure_reasons()
    throttled = [r for r in records.calls if r.error_code == "E429"]
    assert throttled and all(r.http_status == 429 for r in throttled)
    assert len([r for r in records.calls if r.error_code is None]) == 8
    assert clock.time() - start >= 1.0  # it backed off instead of hammering
    retried = [r for r in records.calls if r.attempt > 1]
    assert retried and all(r.error_code in (None, "E429") for r in retried)


async def test_the_default_bucket_never_trips_the_sandbox(
    client: SellerCenterClient, clock: FakeClock, records: Records
) -> None:
    for _ in range(12):
        await client.failure_reasons()
    assert all(r.error_code is None for r in records.calls)
    assert any(r.waited > 0 for r in records.calls)  # the governor paced, not the server


async def test_a_mutation_throttled_by_the_server_is_not_retried(
    make_client: MakeClient, state: SellerCenterState, journal: MemoryJournal
) -> None:
    client = make_client(throttle=Throttle(100, 0.01))
    for _ in range(4):
        await client.failure_reasons()
    item = next(i for i in state.items.values() if i.status == "pending")
    with pytest.raises(ThrottledError):
        await client.cancel_item(item.order_item_id, "Out of stock")
    assert journal.entries[0]["status"] == "error"
    assert state.items[item.order_item_id].status == "pending"


async def test_read_only_client_sends_nothing(
    make_client: MakeClient, state: SellerCenterState, records: Records
) -> None:
    client = make_client(read_only=True)
    item = next(i for i in state.items.values() if i.status == "pending")
    with pytest.raises(ReadOnlyError):
        await client.cancel_item(item.order_item_id, "Out of stock")
    assert records.calls == [] and state.items[item.order_item_id].status == "pending"


async def test_budget_snapshot_shows_the_sellercenter_bucket(
    make_client: MakeClient, clock: FakeClock
) -> None:
    governor = Governor(clock)
    client = make_client(governor=governor)
    for _ in range(3):
        await client.failure_reasons()
    snap = governor.snapshot(client.bucket_key(), client.throttle)
    assert snap is not None
    assert snap.key.bucket == "SellerCenter" and snap.key.endpoint == "sc.sandbox.test"
    assert snap.capacity == 4 and snap.tokens == pytest.approx(1.0)
    assert snap.calls == 3 and snap.hourly_max is None and not snap.measured


async def test_items_progress_with_the_clock(
    client: SellerCenterClient, clock: FakeClock, state: SellerCenterState
) -> None:
    item = next(i for i in state.items.values() if i.progress)
    clock.advance(24 * 3600)
    items = (await client.order_items(item.order_id)).data
    mine = next(i for i in items if i.order_item_id == str(item.order_item_id))
    assert mine.status == "shipped"
