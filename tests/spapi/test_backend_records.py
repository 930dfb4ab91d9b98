"""What SP-API statuses mean to the panels: any casing, value kept, unknowns never act."""

from __future__ import annotations

import pytest

from mwstui.backend.models import Tone
from mwstui.spapi.backend_records import order_status, report_status


@pytest.mark.parametrize(
    ("value", "cancellable", "terminal", "tone"),
    [
        ("Received", True, False, Tone.PENDING),
        ("RECEIVED", True, False, Tone.PENDING),
        ("planning", True, False, Tone.PENDING),
        ("PROCESSING", False, False, Tone.ACTIVE),
        ("COMPLETE_PARTIALLED", False, True, Tone.WARNING),
        ("Cancelled", False, True, Tone.MUTED),
    ],
)
def test_order_status_any_casing(value: str, cancellable: bool, terminal: bool, tone: Tone) -> None:
    status = order_status(value)
    assert str(status) == value  # shown as Amazon sent it
    assert (status.known, status.cancellable, status.terminal, status.tone) == (
        True,
        cancellable,
        terminal,
        tone,
    )


def test_unknown_values_are_kept_and_never_cancellable() -> None:
    for status in (order_status("OUT_FOR_DELIVERY"), report_status("SUBMITTED")):
        assert not status.known and not status.cancellable and not status.terminal


def test_report_statuses() -> None:
    assert report_status("IN_QUEUE").cancellable
    assert not report_status("IN_PROGRESS").cancellable
    assert report_status("FATAL").tone is Tone.ERROR and report_status("FATAL").terminal
    assert report_status("CANCELLED").terminal
