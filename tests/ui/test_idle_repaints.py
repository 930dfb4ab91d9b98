"""While idle only what changed is repainted: budget cells, never the whole table or a layout."""

from __future__ import annotations

from typing import Any

import pytest
from rich.text import Text
from textual.geometry import Region
from textual.widgets import Static

from mwstui.ui.reports.reports_panel import ReportsPanel
from mwstui.ui.widgets.budget_panel import BudgetPanel, _BudgetTable
from tests.ui.harness import SIZE, Harness, make_app, settle


def spy_refresh(monkeypatch: pytest.MonkeyPatch, widget: Any) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []
    original = widget.refresh

    def refresh(*regions: Region, **kwargs: Any) -> Any:
        calls.append((regions, kwargs))
        return original(*regions, **kwargs)

    monkeypatch.setattr(widget, "refresh", refresh)
    return calls


async def test_a_budget_tick_repaints_only_the_cells_that_changed(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        budget = app.query_one(BudgetPanel)
        table = budget.query_one(_BudgetTable)
        budget.tick()
        await pilot.pause()
        before = [table.get_row_at(i) for i in range(table.row_count)]
        widths = {key: c.get_render_width(table) for key, c in table.columns.items()}
        calls = spy_refresh(monkeypatch, table)
        harness.clock.advance(30)  # tokens come back: figures change, widths do not
        budget.tick()
        await pilot.pause()
        after = [table.get_row_at(i) for i in range(table.row_count)]
        assert after != before
        changed = sum(
            a != b
            for row_a, row_b in zip(after, before, strict=True)
            for a, b in zip(row_a, row_b, strict=True)
        )
        cell_repaints = [regions for regions, kwargs in calls if regions]
        assert len(cell_repaints) == changed and all(len(r) == 1 for r in cell_repaints)
        assert all(r[0].height == 1 for r in cell_repaints)
        assert all(not kwargs.get("layout") for _, kwargs in calls)
        assert not [c for c in calls if not c[0]]  # never the whole table
        assert {key: c.get_render_width(table) for key, c in table.columns.items()} == widths
        # What is on screen is the new figure.
        y = table.header_height
        shown = table.render_line(y).text
        assert after[0][1].plain in shown and after[0][2].plain in shown


async def test_a_figure_that_grows_or_shrinks_resizes_its_column(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        budget = app.query_one(BudgetPanel)
        table = budget.query_one(_BudgetTable)
        row = budget._order[0]
        column = table.columns[next(k for k in table.columns if k.value == "next")]
        original = table.get_cell(row, "next")
        start = column.content_width
        table.update_cell(row, "next", Text("blocked to 10:32:00"), update_width=True)
        await pilot.pause()
        assert column.content_width == len("blocked to 10:32:00") > start
        table.update_cell(row, "next", original, update_width=True)
        await pilot.pause()
        assert column.content_width == start
        with pytest.raises(Exception, match="No cell exists"):
            table.update_cell("nope", "next", Text("x"))


async def test_the_status_line_ticks_without_a_relayout(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        line = panel.query_one("#reports-status-line", Static)
        calls = spy_refresh(monkeypatch, line)
        text = panel._status_text
        harness.clock.advance(17)
        panel.update_status()
        assert panel._status_text != text and "updated 10 s ago" in panel._status_text
        assert calls and all(kwargs.get("layout") is False for _, kwargs in calls)
        assert "updated 10 s ago" in str(line.render())


async def test_an_idle_status_line_is_redrawn_once_in_ten_seconds(harness: Harness) -> None:
    # "updated N s ago" ticking each second re-sent the whole line: ~220 B/s over SSH.
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        shown = []
        for _ in range(20):
            harness.clock.advance(1)
            panel.update_status()
            if not shown or shown[-1] != panel._status_text:
                shown.append(panel._status_text)
        # "just now", "10 s ago", "20 s ago": three texts in twenty seconds, not twenty.
        assert [t.split(" · ")[2] for t in shown] == [
            "updated just now",
            "updated 10 s ago",
            "updated 20 s ago",
        ]


async def test_a_status_line_sized_by_its_text_is_laid_out_when_its_width_changes(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        line = Static()
        line.styles.width = "auto"
        line.styles.height = 1
        await panel.mount(line)
        calls = spy_refresh(monkeypatch, line)
        panel._status_text = "updated 9 s ago"
        panel._show_status(line, Text("updated 10 s ago"))
        panel._show_status(line, Text("updated 11 s ago"))
        assert [kwargs.get("layout") for _, kwargs in calls] == [True, False]
