"""TLS set-up of both clients: no CA bundle loaded for a plain-http endpoint, else as before."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mwstui.clock import FakeClock
from mwstui.errors import ConfigError
from mwstui.mws.client import MWSClient
from mwstui.secret import Secret
from mwstui.sellercenter.client import SellerCenterClient
from mwstui.throttle.governor import Governor


def mws(endpoint: str, **kw: Any) -> MWSClient:
    clock = FakeClock()
    return MWSClient(
        endpoint=endpoint,
        access_key="AKIDEXAMPLE",
        secret_key=Secret("s"),
        seller_id="A1SELLER",
        governor=Governor(clock),
        clock=clock,
        **kw,
    )


def sellercenter(endpoint: str, **kw: Any) -> SellerCenterClient:
    clock = FakeClock()
    return SellerCenterClient(
        endpoint=endpoint,
        user_id="u",
        api_key=Secret("k"),
        governor=Governor(clock),
        clock=clock,
        **kw,
    )


Build = Callable[..., Any]
BUILDERS = [pytest.param(mws, id="mws"), pytest.param(sellercenter, id="sellercenter")]


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every CA bundle loaded while the test runs."""
    seen: list[str] = []
    real_locations = ssl.SSLContext.load_verify_locations
    real_default = ssl.SSLContext.load_default_certs

    def locations(self: ssl.SSLContext, *args: Any, **kwargs: Any) -> None:
        seen.append("locations")
        real_locations(self, *args, **kwargs)

    def default(self: ssl.SSLContext, *args: Any, **kwargs: Any) -> None:
        seen.append("default")
        real_default(self, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", locations)
    monkeypatch.setattr(ssl.SSLContext, "load_default_certs", default)
    return seen


@pytest.mark.parametrize("build", BUILDERS)
async def test_plain_http_loads_no_ca_bundle(build: Build, loads: list[str]) -> None:
    client = build("http://127.0.0.1:8765")
    assert loads == []
    context = client._http._transport._pool._ssl_context
    # Never used; if it were, it would refuse rather than connect unchecked.
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    await client.aclose()


@pytest.mark.parametrize("build", BUILDERS)
async def test_https_still_loads_the_ca_bundle(build: Build, loads: list[str]) -> None:
    client = build("https://127.0.0.1:8443")
    assert loads  # certifi's bundle, as httpx always did
    await client.aclose()


@pytest.mark.parametrize("build", BUILDERS)
def test_a_configured_bundle_is_still_checked_on_plain_http(build: Build, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="CA bundle"):
        build("http://127.0.0.1:8765", verify=str(tmp_path / "missing.pem"))
