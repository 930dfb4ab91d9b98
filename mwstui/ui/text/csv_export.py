"""Export a table to CSV, safely: no cell can become a spreadsheet formula."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Generic, TypeVar, overload

from mwstui.settings import locations
from mwstui.settings.locations import private_opener

T = TypeVar("T")

PROGRESS_EVERY = 2_000
"""Rows between two progress reports of a long export."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these runs as a formula in Excel/LibreOffice."""


def neutralise(value: str) -> str:
    """Prefix a would-be formula with ``'`` (server text must not run in a spreadsheet)."""
    if value.startswith(FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


class LazyRows(Sequence[list[str]], Generic[T]):
    """Rows exported one at a time as they are written (100,000 rows never held as text).

    Args:
        items: the records, in order (a snapshot: later changes to the table do not apply).
        convert: one record → its CSV cells.
    """

    def __init__(self, items: Sequence[T], convert: Callable[[T], list[str]]) -> None:
        self._items = items
        self._convert = convert

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> list[str]: ...
    @overload
    def __getitem__(self, index: slice) -> list[list[str]]: ...
    def __getitem__(self, index: int | slice) -> list[str] | list[list[str]]:
        if isinstance(index, slice):
            return [self._convert(item) for item in self._items[index]]
        return self._convert(self._items[index])

    def __iter__(self) -> Iterator[list[str]]:
        return (self._convert(item) for item in self._items)


def write_csv(
    path: Path,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``headers`` and ``rows`` to ``path`` (UTF-8, RFC 4180 quoting).

    Args:
        path: the file.
        headers: the header row.
        rows: the data rows (a ``LazyRows`` streams them).
        progress: called with the rows written so far, every ``PROGRESS_EVERY`` rows.

    Returns:
        The number of data rows written.

    Raises:
        OSError: the file cannot be written.
    """
    n = 0
    with open(path, "w", encoding="utf-8", newline="", opener=private_opener) as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([neutralise(v) for v in row])
            n += 1
            if progress is not None and n % PROGRESS_EVERY == 0:
                progress(n)
    locations.keep_private(path)  # an existing file keeps its old mode otherwise
    return n
