"""What every SP-API request is made of: the User-Agent, the query string, header values.

Kept apart from the send path so the rules read in one place (spec §1.2, §1.4, §8.2).
"""

from __future__ import annotations

import platform
import re
import sys
from collections.abc import Sequence
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote

from mwstui import __version__
from mwstui.catalog import load_catalog

QueryValue = str | Sequence[str]
"""A query value: a string, or a list sent comma-separated."""


def user_agent() -> str:
    """The documented form (spec §1.4): ``mwstui/0.1.0 (Language=Python/3.11; Platform=Linux)``."""

    def esc(value: str) -> str:
        return value.replace("\\", "\\\\").replace(")", "\\)").replace(";", "\\;")

    lang = f"Python/{sys.version_info.major}.{sys.version_info.minor}"
    agent = f"mwstui/{esc(__version__)} (Language={esc(lang)}; Platform={esc(platform.system())})"
    return agent[: load_catalog().spapi.limit("user_agent.max_length")]


def encode_query(query: Sequence[tuple[str, QueryValue]]) -> str:
    """``name=value`` pairs, every value percent-encoded exactly once.

    A list is sent comma-separated (Swagger 2.0 ``csv``; spec §1.2) with each item
    encoded; a ``nextToken`` (base64 ``+/=``) is thus encoded once, never twice (§8.2).
    """
    parts = []
    for name, value in query:
        if isinstance(value, str):
            encoded = quote(value, safe="")
        else:
            encoded = ",".join(quote(item, safe="") for item in value)
        parts.append(f"{quote(name, safe='')}={encoded}")
    return "&".join(parts)


_SIGNED_URL = re.compile(r'("url"\s*:\s*"[^"?]*)\?[^"]*"')


def redact(text: str) -> str:
    """A body as records may keep it: a pre-signed document URL's query (its signature, a
    five-minute bearer credential for the report) replaced by a mask."""
    return _SIGNED_URL.sub(r'\1?••••••"', text)


def parse_float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def server_time(value: str | None) -> datetime | None:
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None
