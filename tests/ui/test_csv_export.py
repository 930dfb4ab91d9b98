"""CSV export: every visible row, and no cell that a spreadsheet would run."""

from __future__ import annotations

import csv
from pathlib import Path

from mwstui.ui.csv_export import LazyRows, neutralise, write_csv


def test_neutralise_formulas_but_not_numbers() -> None:
    assert neutralise('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-12.5") == "-12.5"
    assert neutralise("+x") == "'+x"
    assert neutralise("plain") == "plain"


def test_write_csv(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    n = write_csv(path, ["id", "note"], [["1", "a,b"], ["2", "=cmd|' /C calc'!A0"]])
    assert n == 2
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows == [["id", "note"], ["1", "a,b"], ["2", "'=cmd|' /C calc'!A0"]]


def test_lazy_rows_stream_with_progress(tmp_path: Path) -> None:
    converted: list[int] = []

    def convert(i: int) -> list[str]:
        converted.append(i)
        return [str(i), f"={i}"]

    rows = LazyRows(range(5_000), convert)
    assert len(rows) == 5_000 and not converted  # nothing exported before it is written
    seen: list[int] = []
    n = write_csv(tmp_path / "big.csv", ["n", "f"], rows, seen.append)
    assert n == 5_000 and seen == [2_000, 4_000]
    lines = (tmp_path / "big.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1] == "0,'=0" and len(lines) == 5_001
