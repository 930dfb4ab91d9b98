"""Short, stable renderings of durations, ages, times and token bars for the dashboard."""

from __future__ import annotations

import math
from datetime import UTC, datetime

BAR_FULL = "█"
BAR_EMPTY = "░"

SERVICE_NAMES = {
    "mws": "MWS",
    "spapi": "SP-API",
    "sellercenter": "SellerCenter",
    "amazon": "Amazon",
}
"""How a service is named on screen (``amazon``: a capability either Amazon API serves)."""


def duration(seconds: float | None) -> str:
    """``0s``, ``45s``, ``3m05s``, ``2h05m``, ``3d04h``; empty for ``None``.

    Seconds are rounded up so a wait never reads ``0s`` while something still waits.
    """
    if seconds is None:
        return ""
    s = max(0, math.ceil(seconds - 1e-9))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    if s < 86400:
        return f"{s // 3600}h{(s % 3600) // 60:02d}m"
    return f"{s // 86400}d{(s % 86400) // 3600:02d}h"


def ago(seconds: float | None) -> str:
    """How long ago, coarse enough that the text changes rarely once it is old.

    ``just now`` under 10 s, then tens of seconds, then whole minutes, hours. A status
    line that said ``N s ago`` was redrawn (and re-sent over SSH) every second.
    """
    if seconds is None:
        return "never"
    s = max(0, int(seconds))
    if s < 10:
        return "just now"
    if s < 60:
        return f"{s // 10 * 10} s ago"
    if s < 3600:
        return f"{s // 60} min ago"
    return f"{s // 3600} h ago"


def clock_time(value: datetime | None) -> str:
    """``12:59Z``: the UTC time of day; empty for ``None``."""
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%H:%MZ")


def short_datetime(value: datetime | None) -> str:
    """``01-05 12:34`` (UTC) for narrow table columns; empty for ``None``."""
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%m-%d %H:%M")


def token_bar(tokens: float, capacity: int, width: int = 8) -> str:
    """A bar of ``width`` cells, filled in proportion to ``tokens / capacity``.

    A bucket that is not quite empty shows at least one filled cell, and one that is not
    quite full shows at least one empty cell, so the bar never rounds away a difference.
    """
    if capacity <= 0:
        return BAR_EMPTY * width
    ratio = max(0.0, min(1.0, tokens / capacity))
    filled = round(ratio * width)
    if 0 < ratio < 1:
        filled = min(width - 1, max(1, filled))
    return BAR_FULL * filled + BAR_EMPTY * (width - filled)


def tokens_figure(tokens: float, capacity: int) -> str:
    """``7/10``, or ``7.4/10`` when a token is partly restored (one decimal, floored)."""
    whole = math.floor(tokens + 1e-9)
    if abs(tokens - whole) < 0.05 or whole >= capacity:
        return f"{min(whole, capacity)}/{capacity}"
    return f"{math.floor(tokens * 10) / 10:.1f}/{capacity}"


def spoken(seconds: float | None) -> str:
    """``38 s``, ``3 min 05 s``, ``2 h 05 min``: durations inside a sentence."""
    if seconds is None:
        return ""
    s = max(0, math.ceil(seconds - 1e-9))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {(s % 3600) // 60:02d} min"


def interval(seconds: float) -> str:
    """A schedule's period: ``15 min``, ``8 h``, ``1 day``, ``3 days``, ``1 week``."""
    s = int(seconds)
    if s % 604800 == 0:
        n = s // 604800
        return f"{n} week" + ("s" if n != 1 else "")
    if s % 86400 == 0:
        n = s // 86400
        return f"{n} day" + ("s" if n != 1 else "")
    if s % 3600 == 0:
        return f"{s // 3600} h"
    if s % 60 == 0:
        return f"{s // 60} min"
    return f"{s} s"


def coarse(seconds: float) -> str:
    """``<1m``, ``45m``, ``3h05m``, ``2d04h``: changes at most once a minute."""
    s = max(0, int(seconds))
    if s < 60:
        return "<1m"
    if s < 3600:
        return f"{s // 60}m"
    return duration(s - s % 60)
