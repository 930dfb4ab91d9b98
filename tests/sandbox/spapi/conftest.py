"""Fixtures: the demo sandbox on a FakeClock and an SP-API caller for it."""

from __future__ import annotations

import pytest

from mwstui.clock import FakeClock
from mwstui.sandbox.sandbox import Sandbox
from tests.sandbox.spapi.helpers import SP


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> Sandbox:
    return Sandbox.create(clock=clock, debug=True)


@pytest.fixture
def sp(sandbox: Sandbox) -> SP:
    return SP(sandbox)
