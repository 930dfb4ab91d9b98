"""Plan → confirm → run: how every panel carries out a backend's ``ActionPlan``.

The backend decides what is acted on, what is skipped and why, and what each call
costs; these helpers restate the plan in the confirmation dialog (every call, read-backs
included) and run it in the bulk-run dialog. A plan with nothing to act on opens the
same dialog, with the reasons and the action disabled, in every panel.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App

from mwstui.backend.actions import ActionPlan
from mwstui.session import Session
from mwstui.ui.dialogs.bulk import BulkRunModal
from mwstui.ui.dialogs.bulk_report import BulkReport
from mwstui.ui.dialogs.confirm import ConfirmModal, ConfirmRequest, throttle_cost_text

Finished = Callable[[BulkReport | None], None]
"""Called after the run with its report, or with None when the user declined."""


def confirm_request_for(session: Session, plan: ActionPlan) -> ConfirmRequest:
    """The confirmation of ``plan``: its account, items, skips and every call it makes."""
    costs = [
        throttle_cost_text(session, c.budget.key, c.budget.throttle, c.budget.operation, c.calls)
        for c in plan.costs
    ]
    kinds = " + ".join(f"{c.calls} {c.budget.operation}" for c in plan.costs)
    return ConfirmRequest(
        title=plan.title,
        account=plan.account,
        operation=plan.operation,
        items=[i.label for i in plan.items],
        skipped=[(s.label, s.reason) for s in plan.skipped],
        calls=plan.calls,
        calls_text=kinds if len(plan.costs) > 1 else "",
        throttle_cost="; ".join(costs) or "nothing",
        expected_seconds=plan.expected_seconds,
        action_label=plan.action_label,
        safe_label=plan.safe_label,
        notes=list(plan.notes),
        item_notes={i.label: i.note for i in plan.items if i.note},
    )


def run_modal_for(session: Session, plan: ActionPlan) -> BulkRunModal:
    """The bulk-run dialog that runs ``plan`` item by item."""
    budget = plan.budget
    noun = plan.title.split(" ", 1)[1] if " " in plan.title else plan.title
    return BulkRunModal(
        f"{plan.verb} {noun.rstrip('?')}",
        plan.keys(),
        plan.run,
        governor=session.governor,
        bucket_key=budget.key if budget is not None else None,
    )


def carry_out(app: App[object], session: Session, plan: ActionPlan, finished: Finished) -> None:
    """Confirm ``plan``; when confirmed, run it; then call ``finished``.

    Args:
        app: the app whose screens are pushed.
        session: for the throttle model and the journal.
        plan: what to do, from the panel's backend.
        finished: gets the run's report (None when declined or nothing could be done).
    """

    def confirmed(yes: bool | None) -> None:
        if not yes or plan.empty:
            finished(None)
            return
        app.push_screen(run_modal_for(session, plan), finished)

    app.push_screen(ConfirmModal(confirm_request_for(session, plan)), confirmed)
