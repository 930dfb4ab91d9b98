"""Form input is validated before anything is sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mwstui.ui.text.form_values import check_range, check_schedule_date, parse_when

NOW = datetime(2026, 1, 1, 9, 30, tzinfo=UTC)


def test_parse_when_forms() -> None:
    assert parse_when("") is None
    assert parse_when("2026-01-05") == datetime(2026, 1, 5, tzinfo=UTC)
    assert parse_when("2026-01-05", end_of_day=True) == datetime(2026, 1, 5, 23, 59, 59, tzinfo=UTC)
    assert parse_when("2026-01-05 10:15") == datetime(2026, 1, 5, 10, 15, tzinfo=UTC)
    assert parse_when("2026-01-05T10:15:30Z") == datetime(2026, 1, 5, 10, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["tomorrow", "2026-13-01", "05/01/2026", "2026-01-05 25:00"])
def test_parse_when_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_when(bad)


def test_check_range() -> None:
    check_range(None, None, NOW)
    check_range(NOW - timedelta(days=3), NOW, NOW)
    with pytest.raises(ValueError, match="future"):
        check_range(NOW + timedelta(days=1), None, NOW)
    with pytest.raises(ValueError, match="after the end"):
        check_range(NOW - timedelta(days=1), NOW - timedelta(days=2), NOW)


def test_schedule_date_at_most_366_days_ahead() -> None:
    check_schedule_date(None, NOW)
    check_schedule_date(NOW + timedelta(days=366), NOW)
    with pytest.raises(ValueError, match="366 days"):
        check_schedule_date(NOW + timedelta(days=366, seconds=1), NOW)
    with pytest.raises(ValueError, match="past"):
        check_schedule_date(NOW - timedelta(hours=1), NOW)
