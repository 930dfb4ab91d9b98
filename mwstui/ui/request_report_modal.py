"""Request a new report: type from the enumeration (searchable), dates and marketplaces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, SelectionList, Static

from mwstui.catalog import Marketplace, load_catalog
from mwstui.clock import Clock
from mwstui.ui.enum_picker import EnumPicker
from mwstui.ui.form_values import DATE_HELP, check_range, parse_when


@dataclass(frozen=True, slots=True)
class ReportRequestForm:
    """What RequestReport will be sent with."""

    report_type: str
    start_date: datetime | None
    end_date: datetime | None
    marketplace_ids: list[str]


def requestable_types() -> list[str]:
    """Report types RequestReport accepts (catalog order)."""
    return [t.type for t in load_catalog().report_types if t.requestable]


def region_marketplaces(marketplace_ids: list[str]) -> list[Marketplace]:
    """Marketplaces in the same region as the account's (a request spans one region)."""
    catalog = load_catalog()
    regions = {m.region for mid in marketplace_ids if (m := catalog.marketplace(mid))}
    if not regions:
        return []
    return [m for m in catalog.marketplaces if m.region in regions]


class RequestReportModal(ModalScreen[ReportRequestForm | None]):
    """The new-report form; dismisses with the form, or None when abandoned.

    Args:
        clock: the session clock (dates are checked against it).
        marketplace_ids: the account's marketplace(s), preselected.
        report_type: a type to start with.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back")]

    def __init__(
        self, clock: Clock, marketplace_ids: list[str], report_type: str | None = None
    ) -> None:
        super().__init__(classes="form-modal")
        self.clock = clock
        self.marketplace_ids = marketplace_ids
        self.initial_type = report_type

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Request a report", style="bold"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Label("Report type")
                yield EnumPicker(
                    requestable_types(),
                    value=self.initial_type,
                    placeholder="type to search, e.g. orders flat",
                    id="rr-type",
                )
                with Horizontal(classes="form-row"):
                    yield Label("Start", classes="field-label")
                    yield Input(placeholder="YYYY-MM-DD (optional)", id="rr-start", compact=True)
                    yield Label("End", classes="field-label")
                    yield Input(placeholder="YYYY-MM-DD (optional)", id="rr-end", compact=True)
                markets = region_marketplaces(self.marketplace_ids)
                if markets:
                    yield Label("Marketplaces")
                    yield SelectionList[str](
                        *[
                            (
                                Text(f"{m.country} {m.marketplace_id}"),
                                m.marketplace_id,
                                m.marketplace_id in self.marketplace_ids,
                            )
                            for m in markets
                        ],
                        id="rr-markets",
                    )
                yield Static(Text(""), classes="form-error", id="rr-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Back", id="rr-back", compact=True)
                yield Button("Request", id="rr-go", compact=True, variant="primary")

    def on_mount(self) -> None:
        self.query_one("#rr-type Input", Input).focus()

    def _error(self, message: str) -> None:
        self.query_one("#rr-error", Static).update(Text(message, style="bold red"))

    def form(self) -> ReportRequestForm:
        """The form as typed.

        Raises:
            ValueError: the first problem, one line.
        """
        report_type = self.query_one("#rr-type", EnumPicker).value
        if not report_type:
            raise ValueError("pick a report type (type to search, Enter to pick)")
        try:
            start = parse_when(self.query_one("#rr-start", Input).value)
            end = parse_when(self.query_one("#rr-end", Input).value, end_of_day=True)
        except ValueError as exc:
            raise ValueError(f"dates: {DATE_HELP}") from exc
        check_range(start, end, self.clock.now())
        found = self.query("#rr-markets")
        markets = list(self.query_one("#rr-markets", SelectionList).selected) if found else []
        if found and not markets:
            raise ValueError("pick at least one marketplace")
        return ReportRequestForm(report_type, start, end, [str(m) for m in markets])

    @on(Button.Pressed, "#rr-go")
    def _go(self) -> None:
        try:
            form = self.form()
        except ValueError as exc:
            self._error(str(exc))
            return
        self.dismiss(form)

    @on(Input.Submitted, "#rr-start, #rr-end")
    def _dates_done(self) -> None:
        self._go()

    @on(Button.Pressed, "#rr-back")
    def action_cancel(self) -> None:
        """Leave without requesting anything."""
        self.dismiss(None)
