"""The session's call history: a bounded ring of CallRecords fed by the clients' observers."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from mwstui.calls import CallRecord
from mwstui.session import Session

DEFAULT_CAPACITY = 2000
"""Records kept; older ones drop off (the journal keeps every mutation for good)."""

Listener = Callable[[int, CallRecord], None]


class ActivityLog:
    """Every API call attempt of this session, newest last, at most ``capacity`` of them.

    The app attaches it to the clients before any panel loads, so no call is missed;
    the Activity panel renders from it and subscribes for new records.

    Args:
        capacity: how many records to keep.
    """

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._records: deque[tuple[int, CallRecord]] = deque(maxlen=capacity)
        self._listeners: list[Listener] = []
        self.total = 0
        """Records seen since the start (also the sequence number of the newest)."""

    def attach(self, session: Session) -> None:
        """Observe every client of ``session``."""
        if session.mws is not None:
            session.mws.add_observer(self.add)
        if session.sellercenter is not None:
            session.sellercenter.add_observer(self.add)

    def add(self, record: CallRecord) -> None:
        """Keep ``record`` and tell the listeners (called by the clients after each attempt)."""
        self.total += 1
        self._records.append((self.total, record))
        for listener in list(self._listeners):
            listener(self.total, record)

    def records(self) -> list[tuple[int, CallRecord]]:
        """``(sequence, record)`` pairs, oldest first."""
        return list(self._records)

    def get(self, seq: int) -> CallRecord | None:
        """The record with sequence number ``seq``, if still kept."""
        return next((r for s, r in self._records if s == seq), None)

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(seq, record)`` for every new record."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop calling ``listener``."""
        if listener in self._listeners:
            self._listeners.remove(listener)
