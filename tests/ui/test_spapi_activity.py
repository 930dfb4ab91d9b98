"""The Activity panel on an SP-API session: the token exchange and each call with its status,
request id and body; a cancel in the journal; no LWA token, client secret or refresh token
on the screen, in the inspector or in a screenshot."""

from __future__ import annotations

from urllib.parse import quote, quote_plus

from textual.widgets import TextArea

from mwstui.spapi.lwa import TOKEN_OPERATION
from mwstui.ui.activity.activity_panel import ActivityPanel
from mwstui.ui.activity.inspector_modal import InspectorModal
from tests.ui.harness import SIZE, Harness, make_app, screen_text, settle, until


def _queued(h: Harness) -> str:
    seller = h.sandbox.spapi.sellers[h.sandbox.credentials.spapi_seller_id]
    now = h.clock.time()
    return next(k for k, r in sorted(seller.reports.reports.items()) if r.status(now) == "IN_QUEUE")


async def test_spapi_calls_show_in_activity_without_a_secret(spapi_harness: Harness) -> None:
    h = spapi_harness
    client = h.session.spapi
    assert client is not None
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        report_id = _queued(h)
        cancelled = await client.reports.cancel_report(report_id)
        access = (await client.tokens.token()).reveal()
        creds = h.sandbox.credentials
        secrets = [access, creds.spapi_client_secret.reveal(), creds.spapi_refresh_token.reveal()]
        secrets += [f(s, safe="") for s in secrets for f in (quote, quote_plus)]
        await pilot.press("5")
        panel = app.query_one(ActivityPanel)
        await until(pilot, lambda: panel.main_table().row_count == app.activity.total > 0)
        table = panel.main_table()
        by_op = {r.operation: (s, r) for s, r in app.activity.records()}
        assert {TOKEN_OPERATION, "getReports", "getReport", "cancelReport"} <= set(by_op)
        seq, cancel = by_op["cancelReport"]
        assert cancel.request_id and cancel.request_id == cancelled.meta.request_id
        assert cancel.mutating and cancel.http_status == 200
        row = table.row(str(seq))
        assert row is not None
        assert table.export_row(row)[1:4] == ["cancelReport", "200", ""]
        assert cancel.request_id in table.export_row(row)
        profile = h.session.spapi_account.profile if h.session.spapi_account else "?"
        assert profile and table.export_row(row)[-2] == profile  # the Profile column
        token_row = table.row(str(by_op[TOKEN_OPERATION][0]))
        assert token_row is not None and table.export_row(token_row)[-2] == profile
        listed = by_op["getReports"][1]
        assert listed.request_id and listed.http_status == 200 and listed.response_text
        shown = [screen_text(app), app.export_screenshot()]
        bodies: dict[str, str] = {}
        for operation in (TOKEN_OPERATION, "getReport", "cancelReport"):
            assert table.move_to_key(str(by_op[operation][0]))
            await pilot.press("enter")
            modal = app.screen
            assert isinstance(modal, InspectorModal)
            bodies[operation] = modal.query_one("#inspector-body", TextArea).text
            shown += [screen_text(app), bodies[operation]]
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, InspectorModal))
        await pilot.press("j")
        journal = panel.main_table()
        await until(pilot, lambda: journal.id == "activity-journal" and journal.row_count == 1)
        cells = [c.plain for c in journal.get_row_at(0)]
        assert cells[2] == "cancelReport" and cancel.request_id in cells
        shown.append(screen_text(app))
    assert f'"reportId":"{report_id}"' in bodies["getReport"]  # the read before the cancel
    assert bodies[TOKEN_OPERATION] == "(no body)"  # the token's answer is never kept
    for text in shown:
        for secret in secrets:
            assert secret not in text
