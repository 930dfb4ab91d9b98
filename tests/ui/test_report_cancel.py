"""What can be cancelled, and the batched runner behind the bulk modal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import pytest

from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.calls import ResponseMeta, Result
from mwstui.errors import ServiceError
from mwstui.mws.client import MWSClient
from mwstui.mws.models import CancelResult, ReportProcessingStatus, ReportRequestInfo
from mwstui.ui.report_cancel import BatchedCancel, cancel_calls, cancel_plan


def info(rid: str, status: str) -> ReportRequestInfo:
    return ReportRequestInfo(rid, "_GET_ORDERS_DATA_", ReportProcessingStatus(status))


class FakeReports:
    def __init__(self, fail: bool = False) -> None:
        self.calls: list[list[str]] = []
        self.fail = fail

    async def cancel_report_requests(
        self, ids: Sequence[str], *, recheck: bool = False
    ) -> list[Result[CancelResult]]:
        assert recheck  # the runner always asks the client to read the requests first
        self.calls.append(list(ids))
        if self.fail:
            raise ServiceError("InternalError", "boom", request_id="r-1")
        started = {"started": "_IN_PROGRESS_: only _SUBMITTED_ requests can be cancelled"}
        sent = [i for i in ids if i not in started]
        infos = [info(i, "_CANCELLED_" if i != "late" else "_IN_PROGRESS_") for i in sent]
        infos = [i for i in infos if i.report_request_id != "lost"]
        meta = ResponseMeta("CancelReportRequests", 200)
        not_sent = {i: why for i, why in started.items() if i in ids}
        return [Result(CancelResult(len(sent), infos, not_sent), meta)]


class FakeClient:
    def __init__(self, reports: FakeReports) -> None:
        self.reports = reports


def client(reports: FakeReports) -> MWSClient:
    return cast(MWSClient, FakeClient(reports))


def test_plan_skips_started_and_unknown_statuses() -> None:
    ids, skipped = cancel_plan(
        [
            info("1", "_SUBMITTED_"),
            info("2", "_DONE_"),
            info("3", "_WEIRD_"),
            info("4", "_SUBMITTED_"),
        ]
    )
    assert ids == ["1", "4"]
    assert skipped[0] == ("2", "status _DONE_: already started or ended")
    assert skipped[1][0] == "3" and "unknown status _WEIRD_" in skipped[1][1]


def test_calls_are_chunks_of_100() -> None:
    assert [cancel_calls(n) for n in (0, 1, 100, 101, 250)] == [0, 1, 1, 2, 3]


async def test_batched_runner_sends_one_call_per_chunk() -> None:
    reports = FakeReports()
    ids = [f"r{i}" for i in range(150)] + ["late", "lost", "started"]
    runner = BatchedCancel(client(reports), ids)
    results = [await runner.run(i) for i in ids]
    assert [len(c) for c in reports.calls] == [100, 53]
    assert results[0].outcome == "done"
    by_id = dict(zip(ids, results, strict=True))
    assert by_id["late"].outcome == "failed" and "_IN_PROGRESS_" in by_id["late"].detail
    assert by_id["lost"].outcome == "unknown"
    assert by_id["started"] == ItemResult(
        Outcome.NOT_SENT, "now _IN_PROGRESS_: only _SUBMITTED_ requests can be cancelled"
    )


async def test_batched_runner_reports_the_chunk_failure_for_each_item() -> None:
    reports = FakeReports(fail=True)
    runner = BatchedCancel(client(reports), ["a", "b"])
    for rid in ("a", "b"):
        with pytest.raises(ServiceError):
            await runner.run(rid)
    assert reports.calls == [["a", "b"]]  # one call, never retried per item
