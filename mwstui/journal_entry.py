"""What the journal holds: entry and throttle-state types, statuses, and their CSV form."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

PENDING = "pending"
"""Intent written; the writing process is still sending (or died: see ``UNKNOWN``)."""
OK = "ok"
ERROR = "error"
UNKNOWN = "unknown"
"""Sent, or perhaps sent, with no answer recorded: check by a read before trusting it."""
STATUSES = frozenset({PENDING, OK, ERROR, UNKNOWN})

CSV_COLUMNS = (
    "id",
    "created_at",
    "profile",
    "service",
    "account",
    "operation",
    "items",
    "params",
    "status",
    "completed_at",
    "request_id",
    "http_status",
    "error_code",
    "error_message",
    "resolved_at",
    "note",
)


ENTRY_COLUMNS = (
    "id, created_at, profile, service, account, operation, params, items, status,"
    " completed_at, request_id, http_status, error_code, error_message, resolved_at, note"
)
"""The ``entries`` columns ``entry_from_row`` reads, in order."""


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One mutating call as the journal knows it."""

    id: int
    created_at: datetime
    profile: str
    service: str
    """``mws`` or ``sellercenter``."""
    account: str
    """Seller id or SellerCenter user the call acted for."""
    operation: str
    params: Mapping[str, str]
    """Request parameters, secrets masked."""
    items: tuple[str, ...]
    """The ids acted on (report request ids, order ids, order item ids)."""
    status: str
    """``pending``, ``ok``, ``error`` or ``unknown``."""
    completed_at: datetime | None = None
    request_id: str | None = None
    http_status: int | None = None
    error_code: str | None = None
    error_message: str | None = None
    """The service's message, verbatim: untrusted text."""
    resolved_at: datetime | None = None
    """When a follow-up read settled (or tried to settle) an unknown outcome."""
    note: str | None = None
    """What that follow-up read found."""

    @property
    def outcome_unknown(self) -> bool:
        """Whether nobody knows if this call took effect."""
        return self.status == UNKNOWN


@dataclass(frozen=True, slots=True)
class SavedThrottleState:
    """The governor's bucket state as last saved."""

    state: dict[str, Any]
    saved_at: float
    """Epoch seconds (journal clock) of the save."""

    def age(self, now: float) -> float:
        """Seconds since the save (never negative, even if the clock went back)."""
        return max(0.0, now - self.saved_at)


def _dt(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def entry_from_row(r: Sequence[Any]) -> JournalEntry:
    """A ``JournalEntry`` from a row of ``ENTRY_COLUMNS``."""
    created = _dt(r[1])
    assert created is not None
    return JournalEntry(
        id=r[0],
        created_at=created,
        profile=r[2],
        service=r[3],
        account=r[4],
        operation=r[5],
        params=json.loads(r[6]),
        items=tuple(json.loads(r[7])),
        status=r[8],
        completed_at=_dt(r[9]),
        request_id=r[10],
        http_status=r[11],
        error_code=r[12],
        error_message=r[13],
        resolved_at=_dt(r[14]),
        note=r[15],
    )


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    # Terminal escapes from a server message must not reach a terminal via `journal --csv`.
    text = "".join(
        f"\\x{ord(c):02x}" if (ord(c) < 32 and c not in "\n\t") or 127 <= ord(c) < 160 else c
        for c in str(value)
    )
    # A spreadsheet would run "=HYPERLINK(...)" from a server message: make it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t") else text


def csv_row(e: JournalEntry) -> list[str]:
    """One CSV row in ``CSV_COLUMNS`` order; text defused for spreadsheets and terminals."""
    return [
        str(e.id),
        _csv_cell(e.created_at),
        _csv_cell(e.profile),
        _csv_cell(e.service),
        _csv_cell(e.account),
        _csv_cell(e.operation),
        _csv_cell(" ".join(e.items)),
        _csv_cell(json.dumps(dict(e.params), sort_keys=True)),
        e.status,
        _csv_cell(e.completed_at),
        _csv_cell(e.request_id),
        "" if e.http_status is None else str(e.http_status),
        _csv_cell(e.error_code),
        _csv_cell(e.error_message),
        _csv_cell(e.resolved_at),
        _csv_cell(e.note),
    ]
