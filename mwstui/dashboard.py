"""Opening the dashboard: on the embedded sandbox (MWS or SP-API demo) or on a profile,
and reopening it when the app asks to (the profile switcher)."""

from __future__ import annotations

import argparse
import sys
import threading
from contextlib import ExitStack
from importlib import import_module
from pathlib import Path
from typing import Any

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


def run_app(session: Session) -> tuple[int, SessionExit]:
    from mwstui.ui.app import MwstuiApp

    app = MwstuiApp(session)
    result = app.run()
    reopen = result if isinstance(result, SwitchProfile | OpenSandbox) else None
    code = int(app.return_code or 0)
    if app.interrupted and code == 0:
        code = 130  # ctrl+c, as at every prompt of the command line
    return code, reopen


class SandboxLauncher:
    """Opens the dashboard on the embedded sandbox's MWS or SP-API demo account.

    The sandbox starts once, at the first opening, and keeps running until the command
    ends: switching between its demo accounts (``P``) keeps what was done on each. It is
    built and served on a thread of its own while the dashboard opens its journal and
    imports Textual and the first panel: the first page is asked for as soon as the app
    runs (the two share the GIL, but the journal's and the files' waits overlap).
    """

    def __init__(self, args: argparse.Namespace, stack: ExitStack) -> None:
        self.args = args
        self._stack = stack
        self._starter: threading.Thread | None = None
        self._served: tuple[Any, Any] | None = None
        self._failed: BaseException | None = None

    def start(self) -> None:
        """Start building and serving the sandbox (once); ``run`` waits for it."""
        if self._starter is None:
            self._starter = threading.Thread(
                target=self._start, name="mwstui-sandbox-start", daemon=True
            )
            self._stack.callback(self._stop)
            self._starter.start()

    def _start(self) -> None:
        try:
            from mwstui.sandbox.sandbox import Sandbox
            from mwstui.sandbox.serve import serve_in_thread

            seed, faults = self.args.dashboard_seed, self.args.dashboard_faults
            sandbox = Sandbox.create(seed=seed and Path(seed), faults=faults)
            self._served = (sandbox, serve_in_thread(sandbox))
        except BaseException as exc:  # raised again where the dashboard waits for it
            self._failed = exc

    def _stop(self) -> None:
        if self._starter is not None:
            self._starter.join()
        if self._served is not None:
            self._served[1].close()

    def _sandbox(self) -> tuple[Any, Any]:
        """The sandbox and its loopback listeners, once they accept connections.

        Raises:
            MwstuiError: the seed, the faults or a port is wrong, or it did not start.
        """
        self.start()
        assert self._starter is not None
        self._starter.join()
        if self._failed is not None:
            raise self._failed
        assert self._served is not None
        return self._served

    def run(self, service: SandboxService) -> tuple[int, SessionExit]:
        """Run the dashboard on the demo account of ``service`` until it exits."""
        self.start()
        clock = SystemClock()
        journal = Journal(path=sandbox_journal_file(), clock=clock)
        try:
            import_module("mwstui.ui.app")  # Textual and the first panel, meanwhile
            return self._run(service, clock, journal)
        finally:
            journal.close()

    def _run(
        self, service: SandboxService, clock: Clock, journal: Journal
    ) -> tuple[int, SessionExit]:
        sandbox, served = self._sandbox()
        mws, sc = sandbox_targets(
            sandbox,
            mws_endpoint=served.mws_endpoint,
            sellercenter_endpoint=served.sellercenter_endpoint,
        )
        spapi = None
        if service == "spapi":
            spapi = sandbox_spapi_target(sandbox, endpoint=served.spapi_endpoint)
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
        return run_app(session)


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


class ProfileLauncher:
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
            return run_app(session)
        journal = Journal(clock=clock)
        try:
            session = self._session(name, clock, journal)
            try:
                return run_app(session)
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
    launcher: ProfileLauncher | None = None
    first: SandboxService = "spapi" if getattr(args, "spapi", False) else "mws"
    reopen: SessionExit = OpenSandbox(first) if args.sandbox else SwitchProfile(args.profile or "")
    code = 0
    with ExitStack() as stack:
        sandbox = SandboxLauncher(args, stack)
        while reopen is not None:
            if isinstance(reopen, OpenSandbox):
                code, reopen = sandbox.run(reopen.service)
                continue
            launcher = launcher or ProfileLauncher(args)
            code, reopen = launcher.run(reopen.name or None)
    return code
