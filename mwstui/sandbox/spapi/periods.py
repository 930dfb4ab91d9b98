"""The next instant of a schedule ``period`` (the enum and its lengths are catalog data)."""

from __future__ import annotations

from datetime import UTC, datetime

from mwstui.catalog import load_catalog


def add_period(epoch: float, period: str) -> float:
    """``epoch`` plus one ``period``: calendar months for ``P1M``, else fixed seconds.

    Raises:
        KeyError: a period that is not in the catalog's enum.
    """
    spec = next((p for p in load_catalog().spapi.schedule_periods if p.period == period), None)
    if spec is None:
        raise KeyError(period)
    if not spec.calendar_month:
        return epoch + spec.interval_seconds
    when = datetime.fromtimestamp(epoch, UTC)
    months = when.month  # the month after ``when``, zero-based
    year, month = when.year + months // 12, months % 12 + 1
    return when.replace(year=year, month=month, day=min(when.day, _days(year, month))).timestamp()


def _days(year: int, month: int) -> int:
    nxt = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return (nxt - datetime(year, month, 1, tzinfo=UTC)).days
