"""A backend's plan, confirmed and run: the dialog restates every call, the run tells the truth."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Button, Static

from mwstui.backend.actions import ActionPlan
from mwstui.backend.outcomes import Outcome
from mwstui.session import Session
from mwstui.ui.dialogs.bulk import BulkRunModal
from mwstui.ui.dialogs.bulk_report import BulkReport
from mwstui.ui.dialogs.confirm import ConfirmModal
from mwstui.ui.plan_flow import carry_out, confirm_request_for
from tests.ui.harness import Harness, sandbox_session, until


class Host(App[None]):
    """Pushes the plan's dialogs over an empty screen and keeps what the run reports."""

    def __init__(self, session: Session, plan: ActionPlan) -> None:
        super().__init__()
        self.session, self.plan = session, plan
        self.reports: list[BulkReport | None] = []

    def compose(self) -> ComposeResult:
        yield Static("main")

    def on_mount(self) -> None:
        carry_out(self, self.session, self.plan, self.reports.append)


async def _fulfillment_plan(
    h: Harness, keys: list[str] | None = None
) -> tuple[ActionPlan, list[str]]:
    backend = h.session.backends.fulfillment
    assert backend is not None
    rows = {o.id: o for page in [p async for p in backend.list_orders()] for o in page.rows}
    take = [k for k, o in rows.items() if o.status.cancellable][:2]
    busy = next(k for k, o in rows.items() if str(o.status) == "PROCESSING")
    return backend.plan_cancel(keys if keys is not None else [*take, busy], rows), take


async def test_the_dialog_restates_the_plan_with_its_read_backs(tmp_path: Path) -> None:
    h = sandbox_session(tmp_path)
    plan, take = await _fulfillment_plan(h)

    request = confirm_request_for(h.session, plan)

    assert request.account is h.session.mws_account, "the account of the client that sends"
    assert request.items == take and len(request.skipped) == 1
    assert "not RECEIVED or PLANNING" in request.skipped[0][1]
    assert request.calls == 4
    assert request.calls_text == "2 CancelFulfillmentOrder + 2 GetFulfillmentOrder"
    assert "GetFulfillmentOrder" in request.throttle_cost


async def test_confirmed_the_plan_runs_and_reports_each_outcome(tmp_path: Path) -> None:
    h = sandbox_session(tmp_path)
    plan, take = await _fulfillment_plan(h)
    app = Host(h.session, plan)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        assert "2 CancelFulfillmentOrder + 2 GetFulfillmentOrder" in str(
            app.screen.query_one("#confirm-cost", Static).render()
        )
        app.screen.query_one("#confirm-go", Button).press()
        await until(pilot, lambda: isinstance(app.screen, BulkRunModal))
        await until(pilot, lambda: app.screen.finished)  # type: ignore[attr-defined]
        app.screen.query_one("#bulk-close", Button).press()
        await until(pilot, lambda: app.reports)
    report = app.reports[0]
    assert report is not None
    assert list(report.results) == take
    assert {r.outcome for r in report.results.values()} == {Outcome.DONE}


async def test_nothing_to_do_is_the_same_dialog_with_the_reasons_and_no_action(
    tmp_path: Path,
) -> None:
    h = sandbox_session(tmp_path)
    plan, _take = await _fulfillment_plan(h, keys=["GONE-1"])
    app = Host(h.session, plan)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        assert app.screen.query_one("#confirm-go", Button).disabled
        assert "not in the list any more" in str(
            app.screen.query_one("#confirm-skipped", Static).render()
        )
        await pilot.press("escape")
        await until(pilot, lambda: app.reports)
    assert app.reports == [None]
