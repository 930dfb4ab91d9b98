"""The bulk run: per-item outcome, stop after the call in flight, throttle waits shown."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from textual.app import App, ComposeResult
from textual.widgets import Button, DataTable, Static

from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.catalog import Throttle
from mwstui.errors import InvalidStateError, OutcomeUnknownError, TransportError
from mwstui.throttle.budget import BucketKey
from mwstui.throttle.governor import Governor
from mwstui.ui.dialogs.bulk import BulkRunModal
from mwstui.ui.dialogs.bulk_report import BulkReport
from tests.ui.harness import until


class ManualClock:
    """Time moves only when the test says so; sleepers wake then."""

    def __init__(self) -> None:
        self.t = 1_767_225_600.0
        self.sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def time(self) -> float:
        return self.t

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.t, UTC)

    async def sleep(self, seconds: float) -> None:
        fut = asyncio.get_running_loop().create_future()
        self.sleepers.append((self.t + seconds, fut))
        await fut

    def advance(self, seconds: float) -> None:
        self.t += seconds
        for due, fut in self.sleepers:
            if due <= self.t and not fut.done():
                fut.set_result(None)


class Host(App[None]):
    def __init__(self, modal: BulkRunModal) -> None:
        super().__init__()
        self.modal = modal
        self.reports: list[BulkReport | None] = []

    def compose(self) -> ComposeResult:
        yield Static("main")

    def on_mount(self) -> None:
        self.push_screen(self.modal, self.reports.append)


def outcome(modal: BulkRunModal, item: str) -> str:
    return modal.query_one("#bulk-table", DataTable).get_cell(item, "outcome").plain


async def test_runs_every_item_and_reports_outcomes() -> None:
    seen: list[str] = []

    async def run(item: str) -> str | ItemResult:
        seen.append(item)
        if item == "B":
            raise InvalidStateError(
                "E028", "cannot cancel", request_id="rid-9", http_status=400, operation="Op"
            )
        if item == "C":
            raise OutcomeUnknownError("Lost", "connection reset", operation="Op")
        if item == "D":
            return ItemResult(Outcome.FAILED, "read back: still PROCESSING")
        if item == "E":
            return ItemResult(Outcome.NOT_CONFIRMED, "accepted; now PROCESSING")
        return "now CANCELLED"

    modal = BulkRunModal("Cancelling", ["A", "B", "C", "D", "E", "A"], run)
    app = Host(modal)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: modal.finished)
        assert seen == ["A", "B", "C", "D", "E"]
        assert outcome(modal, "A") == "done · now CANCELLED"
        assert "E028" in outcome(modal, "B") and "rid-9" in outcome(modal, "B")
        assert outcome(modal, "C").startswith("unknown")
        assert outcome(modal, "D").startswith("failed · read back")
        assert outcome(modal, "E") == "requested, not confirmed · accepted; now PROCESSING"
        status = str(modal.query_one("#bulk-status", Static).render())
        # "Requested, not confirmed" is never counted as done.
        assert "Done: 1 done, 1 requested, not confirmed, 2 failed, 1 unknown" in status
        assert not modal.query_one("#bulk-stop", Button).display
        assert app.screen.focused is modal.query_one("#bulk-close", Button)
        await pilot.press("enter")
        await pilot.pause()
    (report,) = app.reports
    assert report is not None and not report.stopped
    assert [r.outcome for r in report.results.values()] == [
        Outcome.DONE,
        Outcome.FAILED,
        Outcome.UNKNOWN,
        Outcome.FAILED,
        Outcome.NOT_CONFIRMED,
    ]
    assert report.results["B"].code == "E028" and report.results["B"].request_id == "rid-9"
    assert report.sent == 5
    assert report.summary().startswith("Done: 1 done, 1 requested, not confirmed")


async def test_a_bug_is_unknown_on_screen_without_a_traceback_and_stops_the_run() -> None:
    seen: list[str] = []

    async def run(item: str) -> str | ItemResult:
        seen.append(item)
        if item == "A":
            # Refused before it reached the service (no HTTP status): not sent, not failed.
            raise TransportError("ConnectError", "connection refused", operation="Op")
        if item == "B":
            return {}["GeneratedReportId"]  # type: ignore[no-any-return]  # a bug
        return "now CANCELLED"

    modal = BulkRunModal("Cancelling", ["A", "B", "C"], run)
    app = Host(modal)
    async with app.run_test(size=(100, 24)) as pilot:
        await until(pilot, lambda: modal.finished)
        assert seen == ["A", "B"]  # nothing more is sent after a bug
        assert outcome(modal, "A") == "not sent · connection refused"
        assert outcome(modal, "B").startswith("unknown · internal error (KeyError)")
        assert outcome(modal, "C") == "not sent · stopped before sending"
        screen = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "Traceback" not in screen and "GeneratedReportId" not in outcome(modal, "B")
        await pilot.press("enter")  # Close
        await pilot.pause()
    (report,) = app.reports
    assert report is not None and report.stopped and report.count(Outcome.DONE) == 0


async def test_stop_lets_the_call_in_flight_finish_and_sends_nothing_more() -> None:
    release = asyncio.Event()
    seen: list[str] = []

    async def run(item: str) -> str:
        seen.append(item)
        await release.wait()
        return "done"

    modal = BulkRunModal("Cancelling", ["A", "B", "C"], run)
    app = Host(modal)
    async with app.run_test() as pilot:
        await until(pilot, lambda: seen == ["A"])
        await pilot.click("#bulk-stop")
        await pilot.pause()
        assert "Stopping" in str(modal.query_one("#bulk-status", Static).render())
        assert not modal.finished
        await pilot.press("escape")  # does not close a running bulk
        assert app.screen is modal
        release.set()
        await until(pilot, lambda: modal.finished)
        assert seen == ["A"]
        assert outcome(modal, "A") == "done · done"
        assert outcome(modal, "B").startswith("not sent")
        assert "Stopped: 1 done, 2 not sent" in str(
            modal.query_one("#bulk-status", Static).render()
        )
        await pilot.press("escape")
        await pilot.pause()
    (report,) = app.reports
    assert report is not None and report.stopped
    assert report.count(Outcome.NOT_SENT) == 2 and report.sent == 1


async def test_escape_while_running_stops() -> None:
    release = asyncio.Event()

    async def run(item: str) -> str:
        await release.wait()
        return "x"

    modal = BulkRunModal("Cancelling", ["A", "B"], run)
    app = Host(modal)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("escape")
        assert modal.stop_requested
        release.set()
        await until(pilot, lambda: modal.finished)
        assert modal.report.count(Outcome.NOT_SENT) == 1


async def test_throttle_wait_is_shown() -> None:
    clock = ManualClock()
    governor = Governor(clock)  # type: ignore[arg-type]
    key = BucketKey("mws.test", "SELLER", "CancelFulfillmentOrder")
    throttle = Throttle(1, 10.0)

    async def run(item: str) -> str:
        await governor.acquire(key, throttle, operation="CancelFulfillmentOrder")
        return "sent"

    modal = BulkRunModal("Cancelling", ["A", "B"], run, governor=governor, bucket_key=key)
    app = Host(modal)
    async with app.run_test(size=(100, 24)) as pilot:
        await until(pilot, lambda: clock.sleepers)
        modal._show_wait()
        assert outcome(modal, "B") == "waiting 10s for a token"
        status = str(modal.query_one("#bulk-status", Static).render())
        assert "waiting 10s for CancelFulfillmentOrder" in status
        clock.advance(10)
        await until(pilot, lambda: modal.finished)
        assert outcome(modal, "B") == "done · sent"


async def test_item_text_is_literal() -> None:
    evil = "[@click=app.quit]boom[/]"

    async def run(item: str) -> str:
        return "[b]server says[/b]"

    modal = BulkRunModal("Cancelling [b]", [evil], run)
    app = Host(modal)
    async with app.run_test(size=(100, 24)) as pilot:
        await until(pilot, lambda: modal.finished)
        table = modal.query_one("#bulk-table", DataTable)
        assert table.get_cell(evil, "item").plain == evil
        assert outcome(modal, evil) == "done · [b]server says[/b]"
        assert "Cancelling [b]" in str(modal.query_one("#bulk-title", Static).render())
