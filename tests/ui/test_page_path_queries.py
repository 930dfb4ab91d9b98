"""What runs on the event loop for every page and every call does not walk the DOM.

A 10,000-order load is 200 pages and 200 calls: a query per page for the table and the
status line, and one per call for the budget's table, cost more than the page's rows.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.dom import DOMNode

from mwstui.ui.activity.activity_panel import ActivityPanel
from mwstui.ui.fulfillment.fulfillment_panel import FulfillmentPanel
from mwstui.ui.widgets.budget_panel import BudgetPanel
from mwstui.ui.widgets.resource_table import TableRow
from tests.ui.harness import SIZE, Harness, make_app, settle


def count_queries(
    monkeypatch: pytest.MonkeyPatch, node: DOMNode, names: tuple[str, ...] = ("query", "query_one")
) -> list[str]:
    """Count the queries on ``node`` from now on (``query`` walks its whole subtree)."""
    seen: list[str] = []
    for name in names:
        original = getattr(node, name)

        def spy(*args: Any, _name: str = name, _original: Any = original, **kw: Any) -> Any:
            seen.append(_name)
            return _original(*args, **kw)

        monkeypatch.setattr(node, name, spy)
    return seen


def rows(start: int, n: int) -> list[TableRow]:
    return [
        TableRow(f"FO-{k:06d}", (f"FO-{k:06d}", "PLANNING", f"D{k}", None, None, "Standard"))
        for k in range(start, start + n)
    ]


async def test_pages_reach_the_table_and_status_line_without_a_query(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(FulfillmentPanel)
        table = panel.main_table()
        assert table is not None and panel.status_line() is not None
        panel.progress.begin()
        # The panel's own status words may look a widget up (``query_one`` stops at the
        # first match); what walked the whole panel each page was ``query``.
        queries = count_queries(monkeypatch, panel, ("query",))
        for page in range(5):
            panel.page_loaded(rows(page * 50, 50), pages_left=4 - page)
        assert queries == []
        assert panel.main_table() is table and table.total_rows >= 250
        line = panel.status_line()
        assert line is not None and str(line.render()).startswith("250 of")  # kept up to date


async def test_a_budget_tick_queries_nothing(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        budget = app.query_one(BudgetPanel)
        queries = count_queries(monkeypatch, budget)
        for _ in range(3):
            harness.clock.advance(7)  # figures change: cells are updated
            budget.tick()
        assert queries == []


async def test_calls_that_end_together_tick_the_budget_once(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        budget = app.query_one(BudgetPanel)
        ticks: list[int] = []
        original = budget.tick

        def tick() -> None:
            ticks.append(1)
            original()

        monkeypatch.setattr(budget, "tick", tick)
        for _ in range(5):  # five calls end before the app reads its queue
            app.post_message(BudgetPanel.CallsMade())
        await pilot.pause()
        assert ticks == [1]
        app.post_message(BudgetPanel.CallsMade())  # a later one is shown on its own
        await pilot.pause()
        assert ticks == [1, 1]


async def test_the_activity_status_line_is_not_searched_for_on_every_call(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ActivityPanel)
        panel.update_status()  # the first finds the line
        queries = count_queries(monkeypatch, panel, ("query",))
        for _ in range(5):
            panel.update_status()
        assert queries == []


async def test_a_finished_call_ticks_the_budget_without_a_query(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        budget = app.query_one(BudgetPanel)
        ticks: list[int] = []
        monkeypatch.setattr(budget, "tick", lambda: ticks.append(1))
        queries = count_queries(monkeypatch, app, ("query",))
        for _ in range(3):
            app.post_message(BudgetPanel.CallsMade())
            await pilot.pause()
        assert ticks and queries == []
