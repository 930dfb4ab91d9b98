"""Fixtures for the UI tests: a Session on the in-process sandbox, (see harness.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.harness import Harness, sandbox_session


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    """A fresh sandbox, FakeClock, governor, journal and session (not read-only)."""
    return sandbox_session(tmp_path)


@pytest.fixture
def ro_harness(tmp_path: Path) -> Harness:
    """The same, read-only."""
    return sandbox_session(tmp_path, read_only=True)


@pytest.fixture
def spapi_harness(tmp_path: Path) -> Harness:
    """A session whose Amazon half is the SP-API simulator (SellerCenter beside it)."""
    return sandbox_session(tmp_path, service="spapi")


@pytest.fixture
def spapi_ro_harness(tmp_path: Path) -> Harness:
    """The same, read-only."""
    return sandbox_session(tmp_path, service="spapi", read_only=True)
