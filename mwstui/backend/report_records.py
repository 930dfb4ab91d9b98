"""What a new report is asked for with, where it may be asked for, and what a download saved.

Backend-neutral like ``models``: the request form fills a ``ReportRequest``, the backend
offers ``MarketplaceChoice``s and answers a download with a ``SavedReport``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """What a new report is asked for with (MWS RequestReport, SP-API createReport).

    Attributes:
        marketplaces: empty: the account's own.
        options: report options, by name (their meaning varies by report type).
    """

    report_type: str
    marketplaces: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class MarketplaceChoice:
    """A marketplace a report may be requested for, as the request form offers it."""

    id: str
    label: str
    preselected: bool = False


@dataclass(frozen=True, slots=True)
class SavedReport:
    """A report saved to disk, complete and checked as far as its service allows.

    Attributes:
        path: where it is (written only when complete: never a partial file).
        size: bytes written.
        verified: the service's own check passed (MWS Content-MD5; SP-API the length
            it announced); False when it offered none.
        check: one line saying what was checked, or why nothing was.
        encoding: the text encoding of the saved file when the backend knows it (SP-API
            saves a declared charset as UTF-8); None: as the service sent it, unknown.
        document_id: the report (document) that was saved.
    """

    path: Path
    size: int
    verified: bool
    check: str
    encoding: str | None = None
    document_id: str = ""
