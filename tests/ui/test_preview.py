"""Report previews: flat files as tables, other files as lines, bounded reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwstui.ui.reports import preview_screen
from mwstui.ui.reports.preview_screen import read_preview
from mwstui.ui.widgets.enum_picker import matches


def test_flat_file_becomes_a_table(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes("order-id\tprice\n1\t9.99\n2\t€5\n".encode("cp1252"))
    preview = read_preview(path)
    assert preview.headers == ["order-id", "price"]
    assert preview.rows == [["1", "9.99"], ["2", "€5"]]
    assert preview.encoding == "windows-1252"
    assert not preview.truncated


def test_other_files_are_lines_and_rows_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "r.xml"
    path.write_text("\ufeff<a>\n" + "<b/>\n" * 300, encoding="utf-8")
    preview = read_preview(path, rows=10)
    assert preview.headers is None
    assert preview.rows[0] == ["<a>"] and len(preview.rows) == 10
    assert preview.truncated and preview.encoding == "utf-8"


def test_reads_at_most_the_byte_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preview_screen, "PREVIEW_BYTES", 64)
    path = tmp_path / "big.txt"
    path.write_text("a\tb\n" + "x\ty\n" * 1000, encoding="utf-8")
    preview = read_preview(path, rows=1000)
    assert preview.truncated
    assert len(preview.rows) < 20


def test_enum_search_ignores_case_and_underscores() -> None:
    assert matches("_GET_FLAT_FILE_ORDERS_DATA_", "flat orders")
    assert matches("_GET_FLAT_FILE_ORDERS_DATA_", "FILE_ORDERS")
    assert not matches("_GET_FLAT_FILE_ORDERS_DATA_", "xml")


def test_a_file_the_backend_saved_as_utf8_is_read_as_utf8(tmp_path: Path) -> None:
    # Valid UTF-8 that cp1252 would show as mojibake, and a byte UTF-8 cannot decode:
    # the encoding the backend gives wins over the guess, the bad byte shows as U+FFFD.
    path = tmp_path / "r.txt"
    path.write_bytes("sku\tname\n1\tCaña\n2\t".encode() + b"\xff\n")
    preview = read_preview(path, encoding="utf-8")
    assert preview.encoding == "utf-8"
    assert preview.rows == [["1", "Caña"], ["2", "\ufffd"]]
    assert read_preview(path).encoding == "windows-1252"  # the guess, without it
