"""How far a panel's list load got, and the failure that stays until the next success."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from mwstui.throttle.snapshot import BucketSnapshot
from mwstui.ui.text import fmt
from mwstui.ui.text.notify import describe_error

ERROR_MAX = 160
"""Longest failure message kept in the status line (the toast and Activity have the rest)."""


@dataclass
class LoadProgress:
    """How far the current (or last) load of a list got, for the status line."""

    pages: int = 0
    """Pages read by the load in progress."""
    rows: int = 0
    """Rows those pages brought."""
    pages_left: int | None = None
    """Pages still to read, when the service says (None: not known)."""
    failed_at: float | None = None
    """Session-clock time of the last failed load; None once a load succeeded."""
    error: str = ""
    """One line saying what failed."""

    def fail(self, exc: BaseException, now: float) -> None:
        """Record a failed load at ``now`` (session clock)."""
        title, message = describe_error(exc)
        first = message.splitlines()[0] if message else ""
        text = " ".join(f"{title}: {first}".split())
        if len(text) > ERROR_MAX:
            text = text[: ERROR_MAX - 1] + "…"
        self.error, self.failed_at = text, now

    calls_at_start: int = 0
    """Calls the listing's bucket had made when the load began."""
    spent: int = 0
    """Calls the last complete load spent from the listing's bucket (8 for 8 SP-API pages,
    1 for an MWS list whose next pages spend their own bucket)."""

    def begin(self, calls: int | None = 0) -> None:
        """A load starts, its listing's bucket at ``calls`` (None: no bucket): no page yet."""
        self.pages = self.rows = 0
        self.pages_left = None
        self.calls_at_start = calls or 0

    def add_page(self, rows: int, pages_left: int | None) -> None:
        """A page of ``rows`` rows arrived; ``pages_left`` when the service says."""
        self.pages += 1
        self.rows += rows
        self.pages_left = pages_left

    def parts(self, wait: float | None) -> list[str]:
        """``loading: 120 rows from 3 pages · 2 pages left · throttle wait 12 s``.

        Args:
            wait: seconds the load waits for a throttle token now, if it waits.
        """
        parts = ["loading…"]
        if self.pages:
            parts[0] = f"loading: {self.rows} rows from {self.pages} pages"
            if self.pages_left is not None:
                parts.append(f"{self.pages_left} pages left")
        if wait:
            parts.append(f"throttle wait {fmt.spoken(wait)}")
        return parts

    def succeeded(self, calls: int | None = None) -> None:
        """A load succeeded, its listing's bucket now at ``calls``: the failure line goes."""
        self.error, self.failed_at = "", None
        if calls is not None:
            self.spent = calls - self.calls_at_start

    def affordable(self, listing: BucketSnapshot | None) -> bool:
        """Whether the listing's bucket holds what a full reload spends (at most a burst).

        An auto-refresh waits for it rather than queue behind the throttle: a 60 s refresh
        of an 8-page SP-API list (one getReports token per 45 s) would otherwise run all
        the time, waiting, and its panel would never be idle.
        """
        if listing is None:
            return True
        return listing.tokens + 1e-9 >= min(max(self.spent, 1), listing.capacity)

    def failure_text(self) -> str:
        """``last load failed 01:00:57: … — r to retry``, or empty."""
        if self.failed_at is None:
            return ""
        at = datetime.fromtimestamp(self.failed_at, UTC).strftime("%H:%M:%S")
        return f"last load failed {at}: {self.error} — r to retry"


def bucket_calls(listing: BucketSnapshot | None) -> int | None:
    """Calls the listing's bucket has made so far (what ``begin`` and ``succeeded`` take).

    Args:
        listing: the bucket a list load spends, as the governor shows it now.

    Returns:
        Its call count; None when the view has no listing bucket (nothing to measure).
    """
    return None if listing is None else listing.calls
