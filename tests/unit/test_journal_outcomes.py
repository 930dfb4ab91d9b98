"""Each item's outcome in the journal, the status it adds up to, and older journals migrated."""

from __future__ import annotations

import asyncio
import io
import json
import sqlite3
from pathlib import Path

from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.clock import FakeClock
from mwstui.journal.intents import collect_intents, intent_context
from mwstui.journal.store import Journal

OLD_SCHEMA = """
CREATE TABLE entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created_at REAL NOT NULL, profile TEXT NOT NULL,
    service TEXT NOT NULL, account TEXT NOT NULL, operation TEXT NOT NULL, params TEXT NOT NULL,
    items TEXT NOT NULL, status TEXT NOT NULL, completed_at REAL, request_id TEXT,
    http_status INTEGER, error_code TEXT, error_message TEXT, resolved_at REAL, note TEXT,
    writer_pid INTEGER NOT NULL, writer_host TEXT NOT NULL
);
CREATE TABLE throttle_state (id INTEGER PRIMARY KEY CHECK (id = 1), saved_at REAL NOT NULL,
    state TEXT NOT NULL);
"""


def intent(j: Journal, items: list[str], operation: str = "CancelReportRequests") -> int:
    return j.record_intent(
        profile="p", service="mws", account="S", operation=operation, params={}, items=items
    )


def test_a_journal_from_the_first_release_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(OLD_SCHEMA)
    conn.execute(
        "INSERT INTO entries (created_at, profile, service, account, operation, params, items,"
        " status, request_id, writer_pid, writer_host) VALUES (1, 'us', 'mws', 'S',"
        " 'CancelFulfillmentOrder', '{}', '[\"O-1\"]', 'ok', 'rid-1', 1, 'h')"
    )
    conn.commit()
    conn.close()
    with Journal(path, FakeClock(10.0)) as j:
        (old,) = j.entries()
        assert (old.status, old.request_id, old.outcomes, old.context) == ("ok", "rid-1", {}, {})
        j.record_items(old.id, {"O-1": ItemResult(Outcome.NOT_CONFIRMED, "now PROCESSING")})
        assert j.entries()[0].status == "not confirmed"
    with Journal(path, FakeClock(20.0)) as j:  # opening again migrates nothing twice
        assert j.entries()[0].outcomes["O-1"].detail == "now PROCESSING"


def test_the_entry_status_is_what_its_items_came_to(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3", FakeClock(0.0)) as j:
        failed = intent(j, ["a", "b"])
        j.record_outcome(failed, status="ok", request_id="rid")
        j.record_items(failed, {"a": ItemResult(Outcome.FAILED, "still _DONE_")})
        assert j.entry(failed).status == "ok"  # type: ignore[union-attr]  # b not known yet
        j.record_items(failed, {"b": ItemResult(Outcome.FAILED, "still _DONE_")})
        entry = j.entry(failed)
        assert entry is not None and entry.status == "failed"
        assert entry.outcome_lines() == ["a: failed · still _DONE_", "b: failed · still _DONE_"]

        mixed = intent(j, ["a", "b"])
        j.record_outcome(mixed, status="ok")
        j.record_items(
            mixed, {"a": ItemResult(Outcome.DONE), "b": ItemResult(Outcome.FAILED, "no")}
        )
        assert j.entry(mixed).status == "partial"  # type: ignore[union-attr]

        refused = intent(j, ["a"])
        j.record_outcome(refused, status="error", error_code="E028")
        j.record_items(refused, {"a": ItemResult(Outcome.FAILED, "E028", code="E028")})
        assert j.entry(refused).status == "error"  # type: ignore[union-attr]

        lost = intent(j, ["a"], "CancelFulfillmentOrder")
        j.record_outcome(lost, status="unknown", error_code="Interrupted")
        j.record_items(lost, {"a": ItemResult(Outcome.DONE, "answer lost; now CANCELLED")})
        settled = j.entry(lost)
        assert settled is not None and settled.status == "ok" and settled.resolved_at
        assert settled.note == "settled by the run: answer lost; now CANCELLED"
        assert j.pending_unknown() == []


def test_items_never_sent_are_recorded_and_exported(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3", FakeClock(0.0)) as j:
        j.record_not_sent(
            profile="p",
            service="mws",
            account="S",
            operation="CancelFulfillmentOrder",
            results={"c": ItemResult(Outcome.NOT_SENT, "quit before sending")},
        )
        (entry,) = j.entries()
        assert entry.status == "not sent" and entry.items == ("c",)
        out = io.StringIO()
        j.to_csv(out)
        header, row = out.getvalue().splitlines()[:2]
        assert header.endswith(",outcomes,context")
        assert "quit before sending" in row and '""outcome"": ""not sent""' in row


async def test_intents_are_collected_per_task_with_their_context(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3", FakeClock(0.0)) as j:
        outside = intent(j, ["x"])

        async def cancel() -> int:
            return j.record_intent(
                profile="p", service="sellercenter", account="u", operation="SetStatusToCanceled",
                params={"OrderItemId": "9"}, items=["9"],
            )  # fmt: skip

        with collect_intents() as ids, intent_context(OrderId="300150"):
            inside = await asyncio.ensure_future(cancel())
        assert ids == [inside] and outside not in ids
        entry = j.entry(inside)
        assert entry is not None and entry.context == {"OrderId": "300150"}
        assert json.loads(dict(entry.params).get("OrderId", "null")) is None  # never sent
        assert j.entry(outside).context == {}  # type: ignore[union-attr]
