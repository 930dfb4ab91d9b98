"""A page of rows that leaves the scrollbar's thumb where it is drawn does not repaint it."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult

from mwstui.ui.widgets.resource_table import Column, ResourceTable, TableRow
from tests.ui.harness import until

COLUMNS = [Column("id", "Id"), Column("name", "Name")]


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ResourceTable(COLUMNS, sort_by="id")


def rows(keys: range, prefix: str = "k") -> list[TableRow]:
    return [TableRow(f"{prefix}{i:04d}", (f"{prefix}{i:04d}", "n")) for i in keys]


async def test_a_page_below_leaves_the_scrollbar_as_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(ResourceTable)
        table.set_rows(rows(range(1_000)))
        # Settled: the bar laid out and the focus styled (each repaints the bar once).
        await until(
            pilot,
            lambda: (
                table.has_focus
                and table.show_vertical_scrollbar
                and not app.screen._layout_required
            ),
        )
        await pilot.pause()
        bar = table.vertical_scrollbar
        repaints: list[int] = []
        original = bar.refresh

        def spy(*args: Any, **kw: Any) -> Any:
            repaints.append(1)
            return original(*args, **kw)

        monkeypatch.setattr(bar, "refresh", spy)
        table.add_rows(rows(range(1_000, 1_050)))  # a page sorted last: a 1-cell thumb stays
        await pilot.pause()
        assert repaints == []
        # Its figures follow (a drag or a click on the bar scrolls by them).
        assert bar.window_virtual_size == table.virtual_size.height == 1_051
        drawn = app.screen._compositor.render_strips()
        original()  # what a repaint would draw now: the same cells
        await pilot.pause()
        assert app.screen._compositor.render_strips() == drawn

        table.set_filter("k00")  # 100 rows: a longer thumb, so the bar is drawn again
        await pilot.pause()
        assert repaints
        assert bar.window_virtual_size == 101
