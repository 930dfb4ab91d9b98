"""What a bulk run writes to the journal: each item's outcome on the entry of its call.

The client journals each call (intent, then the service's answer); only the run knows
what each item came to once read back. The run collects the ids of the intents its
item's calls wrote (``journal.collect_intents``), so an outcome lands on exactly the
entry of the call that carried it, never on a guessed one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mwstui.backend.outcomes import ItemResult
from mwstui.errors import MwstuiError
from mwstui.journal.entry import JournalEntry
from mwstui.journal.store import Journal
from mwstui.session import AccountInfo


@dataclass
class RunRecorder:
    """Writes the items' outcomes of one run to the journal.

    Args:
        journal: the session's journal; None records nothing.
        accounts: the session's accounts, for the items a run never sent when it sent
            nothing at all (otherwise its first entry says whose they were).
    """

    journal: Journal | None
    accounts: Sequence[AccountInfo] = ()
    entries: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Entries written by this run's calls → the items each carried."""
    errors: list[str] = field(default_factory=list)
    """Journal writes that failed (shown on the run screen, never raised into the run)."""

    def covers(self, item: str) -> bool:
        """Whether a call of this run carried ``item`` (its intent is in the journal)."""
        return any(item in items for items in self.entries.values())

    def add_intents(self, ids: Sequence[int]) -> None:
        """Take note of the entries an item's calls wrote."""
        if self.journal is None:
            return
        for entry_id in ids:
            if entry_id in self.entries:
                continue
            entry = self._read(entry_id)
            self.entries[entry_id] = entry.items if entry is not None else ()

    def record(self, item: str, result: ItemResult) -> None:
        """Store ``result`` on every entry of this run that carried ``item``."""
        if self.journal is None:
            return
        for entry_id, items in self.entries.items():
            if item in items:
                try:
                    self.journal.record_items(entry_id, {item: result})
                except MwstuiError as exc:
                    self.errors.append(str(exc))

    def record_not_sent(
        self,
        results: Mapping[str, ItemResult],
        *,
        operation: str = "",
        endpoint: str = "",
        seller: str = "",
    ) -> None:
        """One entry for the items the run never sent, so the journal tells the whole run.

        Whose they were comes from the run's first entry; when the run sent nothing, from
        the session account whose host and seller are those of the bucket the run spends
        (``endpoint``, ``seller``), with the ``operation`` the governor was holding back.
        """
        if self.journal is None or not results:
            return
        template = self._first_entry()
        if template is not None:
            profile, service, account, op = template
        else:
            found = next(
                (a for a in self.accounts if a.host == endpoint and a.seller == seller), None
            )
            if found is None or not operation:
                return  # nothing was sent and we cannot say whose: the exit summary tells
            profile, service, account, op = found.profile, found.service, found.seller, operation
        try:
            self.journal.record_not_sent(
                profile=profile, service=service, account=account, operation=op, results=results
            )
        except MwstuiError as exc:
            self.errors.append(str(exc))

    def _first_entry(self) -> tuple[str, str, str, str] | None:
        for entry_id in sorted(self.entries):
            entry = self._read(entry_id)
            if entry is not None:
                return entry.profile, entry.service, entry.account, entry.operation
        return None

    def _read(self, entry_id: int) -> JournalEntry | None:
        assert self.journal is not None
        try:
            return self.journal.entry(entry_id)
        except MwstuiError as exc:
            self.errors.append(str(exc))
            return None
