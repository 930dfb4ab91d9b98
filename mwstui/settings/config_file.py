"""``config.toml``: settings and profiles read, checked and written (never any secret).

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
from pathlib import Path
from typing import Any

import tomli_w

from mwstui import wire
from mwstui.catalog import load_catalog
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
from mwstui.settings.config import (
    DEFAULT_KEYRING_TIMEOUT,
    KeyringSettings,
    NetworkSettings,
    Settings,
)
from mwstui.settings.profile import Profile, Service, StoreKind, ThrottleOverride

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
