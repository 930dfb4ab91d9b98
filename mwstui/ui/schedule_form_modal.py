"""Create or change a report schedule: type, schedule, and an optional first date (≤ 366 days).

Each field is checked (``mwstui.validation``) before the form is handed back; a problem is
shown under its field and nothing is sent while one remains.
"""

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

from mwstui import validation
from mwstui.catalog import load_catalog
from mwstui.clock import Clock
from mwstui.mws.models import ReportSchedule
from mwstui.ui import fmt
from mwstui.ui.enum_picker import EnumPicker
from mwstui.ui.form_values import max_schedule_days, parse_field
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
                yield Static(Text(""), classes="form-error", id="sf-type-error")
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
                yield Static(Text(""), classes="form-error", id="sf-schedule-error")
                yield Label(f"First run (optional; UTC; at most {max_schedule_days()} days ahead)")
                yield Input(placeholder="YYYY-MM-DD HH:MM", id="sf-date", compact=True)
                yield Static(Text(""), classes="form-error", id="sf-date-error")
                yield Static(Text(self.empty_date_means(), style="dim"), id="sf-date-hint")
                yield Static(Text(""), classes="form-note", id="sf-note")
            yield Static(Text(""), classes="form-error", id="sf-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Back", id="sf-back", compact=True)
                yield Button("Save", id="sf-go", compact=True, variant="primary")

    def kept_date(self) -> datetime | None:
        """The next run a change keeps when First run is left empty.

        ManageReportSchedule without a ScheduleDate moves the next run to now (spec §6:
        ``ScheduledDate (= now if no ScheduleDate)``), so the current one is sent again,
        unless it has passed already: then the schedule is due and runs now either way.
        """
        e = self.existing
        if e is None or e.scheduled_date is None or e.scheduled_date <= self.clock.now():
            return None
        return e.scheduled_date

    def empty_date_means(self) -> str:
        """What leaving First run empty does, said under the field."""
        e = self.existing
        kept = self.kept_date()
        if kept is not None:
            return f"empty: keeps the next run at {format_datetime(kept)}"
        if e is not None and e.scheduled_date is not None:
            return (
                f"empty: runs now (its next run, {format_datetime(e.scheduled_date)}, has passed)"
            )
        return "empty: first run now"

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

    def _report_type(self) -> str | None:
        if self.existing is not None:
            return self.existing.report_type
        return self.query_one("#sf-type", EnumPicker).value

    def _schedule(self) -> str | None:
        value = self.query_one("#sf-schedule", Select).value
        return value if isinstance(value, str) else None

    def problems(self) -> dict[str, str]:
        """Field (``type``, ``schedule``, ``date``) → what is wrong with it; empty when valid."""
        found: dict[str, str] = {}
        if self.existing is None:
            typed = self.query_one("#sf-type Input", Input).value.strip()
            picked = self._report_type()
            if picked is None and typed:
                problem = validation.report_type(typed, "schedule")
                found["type"] = problem or "pick a report type (type to search, Enter to pick)"
            elif picked is None:
                found["type"] = "ReportType is required: pick a report type (type to search)"
            elif problem := validation.report_type(picked, "schedule"):
                found["type"] = problem
        schedule = self._schedule()
        if schedule is None:
            found["schedule"] = "Schedule is required: choose how often"
        elif problem := validation.schedule(schedule):
            found["schedule"] = problem
        when, bad = parse_field("ScheduleDate", self.query_one("#sf-date", Input).value)
        if problem := bad or validation.schedule_date(when, self.clock.now()):
            found["date"] = problem
        return found

    def form(self) -> ScheduleForm:
        """The form as filled in.

        Raises:
            ValueError: the first problem, one line (nothing has been sent).
        """
        found = self.problems()
        if found:
            raise ValueError(next(iter(found.values())))
        report_type, schedule = self._report_type(), self._schedule()
        assert report_type is not None and schedule is not None
        when, _ = parse_field("ScheduleDate", self.query_one("#sf-date", Input).value)
        return ScheduleForm(report_type, schedule, when or self.kept_date())

    def show_problems(self, found: dict[str, str]) -> None:
        """Each message under its field, and the first one by the buttons."""
        for name in ("type", "schedule", "date"):
            message = found.get(name, "")
            self.query_one(f"#sf-{name}-error", Static).update(
                Text(clean(message), style="bold red")
            )
        summary = next(iter(found.values()), "")
        if len(found) > 1:
            summary += f" (and {len(found) - 1} more above)"
        self.query_one("#sf-error", Static).update(Text(clean(summary), style="bold red"))

    @on(Input.Submitted, "#sf-date")
    @on(Button.Pressed, "#sf-go")
    def _go(self) -> None:
        found = self.problems()
        self.show_problems(found)
        if not found:
            self.dismiss(self.form())

    @on(Button.Pressed, "#sf-back")
    def action_cancel(self) -> None:
        """Leave without changing anything."""
        self.dismiss(None)
