"""The ``spapi`` seed section, ``--dump-seed``, and the SP-API listener of ``mwstui sandbox``."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import httpx
import pytest

from mwstui.clock import FakeClock, SystemClock
from mwstui.errors import ConfigError
from mwstui.sandbox import command
from mwstui.sandbox.sandbox import Sandbox
from mwstui.sandbox.serve import serve_in_thread
from mwstui.sandbox.spapi import demo
from tests.sandbox.conftest import small_seed

TYPE = "GET_AFN_INVENTORY_DATA"


def section(**seller: Any) -> dict[str, Any]:
    return {
        "applications": [{"client_id": "amzn1.application-oa2-client.t", "client_secret": "s"}],
        "sellers": [
            {
                "seller_id": "S1",
                "marketplaces": ["ATVPDKIKX0DER"],
                "refresh_token": "Atzr|t",
                **seller,
            }
        ],
    }


@pytest.mark.parametrize(
    ("seller", "message"),
    [
        ({"region": "XX"}, "unknown region XX"),
        ({"marketplaces": ["A1PA6795UKMFR9"]}, "needs marketplaces of region NA"),
        ({"refresh_token": ""}, "needs a refresh_token"),
        ({"client_id": "nobody"}, "unknown client_id nobody"),
        ({"reports": [{"report_type": "X"}]}, "unknown report type X"),
        ({"schedules": [{"report_type": "X", "period": "P1D"}]}, "unknown report type X"),
        ({"reports": [{"report_type": TYPE, "status": "_DONE_"}]}, "unknown report status _DONE_"),
        ({"schedules": [{"report_type": TYPE, "period": "_1_DAY_"}]}, "unknown period _1_DAY_"),
        (
            {"fulfillment_orders": [{"order_id": "O", "status": "Lost", "items": []}]},
            "unknown fulfillment",
        ),
        (
            {"fulfillment_orders": [{"order_id": "O", "cancel": "never", "items": []}]},
            "cancel must be",
        ),
    ],
)
def test_bad_sections_are_one_line_config_errors(seller: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Sandbox.create(seed=small_seed(spapi=section(**seller)), clock=FakeClock())


def test_a_hand_written_seller_is_loaded_as_written(clock: FakeClock) -> None:
    sandbox = Sandbox.create(
        seed=small_seed(
            spapi=section(
                inventory=[{"sku": "A", "quantity": 5, "price": "3.50"}],
                reports=[{"report_type": TYPE, "status": "DONE", "report_id": "7"}],
                fulfillment_orders=[
                    {"order_id": "O-1", "status": "RECEIVED", "received": -60, "cancel": "late",
                     "address": {"name": "N", "addressLine1": "L", "countryCode": "US",
                                 "postalCode": "1"},
                     "items": [{"sku": "A", "quantity": 2}]}
                ],
            )
        ),
        clock=clock,
    )  # fmt: skip
    seller = sandbox.spapi.sellers["S1"]
    assert seller.reports.reports["7"].status(clock.time()) == "DONE"
    order = seller.fulfillment.state.orders["O-1"]
    assert order.status(clock.time()) == "RECEIVED" and order.address["Name"] == "N"
    assert seller.fulfillment.behaviour["O-1"] == "late"
    assert (
        order.items[0].declared_value is not None and order.items[0].declared_value.value == "3.50"
    )
    c = sandbox.credentials
    assert (c.spapi_client_id, c.spapi_seller_id, c.spapi_region) == (
        "amzn1.application-oa2-client.t", "S1", "NA"
    )  # fmt: skip


def test_dump_seed_writes_the_spapi_section_out_and_reloads(tmp_path: Path) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        assert command.main(["--dump-seed"]) == 0
    data = json.loads(out.getvalue())
    seller = data["spapi"]["sellers"][0]
    assert "generate" not in seller and seller["seller_id"] == demo.DEMO_SELLER
    assert (
        len(seller["reports"]) > 200
        and seller["fulfillment_orders"][0]["order_id"] == "FBATestOrder-1"
    )
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(data), "utf-8")
    clock = FakeClock()
    dumped = Sandbox.create(seed=path, clock=clock)
    generated = Sandbox.create(clock=clock)
    a, b = dumped.spapi.sellers[demo.DEMO_SELLER], generated.spapi.sellers[demo.DEMO_SELLER]
    assert sorted(a.fulfillment.state.orders) == sorted(b.fulfillment.state.orders)
    assert len(a.reports.reports) == len(b.reports.reports)


def test_ready_line_lists_the_spapi_endpoint_and_demo_credentials() -> None:
    sandbox = Sandbox.create(clock=SystemClock())
    with serve_in_thread(sandbox) as served:
        info = served.ready_info()
        assert info["spapi_endpoint"] == served.spapi_endpoint
        assert info["lwa_endpoint"] == served.spapi_endpoint + "/auth/o2/token"
        assert info["spapi_client_id"] == demo.DEMO_CLIENT_ID
        assert info["spapi_client_secret"] == demo.DEMO_CLIENT_SECRET
        assert info["spapi_refresh_token"] == demo.DEMO_REFRESH_TOKEN
        assert (info["spapi_region"], info["spapi_marketplace_id"]) == ("NA", "ATVPDKIKX0DER")
        # A raw client that follows only the spec, over real loopback HTTP.
        with httpx.Client(base_url=served.spapi_endpoint) as c:
            token = c.post(
                "/auth/o2/token",
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": info["spapi_refresh_token"],
                    "client_id": info["spapi_client_id"],
                    "client_secret": info["spapi_client_secret"],
                },
            ).json()["access_token"]
            r = c.get(
                "/fba/outbound/2020-07-01/fulfillmentOrders",
                headers={"x-amz-access-token": token, "user-agent": "t/1 (Language=Python)"},
            )
            assert r.status_code == 200 and r.json()["payload"]["fulfillmentOrders"]
            assert r.headers["x-amzn-ratelimit-limit"] == "2.0"
