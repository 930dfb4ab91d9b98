"""A DataTable of service records: literal cells, minimal redraws, marks, sorting and export."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, RowDoesNotExist, RowKey

from mwstui.ui.safe_text import cell, plain

MARK = "●"
REMOVE_LIMIT = 20
"""Above this many vanished rows (and more than remain) the table is rebuilt instead."""
MARK_COLUMN = "_mark"
MAX_WIDTH = 48
"""Cells of a column sized to its content stop growing here and end in an ellipsis: one
10,000-character comment must not push every other column out of sight (search, CSV,
copy id and the detail views keep the whole value)."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its key, header label and how a raw value is shown.

    Attributes:
        key: column key (also the CSV header when exported).
        label: header text (ours, trusted).
        render: raw value → cell ``Text``; defaults to ``safe_text.cell``.
        export: raw value → CSV text; defaults to ``safe_text.plain``.
        width: a fixed width (longer cells end in an ellipsis), or None to fit the content.
        max_width: with ``width`` None, the widest the column grows (cells beyond it end
            in an ellipsis).
    """

    key: str
    label: str
    render: Callable[[Any], Text] = cell
    export: Callable[[Any], str] = plain
    width: int | None = None
    max_width: int = MAX_WIDTH


@dataclass(frozen=True, slots=True)
class TableRow:
    """One record: a stable key (the service id) and raw values in column order."""

    key: str
    values: tuple[Any, ...]


def _sort_key(value: Any) -> tuple[int, Any]:
    # Absent values sort last whichever the direction; mixed types compare as text.
    if value is None or value == "":
        return (1, "")
    if isinstance(value, bool | int | float):
        return (0, (0, value, ""))
    if hasattr(value, "timestamp"):
        return (0, (0, value.timestamp(), ""))
    return (0, (1, 0, str(value).casefold()))


class ResourceTable(DataTable[Text]):
    """Rows of service records, redrawn only where a cell changed.

    ``set_rows`` takes the full list; the table filters it (``filter_text``), sorts it
    (``sort_by``) and touches only what differs from what is on screen, so a refresh
    that brings nothing new does not redraw. With ``markable`` a first column shows
    marks toggled by space; ``selected_keys`` is what a bulk action works on.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_mark", "Mark"),
        Binding("a", "mark_all", "Mark all", show=False),
        Binding("s", "sort_next", "Sort", show=False),
        Binding("S", "sort_reverse", "Reverse sort", show=False),
    ]

    class MarksChanged(Message):
        """The set of marked rows changed."""

    class RowsShown(Message):
        """The visible rows changed (new data, filter or sort)."""

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        markable: bool = False,
        sort_by: str | None = None,
        sort_reverse: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id, classes=classes)
        self.specs = list(columns)
        self.markable = markable
        self.sort_by = sort_by
        self.sort_reverse = sort_reverse
        self.filter_text = ""
        self.marked: set[str] = set()
        self._all: list[TableRow] = []
        self._shown: dict[str, tuple[Text, ...]] = {}
        self._order: list[str] = []

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        # A row painted before its column widths were measured stays in DataTable's row
        # cache with the old widths (the cache key ignores widths): forget those rows.
        self._clear_caches()

    # -- data ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        if self.markable:
            self.add_column(Text(MARK, style="dim"), key=MARK_COLUMN, width=1)
        for spec in self.specs:
            label = spec.label
            if spec.key == self.sort_by:
                label += " ▼" if self.sort_reverse else " ▲"
            self.add_column(Text(label), key=spec.key, width=spec.width)

    def set_rows(self, rows: Iterable[TableRow]) -> None:
        """Replace the data; only changed cells are redrawn."""
        self._all = list(rows)
        keys = {r.key for r in self._all}
        if self.marked - keys:
            self.marked &= keys
            self.post_message(self.MarksChanged())
        self._sync()

    def set_filter(self, text: str) -> None:
        """Show only rows with a cell containing ``text`` (case-insensitive)."""
        self.filter_text = text.strip()
        self._sync()

    def visible_rows(self) -> list[TableRow]:
        """The rows on screen, filtered and sorted, in display order."""
        needle = self.filter_text.casefold()
        rows = [r for r in self._all if not needle or needle in self._haystack(r)]
        if self.sort_by is not None:
            i = self._index(self.sort_by)
            rows.sort(key=lambda r: _sort_key(r.values[i]), reverse=self.sort_reverse)
            if self.sort_reverse:
                # Keep absent values last when reversed too.
                rows.sort(key=lambda r: _sort_key(r.values[i])[0])
        return rows

    def _haystack(self, row: TableRow) -> str:
        return " ".join(
            s.export(v) for s, v in zip(self.specs, row.values, strict=False)
        ).casefold()

    def _index(self, key: str) -> int:
        return next(i for i, s in enumerate(self.specs) if s.key == key)

    def _cells(self, row: TableRow) -> tuple[Text, ...]:
        cells = tuple(s.render(v) for s, v in zip(self.specs, row.values, strict=False))
        for spec, text in zip(self.specs, cells, strict=False):
            if spec.width is not None:
                text.no_wrap, text.overflow = True, "ellipsis"
            elif text.cell_len > spec.max_width:
                text.truncate(spec.max_width, overflow="ellipsis")
        if self.markable:
            mark = Text(MARK, style="bold") if row.key in self.marked else Text(" ")
            cells = (mark, *cells)
        return cells

    def _column_keys(self) -> list[str]:
        keys = [s.key for s in self.specs]
        return [MARK_COLUMN, *keys] if self.markable else keys

    def _sync(self) -> None:
        if not self.is_mounted:
            return
        rows = self.visible_rows()
        wanted = [r.key for r in rows]
        wanted_set = set(wanted)
        gone = {k for k in self._order if k not in wanted_set}
        keep_cursor = self.cursor_key
        if len(gone) > max(REMOVE_LIMIT, len(wanted)):
            # Removing rows one by one costs more than redrawing the few that remain.
            self._rebuild(rows, keep_cursor)
            self.post_message(self.RowsShown())
            return
        for key in gone:
            self.remove_row(key)
            self._shown.pop(key, None)
        self._order = [k for k in self._order if k not in gone]
        if wanted[: len(self._order)] != self._order:
            self._rebuild(rows, keep_cursor)
        else:
            columns = self._column_keys()
            for row in rows[: len(self._order)]:
                cells = self._cells(row)
                old = self._shown.get(row.key)
                if old == cells:
                    continue
                for col, new, before in zip(columns, cells, old or (), strict=False):
                    if new != before:
                        self._update(row.key, col, new)
                self._shown[row.key] = cells
            for row in rows[len(self._order) :]:
                self._append(row)
        self.post_message(self.RowsShown())

    def _update(self, key: str, column: str, value: Text) -> None:
        # A cell that grows past its column ("pending" → "canceled") widens the column;
        # one that shrinks leaves it be (narrowing would re-measure the whole column).
        current = self.columns.get(ColumnKey(column))
        grows = (
            current is not None and current.auto_width and value.cell_len > current.content_width
        )
        self.update_cell(key, column, value, update_width=grows)

    def _append(self, row: TableRow) -> None:
        cells = self._cells(row)
        self.add_row(*cells, key=row.key)
        self._shown[row.key] = cells
        self._order.append(row.key)

    def _rebuild(self, rows: list[TableRow], keep_cursor: str | None) -> None:
        self.clear()
        self._shown.clear()
        self._order = []
        for row in rows:
            self._append(row)
        if keep_cursor is not None:
            self.move_to_key(keep_cursor)

    def refresh_columns(self) -> None:
        """Rebuild headers and rows (after the sort changed)."""
        keep = self.cursor_key
        self.clear(columns=True)
        self._shown.clear()
        self._order = []
        self._add_columns()
        self._sync()
        if keep is not None:
            self.move_to_key(keep)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.markable or action not in ("toggle_mark", "mark_all")

    # -- cursor and marks -------------------------------------------------------------------

    @property
    def cursor_key(self) -> str | None:
        """Key of the row under the cursor, if any."""
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except (CellDoesNotExist, RowDoesNotExist):
            return None

    def move_to_key(self, key: str) -> bool:
        """Put the cursor on the row with ``key``; False if it is not shown."""
        try:
            index = self.get_row_index(key)
        except RowDoesNotExist:
            return False
        self.move_cursor(row=index)
        return True

    def selected_keys(self) -> list[str]:
        """The marked rows in display order, or the cursor row when nothing is marked."""
        if self.marked:
            return [k for k in self._order if k in self.marked]
        key = self.cursor_key
        return [] if key is None else [key]

    def row(self, key: str) -> TableRow | None:
        """The record with ``key`` (shown or filtered out)."""
        return next((r for r in self._all if r.key == key), None)

    def action_toggle_mark(self) -> None:
        """Mark or unmark the cursor row."""
        key = self.cursor_key
        if not self.markable or key is None:
            return
        self.marked ^= {key}
        self.post_message(self.MarksChanged())
        self._sync()

    def action_mark_all(self) -> None:
        """Mark every visible row, or clear the marks if all are marked."""
        if not self.markable:
            return
        visible = set(self._order)
        self.marked = set() if visible and visible <= self.marked else set(visible)
        self.post_message(self.MarksChanged())
        self._sync()

    def set_marks(self, keys: Iterable[str]) -> None:
        """Mark exactly ``keys`` (those present in the data)."""
        known = {r.key for r in self._all}
        self.marked = set(keys) & known
        self.post_message(self.MarksChanged())
        self._sync()

    def clear_marks(self) -> None:
        """Unmark everything."""
        if self.marked:
            self.marked.clear()
            self.post_message(self.MarksChanged())
            self._sync()

    # -- sorting ----------------------------------------------------------------------------

    def sort_on(self, key: str) -> None:
        """Sort by column ``key``; choosing the same column again reverses it."""
        if key == MARK_COLUMN:
            self.action_mark_all()
            return
        if key == self.sort_by:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_by, self.sort_reverse = key, False
        self.refresh_columns()

    def action_sort_next(self) -> None:
        """Sort by the next column."""
        keys = [s.key for s in self.specs]
        i = keys.index(self.sort_by) + 1 if self.sort_by in keys else 0
        self.sort_by, self.sort_reverse = keys[i % len(keys)], False
        self.refresh_columns()

    def action_sort_reverse(self) -> None:
        """Reverse the sort order."""
        if self.sort_by is None:
            self.sort_by = self.specs[0].key
        self.sort_reverse = not self.sort_reverse
        self.refresh_columns()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        if event.column_key.value is not None:
            self.sort_on(event.column_key.value)

    # -- export -------------------------------------------------------------------------------

    def export(self) -> tuple[list[str], list[list[str]]]:
        """Headers and the visible rows as plain text, for CSV."""
        headers = [s.key for s in self.specs]
        rows = [
            [s.export(v) for s, v in zip(self.specs, r.values, strict=False)]
            for r in self.visible_rows()
        ]
        return headers, rows
