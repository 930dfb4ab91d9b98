"""Which journal intents a block of code wrote, and what it acted within.

Context variables, so a bulk run's concurrent items each see only their own calls' intents.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

_INTENTS: ContextVar[list[int] | None] = ContextVar("mwstui_journal_intents", default=None)
_CONTEXT: ContextVar[Mapping[str, str] | None] = ContextVar("mwstui_intent_context", default=None)


@contextmanager
def collect_intents() -> Iterator[list[int]]:
    """Collect the ids of the intents written inside the block (in this task and its children).

    A bulk run uses it to learn exactly which entries its item's calls wrote, so each
    item's outcome lands on the entry of the call that carried it.
    """
    ids: list[int] = []
    token = _INTENTS.set(ids)
    try:
        yield ids
    finally:
        _INTENTS.reset(token)


@contextmanager
def intent_context(**fields: str) -> Iterator[None]:
    """Store ``fields`` with every intent written inside the block (``OrderId`` of an item).

    What a call acted within but did not send: the read that settles an unknown outcome
    at the next start needs it.
    """
    token = _CONTEXT.set({k: str(v) for k, v in fields.items()})
    try:
        yield
    finally:
        _CONTEXT.reset(token)


def intent_fields() -> Mapping[str, str] | None:
    """The fields ``intent_context`` set around the intent being written, if any."""
    return _CONTEXT.get()


def note_intent(entry_id: int) -> None:
    """Tell the ``collect_intents`` block around this call (if any) that it wrote ``entry_id``."""
    collector = _INTENTS.get()
    if collector is not None:
        collector.append(entry_id)
