"""After a run, rows follow what the read-backs saw; the list is read again only when needed."""

from __future__ import annotations

from typing import cast

import pytest

from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.ui.panel import Panel
from mwstui.ui.read_back import follow_read_back


class FakePanel:
    """What ``follow_read_back`` asks of a panel: whether it loads, and to reload."""

    def __init__(self, loading: bool = False) -> None:
        self.loading = loading
        self.reloads = 0

    def is_loading(self) -> bool:
        return self.loading

    def action_refresh_data(self) -> None:
        self.reloads += 1


def follow(results: dict[str, ItemResult], *, loading: bool = False) -> tuple[dict[str, str], int]:
    panel, rows, shown = FakePanel(loading), {"a": "before", "b": "before"}, []
    follow_read_back(cast(Panel, panel), results, rows, str, lambda: shown.append(dict(rows)))
    assert shown == [rows]  # shown once, with what was read
    return rows, panel.reloads


READ = ItemResult(Outcome.DONE, "now CANCELLED", read="after")


@pytest.mark.parametrize(
    ("results", "loading", "rows", "reloads"),
    [
        ({"a": READ, "b": ItemResult(Outcome.NOT_SENT, "stopped")}, False, "after before", 0),
        # Sent, and nothing read it: only a new list shows what it is now.
        ({"a": READ, "b": ItemResult(Outcome.UNKNOWN, "answer lost")}, False, "after before", 1),
        # A load running meanwhile may have read its pages before the run: list again.
        ({"a": READ}, True, "after before", 1),
    ],
)
def test_rows_follow_the_read_and_the_list_is_read_again_only_when_needed(
    results: dict[str, ItemResult], loading: bool, rows: str, reloads: int
) -> None:
    got, count = follow(results, loading=loading)
    assert " ".join(got.values()) == rows and count == reloads
