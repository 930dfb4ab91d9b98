"""The command line: settings + credentials → targets → ``wiring.build_session`` → app.

The session itself (clients and backends) is built by ``mwstui.wiring``, the one factory
``mwstui --sandbox``, ``mwstui --profile``, the tests and the screenshot script share.

Exit codes: 0 success, 1 runtime failure (one line on stderr), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Any

from mwstui import __version__
from mwstui.errors import MwstuiError

# httpx imports its own command line (click, pygments, rich.progress …) whenever those
# are installed, and they are (Textual, uvicorn): ~50 ms of start-up for nothing. None in
# sys.modules is the "not installed" case httpx handles; mwstui never runs that CLI.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "sandbox": (
        "mwstui.sandbox.command",
        "serve the MWS, SellerCenter and SP-API sandbox in the foreground",
    ),
    "profile": (
        "mwstui.commands.profile",
        "add, list or remove profiles (secrets go to the keyring)",
    ),
    "doctor": (
        "mwstui.commands.doctor",
        "check config, keyring, credentials, clock skew, reachability and auth",
    ),
    "journal": ("mwstui.commands.journal_cmd", "show the journal of mutating calls"),
}
"""Subcommand → (module with ``add_arguments``, the help ``mwstui --help`` lists). The
help must stay the one the module gives (tests/unit/test_cli_parser.py compares them)."""


class _LazySubcommands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommands known by name and help; a module is imported only when its command runs.

    Importing every command (the doctor, keyring backends …) cost the dashboard ~40 ms
    of start-up it never used. Each command starts as a bare placeholder parser, which
    ``mwstui --help`` lists; choosing the command swaps in the module's real parser.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._modules: dict[str, str] = {}

    def add_lazy(self, name: str, module: str, help: str) -> None:
        """Register ``name``; ``module.add_arguments(self)`` builds it when it is used."""
        self.add_parser(name, help=help)
        self._modules[name] = module

    def load(self, name: str) -> None:
        """Replace the placeholder of ``name`` by the module's parser (once)."""
        module = self._modules.pop(name, None)
        if module is None:
            return
        listed = [a.dest for a in self._choices_actions].index(name)
        del self._name_parser_map[name]
        del self._choices_actions[listed]
        import_module(module).add_arguments(self)
        self._choices_actions.insert(listed, self._choices_actions.pop())  # help keeps order

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        self.load(values[0])
        super().__call__(parser, namespace, values, option_string)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="mwstui",
        description="Terminal dashboard for Amazon (SP-API, MWS) and SellerCenter marketplaces.",
    )
    p.add_argument("--version", action="version", version=f"mwstui {__version__}")
    p.add_argument("--profile", metavar="NAME", help="open the dashboard for this profile")
    p.add_argument(
        "--sandbox",
        action="store_true",
        help="start the embedded sandbox on a free loopback port and open the dashboard on it",
    )
    p.add_argument(
        "--spapi",
        action="store_true",
        help="with --sandbox: open on the SP-API demo account instead of the MWS one "
        "(switch between them with P)",
    )
    p.add_argument(
        "--read-only", action="store_true", help="hide and refuse every action that changes state"
    )
    # Own dests: 'mwstui sandbox' has --seed/--faults too, and must not be mistaken for these.
    p.add_argument(
        "--seed", dest="dashboard_seed", metavar="FILE", help="with --sandbox: seed file (JSON)"
    )
    p.add_argument(
        "--faults", dest="dashboard_faults", metavar="SPEC", help="with --sandbox: faults to inject"
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", action=_LazySubcommands)
    assert isinstance(sub, _LazySubcommands)
    for name, (module, text) in SUBCOMMANDS.items():
        sub.add_lazy(name, module, text)
    return p


def require_terminal() -> None:
    """Refuse to draw the dashboard into a pipe (it would write escape codes until killed).

    Checked before a sandbox starts or a passphrase is asked for.

    Raises:
        MwstuiError: standard output is not a terminal.
    """
    if not sys.stdout.isatty():
        raise MwstuiError("mwstui needs a terminal (standard output is not one)")


SANDBOX_COMMANDS = frozenset({"journal"})
"""Subcommands that take the dashboard's ``--sandbox`` (the demo keeps its own journal)."""


def flag_conflict(args: argparse.Namespace) -> str | None:
    """Why the given flags do not combine, or None: each is a usage error (exit 2)."""
    command = getattr(args, "command", None)
    if args.sandbox and args.profile:
        return "--sandbox and --profile do not combine: the sandbox has its own demo account"
    if args.sandbox and command is not None and command not in SANDBOX_COMMANDS:
        return f"--sandbox does not apply to '{command}' (it opens the dashboard on the sandbox)"
    if getattr(args, "spapi", False) and not args.sandbox:
        return "--spapi only works with --sandbox (an SP-API profile opens with --profile NAME)"
    if not args.sandbox:
        given = [
            f
            for f, v in (("--seed", args.dashboard_seed), ("--faults", args.dashboard_faults))
            if v
        ]
        if given:
            verb = "work" if len(given) > 1 else "works"
            return (
                f"{' and '.join(given)} only {verb} with --sandbox "
                "(or serve it: mwstui sandbox --seed FILE --faults SPEC)"
            )
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run mwstui; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    problem = flag_conflict(args)
    if problem is not None:
        from mwstui.commands import usage

        return usage(parser.prog, problem)
    try:
        handler = getattr(args, "handler", None)
        if handler is not None:
            return int(handler(args))
        require_terminal()
        from mwstui.dashboard import run_dashboard

        return run_dashboard(args)
    except MwstuiError as exc:
        from mwstui.commands import fail

        return fail(str(exc))
    except KeyboardInterrupt:
        print("mwstui: interrupted", file=sys.stderr)
        return 130
