"""The SellerCenter rules the orders panel used to hold, each now in the adapter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mwstui.backend.models import CancelReason, OrderItem
from mwstui.catalog import load_catalog
from mwstui.sellercenter.backend import DETAIL_LIMIT, SellerCenterOrders, item_statuses
from tests.contract.rig import make_rig


@pytest.fixture
def orders(tmp_path: Path) -> Iterator[SellerCenterOrders]:
    rig = make_rig(tmp_path)
    backend = rig.session.backends.orders
    assert isinstance(backend, SellerCenterOrders)
    yield backend
    rig.journal.close()


def _item(item_id: str, order_id: str, status: str = "pending") -> OrderItem:
    return OrderItem(item_id, order_id, item_statuses()(status), name="Lamp", sku="SKU-1")


OFFERED = (CancelReason("Out of stock", "canceled"), CancelReason("Customer request", "canceled"))


def test_the_list_opens_on_pending_and_filters_by_the_catalog(
    orders: SellerCenterOrders,
) -> None:
    found = orders.status_filter
    assert found.values == tuple(load_catalog().sellercenter["order_status_filter"])
    assert found.default == "pending"


def test_a_reason_is_required_and_must_be_offered(orders: SellerCenterOrders) -> None:
    assert orders.check_reason(None, OFFERED) == "Pick a reason: SetStatusToCanceled requires one."
    assert orders.check_reason("", OFFERED) is not None
    assert "not one of the offered reasons" in (orders.check_reason("Typo", OFFERED) or "")
    assert orders.check_reason("Out of stock", OFFERED) is None


def test_the_detail_is_optional_and_bounded(orders: SellerCenterOrders) -> None:
    assert orders.detail_limit == DETAIL_LIMIT == 255
    assert orders.check_detail("") is None
    assert orders.check_detail("x" * DETAIL_LIMIT) is None
    assert orders.check_detail("x" * (DETAIL_LIMIT + 1)) == (
        f"ReasonDetail is longer than {DETAIL_LIMIT} characters ({DETAIL_LIMIT + 1})"
    )


def test_a_plan_of_one_orders_items_names_the_order(orders: SellerCenterOrders) -> None:
    rows = {"1": _item("1", "700"), "2": _item("2", "700"), "3": _item("3", "800")}
    one = orders.plan_cancel_items(["1", "2"], rows, OFFERED[0])
    assert one.title == "Cancel 2 order items of order 700"
    assert [i.label for i in one.items] == ["1 · Lamp (SKU-1)", "2 · Lamp (SKU-1)"]
    two = orders.plan_cancel_items(["1", "3"], rows, OFFERED[0])
    assert two.title == "Cancel 2 order items"


def test_only_pending_items_are_taken_and_the_others_say_why(orders: SellerCenterOrders) -> None:
    rows = {"1": _item("1", "700"), "2": _item("2", "700", "shipped")}
    plan = orders.plan_cancel_items(["1", "2"], rows, None)
    assert plan.keys() == ["1"]
    assert [(s.label, s.reason) for s in plan.skipped] == [
        ("2 · Lamp (SKU-1)", "status shipped, not pending")
    ]
