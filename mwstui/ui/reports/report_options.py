"""Report options as typed in the request form: ``key=value;key=value``, checked.

Both services take options by name (MWS as ``ReportOptions=ShowSalesChannel=true``,
SP-API as a ``reportOptions`` map of strings); what they mean varies by report type, so
only their form is checked here. A mistake is said in one line and nothing is sent.
"""

from __future__ import annotations

import re

MAX_LENGTH = 500
"""Longest options text the form takes (a report has a few options, never a page)."""
EXAMPLE = "ShowSalesChannel=true"
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*")


def _quoted(text: str, width: int = 30) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def parse_report_options(text: str) -> tuple[tuple[str, str], ...]:
    """The options typed, in order (``ShowSalesChannel=true;custom=true``).

    Args:
        text: what was typed; empty (or only ``;`` and spaces) means no options.

    Returns:
        ``(name, value)`` pairs, as the backends take them.

    Raises:
        ValueError: the first mistake, one line naming it (``ReportOptions: 'x' is not
            key=value (e.g. ShowSalesChannel=true)``).
    """
    if len(text) > MAX_LENGTH:
        raise ValueError(f"ReportOptions: at most {MAX_LENGTH} characters")
    found: dict[str, str] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue  # "a=1;" and "a=1; ;b=2": an empty piece says nothing
        key, sep, value = (s.strip() for s in part.partition("="))
        if not sep:
            raise ValueError(f"ReportOptions: {_quoted(part)} is not key=value (e.g. {EXAMPLE})")
        if not _KEY.fullmatch(key):
            raise ValueError(
                f"ReportOptions: {_quoted(key)} is not an option name "
                "(a letter, then letters, digits, '_', '-' or '.')"
            )
        if not value:
            raise ValueError(f"ReportOptions: {key} has no value (e.g. {EXAMPLE})")
        if "=" in value:
            # MWS sends the options as one "a=1;b=2" string: a second "=" is ambiguous.
            raise ValueError(f"ReportOptions: the value of {key} holds a second '='")
        if not value.isprintable():
            raise ValueError(f"ReportOptions: the value of {key} holds a control character")
        if key in found:
            raise ValueError(f"ReportOptions: {key} is given twice")
        found[key] = value
    return tuple(found.items())
