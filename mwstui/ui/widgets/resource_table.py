"""A table of service records: filter, sort, marks and export over a virtual ``RowView``.

100,000 rows filter, sort and mark as fast as 100: the rows live in a ``TableModel`` (a
search key per row computed once, the sort kept incrementally) and only the lines on
screen are drawn. Pages of a load go in with ``add_rows`` as they arrive; ``set_rows``
makes a list the whole data, redrawing only rows that changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message

from mwstui.ui.widgets.row_view import MARK, MARK_COLUMN, RowView
from mwstui.ui.widgets.table_columns import MAX_WIDTH, Column, TableRow
from mwstui.ui.widgets.table_layout import ColumnInfo

__all__ = ["MARK", "MARK_COLUMN", "MAX_WIDTH", "Column", "ColumnInfo", "ResourceTable", "TableRow"]


class ResourceTable(RowView):
    """Rows of service records, filtered, sorted and marked; only visible lines are drawn.

    ``set_rows`` replaces the data, ``add_rows`` adds a page (rows with a known key are
    updated in place); the table filters (``set_filter``), sorts (``sort_by``) and keeps the
    cursor on the same record across all of these. With ``markable`` a first column shows
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

    @property
    def sort_by(self) -> str | None:
        """The column the rows are sorted on."""
        return self.model.sort_by

    @property
    def sort_reverse(self) -> bool:
        """Whether the sort is descending."""
        return self.model.sort_reverse

    @property
    def filter_text(self) -> str:
        """The filter applied (casefolded)."""
        return self.model.needle

    # -- data ------------------------------------------------------------------------------------

    def set_rows(self, rows: Iterable[TableRow]) -> None:
        """Replace the data; only changed rows are redrawn."""
        change = self.model.replace(rows)
        if change.removed and self.marked:
            kept = self.marked & self.model.keys()
            if kept != self.marked:
                self.marked = kept
                self.post_message(self.MarksChanged())
        self._changed(change)

    def add_rows(self, rows: Iterable[TableRow]) -> None:
        """Add rows (a page as it arrives); a row whose key is known replaces the old one."""
        self._changed(self.model.upsert(rows))

    def set_filter(self, text: str) -> None:
        """Show only rows with a cell containing ``text`` (case-insensitive)."""
        if self.model.set_filter(text):
            self._reordered()

    def visible_rows(self) -> list[TableRow]:
        """The rows on screen, filtered and sorted, in display order."""
        return self.model.visible_rows()

    def row(self, key: str) -> TableRow | None:
        """The record with ``key`` (shown or filtered out)."""
        return self.model.get(key)

    # -- marks --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.markable or action not in ("toggle_mark", "mark_all")

    def selected_keys(self) -> list[str]:
        """The marked rows in display order, or the cursor row when nothing is marked."""
        if self.marked:
            marked = self.marked
            return [k for k in self.model.shown_keys() if k in marked]
        key = self.cursor_key
        return [] if key is None else [key]

    def _marks_changed(self, keys: Iterable[str] | None = None) -> None:
        # Lines are cached by (row, cursor, stripe, mark): a new mark draws a new line.
        self.post_message(self.MarksChanged())
        if keys is None:
            self.refresh()
        else:
            for key in set(keys):
                at = self.model.position(key)
                if at is not None:
                    self.refresh_line(at + 1)

    def action_toggle_mark(self) -> None:
        """Mark or unmark the cursor row."""
        key = self.cursor_key
        if not self.markable or key is None:
            return
        self.marked ^= {key}
        self._marks_changed([key])

    def action_mark_all(self) -> None:
        """Mark every visible row, or clear the marks if all are marked."""
        if not self.markable:
            return
        visible = set(self.model.shown_keys())
        self.marked = set() if visible and visible <= self.marked else visible
        self._marks_changed()

    def set_marks(self, keys: Iterable[str]) -> None:
        """Mark exactly ``keys`` (those present in the data)."""
        self.marked = set(keys) & self.model.keys()
        self._marks_changed()

    def clear_marks(self) -> None:
        """Unmark everything."""
        if self.marked:
            self.marked = set()
            self._marks_changed()

    # -- sorting ------------------------------------------------------------------------------

    def header_clicked(self, key: str) -> None:
        self.sort_on(key)

    def sort_on(self, key: str) -> None:
        """Sort by column ``key``; choosing the same column again reverses it."""
        if key == MARK_COLUMN:
            self.action_mark_all()
            return
        reverse = not self.model.sort_reverse if key == self.model.sort_by else False
        self._sort(key, reverse)

    def _sort(self, key: str | None, reverse: bool) -> None:
        self.model.set_sort(key, reverse)
        self._build_columns()
        self._reordered()
        self.refresh()  # the header's arrow, even if the rows in view stay

    def action_sort_next(self) -> None:
        """Sort by the next column."""
        keys = [s.key for s in self.specs]
        i = keys.index(self.sort_by) + 1 if self.sort_by in keys else 0
        self._sort(keys[i % len(keys)], False)

    def action_sort_reverse(self) -> None:
        """Reverse the sort order."""
        self._sort(self.sort_by or self.specs[0].key, not self.sort_reverse)

    # -- export ------------------------------------------------------------------------------

    def export_headers(self) -> list[str]:
        """The CSV header row."""
        return [s.key for s in self.specs]

    def export_row(self, row: TableRow) -> list[str]:
        """One row as plain text, for CSV."""
        return [s.export(v) for s, v in zip(self.specs, row.values, strict=False)]

    def export(self) -> tuple[list[str], list[list[str]]]:
        """Headers and the visible rows as plain text, for CSV."""
        return self.export_headers(), [self.export_row(r) for r in self.visible_rows()]
