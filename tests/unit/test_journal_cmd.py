"""``mwstui journal``: the sandbox demo's own journal, and where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwstui.clock import FakeClock
from mwstui.journal.store import Journal
from mwstui.settings import locations
from mwstui.settings.locations import sandbox_journal_file
from tests.unit.test_profile_cmd import isolated, mwstui

__all__ = ["isolated"]  # the fixture: private config and data directories

RID = "529f0a28-ab76-487c-a8e0-070ba141f534"


def demo_entry(path: Path) -> None:
    with Journal(path, FakeClock(1_767_225_600.0)) as j:
        eid = j.record_intent(
            profile="sandbox", service="mws", account="A1SANDBOXSELLER",
            operation="CancelReportRequests", params={}, items=["51426010661"],
        )  # fmt: skip
        j.record_outcome(eid, status="ok", request_id=RID)


def test_the_sandbox_journal_is_shown_with_sandbox_and_pointed_to_without(
    capsys: pytest.CaptureFixture[str],
) -> None:
    demo_entry(sandbox_journal_file())
    assert mwstui(["journal"]) == 0
    out = capsys.readouterr().out
    assert "mwstui journal --sandbox" in out and "No mutating calls recorded yet" in out
    assert mwstui(["journal", "--sandbox"]) == 0
    out = capsys.readouterr().out
    assert "CancelReportRequests" in out and "51426010661" in out
    assert f"request {RID}" in out  # never cut
    assert "--sandbox" not in out


def test_no_pointer_when_there_is_no_sandbox_journal(capsys: pytest.CaptureFixture[str]) -> None:
    demo_entry(locations.journal_file())
    assert mwstui(["journal"]) == 0
    out = capsys.readouterr().out
    assert "sandbox" not in out.split("\n")[0] and "CancelReportRequests" in out
