"""What the dashboard says at start after re-checking mutations whose outcome was unknown."""

from __future__ import annotations

from mwstui.journal.entry import JournalEntry


def recovery_summary(settled: list[JournalEntry], still_unknown: int) -> tuple[str, bool] | None:
    """The start-up notification after re-checking unknown outcomes, and whether to warn.

    Args:
        settled: entries the follow-up reads settled (``ok``: it took effect,
            ``error``: it did not, ``unknown``: the read could not tell).
        still_unknown: entries nobody could check (another account, service down).
    """
    took = sum(e.status == "ok" for e in settled)
    did_not = sum(e.status == "error" for e in settled)
    decided = took + did_not
    unclear = len(settled) - decided + still_unknown
    parts = []
    if decided:
        noun = "outcome" if decided == 1 else "outcomes"
        parts.append(f"{decided} unknown {noun} checked: {took} took effect, {did_not} did not")
    if unclear:
        noun = "mutation's outcome is" if unclear == 1 else "mutations' outcomes are"
        parts.append(
            f"{unclear} {noun} still unknown: see Activity → journal (5, then j) "
            "and check on the service before repeating"
        )
    if not parts:
        return None
    text = "; ".join(parts)
    return text, bool(unclear)
