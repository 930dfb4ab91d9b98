"""Subcommands besides the dashboard; each module has ``add_arguments`` and ``run``."""

from __future__ import annotations

import getpass
import sys
import unicodedata

_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


class UsageError(Exception):
    """Bad command-line input found after parsing; the command exits with status 2."""


def fail(message: str) -> int:
    """Print a one-line failure on stderr; returns exit status 1."""
    print(f"mwstui: {printable(' '.join(str(message).split()))}", file=sys.stderr)
    return 1


def usage(prog: str, message: str) -> int:
    """Print a usage error the way argparse does; returns exit status 2."""
    print(f"{prog}: error: {printable(message)}", file=sys.stderr)
    return 2


def note(message: str) -> None:
    """Print an informational line on stderr (stdout stays for results)."""
    print(f"mwstui: {printable(message)}", file=sys.stderr)


def warn(message: str) -> None:
    """Print a warning line on stderr."""
    print(f"mwstui: warning: {printable(message)}", file=sys.stderr)


def ask_hidden(prompt: str) -> str:
    """Read a line without echo from the terminal.

    Raises:
        EOFError: there is no terminal to ask on (scripts: use stdin or env variables).
    """
    if not sys.stdin.isatty():
        raise EOFError("no terminal")
    return getpass.getpass(prompt)


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control and bidi characters made visible.

    Server text and hand-edited config may hold escape sequences; printed raw they
    would drive the terminal.
    """
    out = []
    for ch in text:
        if unicodedata.category(ch) == "Cc" or ch in _BIDI:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)
