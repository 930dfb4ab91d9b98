"""Adding a profile: checking what was typed, storing its secrets, saving it to config.toml.

Shared by ``mwstui profile add`` and the dashboard's add-profile form, so both check and
store the same way: secrets first (taken back if a later step fails), settings last.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mwstui import validation
from mwstui.catalog import load_catalog
from mwstui.errors import ConfigError, CredentialError
from mwstui.secret import Secret
from mwstui.settings import locations
from mwstui.settings.checks import (
    check_endpoint,
    check_marketplace_id,
    check_profile_name,
    check_spapi_place,
)
from mwstui.settings.config import Settings
from mwstui.settings.config_file import load_settings, save_settings
from mwstui.settings.credential_store import ENV_PASSPHRASE, CredentialStore
from mwstui.settings.credentials import SecretSpec, secret_specs
from mwstui.settings.keyring_backends import keyring_file_initialised
from mwstui.settings.profile import Profile, Service, StoreKind

__all__ = [
    "LWA_CLIENT_ID",
    "PassphraseNeed",
    "ProfileDraft",
    "add_profile",
    "draft_problems",
    "draft_to_profile",
    "lwa_client_id_problem",
    "passphrase_need",
    "secret_problems",
    "secrets_from",
]

PassphraseNeed = Literal["none", "unlock", "new"]
"""What saving needs from the user: nothing, the keyring file's passphrase, or a new one."""

_BLANKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
LWA_CLIENT_ID = re.compile(r"amzn1\.application-oa2-client\.[A-Za-z0-9]{1,128}")
"""An LWA client id as Amazon issues it (a typo here fails only at the token exchange)."""


@dataclass(frozen=True, slots=True)
class ProfileDraft:
    """A profile as typed into a form, before it is checked (no secrets here)."""

    service: Service
    name: str
    read_only: bool = False
    marketplace_id: str = ""
    """MWS: the marketplace id (its endpoint and region come from the catalog)."""
    endpoint: str = ""
    """MWS endpoint URL, or the SellerCenter API host (``https://`` is added if missing)."""
    seller_id: str = ""
    """MWS: the seller (merchant) id; SP-API: optional (it keys the throttle budgets)."""
    access_key_id: str = ""
    sellercenter_user_id: str = ""
    sellercenter_seller_id: str = ""
    """SellerCenter: optional seller id, sent as User-Agent (Falabella requires it)."""
    region: str = ""
    """SP-API: NA, EU or FE (its endpoint comes from the catalog)."""
    marketplace_ids: tuple[str, ...] = ()
    """SP-API: the marketplaces, all of the region; the first is the default."""
    lwa_client_id: str = ""
    """SP-API: the Login with Amazon client id (not a secret)."""


def _token(title: str, value: str, *, limit: int = 128) -> str | None:
    """An id typed by hand: required, no spaces or control characters, not a novel."""
    if problem := validation.required(title, value):
        return problem
    if _BLANKS.search(value.strip()):
        return f"{title} must not contain spaces or control characters"
    if len(value.strip()) > limit:
        return f"{title} is longer than {limit} characters"
    return None


def lwa_client_id_problem(value: str, title: str = "LWA client id") -> str | None:
    """Why ``value`` is not an LWA client id, or None (``profile add`` and the form)."""
    if problem := validation.required(title, value):
        return problem
    if not LWA_CLIENT_ID.fullmatch(value.strip()):
        return f"{title} must look like amzn1.application-oa2-client.…"
    return None


def _config_problem(check: Callable[[], object]) -> str | None:
    try:
        check()
    except ConfigError as exc:
        return str(exc)
    return None


def _sellercenter_url(host: str) -> str:
    host = host.strip()
    return host if "://" in host else f"https://{host}"


def draft_problems(draft: ProfileDraft, *, taken: Collection[str] = ()) -> dict[str, str]:
    """Every problem of ``draft``, by field name (the ``ProfileDraft`` attribute).

    Args:
        draft: what was typed.
        taken: profile names that exist already (adding one of them is refused).

    Returns:
        Field → one-line message; empty when the draft can be saved.
    """
    problems: dict[str, str] = {}
    name = draft.name.strip()
    if not name:
        problems["name"] = "a profile needs a name"
    elif problem := _config_problem(lambda: check_profile_name(name)):
        problems["name"] = problem
    elif name in taken:
        problems["name"] = f"a profile named {name!r} exists already"
    if draft.service is Service.MWS:
        mid = draft.marketplace_id.strip()
        if not mid:
            problems["marketplace_id"] = "choose a marketplace"
        elif problem := _config_problem(lambda: check_marketplace_id(mid)):
            problems["marketplace_id"] = problem
        elif load_catalog().marketplace(mid) is None and not draft.endpoint.strip():
            problems["marketplace_id"] = validation.marketplace_id(mid) or ""
        if not draft.endpoint.strip():
            if "marketplace_id" not in problems:  # choosing one fills the endpoint in
                problems["endpoint"] = "an MWS profile needs its regional endpoint URL"
        elif problem := _config_problem(lambda: check_endpoint(draft.endpoint, "MWS")):
            problems["endpoint"] = problem
        for field, title in (("seller_id", "Seller id"), ("access_key_id", "Access key id")):
            if problem := _token(title, getattr(draft, field)):
                problems[field] = problem
    elif draft.service is Service.SPAPI:
        problems.update(_spapi_problems(draft))
    else:
        host = draft.endpoint.strip()
        if not host:
            problems["endpoint"] = "choose the marketplace's API host, or type its URL"
        elif problem := _config_problem(
            lambda: check_endpoint(_sellercenter_url(host), "SellerCenter")
        ):
            problems["endpoint"] = problem
        user = draft.sellercenter_user_id.strip()
        if problem := validation.email(user or None, "User id"):
            problems["sellercenter_user_id"] = problem
        if draft.sellercenter_seller_id.strip() and (
            problem := _token("Seller id", draft.sellercenter_seller_id)
        ):
            problems["sellercenter_seller_id"] = problem
    return problems


def _spapi_problems(draft: ProfileDraft) -> dict[str, str]:
    problems: dict[str, str] = {}
    region = draft.region.strip()
    ids = [m.strip() for m in draft.marketplace_ids]
    if not region:
        problems["region"] = "choose the region (NA, EU or FE)"
    elif not ids:
        problems["marketplace_ids"] = "choose at least one marketplace of the region"
    elif problem := _config_problem(lambda: check_spapi_place(region, ids, "")):
        # A region the catalog does not know is the region's fault; else a marketplace's.
        known = region.upper() in load_catalog().spapi.regions
        problems["marketplace_ids" if known else "region"] = problem
    if problem := lwa_client_id_problem(draft.lwa_client_id):
        problems["lwa_client_id"] = problem
    if draft.seller_id.strip() and (problem := _token("Seller id", draft.seller_id)):
        problems["seller_id"] = problem
    return problems


def draft_to_profile(draft: ProfileDraft) -> Profile:
    """The profile a checked draft describes (``draft_problems`` found nothing).

    Raises:
        ConfigError: the draft was not checked and is invalid.
    """
    name = check_profile_name(draft.name.strip())
    if draft.service is Service.SELLERCENTER:
        return Profile(
            name=name,
            service=Service.SELLERCENTER,
            endpoint=check_endpoint(_sellercenter_url(draft.endpoint), "SellerCenter"),
            sellercenter_user_id=draft.sellercenter_user_id.strip(),
            sellercenter_seller_id=draft.sellercenter_seller_id.strip() or None,
            read_only=draft.read_only,
        )
    if draft.service is Service.SPAPI:
        ids = tuple(dict.fromkeys(m.strip() for m in draft.marketplace_ids))
        region = check_spapi_place(draft.region, list(ids), "")
        return Profile(
            name=name,
            service=Service.SPAPI,
            endpoint=check_endpoint(load_catalog().spapi.region(region).endpoint, "SP-API"),
            region=region,
            marketplace_ids=ids,
            seller_id=draft.seller_id.strip() or None,
            lwa_client_id=draft.lwa_client_id.strip(),
            read_only=draft.read_only,
        )
    mid = check_marketplace_id(draft.marketplace_id.strip())
    known = load_catalog().marketplace(mid)
    return Profile(
        name=name,
        service=Service.MWS,
        endpoint=check_endpoint(draft.endpoint, "MWS"),
        region=known.region if known else None,
        marketplace_ids=(mid,),
        seller_id=draft.seller_id.strip(),
        access_key_id=draft.access_key_id.strip(),
        read_only=draft.read_only,
    )


def secret_problems(service: Service, values: Mapping[str, str]) -> dict[str, str]:
    """Problems of typed secrets, by secret name (``secret_key``, ``auth_token``, ``api_key``).

    The values are never part of a message.
    """
    problems: dict[str, str] = {}
    for spec in secret_specs(service):
        value = values.get(spec.name, "").strip()
        if not value:
            if spec.required:
                problems[spec.name] = f"{spec.title} is required"
        elif _BLANKS.search(value):
            problems[spec.name] = f"{spec.title} must not contain spaces or control characters"
    return problems


def secrets_from(service: Service, values: Mapping[str, str]) -> dict[str, Secret]:
    """The typed secrets that were given, trimmed and wrapped."""
    return {
        spec.name: Secret(values[spec.name].strip())
        for spec in secret_specs(service)
        if values.get(spec.name, "").strip()
    }


def passphrase_need(
    store: CredentialStore, kind: StoreKind, *, env: Mapping[str, str] | None = None
) -> PassphraseNeed:
    """Whether storing into ``kind`` needs a passphrase the user has to type.

    ``MWSTUI_KEYRING_PASSPHRASE`` answers it when set.

    Raises:
        CredentialError: the keyring could not be detected (time-boxed).
    """
    env = os.environ if env is None else env
    if env.get(ENV_PASSPHRASE, ""):
        return "none"
    if kind is StoreKind.ENCRYPTED_FILE:
        return "unlock" if keyring_file_initialised(locations.keyring_file()) else "new"
    if kind is StoreKind.KEYRING and store.keyring_info().kind == "encrypted-file":
        return "unlock"  # a CryptFileKeyring chosen by PYTHON_KEYRING_BACKEND
    return "none"


def add_profile(
    profile: Profile,
    secrets: Mapping[str, Secret],
    *,
    store: CredentialStore,
    kind: StoreKind | None = None,
    settings_path: Path | None = None,
    make_default: bool = False,
    replace: bool = False,
    warn: Callable[[str], None] | None = None,
) -> Settings:
    """Store ``profile``'s secrets, then save the profile; nothing is left half-done.

    Args:
        profile: a valid profile; its ``secret_store`` becomes ``kind``.
        secrets: secret name → value; every required secret of the service must be
            there. An optional one left out has any older stored value deleted.
        store: where the secrets go (it may ask for the keyring file's passphrase
            through its prompt callback).
        kind: which store (default ``store.default_kind()``).
        settings_path: the config file (default: the platform's).
        make_default: make it the default profile (the first profile always is).
        replace: replace a profile of the same name instead of refusing.
        warn: told about secrets of the replaced profile that could not be deleted.

    Returns:
        The settings as saved.

    Raises:
        ConfigError: the name is taken (without ``replace``), or the config
            file cannot be read or written (the new secrets are then deleted again).
        CredentialError: a required secret is missing, or the keyring failed (wrong
            passphrase, timeout, no usable backend); nothing was stored.
        ValueError: a secret name the service does not have.
    """
    specs = secret_specs(profile.service)
    unknown = set(secrets) - {s.name for s in specs}
    if unknown:
        raise ValueError(f"a {profile.service.value} profile has no secret {sorted(unknown)[0]!r}")
    for spec in specs:
        if spec.required and spec.name not in secrets:
            raise CredentialError(f"no {spec.title} given; nothing was stored")
    settings = load_settings(settings_path)
    old = settings.profiles.get(profile.name)
    if old is not None and not replace:
        raise ConfigError(f"a profile named {profile.name!r} exists already")
    kind = kind or store.default_kind()
    store.unlock(kind, writing=True)
    profile = dataclasses.replace(profile, secret_store=kind)
    _store_secrets(store, kind, profile, secrets, specs)
    if old is not None:
        _forget_old(store, old, profile, warn or (lambda _message: None))
    new = settings.with_profile(profile, make_default=make_default)
    try:
        save_settings(new, settings_path)
    except ConfigError:
        if old is None:  # do not leave secrets behind for a profile that does not exist
            for spec in specs:
                _quiet_delete(store, kind, profile.name, spec.name)
        raise
    return new


def _store_secrets(
    store: CredentialStore,
    kind: StoreKind,
    profile: Profile,
    secrets: Mapping[str, Secret],
    specs: tuple[SecretSpec, ...],
) -> None:
    done: list[str] = []
    try:
        for spec in specs:
            if spec.name in secrets:
                store.set(kind, profile.name, spec.name, secrets[spec.name])
                done.append(spec.name)
            else:  # an optional secret left out: drop any older value of it
                _quiet_delete(store, kind, profile.name, spec.name)
    except CredentialError:
        for name in done:
            _quiet_delete(store, kind, profile.name, name)
        raise


def _forget_old(
    store: CredentialStore, old: Profile, new: Profile, warn: Callable[[str], None]
) -> None:
    """After a replace: delete secrets the old profile kept in another store."""
    if old.secret_store is new.secret_store and old.service is new.service:
        return
    for spec in secret_specs(old.service):
        if not _quiet_delete(store, old.secret_store, old.name, spec.name):
            warn(f"could not delete the old {spec.title} from the {store.label(old.secret_store)}")


def _quiet_delete(store: CredentialStore, kind: StoreKind, profile: str, name: str) -> bool:
    try:
        store.delete(kind, profile, name)
    except CredentialError:
        return False
    return True
