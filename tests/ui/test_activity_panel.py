"""Activity panel: every call live, the inspector (secrets masked), the journal of mutations."""

from __future__ import annotations

from typing import Any

from textual.widgets import TextArea

from mwstui.calls import CallRecord
from mwstui.ui.activity.activity_panel import ActivityPanel
from mwstui.ui.activity.inspector_modal import InspectorModal
from mwstui.ui.reports.reports_panel import ReportsPanel
from tests.ui.harness import SIZE, Harness, make_app, screen_text, settle


async def test_calls_appear_and_the_inspector_masks_secrets(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        panel = app.query_one(ActivityPanel)
        table = panel.main_table()
        assert table.row_count == app.activity.total >= 1
        assert app.focused is table
        table.move_cursor(row=0)
        await pilot.press("enter")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, InspectorModal)
        params = " ".join(str(modal.query_one("#inspector-params").render()).split())
        assert "Action = GetReportRequestList" in params
        assert "Signature = ••••••" in params
        secret = harness.sandbox.credentials.secret_key.reveal()
        assert secret not in params
        body = modal.query_one("#inspector-body", TextArea).text
        assert "GetReportRequestListResponse" in body
        await pilot.press("y")
        assert app.clipboard == modal.copy_value
        await pilot.press("escape")
        assert not isinstance(app.screen, InspectorModal)


async def test_new_calls_follow_the_tail(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        panel = app.query_one(ActivityPanel)
        before = panel.main_table().row_count
        app.query_one(ReportsPanel).action_refresh_data()
        await settle(pilot)
        table = panel.main_table()
        assert table.row_count > before
        assert table.cursor_row == table.row_count - 1


async def test_server_text_is_literal_in_the_table_and_inspector(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        record = CallRecord(
            started_at=harness.clock.now(),
            service="mws",
            account="A1",
            operation="GetReportRequestList",
            method="POST",
            host="mws.sandbox.test",
            params={"Action": "[@click=app.quit]x", "Signature": "s3cr3t"},
            http_status=400,
            error_code="[b]Bad[/b]\x1b[2J",
            error_message="[link=https://evil]click[/link]",
            request_id="rid-1",
            response_text="<Error>[red]x[/red]\x1b]52;c;AAAA\x07</Error>",
        )
        app.activity.add(record)
        await pilot.press("5")
        await settle(pilot)
        table = app.query_one(ActivityPanel).main_table()
        cells = [c.plain for c in table.get_row_at(table.row_count - 1)]
        assert "[b]Bad[/b][2J" in cells
        table.move_cursor(row=table.row_count - 1)
        await pilot.press("enter")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, InspectorModal)
        assert "[@click=app.quit]x" in str(modal.query_one("#inspector-params").render())
        assert "s3cr3t" not in str(modal.query_one("#inspector-params").render())
        body = modal.query_one("#inspector-body", TextArea).text
        assert "\x1b" not in body and "\x07" not in body
        assert "[red]x[/red]" in body
        assert app.is_running


async def test_journal_view_lists_mutations(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        client = harness.session.mws
        assert client is not None
        await client.reports.request_report("_GET_MERCHANT_LISTINGS_ALL_DATA_")
        await pilot.press("5")
        await settle(pilot)
        panel = app.query_one(ActivityPanel)
        await pilot.press("j")
        await pilot.pause()
        journal = panel.main_table()
        assert journal.id == "activity-journal"
        assert journal.row_count == 1
        assert [c.plain for c in journal.get_row_at(0)][2] == "RequestReport"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InspectorModal)
        assert "Journal #" in app.screen.heading


async def test_the_wait_reads_the_same_in_the_table_and_the_inspector(harness: Harness) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        panel = app.query_one(ActivityPanel)
        table = panel.main_table()
        table.move_cursor(row=0)
        key = table.cursor_key
        assert key is not None
        record = app.activity.get(int(key))
        assert record is not None
        shown = table.get_cell(key, "waited").plain
        await pilot.press("enter")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, InspectorModal)
        summary = str(modal.query_one("#inspector-summary").render())
        assert f"Throttle wait {shown}" in summary
        assert shown == f"{record.waited:.2f} s"


async def test_journal_request_ids_are_shown_whole(harness: Harness) -> None:
    rid = "529f0a28-ab76-487c-a8e0-070ba141f534"
    entry = harness.journal.record_intent(
        profile="sandbox", service="mws", account="A1SANDBOXSELLER",
        operation="CancelReportRequests", params={},
        items=[f"5142601066{i}" for i in range(9)],
    )  # fmt: skip
    harness.journal.record_outcome(entry, status="ok", request_id=rid)
    app = make_app(harness.session)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("5", "j")
        await settle(pilot)
        assert rid in screen_text(app)


async def test_calls_made_while_the_tab_is_hidden_are_shown_when_it_opens(
    harness: Harness,
) -> None:
    app = make_app(harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.query_one(ActivityPanel)
        table = panel.main_table()
        redraws: list[int] = []
        original = table.set_rows

        def spy(rows: Any) -> None:
            redraws.append(1)
            original(rows)

        table.set_rows = spy  # type: ignore[method-assign]
        app.query_one(ReportsPanel).action_refresh_data()
        await settle(pilot)
        # Off screen, a redraw per call cost each frame a re-map of every widget.
        assert redraws == []
        await pilot.press("5")
        await settle(pilot)
        assert table.row_count == app.activity.total >= 2
        assert table.cursor_row == table.row_count - 1
