"""The journal's SQLite store: every mutating call, written before it is sent, completed after."""

from __future__ import annotations

import csv
import json
import os
import socket
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from mwstui.backend.outcomes import ItemResult
from mwstui.calls import mask_params
from mwstui.clock import Clock, SystemClock
from mwstui.errors import MwstuiError
from mwstui.journal.entry import (
    CSV_COLUMNS,
    ENTRY_COLUMNS,
    ERROR,
    NOT_SENT,
    PENDING,
    STATUSES,
    UNKNOWN,
    JournalEntry,
    SavedThrottleState,
    csv_row,
    entry_from_row,
    outcomes_to_json,
    overall_status,
)
from mwstui.journal.intents import intent_fields, note_intent
from mwstui.journal.schema import ADDED_COLUMNS, SCHEMA
from mwstui.settings import locations

ORPHAN_AFTER = 3600.0
"""Seconds after which a pending intent is an unknown outcome even if its writer's pid
looks alive (pids are reused; no call takes an hour)."""

_NO_OUTCOME = "no outcome recorded: mwstui stopped between writing the intent and the answer"


class Journal:
    """SQLite (WAL) journal of mutating calls, and the persisted throttle state.

    Implements ``mwstui.calls.MutationRecorder``. Opening it turns intents whose writer
    is gone into ``unknown`` outcomes, which the app re-checks (``pending_unknown``).

    Args:
        path: the database file (default ``locations.journal_file()``).
        clock: time source for every timestamp.

    Raises:
        MwstuiError: the database cannot be opened or is not a journal.
    """

    def __init__(self, path: Path | None = None, clock: Clock | None = None) -> None:
        self.path = path or locations.journal_file()
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._host = socket.gethostname()
        try:
            locations.ensure_private_dir(self.path.parent)
            # Shared between the event loop and worker threads; the lock serialises use.
            self._conn = sqlite3.connect(self.path, timeout=5.0, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise self._error(exc) from None
        try:
            with self._lock, self._conn:
                self._conn.execute("PRAGMA journal_mode=WAL")
                # FULL: an intent must survive a crash (and a power cut) once written.
                self._conn.execute("PRAGMA synchronous=FULL")
                self._conn.executescript(SCHEMA)
                self._migrate()
            self.path.chmod(0o600)
        except (OSError, sqlite3.Error) as exc:
            self._conn.close()
            raise self._error(exc) from None
        self._mark_orphans()

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- MutationRecorder ----------------------------------------------------------

    def record_intent(
        self,
        *,
        profile: str,
        service: str,
        account: str,
        operation: str,
        params: Mapping[str, str],
        items: Sequence[str],
    ) -> int:
        """Write (durably) that a call is about to be sent; returns the entry id.

        Callers must not send the call if this raises.

        Raises:
            MwstuiError: the journal cannot be written.
        """
        context = intent_fields()
        row = (
            self._clock.time(),
            profile,
            service,
            account,
            operation,
            json.dumps(mask_params(params), sort_keys=True),
            json.dumps([str(i) for i in items]),
            PENDING,
            os.getpid(),
            self._host,
            json.dumps(dict(context), sort_keys=True) if context else None,
        )
        cur = self._write(
            "INSERT INTO entries (created_at, profile, service, account, operation, params,"
            " items, status, writer_pid, writer_host, context) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            row,
        )
        assert cur.lastrowid is not None
        note_intent(cur.lastrowid)
        return cur.lastrowid

    def record_outcome(
        self,
        entry_id: int,
        *,
        status: str,
        request_id: str | None = None,
        http_status: int | None = None,
        error_code: str | None = None,
        error_message: str | None = None,
    ) -> None:
        """Complete an entry with what the service answered (``ok``/``error``/``unknown``).

        Raises:
            ValueError: an unknown status.
            MwstuiError: the journal cannot be written.
        """
        _check_status(status)
        self._write(
            "UPDATE entries SET status=?, completed_at=?, request_id=?, http_status=?,"
            " error_code=?, error_message=? WHERE id=?",
            (status, self._clock.time(), request_id, http_status, error_code, error_message,
             entry_id),
        )  # fmt: skip

    def record_items(self, entry_id: int, results: Mapping[str, ItemResult]) -> None:
        """Store what each item of an entry came to, and the status they add up to.

        The service's answer alone does not say whether an item took effect (a cancel of a
        request that had already started is answered without an error): the run that read
        it back records it here. Once every item has an outcome, an ``ok`` entry takes the
        status they add up to (``failed``, ``not confirmed``, ``partial`` …), and an
        ``unknown`` one that the run settled by a read is settled with a note. ``error``
        stays: the service's refusal is the truer record.

        Raises:
            MwstuiError: the journal cannot be written.
        """
        entry = self.entry(entry_id)
        if entry is None:
            return
        merged = {**entry.outcomes, **{k: v for k, v in results.items() if k in entry.items}}
        status = overall_status(entry.items, merged)
        text = outcomes_to_json(merged)
        if status is None or entry.status in (ERROR, PENDING) or status == entry.status:
            self._write("UPDATE entries SET outcomes=? WHERE id=?", (text, entry_id))
        elif entry.status == UNKNOWN:
            note = "; ".join(merged[i].detail or merged[i].outcome.label for i in entry.items)
            self._write(
                "UPDATE entries SET outcomes=?, status=?, resolved_at=?, note=? WHERE id=?",
                (text, status, self._clock.time(), f"settled by the run: {note}", entry_id),
            )
        else:
            self._write(
                "UPDATE entries SET outcomes=?, status=? WHERE id=?", (text, status, entry_id)
            )

    def record_not_sent(
        self,
        *,
        profile: str,
        service: str,
        account: str,
        operation: str,
        results: Mapping[str, ItemResult],
    ) -> int:
        """Record items a run meant to act on but never sent (stopped, interrupted).

        Args:
            profile: as the run's calls were journaled.
            service: as the run's calls were journaled.
            account: as the run's calls were journaled.
            operation: as the run's calls were journaled.
            results: each item and why it was not sent (outcome ``not sent``).

        Raises:
            MwstuiError: the journal cannot be written.
        """
        now = self._clock.time()
        items = list(results)
        outcomes = outcomes_to_json(results)
        cur = self._write(
            "INSERT INTO entries (created_at, profile, service, account, operation, params,"
            " items, status, completed_at, outcomes, writer_pid, writer_host)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (now, profile, service, account, operation, "{}",
             json.dumps([str(i) for i in items]), NOT_SENT, now, outcomes,
             os.getpid(), self._host),
        )  # fmt: skip
        assert cur.lastrowid is not None
        return cur.lastrowid

    # -- reading and settling ------------------------------------------------------

    def entries(self, limit: int | None = 200, *, status: str | None = None) -> list[JournalEntry]:
        """Entries, newest first (optionally only one status)."""
        where, args = ("WHERE status=?", [status]) if status else ("", [])
        lim = f" LIMIT {int(limit)}" if limit is not None else ""
        return self._select(f"{where} ORDER BY id DESC{lim}", args)

    def entry(self, entry_id: int) -> JournalEntry | None:
        """One entry by id."""
        found = self._select("WHERE id=?", [entry_id])
        return found[0] if found else None

    def unknown_outcomes(self) -> list[JournalEntry]:
        """Every entry whose outcome is unknown, oldest first."""
        self._mark_orphans()
        return self._select("WHERE status=? ORDER BY id", [UNKNOWN])

    def pending_unknown(self) -> list[JournalEntry]:
        """Unknown outcomes not yet checked by a follow-up read: what to re-check at start."""
        self._mark_orphans()
        return self._select("WHERE status=? AND resolved_at IS NULL ORDER BY id", [UNKNOWN])

    def resolve(self, entry_id: int, status: str, note: str) -> None:
        """Settle an unknown outcome after a follow-up read.

        Args:
            entry_id: the entry.
            status: ``ok`` (it took effect), ``error`` (it did not), or ``unknown``
                (the read could not tell; it is not re-checked automatically again).
            note: what the read found, for the Activity panel and the CSV.
        """
        _check_status(status)
        self._write(
            "UPDATE entries SET status=?, resolved_at=?, note=? WHERE id=?",
            (status, self._clock.time(), note, entry_id),
        )

    def to_csv(self, fileobj: IO[str]) -> int:
        """Write every entry, oldest first, as CSV; returns the number of rows.

        Cells starting like a formula are prefixed with ``'`` (server text is untrusted).
        """
        writer = csv.writer(fileobj)
        writer.writerow(CSV_COLUMNS)
        rows = self._select("ORDER BY id", [])
        for e in rows:
            writer.writerow(csv_row(e))
        return len(rows)

    # -- throttle state ------------------------------------------------------------

    def save_throttle_state(self, state: Mapping[str, Any]) -> None:
        """Persist the governor's state (JSON-able) with the current time.

        Raises:
            MwstuiError: not JSON-serialisable, or the journal cannot be written.
        """
        try:
            text = json.dumps(state, sort_keys=True)
        except (TypeError, ValueError) as exc:
            raise MwstuiError(f"throttle state cannot be saved: {exc}") from None
        self._write(
            "INSERT INTO throttle_state (id, saved_at, state) VALUES (1, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET saved_at=excluded.saved_at, state=excluded.state",
            (self._clock.time(), text),
        )

    def load_throttle_state(self) -> SavedThrottleState | None:
        """The last saved governor state, or ``None`` if there is none (or it is unreadable)."""
        with self._lock:
            try:
                row = self._conn.execute(
                    "SELECT saved_at, state FROM throttle_state WHERE id=1"
                ).fetchone()
            except sqlite3.Error as exc:
                raise self._error(exc) from None
        if row is None:
            return None
        try:
            state = json.loads(row[1])
        except ValueError:
            return None  # a damaged snapshot only means starting from the catalog's figures
        return SavedThrottleState(state, float(row[0])) if isinstance(state, dict) else None

    # -- internals -----------------------------------------------------------------

    def _migrate(self) -> None:
        """Add the columns a journal from an older mwstui lacks (caller holds the lock)."""
        have = {row[1] for row in self._conn.execute("PRAGMA table_info(entries)")}
        for name, kind in ADDED_COLUMNS:
            if name not in have:
                self._conn.execute(f"ALTER TABLE entries ADD COLUMN {name} {kind}")

    def _mark_orphans(self) -> None:
        with self._lock:
            try:
                rows = self._conn.execute(
                    "SELECT id, created_at, writer_pid, writer_host FROM entries WHERE status=?",
                    (PENDING,),
                ).fetchall()
                now = self._clock.time()
                gone = [
                    (UNKNOWN, _NO_OUTCOME, eid)
                    for eid, created, pid, host in rows
                    if now - created > ORPHAN_AFTER or host != self._host or not _alive(pid)
                ]
                if gone:
                    with self._conn:
                        self._conn.executemany(
                            "UPDATE entries SET status=?, error_message=? "
                            "WHERE id=? AND status='pending'",
                            gone,
                        )
            except sqlite3.Error as exc:
                raise self._error(exc) from None

    def _write(self, sql: str, args: Sequence[Any]) -> sqlite3.Cursor:
        with self._lock:
            try:
                with self._conn:
                    return self._conn.execute(sql, args)
            except sqlite3.Error as exc:
                raise self._error(exc) from None

    def _select(self, tail: str, args: Sequence[Any]) -> list[JournalEntry]:
        # ``tail`` is always one of this module's literals; values are bound parameters.
        sql = f"SELECT {ENTRY_COLUMNS} FROM entries {tail}"  # noqa: S608
        with self._lock:
            try:
                rows = self._conn.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise self._error(exc) from None
        return [entry_from_row(r) for r in rows]

    def _error(self, exc: BaseException) -> MwstuiError:
        return MwstuiError(f"journal {locations.display_path(self.path)}: {exc}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ValueError(f"unknown journal status {status!r}")
