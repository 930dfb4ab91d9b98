"""Settling unknown outcomes: a mutation whose answer was lost is checked by a follow-up read.

The journal keeps intents whose outcome never arrived (crash, dropped connection); at
the next start the app asks the service what actually happened, instead of guessing.
The read and its verdict are the backend's (``check_outcome``): the same rule a run
applies to a lost answer at once.
"""

from __future__ import annotations

from mwstui.backend.outcomes import Outcome
from mwstui.backend.protocols import Mutation
from mwstui.journal.entry import ERROR, OK, JournalEntry
from mwstui.journal.recheck import OutcomeCheck, recheck_unknown
from mwstui.journal.store import Journal
from mwstui.session import Session

_JOURNAL_STATUS = {
    Outcome.DONE: OK,
    Outcome.FAILED: ERROR,
    Outcome.NOT_CONFIRMED: Outcome.NOT_CONFIRMED.value,
    Outcome.UNKNOWN: Outcome.UNKNOWN.value,
}
"""How a backend's verdict is written back to the journal entry."""


def outcome_check(session: Session) -> OutcomeCheck:
    """A check that asks the backend that sent each mutation to read it back.

    Returns ``(status, note)`` when the read tells, ``None`` when it cannot (other
    account, operation without a read-back): such entries stay pending.
    """

    async def check(entry: JournalEntry) -> tuple[str, str] | None:
        mutation = Mutation(
            entry.service, entry.account, entry.operation, entry.items, entry.params,
            entry.context,
        )  # fmt: skip
        found = await session.backends.check_outcome(mutation)
        if found is None or found.outcome not in _JOURNAL_STATUS:
            return None
        return _JOURNAL_STATUS[found.outcome], found.detail

    return check


async def settle_unknown_outcomes(session: Session) -> list[JournalEntry]:
    """Re-check every unknown outcome the session's backends can read back."""
    journal: Journal | None = session.journal
    if journal is None:
        return []
    return await recheck_unknown(journal, outcome_check(session))
