"""A virtual table: only the lines on screen are drawn, whatever the row count.

The rows, their search keys, the sort and the filter live in a ``TableModel``; this widget
draws the lines in view from it (a ``ScrollView`` whose virtual height is the number of
rows shown), moves the cursor and keeps it on its record when the rows change. A
keystroke in the filter or a page of new rows costs one pass over compact lists and a
repaint of one screenful, never a widget per row. Cells are ``rich.text.Text`` (never
markup) rendered when shown. ``ResourceTable`` adds marks, sorting and export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from mwstui.ui.table_layout import PADDING, ColumnInfo, fit_widths, paint_line, total_width
from mwstui.ui.table_model import Change, Column, TableModel, TableRow

MARK = "●"
MARK_COLUMN = "_mark"
_CACHE_ROWS = 512
"""Rendered rows kept (a few screens' worth); the rest are rendered again when shown."""


class RowView(ScrollView, can_focus=True):
    """Draws the rows a ``TableModel`` shows, with a header, zebra stripes and a row cursor.

    Args:
        columns: the columns.
        markable: a first one-cell column shows ``MARK`` for the keys in ``marked``.
        sort_by: column key to sort on.
        sort_reverse: descending.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("g,home,ctrl+home", "first_row", "First row", show=False),
        Binding("G,end,ctrl+end", "last_row", "Last row", show=False),
        Binding("left", "scroll_cells(-4)", "Scroll left", show=False),
        Binding("right", "scroll_cells(4)", "Scroll right", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "resource-table--header",
        "resource-table--cursor",
        "resource-table--even-row",
        "resource-table--odd-row",
    }

    DEFAULT_CSS = """
    RowView {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .resource-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .resource-table--header { background-tint: $foreground 5%; }
        }
        &:dark > .resource-table--even-row { background: $surface-darken-1 40%; }
        & > .resource-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .resource-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .resource-table--even-row { background: $surface-lighten-1 50%; }
        & > .resource-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class RowsShown(Message):
        """The visible rows changed (new data, filter or sort)."""

    @dataclass
    class RowSelected(Message):
        """Enter (or a click) on a row."""

        table: RowView
        cursor_row: int
        row_key: str

        @property
        def control(self) -> RowView:
            """The table (``@on(ResourceTable.RowSelected, "#id")`` matches on it)."""
            return self.table

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
        super().__init__(id=id, classes=classes)
        self.specs = list(columns)
        self.markable = markable
        self.marked: set[str] = set()
        self.model = TableModel(self.specs, sort_by, sort_reverse)
        self.columns: dict[str, ColumnInfo] = {}
        self._widths: list[int] = []
        self._cursor = 0
        self._cursor_key: str | None = None
        self._cells_cache: dict[str, tuple[Text, ...]] = {}
        self._strips: dict[tuple[str, bool, bool, bool], Strip] = {}
        self._header: Strip | None = None
        self._build_columns()

    # -- state ---------------------------------------

    @property
    def row_count(self) -> int:
        """Rows shown (after the filter)."""
        return len(self.model.order)

    @property
    def total_rows(self) -> int:
        """Rows held, shown or filtered out."""
        return len(self.model)

    @property
    def cursor_row(self) -> int:
        """Index of the cursor among the rows shown."""
        return self._cursor

    @property
    def cursor_key(self) -> str | None:
        """Key of the row under the cursor, if any."""
        order = self.model.order
        return order[self._cursor] if 0 <= self._cursor < len(order) else None

    # -- changes -------------------------------------------------------------------------------

    def _changed(self, change: Change) -> None:
        if not change.any:
            return
        for key in change.changed:
            self._cells_cache.pop(key, None)
        self._forget_strips(change.changed)
        if change.added or change.removed or change.moved:
            self._reordered()
            return
        # Values changed in place, order kept: repaint only the lines of those rows.
        self._fit_columns()
        for key in change.changed:
            at = self.model.position(key)
            if at is not None:
                self.refresh_line(at + 1)
        self.post_message(self.RowsShown())

    def _reordered(self) -> None:
        """The rows shown changed: restore the cursor's record, resize, repaint."""
        if self._cursor_key is not None:
            at = self.model.position(self._cursor_key)
            if at is not None:
                self._cursor = at
        self._cursor = max(0, min(self._cursor, self.row_count - 1))
        self._cursor_key = self.cursor_key
        self._strips.clear()
        self._fit_columns()
        self.refresh()
        self._follow_cursor()
        self.post_message(self.RowsShown())

    def _forget_strips(self, keys: set[str]) -> None:
        if keys:
            self._strips = {k: s for k, s in self._strips.items() if k[0] not in keys}

    # -- columns -----------------------------------------------------------------------------------

    def _build_columns(self) -> None:
        self.columns.clear()
        for spec in self.specs:
            label = spec.label
            if spec.key == self.model.sort_by:
                label += " ▼" if self.model.sort_reverse else " ▲"
            self.columns[spec.key] = ColumnInfo(spec.key, Text(label), 0)
        self._header = None

    def _fit_columns(self) -> None:
        """Column widths from the widest cells, the spare width to the growing columns."""
        labels = [self.columns[s.key].label.cell_len for s in self.specs]
        available = self.scrollable_content_region.width if self.is_mounted else 0
        widths = fit_widths(self.specs, self.model.widths, labels, available, self.markable)
        if widths != self._widths:
            self._widths = widths
            for spec, width in zip(self.specs, widths, strict=False):
                self.columns[spec.key].content_width = width
            self._strips.clear()
            self._header = None
            self.refresh()
        size = Size(total_width(widths, self.markable), self.row_count + 1)
        if size != self.virtual_size:
            self.virtual_size = size

    def on_resize(self) -> None:
        self._fit_columns()
        self._follow_cursor()

    def refresh_columns(self) -> None:
        """Rebuild headers and rows (after the sort changed)."""
        self._build_columns()
        self._strips.clear()
        self._fit_columns()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._header = None

    def _on_focus(self, event: events.Focus) -> None:
        self._strips.clear()
        self._header = None
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._strips.clear()
        self._header = None
        self.refresh()

    # -- drawing -----------------------------------------------------------------------------------

    def _cells(self, row: TableRow) -> tuple[Text, ...]:
        """The cells of ``row`` as shown (the mark first when markable), ellipsised."""
        cells = self._cells_cache.get(row.key)
        if cells is None or self.model.get(row.key) is not row:
            cells = tuple(s.render(v) for s, v in zip(self.specs, row.values, strict=False))
            for spec, text in zip(self.specs, cells, strict=False):
                if spec.width is None and not spec.grow and text.cell_len > spec.max_width:
                    text.truncate(spec.max_width, overflow="ellipsis")
            if self.model.get(row.key) is row:
                if len(self._cells_cache) >= _CACHE_ROWS:
                    self._cells_cache.clear()
                self._cells_cache[row.key] = cells
        if self.markable:
            mark = Text(MARK, style="bold") if row.key in self.marked else Text(" ")
            cells = (mark, *cells)
        return cells

    def get_row_at(self, index: int) -> tuple[Text, ...]:
        """The cells shown at ``index`` (the mark first when markable)."""
        return self._cells(self.model.shown(index))

    def get_row(self, key: str) -> tuple[Text, ...]:
        """The cells of the row with ``key``."""
        row = self.model.get(key)
        if row is None:
            raise KeyError(key)
        return self._cells(row)

    def get_cell(self, key: str, column: str) -> Text:
        """One cell of the row with ``key``."""
        cells = self.get_row(key)
        return cells[self._column_keys().index(column)]

    def _column_keys(self) -> list[str]:
        keys = [s.key for s in self.specs]
        return [MARK_COLUMN, *keys] if self.markable else keys

    def _all_widths(self) -> list[int]:
        return [1, *self._widths] if self.markable else list(self._widths)

    def _header_strip(self) -> Strip:
        if self._header is None:
            labels = [c.label for c in self.columns.values()]
            if self.markable:
                labels = [Text(MARK, style="dim"), *labels]
            style = self.rich_style + self.get_component_rich_style("resource-table--header")
            widths = self._all_widths()
            line = paint_line(self.app.console, labels, widths, style)
            # Clicks on a label sort by its column: the column index rides in the meta.
            segments: list[Segment] = []
            x = 0
            keys = self._column_keys()
            for key, width in zip(keys, widths, strict=False):
                meta = Style.from_meta({"header": key})
                part = line.crop(x, x + width + 2 * PADDING)
                segments.extend(Segment.apply_style(list(part), post_style=meta))
                x += width + 2 * PADDING
            self._header = Strip(segments, line.cell_length)
        return self._header

    def _row_strip(self, index: int) -> Strip:
        key = self.model.order[index]
        cursor = index == self._cursor
        odd = bool(index % 2)
        cache_key = (key, cursor, odd, key in self.marked)
        strip = self._strips.get(cache_key)
        if strip is None:
            part = "resource-table--odd-row" if odd else "resource-table--even-row"
            style = self.rich_style + self.get_component_rich_style(part)
            if cursor:
                style += self.get_component_rich_style("resource-table--cursor")
            style += Style.from_meta({"row": index})
            texts = self.get_row_at(index)
            strip = paint_line(self.app.console, texts, self._all_widths(), style)
            if cursor:
                # The cursor's colours win over a cell's own (a red status stays readable).
                cursor_style = self.get_component_rich_style("resource-table--cursor")
                strip = strip.apply_style(Style(color=cursor_style.color))
            if len(self._strips) >= _CACHE_ROWS:
                self._strips.clear()
            self._strips[cache_key] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if y == 0:
            strip = self._header_strip()
        else:
            index = scroll_y + y - 1
            if index >= self.row_count:
                return Strip.blank(width, self.rich_style)
            strip = self._row_strip(index)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    # -- cursor ---------------------------------------------------------------------------------

    def move_cursor(self, *, row: int | None = None, scroll: bool = True) -> None:
        """Put the cursor on shown row ``row`` (clamped)."""
        if row is None:
            return
        row = max(0, min(row, self.row_count - 1))
        if row != self._cursor:
            old = self._cursor
            self._cursor = row
            self._forget_cursor_lines(old, row)
        self._cursor_key = self.cursor_key
        if scroll:
            self._follow_cursor()

    def _forget_cursor_lines(self, *indexes: int) -> None:
        order = self.model.order
        keys = {order[i] for i in indexes if 0 <= i < len(order)}
        self._forget_strips(keys)
        for i in indexes:
            self.refresh_line(i + 1)

    def _follow_cursor(self) -> None:
        lines = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + lines:
            self.scroll_to(y=self._cursor - lines + 1, animate=False, immediate=True)

    def move_to_key(self, key: str) -> bool:
        """Put the cursor on the row with ``key``; False if it is not shown."""
        at = self.model.position(key)
        if at is None:
            return False
        self.move_cursor(row=at)
        return True

    def action_cursor_up(self) -> None:
        """One row up."""
        self.move_cursor(row=self._cursor - 1)

    def action_cursor_down(self) -> None:
        """One row down."""
        self.move_cursor(row=self._cursor + 1)

    def action_page_up(self) -> None:
        """One screen up."""
        self.move_cursor(row=self._cursor - max(1, self.scrollable_content_region.height - 2))

    def action_page_down(self) -> None:
        """One screen down."""
        self.move_cursor(row=self._cursor + max(1, self.scrollable_content_region.height - 2))

    def action_first_row(self) -> None:
        """The first row (g, Home)."""
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        """The last row (G, End)."""
        self.move_cursor(row=self.row_count - 1)

    def action_scroll_cells(self, cells: int) -> None:
        """Scroll sideways (wide tables)."""
        self.scroll_to(x=self.scroll_x + cells, animate=False, immediate=True)

    def action_select_cursor(self) -> None:
        """Open the row under the cursor (the panel decides what that means)."""
        key = self.cursor_key
        if key is not None:
            self.post_message(self.RowSelected(self, self._cursor, key))

    async def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "header" in meta:
            event.stop()
            self.header_clicked(str(meta["header"]))
        elif "row" in meta:
            # As DataTable did: the first click moves the cursor, a click on it opens.
            event.stop()
            row = int(meta["row"])
            if row == self._cursor:
                self.action_select_cursor()
            else:
                self.move_cursor(row=row)

    def header_clicked(self, key: str) -> None:
        """A click on the header of column ``key`` (``ResourceTable`` sorts on it)."""
