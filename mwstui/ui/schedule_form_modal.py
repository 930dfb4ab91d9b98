"""Create or change a report schedule: type, schedule, and an optional first date (≤ 366 days)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from mwstui.catalog import load_catalog
from mwstui.clock import Clock
from mwstui.mws.models import ReportSchedule
from mwstui.ui import fmt
from mwstui.ui.enum_picker import EnumPicker
from mwstui.ui.form_values import check_schedule_date, max_schedule_days, parse_when
from mwstui.ui.safe_text import clean, format_datetime, literal

NEVER = "_NEVER_"


@dataclass(frozen=True, slots=True)
class ScheduleForm:
    """What ManageReportSchedule will be sent with."""

    report_type: str
    schedule: str
    schedule_date: datetime | None


def schedulable_types() -> list[str]:
    """Report types ManageReportSchedule accepts (catalog order)."""
    return [t.type for t in load_catalog().report_types if t.schedulable]


def schedule_choices() -> list[tuple[Text, str]]:
    """Every schedule but ``_NEVER_`` (deleting is its own, confirmed, action)."""
    return [
        (Text(f"every {fmt.interval(seconds)} · {name}"), name)
        for name, seconds in load_catalog().schedules.items()
        if name != NEVER and seconds is not None
    ]


class ScheduleFormModal(ModalScreen[ScheduleForm | None]):
    """The schedule form; validates everything before dismissing with it.

    Args:
        clock: the session clock (the date limit is relative to it).
        existing: the schedule being changed (its type is fixed), or None to create.
        current: report type → schedule of every existing schedule (warns on replace).
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back")]

    def __init__(
        self,
        clock: Clock,
        existing: ReportSchedule | None = None,
        current: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(classes="form-modal")
        self.clock = clock
        self.existing = existing
        self.current = dict(current or {})

    def compose(self) -> ComposeResult:
        e = self.existing
        title = "Change schedule" if e else "New report schedule"
        with Vertical(classes="dialog"):
            yield Static(Text(title, style="bold"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Label("Report type")
                if e is None:
                    yield EnumPicker(
                        schedulable_types(), placeholder="type to search", id="sf-type"
                    )
                else:
                    yield Static(literal(e.report_type, "bold"), id="sf-type-fixed")
                yield Label("Schedule")
                choices = schedule_choices()
                start = (
                    str(e.schedule) if e and str(e.schedule) in {v for _, v in choices} else None
                )
                yield Select(
                    choices,
                    value=start or Select.NULL,
                    prompt="choose how often",
                    id="sf-schedule",
                    compact=True,
                )
                yield Label(f"First run (optional; UTC; at most {max_schedule_days()} days ahead)")
                hint = "YYYY-MM-DD HH:MM"
                if e and e.scheduled_date:
                    hint += f" (next run now {format_datetime(e.scheduled_date)})"
                yield Input(placeholder=hint, id="sf-date", compact=True)
                yield Static(Text(""), classes="form-note", id="sf-note")
                yield Static(Text(""), classes="form-error", id="sf-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Back", id="sf-back", compact=True)
                yield Button("Save", id="sf-go", compact=True, variant="primary")

    def on_mount(self) -> None:
        if self.existing is None:
            self.query_one("#sf-type Input", Input).focus()
        else:
            self.query_one("#sf-schedule", Select).focus()

    @on(EnumPicker.Picked)
    def _picked(self, event: EnumPicker.Picked) -> None:
        old = self.current.get(event.value)
        note = f"replaces its current {clean(old)} schedule" if old else ""
        self.query_one("#sf-note", Static).update(Text(note, style="yellow"))

    def form(self) -> ScheduleForm:
        """The form as filled in.

        Raises:
            ValueError: the first problem, one line (nothing has been sent).
        """
        if self.existing is not None:
            report_type: str | None = self.existing.report_type
        else:
            report_type = self.query_one("#sf-type", EnumPicker).value
        if not report_type:
            raise ValueError("pick a report type (type to search, Enter to pick)")
        schedule = self.query_one("#sf-schedule", Select).value
        if not isinstance(schedule, str):
            raise ValueError("choose a schedule")
        when = parse_when(self.query_one("#sf-date", Input).value)
        check_schedule_date(when, self.clock.now())
        return ScheduleForm(report_type, schedule, when)

    @on(Input.Submitted, "#sf-date")
    @on(Button.Pressed, "#sf-go")
    def _go(self) -> None:
        try:
            form = self.form()
        except ValueError as exc:
            self.query_one("#sf-error", Static).update(Text(clean(str(exc)), style="bold red"))
            return
        self.dismiss(form)

    @on(Button.Pressed, "#sf-back")
    def action_cancel(self) -> None:
        """Leave without changing anything."""
        self.dismiss(None)
