"""What the dashboard says at start after re-checking mutations whose outcome was unknown."""

from __future__ import annotations

from typing import Any

from textual.app import App

from mwstui.errors import MwstuiError
from mwstui.journal.entry import JournalEntry
from mwstui.recovery import settle_unknown_outcomes
from mwstui.session import Session
from mwstui.ui.text.notify import notify_error


async def recheck_unknown_outcomes(app: App[Any], session: Session) -> None:
    """Ask the service what became of mutations whose answer was lost (last run), and
    say what was found (the app runs this in a worker at start)."""
    journal = session.journal
    if journal is None:
        return
    try:
        if not journal.pending_unknown():
            return
        settled = await settle_unknown_outcomes(session)
        still = len(journal.pending_unknown())
    except MwstuiError as exc:
        notify_error(app, exc, doing="Checking unknown outcomes")
        return
    summary = recovery_summary(settled, still)
    if summary is not None:
        text, warn = summary
        app.notify(
            text,
            title="Unknown outcomes",
            severity="warning" if warn else "information",
            timeout=20.0 if warn else 10.0,
            markup=False,
        )


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
