"""Schedules panel on the SP-API sandbox: ISO periods and marketplaces from the backend,
create, replace (the confirmation names the replaced schedule) and cancel, each read back;
decline and read-only send nothing."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Select

from mwstui.backend.schedules import describe
from mwstui.catalog import load_catalog
from mwstui.ui.dialogs.bulk import BulkRunModal
from mwstui.ui.dialogs.confirm import ConfirmModal
from mwstui.ui.schedules.schedule_form_modal import ScheduleFormModal
from mwstui.ui.widgets.tick_list import TickList
from tests.ui.harness import SIZE, Harness, make_app, screen_text, settle, until
from tests.ui.test_schedules_panel import confirm_and_run, open_schedules

SPAPI_OPS = {"createReportSchedule", "cancelReportSchedule"}


def sandbox_schedules(h: Harness) -> dict[str, Any]:
    """The demo SP-API seller's schedules, by id, as the simulator holds them."""
    seller = h.sandbox.spapi.sellers[h.sandbox.credentials.spapi_seller_id]
    return dict(seller.reports.schedules)


def mutations(app: Any) -> list[str]:
    return [r.operation for _, r in app.activity.records() if r.operation in SPAPI_OPS]


async def open_form(pilot: Pilot[None], key: str) -> ScheduleFormModal:
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, ScheduleFormModal))
    form = pilot.app.screen
    assert isinstance(form, ScheduleFormModal)
    return form


async def test_the_form_offers_the_sp_api_periods_and_marketplaces(
    spapi_harness: Harness,
) -> None:
    app = make_app(spapi_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_schedules(pilot)
        assert set(panel.schedules) == set(sandbox_schedules(spapi_harness))
        assert "ATVPDKIKX0DER" in screen_text(app)  # the Marketplaces column
        form = await open_form(pilot, "n")
        select = form.query_one("#sf-schedule", Select)
        offered = [value for _, value in select._options if isinstance(value, str)]
        assert offered == load_catalog().spapi.periods()
        assert "_1_DAY_" not in offered
        markets = form.query_one("#sf-markets", TickList)
        assert markets.selected == [spapi_harness.sandbox.credentials.spapi_marketplace_id]
        assert markets.option_count > 1  # the region's other marketplaces, unticked
        note = str(form.query_one("#sf-terms-note").render())
        assert "cannot change a schedule in place" in note
        await until(pilot, lambda: "First run (optional; UTC)" in screen_text(app))


async def test_create_confirms_that_it_replaces_and_reads_back(spapi_harness: Harness) -> None:
    app = make_app(spapi_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_schedules(pilot)
        taken = {s.report_type for s in panel.schedules.values()}
        rtype = next(
            t.type
            for t in load_catalog().spapi.report_types
            if t.schedulable and t.type not in taken
        )
        form = await open_form(pilot, "n")
        await pilot.press(*rtype.lower(), "enter")
        form.query_one("#sf-schedule", Select).value = "P1D"
        await pilot.click("#sf-go")
        confirm = await confirm_and_run(pilot)
        request = confirm.request
        assert request.title == "Create report schedule?"
        assert request.operation == "createReportSchedule"
        assert any("is cancelled and replaced by this one" in n for n in request.notes)
        assert request.calls == 2  # the create and its read-back
        made = [s for s in sandbox_schedules(spapi_harness).values() if s.report_type == rtype]
        assert [(s.period, s.marketplaces) for s in made] == [("P1D", ("ATVPDKIKX0DER",))]
        await until(pilot, lambda: made[0].schedule_id in panel.schedules)
        entry = spapi_harness.journal.entries(1)[0]
        assert entry.operation == "createReportSchedule" and entry.status == "ok"
        assert entry.outcomes[rtype].outcome.value == "done"


async def test_replace_names_the_replaced_schedule(spapi_harness: Harness) -> None:
    app = make_app(spapi_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_schedules(pilot)
        old = panel.schedules[sorted(panel.schedules)[0]]
        panel.main_table().move_to_key(old.id)
        form = await open_form(pilot, "e")
        await until(pilot, lambda: "Replace schedule" in screen_text(app))
        shown = str(form.query_one("#sf-note").render())
        assert shown == f"replaces its current {old.period} schedule {old.id}"
        period = next(p for p in load_catalog().spapi.periods() if p != old.period)
        form.query_one("#sf-schedule", Select).value = period
        await pilot.click("#sf-go")
        confirm = await confirm_and_run(pilot)
        assert confirm.request.title == "Replace report schedule?"
        assert any(describe(old) in note for note in confirm.request.notes)
        assert confirm.request.calls == 3  # create, read it back, read the old one: gone
        now = sandbox_schedules(spapi_harness)
        assert old.id not in now
        [new] = [s for s in now.values() if s.report_type == old.report_type]
        assert (new.period, new.marketplaces) == (period, old.marketplaces)
        await until(pilot, lambda: new.schedule_id in panel.schedules)
        assert old.id not in panel.schedules
        result = spapi_harness.journal.entries(1)[0].outcomes[old.report_type]
        assert result.outcome.value == "done" and f"replaced {old.id}" in result.detail


async def test_cancel_deletes_and_reads_back(spapi_harness: Harness) -> None:
    app = make_app(spapi_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_schedules(pilot)
        targets = sorted(panel.schedules)[:2]
        panel.main_table().set_marks(targets)
        await pilot.press("d")
        confirm = await confirm_and_run(pilot)
        assert confirm.request.operation == "cancelReportSchedule"
        assert confirm.request.calls == 4  # each cancel read back
        assert not set(targets) & set(sandbox_schedules(spapi_harness))
        assert not set(targets) & set(panel.schedules)
        entries = spapi_harness.journal.entries(5)
        assert [e.operation for e in entries] == ["cancelReportSchedule"] * 2
        assert all(e.outcomes[e.items[0]].outcome.value == "done" for e in entries)


async def test_declined_replace_and_cancel_send_nothing(spapi_harness: Harness) -> None:
    app = make_app(spapi_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_schedules(pilot)
        before = sandbox_schedules(spapi_harness)
        form = await open_form(pilot, "e")
        form.query_one("#sf-schedule", Select).value = "PT5M"
        await pilot.click("#sf-go")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("escape")
        # Back from the confirmation is back in the form, as it was filled in.
        await until(pilot, lambda: isinstance(app.screen, ScheduleFormModal))
        again = app.screen
        assert isinstance(again, ScheduleFormModal) and again is not form
        assert again.existing == form.existing
        assert again.query_one("#sf-schedule", Select).value == "PT5M"
        await pilot.press("escape")
        await until(pilot, lambda: len(app.screen_stack) == 1)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, BulkRunModal | ConfirmModal)
        assert sandbox_schedules(spapi_harness) == before
        assert mutations(app) == []
        assert spapi_harness.journal.entries(5) == []
        assert set(panel.schedules) == set(before)


async def test_read_only_refuses_every_change(spapi_ro_harness: Harness) -> None:
    app = make_app(spapi_ro_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_schedules(pilot)
        before = sandbox_schedules(spapi_ro_harness)
        actions = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not {"new_schedule", "edit_schedule", "delete_selected"} & actions
        await pilot.press("n", "e", "d", "delete", "enter")
        await pilot.pause()
        panel.action_delete_selected()
        panel.action_new_schedule()
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert mutations(app) == []
        assert sandbox_schedules(spapi_ro_harness) == before
