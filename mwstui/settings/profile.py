"""A profile: one seller account on one service, without its secrets.

``config_file`` reads and writes profiles in ``config.toml``; ``credentials`` adds the
secrets from the environment or the keyring.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from mwstui.catalog import Throttle, load_catalog


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
