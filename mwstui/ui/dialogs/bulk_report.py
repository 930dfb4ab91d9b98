"""What a bulk run came to, item by item: counts, the summary line, what quitting prints."""

from __future__ import annotations

from dataclasses import dataclass, field

from mwstui.backend.outcomes import ItemResult, Outcome, summarize


@dataclass
class BulkReport:
    """The outcome of a run, item by item, in the order given."""

    results: dict[str, ItemResult] = field(default_factory=dict)
    stopped: bool = False

    def count(self, outcome: Outcome | str) -> int:
        """How many items ended with ``outcome``."""
        return sum(1 for r in self.results.values() if r.outcome == outcome)

    @property
    def sent(self) -> int:
        """Items for which a call went out (whatever came back)."""
        return sum(1 for r in self.results.values() if r.outcome.sent)

    def items_with(self, outcome: Outcome) -> list[str]:
        """The items that ended with ``outcome``, in run order."""
        return [item for item, r in self.results.items() if r.outcome is outcome]

    def exit_lines(self, title: str) -> list[str]:
        """What the terminal shows after quitting during the run: sent, unknown, not sent."""
        lines = [f"mwstui: quit during a run: {title}", f"  {self.summary()}"]
        sent = [o for o in Outcome if o.sent and o is not Outcome.UNKNOWN]
        for outcome in sent:
            if items := self.items_with(outcome):
                lines.append(f"  sent, {outcome.label}: {' '.join(items)}")
        if items := self.items_with(Outcome.UNKNOWN):
            lines.append(
                f"  sent, outcome unknown: {' '.join(items)} "
                "(checked at the next start; see 'mwstui journal --unknown')"
            )
        if items := self.items_with(Outcome.NOT_SENT):
            lines.append(f"  not sent: {' '.join(items)}")
        return lines

    def summary(self) -> str:
        """One line: counts per outcome, and whether the run was stopped."""
        line = summarize((r.outcome for r in self.results.values()), stopped=self.stopped)
        if self.count(Outcome.UNKNOWN):
            line += " (unknown ones are checked at the next start)"
        return line
