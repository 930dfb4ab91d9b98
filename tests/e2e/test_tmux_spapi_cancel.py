"""End to end: the real binary in tmux, switched to the sandbox's SP-API demo with P, an
SP-API fulfillment order cancelled through the dialog and read back."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mwstui.clock import SystemClock
from mwstui.journal.store import Journal
from mwstui.settings import locations
from mwstui.settings.locations import sandbox_journal_file
from tests.e2e.flows import SPAPI, cancel_planning_order, show_order, wait_for_dashboard
from tests.e2e.tmux import Tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

SPAPI_HEADER = re.compile(r"SP-API NA profile sandbox-spapi .*host (127\.0\.0\.1:\d+)", re.DOTALL)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return {
        "HOME": str(home),
        locations.ENV_CONFIG_DIR: str(tmp_path / "config"),
        locations.ENV_DATA_DIR: str(tmp_path / "data"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }


@pytest.fixture
def tmux(env: dict[str, str]) -> Iterator[Tmux]:
    t = Tmux(width=120, height=40)
    t.start([sys.executable, "-m", "mwstui", "--sandbox"], env=env)
    try:
        yield t
    finally:
        t.close()


def test_cancel_an_spapi_fulfillment_order_after_switching_to_the_spapi_demo(
    tmux: Tmux, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every wait is bounded; together they stay under a minute.
    mws_host = wait_for_dashboard(tmux)
    tmux.keys("P")
    tmux.wait_for(lambda s: "Switch profile" in s and "sandbox-spapi" in s, timeout=10)
    tmux.keys("Down", "Enter")  # from the MWS demo (current) to the SP-API one
    screen = tmux.wait_for(lambda s: SPAPI_HEADER.search(s) is not None, timeout=20)
    match = SPAPI_HEADER.search(screen)
    assert match is not None and match.group(1) != mws_host  # the SP-API listener

    order_id = cancel_planning_order(tmux, SPAPI)
    # The order left the Planning filter: filter on its id to see its new status.
    show_order(tmux, order_id, SPAPI.cancelled)
    tmux.keys("q")
    tmux.wait_for("__EXIT__0", timeout=10)

    # The journal of the demo says what was sent, to whom, and how it ended.
    monkeypatch.setenv(locations.ENV_DATA_DIR, env[locations.ENV_DATA_DIR])
    journal = Journal(path=sandbox_journal_file(), clock=SystemClock())
    try:
        (entry,) = [e for e in journal.entries() if e.operation == "cancelFulfillmentOrder"]
    finally:
        journal.close()
    assert entry.service == "spapi" and entry.items == (order_id,)
    assert entry.status == "ok" and entry.request_id and entry.profile == "sandbox-spapi"
