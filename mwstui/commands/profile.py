"""``mwstui profile add|list|remove``: profiles in config.toml, their secrets in the keyring."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from mwstui.commands import UsageError, ask_hidden, fail, note, printable, usage, warn
from mwstui.commands.profile_flags import profile_from_args
from mwstui.errors import CredentialError, MwstuiError
from mwstui.secret import Secret
from mwstui.settings import locations
from mwstui.settings.config import Settings
from mwstui.settings.config_file import load_settings, save_settings
from mwstui.settings.credential_store import CredentialStore
from mwstui.settings.credentials import SecretSpec, open_store, secret_specs
from mwstui.settings.new_profile import add_profile
from mwstui.settings.profile import Profile, Service, StoreKind

_PROG = "mwstui profile"


def add_arguments(subparsers: Any) -> None:
    """Register ``profile`` and its actions on the CLI's subparsers."""
    p = subparsers.add_parser(
        "profile",
        help="add, list or remove profiles (secrets go to the keyring)",
        description="Profiles live in the config file; their secrets in the OS keyring, "
        "or, where there is none, in an encrypted file (passphrase from a prompt or "
        "MWSTUI_KEYRING_PASSPHRASE).",
    )
    p.set_defaults(handler=run)
    sub = p.add_subparsers(dest="profile_command", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="add a profile and store its secrets")
    add.add_argument("name", help="profile name (letters, digits, '_', '.', '-')")
    add.add_argument(
        "--service",
        choices=[s.value for s in Service],
        default=Service.SPAPI.value,
        help="spapi (default: Amazon's Selling Partner API), mws (retired by Amazon in 2024) "
        "or sellercenter",
    )
    add.add_argument(
        "--marketplace",
        dest="marketplaces",
        action="append",
        metavar="ID",
        help="MWS or SP-API marketplace id (repeatable; the first is the default)",
    )
    add.add_argument(
        "--region", help="MWS region (NA, EU, FE, IN ...; checked if given); SP-API: NA, EU or FE"
    )
    add.add_argument(
        "--endpoint", metavar="URL", help="MWS or SP-API endpoint (default: the catalog's)"
    )
    add.add_argument("--seller-id", metavar="ID", help="MWS seller (merchant) id; SP-API: optional")
    add.add_argument(
        "--lwa-client-id",
        metavar="ID",
        help="SP-API: Login with Amazon client id (amzn1.application-oa2-client.…)",
    )
    add.add_argument(
        "--lwa-endpoint", metavar="URL", help="SP-API: LWA host (default: api.amazon.com)"
    )
    add.add_argument("--access-key", metavar="ID", help="MWS access key id (not the secret key)")
    add.add_argument("--sc-host", metavar="URL", help="SellerCenter API host of the marketplace")
    add.add_argument("--sc-user", metavar="USERID", help="SellerCenter UserID (login e-mail)")
    add.add_argument(
        "--sc-seller-id",
        metavar="ID",
        help="SellerCenter seller id, sent as User-Agent (Falabella requires it)",
    )
    add.add_argument("--read-only", action="store_true", help="never send anything that changes")
    add.add_argument("--ca-bundle", metavar="PEM", help="trust these CA certificates")
    add.add_argument("--default", action="store_true", help="make it the default profile")
    add.add_argument("--replace", action="store_true", help="replace a profile of that name")
    add.add_argument(
        "--secret-stdin",
        action="store_true",
        help="read the secrets from standard input, one per line, instead of prompting",
    )
    where = add.add_mutually_exclusive_group()
    where.add_argument(
        "--encrypted-file",
        action="store_true",
        help="use the encrypted keyring file even where there is an OS keyring",
    )
    where.add_argument(
        "--plaintext-keyring",
        action="store_true",
        help="where there is no OS keyring, store the secrets UNENCRYPTED (not recommended)",
    )

    sub.add_parser("list", help="show profiles and where each secret lives (never the value)")

    rm = sub.add_parser("remove", help="remove a profile and delete its secrets")
    rm.add_argument("name")
    rm.add_argument(
        "--keep-secrets",
        action="store_true",
        help="remove the profile even if its secrets cannot be deleted",
    )


def run(args: argparse.Namespace) -> int:
    """Run ``profile ACTION``; returns the exit status."""
    action = getattr(args, "profile_command", None)
    try:
        if action == "add":
            return _add(args)
        if action == "list":
            return _list()
        if action == "remove":
            return _remove(args)
        return usage(_PROG, "choose an action: add, list or remove")
    except UsageError as exc:
        return usage(f"{_PROG} {action}", str(exc))
    except MwstuiError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        # 130 like every other interrupted mwstui command (128 + SIGINT).
        fail("interrupted; nothing more was changed")
        return 130


# -- add ---------------------------------------------------------------------------------


def _add(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    settings = load_settings()
    if profile.name in settings.profiles and not args.replace:
        return fail(f"profile {profile.name!r} exists; pass --replace, or remove it first")
    store = open_store(ask_hidden, settings=settings, allow_plaintext=args.plaintext_keyring)
    kind = store.default_kind(encrypted_file=args.encrypted_file)
    if args.plaintext_keyring and kind is not StoreKind.PLAINTEXT_FILE:
        warn(f"--plaintext-keyring ignored: the secrets go to the {store.label(kind)}")
    if kind is StoreKind.PLAINTEXT_FILE:
        warn(f"storing the secrets UNENCRYPTED in the {store.label(kind)} (--plaintext-keyring)")
    elif kind is StoreKind.ENCRYPTED_FILE and sys.stdin.isatty() and not args.encrypted_file:
        # Say why a passphrase is about to be asked for.
        note(f"{store.keyring_info().label}: the secrets go to the {store.label(kind)}")
    store.unlock(kind, writing=True)  # the passphrase is asked before the secrets
    specs = secret_specs(profile.service)
    secrets = _read_secrets(specs, from_stdin=args.secret_stdin)
    add_profile(
        profile,
        secrets,
        store=store,
        kind=kind,
        make_default=args.default,
        replace=args.replace,
        warn=warn,
    )
    stored = ", ".join(s.title for s in specs if s.name in secrets)
    print(
        printable(
            f"Profile {profile.name!r} saved ({profile.service.value}, {profile.account} "
            f"at {profile.host}); {stored} stored in the {store.label(kind)}."
        )
    )
    return 0


def _read_secrets(specs: tuple[SecretSpec, ...], *, from_stdin: bool) -> dict[str, Secret]:
    secrets: dict[str, Secret] = {}
    for spec in specs:
        if from_stdin:
            value = sys.stdin.readline().strip()
        else:
            hint = "" if spec.required else " (Enter if none)"
            try:
                value = ask_hidden(f"{spec.title}{hint}: ").strip()
            except EOFError:
                raise CredentialError(
                    "no terminal for hidden input: pass the secrets with --secret-stdin"
                ) from None
        if value:
            secrets[spec.name] = Secret(value)
        elif spec.required:
            where = "on standard input" if from_stdin else ""
            raise CredentialError(f"no {spec.title} given {where}; nothing was stored".strip())
    return secrets


# -- list --------------------------------------------------------------------------------


def _list() -> int:
    settings = load_settings()
    path = locations.display_path(locations.config_file())
    if not settings.profiles:
        print(f"No profiles in {path}. Add one with:")
        print(
            "  mwstui profile add NAME --marketplace ID --seller-id ID --access-key ID\n"
            "  mwstui profile add NAME --service sellercenter --sc-host URL --sc-user USERID\n"
            "  mwstui profile add NAME --service spapi --region EU --marketplace ID "
            "--lwa-client-id ID"
        )
        return 0
    store = open_store(None, settings=settings)  # listing never asks for a passphrase
    for profile in settings.profiles.values():
        print(printable(_headline(settings, profile)))
        for spec in secret_specs(profile.service):
            print(printable(f"    {spec.title}: {_where(store, profile, spec)}"))
    print(f"Config: {path}")
    return 0


def _headline(settings: Settings, p: Profile) -> str:
    mark = "*" if settings.default_profile == p.name else " "
    flags = ["read-only"] if p.read_only else []
    if p.service is Service.MWS:
        who = f"seller {p.seller_id or '?'}, key {p.access_key_id or '?'}"
        where = f"{p.host} {' '.join(p.marketplace_ids)}"
    elif p.service is Service.SPAPI:
        who = f"seller {p.seller_id or '-'}, client {p.lwa_client_id or '?'}"
        where = f"{p.region or '?'} {p.host} {' '.join(p.marketplace_ids)}"
    else:
        who = f"user {p.sellercenter_user_id or '?'}"
        where = p.host
    extra = f" [{', '.join(flags)}]" if flags else ""
    return f"{mark} {p.name}  {p.service.value}  {who}  {where}{extra}"


def _where(store: CredentialStore, profile: Profile, spec: SecretSpec) -> str:
    if os.environ.get(spec.env, "").strip():
        return f"env {spec.env} (overrides the {profile.secret_store.value})"
    kind = profile.secret_store
    try:
        if kind is StoreKind.KEYRING and store.keyring_info().kind == "none":
            return "OS keyring (not available on this machine)"
        present = store.has(kind, profile.name, spec.name)
    except CredentialError as exc:
        return f"{store.label(kind)} (cannot check: {exc})"
    label = store.label(kind)
    if present is None:
        return label
    if present:
        return f"{label} (stored)"
    return f"{label} (missing)" if spec.required else "not set"


# -- remove ------------------------------------------------------------------------------


def _remove(args: argparse.Namespace) -> int:
    settings = load_settings()
    profile = settings.profile(args.name)
    store = open_store(None, settings=settings)  # deleting needs no passphrase
    deleted = 0
    try:
        for spec in secret_specs(profile.service):
            deleted += store.delete(profile.secret_store, profile.name, spec.name)
            for kind in (StoreKind.ENCRYPTED_FILE, StoreKind.PLAINTEXT_FILE):
                # Leftovers from an earlier store choice: seen and removed without unlocking.
                if kind is not profile.secret_store and store.has(kind, profile.name, spec.name):
                    deleted += store.delete(kind, profile.name, spec.name)
    except CredentialError as exc:
        if not args.keep_secrets:
            return fail(
                f"{exc}; the profile was kept (--keep-secrets removes it anyway, leaving "
                f"its keyring entries 'mwstui' / '{profile.name}:*')"
            )
        warn(f"secrets left in the keyring: {exc}")
    save_settings(settings.without_profile(profile.name))
    print(printable(f"Profile {profile.name!r} removed; {deleted} secret(s) deleted."))
    return 0
