"""Preview the first rows of a downloaded report: a table for flat files, lines otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from mwstui.ui.text.safe_text import cell, clean, literal

PREVIEW_ROWS = 100
"""Data rows shown."""
PREVIEW_BYTES = 1024 * 1024
"""Bytes read at most: a preview of a 2 GB report must not read 2 GB."""


@dataclass(frozen=True, slots=True)
class Preview:
    """The first rows of a report file."""

    headers: list[str] | None
    """Column names when the file is tab-separated (Amazon flat files), else None."""
    rows: list[list[str]]
    encoding: str
    truncated: bool
    """True when the file has more than what is shown."""


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Bytes → text: in ``encoding`` when the backend knows how it saved the file (what
    does not decode shows as U+FFFD); else UTF-8 (with or without BOM), else Windows-1252
    (older flat files)."""
    if encoding:
        text = data.decode(encoding, errors="replace")
        return text.removeprefix("\ufeff"), encoding
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def read_preview(path: Path, rows: int = PREVIEW_ROWS, encoding: str | None = None) -> Preview:
    """Read the head of ``path``.

    Args:
        path: the saved report.
        rows: data rows kept.
        encoding: how the backend saved it (``SavedReport.encoding``); None: guessed.

    Raises:
        OSError: the file cannot be read.
    """
    with path.open("rb") as fh:
        data = fh.read(PREVIEW_BYTES + 1)
    more_bytes = len(data) > PREVIEW_BYTES
    text, encoding = decode(data[:PREVIEW_BYTES], encoding)
    lines = text.splitlines()
    if more_bytes and lines:
        lines = lines[:-1]  # the last line was cut by the byte limit
    if lines and "\t" in lines[0]:
        headers = lines[0].split("\t")
        body = [line.split("\t") for line in lines[1 : rows + 1]]
        truncated = more_bytes or len(lines) - 1 > rows
        return Preview(headers, body, encoding, truncated)
    return Preview(
        None, [[line] for line in lines[:rows]], encoding, more_bytes or len(lines) > rows
    )


class PreviewScreen(ModalScreen[None]):
    """The first rows of a saved report, as a table.

    Args:
        path: the saved report.
        encoding: how the backend saved it (None: guessed from the bytes).
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "close", "Close")]

    def __init__(self, path: Path, encoding: str | None = None) -> None:
        super().__init__(classes="preview")
        self.path = path
        self.encoding = encoding

    def compose(self) -> ComposeResult:
        try:
            preview: Preview | None = read_preview(self.path, encoding=self.encoding)
            problem = ""
        except OSError as exc:
            preview, problem = None, clean(f"{type(exc).__name__}: {exc.strerror or exc}")
        with Vertical(id="preview-dialog"):
            yield Static(
                Text.assemble(("Preview ", "bold"), literal(self.path, "bold")),
                id="preview-title",
            )
            if preview is None:
                yield Static(Text(f"Cannot read it: {problem}", style="bold red"))
                return
            shown = len(preview.rows)
            more = " (more in the file)" if preview.truncated else ""
            yield Static(
                Text(f"first {shown} rows{more} · {preview.encoding} · escape closes", "dim"),
                id="preview-info",
            )
            table: DataTable[Text] = DataTable(zebra_stripes=True, id="preview-table")
            headers = preview.headers or ["line"]
            for i, name in enumerate(headers):
                table.add_column(Text(clean(name) or f"column {i + 1}"), key=str(i))
            width = len(headers)
            for row in preview.rows:
                cells = [cell(v) for v in (row + [""] * width)[:width]]
                table.add_row(*cells)
            yield table

    def on_mount(self) -> None:
        found = self.query("#preview-table")
        if found:
            found.first().focus()

    def action_close(self) -> None:
        """Back to the reports."""
        self.dismiss(None)
