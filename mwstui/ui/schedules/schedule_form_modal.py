"""Create or change a report schedule: type, marketplaces, period and an optional first run.

What is offered comes from the panel's backend (``ScheduleTerms``): MWS's ``Schedule``
enum and one schedule per type changed in place; SP-API's ``period`` enum, marketplaces,
and no change in place (a new schedule replaces the old). Each field is checked by the
backend before the form is handed back; a problem is shown under its field and nothing
is sent while one remains.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from mwstui.backend.models import Schedule
from mwstui.backend.protocols import Feature, SchedulesBackend
from mwstui.backend.schedules import Period, ScheduleRequest, kept_next_run
from mwstui.clock import Clock
from mwstui.ui.text import fmt
from mwstui.ui.text.form_values import parse_field
from mwstui.ui.text.safe_text import clean, format_datetime, literal
from mwstui.ui.widgets.enum_picker import EnumPicker
from mwstui.ui.widgets.tick_list import TickList

FIELDS = ("type", "markets", "schedule", "date")
"""The form's fields, in order: each has ``#sf-<name>-error`` under it."""
CHECKED = {"type": "type", "marketplaces": "markets", "period": "schedule", "first_run": "date"}
"""A backend check's key → the form field it is shown under."""


def period_label(period: Period) -> Text:
    """``every 1 day · _1_DAY_``; a calendar month is not a number of days."""
    every = "month" if period.calendar_month else fmt.interval(period.seconds)
    return Text(f"every {every} · {period.value}")


class ScheduleFormModal(ModalScreen[ScheduleRequest | None]):
    """The schedule form; the backend validates everything before it dismisses with it.

    Args:
        backend: the panel's schedules backend (what is offered, what is wrong).
        clock: the session clock (the first run is checked against it).
        rows: the listed schedules (the form says which one a save replaces).
        existing: the schedule being changed (its type is fixed), or None to create.
        draft: values to start from (the form as it was sent to a confirmation the
            user backed out of: nothing typed is lost).
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back")]

    def __init__(
        self,
        backend: SchedulesBackend,
        clock: Clock,
        rows: Mapping[str, Schedule] | None = None,
        existing: Schedule | None = None,
        draft: ScheduleRequest | None = None,
    ) -> None:
        super().__init__(classes="form-modal")
        self.draft = draft
        self.backend = backend
        self.terms = backend.schedule_terms()
        self.clock = clock
        self.rows = dict(rows or {})
        self.existing = existing

    def title_text(self) -> str:
        if self.existing is None:
            return "New report schedule"
        return "Change schedule" if self.terms.changes_in_place else "Replace schedule"

    def compose(self) -> ComposeResult:
        e, terms = self.existing, self.terms
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text(), style="bold"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Label("Report type")
                if e is None:
                    picked = self.draft.report_type if self.draft else ""
                    yield EnumPicker(
                        terms.report_types,
                        value=picked if picked in terms.report_types else None,
                        placeholder="type to search",
                        id="sf-type",
                    )
                else:
                    yield Static(literal(e.report_type, "bold"), id="sf-type-fixed")
                yield Static(Text(""), classes="form-error", id="sf-type-error")
                if terms.marketplaces:
                    yield from self._markets()
                yield Label("Schedule")
                values = {p.value for p in terms.periods}
                wanted = self.draft.period if self.draft else e.period if e is not None else ""
                start = wanted if wanted in values else None
                yield Select(
                    [(period_label(p), p.value) for p in terms.periods],
                    value=start or Select.NULL,
                    prompt="choose how often",
                    id="sf-schedule",
                    compact=True,
                )
                yield Static(Text(""), classes="form-error", id="sf-schedule-error")
                days = terms.first_run_max_days
                ahead = f"; at most {days} days ahead" if days is not None else ""
                yield Label(f"First run (optional; UTC{ahead})")
                when = self.draft.first_run if self.draft else None
                typed = when.strftime("%Y-%m-%d %H:%M:%S") if when is not None else ""
                yield Input(typed, placeholder="YYYY-MM-DD HH:MM", id="sf-date", compact=True)
                yield Static(Text(""), classes="form-error", id="sf-date-error")
                yield Static(Text(self.empty_date_means(), style="dim"), id="sf-date-hint")
                yield Static(Text(""), classes="form-note", id="sf-note")
                if terms.note:
                    yield Static(Text(terms.note, style="dim"), id="sf-terms-note")
            yield Static(Text(""), classes="form-error", id="sf-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Back", id="sf-back", compact=True)
                yield Button("Save", id="sf-go", compact=True, variant="primary")

    def _markets(self) -> ComposeResult:
        e, terms = self.existing, self.terms
        yield Label(f"Marketplaces (at most {terms.max_marketplaces})")
        if e is not None and not terms.changes_in_place:
            # A replacement must name the same marketplaces, or it would be a second
            # schedule beside this one rather than its replacement.
            yield Static(literal(", ".join(e.marketplaces)), id="sf-markets-fixed")
        else:
            ticked = set(
                self.draft.marketplaces
                if self.draft
                else e.marketplaces
                if e is not None
                else terms.default_marketplaces
            )
            labels = terms.marketplace_labels
            yield TickList(
                *[(Text(labels.get(m, m)), m, m in ticked) for m in terms.marketplaces],
                id="sf-markets",
            )
        yield Static(Text(""), classes="form-error", id="sf-markets-error")

    def empty_date_means(self) -> str:
        """What leaving First run empty does, said under the field."""
        e = self.existing
        kept = kept_next_run(e, self.clock.now())
        if kept is not None:
            return f"empty: keeps the next run at {format_datetime(kept)}"
        if e is not None and e.next_run is not None:
            return f"empty: runs now (its next run, {format_datetime(e.next_run)}, has passed)"
        return f"empty: {self.terms.empty_first_run}"

    def on_mount(self) -> None:
        if self.existing is None:
            self.query_one("#sf-type Input", Input).focus()
        else:
            self.query_one("#sf-schedule", Select).focus()
        self._show_replaced()

    @on(EnumPicker.Picked)
    @on(SelectionList.SelectedChanged, "#sf-markets")
    def _show_replaced(self) -> None:
        # Only a new schedule (or a replacement's twin) is worth a warning: a change in
        # place says what it changes in its title.
        if Feature.SCHEDULE_REPLACES not in self.backend.features:
            return
        request = self.request()
        olds = [
            s
            for s in self.backend.replaced(request, self.rows)
            if self.existing is None or s.id != self.existing.id
        ]
        if self.existing is not None and not self.terms.changes_in_place:
            olds = [self.existing, *olds]
        notes = [
            f"replaces its current {s.period} schedule"
            + (f" {s.id}" if s.id != s.report_type else "")
            for s in olds
        ]
        self.query_one("#sf-note", Static).update(Text(clean("; ".join(notes)), style="yellow"))

    def _report_type(self) -> str | None:
        if self.existing is not None:
            return self.existing.report_type
        return self.query_one("#sf-type", EnumPicker).value

    def _schedule(self) -> str | None:
        value = self.query_one("#sf-schedule", Select).value
        return value if isinstance(value, str) else None

    def _marketplaces(self) -> tuple[str, ...]:
        if not self.terms.marketplaces:
            return ()
        if self.existing is not None and not self.terms.changes_in_place:
            return self.existing.marketplaces
        picked = set(self.query_one("#sf-markets", TickList).selected)
        return tuple(m for m in self.terms.marketplaces if m in picked)

    def request(self, *, typed: str | None = None) -> ScheduleRequest:
        """The form as filled in so far (nothing checked)."""
        when, _ = parse_field(self.terms.first_run_field, self.query_one("#sf-date", Input).value)
        return ScheduleRequest(
            report_type=typed if typed is not None else self._report_type() or "",
            period=self._schedule() or "",
            marketplaces=self._marketplaces(),
            first_run=when,
            changing=self.existing,
        )

    def problems(self) -> dict[str, str]:
        """Field (``type``, ``markets``, ``schedule``, ``date``) → what is wrong with it."""
        terms = self.terms
        typed = ""
        if self.existing is None:
            typed = self.query_one("#sf-type Input", Input).value.strip()
        picked = self._report_type()
        checked = self.backend.check_schedule(self.request(typed=picked or typed))
        found = {CHECKED[k]: v for k, v in checked.items() if k in CHECKED}
        if picked is None and typed:
            found["type"] = (
                found.get("type") or "pick a report type (type to search, Enter to pick)"
            )
        elif picked is None:
            found["type"] = f"{terms.type_field} is required: pick a report type (type to search)"
        if self._schedule() is None:
            found["schedule"] = f"{terms.period_field} is required: choose how often"
        _, bad = parse_field(terms.first_run_field, self.query_one("#sf-date", Input).value)
        if bad:
            found["date"] = bad
        return {name: found[name] for name in FIELDS if name in found}

    def form(self) -> ScheduleRequest:
        """The form as filled in.

        Raises:
            ValueError: the first problem, one line (nothing has been sent).
        """
        found = self.problems()
        if found:
            raise ValueError(next(iter(found.values())))
        return self.request()

    def show_problems(self, found: dict[str, str]) -> None:
        """Each message under its field, and the first one by the buttons."""
        for name in FIELDS:
            shown = self.query(f"#sf-{name}-error")
            if shown:
                message = found.get(name, "")
                shown.first(Static).update(Text(clean(message), style="bold red"))
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
