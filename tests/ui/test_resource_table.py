"""ResourceTable: literal cells, minimal redraws, marks, sort, filter and export."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult

from mwstui.ui.resource_table import MARK, Column, ResourceTable, TableRow

COLUMNS = [Column("id", "Id"), Column("name", "Name"), Column("n", "N")]


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ResourceTable(COLUMNS, markable=True, sort_by="id")


def rows(*items: tuple[str, str, int | None]) -> list[TableRow]:
    return [TableRow(i, (i, name, n)) for i, name, n in items]


def shown(table: ResourceTable) -> list[list[str]]:
    return [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_cells_are_literal_and_sorted() -> None:
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ResourceTable)
        table.set_rows(rows(("b", "[b]bold?[/b]", 2), ("a", "\x1b[31mred", 1)))
        await pilot.pause()
        assert shown(table) == [[" ", "a", "[31mred", "1"], [" ", "b", "[b]bold?[/b]", "2"]]


async def test_unchanged_data_does_not_touch_cells(monkeypatch: Any) -> None:
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ResourceTable)
        data = rows(("a", "x", 1), ("b", "y", 2))
        table.set_rows(data)
        await pilot.pause()
        calls: list[tuple[object, ...]] = []
        original = table.update_cell

        def spy(*args: Any, **kw: Any) -> None:
            calls.append(args)
            original(*args, **kw)

        def no_rebuild() -> None:
            raise AssertionError("rebuilt")

        monkeypatch.setattr(table, "update_cell", spy)
        monkeypatch.setattr(table, "clear", lambda *a, **k: no_rebuild())
        table.set_rows(rows(("a", "x", 1), ("b", "y", 2)))
        assert calls == []
        table.set_rows(rows(("a", "x", 1), ("b", "z", 2)))
        assert [(c[0], c[1]) for c in calls] == [("b", "name")]


async def test_marks_selection_and_cursor_fallback() -> None:
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ResourceTable)
        table.set_rows(rows(("a", "x", 1), ("b", "y", 2), ("c", "z", 3)))
        table.focus()
        await pilot.pause()
        assert table.selected_keys() == ["a"]
        await pilot.press("down", "space", "down", "space")
        assert table.selected_keys() == ["b", "c"]
        assert shown(table)[1][0] == MARK
        await pilot.press("a")
        assert table.selected_keys() == ["a", "b", "c"]
        await pilot.press("a")
        assert table.marked == set()
        table.set_marks(["a", "c", "zz"])
        assert table.marked == {"a", "c"}
        table.set_rows(rows(("a", "x", 1)))
        assert table.marked == {"a"}


async def test_sort_keys_none_last_and_reverse() -> None:
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ResourceTable)
        table.set_rows(rows(("a", "x", 2), ("b", "y", None), ("c", "z", 10)))
        table.sort_on("n")
        await pilot.pause()
        assert [r[1] for r in shown(table)] == ["a", "c", "b"]
        table.sort_on("n")
        await pilot.pause()
        assert [r[1] for r in shown(table)] == ["c", "a", "b"]
        assert "▼" in table.columns["n"].label.plain


async def test_filter_and_export_use_visible_rows() -> None:
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ResourceTable)
        table.set_rows(rows(("a", "Apple", 1), ("b", "banana", None), ("c", "cherry", 3)))
        table.set_filter("AN")
        await pilot.pause()
        assert table.row_count == 1
        headers, data = table.export()
        assert headers == ["id", "name", "n"]
        assert data == [["b", "banana", ""]]


async def test_cursor_stays_on_the_same_key_across_resort() -> None:
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ResourceTable)
        table.set_rows(rows(("a", "x", 3), ("b", "y", 2), ("c", "z", 1)))
        await pilot.pause()
        table.move_to_key("b")
        table.sort_on("n")
        await pilot.pause()
        assert table.cursor_key == "b"
        assert table.cursor_row == 1
