"""The journal's SQLite schema, and the columns added since the first release."""

from __future__ import annotations

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at     REAL NOT NULL,
    profile        TEXT NOT NULL,
    service        TEXT NOT NULL,
    account        TEXT NOT NULL,
    operation      TEXT NOT NULL,
    params         TEXT NOT NULL,
    items          TEXT NOT NULL,
    status         TEXT NOT NULL,
    completed_at   REAL,
    request_id     TEXT,
    http_status    INTEGER,
    error_code     TEXT,
    error_message  TEXT,
    resolved_at    REAL,
    note           TEXT,
    writer_pid     INTEGER NOT NULL,
    writer_host    TEXT NOT NULL,
    outcomes       TEXT,
    context        TEXT
);
CREATE INDEX IF NOT EXISTS entries_status ON entries (status);
CREATE TABLE IF NOT EXISTS throttle_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    saved_at  REAL NOT NULL,
    state     TEXT NOT NULL
);
"""

ADDED_COLUMNS = (("outcomes", "TEXT"), ("context", "TEXT"))
"""Columns added since the first release: a journal written by an older mwstui gets them
(``ALTER TABLE … ADD COLUMN`` keeps every row and is atomic)."""
