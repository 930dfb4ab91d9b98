"""The command line, and the only place that wires settings + credentials → clients → app.

Exit codes: 0 success, 1 runtime failure (one line on stderr), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from mwstui import __version__
from mwstui.errors import MwstuiError


def _parser() -> argparse.ArgumentParser:
    from mwstui.commands import doctor, journal_cmd, profile
    from mwstui.sandbox import command as sandbox_command

    p = argparse.ArgumentParser(
        prog="mwstui",
        description="Terminal dashboard for Amazon MWS and SellerCenter marketplaces.",
    )
    p.add_argument("--version", action="version", version=f"mwstui {__version__}")
    p.add_argument("--profile", metavar="NAME", help="open the dashboard for this profile")
    p.add_argument(
        "--sandbox",
        action="store_true",
        help="start the embedded sandbox on a free loopback port and open the dashboard on it",
    )
    p.add_argument(
        "--read-only", action="store_true", help="hide and refuse every action that changes state"
    )
    p.add_argument("--seed", metavar="FILE", help="with --sandbox: seed file (JSON)")
    p.add_argument("--faults", metavar="SPEC", help="with --sandbox: faults to inject")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sandbox_command.add_arguments(sub)
    profile.add_arguments(sub)
    doctor.add_arguments(sub)
    journal_cmd.add_arguments(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run mwstui; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        handler = getattr(args, "handler", None)
        if handler is not None:
            return int(handler(args))
        from mwstui.launch import run_dashboard

        return run_dashboard(args)
    except MwstuiError as exc:
        print(f"mwstui: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("mwstui: interrupted", file=sys.stderr)
        return 130
