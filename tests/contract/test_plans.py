"""Plans: what will be acted on, what is skipped and why, to which account, at what cost."""

from __future__ import annotations

from tests.contract.cases import Case
from tests.contract.rig import Rig

GONE = "GONE-404"


async def test_a_plan_takes_what_it_can_and_skips_the_rest_with_the_reason(
    case: Case, rig: Rig
) -> None:
    rows = await case.rows(rig)
    take = case.actionable(rows)[:2]
    refused = case.refused(rows)
    keys = [take[0], *([refused[0]] if refused else []), GONE, take[1], take[0]]

    plan = await case.plan(rig, keys, rows)

    assert plan.keys() == take, "in the order picked, once each"
    reasons = {s.key: s.reason for s in plan.skipped}
    assert "not in the list any more" in reasons[GONE]
    if refused is not None:
        assert refused[1] in reasons[refused[0]]
    assert set(reasons) | set(take) == set(keys)


async def test_a_plan_restates_the_account_and_costs_every_call(case: Case, rig: Rig) -> None:
    rows = await case.rows(rig)
    take = case.actionable(rows)[:3]
    backend = case.backend(rig)

    plan = await case.plan(rig, take, rows)

    assert plan.account == backend.account
    assert plan.account.host and plan.account.seller and plan.account.profile == "contract"
    assert plan.operation == case.mutation
    assert plan.calls == case.calls(len(take))
    assert plan.budget is not None and plan.budget.operation == case.mutation
    budgets = {b.key for b in backend.budgets()}
    assert all(c.budget.key in budgets for c in plan.costs)
    assert plan.expected_seconds >= 0.0
    assert plan.title and plan.action_label and plan.safe_label


async def test_nothing_actionable_gives_an_empty_plan_that_says_why(case: Case, rig: Rig) -> None:
    rows = await case.rows(rig)
    refused = case.refused(rows)
    keys = [GONE] + ([refused[0]] if refused else [])

    plan = await case.plan(rig, keys, rows)

    assert plan.empty and plan.calls == 0
    assert [s.key for s in plan.skipped] == keys
    assert all(s.reason for s in plan.skipped)
