"""Parsing and validating what the user types into forms, before anything is sent."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from mwstui.catalog import load_catalog

DATE_HELP = "use YYYY-MM-DD or YYYY-MM-DD HH:MM (UTC)"
SCHEDULE_DATE_GRACE = timedelta(minutes=5)
"""How far in the past a schedule date may be (typing takes time; the service rounds)."""

_PATTERNS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")


def parse_when(text: str, *, end_of_day: bool = False) -> datetime | None:
    """``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM[:SS]`` (UTC, optional trailing ``Z``) → datetime.

    Args:
        text: what was typed; blank means "not given".
        end_of_day: a bare date means 23:59:59 that day instead of 00:00 (for "to" dates).

    Returns:
        An aware UTC datetime, or ``None`` for blank input.

    Raises:
        ValueError: with a one-line message naming the accepted forms.
    """
    value = text.strip().removesuffix("Z").removesuffix("z")
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        pass
    else:
        at = time(23, 59, 59) if end_of_day else time(0, 0)
        return datetime.combine(day, at, tzinfo=UTC)
    for pattern in _PATTERNS:
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ValueError(f"{text.strip()!r}: {DATE_HELP}")


def check_range(start: datetime | None, end: datetime | None, now: datetime) -> None:
    """A report or filter date range: start not after end, start not in the future.

    Raises:
        ValueError: the one-line reason.
    """
    if start is not None and start > now:
        raise ValueError("the start date is in the future")
    if start is not None and end is not None and start > end:
        raise ValueError("the start date is after the end date")


def max_schedule_days() -> int:
    """How far ahead a ScheduleDate may be (catalog: 366 days)."""
    return int(load_catalog().mws_enums["schedule_date_max_days_ahead"])


def check_schedule_date(when: datetime | None, now: datetime) -> None:
    """A ManageReportSchedule date: not in the past, at most 366 days ahead.

    Raises:
        ValueError: the one-line reason.
    """
    if when is None:
        return
    days = max_schedule_days()
    if when > now + timedelta(days=days):
        raise ValueError(f"the schedule date must be at most {days} days ahead")
    if when < now - SCHEDULE_DATE_GRACE:
        raise ValueError("the schedule date is in the past")
