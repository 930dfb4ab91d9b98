"""End to end: the real binary in tmux, a fulfillment order cancelled through the dialog."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.flows import cancel_planning_order, show_order, wait_for_dashboard
from tests.e2e.tmux import Tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    t = Tmux(width=120, height=40)
    home = tmp_path / "home"
    home.mkdir()
    t.start(
        [sys.executable, "-m", "mwstui", "--sandbox"],
        env={
            "HOME": str(home),
            "MWSTUI_CONFIG_DIR": str(tmp_path / "config"),
            "MWSTUI_DATA_DIR": str(tmp_path / "data"),
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        },
    )
    try:
        yield t
    finally:
        t.close()


def test_cancel_a_fulfillment_order_through_the_dialog(tmux: Tmux) -> None:
    # Every wait is bounded; together they stay under a minute.
    wait_for_dashboard(tmux)
    order_id = cancel_planning_order(tmux)
    # The order left the PLANNING filter: filter on its id to see its new status.
    show_order(tmux, order_id, "CANCELLED")
    tmux.keys("q")
    tmux.wait_for("__EXIT__0", timeout=10)
