"""What a ResourceTable is given: its columns and its rows (plain data, nothing drawn)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text

from mwstui.ui.text.safe_text import cell, plain

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
            With ``grow``, the least width instead.
        max_width: with ``width`` None, the widest the column grows (cells beyond it end
            in an ellipsis).
        grow: the column takes the table's spare width, up to its widest cell (a long
            report type reads whole on a wide terminal; ids keep their width first).
    """

    key: str
    label: str
    render: Callable[[Any], Text] = cell
    export: Callable[[Any], str] = plain
    width: int | None = None
    max_width: int = MAX_WIDTH
    grow: bool = False


@dataclass(frozen=True, slots=True)
class TableRow:
    """One record: a stable key (the service id) and raw values in column order."""

    key: str
    values: tuple[Any, ...]


def sort_key(value: Any) -> tuple[int, int, Any]:
    """(absent, kind, value): absent values sort last whichever the direction; numbers and
    times (kind 0) before text (kind 1), which compares casefolded.

    Flat, so the rows of one kind compare on their value alone (a float or a string: C
    comparisons, see ``TableModel._rebuild``). The common types are tested first by exact
    type: this runs once per row on every sort on a new column.
    """
    kind = type(value)
    if kind is str:
        return (0, 1, value.casefold()) if value else _ABSENT
    if kind is datetime:
        return (0, 0, value.timestamp())
    if value is None or value == "":
        return _ABSENT
    if isinstance(value, bool | int | float):
        return (0, 0, value)
    if hasattr(value, "timestamp"):
        return (0, 0, value.timestamp())
    return (0, 1, str(value).casefold())


_ABSENT = (1, 0, 0)
