"""Request a new report: type from the enumeration (searchable), dates, marketplaces, options.

Every field is checked (``mwstui.validation``) before the form is handed back, and each
problem is shown right under its field; nothing is sent while one remains.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, SelectionList, Static

from mwstui import validation
from mwstui.backend.report_records import MarketplaceChoice, ReportRequest
from mwstui.clock import Clock
from mwstui.ui.reports.report_options import EXAMPLE, MAX_LENGTH, parse_report_options
from mwstui.ui.text.form_values import parse_field
from mwstui.ui.text.safe_text import clean
from mwstui.ui.widgets.enum_picker import EnumPicker
from mwstui.ui.widgets.tick_list import TickList

PICK_TYPE = "pick a report type (type to search, Enter to pick)"

TypeCheck = Callable[[str], str | None]
"""Why the backend refuses a report type for a request (one line), or None."""


class RequestReportModal(ModalScreen[ReportRequest | None]):
    """The new-report form; dismisses with the request, or None when abandoned.

    Args:
        clock: the session clock (dates are checked against it).
        report_types: the types the backend offers for a request (catalog order).
        marketplaces: the marketplaces it may be requested for, the account's ticked.
        check_type: the backend's check of a report type typed or picked.
        report_type: a type to start with.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back")]

    def __init__(
        self,
        clock: Clock,
        report_types: Sequence[str],
        marketplaces: Sequence[MarketplaceChoice],
        check_type: TypeCheck,
        report_type: str | None = None,
    ) -> None:
        super().__init__(classes="form-modal")
        self.clock = clock
        self.report_types = list(report_types)
        self.marketplaces = list(marketplaces)
        self.check_type = check_type
        self.initial_type = report_type

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Request a report", style="bold"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Label("Report type")
                yield EnumPicker(
                    self.report_types,
                    value=self.initial_type,
                    placeholder="type to search, e.g. orders flat",
                    id="rr-type",
                )
                yield Static(Text(""), classes="form-error", id="rr-type-error")
                if self.marketplaces:
                    yield Label("Marketplaces (X: requested; space to change)")
                    yield TickList(
                        *[(Text(m.label), m.id, m.preselected) for m in self.marketplaces],
                        id="rr-markets",
                    )
                    yield Static(Text(""), classes="form-error", id="rr-markets-error")
                with Horizontal(classes="form-row"):
                    yield Label("Start", classes="field-label")
                    yield Input(placeholder="YYYY-MM-DD (optional)", id="rr-start", compact=True)
                    yield Label("End", classes="field-label")
                    yield Input(placeholder="YYYY-MM-DD (optional)", id="rr-end", compact=True)
                yield Static(Text(""), classes="form-error", id="rr-dates-error")
                yield Label("Report options (optional)")
                yield Input(
                    placeholder=f"key=value;key=value, e.g. {EXAMPLE}",
                    max_length=MAX_LENGTH,
                    id="rr-options",
                    compact=True,
                )
                yield Static(Text(""), classes="form-error", id="rr-options-error")
            yield Static(Text(""), classes="form-error", id="rr-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Back", id="rr-back", compact=True)
                yield Button("Request", id="rr-go", compact=True, variant="primary")

    def on_mount(self) -> None:
        self.query_one("#rr-type Input", Input).focus()

    def problems(self) -> dict[str, str]:
        """Field (``type``, ``dates``, ``markets``, ``options``) → what is wrong with it;
        empty when valid."""
        found: dict[str, str] = {}
        picker = self.query_one("#rr-type", EnumPicker)
        typed = self.query_one("#rr-type Input", Input).value.strip()
        problem: str | None
        if picker.value is not None:
            problem = self.check_type(picker.value)
        elif typed:
            # Typed but not picked: say why the service would refuse it.
            problem = self.check_type(typed) or PICK_TYPE
        else:
            problem = f"ReportType is required: {PICK_TYPE}"
        if problem:
            found["type"] = problem
        start, bad_start = parse_field("StartDate", self.query_one("#rr-start", Input).value)
        end, bad_end = parse_field(
            "EndDate", self.query_one("#rr-end", Input).value, end_of_day=True
        )
        dates = bad_start or bad_end or validation.date_range(start, end, now=self.clock.now())
        if dates:
            found["dates"] = dates
        if self.query("#rr-markets"):
            markets = [str(m) for m in self.query_one("#rr-markets", SelectionList).selected]
            if not markets:
                found["markets"] = "MarketplaceIdList: pick at least one marketplace"
            elif bad := next(filter(None, map(validation.marketplace_id, markets)), None):
                found["markets"] = bad
        try:
            parse_report_options(self.query_one("#rr-options", Input).value)
        except ValueError as exc:
            found["options"] = str(exc)
        return found

    def form(self) -> ReportRequest:
        """The request as typed (check ``problems()`` first).

        Raises:
            ValueError: the first problem, one line.
        """
        found = self.problems()
        if found:
            raise ValueError(next(iter(found.values())))
        report_type = self.query_one("#rr-type", EnumPicker).value
        assert report_type is not None
        start, _ = parse_field("StartDate", self.query_one("#rr-start", Input).value)
        end, _ = parse_field("EndDate", self.query_one("#rr-end", Input).value, end_of_day=True)
        markets = self.query("#rr-markets")
        ids = list(self.query_one("#rr-markets", SelectionList).selected) if markets else []
        options = parse_report_options(self.query_one("#rr-options", Input).value)
        return ReportRequest(report_type, tuple(str(m) for m in ids), start, end, options)

    def show_problems(self, found: dict[str, str]) -> None:
        """Each message under its field, and the first one by the buttons."""
        for name in ("type", "dates", "markets", "options"):
            widgets = self.query(f"#rr-{name}-error")
            if widgets:
                message = found.get(name, "")
                widgets.first(Static).update(Text(clean(message), style="bold red"))
        summary = ""
        if found:
            summary = next(iter(found.values()))
            if len(found) > 1:
                summary += f" (and {len(found) - 1} more above)"
        self.query_one("#rr-error", Static).update(Text(clean(summary), style="bold red"))

    @on(Button.Pressed, "#rr-go")
    def _go(self) -> None:
        found = self.problems()
        self.show_problems(found)
        if not found:
            self.dismiss(self.form())

    @on(Input.Submitted, "#rr-start, #rr-end, #rr-options")
    def _dates_done(self) -> None:
        self._go()

    @on(Button.Pressed, "#rr-back")
    def action_cancel(self) -> None:
        """Leave without requesting anything."""
        self.dismiss(None)
