"""The start-up baseline: a bare Textual app with five tabs and a 100-row table.

``python -m tests.bench.bare_app`` — the least any dashboard of this shape costs to
show its first rows, started the same way as ``mwstui --sandbox``.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, TabbedContent, TabPane

TABS = ("Reports", "Schedules", "Fulfillment", "SellerCenter", "Activity")


class BareApp(App[None]):
    """Header, tabs, a table of 100 report-request-like rows, footer."""

    BINDINGS = [("q", "quit", "Quit")]  # noqa: RUF012

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent():
            for n, label in enumerate(TABS, 1):
                with TabPane(f"{n} {label}"):
                    if n == 1:
                        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Request id", "Type", "Status", "Submitted", "Report id")
        for k in range(100):
            table.add_row(
                f"{51781018424 + k * 7919}",
                "_GET_FLAT_FILE_ORDERS_DATA_",
                "_DONE_",
                f"2025-12-30 12:{k % 60:02d}",
                f"{21175694446018424 + k}",
            )
        table.focus()


if __name__ == "__main__":
    BareApp().run()
