"""After a run: the rows as the run's read-backs saw them, the list again only when needed.

Every cancel is read back (``backend/readback.py``), and its result carries the record it
read; a panel shows those instead of fetching every page again (a 10-page report list
costs minutes of throttle). Fulfillment and Reports follow the same rule, here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from mwstui.backend.outcomes import ItemResult, records_read
from mwstui.ui.panel import Panel

R = TypeVar("R")


def follow_read_back(
    panel: Panel,
    results: Mapping[str, ItemResult],
    rows: dict[str, R],
    kind: type[R],
    show: Callable[[], None],
) -> None:
    """Put what the read-backs saw into ``rows`` and show it; list again only when needed.

    Args:
        panel: the panel the run was for (it reloads when needed).
        results: the run's results, by item.
        rows: the panel's records by key, updated in place.
        kind: the record the panel shows (a read of anything else is ignored).
        show: redraws the panel's table from ``rows`` (its filters apply).
    """
    seen, unread = records_read(results, kind)
    rows.update(seen)
    show()
    # An item sent that nothing read would show what it was before the run; so would a
    # load that was running meanwhile (its pages may predate the run, and it ends by
    # replacing the rows): only a new list shows those as they are.
    if unread or panel.is_loading():
        panel.action_refresh_data()
