"""ActivityLog: a bounded ring whose older response bodies are kept compressed, not lost."""

from __future__ import annotations

from datetime import UTC, datetime

from mwstui.calls import CallRecord
from mwstui.ui.activity.activity_log import FULL_BODIES, ActivityLog


def record(n: int) -> CallRecord:
    body = f"<Response n='{n}'>" + "<Order><Id>SBX</Id></Order>" * 2_000 + "</Response>"
    return CallRecord(
        started_at=datetime(2026, 12, 6, tzinfo=UTC),
        service="mws",
        account="A1",
        operation="ListAllFulfillmentOrdersByNextToken",
        method="POST",
        host="mws.sandbox.test",
        response_text=body,
    )


def test_older_bodies_are_packed_and_given_back_whole() -> None:
    log = ActivityLog(capacity=300)
    sent = [record(n) for n in range(400)]
    for r in sent:
        log.add(r)
    kept = log.records()
    assert [s for s, _ in kept] == list(range(101, 401))
    # The newest keep their text; older ones hold it compressed (a tenth of the memory).
    assert all(r.response_text for _, r in kept[-FULL_BODIES:])
    assert not any(r.response_text for _, r in kept[:-FULL_BODIES])
    assert sum(len(b) for b in log._packed.values()) * 10 < sum(
        len(r.response_text) for r in sent[100:300]
    )
    for seq in (101, 250, 300, 301, 400):
        assert log.get(seq) == sent[seq - 1]
    assert log.get(100) is None and set(log._packed) == set(range(101, 301))
