"""The command line: settings + credentials → targets → ``wiring.build_session`` → app.

The session itself (clients and backends) is built by ``mwstui.wiring``, the one factory
``mwstui --sandbox``, ``mwstui --profile``, the tests and the screenshot script share.

Exit codes: 0 success, 1 runtime failure (one line on stderr), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from importlib import import_module
from pathlib import Path
from typing import Any

from mwstui import __version__
from mwstui.catalog import Throttle
from mwstui.clock import Clock, SystemClock
from mwstui.errors import MwstuiError
from mwstui.journal.store import Journal
from mwstui.session import (
    SANDBOX_PROFILES,
    OpenSandbox,
    SandboxService,
    Session,
    SessionExit,
    SwitchProfile,
)
from mwstui.settings import locations
from mwstui.settings.locations import sandbox_journal_file
from mwstui.targets import MWSTarget, SellerCenterTarget, SPAPITarget
from mwstui.throttle.governor import Governor
from mwstui.wiring import build_session, sandbox_spapi_target, sandbox_targets

# httpx imports its own command line (click, pygments, rich.progress …) whenever those
# are installed, and they are (Textual, uvicorn): ~50 ms of start-up for nothing. None in
# sys.modules is the "not installed" case httpx handles; mwstui never runs that CLI.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def _run_app(session: Session) -> tuple[int, SessionExit]:
    from mwstui.ui.app import MwstuiApp

    app = MwstuiApp(session)
    result = app.run()
    reopen = result if isinstance(result, SwitchProfile | OpenSandbox) else None
    code = int(app.return_code or 0)
    if app.interrupted and code == 0:
        code = 130  # ctrl+c, as at every prompt of the command line
    return code, reopen


class _SandboxLauncher:
    """Opens the dashboard on the embedded sandbox's MWS or SP-API demo account.

    The sandbox starts once, at the first opening, and keeps running until the command
    ends: switching between its demo accounts (``P``) keeps what was done on each.
    """

    def __init__(self, args: argparse.Namespace, stack: ExitStack) -> None:
        self.args = args
        self._stack = stack
        self._served: tuple[Any, Any] | None = None

    def _sandbox(self) -> tuple[Any, Any]:
        """The sandbox and its loopback listeners (started at the first call)."""
        if self._served is None:
            from mwstui.sandbox.sandbox import Sandbox
            from mwstui.sandbox.serve import serve_in_thread

            seed, faults = self.args.dashboard_seed, self.args.dashboard_faults
            sandbox = Sandbox.create(seed=seed and Path(seed), faults=faults)
            served = self._stack.enter_context(serve_in_thread(sandbox))
            self._served = (sandbox, served)
        return self._served

    def run(self, service: SandboxService) -> tuple[int, SessionExit]:
        """Run the dashboard on the demo account of ``service`` until it exits."""
        sandbox, served = self._sandbox()
        clock = SystemClock()
        mws, sc = sandbox_targets(
            sandbox,
            mws_endpoint=served.mws_endpoint,
            sellercenter_endpoint=served.sellercenter_endpoint,
        )
        spapi = None
        if service == "spapi":
            spapi = sandbox_spapi_target(sandbox, endpoint=served.spapi_endpoint)
        journal = Journal(path=sandbox_journal_file(), clock=clock)
        try:
            session = build_session(
                clock=clock,
                profile=SANDBOX_PROFILES[service],
                mws=mws if spapi is None else None,
                sellercenter=sc,
                spapi=spapi,
                journal=journal,
                read_only=self.args.read_only,
                sandbox=True,
                profiles=_configured_profiles(),
                download_dir=str(locations.downloads_dir(_configured_download_dir())),
            )
            return _run_app(session)
        finally:
            journal.close()


def _configured_download_dir() -> str | None:
    """The ``download_dir`` setting (None when unset or the config is unreadable)."""
    from mwstui.settings.config_file import load_settings

    try:
        return load_settings().download_dir
    except MwstuiError:
        return None


def _configured_profiles() -> list[str]:
    """Profile names for the switcher on the sandbox (none when the config is unreadable)."""
    from mwstui.settings.config_file import load_settings

    try:
        return sorted(load_settings().profiles)
    except MwstuiError:
        return []


class _ProfileLauncher:
    """Opens the dashboard on profiles; keeps one credential store for the whole run."""

    def __init__(self, args: argparse.Namespace) -> None:
        from mwstui.commands import ask_hidden
        from mwstui.settings.config_file import load_settings
        from mwstui.settings.credentials import open_store

        self.args = args
        self.settings = load_settings()
        # Secrets (and an encrypted file's passphrase) are asked for before the TUI starts.
        prompt = ask_hidden if sys.stdin.isatty() else None
        self.store = open_store(prompt, settings=self.settings, reuse_unlocked=True)

    def run(self, name: str | None) -> tuple[int, SessionExit]:
        from mwstui.settings.config_file import load_settings

        self.settings = load_settings()  # the first-run screen may have added a profile
        clock = SystemClock()
        if not self.settings.profiles and name is None:
            session = Session(clock=clock, governor=Governor(clock), first_run=True)
            return _run_app(session)
        journal = Journal(clock=clock)
        try:
            session = self._session(name, clock, journal)
            try:
                return _run_app(session)
            finally:
                journal.save_throttle_state(session.governor.export_state())
        finally:
            journal.close()

    def _session(self, name: str | None, clock: Clock, journal: Journal) -> Session:
        from mwstui.sellercenter.http import seller_user_agent
        from mwstui.settings.credentials import resolve_credentials
        from mwstui.settings.profile import Service, governor_overrides
        from mwstui.wiring import spapi_target

        profile = self.settings.profile(name)
        # The other half joins the session: one dashboard shows Amazon and SellerCenter.
        # A SellerCenter profile is joined by the first MWS profile, else the first SP-API one.
        amazon = (Service.MWS, Service.SPAPI)
        wanted = amazon if profile.service is Service.SELLERCENTER else (Service.SELLERCENTER,)
        partner = next(
            (p for kind in wanted for p in self.settings.profiles.values() if p.service is kind),
            None,
        )
        resolved = [resolve_credentials(p, self.store) for p in (profile, partner) if p is not None]
        mws: MWSTarget | None = None
        sc: SellerCenterTarget | None = None
        spapi: SPAPITarget | None = None
        overrides: dict[str, Throttle] = {}
        for creds in resolved:
            p = creds.profile
            overrides.update(governor_overrides(p))
            if p.service is Service.SPAPI:
                spapi = spapi_target(creds)
            elif p.service is Service.MWS:
                assert creds.secret_key is not None and creds.access_key_id and creds.seller_id
                mws = MWSTarget(
                    endpoint=p.endpoint,
                    access_key=creds.access_key_id,
                    secret_key=creds.secret_key,
                    seller_id=creds.seller_id,
                    marketplace_id=p.marketplace_ids[0] if p.marketplace_ids else None,
                    auth_token=creds.auth_token,
                    verify=p.verify,
                    credential_source=creds.summary(),
                    profile=p.name,
                    read_only=p.read_only,
                )
            else:
                assert creds.api_key is not None and creds.sellercenter_user_id
                sc = SellerCenterTarget(
                    endpoint=p.endpoint,
                    user_id=creds.sellercenter_user_id,
                    api_key=creds.api_key,
                    marketplace=p.host,
                    verify=p.verify,
                    throttle=overrides.get("SellerCenter"),
                    credential_source=creds.summary(),
                    user_agent=seller_user_agent(p.sellercenter_seller_id),
                    profile=p.name,
                    read_only=p.read_only,
                )
        governor = Governor(clock, overrides)
        saved = journal.load_throttle_state()
        if saved is not None:
            governor.restore_state(saved.state)
        return build_session(
            clock=clock,
            profile=profile.name,
            mws=mws,
            sellercenter=sc,
            spapi=spapi,
            governor=governor,
            journal=journal,
            read_only=self.args.read_only or profile.read_only,
            profiles=sorted(self.settings.profiles),
            bounds=(self.settings.network.max_response_bytes, self.settings.network.deadline),
            download_dir=str(locations.downloads_dir(self.settings.download_dir)),
        )


def run_dashboard(args: argparse.Namespace) -> int:
    """Open the dashboard on the sandbox or a profile, and reopen it when the app asks to."""
    launcher: _ProfileLauncher | None = None
    first: SandboxService = "spapi" if getattr(args, "spapi", False) else "mws"
    reopen: SessionExit = OpenSandbox(first) if args.sandbox else SwitchProfile(args.profile or "")
    code = 0
    with ExitStack() as stack:
        sandbox = _SandboxLauncher(args, stack)
        while reopen is not None:
            if isinstance(reopen, OpenSandbox):
                code, reopen = sandbox.run(reopen.service)
                continue
            launcher = launcher or _ProfileLauncher(args)
            code, reopen = launcher.run(reopen.name or None)
    return code


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
        return run_dashboard(args)
    except MwstuiError as exc:
        from mwstui.commands import fail

        return fail(str(exc))
    except KeyboardInterrupt:
        print("mwstui: interrupted", file=sys.stderr)
        return 130
