"""The rows behind a ResourceTable: search keys, sort order and filter, kept incrementally.

Nothing here draws. Each row's search key (its exported cells, casefolded) and its cells'
widths are computed once, when the row arrives or changes; a keystroke in the filter then
costs one substring test per candidate row, and a filter that only grew is applied to the
rows it left (``narrowing``), so typing costs less with every key. The sort order of all
rows is kept: a page of new rows is inserted by bisection, not by sorting everything again.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from mwstui.ui.safe_text import cell, plain

MAX_WIDTH = 48
"""Cells of a column sized to its content stop growing here and end in an ellipsis: one
10,000-character comment must not push every other column out of sight (search, CSV,
copy id and the detail views keep the whole value)."""

FILTER_MAX = 200
"""Longest filter text applied; no row's fields are longer in practice, and a pasted page of
text must not turn each key into a long scan."""

_SEP = "\n"
"""Between the cells of a search key: a filter (one line) never matches across two cells."""


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


def sort_key(value: Any) -> tuple[int, Any]:
    """Absent values sort last whichever the direction; mixed types compare as text."""
    if value is None or value == "":
        return (1, "")
    if isinstance(value, bool | int | float):
        return (0, (0, value, ""))
    if hasattr(value, "timestamp"):
        return (0, (0, value.timestamp(), ""))
    return (0, (1, 0, str(value).casefold()))


@dataclass(slots=True)
class _Entry:
    row: TableRow
    hay: str
    widths: tuple[int, ...]
    sort: tuple[int, Any] = (1, "")


@dataclass(slots=True)
class Change:
    """What a data update did: which shown keys changed, and whether rows came or went."""

    changed: set[str] = field(default_factory=set)
    added: int = 0
    removed: int = 0
    moved: bool = False
    """A changed row's sort key changed (or the filter may now show or hide it)."""

    @property
    def any(self) -> bool:
        """Whether anything differs from before."""
        return bool(self.changed or self.added or self.removed)


class TableModel:
    """All rows, their search keys, the sort order and the rows the filter leaves.

    Args:
        specs: the columns.
        sort_by: column key to sort on, or None for arrival order.
        sort_reverse: descending (absent values still last).
    """

    def __init__(
        self, specs: Sequence[Column], sort_by: str | None = None, sort_reverse: bool = False
    ) -> None:
        self.specs = list(specs)
        self.sort_by = sort_by
        self.sort_reverse = sort_reverse
        self.needle = ""
        self._entries: dict[str, _Entry] = {}
        self._hay: dict[str, str] = {}
        """Each row's search key (also in its entry): one lookup per row in a keystroke."""
        self._asc: list[str] = []
        """Every key, ascending by (sort key, arrival); arrival order without a sort."""
        self._arrival = 0
        self._seq: dict[str, int] = {}
        self.order: list[str] = []
        """The keys shown, in display order."""
        self._pos: dict[str, int] | None = None
        self.widths = [0] * len(self.specs)
        """Widest cell of each column over every row (capped at its ``max_width``)."""

    # -- rows --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> TableRow | None:
        """The row with ``key``, shown or filtered out."""
        entry = self._entries.get(key)
        return None if entry is None else entry.row

    def keys(self) -> set[str]:
        """Every row's key."""
        return set(self._entries)

    def upsert(self, rows: Iterable[TableRow]) -> Change:
        """Add new rows and update changed ones; nothing is removed (a page of a load)."""
        change = Change()
        fresh: list[str] = []
        for row in rows:
            self._put(row, change, fresh)
        self._place(fresh)
        if change.any:
            self._refilter()
        return change

    def replace(self, rows: Iterable[TableRow]) -> Change:
        """Make ``rows`` the whole data: rows not among them go."""
        change = Change()
        seen: set[str] = set()
        fresh: list[str] = []
        for row in rows:
            seen.add(row.key)
            self._put(row, change, fresh)
        self._place(fresh)
        gone = self._entries.keys() - seen
        if gone:
            change.removed = len(gone)
            for key in gone:
                del self._entries[key]
                del self._hay[key]
                del self._seq[key]
            self._asc = [k for k in self._asc if k not in gone]
            self._remeasure()
        if change.any:
            self._refilter()
        return change

    def _place(self, fresh: list[str]) -> None:
        # A few rows go in by bisection; many (a first load) are sorted in once.
        if len(fresh) <= 32:
            for key in fresh:
                bisect.insort(self._asc, key, key=self._asc_key)
        else:
            self._asc.extend(fresh)
            self._asc.sort(key=self._asc_key)

    def _put(self, row: TableRow, change: Change, fresh: list[str]) -> None:
        old = self._entries.get(row.key)
        if old is not None and old.row.values == row.values:
            return
        entry = self._entry(row)
        self._entries[row.key] = entry
        self._hay[row.key] = entry.hay
        if old is None:
            change.added += 1
            self._seq[row.key] = self._arrival
            self._arrival += 1
        else:
            change.changed.add(row.key)
            change.moved = change.moved or bool(self.needle)
            if old.sort != entry.sort:
                change.moved = True
                self._asc.remove(row.key)
            else:
                self._grow(entry.widths)
                return
        self._grow(entry.widths)
        fresh.append(row.key)

    def _entry(self, row: TableRow) -> _Entry:
        texts = [s.export(v) for s, v in zip(self.specs, row.values, strict=False)]
        widths = tuple(
            self._measure(s, v, t) for s, v, t in zip(self.specs, row.values, texts, strict=False)
        )
        entry = _Entry(row, _SEP.join(texts).casefold(), widths)
        if self.sort_by is not None:
            entry.sort = sort_key(row.values[self._index(self.sort_by)])
        return entry

    @staticmethod
    def _measure(spec: Column, value: Any, text: str) -> int:
        if spec.width is not None and not spec.grow:
            return 0  # fixed: never measured
        if spec.render is cell:
            # The default cell shows the exported text (or a one-cell dash): no Text needed.
            width = (len(text) if text.isascii() else cell_len(text)) if text else 1
            if isinstance(value, bool):
                width = 3 if value else 2
        else:
            width = spec.render(value).cell_len
        return width if spec.grow else min(width, spec.max_width)

    def _grow(self, widths: tuple[int, ...]) -> None:
        self.widths = [max(a, b) for a, b in zip(self.widths, widths, strict=False)]

    def _remeasure(self) -> None:
        self.widths = [0] * len(self.specs)
        for entry in self._entries.values():
            self._grow(entry.widths)

    def _asc_key(self, key: str) -> tuple[Any, ...]:
        entry = self._entries[key]
        absent, value = entry.sort
        # Absent values go after every present one in either direction (see ``_display``).
        return (absent, value, self._seq[key])

    def _index(self, key: str) -> int:
        return next(i for i, s in enumerate(self.specs) if s.key == key)

    # -- sort and filter -----------------------------------------------------------------------

    def set_sort(self, key: str | None, reverse: bool) -> None:
        """Sort on column ``key`` (None: arrival order), ascending or not."""
        if key != self.sort_by:
            self.sort_by = key
            i = None if key is None else self._index(key)
            for entry in self._entries.values():
                entry.sort = (1, "") if i is None else sort_key(entry.row.values[i])
            self._asc.sort(key=self._asc_key)
        self.sort_reverse = reverse
        self._refilter()

    def set_filter(self, text: str) -> bool:
        """Show only rows with a cell containing ``text`` (case-insensitive).

        Returns:
            Whether the filter changed.
        """
        needle = text.strip()[:FILTER_MAX].casefold()
        if needle == self.needle:
            return False
        old, self.needle = self.needle, needle
        if old and old in needle:
            # The text grew (or kept what it had): only rows shown now can still match.
            hay = self._hay
            self.order = [k for k in self.order if needle in hay[k]]
            self._pos = None
        else:
            self._refilter()
        return True

    def _display(self) -> list[str]:
        if self.sort_by is None or not self.sort_reverse:
            return list(self._asc)
        entries = self._entries
        # Present values descending, then the absent ones (arrival order).
        split = bisect.bisect_left(self._asc, 1, key=lambda k: entries[k].sort[0])
        present = self._asc[:split]
        present.reverse()
        return present + self._asc[split:]

    def _refilter(self) -> None:
        rows = self._display()
        needle = self.needle
        if needle:
            hay = self._hay
            rows = [k for k in rows if needle in hay[k]]
        self.order = rows
        self._pos = None

    # -- positions -------------------------------------------------------------------------------

    def position(self, key: str) -> int | None:
        """Where ``key`` is shown, or None when it is filtered out or absent."""
        if self._pos is None:
            self._pos = {k: i for i, k in enumerate(self.order)}
        return self._pos.get(key)

    def shown(self, index: int) -> TableRow:
        """The row shown at ``index``."""
        return self._entries[self.order[index]].row

    def visible_rows(self) -> list[TableRow]:
        """The rows shown, in display order."""
        entries = self._entries
        return [entries[k].row for k in self.order]
