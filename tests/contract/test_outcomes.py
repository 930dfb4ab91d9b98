"""Each of the five outcomes, produced by the sandbox for every backend, told truthfully."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwstui.backend.outcomes import Outcome
from tests.contract.cases import Case
from tests.contract.rig import Rig


async def _run_one(case: Case, rig: Rig, fault: str = "") -> tuple[str, Outcome, str]:
    rows = await case.rows(rig)
    key = case.actionable(rows)[0]
    if fault:  # after listing: the faults are for the run
        rig.fault(fault)
    plan = await case.plan(rig, [key], rows)
    result = await plan.run(key)
    return key, result.outcome, result.detail


async def test_done_is_confirmed_by_what_the_service_now_shows(case: Case, rig: Rig) -> None:
    rows = await case.rows(rig)
    key = case.actionable(rows)[0]
    plan = await case.plan(rig, [key], rows)

    result = await plan.run(key)

    assert result.outcome is Outcome.DONE, result
    after = await case.rows(rig)
    assert key not in case.actionable(after), "done, yet the service still offers it"
    [entry] = rig.entries(case.mutation)
    assert entry.status == "ok" and key in entry.items


async def test_a_refusal_is_failed_with_the_code_and_request_id(case: Case, rig: Rig) -> None:
    rows = await case.rows(rig)
    key = case.actionable(rows)[0]
    rig.fault(f"{case.mutation}:internal:next=1")
    result = await (await case.plan(rig, [key], rows)).run(key)

    assert result.outcome is Outcome.FAILED, result
    assert result.code and result.detail
    if case.request_ids:
        assert result.request_id, "the request id is what support asks for"


async def test_no_answer_and_no_read_back_is_unknown(case: Case, rig: Rig) -> None:
    fault = f"{case.mutation}:drop-after:next=1,{case.read}:internal"

    _key, outcome, detail = await _run_one(case, rig, fault)

    assert outcome is Outcome.UNKNOWN, detail
    assert "answer lost" in detail
    [entry] = rig.entries(case.mutation)
    assert entry.status == "unknown", "the journal keeps it for the next start"


async def test_a_read_only_session_sends_nothing(case: Case, tmp_path: Path) -> None:
    rig = case.rig(tmp_path, read_only=True)

    _key, outcome, detail = await _run_one(case, rig)

    assert outcome is Outcome.NOT_SENT, detail
    assert rig.entries(case.mutation) == []
    rig.journal.close()


async def test_a_refused_connection_is_not_sent(case: Case, tmp_path: Path) -> None:
    rig = case.rig(tmp_path, refuse=[case.mutation])

    _key, outcome, detail = await _run_one(case, rig)

    assert outcome is Outcome.NOT_SENT, detail
    assert "refused" in detail
    rig.journal.close()


async def test_accepted_but_not_shown_is_not_confirmed(case: Case, rig: Rig) -> None:
    if case.not_confirmed_reason:
        pytest.skip(case.not_confirmed_reason)
    rows = await case.rows(rig)
    keys = await case.arrange_not_confirmed(rig, rows)
    plan = await case.plan(rig, keys, rows)
    assert plan.keys() == keys

    for key in keys:
        result = await plan.run(key)
        assert result.outcome is Outcome.NOT_CONFIRMED, (key, result)
        assert result.outcome.label == "requested, not confirmed"
        assert result.detail
