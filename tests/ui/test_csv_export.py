"""CSV export: every visible row, and no cell that a spreadsheet would run."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Input

from mwstui.ui.dialogs.export_modal import ExportModal
from mwstui.ui.fulfillment.fulfillment_panel import FulfillmentPanel
from mwstui.ui.text.csv_export import LazyRows, neutralise, write_csv
from mwstui.ui.widgets.resource_table import TableRow
from tests.ui.harness import SIZE, Harness, make_app, settle, until


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


async def test_export_of_a_filtered_100_000_row_table_matches_the_rows_shown(
    harness: Harness, tmp_path: Path
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        panel = app.query_one(FulfillmentPanel)
        await until(pilot, lambda: panel.loaded_at is not None)
        table = panel.main_table()
        assert table is not None
        base = datetime(2026, 12, 1, tzinfo=UTC)
        statuses = ("PLANNING", "PROCESSING", "CANCELLED", "COMPLETE")
        table.add_rows(
            TableRow(
                f"BIG-{i:06d}",
                (
                    f"BIG-{i:06d}",
                    statuses[i % 4],
                    f"=D{i}",  # a would-be formula: written neutralised
                    base + timedelta(seconds=(i * 7919) % 100_000),
                    None,
                    "Standard",
                ),
            )
            for i in range(100_000)
        )
        panel.action_focus_filter()
        await pilot.press(*"cancel")
        await until(pilot, lambda: table.filter_text == "cancel")
        assert 25_000 <= table.row_count < 30_000
        shown = [table.export_row(r) for r in table.visible_rows()]
        table.focus()
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, ExportModal))
        modal = app.screen
        assert isinstance(modal, ExportModal)
        said: list[str] = []
        say = modal._error
        modal._error = lambda message, style="bold red": (said.append(message), say(message, style))  # type: ignore[method-assign]
        dest = tmp_path / "orders.csv"
        modal.query_one("#export-path", Input).value = str(dest)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is not modal, seconds=120)
        # Written by the dialog's worker, with a running count on the way.
        assert modal.written == len(shown)
        assert any(m.startswith("Writing 2,000 of") for m in said)
        with dest.open(encoding="utf-8", newline="") as fh:
            written = list(csv.reader(fh))
        assert written[0] == table.export_headers()
        assert written[1:] == [[neutralise(v) for v in row] for row in shown]
        assert written[1][2].startswith("'=D")
