"""ResourceTable: literal cells, minimal redraws, marks, sort, filter and export."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Input

from mwstui.ui.text.csv_export import LazyRows
from mwstui.ui.widgets.field_input import FieldInput
from mwstui.ui.widgets.resource_table import MARK, Column, ResourceTable, TableRow
from tests.ui.harness import until

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


async def test_unchanged_data_does_not_repaint_and_a_changed_cell_repaints_its_line(
    monkeypatch: Any,
) -> None:
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ResourceTable)
        table.set_rows(rows(("a", "x", 1), ("b", "y", 2)))
        await pilot.pause()
        calls: list[tuple[object, ...]] = []
        original = table.refresh

        def spy(*regions: Any, **kw: Any) -> Any:
            calls.append(regions)
            return original(*regions, **kw)

        monkeypatch.setattr(table, "refresh", spy)
        table.set_rows(rows(("a", "x", 1), ("b", "y", 2)))
        assert calls == []
        table.set_rows(rows(("a", "x", 1), ("b", "z", 2)))
        assert len(calls) == 1 and len(calls[0]) == 1
        region = calls[0][0]
        assert isinstance(region, Region) and region.height == 1 and region.y == 2
        await pilot.pause()
        assert shown(table)[1][2] == "z"


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


class Counting:
    """A column's export and render that count their calls."""

    def __init__(self) -> None:
        self.exports = 0
        self.renders = 0

    def export(self, value: Any) -> str:
        self.exports += 1
        return str(value)

    def render(self, value: Any) -> Text:
        self.renders += 1
        return Text(str(value))


def counting_app(count: Counting, markable: bool = True) -> App[None]:
    columns = [
        Column("id", "Id"),
        Column("name", "Name", render=count.render, export=count.export),
    ]

    class BigApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ResourceTable(columns, markable=markable, sort_by="id")

    return BigApp()


def big(n: int) -> list[TableRow]:
    # 40 % of the names contain "x": the keystroke that hides the other 60 % and back.
    return [
        TableRow(f"{i:06d}", (f"{i:06d}", f"{'x' if i % 5 < 2 else 'y'}-{i}")) for i in range(n)
    ]


async def test_a_keystroke_costs_no_per_row_export_and_draws_only_the_screen() -> None:
    count = Counting()
    app = counting_app(count)
    async with app.run_test(size=(80, 20)) as pilot:
        table = app.query_one(ResourceTable)
        table.set_rows(big(20_000))
        await pilot.pause()
        exports = count.exports
        assert exports == 20_000  # each row's search key, once
        count.renders = 0
        for text in ("x", "x-", "x-1", "x-", "", "y"):
            table.set_filter(text)
            await pilot.pause()
        assert count.exports == exports  # no row's text exported again
        assert count.renders <= 6 * 20  # a screenful per keystroke, not 20,000 rows
        assert table.row_count == 12_000 and table.total_rows == 20_000


async def test_pages_arrive_under_a_filter_marks_and_cursor_kept() -> None:
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ResourceTable)
        table.focus()
        table.add_rows(rows(("b", "apple", 1), ("d", "pear", 2)))
        table.set_filter("app")  # typed before the next page arrives
        await pilot.pause()
        await pilot.press("space")
        assert table.marked == {"b"}
        table.add_rows(rows(("a", "apple pie", 3), ("c", "plum", 4)))
        await pilot.pause()
        assert [r.key for r in table.visible_rows()] == ["a", "b"]
        assert table.cursor_key == "b"  # the new row above did not move the cursor off "b"
        table.set_filter("")
        await pilot.pause()
        assert [r.key for r in table.visible_rows()] == ["a", "b", "c", "d"]
        assert table.marked == {"b"} and table.cursor_key == "b"
        table.add_rows(rows(("b", "apple (changed)", 1)))  # a known key: updated in place
        assert table.total_rows == 4 and table.row("b") == rows(("b", "apple (changed)", 1))[0]


async def test_first_and_last_row_keys() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 8)) as pilot:
        table = app.query_one(ResourceTable)
        table.set_rows(rows(*((f"k{i:03d}", "n", i) for i in range(100))))
        table.focus()
        for key, row in (("G", 99), ("g", 0), ("end", 99), ("home", 0)):
            await pilot.press(key)
            assert table.cursor_row == row, key
        await pilot.press("end")
        assert table.scroll_y > 0  # the last row is in view


async def test_sort_and_mark_all_on_100_000_rows_stay_correct() -> None:
    count = Counting()
    app = counting_app(count)
    async with app.run_test(size=(80, 20)) as pilot:
        table = app.query_one(ResourceTable)
        data = big(100_000)
        table.set_rows(reversed(data))
        table.set_filter("x-")
        await pilot.pause()
        assert table.row_count == 40_000
        table.sort_on("id")  # the same column: reversed
        assert table.visible_rows()[0].key == "099996"
        table.action_mark_all()
        assert len(table.marked) == 40_000
        assert table.selected_keys()[:2] == ["099996", "099995"]
        _, exported = table.export()
        assert len(exported) == 40_000 and exported[0] == ["099996", "x-99996"]
        assert list(LazyRows(table.visible_rows(), table.export_row)) == exported


async def test_a_page_below_the_screen_repaints_no_line_in_view(monkeypatch: Any) -> None:
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(ResourceTable)
        table.set_rows(rows(*((f"k{i:04d}", "n", i) for i in range(1_000))))
        await pilot.pause()
        whole: list[int] = []
        original = table.refresh

        def spy(*regions: Any, **kw: Any) -> Any:
            if not regions:
                whole.append(1)
            return original(*regions, **kw)

        monkeypatch.setattr(table, "refresh", spy)
        table.add_rows(rows(("k9000", "n", 1), ("k9001", "n", 2)))  # sorted last
        await pilot.pause()
        assert whole == [] and table.row_count == 1_002
        assert table.virtual_size.height == 1_003  # the scrollbar knows about them
        table.add_rows(rows(("a0000", "n", 3)))  # sorted first: every line moves down
        await pilot.pause()
        assert whole
        assert shown(table)[0][1] == "a0000"


async def test_typing_in_a_filter_lays_nothing_out() -> None:
    class FilterApp(App[None]):
        CSS = "ResourceTable { height: 1fr; }"  # as in every panel

        def compose(self) -> ComposeResult:
            yield FieldInput(id="filter")
            yield ResourceTable(COLUMNS, sort_by="id")

        @on(Input.Changed)
        def _changed(self, event: Input.Changed) -> None:
            self.query_one(ResourceTable).set_filter(event.value)

    app = FilterApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(ResourceTable)
        table.set_rows(rows(*((f"k{i:03d}", f"name {i}", i) for i in range(300))))
        app.query_one(FieldInput).focus()
        await pilot.press("x", "backspace")  # the field's first keys, and the mount, settle
        await until(pilot, lambda: not app.screen._layout_required and table.filter_text == "")
        await pilot.pause()
        layouts: list[int] = []
        original = app.screen._refresh_layout

        def count(*args: Any, **kw: Any) -> None:
            layouts.append(1)
            original(*args, **kw)

        app.screen._refresh_layout = count  # type: ignore[method-assign]
        await pilot.press("1", "2", "backspace", "backspace", "k")
        await pilot.pause()
        assert table.filter_text == "k" and table.row_count == 300
        # Each key repainted the field and the table; none laid the whole screen out.
        assert layouts == []
