"""The accounts a session connects to: one target per service, built from a profile
(``mwstui.cli``) or from the sandbox's demo credentials (``mwstui.wiring``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mwstui.catalog import Throttle
from mwstui.secret import Secret

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True)
class MWSTarget:
    """An MWS account to connect to."""

    endpoint: str
    access_key: str
    secret_key: Secret
    seller_id: str
    marketplace_id: str | None
    auth_token: Secret | None = None
    verify: str | bool = True
    transport: httpx.AsyncBaseTransport | None = None
    credential_source: str = ""
    profile: str = ""
    """The profile that serves this account (journal, header, dialogs); default: the session's."""
    read_only: bool = False
    """This profile is read-only, whatever the session's flag says."""


@dataclass(frozen=True)
class SellerCenterTarget:
    """A SellerCenter account to connect to."""

    endpoint: str
    user_id: str
    api_key: Secret
    marketplace: str = ""
    verify: str | bool = True
    transport: httpx.AsyncBaseTransport | None = None
    throttle: Throttle | None = None
    credential_source: str = ""
    user_agent: str | None = None
    """Sent as ``User-Agent`` (Falabella requires ``<SellerId>/Python/3.11``)."""
    profile: str = ""
    """The profile that serves this account (journal, header, dialogs); default: the session's."""
    read_only: bool = False
    """This profile is read-only, whatever the session's flag says."""


@dataclass(frozen=True)
class SPAPITarget:
    """A Selling Partner API account to connect to (an LWA app authorised by a seller)."""

    region: str
    client_id: str
    client_secret: Secret
    refresh_token: Secret
    seller_id: str
    marketplace_ids: Sequence[str] = ()
    endpoint: str | None = None
    """The region's endpoint when None (the sandbox or a proxy otherwise)."""
    lwa_endpoint: str | None = None
    """Amazon's token endpoint when None."""
    verify: str | bool = True
    transport: httpx.AsyncBaseTransport | None = None
    credential_source: str = ""
    profile: str = ""
    """The profile that serves this account (journal, header, dialogs); default: the session's."""
    read_only: bool = False
    """This profile is read-only, whatever the session's flag says."""
