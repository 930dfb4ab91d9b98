"""The journal: intent before sending, outcome after, unknown outcomes after a crash, CSV."""

from __future__ import annotations

import csv
import inspect
import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mwstui.calls import MutationRecorder
from mwstui.catalog import load_catalog
from mwstui.clock import FakeClock
from mwstui.errors import MwstuiError, TransportError
from mwstui.journal.entry import JournalEntry
from mwstui.journal.recheck import recheck_unknown
from mwstui.journal.store import ORPHAN_AFTER, Journal
from mwstui.throttle.budget import BucketKey
from mwstui.throttle.governor import Governor

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "journal.sqlite3"


@pytest.fixture
def journal(path: Path, clock: FakeClock) -> Iterator[Journal]:
    j = Journal(path, clock)
    yield j
    j.close()


def _intent(j: Journal, operation: str = "CancelReportRequests", **kw: object) -> int:
    args: dict[str, object] = {
        "profile": "eu",
        "service": "mws",
        "account": "A2SELLER",
        "operation": operation,
        "params": {"ReportRequestIdList.Id.1": "2291326454", "Signature": "c2lnbmF0dXJl"},
        "items": ["2291326454"],
    }
    args.update(kw)
    return j.record_intent(**args)  # type: ignore[arg-type]


def test_journal_implements_the_mutation_recorder_protocol() -> None:
    for name in ("record_intent", "record_outcome"):
        ours = inspect.signature(getattr(Journal, name))
        theirs = inspect.signature(getattr(MutationRecorder, name))
        assert list(ours.parameters) == list(theirs.parameters)
        for p in theirs.parameters.values():
            assert ours.parameters[p.name].kind == p.kind
            assert ours.parameters[p.name].default == p.default


def test_the_database_is_wal_and_private(journal: Journal, path: Path) -> None:
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_intent_then_outcome(journal: Journal, clock: FakeClock) -> None:
    entry_id = _intent(journal)
    pending = journal.entry(entry_id)
    assert pending is not None
    assert pending.status == "pending" and not pending.outcome_unknown
    assert pending.params["Signature"] == "••••••"  # masked even if the caller forgot
    assert pending.items == ("2291326454",)
    assert pending.created_at == clock.now()
    clock.advance(2)
    journal.record_outcome(entry_id, status="ok", request_id="rid-1", http_status=200)
    done = journal.entry(entry_id)
    assert done is not None
    assert (done.status, done.request_id, done.http_status) == ("ok", "rid-1", 200)
    assert done.completed_at == clock.now()


def test_an_error_outcome_keeps_the_service_text(journal: Journal) -> None:
    entry_id = _intent(journal, "CancelFulfillmentOrder", service="mws", items=["ORDER-1"])
    journal.record_outcome(
        entry_id,
        status="error",
        request_id="rid-2",
        http_status=400,
        error_code="InvalidRequestException",
        error_message="Order ORDER-1 cannot be cancelled: status COMPLETE",
    )
    (entry,) = journal.entries(10, status="error")
    assert entry.error_code == "InvalidRequestException"
    assert "COMPLETE" in (entry.error_message or "")


def test_bad_status_is_refused(journal: Journal) -> None:
    with pytest.raises(ValueError):
        journal.record_outcome(_intent(journal), status="fine")


MUTATIONS = sorted(op.name for op in load_catalog().operations() if op.mutating)


@pytest.mark.parametrize("operation", MUTATIONS)
def test_every_mutating_operation_is_journalled(journal: Journal, operation: str) -> None:
    service = load_catalog().operation(operation).service
    svc = "sellercenter" if service == "sellercenter" else "mws"
    entry_id = _intent(journal, operation, service=svc, items=["id-1", "id-2"])
    journal.record_outcome(entry_id, status="ok", request_id="r")
    (entry,) = journal.entries()
    assert (entry.operation, entry.service, entry.items) == (operation, svc, ("id-1", "id-2"))
    assert entry.status == "ok"


def test_entries_newest_first_and_limited(journal: Journal) -> None:
    ids = [_intent(journal) for _ in range(5)]
    assert [e.id for e in journal.entries(3)] == ids[::-1][:3]
    assert len(journal.entries(None)) == 5


# -- unknown outcomes --------------------------------------------------------------------

_KILLED_AFTER_INTENT = """
import os, signal, sys
from pathlib import Path
from mwstui.journal.store import Journal
j = Journal(Path(sys.argv[1]))
i = j.record_intent(profile="eu", service="mws", account="A2SELLER",
                    operation="CancelReportRequests", params={}, items=["2291326454"])
print(i, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_process_killed_after_the_intent_leaves_an_unknown_outcome(
    path: Path, clock: FakeClock
) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-c", _KILLED_AFTER_INTENT, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == -9, proc.stderr
    entry_id = int(proc.stdout.strip())
    with Journal(path, clock) as j:  # the next start
        (unknown,) = j.pending_unknown()
        assert unknown.id == entry_id and unknown.outcome_unknown
        assert "stopped between" in (unknown.error_message or "")
        assert (unknown.operation, unknown.items, unknown.account) == (
            "CancelReportRequests",
            ("2291326454",),
            "A2SELLER",
        )
        assert [e.id for e in j.unknown_outcomes()] == [entry_id]


async def test_the_next_start_resolves_unknown_outcomes_by_a_read(
    journal: Journal, path: Path, clock: FakeClock
) -> None:
    a = _intent(journal)
    b = _intent(journal, items=["999"])
    c = _intent(journal, items=["777"])
    journal.record_outcome(a, status="unknown", error_message="connection reset after send")
    journal.record_outcome(b, status="unknown")
    journal.record_outcome(c, status="unknown")
    seen: list[JournalEntry] = []

    async def read_back(entry: JournalEntry) -> tuple[str, str] | None:
        seen.append(entry)
        if entry.id == a:
            return ("ok", "GetReportRequestList: 2291326454 is _CANCELLED_")
        if entry.id == b:
            raise TransportError("Unreachable", "network down")
        return None  # cannot tell yet

    settled = await recheck_unknown(journal, read_back)
    assert [e.id for e in seen] == [a, b, c]
    assert [(e.id, e.status) for e in settled] == [(a, "ok")]
    resolved = journal.entry(a)
    assert resolved is not None and resolved.resolved_at == clock.now()
    assert "_CANCELLED_" in (resolved.note or "")
    assert [e.id for e in journal.pending_unknown()] == [b, c]  # re-checked at the next start
    journal.resolve(c, "unknown", "the report request is no longer listed")
    assert [e.id for e in journal.pending_unknown()] == [b]
    assert {e.id for e in journal.unknown_outcomes()} == {b, c}


def test_a_live_writer_is_not_declared_dead(path: Path, clock: FakeClock) -> None:
    with Journal(path, clock) as first:
        entry_id = _intent(first)
        with Journal(path, clock) as second:  # same process: still sending
            assert second.pending_unknown() == []
            clock.advance(ORPHAN_AFTER + 1)  # but nothing takes an hour
            assert [e.id for e in second.pending_unknown()] == [entry_id]


def test_an_intent_from_another_host_is_unknown(journal: Journal, path: Path) -> None:
    entry_id = _intent(journal)
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE entries SET writer_host='elsewhere' WHERE id=?", (entry_id,))
    con.close()
    assert [e.id for e in journal.pending_unknown()] == [entry_id]


# -- CSV ---------------------------------------------------------------------------------


def test_csv_has_every_entry_and_defuses_formulas(journal: Journal) -> None:
    ok = _intent(journal)
    journal.record_outcome(ok, status="ok", request_id="rid-1")
    bad = _intent(journal, "CancelOrderItem", service="sellercenter", items=["OI-1"])
    journal.record_outcome(
        bad, status="error", error_code="E028", error_message='=HYPERLINK("x")\x1b[2J'
    )
    out = io.StringIO()
    assert journal.to_csv(out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["id"] for r in rows] == [str(ok), str(bad)]
    assert rows[0]["request_id"] == "rid-1"
    assert rows[1]["error_message"].startswith("'=HYPERLINK")
    assert "\x1b" not in out.getvalue()
    assert "c2lnbmF0dXJl" not in out.getvalue()  # the signature never reaches the journal


# -- throttle state ----------------------------------------------------------------------


def test_throttle_state_round_trip(path: Path, clock: FakeClock) -> None:
    with Journal(path, clock) as j:
        assert j.load_throttle_state() is None
        j.save_throttle_state({"version": 1, "buckets": [{"tokens": 2.5}]})
    clock.advance(30)
    with Journal(path, clock) as j:
        saved = j.load_throttle_state()
    assert saved is not None
    assert saved.state == {"version": 1, "buckets": [{"tokens": 2.5}]}
    assert saved.age(clock.time()) == 30


def test_unserialisable_state_is_an_error(journal: Journal) -> None:
    with pytest.raises(MwstuiError, match="throttle state"):
        journal.save_throttle_state({"x": object()})


async def test_governor_state_is_restored_after_a_restart(path: Path, clock: FakeClock) -> None:
    op = load_catalog().operation("RequestReport")
    key = BucketKey("mws.amazonservices.com", "A2SELLER", op.bucket)
    before = Governor(clock)
    for _ in range(op.throttle.capacity):
        await before.acquire(key, op.throttle, operation=op.name)
    with Journal(path, clock) as j:
        j.save_throttle_state(before.export_state())
    clock.advance(op.throttle.restore_seconds)  # reopened a little later: one token back
    after = Governor(clock)
    with Journal(path, clock) as j:
        saved = j.load_throttle_state()
    assert saved is not None
    assert after.restore_state(saved.state) == 1
    snap = after.snapshot(key)
    assert snap is not None
    assert snap.tokens == pytest.approx(1.0)  # not a full bucket
    assert snap.capacity == op.throttle.capacity


# -- failures ----------------------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "journal.sqlite3"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(MwstuiError) as err:
        Journal(bad, FakeClock())
    assert "journal" in str(err.value) and "\n" not in str(err.value)
