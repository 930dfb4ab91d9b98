"""Seeds: the shipped demo data, hand-written seeds, relative and absolute times, errors."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from mwstui.catalog import load_catalog
from mwstui.clock import FakeClock
from mwstui.errors import ConfigError
from mwstui.sandbox.mws import demo
from mwstui.sandbox.sandbox import Sandbox
from tests.sandbox.conftest import ACCESS_KEY, SELLER, small_seed


def test_demo_credentials_are_fixed(sandbox: Sandbox) -> None:
    c = sandbox.credentials
    assert (c.access_key, c.seller_id, c.marketplace_id) == (
        "AKIASANDBOXDEMO00001",
        "A1SANDBOXSELLER",
        "ATVPDKIKX0DER",
    )
    assert c.secret_key.reveal() == demo.DEMO_SECRET_KEY
    assert demo.DEMO_SECRET_KEY not in repr(c)
    assert c.sellercenter_user and c.sellercenter_api_key.reveal()
    assert set(c.reveal()) == {
        "access_key", "secret_key", "seller_id", "marketplace_id",
        "sellercenter_user", "sellercenter_api_key",
        "spapi_client_id", "spapi_client_secret", "spapi_refresh_token", "spapi_seller_id",
        "spapi_region", "spapi_marketplace_id",
    }  # fmt: skip


def test_demo_data_is_rich(sandbox: Sandbox) -> None:
    now = sandbox.clock.time()
    reports = sandbox.seller().reports
    statuses = Counter(r.status(now) for r in reports.requests.values())
    assert sum(statuses.values()) > 300
    assert set(statuses) == set(load_catalog().enum("report_processing_status"))
    assert len({r.report_type for r in reports.requests.values()}) > 10
    assert len(reports.reports) > 150
    assert any(r.acknowledged for r in reports.reports.values())
    assert 3 <= len(reports.schedules) <= 6
    assert any(r.scheduled for r in reports.requests.values())
    orders = sandbox.seller().fulfillment.orders
    assert 200 <= len(orders) <= 400
    assert any(o.action == "Hold" for o in orders.values())
    assert any(o.shipments and o.shipment_status(now) == "SHIPPED" for o in orders.values())
    assert sandbox.sellercenter.orders  # the SellerCenter side has its demo orders too


def test_demo_seed_is_deterministic(clock: FakeClock) -> None:
    a = Sandbox.create(clock=clock).seller()
    b = Sandbox.create(clock=clock).seller()
    assert list(a.reports.requests) == list(b.reports.requests)
    assert [r.completes for r in a.reports.requests.values()] == [
        r.completes for r in b.reports.requests.values()
    ]
    assert [o.phases for o in a.fulfillment.orders.values()] == [
        o.phases for o in b.fulfillment.orders.values()
    ]


def test_expanded_demo_seed_loads_to_the_same_data(clock: FakeClock) -> None:
    seed = demo.demo_seed()
    seller = seed["mws"]["sellers"][0]
    seed["mws"]["sellers"][0] = demo.expand_seller(seller, 0)
    dumped = json.loads(json.dumps(seed))
    a = Sandbox.create(clock=clock).seller()
    b = Sandbox.create(seed=dumped, clock=clock).seller()
    assert list(a.reports.requests) == list(b.reports.requests)
    assert list(a.fulfillment.orders) == list(b.fulfillment.orders)


def test_seed_file_with_absolute_and_relative_times(tmp_path: Path, clock: FakeClock) -> None:
    seed = small_seed()
    reqs = seed["mws"]["sellers"][0]["report_requests"]
    reqs.append(
        {
            "report_type": "_GET_AFN_INVENTORY_DATA_",
            "status": "_DONE_",
            "submitted": "2025-12-30T12:00:00Z",
            "request_id": "51799018424",
            "acknowledged": True,
        }
    )
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    sb = Sandbox.create(seed=path, clock=clock)
    req = sb.seller(SELLER).reports.requests["51799018424"]
    assert req.submitted == pytest.approx(1767096000.0)
    assert sb.seller(SELLER).reports.reports[str(req.report_id)].acknowledged
    relative = sb.seller(SELLER).reports.requests["51781018424"]
    assert relative.submitted == clock.time() - 7200
    assert sb.credentials.access_key == ACCESS_KEY


def test_generate_for_a_hand_written_seller(clock: FakeClock) -> None:
    seed = small_seed()
    seed["mws"]["sellers"][1]["generate"] = {
        "report_requests": 20,
        "fulfillment_orders": 10,
        "schedules": 2,
    }
    sb = Sandbox.create(seed=seed, clock=clock)
    other = sb.seller("A2OTHERSELLER")
    assert len(other.reports.requests) == 20 + 6  # plus the settlement reports
    assert len(other.fulfillment.orders) == 10 and len(other.reports.schedules) == 2


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda s: s.update(version=2), "version"),
        (lambda s: s["mws"].update(developers=[]), "at least one developer"),
        (lambda s: s["mws"]["sellers"][0].update(marketplaces=["XX"]), "unknown marketplace"),
        (lambda s: s["mws"]["developers"][0].update(sellers=["NOBODY"]), "unknown seller"),
        (
            lambda s: s["mws"]["sellers"][0]["report_requests"][0].update(report_type="_X_"),
            "unknown report type",
        ),
        (
            lambda s: s["mws"]["sellers"][0]["report_requests"][0].update(status="_LATE_"),
            "unknown report status",
        ),
        (
            lambda s: s["mws"]["sellers"][0]["report_requests"][0].update(submitted="noon"),
            "ISO 8601",
        ),
        (
            lambda s: s["mws"]["sellers"][0].update(fulfillment_orders=[{"order_id": "x"}]),
            "bad entry",
        ),
    ],
)
def test_bad_seeds_are_config_errors(clock: FakeClock, mutate, fragment: str) -> None:  # type: ignore[no-untyped-def]
    seed = small_seed()
    mutate(seed)
    with pytest.raises(ConfigError, match=fragment):
        Sandbox.create(seed=seed, clock=clock)


def test_unreadable_seed_file(tmp_path: Path, clock: FakeClock) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        Sandbox.create(seed=tmp_path / "missing.json", clock=clock)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        Sandbox.create(seed=bad, clock=clock)


def test_speed_makes_reports_progress_faster(clock: FakeClock) -> None:
    slow = Sandbox.create(seed=small_seed(), clock=clock).seller().reports
    fast = Sandbox.create(seed=small_seed(), clock=clock, speed=10).seller().reports
    now = clock.time()
    a = slow.add_request("_GET_MERCHANT_LISTINGS_DATA_", submitted=now)
    b = fast.add_request("_GET_MERCHANT_LISTINGS_DATA_", submitted=now)
    assert b.completes - now == pytest.approx((a.completes - now) / 10)
    with pytest.raises(ConfigError):
        Sandbox.create(seed=small_seed(), clock=clock, speed=0)


def test_the_demo_has_late_cancels_lingering_requests_and_hidden_report_ids(
    clock: FakeClock,
) -> None:
    from mwstui.sandbox.mws.demo import LATE_CANCEL_ORDERS

    sb = Sandbox.create(clock=clock)
    seller = sb.seller()
    now = clock.time()
    orders = seller.fulfillment.orders
    assert [orders[o].on_cancel for o in LATE_CANCEL_ORDERS] == ["picked", "partial"]
    assert all(orders[o].status(now + 5 * 3600) == "PLANNING" for o in LATE_CANCEL_ORDERS)
    requests = seller.reports.requests.values()
    queued = [r for r in requests if r.status(now + 15 * 60) == "_SUBMITTED_"]
    assert len(queued) >= 5
    hidden = [r for r in requests if r.status(now) == "_DONE_" and not r.lists_report_id]
    assert hidden and all(r.generated_report_id(now) is None for r in hidden)
