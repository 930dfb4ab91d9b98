"""The rows behind a ResourceTable: search keys, sort order and filter, kept incrementally.

Nothing here draws. Each row's search key (its exported cells, casefolded) and its cells'
widths are computed once, when the row arrives or changes. The rows are kept in display
order, as a list of entries that carry their search key, so a keystroke in the filter is
one substring test per candidate row in a single list comprehension, and a filter that
only grew is applied to the rows it left (``narrowing``): typing costs less with every
key. A page of new rows goes in by bisection (into the whole order and into the filtered
one), never by sorting or filtering everything again, so a load of 2,000 pages stays
linear in its rows.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any

from rich.cells import cell_len

from mwstui.ui.text.safe_text import cell, plain
from mwstui.ui.widgets.table_columns import MAX_WIDTH, Column, TableRow, sort_key

__all__ = ["FILTER_MAX", "MAX_WIDTH", "Change", "Column", "TableModel", "TableRow", "sort_key"]

FILTER_MAX = 200
"""Longest filter text applied; no row's fields are longer in practice, and a pasted page of
text must not turn each key into a long scan."""

BULK = 256
"""Rows changed at once above which the order is rebuilt by one sort instead of bisections."""

TRAIL = 32
"""Shorter filters remembered for backspaces (each is a list of the rows it left)."""

_SEP = "\n"
"""Between the cells of a search key: a filter (one line) never matches across two cells."""


class _Entry:
    """One row as the model holds it (``__slots__``: 100,000 of these stay small)."""

    __slots__ = ("hay", "key", "row", "seq", "widths")

    def __init__(self, row: TableRow, hay: str, widths: tuple[int, ...], seq: int) -> None:
        self.row = row
        self.hay = hay
        """The search key: exported cells, casefolded, one per line."""
        self.widths = widths
        """Each cell's width on screen (one shared tuple for every row of the same shape)."""
        self.seq = seq
        """Arrival number: the tie-break of equal sort values, the order without a sort."""
        self.key: tuple[Any, ...] = (0, seq)
        """Where the row goes in ascending order: (absent, kind, sort value, arrival)."""


_KEY = attrgetter("key")
"""Bisection and sorting compare the stored keys in C: no Python call per comparison."""
_SEQ = attrgetter("seq")


class Change:
    """What a data update did: which shown keys changed, and whether rows came or went."""

    __slots__ = ("added", "changed", "moved", "removed")

    def __init__(self) -> None:
        self.changed: set[str] = set()
        self.added = 0
        self.removed = 0
        self.moved = False
        """A changed row moved or was shown or hidden by the filter."""

    @property
    def any(self) -> bool:
        """Whether anything differs from before."""
        return bool(self.changed or self.added or self.removed)


class TableModel:
    """All rows, their search keys, the sort order and the rows the filter leaves.

    Rows are held in ascending order; a descending sort shows the rows with a value from
    the last to the first, then the rows without one (``_at`` maps a display index), so
    reversing the sort costs nothing and bisection always compares stored tuples.

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
        self._col = None if sort_by is None else self._index(sort_by)
        self._entries: dict[str, _Entry] = {}
        self._all: list[_Entry] = []
        """Every row, ascending."""
        self._shown: list[_Entry] = []
        """The rows the filter leaves, ascending."""
        self._trail: list[tuple[str, list[_Entry]]] = []
        """What shorter filters of the text typed left, kept up to date: a backspace after
        typing takes its rows back from here instead of searching every row again."""
        self._arrival = 0
        self._shapes: dict[tuple[int, ...], tuple[int, ...]] = {}
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
        latest = _latest(rows)
        puts = [p for p in (self._put(row, change) for row in latest.values()) if p is not None]
        self._apply(puts, change)
        return change

    def replace(self, rows: Iterable[TableRow]) -> Change:
        """Make ``rows`` the whole data: rows not among them go."""
        change = Change()
        latest = _latest(rows)
        puts = [p for p in (self._put(row, change) for row in latest.values()) if p is not None]
        gone = [e for k, e in self._entries.items() if k not in latest]
        if gone:
            change.removed = len(gone)
            change.moved = True
            for entry in gone:
                if len(gone) <= BULK:
                    self._unplace(entry)
                del self._entries[entry.row.key]
            if len(gone) > BULK:
                entries = self._entries
                self._all = [e for e in self._all if e.row.key in entries]
                self._shown = [e for e in self._shown if e.row.key in entries]
                self._trail.clear()
        self._apply(puts, change)
        if gone:
            self._remeasure()
        return change

    def _put(self, row: TableRow, change: Change) -> tuple[_Entry | None, _Entry] | None:
        """The (old, new) entries of a row that is new or changed; None when unchanged."""
        old = self._entries.get(row.key)
        if old is not None:
            if old.row is row or old.row.values == row.values:
                return None
            seq = old.seq
            change.changed.add(row.key)
        else:
            seq = self._arrival
            self._arrival += 1
            change.added += 1
        return old, self._entry(row, seq)

    def _apply(self, puts: list[tuple[_Entry | None, _Entry]], change: Change) -> None:
        if len(puts) > BULK:
            for _old, new in puts:
                self._entries[new.row.key] = new
                self._grow(new.widths)
            self._rebuild()
            change.moved = change.moved or bool(change.changed)
            return
        for old, new in puts:
            was = None if old is None else self._unplace(old)
            self._entries[new.row.key] = new
            self._grow(new.widths)
            now = self._place(new)
            if old is not None and was != now:
                change.moved = True

    def _entry(self, row: TableRow, seq: int) -> _Entry:
        texts = []
        widths = []
        for spec, value in zip(self.specs, row.values, strict=False):
            if spec.export is plain and type(value) is str and value.isprintable():
                # What ``plain`` returns for printable text, without its two regex passes.
                text = value
            else:
                text = spec.export(value)
            texts.append(text)
            widths.append(self._measure(spec, value, text))
        shape = tuple(widths)
        # Rows of one list mostly share their widths: one tuple for all of them.
        shape = self._shapes.setdefault(shape, shape)
        entry = _Entry(row, _SEP.join(texts).casefold(), shape, seq)
        entry.key = self._key(entry)
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
        current = self.widths
        for i, w in enumerate(widths):
            if w > current[i]:
                current[i] = w

    def _remeasure(self) -> None:
        self.widths = [0] * len(self.specs)
        for shape in {e.widths for e in self._entries.values()}:
            self._grow(shape)

    def _index(self, key: str) -> int:
        return next(i for i, s in enumerate(self.specs) if s.key == key)

    # -- order -------------------------------------------------------------------------------

    def _key(self, entry: _Entry) -> tuple[Any, ...]:
        """(absent, kind, value, arrival): absent values after every present one."""
        if self._col is None:
            return (0, entry.seq)
        absent, kind, value = sort_key(entry.row.values[self._col])
        return (absent, kind, value, entry.seq)

    def _place(self, entry: _Entry) -> int | None:
        """Insert ``entry`` in the orders; where it is shown (ascending), or None."""
        key = entry.key
        bisect.insort(self._all, entry, key=_KEY)
        for needle, rows in self._trail:
            if needle in entry.hay:
                rows.insert(bisect.bisect_left(rows, key, key=_KEY), entry)
        if self.needle and self.needle not in entry.hay:
            return None
        at = bisect.bisect_left(self._shown, key, key=_KEY)
        self._shown.insert(at, entry)
        return at

    def _unplace(self, entry: _Entry) -> int | None:
        """Take ``entry`` out of the orders; where it was shown (ascending), or None."""
        self._drop(self._all, entry)
        for _needle, rows in self._trail:
            self._drop(rows, entry)
        return self._drop(self._shown, entry)

    @staticmethod
    def _drop(rows: list[_Entry], entry: _Entry) -> int | None:
        at = bisect.bisect_left(rows, entry.key, key=_KEY)
        if at < len(rows) and rows[at] is entry:
            del rows[at]
            return at
        return None

    def _rebuild(self) -> None:
        """Sort every row again (a new sort column, or many rows at once), then filter.

        Sorting on the whole keys compares tuples item by item through Python's generic
        comparison (~0.2 s of CPU at 100,000 rows). The same order comes from a stable sort
        on the value alone of each (absent, kind) group, its rows taken in arrival order:
        the values of a group are all floats or all strings, which CPython compares
        directly (~25 ms).
        """
        entries = sorted(self._entries.values(), key=_SEQ)
        col = self._col
        if col is None:
            for e in entries:
                e.key = (0, e.seq)
        else:
            for e in entries:  # ``_key`` inlined: this loop runs once per row
                missing, kind, value = sort_key(e.row.values[col])
                e.key = (missing, kind, value, e.seq)
            numbers = [e for e in entries if not e.key[0] and not e.key[1]]
            texts = [e for e in entries if not e.key[0] and e.key[1]]
            absent = [e for e in entries if e.key[0]]  # arrival order, as their keys say
            numbers.sort(key=_value)
            texts.sort(key=_value)
            entries = numbers + texts + absent
        self._all = entries
        self._refilter()

    # -- sort and filter -----------------------------------------------------------------------

    def set_sort(self, key: str | None, reverse: bool) -> None:
        """Sort on column ``key`` (None: arrival order), ascending or not."""
        self.sort_reverse = reverse  # only how the rows are read: nothing to sort again
        if key != self.sort_by:
            self.sort_by = key
            self._col = None if key is None else self._index(key)
            self._rebuild()

    def set_filter(self, text: str) -> bool:
        """Show only rows with a cell containing ``text`` (case-insensitive).

        Returns:
            Whether the filter changed.
        """
        needle = text.strip()[:FILTER_MAX].casefold()
        if needle == self.needle:
            return False
        old, self.needle = self.needle, needle
        trail = self._trail
        if old and old in needle:
            # The text grew (or kept what it had): only rows shown now can still match.
            if len(trail) < TRAIL:
                trail.append((old, self._shown))
            self._shown = [e for e in self._shown if needle in e.hay]
            return True
        while trail and trail[-1][0] not in needle:
            trail.pop()  # rows of a text that is no longer part of the filter
        if trail and trail[-1][0] == needle:
            self._shown = trail.pop()[1]  # a backspace back to a text typed before
        elif trail:
            self._shown = [e for e in trail[-1][1] if needle in e.hay]
        else:
            self._refilter()
        return True

    def _refilter(self) -> None:
        self._trail.clear()
        needle = self.needle
        self._shown = [e for e in self._all if needle in e.hay] if needle else list(self._all)

    # -- what is shown, in display order ----------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Rows shown."""
        return len(self._shown)

    def _present(self) -> int:
        """How many shown rows have a sort value (they come before the others)."""
        return bisect.bisect_left(self._shown, 1, key=_absent)

    def _at(self, index: int) -> _Entry:
        if self.sort_reverse and self._col is not None:
            present = self._present()
            if index < present:
                return self._shown[present - 1 - index]
        return self._shown[index]

    def _display(self) -> list[_Entry]:
        if not (self.sort_reverse and self._col is not None):
            return self._shown
        present = self._present()
        return self._shown[present - 1 :: -1] + self._shown[present:] if present else self._shown

    def position(self, key: str) -> int | None:
        """Where ``key`` is shown, or None when it is filtered out or absent."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        at = bisect.bisect_left(self._shown, entry.key, key=_KEY)
        if at >= len(self._shown) or self._shown[at] is not entry:
            return None
        if self.sort_reverse and self._col is not None:
            present = self._present()
            if at < present:
                return present - 1 - at
        return at

    def key_at(self, index: int) -> str:
        """The key of the row shown at ``index``."""
        return self._at(index).row.key

    def shown(self, index: int) -> TableRow:
        """The row shown at ``index``."""
        return self._at(index).row

    def keys_between(self, start: int, end: int) -> list[str]:
        """The keys shown from index ``start`` up to ``end`` (excluded)."""
        end = min(end, len(self._shown))
        return [self._at(i).row.key for i in range(max(0, start), end)]

    def shown_keys(self) -> list[str]:
        """The keys shown, in display order."""
        return [e.row.key for e in self._display()]

    def visible_rows(self) -> list[TableRow]:
        """The rows shown, in display order."""
        return [e.row for e in self._display()]


def _latest(rows: Iterable[TableRow]) -> dict[str, TableRow]:
    """Each key's last row, in the order keys first came (a key twice in a page is one row)."""
    latest: dict[str, TableRow] = {}
    for row in rows:
        latest[row.key] = row
    return latest


def _absent(entry: _Entry) -> int:
    return int(entry.key[0])


def _value(entry: _Entry) -> Any:
    """The sort value alone (the rows compared share their absent and kind)."""
    return entry.key[2]
