"""How a status is shown: coloured by what it means (its tone), never by a service's literal."""

from __future__ import annotations

from rich.text import Text

from mwstui.backend.models import Status, Tone
from mwstui.ui.text.safe_text import cell

TONE_STYLE: dict[Tone, str] = {
    Tone.PENDING: "cyan",
    Tone.ACTIVE: "yellow",
    Tone.SUCCESS: "green",
    Tone.EMPTY: "dim green",
    Tone.MUTED: "dim",
    Tone.WARNING: "yellow",
    Tone.ERROR: "red",
    Tone.UNKNOWN: "magenta",
}
"""Colour of each tone; every panel colours statuses through this one map."""

UNKNOWN_MARK = " ?"
"""After a value the service's catalog does not list (shown verbatim, never acted on)."""


def status_cell(value: object) -> Text:
    """A table cell for a ``Status``: its value, literal, in its tone's colour.

    Args:
        value: a ``Status`` (anything else is shown as a plain cell).
    """
    if not isinstance(value, Status):
        return cell(value)
    text = cell(value.value, TONE_STYLE[value.tone])
    if value.value and not value.known:
        text.append(UNKNOWN_MARK, style=TONE_STYLE[Tone.UNKNOWN])
    return text
