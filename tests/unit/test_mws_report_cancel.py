"""Cancelling MWS report requests: what the plan takes and skips, and its batched run.

Once the UI's own runner (``ui/report_cancel.py``), now the MWS adapter's ``plan_cancel``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from mwstui.backend.models import ReportJob
from mwstui.backend.outcomes import Outcome
from mwstui.calls import ResponseMeta, Result
from mwstui.errors import ServiceError
from mwstui.mws.backend import MWSReports
from mwstui.mws.backend_records import report_statuses
from mwstui.mws.models import CancelResult, ReportProcessingStatus, ReportRequestInfo
from tests.ui.harness import sandbox_session


def job(rid: str, status: str) -> ReportJob:
    return ReportJob(rid, "_GET_ORDERS_DATA_", report_statuses()(status))


def info(rid: str, status: str) -> ReportRequestInfo:
    return ReportRequestInfo(rid, "_GET_ORDERS_DATA_", ReportProcessingStatus(status))


class FakeCancel:
    """CancelReportRequests as the service answers it: ``late`` had started (the answer
    shows it unchanged) and ``lost`` is missing from the answer."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[list[str]] = []
        self.fail = fail

    async def __call__(self, ids: Sequence[str]) -> list[Result[CancelResult]]:
        self.calls.append(list(ids))
        if self.fail:
            raise ServiceError("InternalError", "boom", request_id="r-1", http_status=500)
        infos = [info(i, "_CANCELLED_" if i != "late" else "_IN_PROGRESS_") for i in ids]
        infos = [i for i in infos if i.report_request_id != "lost"]
        meta = ResponseMeta("CancelReportRequests", 200, request_id="r-2")
        return [Result(CancelResult(len(ids), infos), meta)]


@pytest.fixture
def backend(tmp_path: Path) -> MWSReports:
    found = sandbox_session(tmp_path).session.backends.reports
    assert isinstance(found, MWSReports)
    return found


def test_plan_skips_started_and_unknown_statuses(backend: MWSReports) -> None:
    rows = {j.id: j for j in (job("1", "_SUBMITTED_"), job("2", "_DONE_"), job("3", "_WEIRD_"))}
    rows["4"] = job("4", "_SUBMITTED_")
    plan = backend.plan_cancel(["1", "2", "3", "4", "gone"], rows)
    assert plan.keys() == ["1", "4"]
    assert [i.note for i in plan.items] == ["_GET_ORDERS_DATA_"] * 2
    skipped = [(s.key, s.reason) for s in plan.skipped]
    assert skipped[0] == ("2", "status _DONE_: already started or ended")
    assert skipped[1][0] == "3" and "unknown status _WEIRD_" in skipped[1][1]
    assert skipped[2] == ("gone", "not in the list any more: refresh")


def test_calls_are_chunks_of_100(backend: MWSReports) -> None:
    def calls(n: int) -> int:
        rows = {str(i): job(str(i), "_SUBMITTED_") for i in range(n)}
        return backend.plan_cancel(list(rows), rows).calls

    assert [calls(n) for n in (0, 1, 100, 101, 250)] == [0, 1, 1, 2, 3]


async def test_the_run_sends_one_call_per_chunk(
    backend: MWSReports, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeCancel()
    monkeypatch.setattr(backend.client.reports, "cancel_report_requests", fake)
    ids = [f"r{i}" for i in range(150)] + ["late", "lost"]
    plan = backend.plan_cancel(ids, {i: job(i, "_SUBMITTED_") for i in ids})
    results = [await plan.run(i) for i in ids]
    assert [len(c) for c in fake.calls] == [100, 52]
    assert results[0].outcome is Outcome.DONE and results[0].request_id == "r-2"
    by_id = dict(zip(ids, results, strict=True))
    assert by_id["late"].outcome is Outcome.FAILED
    assert "still _IN_PROGRESS_: it had started" in by_id["late"].detail
    # Sent and answered, but the answer does not say: requested, not confirmed.
    assert by_id["lost"].outcome is Outcome.NOT_CONFIRMED and by_id["lost"].read is None
    # Each answered request goes with its result as the answer shows it.
    assert by_id["late"].read == job("late", "_IN_PROGRESS_")
    assert by_id["r0"].read == job("r0", "_CANCELLED_")


async def test_a_chunk_that_fails_fails_each_of_its_items_once(
    backend: MWSReports, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeCancel(fail=True)
    monkeypatch.setattr(backend.client.reports, "cancel_report_requests", fake)
    rows = {i: job(i, "_SUBMITTED_") for i in ("a", "b")}
    plan = backend.plan_cancel(["a", "b"], rows)
    for rid in ("a", "b"):
        result = await plan.run(rid)
        assert result.outcome is Outcome.FAILED
        assert result.code == "InternalError" and result.request_id == "r-1"
    assert fake.calls == [["a", "b"]]  # one call, never retried per item
