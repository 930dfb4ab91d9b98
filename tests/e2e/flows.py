"""User flows typed into a real terminal, shared by the tmux and the SSH end-to-end tests."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.e2e.tmux import Tmux

# PLANNING lasts a quarter of an hour or more in the sandbox, so the order picked is still
# cancellable when the cancel is sent (RECEIVED may move on within a minute).
STATUS = "PLANNING"
COUNT = re.compile(r"(\d+) of (\d+) orders")
HOST = re.compile(r"host (127\.0\.0\.1:\d+)")
TABLE_FOCUSED = "space Mark"
"""In the footer only while the orders table has the keyboard."""


@dataclass(frozen=True)
class OrderWords:
    """How a service spells the order statuses the flow uses, and its seeded orders."""

    planning: str
    cancelled: str
    seeded: tuple[str, ...]
    """Id prefixes of the demo orders whose cancel Amazon accepts but does not carry out."""

    @property
    def row(self) -> re.Pattern[str]:
        """A cancellable order row: group 1 is its id."""
        skip = "|".join(map(re.escape, self.seeded))
        return re.compile(rf"^\W*((?!{skip})\S+)\s+{self.planning}\b", re.MULTILINE)


# Not the demo's late-cancel orders (SBX-FO-LATE-n): Amazon accepts their cancel but
# does not carry it out.
MWS = OrderWords(STATUS, "CANCELLED", ("SBX-FO-LATE-",))
SPAPI = OrderWords("Planning", "Cancelled", ("SBX-SP-LATE-", "SBX-SP-PARTIAL-"))
"""SP-API's model spells statuses in PascalCase (spec §6.3); its demo has two such orders."""


def filtered(screen: str) -> bool:
    """The list shows some but not all orders: the status filter text applied."""
    m = COUNT.search(screen)
    return m is not None and 0 < int(m.group(1)) < int(m.group(2))


def wait_for_dashboard(tmux: Tmux, timeout: float = 20) -> str:
    """Wait for the sandbox dashboard's first report rows; returns the MWS host shown."""
    screen = tmux.wait_for("SANDBOX", timeout=timeout)
    tmux.wait_for(lambda s: "requests" in s and "updated" in s, timeout=10)
    match = HOST.search(screen)
    assert match is not None, screen
    return match.group(1)


def cancel_planning_order(tmux: Tmux, words: OrderWords = MWS) -> str:
    """Open Fulfillment, filter PLANNING, cancel the first order through the dialog.

    Args:
        tmux: the terminal the dashboard runs in.
        words: the service's status words (MWS ``PLANNING``, SP-API ``Planning``).

    Returns:
        The id of the order cancelled (the dialog's outcome read back says CANCELLED).
    """
    row = words.row
    tmux.keys("3")
    tmux.wait_for("orders · since", timeout=10)
    tmux.wait_for(lambda s: row.search(s) is not None, timeout=10)

    # Each key waits for its effect on screen: keys sent ahead would land elsewhere. The
    # table takes the keyboard a refresh after its first rows show; "/" waits for it.
    tmux.wait_for(TABLE_FOCUSED, timeout=10)
    tmux.keys("/")
    tmux.wait_for(lambda s: TABLE_FOCUSED not in s, timeout=5)  # the filter has the keyboard
    tmux.text(words.planning)
    screen = tmux.wait_for(lambda s: filtered(s) and row.search(s) is not None, timeout=5)
    tmux.keys("Enter")
    tmux.wait_for(TABLE_FOCUSED, timeout=5)
    match = row.search(screen)
    assert match is not None
    order_id = match.group(1)
    # The cursor is on the first row, which may be a seeded order: narrow to the one picked.
    show_order(tmux, order_id, words.planning)

    tmux.keys("c")
    dialog = tmux.wait_for("Keep order", timeout=5)
    assert "Cancel 1 fulfillment order" in dialog
    assert order_id in dialog
    assert all(f"{field} " in dialog for field in ("Profile", "Seller", "Marketplace", "Host"))
    tmux.keys("Tab", "Enter")  # from the safe default to "Cancel 1 order"

    tmux.wait_for("Done:", timeout=15)
    # The outcome cell can be drawn a frame before its column has widened to it
    # ("done · n"): wait for the whole outcome rather than read the first frame.
    done = tmux.wait_for(
        lambda s: any(order_id in x and "now " in x for x in s.splitlines()), timeout=5
    )
    line = next(x for x in done.splitlines() if order_id in x and "·" in x)
    assert f"now {words.cancelled}" in line, done
    tmux.keys("Enter")  # Close: the list reloads
    tmux.wait_for(lambda s: "Cancelling 1 fulfillment order" not in s, timeout=5)
    return order_id


def show_order(tmux: Tmux, order_id: str, status: str) -> None:
    """Filter the orders list on one id and wait until it shows ``status``."""
    tmux.wait_for(TABLE_FOCUSED, timeout=10)
    tmux.keys("/")
    tmux.wait_for(lambda s: TABLE_FOCUSED not in s, timeout=5)
    tmux.keys("C-u")
    tmux.text(order_id)
    tmux.wait_for(
        lambda s: re.search(rf"{re.escape(order_id)}\s+{status}\b", s) is not None, timeout=10
    )
    tmux.keys("Enter")
    tmux.wait_for(TABLE_FOCUSED, timeout=5)
