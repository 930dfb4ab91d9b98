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

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

from mwstui.ui.widgets.row_paint import MARK, MARK_COLUMN, RowPainter
from mwstui.ui.widgets.table_columns import Column, TableRow
from mwstui.ui.widgets.table_layout import ColumnInfo, fit_widths, total_width
from mwstui.ui.widgets.table_model import Change, TableModel

__all__ = ["MARK", "MARK_COLUMN", "RowView"]


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
        self.model = TableModel(self.specs, sort_by, sort_reverse)
        self.columns: dict[str, ColumnInfo] = {}
        self._cursor = 0
        self._cursor_key: str | None = None
        self._painted: tuple[int, int, tuple[str, ...]] | None = None
        """``_window()`` when the lines were last repainted for a change of rows."""
        self.painter = RowPainter(self, self.specs, markable, self._is_current)
        self._build_columns()

    def _is_current(self, row: TableRow) -> bool:
        return self.model.get(row.key) is row

    @property
    def marked(self) -> set[str]:
        """Keys of the marked rows (shown or filtered out)."""
        return self.painter.marked

    @marked.setter
    def marked(self, keys: set[str]) -> None:
        self.painter.marked = keys

    # -- state ---------------------------------------

    @property
    def row_count(self) -> int:
        """Rows shown (after the filter)."""
        return self.model.row_count

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
        model = self.model
        return model.key_at(self._cursor) if 0 <= self._cursor < model.row_count else None

    # -- changes -------------------------------------------------------------------------------

    def _changed(self, change: Change) -> None:
        if not change.any:
            return
        self.painter.forget(change.changed)
        if change.added or change.removed or change.moved:
            self._reordered(change.changed)
            return
        # Values changed in place, order kept: repaint only the lines of those rows.
        self._fit_columns()
        for key in change.changed:
            at = self.model.position(key)
            if at is not None:
                self.refresh_line(at + 1)
        self.post_message(self.RowsShown())

    def _reordered(self, changed: set[str] | frozenset[str] = frozenset()) -> None:
        """The rows shown changed: restore the cursor's record, resize, repaint if in view.

        A page that lands below the screen (most pages of a long load) changes only the
        scrollbar: the lines in view are compared with those last drawn and repainted only
        if they differ, so 2,000 arriving pages do not redraw an unchanged screen 2,000 times.
        """
        if self._cursor_key is not None:
            at = self.model.position(self._cursor_key)
            if at is not None:
                self._cursor = at
        self._cursor = max(0, min(self._cursor, self.row_count - 1))
        self._cursor_key = self.cursor_key
        self._fit_columns()
        self._follow_cursor()
        window = self._window()
        if window != self._painted or not changed.isdisjoint(window[2]):
            self._painted = window
            self.refresh()
        self.post_message(self.RowsShown())

    def _window(self) -> tuple[int, int, tuple[str, ...]]:
        """What the lines in view show: first row, cursor row and the rows' keys."""
        top = self.scroll_offset.y
        lines = max(1, self.scrollable_content_region.height - 1)
        return (top, self._cursor, tuple(self.model.keys_between(top, top + lines)))

    # -- columns -----------------------------------------------------------------------------------

    def _build_columns(self) -> None:
        self.columns.clear()
        for spec in self.specs:
            label = spec.label
            if spec.key == self.model.sort_by:
                label += " ▼" if self.model.sort_reverse else " ▲"
            self.columns[spec.key] = ColumnInfo(spec.key, Text(label), 0)
        self.painter.relabel()

    def _fit_columns(self) -> None:
        """Column widths from the widest cells, the spare width to the growing columns."""
        labels = [self.columns[s.key].label.cell_len for s in self.specs]
        available = self.scrollable_content_region.width if self.is_mounted else 0
        widths = fit_widths(self.specs, self.model.widths, labels, available, self.markable)
        if widths != self.painter.widths:
            self.painter.widths = widths
            for spec, width in zip(self.specs, widths, strict=False):
                self.columns[spec.key].content_width = width
            self.painter.relabel()
            self.refresh()
        size = Size(total_width(widths, self.markable), self.row_count + 1)
        if size != self.virtual_size:
            self._resize_virtual(size)

    def _resize_virtual(self, size: Size) -> None:
        """Set the scrollable size; a table whose height stays only updates its scrollbars.

        Assigning ``virtual_size`` lays out the whole screen again (~10 ms at 120×40),
        which every filter keystroke and every arriving page would pay. A table whose
        height does not follow its rows (a fixed height, or rows beyond its maximum before
        and after) needs none unless a scrollbar appears or goes.
        """
        height = self.styles.height
        fixed = height is not None and not height.is_auto
        if not fixed:
            lines = self.size.height
            fixed = self.virtual_size.height > lines and size.height > lines
        if not (fixed and self.is_mounted):
            self.virtual_size = size
            return
        bars = (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        drawn = self._scrollbar_cells()
        self.set_reactive(RowView.virtual_size, size)
        self._refresh_scrollbars()
        if (self.show_vertical_scrollbar, self.show_horizontal_scrollbar) != bars:
            self._scroll_update(size)
            self.refresh(layout=True)
        elif self._scrollbar_cells(size) != drawn:
            self._scroll_update(size)
        else:
            # The bars would draw the same cells (10,000 rows or 10,050: a one-cell thumb at
            # the top): a repaint costs ~2 ms a page for nothing, so only their figures follow.
            self._scroll_figures(size)

    def _scrollbar_cells(self, size: Size | None = None) -> tuple[object, ...]:
        """What the scrollbars would draw for ``size`` (now: the current virtual size).

        Their thumbs from ``ScrollBarRender.render_bar``, the figures a bar draws from:
        equal results draw equal cells whatever the colours.
        """
        size = self.virtual_size if size is None else size
        width, height = self.container_size
        cells: list[object] = []
        if self.show_vertical_scrollbar:
            bar = self.vertical_scrollbar
            window = height - self.scrollbar_size_horizontal
            cells.append(self._thumb(bar, size.height, window))
        if self.show_horizontal_scrollbar:
            bar = self.horizontal_scrollbar
            window = width - self.scrollbar_size_vertical
            cells.append(self._thumb(bar, size.width, window))
        return tuple(cells)

    @staticmethod
    def _thumb(bar: ScrollBar, virtual: int, window: int) -> object:
        length = bar.size.height if bar.vertical else bar.size.width
        drawn = ScrollBarRender.render_bar(
            size=length,
            virtual_size=virtual,
            window_size=window if window < virtual else 0,
            position=bar.position,
            thickness=bar.thickness,
            vertical=bar.vertical,
        )
        return (length, bar.thickness, list(drawn.segments))

    def _scroll_figures(self, size: Size) -> None:
        """``_scroll_update`` without repainting the bars (their cells stay as drawn)."""
        width, height = self.container_size
        if self.show_vertical_scrollbar:
            bar = self.vertical_scrollbar
            bar.set_reactive(ScrollBar.window_virtual_size, size.height)
            bar.set_reactive(ScrollBar.window_size, height - self.scrollbar_size_horizontal)
        if self.show_horizontal_scrollbar:
            bar = self.horizontal_scrollbar
            bar.set_reactive(ScrollBar.window_virtual_size, size.width)
            bar.set_reactive(ScrollBar.window_size, width - self.scrollbar_size_vertical)
        self.scroll_x = self.validate_scroll_x(self.scroll_x)
        self.scroll_y = self.validate_scroll_y(self.scroll_y)

    def on_resize(self) -> None:
        self._fit_columns()
        self._follow_cursor()
        self._painted = self._window()  # a resize repaints every line

    def refresh_columns(self) -> None:
        """Rebuild headers and rows (after the sort changed)."""
        self._build_columns()
        self._fit_columns()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.painter.restyle()

    def _on_focus(self, event: events.Focus) -> None:
        self.painter.restyle()
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self.painter.restyle()
        self.refresh()

    # -- drawing -----------------------------------------------------------------------------------

    def _cells(self, row: TableRow) -> tuple[Text, ...]:
        """The cells of ``row`` as drawn (kept for callers of the former private helper)."""
        return self.painter.cells(row)

    def get_row_at(self, index: int) -> tuple[Text, ...]:
        """The cells shown at ``index`` (the mark first when markable)."""
        return self.painter.cells(self.model.shown(index))

    def get_row(self, key: str) -> tuple[Text, ...]:
        """The cells of the row with ``key``."""
        row = self.model.get(key)
        if row is None:
            raise KeyError(key)
        return self.painter.cells(row)

    def get_cell(self, key: str, column: str) -> Text:
        """One cell of the row with ``key``."""
        cells = self.get_row(key)
        return cells[self.painter.column_keys().index(column)]

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        painter = self.painter
        if y == 0:
            strip = painter.header(self.columns.values())
        else:
            index = scroll_y + y - 1
            if index >= self.row_count:
                return Strip.blank(width, painter.base_style)
            row = self.model.shown(index)
            strip = painter.line(row, bool(index % 2), index == self._cursor)
        return strip.crop_extend(scroll_x, scroll_x + width, painter.base_style)

    # -- cursor ---------------------------------------------------------------------------------

    def move_cursor(self, *, row: int | None = None, scroll: bool = True) -> None:
        """Put the cursor on shown row ``row`` (clamped)."""
        if row is None:
            return
        row = max(0, min(row, self.row_count - 1))
        if row != self._cursor:
            old = self._cursor
            self._cursor = row
            self.refresh_line(old + 1)
            self.refresh_line(row + 1)
        self._cursor_key = self.cursor_key
        if scroll:
            self._follow_cursor()

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
        elif "row_key" in meta:
            # As DataTable did: the first click moves the cursor, a click on it opens.
            event.stop()
            row = self.model.position(str(meta["row_key"]))
            if row is None:
                return
            if row == self._cursor:
                self.action_select_cursor()
            else:
                self.move_cursor(row=row)

    def header_clicked(self, key: str) -> None:
        """A click on the header of column ``key`` (``ResourceTable`` sorts on it)."""
