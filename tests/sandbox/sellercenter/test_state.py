"""The SellerCenter sandbox state: demo data, seed sections, rules and error codes."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from mwstui.catalog import Throttle
from mwstui.clock import FakeClock
from mwstui.sandbox.sellercenter.state import (
    DEMO_API_KEY,
    DEMO_USER,
    SCError,
    SellerCenterState,
    sc_date,
)

DAY = 86_400.0
SINCE = "2020-01-01T00:00:00+00:00"


def demo(seed: int = 0) -> tuple[SellerCenterState, FakeClock]:
    clock = FakeClock()
    return SellerCenterState.from_seed(None, clock, rng_seed=seed), clock


def snapshot(state: SellerCenterState) -> list[tuple[Any, ...]]:
    return [
        (
            o.order_id,
            o.customer_last_name,
            o.created_at,
            [(i.order_item_id, i.status, i.price) for i in o.items],
        )
        for o in state.orders.values()
    ]


def test_demo_is_deterministic_and_seed_dependent() -> None:
    assert snapshot(demo()[0]) == snapshot(demo()[0])
    assert snapshot(demo(1)[0]) != snapshot(demo()[0])


def test_demo_shape() -> None:
    state, clock = demo()
    assert state.accounts == {DEMO_USER: DEMO_API_KEY}
    assert state.marketplace
    assert len(state.orders) == 150
    assert all(1 <= len(o.items) <= 4 for o in state.orders.values())
    assert {t for t, _ in state.reasons} == {"canceled", "failed", "returned"}
    statuses = Counter(i.status for i in state.items.values())
    assert {"pending", "ready_to_ship", "shipped", "delivered", "canceled"} <= set(statuses)
    recent = [o for o in state.orders.values() if clock.time() - o.created_at < 2 * DAY]
    pending = [o for o in recent if "pending" in o.statuses]
    assert len(recent) >= 20 and len(pending) >= 0.7 * len(recent)
    old = [o for o in state.orders.values() if clock.time() - o.created_at > 7 * DAY]
    assert not any("pending" in o.statuses for o in old)
    assert all(o.created_at <= clock.time() for o in state.orders.values())


def test_pending_items_move_on_with_the_clock() -> None:
    state, clock = demo()
    moving = [i for i in state.items.values() if i.progress]
    assert moving and all(i.status == "pending" for i in moving)
    state.advance(clock.time() + 3 * 3600 + 1)
    assert all(i.status in ("ready_to_ship", "shipped") for i in moving)
    state.advance(clock.time() + 20 * 3600)
    assert all(i.status == "shipped" for i in moving)


def test_a_cancelled_item_stays_cancelled() -> None:
    state, clock = demo()
    item = next(i for i in state.items.values() if i.progress)
    state.cancel({"OrderItemId": str(item.order_item_id), "Reason": "Out of stock"}, clock.time())
    state.advance(clock.time() + 30 * 3600)
    assert item.status == "canceled" and item.reason == "Out of stock"


SECTION: dict[str, Any] = {
    "marketplace": "Linio Test",
    "currency": "CLP",
    "accounts": {"a@x.test": "k1", "b@x.test": "k2"},
    "throttle": {"max_quota": 2, "restore_seconds": 3},
    "failure_reasons": [{"type": "canceled", "name": "Broken"}, {"type": "failed", "name": "Lost"}],
    "orders": [
        {
            "order_id": 10,
            "created_at": "2025-12-31 10:00:00",
            "customer_first_name": "Ada",
            "items": [
                {"order_item_id": 100, "name": "Lamp", "price": "9.90"},
                {"order_item_id": 101, "status": "shipped"},
            ],
        },
        {
            "order_id": 11,
            "age_seconds": 60,
            "items": [
                {
                    "order_item_id": 110,
                    "progress": [{"after_seconds": 600, "status": "ready_to_ship"}],
                }
            ],
        },
    ],
}


def test_seed_section() -> None:
    clock = FakeClock()
    state = SellerCenterState.from_seed(SECTION, clock)
    assert state.accounts == {"a@x.test": "k1", "b@x.test": "k2"}
    assert (state.marketplace, state.currency) == ("Linio Test", "CLP")
    assert state.throttle == Throttle(2, 3.0)
    assert state.reasons == [("canceled", "Broken"), ("failed", "Lost")]
    assert sorted(state.orders) == [10, 11]
    assert sc_date(state.orders[10].created_at) == "2025-12-31 10:00:00"
    assert state.orders[11].created_at == clock.time() - 60
    assert state.orders[10].statuses == ["pending", "shipped"]
    state.advance(clock.time() + 539)
    assert state.items[110].status == "pending"
    state.advance(clock.time() + 540)
    assert state.items[110].status == "ready_to_ship"


def test_empty_orders_in_a_seed_means_none() -> None:
    state = SellerCenterState.from_seed({"orders": []}, FakeClock())
    assert state.orders == {} and state.accounts == {DEMO_USER: DEMO_API_KEY}


def test_order_count_seed() -> None:
    assert len(SellerCenterState.from_seed({"order_count": 7}, FakeClock()).orders) == 7


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "E018"),
        ({"CreatedBefore": SINCE}, "E018"),
        ({"CreatedAfter": "last week"}, "E017"),
        ({"CreatedAfter": SINCE, "Status": "lost"}, "E036"),
        ({"CreatedAfter": SINCE, "Limit": "0"}, "E019"),
        ({"CreatedAfter": SINCE, "Limit": "1001"}, "E019"),
        ({"CreatedAfter": SINCE, "Limit": "ten"}, "E019"),
        ({"CreatedAfter": SINCE, "Offset": "-1"}, "E014"),
        ({"CreatedAfter": SINCE, "SortBy": "price"}, "E075"),
        ({"CreatedAfter": SINCE, "SortDirection": "UP"}, "E074"),
    ],
)
def test_get_orders_errors(params: dict[str, str], code: str) -> None:
    with pytest.raises(SCError) as info:
        demo()[0].get_orders(params)
    assert info.value.code == code and info.value.message.startswith(f"{code}: ")


def test_get_orders_filters_sorts_and_pages() -> None:
    state, _clock = demo()
    page, total = state.get_orders({"UpdatedAfter": SINCE, "Limit": "10", "Offset": "5"})
    assert total == 150 and len(page) == 10
    newest, _ = state.get_orders({"CreatedAfter": SINCE, "Limit": "1"})
    oldest, _ = state.get_orders({"CreatedAfter": SINCE, "Limit": "1", "SortDirection": "asc"})
    assert newest[0].created_at > oldest[0].created_at
    pending, n = state.get_orders({"CreatedAfter": SINCE, "Status": "pending", "Limit": "1000"})
    assert n == len(pending) and all("pending" in o.statuses for o in pending)
    edge = sc_date(newest[0].created_at).replace(" ", "T")
    exact, n = state.get_orders({"CreatedAfter": edge, "CreatedBefore": edge})
    assert n == 1 and exact[0].order_id == newest[0].order_id  # bounds are inclusive


def test_get_order_and_multiple_errors() -> None:
    state, _ = demo()
    some = next(iter(state.orders))
    assert state.get_order({"OrderId": str(some)}).order_id == some
    for params, code in [
        ({}, "E001"),
        ({"OrderId": "1"}, "E016"),
        ({"OrderId": "abc"}, "E016"),
    ]:
        with pytest.raises(SCError, match=code):
            state.get_order(params)
    for raw, code in [
        ("1,2", "E056"),
        ("[1,a]", "E056"),
        ("[]", "E056"),
        ("[" + ",".join(str(300_001 + i) for i in range(101)) + "]", "E038"),
        ("[1,2]", "E039"),
        (f"[{some},2]", "E037"),
    ]:
        with pytest.raises(SCError, match=code):
            state.get_multiple({"OrderIdList": raw})
    assert [o.order_id for o in state.get_multiple({"OrderIdList": f"[ {some} ]"})] == [some]


def _item_in(state: SellerCenterState, status: str) -> int:
    return next(i.order_item_id for i in state.items.values() if i.status == status)


def test_cancel_rules() -> None:
    state, clock = demo()
    pending, shipped = _item_in(state, "pending"), _item_in(state, "shipped")
    for params, code in [
        ({"Reason": "Out of stock"}, "E001"),
        ({"OrderItemId": "1", "Reason": "Out of stock"}, "E020"),
        ({"OrderItemId": str(pending)}, "E001"),
        ({"OrderItemId": str(pending), "Reason": "Customer unreachable"}, "E022"),
        ({"OrderItemId": str(pending), "Reason": "Made up"}, "E022"),
        ({"OrderItemId": str(shipped), "Reason": "Out of stock"}, "E028"),
    ]:
        with pytest.raises(SCError, match=code):
            state.cancel(params, clock.time())
    state.cancel(
        {"OrderItemId": str(pending), "Reason": "Wrong address", "ReasonDetail": "typo"},
        clock.time() + 5,
    )
    item = state.items[pending]
    assert (item.status, item.reason, item.reason_detail) == ("canceled", "Wrong address", "typo")
    assert item.updated_at == clock.time() + 5
    with pytest.raises(SCError, match="E028"):
        state.cancel({"OrderItemId": str(pending), "Reason": "Out of stock"}, clock.time())


def test_ready_to_ship_rules() -> None:
    state, clock = demo()
    order = next(
        o for o in state.orders.values() if len(o.items) >= 2 and o.statuses == ["pending"]
    )
    other = next(o for o in state.orders.values() if o is not order and "pending" in o.statuses)
    a, b = (i.order_item_id for i in order.items[:2])
    c = next(i.order_item_id for i in other.items if i.status == "pending")
    shipped = _item_in(state, "shipped")
    for params, code in [
        ({"DeliveryType": "pickup"}, "E001"),
        ({"OrderItemIds": "[1]", "DeliveryType": "pickup"}, "E020"),
        ({"OrderItemIds": f"[{a}]"}, "E001"),
        ({"OrderItemIds": f"[{a}]", "DeliveryType": "teleport"}, "E024"),
        ({"OrderItemIds": f"[{a}]", "DeliveryType": "dropship"}, "E025"),
        ({"OrderItemIds": f"[{a},{c}]", "DeliveryType": "pickup"}, "E029"),
        ({"OrderItemIds": f"[{shipped}]", "DeliveryType": "pickup"}, "E073"),
    ]:
        with pytest.raises(SCError, match=code):
            state.ready_to_ship(params, clock.time())
    state.ready_to_ship(
        {"OrderItemIds": f"[{a},{b}]", "DeliveryType": "dropship", "ShippingProvider": "DHL",
         "TrackingNumber": "TN1"},
        clock.time(),
    )  # fmt: skip
    assert [(i.status, i.shipment_provider, i.tracking_code) for i in order.items[:2]] == [
        ("ready_to_ship", "DHL", "TN1")
    ] * 2
