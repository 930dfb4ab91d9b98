"""Untrusted server text made safe to show: control characters stripped, never parsed as markup.

Every string that came from a service (ids, names, comments, error messages, raw bodies)
goes through this module before it reaches a widget. Textual parses a plain ``str`` given
to ``Static``, ``Label``, ``DataTable`` cells and notifications as markup, so a seller
name like ``[@click=app.quit]`` would become a live action; a ``rich.text.Text`` is never
parsed. Terminal control characters (ESC, C1, bidi overrides) could repaint or reorder
the screen, so they are removed first.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from rich.text import Text

# C0 controls except TAB and LF, DEL, C1 controls, and the bidirectional overrides,
# isolates and marks that can make text display in an order different from its bytes.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\t|\u2028|\u2029|\x85")

MISSING = "—"
"""Shown for an absent value."""


def clean(value: object, *, multiline: bool = False) -> str:
    """Return ``value`` as a string with every control character removed.

    Args:
        value: anything; ``None`` becomes the empty string.
        multiline: keep line breaks and tabs (normalised to ``\\n`` and spaces); otherwise
            they become single spaces so a table cell or a header stays one line.

    Returns:
        A string that contains no character a terminal would interpret.
    """
    if value is None:
        return ""
    text = str(value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
        text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x85", "\n")
    else:
        text = _LINE_BREAKS.sub(" ", text)
    return _CONTROL.sub("", text)


def literal(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """A ``Text`` showing ``value`` exactly as written, markup and all.

    Args:
        value: untrusted text (or anything with a ``str``); ``None`` is empty.
        style: a Rich style for the whole text (ours, never the server's).
        multiline: keep line breaks (see ``clean``).

    Returns:
        A ``Text``, which Textual never parses for markup.
    """
    return Text(clean(value, multiline=multiline), style=style, end="")


def cell(value: object, style: str = "") -> Text:
    """A one-line ``DataTable`` cell: ``None`` as a dim dash, datetimes in UTC, text literal.

    Args:
        value: the field's value.
        style: a Rich style for the cell.

    Returns:
        A ``Text`` (a ``str`` cell would be parsed as markup by ``DataTable``).
    """
    if value is None or value == "":
        return Text(MISSING, style="dim", end="")
    if isinstance(value, bool):
        return Text("yes" if value else "no", style=style, end="")
    if isinstance(value, datetime):
        return Text(format_datetime(value), style=style, end="")
    return literal(value, style)


def format_datetime(value: datetime | None) -> str:
    """``2026-01-01 12:34:56`` in UTC (naive values are taken as UTC); empty for ``None``."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def plain(value: object) -> str:
    """The text a CSV export or the clipboard gets: cleaned, ``None`` as empty."""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, Text):
        return "" if value.plain == MISSING else clean(value.plain)
    return clean(value)
