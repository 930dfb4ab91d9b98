"""Settling unknown outcomes at the next start, by the read a backend says settles them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from mwstui.errors import MwstuiError
from mwstui.journal.entry import JournalEntry
from mwstui.journal.store import Journal

OutcomeCheck = Callable[[JournalEntry], Awaitable[tuple[str, str] | None]]
"""Checks an unknown outcome by a read: returns (status, note), or None if it cannot tell."""


async def recheck_unknown(journal: Journal, check: OutcomeCheck) -> list[JournalEntry]:
    """Settle every unknown outcome not yet re-checked, by the app's follow-up read.

    An entry whose check raises an ``MwstuiError`` (or returns ``None``) stays pending
    for the next start.

    Returns:
        The entries as they are after settling.
    """
    settled: list[JournalEntry] = []
    for entry in journal.pending_unknown():
        try:
            verdict = await check(entry)
        except MwstuiError:
            continue
        if verdict is None:
            continue
        journal.resolve(entry.id, *verdict)
        updated = journal.entry(entry.id)
        if updated is not None:
            settled.append(updated)
    return settled
