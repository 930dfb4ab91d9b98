"""How a table's columns are sized and one of its lines is painted (no widget state)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from mwstui.ui.widgets.table_model import Column

PADDING = 1
"""Blank cells on each side of every column."""
MARK_WIDTH = 1
"""The mark column's content width."""


@dataclass(slots=True)
class ColumnInfo:
    """A column as drawn: header label, content width (without padding)."""

    key: str
    label: Text
    content_width: int

    def get_render_width(self, table: object = None) -> int:
        """Width on screen, padding included."""
        return self.content_width + 2 * PADDING


def total_width(widths: Sequence[int], markable: bool) -> int:
    """The line's width with padding (and the mark column)."""
    mark = MARK_WIDTH + 2 * PADDING if markable else 0
    return mark + sum(w + 2 * PADDING for w in widths)


def fit_widths(
    specs: Sequence[Column],
    widest: Sequence[int],
    labels: Sequence[int],
    available: int,
    markable: bool,
) -> list[int]:
    """Content width of each column.

    A fixed column keeps its width; one sized to its content takes its widest cell (capped
    by the model) or its label; a growing one starts at its least width and takes the
    width the screen spares, up to its widest cell — so ids keep their full width first
    and a long report type reads whole on a wide terminal.

    Args:
        specs: the columns.
        widest: each column's widest cell (``TableModel.widths``).
        labels: each header label's width.
        available: the table's width on screen.
        markable: whether a mark column comes first.
    """
    widths = []
    for spec, wide, label in zip(specs, widest, labels, strict=False):
        if spec.width is not None and not spec.grow:
            widths.append(spec.width)
        elif spec.grow:
            least = spec.width if spec.width is not None else min(wide, spec.max_width)
            widths.append(max(label, least))
        else:
            widths.append(max(label, wide))
    spare = available - total_width(widths, markable)
    for i, spec in enumerate(specs):
        if spec.grow and spare > 0:
            extra = max(0, min(spare, widest[i] - widths[i]))
            widths[i] += extra
            spare -= extra
    return widths


def paint_line(
    console: Console, texts: Sequence[Text], widths: Sequence[int], style: Style
) -> Strip:
    """One table line: each cell padded, cut with an ellipsis at its width, on ``style``."""
    line = Text(end="", no_wrap=True)
    pad = " " * PADDING
    for text, width in zip(texts, widths, strict=False):
        piece = text
        if text.cell_len != width:
            piece = text.copy()
            piece.truncate(width, overflow="ellipsis", pad=True)
        line.append(pad)
        line.append_text(piece)
        line.append(pad)
    segments = list(line.render(console))
    return Strip(Segment.apply_style(segments, style), line.cell_len)
