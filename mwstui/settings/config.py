"""Typed settings and profiles, read from and written to ``config.toml`` (never any secret).

The file lives in the platform config directory (see ``mwstui.settings.locations``)::

    default_profile = "eu"

    [keyring]
    timeout = 10.0

    [network]
    max_response_mb = 32
    deadline = 60.0

    [profiles.eu]
    service = "mws"
    endpoint = "https://mws-eu.amazonservices.com"
    region = "EU"
    marketplace_ids = ["A1PA6795UKMFR9"]
    seller_id = "A2EXAMPLESELLER"
    access_key_id = "AKIAEXAMPLE"
    read_only = false
    secret_store = "encrypted-file"

    [profiles.eu.throttle.GetReportRequestList]
    max_quota = 10
    restore_seconds = 45.0

An SP-API profile (``service = "spapi"``) has ``region`` (NA, EU or FE),
``marketplace_ids`` of that region, ``lwa_client_id``, an optional ``seller_id``,
``endpoint`` (the region's by default) and an optional ``lwa_endpoint``.

Secrets (MWS secret key and auth token, SellerCenter API key, SP-API LWA client
secret and refresh token) are never written here:
they live in the keyring, or come from ``MWSTUI_*`` environment variables.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomli_w

from mwstui import wire
from mwstui.catalog import Throttle, load_catalog
from mwstui.errors import ConfigError
from mwstui.settings import locations
from mwstui.settings.checks import (
    as_table,
    check_endpoint,
    check_marketplace_id,
    check_profile_name,
    check_spapi_place,
    flag,
    no_unknown,
    number,
    opt_str,
    req_str,
    table_at,
)

__all__ = [
    "KeyringSettings",
    "NetworkSettings",
    "Profile",
    "Service",
    "Settings",
    "StoreKind",
    "ThrottleOverride",
    "check_endpoint",
    "check_marketplace_id",
    "check_profile_name",
    "check_spapi_place",
    "governor_overrides",
    "load_settings",
    "save_settings",
]

SECRET_KEYS = frozenset(
    {
        "secret_key",
        "auth_token",
        "api_key",
        "mws_auth_token",
        "password",
        "client_secret",
        "lwa_client_secret",
        "refresh_token",
    }
)
"""Keys refused in the file: a secret written here would sit in plaintext."""


class Service(StrEnum):
    """Which API a profile talks to."""

    MWS = "mws"
    SELLERCENTER = "sellercenter"
    SPAPI = "spapi"
    """Amazon Selling Partner API (Login with Amazon credentials)."""


class StoreKind(StrEnum):
    """Where a profile's secrets were stored by ``mwstui profile add``."""

    KEYRING = "keyring"
    """The OS keyring, or the backend chosen by ``PYTHON_KEYRING_BACKEND``/``keyringrc.cfg``."""
    ENCRYPTED_FILE = "encrypted-file"
    """mwstui's passphrase-protected keyring file (keyrings.cryptfile)."""
    PLAINTEXT_FILE = "plaintext-file"
    """An unencrypted file; only ever used when the user asked for it."""


@dataclass(frozen=True, slots=True)
class ThrottleOverride:
    """A replacement for the catalog's throttle figures of one bucket."""

    max_quota: int
    """Tokens in a full bucket (burst size)."""
    restore_seconds: float
    """Seconds for one token to come back."""
    hourly_quota: int | None = None
    """Calls allowed per hour, for operations with an hourly cap."""


@dataclass(frozen=True, slots=True)
class Profile:
    """One seller account on one service, without its secrets."""

    name: str
    """The profile's name (``--profile NAME``); also part of its keyring entries."""
    service: Service
    """``mws``, ``sellercenter`` or ``spapi``."""
    endpoint: str
    """Base URL: the MWS or SP-API regional endpoint, or the SellerCenter marketplace host."""
    region: str | None = None
    """MWS region (``NA``, ``EU``, ``FE`` ...), shown in the header; informational for MWS,
    required for SP-API (it picks the endpoint and the marketplaces allowed)."""
    marketplace_ids: tuple[str, ...] = ()
    """MWS or SP-API marketplace ids; the first is the default for calls that take one."""
    seller_id: str | None = None
    """MWS merchant / seller id (``MWSTUI_MWS_SELLER_ID`` overrides); for SP-API the optional
    selling partner id (the profile name keys its throttle budgets when absent)."""
    lwa_client_id: str | None = None
    """SP-API: the Login with Amazon client id (``amzn1.application-oa2-client.…``); not a
    secret (``MWSTUI_SPAPI_CLIENT_ID`` overrides)."""
    lwa_endpoint: str | None = None
    """SP-API: the Login with Amazon host (default from the catalog: api.amazon.com)."""
    access_key_id: str | None = None
    """MWS access key id; not a secret (``MWSTUI_MWS_ACCESS_KEY`` overrides)."""
    sellercenter_user_id: str | None = None
    """SellerCenter ``UserID``, a login e-mail (``MWSTUI_SC_USER_ID`` overrides)."""
    sellercenter_seller_id: str | None = None
    """SellerCenter seller id; when set, sent as ``User-Agent: <SellerId>/Python/3.11``,
    which Falabella requires of every call (other instances ignore it)."""
    read_only: bool = False
    """Refuse and hide every action that changes state."""
    verify_tls: bool = True
    """Verify the server's TLS certificate (turn off only for a throwaway sandbox)."""
    ca_bundle: str | None = None
    """A PEM file of CA certificates to trust instead of the system's."""
    throttle: Mapping[str, ThrottleOverride] = field(default_factory=dict, hash=False)
    """Throttle overrides by bucket name (an operation name, or ``SellerCenter``)."""
    secret_store: StoreKind = StoreKind.KEYRING
    """Where ``profile add`` put this profile's secrets."""

    @property
    def host(self) -> str:
        """The endpoint's host name, shown wherever the account is restated."""
        return urlsplit(self.endpoint).hostname or self.endpoint

    @property
    def account(self) -> str:
        """Whose account this is: the seller id or the SellerCenter user."""
        if self.service is Service.MWS:
            return self.seller_id or ""
        if self.service is Service.SPAPI:
            return self.seller_id or self.lwa_client_id or ""
        return self.sellercenter_user_id or ""

    @property
    def verify(self) -> str | bool:
        """What an HTTP client takes as ``verify``: the CA bundle path or a flag."""
        if self.ca_bundle:
            return str(Path(self.ca_bundle).expanduser())
        return self.verify_tls


DEFAULT_KEYRING_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class KeyringSettings:
    """How mwstui talks to the keyring."""

    timeout: float = DEFAULT_KEYRING_TIMEOUT
    """Seconds one keyring call may take before mwstui stops waiting and says so."""


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    """Bounds on every API call, whatever the server does."""

    max_response_mb: float = wire.DEFAULT_MAX_RESPONSE_MB
    """An API answer larger than this (MB) is refused while it streams; report downloads
    stream to disk and are not limited by it."""
    deadline: float = wire.DEFAULT_DEADLINE
    """Seconds one HTTP exchange may take in all, however slowly the server answers."""

    @property
    def max_response_bytes(self) -> int:
        return int(self.max_response_mb * wire.MB)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything in ``config.toml``."""

    default_profile: str | None = None
    """The profile used when ``--profile`` is not given."""
    keyring: KeyringSettings = field(default_factory=KeyringSettings)
    """Keyring behaviour."""
    profiles: Mapping[str, Profile] = field(default_factory=dict, hash=False)
    """Profiles by name."""
    network: NetworkSettings = field(default_factory=NetworkSettings)
    """Size and time bounds of API calls."""
    download_dir: str | None = None
    """Where reports and CSV exports are saved (``~`` allowed); None: the platform's
    downloads folder, ``mwstui`` inside it (``locations.downloads_dir``)."""

    def profile(self, name: str | None = None) -> Profile:
        """The profile called ``name``, or the default one.

        Raises:
            ConfigError: there is no such profile, or no default to fall back on.
        """
        if name is None:
            if self.default_profile is None:
                if len(self.profiles) == 1:
                    return next(iter(self.profiles.values()))
                if not self.profiles:
                    raise ConfigError("no profile configured: add one with 'mwstui profile add'")
                raise ConfigError("several profiles and no default: pass --profile NAME")
            name = self.default_profile
        try:
            return self.profiles[name]
        except KeyError:
            raise ConfigError(f"no profile named {name!r} (see 'mwstui profile list')") from None

    def with_profile(self, profile: Profile, *, make_default: bool = False) -> Settings:
        """A copy with ``profile`` added or replaced (the first one becomes the default)."""
        profiles = {**self.profiles, profile.name: profile}
        default = self.default_profile
        if make_default or default not in profiles:
            default = profile.name
        return replace(self, profiles=profiles, default_profile=default)

    def without_profile(self, name: str) -> Settings:
        """A copy without the profile ``name`` (and without it as the default)."""
        profiles = {k: v for k, v in self.profiles.items() if k != name}
        default = None if self.default_profile == name else self.default_profile
        return replace(self, profiles=profiles, default_profile=default)


def load_settings(path: Path | None = None) -> Settings:
    """Read ``config.toml``; a missing file is an empty configuration.

    Raises:
        ConfigError: the file cannot be read, is not TOML, or holds invalid values.
    """
    path = path or locations.config_file()
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {locations.display_path(path)}: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{locations.display_path(path)}: invalid TOML: {exc}") from None
    try:
        return parse_settings(data)
    except ConfigError as exc:
        raise ConfigError(f"{locations.display_path(path)}: {exc}") from None


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write ``settings`` atomically (owner-only permissions) and return the path.

    Raises:
        ConfigError: the file cannot be written.
    """
    path = path or locations.config_file()
    text = "# mwstui settings and profiles. Secrets are never stored in this file.\n\n"
    text += tomli_w.dumps(settings_to_toml(settings))
    try:
        locations.ensure_private_dir(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            Path(tmp).replace(path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ConfigError(f"cannot write {locations.display_path(path)}: {exc}") from None
    return path


def settings_to_toml(settings: Settings) -> dict[str, Any]:
    """The TOML document for ``settings`` (no ``None`` values: TOML has no null)."""
    doc: dict[str, Any] = {}
    if settings.default_profile:
        doc["default_profile"] = settings.default_profile
    doc["keyring"] = {"timeout": settings.keyring.timeout}
    if settings.network != NetworkSettings():
        doc["network"] = {
            "max_response_mb": settings.network.max_response_mb,
            "deadline": settings.network.deadline,
        }
    if settings.download_dir:
        doc["download_dir"] = settings.download_dir
    doc["profiles"] = {name: profile_to_toml(p) for name, p in settings.profiles.items()}
    return doc


def profile_to_toml(profile: Profile) -> dict[str, Any]:
    """One profile as a TOML table."""
    table: dict[str, Any] = {"service": profile.service.value, "endpoint": profile.endpoint}
    optional = {
        "region": profile.region,
        "marketplace_ids": list(profile.marketplace_ids) or None,
        "seller_id": profile.seller_id,
        "access_key_id": profile.access_key_id,
        "lwa_client_id": profile.lwa_client_id,
        "lwa_endpoint": profile.lwa_endpoint,
        "sellercenter_user_id": profile.sellercenter_user_id,
        "sellercenter_seller_id": profile.sellercenter_seller_id,
        "ca_bundle": profile.ca_bundle,
    }
    table.update({k: v for k, v in optional.items() if v is not None})
    table["read_only"] = profile.read_only
    table["verify_tls"] = profile.verify_tls
    table["secret_store"] = profile.secret_store.value
    if profile.throttle:
        table["throttle"] = {
            bucket: {
                k: v
                for k, v in (
                    ("max_quota", o.max_quota),
                    ("restore_seconds", o.restore_seconds),
                    ("hourly_quota", o.hourly_quota),
                )
                if v is not None
            }
            for bucket, o in profile.throttle.items()
        }
    return table


def parse_settings(data: Mapping[str, Any]) -> Settings:
    """Validate a parsed TOML document.

    Raises:
        ConfigError: one line naming the first problem found.
    """
    no_unknown(
        data, {"default_profile", "keyring", "profiles", "network", "download_dir"}, "the top level"
    )
    default = opt_str(data, "default_profile", "the top level")
    kr = table_at(data, "keyring", "the top level")
    no_unknown(kr, {"timeout"}, "[keyring]")
    timeout = number(kr.get("timeout", DEFAULT_KEYRING_TIMEOUT), "[keyring] timeout")
    if not 0 < timeout <= 600:
        raise ConfigError("[keyring] timeout must be between 0 and 600 seconds")
    profiles = {
        name: parse_profile(name, as_table(table, f"[profiles.{name}]"))
        for name, table in table_at(data, "profiles", "the top level").items()
    }
    return Settings(
        default,
        KeyringSettings(timeout),
        profiles,
        parse_network(data.get("network", {})),
        opt_str(data, "download_dir", "the top level"),
    )


def parse_network(raw: Any) -> NetworkSettings:
    """Validate the ``[network]`` table.

    Raises:
        ConfigError: a bound that is not a positive number in its range.
    """
    table = as_table(raw, "[network]")
    no_unknown(table, {"max_response_mb", "deadline"}, "[network]")
    cap = number(
        table.get("max_response_mb", wire.DEFAULT_MAX_RESPONSE_MB), "[network] max_response_mb"
    )
    deadline = number(table.get("deadline", wire.DEFAULT_DEADLINE), "[network] deadline")
    if not 0 < cap <= 4096:
        raise ConfigError("[network] max_response_mb must be between 0 and 4096")
    if not 0 < deadline <= 3600:
        raise ConfigError("[network] deadline must be between 0 and 3600 seconds")
    return NetworkSettings(cap, deadline)


_PROFILE_KEYS = {
    "service",
    "endpoint",
    "region",
    "marketplace_ids",
    "seller_id",
    "access_key_id",
    "lwa_client_id",
    "lwa_endpoint",
    "sellercenter_user_id",
    "sellercenter_seller_id",
    "read_only",
    "verify_tls",
    "ca_bundle",
    "throttle",
    "secret_store",
}


def parse_profile(name: str, table: Mapping[str, Any]) -> Profile:
    """Validate one ``[profiles.NAME]`` table.

    Raises:
        ConfigError: one line naming the first problem found.
    """
    where = f"[profiles.{name}]"
    check_profile_name(name)
    leaked = SECRET_KEYS & set(table)
    if leaked:
        # Never echo the value: it is a secret sitting in a plaintext file.
        raise ConfigError(
            f"{where} holds a secret ({sorted(leaked)[0]}); remove it from the file and "
            "store it with 'mwstui profile add' (keyring) or an MWSTUI_* variable"
        )
    no_unknown(table, _PROFILE_KEYS, where)
    try:
        service = Service(req_str(table, "service", where))
    except ValueError:
        raise ConfigError(f"{where} service must be 'mws', 'sellercenter' or 'spapi'") from None
    try:
        store = StoreKind(opt_str(table, "secret_store", where) or StoreKind.KEYRING)
    except ValueError:
        kinds = ", ".join(k.value for k in StoreKind)
        raise ConfigError(f"{where} secret_store must be one of: {kinds}") from None
    marketplaces = table.get("marketplace_ids", [])
    if not isinstance(marketplaces, list) or not all(isinstance(m, str) for m in marketplaces):
        raise ConfigError(f"{where} marketplace_ids must be a list of strings")
    for m in marketplaces:
        check_marketplace_id(m)
    region = opt_str(table, "region", where)
    if service is Service.SPAPI:
        region = check_spapi_place(region, marketplaces, where)
    lwa_endpoint = opt_str(table, "lwa_endpoint", where)
    profile = Profile(
        name=name,
        service=service,
        endpoint=check_endpoint(req_str(table, "endpoint", where), where),
        region=region,
        marketplace_ids=tuple(marketplaces),
        seller_id=opt_str(table, "seller_id", where),
        access_key_id=opt_str(table, "access_key_id", where),
        lwa_client_id=opt_str(table, "lwa_client_id", where),
        lwa_endpoint=check_endpoint(lwa_endpoint, f"{where} LWA") if lwa_endpoint else None,
        sellercenter_user_id=opt_str(table, "sellercenter_user_id", where),
        sellercenter_seller_id=opt_str(table, "sellercenter_seller_id", where),
        read_only=flag(table, "read_only", False, where),
        verify_tls=flag(table, "verify_tls", True, where),
        ca_bundle=opt_str(table, "ca_bundle", where),
        throttle=parse_throttle(service, table_at(table, "throttle", where), where),
        secret_store=store,
    )
    if service is Service.MWS and not profile.marketplace_ids:
        raise ConfigError(f"{where} an MWS profile needs marketplace_ids")
    return profile


def parse_throttle(
    service: Service, table: Mapping[str, Any], where: str
) -> dict[str, ThrottleOverride]:
    """Validate throttle overrides against the catalog's bucket names.

    Raises:
        ConfigError: an unknown bucket or a non-positive figure.
    """
    catalog = load_catalog()
    if service is Service.SPAPI:  # SP-API buckets are its operations' names
        buckets = set(catalog.spapi.operations)
    else:
        sections = (
            ("sellercenter",) if service is Service.SELLERCENTER else ("reports", "fulfillment")
        )
        buckets = {op.bucket for s in sections for op in catalog.operations(s)}
    out: dict[str, ThrottleOverride] = {}
    for bucket, raw in table.items():
        here = f"{where} throttle.{bucket}"
        if bucket not in buckets:
            raise ConfigError(f"{here}: unknown throttle bucket for {service.value}")
        spec = as_table(raw, here)
        no_unknown(spec, {"max_quota", "restore_seconds", "hourly_quota"}, here)
        max_quota = number(spec.get("max_quota"), f"{here}.max_quota")
        restore = number(spec.get("restore_seconds"), f"{here}.restore_seconds")
        hourly = spec.get("hourly_quota")
        if max_quota < 1 or max_quota != int(max_quota) or restore <= 0:
            raise ConfigError(f"{here}: max_quota must be a whole number ≥ 1, restore_seconds > 0")
        if hourly is not None and (not isinstance(hourly, int) or hourly < 1):
            raise ConfigError(f"{here}: hourly_quota must be a whole number ≥ 1")
        out[bucket] = ThrottleOverride(int(max_quota), restore, hourly)
    return out


def governor_overrides(profile: Profile) -> dict[str, Throttle]:
    """The profile's throttle overrides as ``Governor(overrides=...)`` takes them.

    An override without ``hourly_quota`` keeps the catalog's hourly quota.
    """
    hourly = {op.bucket: op.throttle.hourly_quota for op in load_catalog().operations()}
    return {
        bucket: Throttle(
            o.max_quota,
            o.restore_seconds,
            o.hourly_quota if o.hourly_quota is not None else hourly.get(bucket),
        )
        for bucket, o in profile.throttle.items()
    }
