"""Fixtures: a FakeClock, the demo sandbox on it, a small hand-written seed."""

from __future__ import annotations

from typing import Any

import pytest

from mwstui.clock import FakeClock
from mwstui.sandbox.sandbox import Sandbox
from tests.sandbox.helpers import MWS

ACCESS_KEY = "AKIATESTKEY000000001"
SECRET_KEY = "test/Secret+Key=0123456789abcdefghijklmn"
SELLER = "A1TESTSELLER"
OTHER_SELLER = "A2OTHERSELLER"


def small_seed(**extra: Any) -> dict[str, Any]:
    """Two sellers, one developer key for both, a little inventory and a few reports."""
    seed: dict[str, Any] = {
        "version": 1,
        "rng_seed": 7,
        "mws": {
            "developers": [
                {
                    "access_key": ACCESS_KEY,
                    "secret_key": SECRET_KEY,
                    "sellers": [SELLER, OTHER_SELLER],
                },
                {
                    "access_key": "AKIAOTHERKEY00000002",
                    "secret_key": "other",
                    "sellers": [OTHER_SELLER],
                },
            ],
            "sellers": [
                {
                    "seller_id": SELLER,
                    "marketplaces": ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"],
                    "inventory": [
                        {"sku": "SKU-A", "quantity": 100, "weight_lb": 1.5},
                        {"sku": "SKU-B", "quantity": 3},
                        {"sku": "SKU-Z", "quantity": 0},
                    ],
                    "report_requests": [
                        {
                            "report_type": "_GET_MERCHANT_LISTINGS_DATA_",
                            "status": "_DONE_",
                            "submitted": -7200,
                            "request_id": "51781018424",
                            "report_id": "21175694446018424",
                        },
                        {
                            "report_type": "_GET_FLAT_FILE_ORDERS_DATA_",
                            "status": "_DONE_NO_DATA_",
                            "submitted": -3600,
                        },
                        {
                            "report_type": "_GET_AFN_INVENTORY_DATA_",
                            "status": "_SUBMITTED_",
                            "submitted": -5,
                            "request_id": "51790018424",
                        },
                    ],
                },
                {"seller_id": OTHER_SELLER, "marketplaces": ["ATVPDKIKX0DER"]},
            ],
        },
    }
    seed.update(extra)
    return seed


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> Sandbox:
    """The shipped demo seed on a FakeClock."""
    return Sandbox.create(clock=clock, debug=True)


@pytest.fixture
def small(clock: FakeClock) -> Sandbox:
    return Sandbox.create(seed=small_seed(), clock=clock, debug=True)


@pytest.fixture
def mws(sandbox: Sandbox) -> MWS:
    return MWS(sandbox)


@pytest.fixture
def small_mws(small: Sandbox) -> MWS:
    return MWS(small)
