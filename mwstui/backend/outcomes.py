"""What one item of a run came to, told truthfully: the five outcomes and an item's result.

A seller reads these in the run dialog, the notification, the journal and its CSV; they
must say what the service did, not what mwstui hoped. "Requested but not confirmed" is
never counted as done: Amazon accepts a fulfillment cancel it "cannot guarantee", and
only a read that shows the new state confirms it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

R = TypeVar("R")


class Outcome(StrEnum):
    """How one item of a mutating run ended. The value is what the journal stores."""

    DONE = "done"
    """Sent, and a read confirmed the new state (or the service's answer is itself the state)."""
    NOT_CONFIRMED = "not confirmed"
    """Sent and accepted, but a read does not show it took effect (yet), or only in part."""
    FAILED = "failed"
    """Sent and refused, or it had no effect; the detail says why (code, request id)."""
    UNKNOWN = "unknown"
    """Sent, and no answer came back; settled by a read at the next start."""
    NOT_SENT = "not sent"
    """Never sent: stopped, interrupted, or refused before sending."""

    @property
    def label(self) -> str:
        """The words shown to a user (``requested, not confirmed``)."""
        return _LABELS[self]

    @property
    def tone(self) -> str:
        """``success``, ``warning``, ``error`` or ``muted``: the UI colours by tone."""
        return _TONES[self]

    @property
    def sent(self) -> bool:
        """Whether a call went out for the item."""
        return self is not Outcome.NOT_SENT


_LABELS = {
    Outcome.DONE: "done",
    Outcome.NOT_CONFIRMED: "requested, not confirmed",
    Outcome.FAILED: "failed",
    Outcome.UNKNOWN: "unknown",
    Outcome.NOT_SENT: "not sent",
}
_TONES = {
    Outcome.DONE: "success",
    Outcome.NOT_CONFIRMED: "warning",
    Outcome.FAILED: "error",
    Outcome.UNKNOWN: "warning",
    Outcome.NOT_SENT: "muted",
}


@dataclass(frozen=True, slots=True)
class ItemResult:
    """The outcome of one item and the one line that explains it.

    Attributes:
        outcome: how it ended.
        detail: why, in words (``now CANCELLED``, ``still PROCESSING: picked already``).
        code: the service's error code, when it refused.
        request_id: the service's request id of the call that decided it, when known.
        read: the record as read back, when the item's check read it.
    """

    outcome: Outcome
    detail: str = ""
    code: str = ""
    request_id: str = ""
    read: object = field(default=None, compare=False)
    """The record its read-back saw (a ``FulfillmentOrder``, a ``ReportJob``), so a panel
    shows it as it is without listing again; None when nothing was read. Never journalled."""


def records_read(results: Mapping[str, ItemResult], kind: type[R]) -> tuple[dict[str, R], bool]:
    """What a run's read-backs saw, and whether only a new list can show the rest.

    Args:
        results: the run's results, by item.
        kind: the record a panel shows (a ``ReportJob``); anything else read is ignored.

    Returns:
        The records read, by item; and True when an item was sent and nothing read it
        (its answer lost, its read-back failed, or a backend that reads nothing back):
        its row would show what it was before the run.
    """
    seen = {k: r.read for k, r in results.items() if isinstance(r.read, kind)}
    unread = any(r.outcome.sent and k not in seen for k, r in results.items())
    return seen, unread


def summarize(outcomes: Iterable[Outcome], *, stopped: bool = False) -> str:
    """One line of counts in a fixed order, e.g. ``Done: 2 done, 1 requested, not confirmed``.

    Outcomes with no item are left out, except ``done``, which is always shown.

    Args:
        outcomes: one per item.
        stopped: the run was stopped before its end.
    """
    counts = Counter(outcomes)
    parts = [f"{counts[Outcome.DONE]} done"]
    parts += [f"{counts[o]} {o.label}" for o in Outcome if o is not Outcome.DONE and counts[o]]
    return ("Stopped: " if stopped else "Done: ") + ", ".join(parts)
