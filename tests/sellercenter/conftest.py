"""Fixtures: a demo SellerCenter sandbox on a FakeClock and a client wired to it in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from mwstui.clock import FakeClock
from mwstui.sandbox.sellercenter.app import create_sellercenter_app
from mwstui.sandbox.sellercenter.state import DEMO_API_KEY, DEMO_USER, SellerCenterState
from mwstui.secret import Secret
from mwstui.sellercenter.client import SellerCenterClient
from mwstui.throttle.governor import Governor
from tests.sellercenter.helpers import MemoryJournal, Records

ENDPOINT = "http://sc.sandbox.test"
MakeClient = Callable[..., SellerCenterClient]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def state(clock: FakeClock) -> SellerCenterState:
    return SellerCenterState.from_seed(None, clock)


@pytest.fixture
def app(state: SellerCenterState, clock: FakeClock) -> Any:
    return create_sellercenter_app(state, clock)


@pytest.fixture
def journal() -> MemoryJournal:
    return MemoryJournal()


@pytest.fixture
def records() -> Records:
    return Records()


@pytest.fixture
async def make_client(
    app: Any, clock: FakeClock, journal: MemoryJournal, records: Records
) -> AsyncIterator[MakeClient]:
    """Build clients against the sandbox; keyword arguments override the defaults."""
    made: list[SellerCenterClient] = []

    def build(**kw: Any) -> SellerCenterClient:
        client_clock = kw.pop("clock", clock)
        args: dict[str, Any] = {
            "endpoint": ENDPOINT,
            "user_id": DEMO_USER,
            "api_key": Secret(DEMO_API_KEY),
            "governor": Governor(client_clock),
            "clock": client_clock,
            "transport": httpx.ASGITransport(app=app),
            "journal": journal,
            "profile": "demo",
        }
        args.update(kw)
        client = SellerCenterClient(**args)
        client.add_observer(records)
        made.append(client)
        return client

    yield build
    for c in made:
        await c.aclose()


@pytest.fixture
def client(make_client: MakeClient) -> SellerCenterClient:
    return make_client()


def since(clock: FakeClock, days: float = 90) -> Any:
    """A CreatedAfter/UpdatedAfter bound ``days`` before now."""
    return clock.now() - timedelta(days=days)
