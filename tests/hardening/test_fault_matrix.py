"""MWS fault matrix: every kind of call against every fault the sandbox (or the rig) injects.

Kinds: a listing followed page by page (the fault hits the ByNextToken page), a single
read, a report download and a mutation (CancelReportRequests). For every cell: the
client raises the documented class with the server's request id (or succeeds), reads
retry within their bounds, a mutation reaches the service at most once and its journal
entry tells the truth (an unknown outcome is then settled by a read-back), and a failed
download leaves no file and no temporary file while an existing one stays untouched.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mwstui.errors import (
    ApiError,
    IntegrityError,
    MalformedResponseError,
    NotSentError,
    OutcomeUnknownError,
    QuotaExceededError,
    RequestExpiredError,
    ServiceError,
    SignatureMismatchError,
    ThrottledError,
)
from mwstui.mws.models import ReportDownload
from mwstui.recovery import settle_unknown_outcomes
from tests.hardening.futurist import MWS_ENUM_SWAPS
from tests.hardening.matrix import (
    BROKEN_SESSION,
    FAULTS,
    SESSION_WIDE,
    Expect,
    check_error,
    eventually,
)
from tests.hardening.rig import (
    CANCEL_REQUEST,
    ORDER_ID,
    REPORT_ID,
    Rig,
    open_rig,
)

KINDS = ("list", "read", "download", "mutation")
OPERATION = {
    "list": "GetReportRequestListByNextToken",
    "read": "GetFulfillmentOrder",
    "download": "GetReport",
    "mutation": "CancelReportRequests",
}
"""The operation each kind's fault is aimed at."""
PREVIOUS = b"an older download of this report\n"
LOST_ANSWER = ("latency", "truncate", "drop-before", "drop-after")
WAITS = ("throttle-once", "internal-once", "unavailable-once", *LOST_ANSWER)
"""Faults after which a retry must have waited (for a token, or a backoff)."""


def expect(kind: str, fault: str) -> Expect:
    """The documented behaviour of one cell (API.md "Retries" and "Send path")."""
    mutation, download = kind == "mutation", kind == "download"
    if fault == "throttle-once":  # a throttled request was not executed: waited, sent again
        return Expect(None, 2, "ok", True, 1)
    if fault == "throttle-always":
        return Expect(ThrottledError, 4, "error", False, 0)
    if fault == "quota":  # never waits an hour inside a call
        return Expect(QuotaExceededError, 1, "error", False, 0)
    if fault.endswith("-once") and fault.startswith(("internal", "unavailable")):
        return Expect(ServiceError, 1, "error", False, 0) if mutation else Expect(None, 2)
    if fault.endswith("-always") and fault.startswith(("internal", "unavailable")):
        return Expect(ServiceError, 1, "error", False, 0) if mutation else Expect(ServiceError, 4)
    if fault in LOST_ANSWER:
        if mutation:
            happened = fault != "drop-before"
            return Expect(OutcomeUnknownError, 1, "unknown", happened, int(happened))
        return Expect(None, 2)  # a read is sent again after a backoff, and succeeds
    if fault == "malformed":
        if mutation:  # a 2xx nobody could read: most likely done, so "unknown"
            return Expect(MalformedResponseError, 1, "unknown", True, 1)
        # A download hashes what it got: the half body fails Content-MD5 and is fetched again.
        return Expect(None, 2) if download else Expect(MalformedResponseError, 1)
    if fault == "refused":  # a read retries within bounds; a mutation never
        return Expect(NotSentError, 1, "error", False, 0) if mutation else Expect(NotSentError, 4)
    if fault == "bad-md5-once":
        return Expect(None, 2) if download else Expect(None, 1, "ok", True, 1)
    if fault == "bad-md5-always":
        return Expect(IntegrityError, 4) if download else Expect(None, 1, "ok", True, 1)
    if fault == "skew":
        return Expect(RequestExpiredError, 1, "error", False, 1)
    if fault == "bad-key":
        return Expect(SignatureMismatchError, 1, "error", False, 1)
    assert fault == "future"
    return Expect(None, 1, "ok", True, 1)


async def _list(rig: Rig, rule: str | None) -> tuple[object, str]:
    pages = []
    async for page in rig.mws.reports.iter_report_requests(max_count=1):
        pages.append(page)
        if rule and len(pages) == 1:
            rig.inject(rule.format(op=OPERATION["list"]))
    assert len(pages) == 2
    infos = [i for p in pages for i in p.data]
    assert len(infos) == 3
    return infos, OPERATION["list"]


async def _read(rig: Rig, rule: str | None) -> tuple[object, str]:
    if rule:
        rig.inject(rule.format(op=OPERATION["read"]))
    detail = (await rig.mws.fulfillment.get_order(ORDER_ID)).data
    assert detail.order.seller_fulfillment_order_id == ORDER_ID
    return detail, OPERATION["read"]


async def _download(rig: Rig, rule: str | None) -> tuple[object, str]:
    (rig.downloads / "report.txt").write_bytes(PREVIOUS)
    if rule:
        rig.inject(rule.format(op=OPERATION["download"]))
    got = await rig.mws.reports.download_report(
        REPORT_ID, rig.downloads / "report.txt", progress=lambda n, _total: STREAMED.append(n)
    )
    return got.data, OPERATION["download"]


STREAMED: list[int] = []
"""Byte counts the last download reported while writing its temporary file."""


async def _mutation(rig: Rig, rule: str | None) -> tuple[object, str]:
    if rule:
        rig.inject(rule.format(op=OPERATION["mutation"]))
    results = await rig.mws.reports.cancel_report_requests([CANCEL_REQUEST])
    assert len(results) == 1 and results[0].data.count == 1
    return results[0].data, OPERATION["mutation"]


RUN = {"list": _list, "read": _read, "download": _download, "mutation": _mutation}


def _cancelled(rig: Rig) -> bool:
    return rig.sandbox.seller().reports.requests[CANCEL_REQUEST].cancelled_at is not None


def _report_bytes(rig: Rig) -> bytes:
    reports = rig.sandbox.seller().reports
    return reports.body(reports.reports[REPORT_ID])


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("kind", KINDS)
async def test_mws_cell(kind: str, fault: str, tmp_path: Path) -> None:
    spec, expected = FAULTS[fault], expect(kind, fault)
    STREAMED.clear()
    async with open_rig(
        tmp_path,
        mode=spec.mode,
        skew=spec.skew,
        bad_key=spec.bad_key,
        future=spec.future,
        wire_timeout=spec.timeout,
    ) as rig:
        data: object = None
        exc: ApiError | None = None
        try:
            data, _ = await RUN[kind](rig, spec.rule)
        except ApiError as caught:
            exc = caught
        # The faulted call: a listing's first page when the fault is session-wide.
        op = OPERATION[kind]
        if kind == "list" and fault in SESSION_WIDE and exc is not None:
            op = "GetReportRequestList"

        check_error(exc, expected, rig.wire.last_request_id)
        attempts = rig.calls(op)
        assert len(attempts) == expected.attempts, [(r.attempt, r.error_code) for r in attempts]
        assert rig.wire.sent.count(op) == expected.attempts
        if expected.error is None and fault in WAITS:
            # The retry waited (a token after a throttle, backoff after a service error).
            assert attempts[-1].waited > 0
        if isinstance(exc, RequestExpiredError):
            assert exc.clock_skew == pytest.approx(spec.skew, abs=5)
        if isinstance(exc, QuotaExceededError) and kind != "read":
            assert exc.resets_at is not None  # Reports sends x-mws-quota-resetsOn
        if kind == "download":
            if fault == "truncate":  # half the body was on disk before the line broke
                assert STREAMED and STREAMED[-1] > 0
            await _check_download(rig, data, expected, fault)
        if kind == "mutation":
            await _check_mutation(rig, exc, expected)
        if fault == "future" and exc is None:
            _check_future(kind, data)
        if fault not in BROKEN_SESSION:  # the same session goes on working
            rig.sandbox.faults.clear()
            rig.wire.timeout = rig.sc_wire.timeout = None
            assert (await rig.mws.reports.report_request_count()).data == 3


async def _check_download(rig: Rig, data: object, expected: Expect, fault: str) -> None:
    dest = rig.downloads / "report.txt"
    assert sorted(p.name for p in rig.downloads.iterdir()) == ["report.txt"]  # no *.part
    if expected.error is not None:
        assert dest.read_bytes() == PREVIOUS  # untouched
        return
    assert isinstance(data, ReportDownload)
    assert dest.read_bytes() == _report_bytes(rig) and data.verified
    # ReportDownload.attempts counts GetReport calls made for a Content-MD5 mismatch.
    assert data.attempts == (2 if fault in ("bad-md5-once", "malformed") else 1)


async def _check_mutation(rig: Rig, exc: ApiError | None, expected: Expect) -> None:
    if expected.executed:  # over loopback the server may finish after the client gave up
        assert await eventually(lambda: _cancelled(rig))
        assert await eventually(lambda: rig.reached.count(OPERATION["mutation"]) >= 1)
    assert _cancelled(rig) is expected.executed
    assert rig.reached.count(OPERATION["mutation"]) == expected.reached  # never twice
    (entry,) = rig.journal.entries()
    assert entry.operation == OPERATION["mutation"] and entry.items == (CANCEL_REQUEST,)
    assert entry.status == expected.journal
    if exc is None:
        assert entry.request_id == rig.wire.last_request_id is not None
    else:
        assert entry.error_code == exc.code
        assert entry.request_id == exc.request_id
    if expected.journal == "unknown":
        # The journal said "unknown"; a read-back now tells what really happened.
        rig.sandbox.faults.clear()
        (settled,) = await settle_unknown_outcomes(rig.session)
        assert settled.status == ("ok" if expected.executed else "error")


def _check_future(kind: str, data: object) -> None:
    newer = set(MWS_ENUM_SWAPS.values())
    if kind == "list":
        assert isinstance(data, list)
        statuses = [i.report_processing_status for i in data]
        assert statuses and all(s in newer and not s.known for s in statuses)
        assert not any(s.cancellable for s in statuses)
    elif kind == "read":
        status = data.order.fulfillment_order_status  # type: ignore[attr-defined]
        assert status in newer and not status.known and not status.cancellable
    elif kind == "mutation":
        (info,) = data.infos  # type: ignore[attr-defined]
        assert info.report_processing_status == "_CANCELLED_BY_AMAZON_"
