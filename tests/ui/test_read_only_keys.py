"""Read-only: every mutating key says why it is off instead of doing nothing."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.pilot import Pilot

from mwstui.ui.dialogs.confirm import ConfirmModal
from mwstui.ui.fulfillment.fulfillment_detail import FulfillmentDetailModal
from mwstui.ui.fulfillment.fulfillment_panel import FulfillmentPanel
from mwstui.ui.panel import Panel
from mwstui.ui.reports.reports_panel import ReportsPanel
from mwstui.ui.schedules.schedules_panel import SchedulesPanel
from tests.ui.harness import SIZE, Harness, make_app, until


def record_notices(app: App[object]) -> list[str]:
    """Every message ``app.notify`` is given from now on (toasts expire; this does not)."""
    seen: list[str] = []
    notify = app.notify

    def spy(message: str, *args: Any, **kw: Any) -> None:
        seen.append(message)
        notify(message, *args, **kw)

    app.notify = spy  # type: ignore[method-assign]
    return seen


async def press_and_read(pilot: Pilot[None], seen: list[str], key: str) -> str:
    """Press ``key`` and return the notice it raised."""
    before = len(seen)
    await pilot.press(key)
    await until(pilot, lambda: len(seen) > before)
    assert not isinstance(pilot.app.screen, ConfirmModal)
    return seen[-1]


async def loaded(pilot: Pilot[None], panel_type: type[Panel], tab: str) -> None:
    await pilot.press(tab)
    panel = pilot.app.query_one(panel_type)
    await until(pilot, lambda: panel.loaded_at is not None and not panel.is_loading())
    panel.focus_main()
    await pilot.pause()


async def test_every_mutating_key_says_why_it_is_off(ro_harness: Harness) -> None:
    app = make_app(ro_harness.session)
    notices = record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, ReportsPanel, "1")
        seen = {f"reports {k}": await press_and_read(pilot, notices, k) for k in ("c", "n")}
        await loaded(pilot, SchedulesPanel, "2")
        seen |= {k: await press_and_read(pilot, notices, k) for k in ("n", "e", "delete", "d")}
        await loaded(pilot, FulfillmentPanel, "3")
        seen["fulfillment c"] = await press_and_read(pilot, notices, "c")
        await pilot.press("d")
        modal = pilot.app.screen
        assert isinstance(modal, FulfillmentDetailModal)
        await until(pilot, lambda: modal.detail is not None)
        seen["detail c"] = await press_and_read(pilot, notices, "c")
        assert pilot.app.screen is modal
    suffix = " is disabled (--read-only or the profile's read_only)"
    assert seen == {
        "reports c": "read-only profile: cancelling" + suffix,
        "reports n": "read-only profile: requesting reports" + suffix,
        "n": "read-only profile: creating schedules" + suffix,
        "e": "read-only profile: changing schedules" + suffix,
        "delete": "read-only profile: deleting schedules" + suffix,
        "d": "read-only profile: deleting schedules" + suffix,
        "fulfillment c": "read-only profile: cancelling" + suffix,
        "detail c": "read-only profile: cancelling" + suffix,
    }
    assert ro_harness.journal.entries() == []
