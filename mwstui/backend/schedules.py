"""What a schedule form offers on a backend, and what it hands back to be planned.

MWS keeps one schedule per report type and changes it in place (ManageReportSchedule);
SP-API keeps one per report type *and* set of marketplaces, cannot change one, and
replaces it when another is created for the same pair (spec §5.7). The form shows
these differences as the backend states them here, never by asking which service it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from mwstui.backend.models import Schedule


@dataclass(frozen=True, slots=True)
class Period:
    """One value of the service's schedule enumeration.

    Attributes:
        value: sent verbatim (``_1_DAY_``, ``P1D``).
        seconds: its interval (a calendar month counts 30 days).
        calendar_month: ``P1M``: a calendar month, not a fixed number of seconds.
    """

    value: str
    seconds: int
    calendar_month: bool = False


@dataclass(frozen=True, slots=True)
class ScheduleTerms:
    """What a backend's schedule form offers and says.

    Attributes:
        report_types: the types that can be scheduled, in catalog order.
        periods: how often, every value but the one that deletes.
        marketplaces: the marketplaces a schedule may name, in order; empty when a
            schedule names none (MWS: the account's marketplace is implied).
        default_marketplaces: those ticked in a new form (the account's).
        marketplace_labels: how each is shown (``US ATVPDKIKX0DER``).
        max_marketplaces: at most this many per schedule (0 when none are named).
        changes_in_place: a schedule can be changed and keeps its identity; False when
            a change is a new schedule that replaces the old one (SP-API).
        first_run_max_days: how far ahead the first run may be set (None: no limit
            the service documents).
        type_field, period_field, first_run_field, marketplaces_field: the service's
            names of what is sent, used in every message about a field.
        empty_first_run: what leaving the first run empty does for a new schedule.
        note: a line the form always shows (how changes work on this service).
    """

    report_types: tuple[str, ...]
    periods: tuple[Period, ...]
    marketplaces: tuple[str, ...] = ()
    default_marketplaces: tuple[str, ...] = ()
    marketplace_labels: Mapping[str, str] = field(default_factory=dict)
    max_marketplaces: int = 0
    changes_in_place: bool = True
    first_run_max_days: int | None = None
    type_field: str = "reportType"
    period_field: str = "period"
    first_run_field: str = "first run"
    marketplaces_field: str = "marketplaceIds"
    empty_first_run: str = "first run now"
    note: str = ""


@dataclass(frozen=True, slots=True)
class ScheduleRequest:
    """A schedule to create (or change), as the form hands it to ``plan_save``.

    Attributes:
        report_type: what is made; empty while not chosen.
        period: how often (a ``Period.value``); empty while not chosen.
        marketplaces: for a service whose schedules name them.
        first_run: when the next report is made; None keeps a changed schedule's next
            run (``kept_next_run``) or leaves a new one to the service.
        changing: the listed schedule being changed (None: a new one).
    """

    report_type: str = ""
    period: str = ""
    marketplaces: tuple[str, ...] = ()
    first_run: datetime | None = None
    changing: Schedule | None = None


def kept_next_run(existing: Schedule | None, now: datetime) -> datetime | None:
    """The next run a change keeps when no first run is given.

    Sent without a date, MWS moves the next run to now (spec §6: ``ScheduledDate (= now
    if no ScheduleDate)``) and SP-API's replacement starts afresh, so the current one is
    sent again — unless it has passed: then the schedule is due and runs now either way.
    """
    if existing is None or existing.next_run is None or existing.next_run <= now:
        return None
    return existing.next_run


def describe(schedule: Schedule) -> str:
    """``ID1 · GET_X every P1D for ATVPDKIKX0DER, next run 2026-01-02 10:00 UTC``."""
    head = f"{schedule.id} · " if schedule.id != schedule.report_type else ""
    text = f"{head}{schedule.report_type} every {schedule.period}"
    if schedule.marketplaces:
        text += f" for {', '.join(schedule.marketplaces)}"
    if schedule.next_run is not None:
        text += f", next run {schedule.next_run:%Y-%m-%d %H:%M} UTC"
    return text
