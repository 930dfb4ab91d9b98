"""What the journal holds: entry and throttle-state types, statuses, and their CSV form."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mwstui.backend.outcomes import ItemResult, Outcome

PENDING = "pending"
"""Intent written; the writing process is still sending (or died: see ``UNKNOWN``)."""
OK = "ok"
"""Answered without an error, and every item recorded (if any) is done."""
ERROR = "error"
"""The service refused the call (or it failed on the way): ``error_code``/``error_message``."""
UNKNOWN = "unknown"
"""Sent, or perhaps sent, with no answer recorded: check by a read before trusting it."""
FAILED = Outcome.FAILED.value
"""Answered, but no item took effect (each item's reason is in ``outcomes``)."""
NOT_CONFIRMED = Outcome.NOT_CONFIRMED.value
"""Accepted, but a read does not show that it took effect."""
NOT_SENT = Outcome.NOT_SENT.value
"""Never sent: a run stopped or interrupted before these items."""
PARTIAL = "partial"
"""Items came to different outcomes (see ``outcomes``)."""
STATUSES = frozenset({PENDING, OK, ERROR, UNKNOWN, FAILED, NOT_CONFIRMED, NOT_SENT, PARTIAL})

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
    "outcomes",
    "context",
)


ENTRY_COLUMNS = (
    "id, created_at, profile, service, account, operation, params, items, status,"
    " completed_at, request_id, http_status, error_code, error_message, resolved_at, note,"
    " outcomes, context"
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
    outcomes: Mapping[str, ItemResult] = field(default_factory=dict)
    """Each item's outcome as the run that sent it found it (empty for older entries)."""
    context: Mapping[str, str] = field(default_factory=dict)
    """What the call acted within but did not send (``OrderId`` of an order item): what a
    follow-up read needs to settle an unknown outcome."""

    @property
    def outcome_unknown(self) -> bool:
        """Whether nobody knows if this call took effect."""
        return self.status == UNKNOWN

    def outcome_lines(self) -> list[str]:
        """One line per item: ``id: outcome · detail (code, request id)``, in item order."""
        lines = []
        for item in self.items:
            r = self.outcomes.get(item)
            if r is None:
                lines.append(f"{item}: no outcome recorded")
                continue
            extra = ", ".join(x for x in (r.code, r.request_id and f"request {r.request_id}") if x)
            line = f"{item}: {r.outcome.label}"
            line += f" · {r.detail}" if r.detail else ""
            line += f" ({extra})" if extra else ""
            lines.append(line)
        return lines

    def outcome_counts(self) -> str:
        """``1 done, 1 failed`` over the items with a recorded outcome; ``""`` if none."""
        counts = Counter(r.outcome for r in self.outcomes.values())
        return ", ".join(f"{counts[o]} {o.label}" for o in Outcome if counts[o])


def overall_status(items: Sequence[str], outcomes: Mapping[str, ItemResult]) -> str | None:
    """The entry status the items' outcomes add up to; None while some item has none.

    ``ok`` only when every item is done; an unknown item makes the entry unknown (so it
    is checked at the next start); otherwise the one outcome they share, or ``partial``.
    """
    if not items or any(i not in outcomes for i in items):
        return None
    kinds = {outcomes[i].outcome for i in items}
    if kinds == {Outcome.DONE}:
        return OK
    if Outcome.UNKNOWN in kinds:
        return UNKNOWN
    if len(kinds) == 1:
        return next(iter(kinds)).value
    return PARTIAL


def outcomes_to_json(outcomes: Mapping[str, ItemResult]) -> str:
    """The JSON the journal stores for ``outcomes`` (the CSV's ``outcomes`` cell too)."""
    return json.dumps(
        [
            {
                "item": item,
                "outcome": r.outcome.value,
                "detail": r.detail,
                "code": r.code,
                "request_id": r.request_id,
            }
            for item, r in outcomes.items()
        ]
    )


def outcomes_from_json(text: str | None) -> dict[str, ItemResult]:
    """What ``outcomes_to_json`` wrote; an unreadable value reads as no outcomes."""
    if not text:
        return {}
    try:
        rows = json.loads(text)
        return {
            str(r["item"]): ItemResult(
                Outcome(r["outcome"]),
                str(r.get("detail", "")),
                code=str(r.get("code", "")),
                request_id=str(r.get("request_id", "")),
            )
            for r in rows
        }
    except (ValueError, TypeError, KeyError):
        return {}


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
        outcomes=outcomes_from_json(r[16]),
        context=json.loads(r[17]) if r[17] else {},
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
        _csv_cell(outcomes_to_json(e.outcomes) if e.outcomes else ""),
        _csv_cell(json.dumps(dict(e.context), sort_keys=True) if e.context else ""),
    ]
