"""``mwstui doctor``: config, keyring, credentials, journal, clock skew, reachability and auth."""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from typing import Any

import httpx

from mwstui.clock import Clock, SystemClock
from mwstui.commands import ask_hidden, printable
from mwstui.errors import ApiError, MwstuiError
from mwstui.journal.store import Journal
from mwstui.settings import locations
from mwstui.settings.config import NetworkSettings, Settings
from mwstui.settings.config_file import load_settings
from mwstui.settings.credential_store import CredentialStore
from mwstui.settings.credentials import ResolvedCredentials, open_store, resolve_credentials
from mwstui.settings.profile import Profile, Service, governor_overrides
from mwstui.throttle.governor import Governor

SKEW_WARN = 60.0
"""Seconds of clock skew worth a warning (signatures carry a timestamp)."""
SKEW_FAIL = 600.0
"""Seconds of skew that will soon get requests refused (MWS allows 15 minutes)."""


@dataclass(frozen=True, slots=True)
class Check:
    """The result of one check."""

    name: str
    status: str
    """``ok``, ``warn`` or ``FAIL``."""
    detail: str

    def line(self) -> str:
        """One terminal-safe line."""
        return printable(f"{self.status:<5} {self.name}: {' '.join(self.detail.split())}")


def add_arguments(subparsers: Any) -> None:
    """Register ``doctor`` on the CLI's subparsers."""
    p = subparsers.add_parser(
        "doctor",
        help="check config, keyring, credentials, clock skew, reachability and auth",
    )
    p.add_argument("--profile", dest="doctor_profile", metavar="NAME", help="profile to check")
    p.add_argument("--offline", action="store_true", help="skip the checks that call the API")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run every check, print one line each; exit 1 unless every check passed.

    The keyring is checked first, so it is checked even before any profile exists; then
    the config file, the journal, and each profile (or only ``--profile NAME``): its
    credentials, and unless ``--offline`` reachability, clock and auth.
    """
    name = getattr(args, "doctor_profile", None) or getattr(args, "profile", None)
    checks: list[Check] = []

    def report(check: Check) -> None:
        checks.append(check)
        print(check.line(), flush=True)

    path = locations.config_file()
    settings: Settings | None = None
    try:
        settings = load_settings()
    except MwstuiError as exc:
        report(Check("config", "FAIL", str(exc)))
    store = open_store(ask_hidden, settings=settings or Settings())
    report(_keyring_check(store))
    if settings is None:
        return 1
    if not path.exists():
        report(
            Check(
                "config",
                "FAIL",
                f"{locations.display_path(path)} does not exist yet: "
                "add a profile with 'mwstui profile add NAME …'",
            )
        )
        return 1
    report(Check("config", "ok", f"{locations.display_path(path)}: {_count(settings)}"))
    try:
        profiles = [settings.profile(name)] if name else list(settings.profiles.values())
    except MwstuiError as exc:
        report(Check("profile", "FAIL", str(exc)))
        return 1
    if not profiles:
        report(Check("profile", "FAIL", "no profile configured: add one with 'mwstui profile add'"))
    journal: Journal | None = None
    try:
        journal = Journal()
        unknown = len(journal.unknown_outcomes())
        status = "warn" if unknown else "ok"
        report(Check("journal", status, f"{unknown} call(s) with an unknown outcome"))
    except MwstuiError as exc:
        report(Check("journal", "FAIL", str(exc)))
    try:
        for profile in profiles:
            for check in _check_profile(profile, store, settings, journal, args.offline):
                report(check)
    finally:
        if journal is not None:
            journal.close()
    return 1 if any(c.status == "FAIL" for c in checks) else 0


def _count(settings: Settings) -> str:
    n = len(settings.profiles)
    return f"{n} profile{'s' if n != 1 else ''}"


def _keyring_check(store: CredentialStore) -> Check:
    try:
        info = store.keyring_info()
    except MwstuiError as exc:
        return Check("keyring", "FAIL", str(exc))
    if info.kind == "none":
        where = locations.display_path(locations.keyring_file())
        return Check(
            "keyring", "ok", f"no OS keyring found; secrets go to the encrypted file {where}"
        )
    status = "ok" if info.kind in ("os", "encrypted-file") else "warn"
    return Check("keyring", status, f"{info.label} (chosen by {info.origin})")


def _check_profile(
    profile: Profile,
    store: CredentialStore,
    settings: Settings,
    journal: Journal | None,
    offline: bool,
) -> list[Check]:
    """The checks of one profile, each named ``<profile> <check>``."""

    def named(check: Check) -> Check:
        return Check(f"{profile.name} {check.name}", check.status, check.detail)

    out = [named(Check("profile", "ok", f"{profile.service.value}, {profile.host}"))]
    try:
        creds = resolve_credentials(profile, store)
    except MwstuiError as exc:
        return [*out, named(Check("credentials", "FAIL", str(exc)))]
    out.append(named(Check("credentials", "ok", creds.summary())))
    if offline:
        return out
    try:
        checks = asyncio.run(
            probe(profile, creds, SystemClock(), journal=journal, network=settings.network)
        )
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # a bug must not hide the other profiles' checks
        checks = [Check("reach", "FAIL", f"{type(exc).__name__}: {exc}")]
    return [*out, *(named(c) for c in checks)]


async def probe(
    profile: Profile,
    creds: ResolvedCredentials,
    clock: Clock,
    *,
    journal: Journal | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    network: NetworkSettings | None = None,
) -> list[Check]:
    """Call one cheap read per section: reachability, auth and clock skew.

    The governor starts from (and is saved back to) the journal's throttle state, so
    the doctor spends the same budgets as the dashboard.
    """
    governor = Governor(clock, governor_overrides(profile))
    saved = journal.load_throttle_state() if journal else None
    if saved is not None:
        governor.restore_state(saved.state)
    try:
        limits = _limits(network or NetworkSettings())
        if profile.service is Service.MWS:
            return await _probe_mws(profile, creds, clock, governor, transport, limits)
        if profile.service is Service.SPAPI:
            return await _probe_spapi(creds, clock, governor, transport, limits)
        return await _probe_sellercenter(profile, creds, clock, governor, transport, limits)
    finally:
        if journal is not None:
            journal.save_throttle_state(governor.export_state())


async def _probe_mws(
    profile: Profile,
    creds: ResolvedCredentials,
    clock: Clock,
    governor: Governor,
    transport: httpx.AsyncBaseTransport | None,
    limits: dict[str, Any],
) -> list[Check]:
    from mwstui.mws.client import MWSClient

    assert creds.secret_key is not None and creds.access_key_id and creds.seller_id
    checks: list[Check] = []
    client = MWSClient(
        endpoint=profile.endpoint,
        access_key=creds.access_key_id,
        secret_key=creds.secret_key,
        auth_token=creds.auth_token,
        seller_id=creds.seller_id,
        marketplace_id=profile.marketplace_ids[0] if profile.marketplace_ids else None,
        governor=governor,
        clock=clock,
        transport=transport,
        verify=profile.verify,
        timeout=15.0,
        read_only=True,
        max_wait=30.0,
        **limits,
    )
    async with client:
        try:
            status = await client.fulfillment.service_status()
            checks.append(Check("reach", "ok", f"{client.host}: {status.data.status}"))
            checks.append(_skew(client.clock_skew))
        except ApiError as exc:
            return [*checks, _api_failure("reach/auth", exc)]
        try:
            count = await client.reports.report_request_count()
            checks.append(Check("auth", "ok", f"Reports: {count.data} report request(s)"))
        except ApiError as exc:
            checks.append(_api_failure("auth", exc))
    return checks


async def _probe_spapi(
    creds: ResolvedCredentials,
    clock: Clock,
    governor: Governor,
    transport: httpx.AsyncBaseTransport | None,
    limits: dict[str, Any],
) -> list[Check]:
    """SP-API's own connection check: token exchange, one cheap call, the clock."""
    from mwstui.spapi.health import check_connection
    from mwstui.wiring import spapi_client, spapi_target

    client = spapi_client(
        spapi_target(creds, transport=transport),
        governor=governor,
        clock=clock,
        timeout=15.0,
        read_only=True,
        max_wait=30.0,
        **limits,
    )
    async with client:
        found = await check_connection(client)
    checks: list[Check] = []
    for check in found:
        if check.name == "clock" and client.clock_skew is not None:
            # The same thresholds as for the other services' clocks.
            checks.append(_skew(client.clock_skew))
        else:
            checks.append(Check(check.name, "ok" if check.ok else "FAIL", check.detail))
    return checks


async def _probe_sellercenter(
    profile: Profile,
    creds: ResolvedCredentials,
    clock: Clock,
    governor: Governor,
    transport: httpx.AsyncBaseTransport | None,
    limits: dict[str, Any],
) -> list[Check]:
    from mwstui.sellercenter.client import SellerCenterClient
    from mwstui.sellercenter.http import seller_user_agent

    assert creds.api_key is not None and creds.sellercenter_user_id
    overrides = governor_overrides(profile)
    client = SellerCenterClient(
        endpoint=profile.endpoint,
        user_id=creds.sellercenter_user_id,
        api_key=creds.api_key,
        governor=governor,
        clock=clock,
        transport=transport,
        verify=profile.verify,
        timeout=15.0,
        read_only=True,
        throttle=overrides.get("SellerCenter"),
        max_wait=30.0,
        user_agent=seller_user_agent(profile.sellercenter_seller_id),
        **limits,
    )
    async with client:
        try:
            reasons = await client.failure_reasons()
        except ApiError as exc:
            return [_api_failure("reach/auth", exc)]
    server = reasons.meta.server_time
    skew = None if server is None else clock.time() - server.timestamp()
    detail = f"{client.host}: {len(reasons.data)} failure reason(s)"
    return [Check("reach/auth", "ok", detail), _skew(skew)]


def _skew(skew: float | None) -> Check:
    if skew is None:
        return Check("clock", "warn", "the server did not say its time")
    size = abs(skew)
    status = "ok" if size < SKEW_WARN else "warn" if size < SKEW_FAIL else "FAIL"
    side = "ahead of" if skew > 0 else "behind"
    return Check("clock", status, f"{size:.0f} s {side} the server")


DOCTOR_DEADLINE = 20.0
"""The doctor waits at most this long for one answer (or the configured deadline if less)."""


def _limits(network: NetworkSettings) -> dict[str, Any]:
    return {
        "max_response_bytes": network.max_response_bytes,
        "deadline": min(network.deadline, DOCTOR_DEADLINE),
    }


def _api_failure(name: str, exc: ApiError) -> Check:
    hint = getattr(exc, "hint", None)
    if hint:  # the hints shown in the dashboard send the user here; here that is no help
        hint = hint.replace(" (mwstui doctor)", "")
    return Check(name, "FAIL", f"{exc}" + (f" — {hint}" if hint else ""))
