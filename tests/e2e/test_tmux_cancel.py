"""End to end: the real binary in tmux, a fulfillment order cancelled through the dialog."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.tmux import Tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

# PLANNING lasts a quarter of an hour or more in the sandbox, so the order picked is still
# cancellable when the cancel is sent (RECEIVED may move on within a minute).
STATUS = "PLANNING"
ROW = re.compile(rf"^\W*(\S+)\s+{STATUS}\b", re.MULTILINE)
COUNT = re.compile(r"(\d+) of (\d+) orders")
TABLE_FOCUSED = "space Mark"
"""In the footer only while the orders table has the keyboard."""


def filtered(screen: str) -> bool:
    """The list shows some but not all orders: the status filter text applied."""
    m = COUNT.search(screen)
    return m is not None and 0 < int(m.group(1)) < int(m.group(2))


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
    tmux.wait_for("SANDBOX", timeout=20)
    tmux.wait_for(lambda s: "requests" in s and "updated" in s, timeout=10)
    tmux.keys("3")
    tmux.wait_for("orders · since", timeout=10)
    tmux.wait_for(lambda s: ROW.search(s) is not None, timeout=10)

    # Each key waits for its effect on screen: keys sent ahead would land elsewhere.
    tmux.keys("/")
    tmux.wait_for(lambda s: TABLE_FOCUSED not in s, timeout=5)  # the filter has the keyboard
    tmux.text(STATUS)
    screen = tmux.wait_for(filtered, timeout=5)
    tmux.keys("Enter")
    tmux.wait_for(TABLE_FOCUSED, timeout=5)
    match = ROW.search(screen)
    assert match is not None
    order_id = match.group(1)

    tmux.keys("c")
    dialog = tmux.wait_for("Keep order", timeout=5)
    assert "Cancel 1 fulfillment order" in dialog
    assert order_id in dialog
    assert all(f"{field} " in dialog for field in ("Profile", "Seller", "Marketplace", "Host"))
    tmux.keys("Tab", "Enter")  # from the safe default to "Cancel 1 order"

    done = tmux.wait_for("Done:", timeout=15)
    line = next(x for x in done.splitlines() if order_id in x and "·" in x)
    assert "now CANCELLED" in line, done
    tmux.keys("Enter")  # Close: the list reloads
    tmux.wait_for(lambda s: "Cancelling 1 fulfillment order" not in s, timeout=5)
    # The order left the PLANNING filter: filter on its id to see its new status.
    tmux.keys("/")
    tmux.wait_for(lambda s: TABLE_FOCUSED not in s, timeout=5)
    tmux.keys("C-u")
    tmux.text(order_id)
    tmux.wait_for(
        lambda s: re.search(rf"{re.escape(order_id)}\s+CANCELLED\b", s) is not None, timeout=10
    )

    tmux.keys("Enter")
    tmux.wait_for(TABLE_FOCUSED, timeout=5)
    tmux.keys("q")
    tmux.wait_for("__EXIT__0", timeout=10)
