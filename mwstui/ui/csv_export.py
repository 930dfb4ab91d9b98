"""Export a table to CSV, safely: no cell can become a spreadsheet formula."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from mwstui import locations
from mwstui.locations import private_opener

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


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> int:
    """Write ``headers`` and ``rows`` to ``path`` (UTF-8, RFC 4180 quoting).

    Returns:
        The number of data rows written.

    Raises:
        OSError: the file cannot be written.
    """
    with open(path, "w", encoding="utf-8", newline="", opener=private_opener) as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([neutralise(v) for v in row])
    locations.keep_private(path)  # an existing file keeps its old mode otherwise
    return len(rows)
