"""``mwstui journal [--csv] [--sandbox]``: the journal of mutating calls, as a table or CSV."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from mwstui.commands import fail, printable
from mwstui.errors import MwstuiError
from mwstui.journal.entry import CSV_COLUMNS, UNKNOWN, JournalEntry
from mwstui.journal.store import Journal
from mwstui.settings import locations
from mwstui.settings.locations import sandbox_journal_file

_ITEMS_SHOWN = 3


def add_arguments(subparsers: Any) -> None:
    """Register ``journal`` on the CLI's subparsers."""
    p = subparsers.add_parser(
        "journal",
        help="show the journal of mutating calls",
        description="Every call that changes state is written before it is sent and its "
        "outcome after, with what each item came to (done, requested but not confirmed, "
        "failed, unknown, not sent); 'unknown' means the answer was lost and is checked at "
        "the next start.",
    )
    p.add_argument("--csv", action="store_true", help="write every entry as CSV to stdout")
    p.add_argument(
        "--limit", type=int, default=50, metavar="N", help="newest N entries (default 50)"
    )
    p.add_argument("--unknown", action="store_true", help="only entries with an unknown outcome")
    p.add_argument(
        "--sandbox",
        action="store_true",
        help="the sandbox demo's journal (mwstui --sandbox keeps its own)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the journal; returns the exit status."""
    sandbox = bool(getattr(args, "sandbox", False))
    path = sandbox_journal_file() if sandbox else locations.journal_file()
    demo = sandbox_journal_file()
    if not sandbox and not args.csv and demo.exists():
        # The demo's calls are kept apart; say where, so they are not thought lost.
        print(
            f"(The sandbox demo keeps its own journal: {locations.display_path(demo)}; "
            "see it with 'mwstui journal --sandbox'.)"
        )
    if not path.exists():
        if args.csv:
            print(",".join(CSV_COLUMNS))
        else:
            print(f"No mutating calls recorded yet ({locations.display_path(path)}).")
        return 0
    try:
        with Journal(path) as journal:
            if args.csv:
                journal.to_csv(sys.stdout)
                return 0
            status = UNKNOWN if args.unknown else None
            entries = journal.entries(max(1, args.limit), status=status)
    except MwstuiError as exc:
        return fail(str(exc))
    if not entries:
        print("No entries." if args.unknown else "No mutating calls recorded yet.")
        return 0
    for line in format_table(entries):
        print(line)
    return 0


def format_table(entries: list[JournalEntry]) -> list[str]:
    """The entries as aligned text lines, every cell made safe for a terminal."""
    header = ("ID", "TIME (UTC)", "PROFILE", "ACCOUNT", "OPERATION", "ITEMS", "STATUS", "DETAIL")
    rows = [header, *(_row(e) for e in entries)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    return [
        "  ".join([*(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)), r[-1]]).rstrip()
        for r in rows
    ]


def _row(e: JournalEntry) -> tuple[str, ...]:
    items = " ".join(e.items[:_ITEMS_SHOWN])
    if len(e.items) > _ITEMS_SHOWN:
        items += f" +{len(e.items) - _ITEMS_SHOWN}"
    detail = []
    if e.request_id:
        detail.append(f"request {e.request_id}")
    if e.error_code or e.error_message:
        detail.append(": ".join(x for x in (e.error_code, e.error_message) if x))
    if e.outcomes and not (e.status == "ok" and len(e.items) > _ITEMS_SHOWN):
        detail.extend(e.outcome_lines())
    elif e.outcomes:
        detail.append(e.outcome_counts())
    if e.note:
        detail.append(f"checked: {e.note}" if e.resolved_at else e.note)
    cells = (
        str(e.id),
        e.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        e.profile,
        e.account,
        e.operation,
        items,
        e.status.upper() if e.status == UNKNOWN else e.status,
        "; ".join(detail),
    )
    return tuple(printable(" ".join(c.split())) for c in cells)
