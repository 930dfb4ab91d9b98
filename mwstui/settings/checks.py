"""Validation of config values: one-line ``ConfigError`` messages naming the problem."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from mwstui.errors import ConfigError

PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
MARKETPLACE_ID = re.compile(r"[A-Z0-9]{5,20}")


def check_profile_name(name: str) -> str:
    """Return ``name`` if it can name a profile (it becomes part of keyring entries).

    Raises:
        ConfigError: not 1-64 letters, digits, ``_``, ``.`` or ``-``.
    """
    if not PROFILE_NAME.fullmatch(name):
        raise ConfigError(
            f"invalid profile name {name[:70]!r}: use 1-64 letters, digits, '_', '.' or '-'"
        )
    return name


def check_marketplace_id(marketplace_id: str) -> str:
    """Return ``marketplace_id`` if it looks like an Amazon marketplace id.

    Raises:
        ConfigError: it does not.
    """
    if not MARKETPLACE_ID.fullmatch(marketplace_id):
        raise ConfigError(f"invalid marketplace id {marketplace_id[:40]!r}")
    return marketplace_id


def check_endpoint(url: str, where: str = "endpoint") -> str:
    """Return ``url`` without a trailing slash if it is a usable base URL.

    Plain http is accepted for loopback only (a local sandbox): anything else would
    send account data unencrypted.

    Raises:
        ConfigError: not an http(s) URL with a host, carries credentials, or is
            plain http to a non-loopback host.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where} endpoint {url[:80]!r} is not an http(s) URL")
    if parts.username or parts.password:
        raise ConfigError(f"{where} endpoint must not contain a user name or password")
    if parts.query or parts.fragment:
        raise ConfigError(f"{where} endpoint must not have a query or fragment")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigError(f"{where} endpoint must use https (plain http only for loopback)")
    return url.strip().rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def no_unknown(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    """Refuse keys outside ``allowed`` (a typo would otherwise be silently ignored)."""
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(f"unknown setting {unknown[0]!r} in {where}")


def table_at(table: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    """The sub-table ``key`` of ``table`` (empty if absent)."""
    return as_table(table.get(key, {}), f"{key!r} in {where}")


def as_table(value: Any, what: str) -> Mapping[str, Any]:
    """``value`` if it is a TOML table."""
    if not isinstance(value, dict):
        raise ConfigError(f"{what} must be a table")
    return value


def opt_str(table: Mapping[str, Any], key: str, where: str) -> str | None:
    """An optional string (empty counts as absent)."""
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{key!r} in {where} must be a string")
    return value or None


def req_str(table: Mapping[str, Any], key: str, where: str) -> str:
    """A required, non-empty string."""
    value = opt_str(table, key, where)
    if not value:
        raise ConfigError(f"{where} needs {key!r}")
    return value


def flag(table: Mapping[str, Any], key: str, default: bool, where: str) -> bool:
    """A boolean with a default."""
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{key!r} in {where} must be true or false")
    return value


def number(value: Any, what: str) -> float:
    """A TOML integer or float (not a boolean)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{what} must be a number")
    return float(value)


def check_spapi_place(region: str | None, marketplace_ids: list[str], where: str) -> str:
    """Return the SP-API region code (upper case) if every marketplace belongs to it.

    Regions and marketplaces are catalog data (``mwstui/data/spapi/regions.json``).

    Raises:
        ConfigError: no or an unknown region, no marketplace, an unknown marketplace id,
            or one of another region.
    """
    from mwstui.catalog import load_catalog

    sp = load_catalog().spapi
    codes = ", ".join(sp.regions)
    where = f"{where} " if where else ""
    if not region:
        raise ConfigError(f"{where}an SP-API profile needs a region ({codes})")
    code = region.strip().upper()
    if code not in sp.regions:
        raise ConfigError(f"{where}unknown SP-API region {region[:20]!r} (one of {codes})")
    if not marketplace_ids:
        raise ConfigError(f"{where}an SP-API profile needs a marketplace id")
    for mid in marketplace_ids:
        check_marketplace_id(mid)
        known = sp.marketplace(mid)
        if known is None:
            raise ConfigError(f"{where}{mid} is not an SP-API marketplace id")
        if known.region != code:
            raise ConfigError(
                f"{where}marketplace {mid} ({known.name}) is in region {known.region}, not {code}"
            )
    return code
