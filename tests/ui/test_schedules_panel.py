"""Schedules panel on MWS: list, create and change through the form and a confirmation,
confirmed delete; every save is read back from ManageReportSchedule's answer."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input, Select

from mwstui.backend.outcomes import Outcome
from mwstui.mws.parsing import format_datetime
from mwstui.ui.dialogs.bulk import BulkRunModal
from mwstui.ui.dialogs.confirm import ConfirmModal
from mwstui.ui.schedules.schedule_form_modal import ScheduleFormModal
from mwstui.ui.schedules.schedules_panel import SchedulesPanel
from mwstui.ui.widgets.enum_picker import EnumPicker
from tests.ui.harness import SIZE, Harness, make_app, settle, until


async def confirm_and_run(pilot: object) -> ConfirmModal:
    """Confirm the plan shown, let the run end, and close its screen; the confirmation."""
    app = pilot.app  # type: ignore[attr-defined]
    await until(pilot, lambda: isinstance(app.screen, ConfirmModal))  # type: ignore[arg-type]
    confirm = app.screen
    await pilot.click("#confirm-go")  # type: ignore[attr-defined]
    await until(
        pilot,  # type: ignore[arg-type]
        lambda: isinstance(app.screen, BulkRunModal) and app.screen.finished,
    )
    await pilot.press("escape")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    return confirm


def sandbox_schedules(h: Harness) -> dict[str, str]:
    return {s.report_type: s.schedule for s in h.sandbox.seller().reports.find_schedules()}


def manage_calls(app: object) -> int:
    records = app.activity.records()  # type: ignore[attr-defined]
    return sum(1 for _, r in records if r.operation == "ManageReportSchedule")


async def open_schedules(pilot: object) -> SchedulesPanel:
    await pilot.press("2")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    panel: SchedulesPanel = pilot.app.query_one(SchedulesPanel)  # type: ignore[attr-defined]
    # Loaded, and the keyboard on its table: the keys the tests press go there.
    await until(
        pilot,  # type: ignore[arg-type]
        lambda: panel.loaded_at is not None and pilot.app.focused is panel.main_table(),  # type: ignore[attr-defined]
    )
    return panel


async def test_lists_the_sandbox_schedules(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_schedules(pilot)
        assert set(panel.schedules) == set(sandbox_schedules(harness))
        assert panel.main_table().row_count == len(panel.schedules)
        assert app.focused is panel.main_table()


async def test_create_through_the_form(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_schedules(pilot)
        assert "_GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_" not in panel.schedules
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ScheduleFormModal)
        await pilot.press(*"actionable", "enter")
        form.query_one("#sf-schedule", Select).value = "_1_DAY_"
        await pilot.click("#sf-go")
        confirm = await confirm_and_run(pilot)
        assert confirm.request.title == "Create report schedule?"
        assert confirm.request.items == ["_GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_ · _1_DAY_"]
        assert sandbox_schedules(harness)["_GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_"] == "_1_DAY_"
        await until(pilot, lambda: "_GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_" in panel.schedules)
        entry = harness.journal.entries(1)[0]
        assert entry.operation == "ManageReportSchedule"
        assert entry.outcomes["_GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_"].outcome == Outcome.DONE


async def test_date_beyond_366_days_is_refused_before_sending(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_schedules(pilot)
        key = sorted(panel.schedules)[0]
        panel.main_table().move_to_key(key)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ScheduleFormModal)
        too_far = harness.clock.now() + timedelta(days=367)
        form.query_one("#sf-date", Input).value = too_far.strftime("%Y-%m-%d")
        await pilot.click("#sf-go")
        await pilot.pause()
        assert isinstance(app.screen, ScheduleFormModal)
        assert "366 days" in str(form.query_one("#sf-error").render())
        await pilot.press("escape")
        await settle(pilot)
        assert manage_calls(app) == 0


async def test_change_keeps_the_type_and_sends_the_new_schedule(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_schedules(pilot)
        key = sorted(panel.schedules)[0]
        panel.main_table().move_to_key(key)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#sf-schedule", Select).value = "_2_DAYS_"
        when = harness.clock.now() + timedelta(days=30)
        app.screen.query_one("#sf-date", Input).value = when.strftime("%Y-%m-%d %H:%M")
        await pilot.click("#sf-go")
        confirm = await confirm_and_run(pilot)
        assert confirm.request.title == "Change report schedule?"
        assert sandbox_schedules(harness)[key] == "_2_DAYS_"
        await until(pilot, lambda: panel.schedules[key].period == "_2_DAYS_")


async def test_change_with_first_run_empty_keeps_the_next_run(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_schedules(pilot)
        now = harness.clock.now()
        key = min(
            (k for k, s in panel.schedules.items() if s.next_run and s.next_run > now),
            key=lambda k: str(panel.schedules[k].next_run),
        )
        before = harness.sandbox.seller().reports.schedules[key].next_date
        kept = panel.schedules[key].next_run
        assert kept is not None
        panel.main_table().move_to_key(key)
        await pilot.press("e")
        await pilot.pause()
        hint = str(app.screen.query_one("#sf-date-hint").render())
        assert hint == f"empty: keeps the next run at {kept:%Y-%m-%d %H:%M:%S}"
        app.screen.query_one("#sf-schedule", Select).value = "_12_HOURS_"
        await pilot.click("#sf-go")
        confirm = await confirm_and_run(pilot)
        assert any("does not move to now" in n for n in confirm.request.notes)
        assert sandbox_schedules(harness)[key] == "_12_HOURS_"
        assert harness.sandbox.seller().reports.schedules[key].next_date == before
        sent = harness.journal.entries(1)[0].params
        assert sent["Schedule"] == "_12_HOURS_"
        assert sent["ScheduleDate"] == format_datetime(kept)


async def test_delete_confirmed_removes_and_journals(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_schedules(pilot)
        targets = sorted(panel.schedules)[:2]
        panel.main_table().set_marks(targets)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert app.screen.request.items == targets
        assert app.screen.request.calls == 2
        await pilot.click("#confirm-go")
        await settle(pilot)
        assert isinstance(app.screen, BulkRunModal)
        await pilot.press("escape")
        await settle(pilot)
        remaining = sandbox_schedules(harness)
        assert not set(targets) & set(remaining)
        ops = [
            (e.operation, e.params.get("Schedule"), e.status) for e in harness.journal.entries(5)
        ]
        assert ops == [("ManageReportSchedule", "_NEVER_", "ok")] * 2
        assert set(panel.schedules) == set(remaining)


async def test_delete_declined_sends_nothing(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_schedules(pilot)
        before = sandbox_schedules(harness)
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")
        await settle(pilot)
        assert sandbox_schedules(harness) == before
        assert manage_calls(app) == 0
        assert harness.journal.entries(5) == []
        assert panel.main_table().row_count == len(before)


async def test_read_only_offers_no_change(ro_harness: Harness) -> None:
    app = make_app(ro_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_schedules(pilot)
        actions = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not {"new_schedule", "edit_schedule", "delete_selected"} & actions
        await pilot.press("n", "e", "d", "delete", "enter")
        await pilot.pause()
        panel.action_delete_selected()
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert manage_calls(app) == 0


async def test_back_from_the_confirmation_keeps_the_form_and_sends_nothing(
    harness: Harness,
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await open_schedules(pilot)
        before = sandbox_schedules(harness)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ScheduleFormModal))
        await pilot.press(*"actionable", "enter")
        app.screen.query_one("#sf-schedule", Select).value = "_1_DAY_"
        when = (harness.clock.now() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")
        app.screen.query_one("#sf-date", Input).value = when
        await pilot.click("#sf-go")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ScheduleFormModal))
        form = app.screen
        assert form.query_one("#sf-type", EnumPicker).value == (
            "_GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_"
        )
        assert form.query_one("#sf-schedule", Select).value == "_1_DAY_"
        assert form.query_one("#sf-date", Input).value == when
        await pilot.click("#sf-back")
        await until(pilot, lambda: len(app.screen_stack) == 1)
        assert sandbox_schedules(harness) == before
        assert manage_calls(app) == 0
        assert harness.journal.entries(5) == []
