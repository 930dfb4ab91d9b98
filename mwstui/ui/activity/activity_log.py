"""The session's call history: a bounded ring of CallRecords fed by the clients' observers."""

from __future__ import annotations

import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import replace

from mwstui.calls import CallRecord
from mwstui.session import Session

DEFAULT_CAPACITY = 2000
"""Records kept; older ones drop off (the journal keeps every mutation for good)."""

FULL_BODIES = 100
"""Newest records whose response bodies stay as text; older ones are kept compressed.

A page of 50 fulfillment orders is a 52 KB body: 2,000 kept as text held 100 MB of a
100,000-order load. XML compresses about tenfold, and only the inspector reads a body."""

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
        self._packed: dict[int, bytes] = {}
        """Compressed bodies of the records older than the newest ``FULL_BODIES``."""
        self._listeners: list[Listener] = []
        self.total = 0
        """Records seen since the start (also the sequence number of the newest)."""

    def attach(self, session: Session) -> None:
        """Observe every client of ``session``."""
        if session.mws is not None:
            session.mws.add_observer(self.add)
        if session.sellercenter is not None:
            session.sellercenter.add_observer(self.add)
        if session.spapi is not None:
            session.spapi.add_observer(self.add)

    def add(self, record: CallRecord) -> None:
        """Keep ``record`` and tell the listeners (called by the clients after each attempt)."""
        self.total += 1
        records = self._records
        if records.maxlen is not None and len(records) == records.maxlen and records:
            self._packed.pop(records[0][0], None)  # about to drop off the far end
        records.append((self.total, record))
        if len(records) > FULL_BODIES:
            seq, old = records[-FULL_BODIES - 1]
            if old.response_text:
                self._packed[seq] = zlib.compress(old.response_text.encode(), 1)
                records[-FULL_BODIES - 1] = (seq, replace(old, response_text=""))
        for listener in list(self._listeners):
            listener(self.total, record)

    def records(self) -> list[tuple[int, CallRecord]]:
        """``(sequence, record)`` pairs, oldest first (the older ones without their bodies:
        ``get`` gives a record back whole)."""
        return list(self._records)

    def get(self, seq: int) -> CallRecord | None:
        """The record with sequence number ``seq``, body and all, if still kept."""
        record = next((r for s, r in self._records if s == seq), None)
        packed = self._packed.get(seq)
        if record is None or packed is None:
            return record
        return replace(record, response_text=zlib.decompress(packed).decode())

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(seq, record)`` for every new record."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop calling ``listener``."""
        if listener in self._listeners:
            self._listeners.remove(listener)
