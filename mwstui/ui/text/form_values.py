"""Parsing and validating what the user types into forms, before anything is sent."""

from __future__ import annotations

import os
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

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


def parse_field(
    field: str, text: str, *, end_of_day: bool = False
) -> tuple[datetime | None, str | None]:
    """``parse_when`` for a form field: the value, or the problem as a message naming the field.

    Args:
        field: the parameter the value is sent as (``StartDate``).
        text: what was typed; blank means "not given".
        end_of_day: a bare date means the end of that day.

    Returns:
        ``(value, None)``, or ``(None, "StartDate: use YYYY-MM-DD …")``.
    """
    try:
        return parse_when(text, end_of_day=end_of_day), None
    except ValueError:
        shown = text.strip()
        if len(shown) > 24:
            shown = shown[:23] + "…"
        return None, f"{field}: {shown!r} is not a date; {DATE_HELP}"


def _writable(directory: Path) -> bool:
    return os.access(directory, os.W_OK | os.X_OK)


def save_path(raw: str, *, file_name: str | None = None) -> tuple[Path | None, str | None]:
    """Where a file will be written, checked before anything is downloaded or exported.

    Args:
        raw: the path as typed (``~`` is expanded).
        file_name: the name to use when ``raw`` is a directory; None refuses a directory.

    Returns:
        ``(path, None)``, or ``(None, problem)`` with a one-line reason: blank, a directory
        without a file name, a missing directory, one that is not writable, or an existing
        file that cannot be replaced.
    """
    text = raw.strip()
    if not text:
        return None, "Type a path to save to."
    path = Path(text).expanduser()
    if path.is_dir():
        if file_name is None:
            return None, f"{path} is a directory: add a file name."
        path = path / file_name
    parent = path.parent
    if not parent.exists():
        return None, f"No such directory: {parent}"
    if not parent.is_dir():
        return None, f"{parent} is not a directory."
    if not _writable(parent):
        return None, f"Cannot write in {parent}: permission denied."
    if path.is_dir():
        return None, f"{path} is a directory."
    if path.exists() and not os.access(path, os.W_OK):
        return None, f"{path} exists and cannot be replaced: permission denied."
    return path, None
