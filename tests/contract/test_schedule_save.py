"""Saving a schedule (``plan_save``) on every schedules backend: planned, confirmed by a
read, the replaced schedule named, and each outcome told truthfully."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from mwstui.backend.models import Schedule
from mwstui.backend.outcomes import Outcome
from mwstui.backend.protocols import SchedulesBackend
from mwstui.backend.schedules import ScheduleRequest, describe
from tests.contract.rig import Rig, make_rig, mutation_of

MUTATION = {"mws": "ManageReportSchedule", "spapi": "createReportSchedule"}
LOST_READ = {"mws": "GetReportScheduleList", "spapi": "getReportSchedules"}
"""What a save reads when its answer is lost: the type's schedules."""


@pytest.fixture(params=["mws", "spapi"])
def service(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def rig(service: str, tmp_path: Path) -> Iterator[Rig]:
    made = make_rig(tmp_path, service=service)
    yield made
    made.journal.close()


def backend_of(rig: Rig) -> SchedulesBackend:
    assert rig.session.backends.schedules is not None
    return rig.session.backends.schedules


async def listed(rig: Rig) -> dict[str, Schedule]:
    found: dict[str, Schedule] = {}
    async for page in backend_of(rig).list_schedules():
        found.update((s.id, s) for s in page.rows)
    return found


def new_request(rig: Rig, rows: dict[str, Schedule]) -> ScheduleRequest:
    """A schedule of a type that has none yet, every hour, for the account's marketplaces."""
    terms = backend_of(rig).schedule_terms()
    taken = {s.report_type for s in rows.values()}
    rtype = next(t for t in terms.report_types if t not in taken)
    hourly = next(p.value for p in terms.periods if p.seconds == 3600)
    return ScheduleRequest(rtype, hourly, terms.default_marketplaces)


def change_of(rig: Rig, rows: dict[str, Schedule]) -> tuple[Schedule, ScheduleRequest]:
    """A listed schedule with a future next run, and a request changing its period."""
    now = rig.clock.now()
    old = next(s for s in rows.values() if s.next_run and s.next_run > now + timedelta(hours=1))
    other = next(p.value for p in backend_of(rig).schedule_terms().periods if p.value != old.period)
    return old, ScheduleRequest(old.report_type, other, old.marketplaces, changing=old)


async def test_create_is_done_when_read_back(rig: Rig, service: str) -> None:
    rows = await listed(rig)
    request = new_request(rig, rows)
    plan = backend_of(rig).plan_save(request, rows)
    assert plan.operation == MUTATION[service]
    assert plan.keys() == [request.report_type] and not plan.skipped

    result = await plan.run(request.report_type)

    assert result.outcome is Outcome.DONE, result
    assert result.request_id
    made = [s for s in (await listed(rig)).values() if s.report_type == request.report_type]
    assert [s.period for s in made] == [request.period]
    [entry] = [e for e in rig.journal.entries(None) if e.operation == MUTATION[service]]
    assert entry.status == "ok" and request.report_type in entry.items


async def test_a_change_names_what_it_replaces_and_keeps_the_next_run(rig: Rig) -> None:
    rows = await listed(rig)
    old, request = change_of(rig, rows)
    plan = backend_of(rig).plan_save(request, rows)
    assert any(describe(old) in note for note in plan.notes), plan.notes
    assert plan.title.startswith(("Change", "Replace"))

    result = await plan.run(request.report_type)

    assert result.outcome is Outcome.DONE, result
    now = [s for s in (await listed(rig)).values() if s.report_type == old.report_type]
    assert [(s.period, s.next_run) for s in now] == [(request.period, old.next_run)]


async def test_an_invalid_request_is_skipped_with_the_reason(rig: Rig, service: str) -> None:
    rows = await listed(rig)
    request = new_request(rig, rows)
    past = rig.clock.now() - timedelta(days=2)
    bad = ScheduleRequest(request.report_type, request.period, request.marketplaces, past)

    plan = backend_of(rig).plan_save(bad, rows)

    assert plan.empty and plan.calls == 0
    assert "in the past" in plan.skipped[0].reason
    assert "first_run" in backend_of(rig).check_schedule(bad)


async def test_a_refusal_is_failed_with_its_code(rig: Rig, service: str) -> None:
    rows = await listed(rig)
    request = new_request(rig, rows)
    rig.fault(f"{MUTATION[service]}:internal:next=1")

    result = await backend_of(rig).plan_save(request, rows).run(request.report_type)

    assert result.outcome is Outcome.FAILED, result
    assert result.code and result.request_id


async def test_a_lost_answer_that_took_effect_is_done(rig: Rig, service: str) -> None:
    rows = await listed(rig)
    request = new_request(rig, rows)
    rig.fault(f"{MUTATION[service]}:drop-after:next=1")

    result = await backend_of(rig).plan_save(request, rows).run(request.report_type)

    assert result.outcome is Outcome.DONE, result
    assert "answer lost" in result.detail


async def test_a_lost_answer_without_a_read_is_unknown(rig: Rig, service: str) -> None:
    rows = await listed(rig)
    request = new_request(rig, rows)
    rig.fault(f"{MUTATION[service]}:drop-after:next=1,{LOST_READ[service]}:internal")

    result = await backend_of(rig).plan_save(request, rows).run(request.report_type)

    assert result.outcome is Outcome.UNKNOWN, result
    [entry] = [e for e in rig.journal.entries(None) if e.operation == MUTATION[service]]
    assert entry.status == "unknown"


async def test_a_lost_answer_is_settled_at_the_next_start(rig: Rig, service: str) -> None:
    rows = await listed(rig)
    request = new_request(rig, rows)
    rig.fault(f"{MUTATION[service]}:drop-after:next=1,{LOST_READ[service]}:internal")
    result = await backend_of(rig).plan_save(request, rows).run(request.report_type)
    assert result.outcome is Outcome.UNKNOWN, result
    rig.sandbox.faults.clear()  # the next start: the service answers again
    [entry] = [e for e in rig.journal.entries(None) if e.operation == MUTATION[service]]

    settled = await backend_of(rig).check_outcome(mutation_of(entry))

    assert settled is not None and settled.outcome is Outcome.DONE, settled
    assert await rig.session.backends.check_outcome(mutation_of(entry)) == settled


async def test_read_only_sends_nothing(service: str, tmp_path: Path) -> None:
    rig = make_rig(tmp_path, service=service, read_only=True)
    rows = await listed(rig)
    request = new_request(rig, rows)

    result = await backend_of(rig).plan_save(request, rows).run(request.report_type)

    assert result.outcome is Outcome.NOT_SENT, result
    assert not [e for e in rig.journal.entries(None) if e.operation == MUTATION[service]]
    rig.journal.close()


async def test_spapi_create_not_read_back_is_not_confirmed(tmp_path: Path) -> None:
    # MWS answers with the schedule as it now is: its answer is the read.
    rig = make_rig(tmp_path, service="spapi")
    rows = await listed(rig)
    request = new_request(rig, rows)
    rig.fault("getReportSchedule:internal")

    result = await backend_of(rig).plan_save(request, rows).run(request.report_type)

    assert result.outcome is Outcome.NOT_CONFIRMED, result
    assert result.detail.startswith("created ")
    rig.journal.close()


async def test_spapi_marketplace_ids_the_catalog_lacks_stay_opaque(tmp_path: Path) -> None:
    # Unknown ids stay opaque (spec §2): a listed schedule naming one can still be replaced.
    rig = make_rig(tmp_path, service="spapi")
    request = new_request(rig, await listed(rig))
    odd = ScheduleRequest(request.report_type, request.period, ("A38D8NSA03LJTC",))
    assert "marketplaces" not in backend_of(rig).check_schedule(odd)
    assert "marketplaces" in backend_of(rig).check_schedule(
        ScheduleRequest(request.report_type, request.period, ("not an id",))
    )
    rig.journal.close()
