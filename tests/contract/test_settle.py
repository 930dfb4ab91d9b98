"""A lost answer is settled by a read: in the run at once, and from the journal later."""

from __future__ import annotations

from mwstui.backend.outcomes import Outcome
from mwstui.backend.protocols import Mutation
from tests.contract.cases import Case
from tests.contract.rig import Rig, mutation_of


async def test_a_lost_answer_that_took_effect_is_read_back_as_done(case: Case, rig: Rig) -> None:
    rows = await case.rows(rig)
    key = case.actionable(rows)[0]
    rig.fault(f"{case.mutation}:drop-after:next=1")

    result = await (await case.plan(rig, [key], rows)).run(key)

    assert result.outcome is Outcome.DONE, result
    assert "answer lost" in result.detail
    [entry] = rig.entries(case.mutation)
    assert entry.status == "unknown"
    settled = await case.backend(rig).check_outcome(mutation_of(entry))
    assert settled is not None and settled.outcome is Outcome.DONE, settled
    assert await rig.session.backends.check_outcome(mutation_of(entry)) == settled


async def test_a_lost_request_that_never_arrived_is_not_done(case: Case, rig: Rig) -> None:
    rows = await case.rows(rig)
    key = case.actionable(rows)[0]
    rig.fault(f"{case.mutation}:drop-before:next=1")

    result = await (await case.plan(rig, [key], rows)).run(key)

    assert result.outcome in (Outcome.FAILED, Outcome.UNKNOWN), result
    assert key in case.actionable(await case.rows(rig)), "the sandbox must not have acted"
    [entry] = rig.entries(case.mutation)
    settled = await case.backend(rig).check_outcome(mutation_of(entry))
    assert settled is not None and settled.outcome is Outcome.FAILED, settled


async def test_another_accounts_mutation_is_left_pending(case: Case, rig: Rig) -> None:
    backend = case.backend(rig)
    rows = await case.rows(rig)
    key = case.actionable(rows)[0]
    foreign = Mutation(backend.account.service, "SOMEONE-ELSE", case.mutation, (key,))

    assert await backend.check_outcome(foreign) is None
    assert await rig.session.backends.check_outcome(foreign) is None
