"""How a RowView's lines are drawn: cells, the header and each row line, cached.

A line is painted once for what it shows (the row, cursor, stripe and mark) and kept:
scrolling back, or a filter taken back by a backspace, reuses it. Styles are looked up
once per look (stripe × cursor), not once per line: the widget's style lookups are the
dearest part of a repaint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from mwstui.ui.widgets.table_columns import Column, TableRow
from mwstui.ui.widgets.table_layout import PADDING, ColumnInfo, paint_line

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView

MARK = "●"
MARK_COLUMN = "_mark"
CACHE_ROWS = 512
"""Rendered rows kept (a few screens' worth); the rest are rendered again when shown."""

HEADER = "resource-table--header"
CURSOR = "resource-table--cursor"
EVEN = "resource-table--even-row"
ODD = "resource-table--odd-row"


class RowPainter:
    """The cells and lines of one table, cached until what they show changes.

    Args:
        view: the table widget (its styles and console).
        specs: the columns.
        markable: a first one-cell column shows ``MARK`` for the keys in ``marked``.
        current: whether a row is the one held now (a cached cell of a replaced row is stale).
    """

    def __init__(
        self,
        view: ScrollView,
        specs: Sequence[Column],
        markable: bool,
        current: Callable[[TableRow], bool],
    ) -> None:
        self.view = view
        self.specs = list(specs)
        self.markable = markable
        self._current = current
        self.marked: set[str] = set()
        self.widths: list[int] = []
        """Content width of each column (without the mark column)."""
        self._cells: dict[str, tuple[Text, ...]] = {}
        self._strips: dict[tuple[str, bool, bool, bool], Strip] = {}
        self._header: Strip | None = None
        self._styles: dict[tuple[bool, bool], Style] = {}
        self._base: Style | None = None

    # -- forgetting ----------------------------------------------------------------------

    def restyle(self) -> None:
        """The widget's styles changed (focus, theme): every line is painted again."""
        self._strips.clear()
        self._styles.clear()
        self._base = None
        self._header = None

    def relabel(self) -> None:
        """Headers or widths changed."""
        self._strips.clear()
        self._header = None

    def forget(self, keys: Iterable[str]) -> None:
        """The rows with ``keys`` changed (values, mark or cursor): paint them again."""
        keys = set(keys)
        if not keys:
            return
        for key in keys:
            self._cells.pop(key, None)
        self._strips = {k: s for k, s in self._strips.items() if k[0] not in keys}

    def forget_looks(self, keys: Iterable[str]) -> None:
        """Only the look of ``keys`` changed (mark, cursor): their cells stay."""
        keys = set(keys)
        if keys:
            self._strips = {k: s for k, s in self._strips.items() if k[0] not in keys}

    # -- cells ---------------------------------------------------------------------------

    def cells(self, row: TableRow) -> tuple[Text, ...]:
        """The cells of ``row`` as shown (the mark first when markable), ellipsised."""
        cells = self._cells.get(row.key)
        current = self._current(row)
        if cells is None or not current:
            cells = tuple(s.render(v) for s, v in zip(self.specs, row.values, strict=False))
            for spec, text in zip(self.specs, cells, strict=False):
                if spec.width is None and not spec.grow and text.cell_len > spec.max_width:
                    text.truncate(spec.max_width, overflow="ellipsis")
            if current:
                if len(self._cells) >= CACHE_ROWS:
                    self._cells.clear()
                self._cells[row.key] = cells
        if self.markable:
            mark = Text(MARK, style="bold") if row.key in self.marked else Text(" ")
            cells = (mark, *cells)
        return cells

    def column_keys(self) -> list[str]:
        """Column keys as drawn (the mark column first when markable)."""
        keys = [s.key for s in self.specs]
        return [MARK_COLUMN, *keys] if self.markable else keys

    def all_widths(self) -> list[int]:
        """Content widths as drawn (the mark column first when markable)."""
        return [1, *self.widths] if self.markable else list(self.widths)

    # -- lines ---------------------------------------------------------------------------

    @property
    def base_style(self) -> Style:
        """The widget's own style (blank lines, the space right of the columns)."""
        if self._base is None:
            self._base = self.view.rich_style
        return self._base

    def _style(self, odd: bool, cursor: bool) -> Style:
        style = self._styles.get((odd, cursor))
        if style is None:
            view = self.view
            style = self.base_style + view.get_component_rich_style(ODD if odd else EVEN)
            if cursor:
                style += view.get_component_rich_style(CURSOR)
            self._styles[(odd, cursor)] = style
        return style

    def header(self, columns: Iterable[ColumnInfo]) -> Strip:
        """The header line; a click on a label carries its column key in the meta."""
        if self._header is None:
            labels = [c.label for c in columns]
            if self.markable:
                labels = [Text(MARK, style="dim"), *labels]
            style = self.base_style + self.view.get_component_rich_style(HEADER)
            widths = self.all_widths()
            line = paint_line(self.view.app.console, labels, widths, style)
            segments: list[Segment] = []
            x = 0
            for key, width in zip(self.column_keys(), widths, strict=False):
                meta = Style.from_meta({"header": key})
                part = line.crop(x, x + width + 2 * PADDING)
                segments.extend(Segment.apply_style(list(part), post_style=meta))
                x += width + 2 * PADDING
            self._header = Strip(segments, line.cell_length)
        return self._header

    def line(self, row: TableRow, odd: bool, cursor: bool) -> Strip:
        """One row's line; a click on it carries the row's key in the meta."""
        cache_key = (row.key, cursor, odd, row.key in self.marked)
        strip = self._strips.get(cache_key)
        if strip is None:
            # The key, not the index, rides in the meta: the line stays right wherever the
            # row is shown (another filter, a page arriving above it).
            style = self._style(odd, cursor) + Style.from_meta({"row_key": row.key})
            strip = paint_line(self.view.app.console, self.cells(row), self.all_widths(), style)
            if cursor:
                # The cursor's colours win over a cell's own (a red status stays readable).
                colour = self.view.get_component_rich_style(CURSOR).color
                strip = strip.apply_style(Style(color=colour))
            if len(self._strips) >= CACHE_ROWS:
                self._strips.clear()
            self._strips[cache_key] = strip
        return strip
