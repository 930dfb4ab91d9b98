"""CSV export: every visible row, and no cell that a spreadsheet would run."""

from __future__ import annotations

import csv
from pathlib import Path

from mwstui.ui.csv_export import neutralise, write_csv


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
