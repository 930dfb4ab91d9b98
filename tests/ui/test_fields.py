"""Text fields: Escape back to the table, clean pastes, bad dates marked; ids before types."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input, Static

from mwstui.ui.reports.reports_panel import ReportsPanel
from mwstui.ui.widgets.field_input import FIELD_MAX, FieldInput
from tests.ui.harness import SIZE, Harness, make_app, sandbox_session, settle, until


async def test_escape_leaves_every_filter_field_including_the_type_field(
    harness: Harness,
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        await until(pilot, lambda: app.focused is panel.requests_table())
        for field in ("#reports-from", "#reports-to"):
            panel.query_one(field, Input).focus()
            await pilot.press("escape")
            assert app.focused is panel.requests_table(), field
        await pilot.press("slash", "x", "escape")
        assert app.focused is panel.requests_table()
        assert panel.requests_table().filter_text == "x"  # the filter stays applied
        await pilot.press("v")
        await until(pilot, lambda: panel.report_list.loaded_at is not None)
        await until(pilot, lambda: app.focused is panel.report_list.table)
        await pilot.press("t")
        assert app.focused is panel.report_list.query_one("#rl-type", Input)
        await pilot.press("escape")
        assert app.focused is panel.report_list.table
        await pilot.press("5")  # a key again, not text in the field
        assert panel.report_list.query_one("#rl-type", Input).value == ""


async def test_a_paste_keeps_its_order_loses_control_bytes_and_leaks_no_key(
    harness: Harness,
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        field = panel.query_one(".filter", FieldInput)
        field.focus()
        await pilot.press("a", "b", "c")
        field.post_message(events.Paste("FLAT\x1b[31mRED\x07\x01\ttab\nline2"))
        await pilot.pause()
        assert field.value == "abcFLAT[31mRED tab line2"
        assert app.focused is field  # no Tab or Enter leaked out of the paste
        field.post_message(events.Paste("y" * (FIELD_MAX * 3)))
        await pilot.pause()
        assert len(field.value) == FIELD_MAX


async def test_a_bad_date_is_marked_at_its_field_and_the_status_says_not_applied(
    harness: Harness,
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        panel = app.query_one(ReportsPanel)
        start = panel.query_one("#reports-from", Input)
        start.focus()
        await pilot.press(*"2026-99-01", "enter")
        status = panel.query_one("#reports-status-line", Static)
        assert start.has_class("-invalid")
        assert "from date not applied" in str(status.render())
        assert not app._notifications  # marked in place, not a toast that goes away
        panel.update_status()
        assert "not applied" in str(status.render())  # still there on the next tick
        start.value = "2025-12-30"
        await pilot.press("enter")
        await settle(pilot)
        assert not start.has_class("-invalid")
        assert "not applied" not in str(status.render())
        assert panel.requested_from is not None


async def test_ids_keep_their_width_and_the_type_grows_with_the_terminal(
    harness: Harness, tmp_path: Path
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        table = app.query_one(ReportsPanel).requests_table()
        longest = max(len(str(r.values[2])) for r in table.visible_rows())
        assert table.columns["report_type"].content_width == longest
        done = [r for r in table.visible_rows() if r.values[7]]
        assert done and table.columns["report_id"].content_width >= max(
            len(str(r.values[7])) for r in done
        )
    narrow = sandbox_session(tmp_path)
    async with make_app(narrow.session).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = pilot.app.query_one(ReportsPanel).requests_table()
        assert table.columns["report_type"].content_width < longest
        assert table.columns["request_id"].content_width == 11
