"""The add-profile form's fields, one section per service, and which field is which widget.

The choices (marketplaces, SellerCenter hosts, SP-API regions and their marketplaces)
come from the catalog; the checks are ``mwstui.profiles``' (the same as ``profile add``).
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, Select, SelectionList, Static

from mwstui.catalog import load_catalog
from mwstui.settings.profile import Service

CUSTOM_HOST = "custom"
"""The SellerCenter host choice that shows the URL field."""

SECRET_FIELDS = {
    "secret_key": "pf-secret",
    "auth_token": "pf-token",
    "api_key": "pf-apikey",
    "lwa_client_secret": "pf-lwa-secret",
    "refresh_token": "pf-refresh",
}
"""Secret name → the (password) Input holding it."""

FIELDS: dict[Service, tuple[tuple[str, str], ...]] = {
    Service.MWS: (
        ("marketplace_id", "pf-marketplace"),
        ("endpoint", "pf-endpoint"),
        ("seller_id", "pf-seller"),
        ("access_key_id", "pf-access"),
        ("secret_key", "pf-secret"),
        ("auth_token", "pf-token"),
    ),
    Service.SPAPI: (
        ("region", "pf-region"),
        ("marketplace_ids", "pf-sp-markets"),
        ("seller_id", "pf-sp-seller"),
        ("lwa_client_id", "pf-lwa-id"),
        ("lwa_client_secret", "pf-lwa-secret"),
        ("refresh_token", "pf-refresh"),
    ),
    Service.SELLERCENTER: (
        ("endpoint", "pf-host"),
        ("sellercenter_user_id", "pf-user"),
        ("sellercenter_seller_id", "pf-sc-seller"),
        ("api_key", "pf-apikey"),
    ),
}
"""Per service, its fields in screen order: (draft field or secret name, widget id)."""

SECTIONS = {Service.MWS: "pf-mws", Service.SPAPI: "pf-sp", Service.SELLERCENTER: "pf-sc"}
"""The container of each service's fields (only the chosen service's is shown)."""

SERVICES = [
    ("Amazon SP-API", Service.SPAPI.value),
    ("Amazon MWS (retired by Amazon in 2024)", Service.MWS.value),
    ("SellerCenter", Service.SELLERCENTER.value),
]
"""The service choices, as the form lists them."""


def row(label: str, widget: Widget, field: str = "", *, error_id: str = "") -> Iterator[Widget]:
    """A labelled field, and under it the line its problem is shown on.

    The problem line's ``name`` is the field whose problem it shows; its id is
    ``pf-<field>-error`` unless ``error_id`` is given (a field two services share).
    """
    if isinstance(widget, Input):
        widget.compact = True
    row_id = f"{widget.id}-row" if widget.id else None
    classes = "pf-row pf-list-row" if isinstance(widget, SelectionList) else "pf-row"
    yield Horizontal(Label(label, classes="pf-label"), widget, classes=classes, id=row_id)
    if field:
        yield Static(Text(""), classes="pf-error", id=error_id or f"pf-{field}-error", name=field)


def mws_fields() -> Iterator[Widget]:
    """Marketplace (its endpoint follows), seller id, access key id, secret key, auth token."""
    markets = [
        (f"{m.country} · {m.marketplace_id} ({m.region})", m.marketplace_id)
        for m in load_catalog().marketplaces
    ]
    yield from row(
        "Marketplace",
        Select(markets, prompt="choose a marketplace", id="pf-marketplace", compact=True),
        "marketplace_id",
    )
    endpoint = Input(placeholder="set by the marketplace", id="pf-endpoint")
    yield from row("Endpoint", endpoint, "endpoint")
    yield from row("Seller id", Input(id="pf-seller"), "seller_id")
    yield from row("Access key id", Input(placeholder="AKIA…", id="pf-access"), "access_key_id")
    yield from row("Secret key", Input(password=True, id="pf-secret"), "secret_key")
    token = Input(password=True, placeholder="optional (delegated access)", id="pf-token")
    yield from row("Auth token", token, "auth_token")


def spapi_fields() -> Iterator[Widget]:
    """Region, its marketplaces, seller id, LWA client id, client secret, refresh token."""
    regions = [(f"{r.name} ({code})", code) for code, r in load_catalog().spapi.regions.items()]
    yield from row(
        "Region",
        Select(regions, prompt="choose the region", id="pf-region", compact=True),
        "region",
    )
    markets: SelectionList[str] = SelectionList(id="pf-sp-markets", compact=True)
    yield from row("Marketplaces", markets, "marketplace_ids")
    seller = Input(placeholder="optional: keys the throttle budgets", id="pf-sp-seller")
    yield from row("Seller id", seller, "seller_id", error_id="pf-sp-seller_id-error")
    client = Input(placeholder="amzn1.application-oa2-client.…", id="pf-lwa-id")
    yield from row("LWA client id", client, "lwa_client_id")
    yield from row("Client secret", Input(password=True, id="pf-lwa-secret"), "lwa_client_secret")
    refresh = Input(password=True, placeholder="Atzr|…", id="pf-refresh")
    yield from row("Refresh token", refresh, "refresh_token")


def spapi_marketplaces(region: str) -> list[tuple[str, str]]:
    """The SP-API marketplaces of ``region`` as (label, id), in the catalog's order."""
    return [
        (f"{m.country} · {m.name} · {m.marketplace_id}", m.marketplace_id)
        for m in load_catalog().spapi.marketplaces_in(region)
    ]


def sellercenter_fields() -> Iterator[Widget]:
    """API host (from the catalog, or a typed URL), user id, seller id, API key."""
    hosts = [
        (f"{h['marketplace']} · {h['host']}", h["host"])
        for h in load_catalog().sellercenter["hosts"]
    ]
    hosts.append(("Other: type the URL", CUSTOM_HOST))
    yield from row(
        "API host",
        Select(hosts, prompt="choose the marketplace", id="pf-host", compact=True),
        "endpoint",
        error_id="pf-sc-endpoint-error",
    )
    url = Input(placeholder="https://sellercenter-api.example.com", id="pf-url")
    yield from row("URL", url)
    yield from row(
        "User id", Input(placeholder="login e-mail", id="pf-user"), "sellercenter_user_id"
    )
    yield from row(
        "Seller id",
        Input(placeholder="optional; Falabella requires it", id="pf-sc-seller"),
        "sellercenter_seller_id",
    )
    yield from row("API key", Input(password=True, id="pf-apikey"), "api_key")
