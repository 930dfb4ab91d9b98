"""The add-profile form: every field checked before anything is stored; saving reopens on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, SelectionList, Static

from mwstui.secret import Secret
from mwstui.session import SwitchProfile
from mwstui.settings import locations
from mwstui.settings.config_file import load_settings
from mwstui.settings.credential_store import ENV_PASSPHRASE, SERVICE, CredentialStore
from mwstui.settings.new_profile import add_profile, draft_to_profile
from mwstui.settings.profile import Service, StoreKind
from mwstui.ui.profiles.profile_fields import SECTIONS
from mwstui.ui.profiles.profile_form_modal import CUSTOM_HOST, ProfileFormModal
from tests.ui.harness import SIZE, screen_text, settle
from tests.ui.test_first_run import first_run_app
from tests.unit.test_credentials import HangingKeyring, MemoryKeyring
from tests.unit.test_profiles import SECRET, TOKEN, keyring_env, mws_draft

__all__ = ["keyring_env"]

PASS = "correct horse battery staple"
FAIL_BACKEND = "keyring.backends.fail.Keyring"


@pytest.fixture(autouse=True)
def _isolated(keyring_env: Path) -> Path:
    return keyring_env


async def open_form(pilot: Pilot[Any], service: str = "mws") -> ProfileFormModal:
    """Open the form from the first-run screen and choose ``service`` (most tests: MWS)."""
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, ProfileFormModal)
    if form.service.value != service:
        form.query_one("#pf-service", Select).value = service
        await settle(pilot)
    return form


async def test_the_form_opens_on_sp_api() -> None:
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProfileFormModal)
        assert form.service is Service.SPAPI
        shown = {
            kind for kind, section in SECTIONS.items() if form.query_one(f"#{section}").display
        }
        assert shown == {Service.SPAPI}  # MWS and SellerCenter fields hidden with their sections
        assert "Amazon SP-API" in screen_text(app)


def fill(form: ProfileFormModal, **values: str) -> None:
    for widget_id, value in values.items():
        form.query_one(f"#{widget_id}", Input).value = value


def error_of(form: ProfileFormModal, field: str) -> str:
    error = form.query_one(f"#pf-{field}-error", Static)
    return str(error.render()) if error.display else ""


def nothing_stored() -> bool:
    return MemoryKeyring.entries == {} and not locations.config_file().exists()


async def save(pilot: Pilot[Any]) -> None:
    await pilot.click("#pf-save")
    await settle(pilot)


async def test_an_mws_profile_is_saved_and_the_app_reopens_on_it() -> None:
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        assert "keyring" in str(form.query_one("#pf-store", Static).render())
        assert not form.query_one("#pf-pass").display  # an OS keyring needs no passphrase
        await pilot.press(*"eu")  # typed into the focused name field
        form.query_one("#pf-marketplace", Select).value = "A1PA6795UKMFR9"
        await pilot.pause()
        endpoint = form.query_one("#pf-endpoint", Input)
        assert endpoint.value == "https://mws-eu.amazonservices.com"  # derived
        assert form.query_one("#pf-secret", Input).password
        fill(form, **{"pf-seller": "A2SELLER", "pf-access": "AKIAEXAMPLE"})
        fill(form, **{"pf-secret": SECRET, "pf-token": TOKEN})
        form.query_one("#pf-readonly", Checkbox).value = True
        await pilot.pause()
        shown = app.export_screenshot()
        assert SECRET not in shown and TOKEN not in shown  # password fields show dots
        await save(pilot)
    assert app.return_value == SwitchProfile("eu")
    profile = load_settings().profile("eu")
    assert profile.marketplace_ids == ("A1PA6795UKMFR9",) and profile.region == "EU"
    assert (profile.seller_id, profile.access_key_id) == ("A2SELLER", "AKIAEXAMPLE")
    assert profile.read_only and profile.secret_store is StoreKind.KEYRING
    assert MemoryKeyring.entries == {
        (SERVICE, "eu:secret_key"): SECRET,
        (SERVICE, "eu:auth_token"): TOKEN,
    }
    assert SECRET not in locations.config_file().read_text()


async def test_an_edited_endpoint_is_kept_when_the_marketplace_changes() -> None:
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        form.query_one("#pf-marketplace", Select).value = "A1PA6795UKMFR9"
        await pilot.pause()
        fill(form, **{"pf-endpoint": "http://127.0.0.1:8765"})
        form.query_one("#pf-marketplace", Select).value = "ATVPDKIKX0DER"
        await pilot.pause()
        assert form.query_one("#pf-endpoint", Input).value == "http://127.0.0.1:8765"


async def test_invalid_fields_show_messages_and_store_nothing() -> None:
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        fill(form, **{"pf-name": "bad name", "pf-access": "AKIA EXAMPLE", "pf-secret": "a b"})
        await save(pilot)
        assert app.screen is form and app.is_running
        assert "invalid profile name" in error_of(form, "name")
        assert "choose a marketplace" in error_of(form, "marketplace_id")
        assert "Seller id is required" in error_of(form, "seller_id")
        assert "spaces" in error_of(form, "access_key_id")
        assert "MWS secret key must not contain spaces" in error_of(form, "secret_key")
        assert error_of(form, "auth_token") == ""  # optional, left empty
        assert "Nothing was stored" in str(form.query_one("#pf-status", Static).render())
        assert form.query_one("#pf-name").has_focus  # the first field at fault
        assert "a b" not in str(form.query_one("#pf-secret_key-error", Static).render())
        assert nothing_stored()

        # Fixing the fields clears their messages.
        fill(form, **{"pf-name": "eu", "pf-seller": "A2SELLER", "pf-access": "AKIAEXAMPLE"})
        fill(form, **{"pf-secret": SECRET})
        form.query_one("#pf-marketplace", Select).value = "A1PA6795UKMFR9"
        await save(pilot)
    assert app.return_value == SwitchProfile("eu")


async def test_a_sellercenter_profile_from_the_catalog_hosts_or_a_typed_url() -> None:
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        form.query_one("#pf-service", Select).value = "sellercenter"
        await pilot.pause()
        assert not form.query_one("#pf-mws").display and form.query_one("#pf-sc").display
        fill(form, **{"pf-name": "shop", "pf-user": "not-an-email", "pf-apikey": ""})
        await save(pilot)
        assert "API host" in error_of(form, "sc-endpoint")
        assert "e-mail" in error_of(form, "sellercenter_user_id")
        assert "SellerCenter API key is required" in error_of(form, "api_key")
        assert error_of(form, "seller_id") == ""  # MWS fields are not checked
        host = form.query_one("#pf-host", Select)
        host.value = CUSTOM_HOST
        await pilot.pause()
        assert form.query_one("#pf-url-row").display
        fill(form, **{"pf-url": "http://sellercenter.example.com"})
        await save(pilot)
        assert "https" in error_of(form, "sc-endpoint")
        host.value = "sellercenter-api.linio.cl"
        await pilot.pause()
        fill(form, **{"pf-user": "ops@example.com", "pf-apikey": "b1bdb357ced10fe4"})
        assert nothing_stored()
        await save(pilot)
    assert app.return_value == SwitchProfile("shop")
    profile = load_settings().profile("shop")
    assert profile.endpoint == "https://sellercenter-api.linio.cl"
    assert MemoryKeyring.entries == {(SERVICE, "shop:api_key"): "b1bdb357ced10fe4"}


async def test_without_an_os_keyring_the_form_asks_for_a_new_passphrase(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FAIL_BACKEND)
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        assert "encrypted file" in str(form.query_one("#pf-store", Static).render())
        assert form.query_one("#pf-pass").display and form.query_one("#pf-repeat-row").display
        assert form.query_one("#pf-passphrase", Input).password
        form.query_one("#pf-marketplace", Select).value = "A1PA6795UKMFR9"
        fill(form, **{"pf-name": "eu", "pf-seller": "A2SELLER", "pf-access": "AKIAEXAMPLE"})
        fill(form, **{"pf-secret": SECRET})
        await save(pilot)
        assert "passphrase" in error_of(form, "passphrase") and nothing_stored()
        fill(form, **{"pf-passphrase": PASS, "pf-repeat": "something else"})
        await save(pilot)
        assert "differ" in error_of(form, "repeat")
        assert not locations.keyring_file().exists() and not locations.config_file().exists()
        fill(form, **{"pf-repeat": PASS})
        await save(pilot)
    assert app.return_value == SwitchProfile("eu")
    assert load_settings().profile("eu").secret_store is StoreKind.ENCRYPTED_FILE
    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    stored = CredentialStore().get(StoreKind.ENCRYPTED_FILE, "eu", "secret_key")
    assert stored == Secret(SECRET)


async def test_a_wrong_passphrase_saves_nothing_and_the_form_stays(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FAIL_BACKEND)
    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    add_profile(
        draft_to_profile(mws_draft()), {"secret_key": Secret(SECRET)}, store=CredentialStore()
    )
    monkeypatch.delenv(ENV_PASSPHRASE)
    before = locations.config_file().read_text()
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        assert form.query_one("#pf-pass").display
        assert not form.query_one("#pf-repeat-row").display  # the file has a passphrase
        form.query_one("#pf-marketplace", Select).value = "A1PA6795UKMFR9"
        fill(form, **{"pf-name": "other", "pf-seller": "A2SELLER", "pf-access": "AKIAEXAMPLE"})
        fill(form, **{"pf-secret": "another-secret", "pf-passphrase": "not it"})
        await save(pilot)
        assert app.screen is form and app.is_running
        status = str(form.query_one("#pf-status", Static).render())
        assert "Nothing was saved" in status and "wrong keyring passphrase" in status
        assert not form.query_one("#pf-save").disabled  # ready for another try
    assert locations.config_file().read_text() == before


async def test_the_passphrase_variable_needs_no_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FAIL_BACKEND)
    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        assert not form.query_one("#pf-pass").display


async def test_a_hanging_keyring_never_hangs_the_form(monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = locations.config_file()
    cfg.parent.mkdir(parents=True)
    cfg.write_text("[keyring]\ntimeout = 0.05\n")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", f"{HangingKeyring.__module__}.HangingKeyring")
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        form.query_one("#pf-marketplace", Select).value = "A1PA6795UKMFR9"
        fill(form, **{"pf-name": "eu", "pf-seller": "A2SELLER", "pf-access": "AKIAEXAMPLE"})
        fill(form, **{"pf-secret": SECRET})
        await save(pilot)
        status = str(form.query_one("#pf-status", Static).render())
        assert "did not answer" in status and "Nothing was saved" in status
        assert app.screen is form
    assert load_settings().profiles == {}


async def test_a_taken_name_is_refused_from_the_switcher(keyring_env: Path) -> None:
    form = ProfileFormModal(taken=["eu"])
    async with first_run_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.push_screen(form)
        await settle(pilot)
        form.query_one("#pf-marketplace", Select).value = "A1PA6795UKMFR9"
        fill(form, **{"pf-name": "eu", "pf-seller": "A2SELLER", "pf-access": "AKIAEXAMPLE"})
        fill(form, **{"pf-secret": SECRET})
        await save(pilot)
        assert "exists already" in error_of(form, "name")
        assert nothing_stored()


# -- SP-API ------------------------------------------------------------------------------

CLIENT_ID = "amzn1.application-oa2-client.0123456789abcdef"
CLIENT_SECRET = "amzn1.oa2-cs.v1.0123456789abcdef0123456789abcdef"
REFRESH = "Atzr|IwEBIExampleRefreshToken0123456789"
DE, FR, US = "A1PA6795UKMFR9", "A13V1IB3VIYZZH", "ATVPDKIKX0DER"


def markets(form: ProfileFormModal) -> SelectionList[str]:
    found: SelectionList[str] = form.query_one("#pf-sp-markets", SelectionList)
    return found


def offered(form: ProfileFormModal) -> list[str]:
    listed = markets(form)
    return [str(listed.get_option_at_index(i).value) for i in range(listed.option_count)]


async def choose_spapi(pilot: Pilot[Any], form: ProfileFormModal, region: str) -> None:
    form.query_one("#pf-service", Select).value = "spapi"
    form.query_one("#pf-region", Select).value = region
    await pilot.pause()


async def test_an_spapi_profile_is_saved_with_its_secrets_in_the_keyring() -> None:
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await choose_spapi(pilot, form, "EU")
        assert form.query_one("#pf-sp").display and not form.query_one("#pf-mws").display
        # Only the region's marketplaces are offered, from the catalog.
        assert DE in offered(form) and FR in offered(form) and US not in offered(form)
        markets(form).select(FR)
        markets(form).select(DE)
        fill(form, **{"pf-name": "de", "pf-lwa-id": CLIENT_ID})
        fill(form, **{"pf-lwa-secret": CLIENT_SECRET, "pf-refresh": REFRESH})
        assert form.query_one("#pf-lwa-secret", Input).password
        assert form.query_one("#pf-refresh", Input).password
        await pilot.pause()
        shown = app.export_screenshot()
        assert CLIENT_SECRET not in shown and REFRESH not in shown  # dots, never the value
        await save(pilot)
    assert app.return_value == SwitchProfile("de")
    profile = load_settings().profile("de")
    assert profile.service is Service.SPAPI and profile.region == "EU"
    assert profile.marketplace_ids == (FR, DE)  # as chosen: the first is the default
    assert profile.endpoint == "https://sellingpartnerapi-eu.amazon.com"
    assert profile.lwa_client_id == CLIENT_ID and profile.seller_id is None
    assert profile.secret_store is StoreKind.KEYRING
    assert MemoryKeyring.entries == {
        (SERVICE, "de:lwa_client_secret"): CLIENT_SECRET,
        (SERVICE, "de:refresh_token"): REFRESH,
    }
    config = locations.config_file().read_text()
    assert CLIENT_SECRET not in config and REFRESH not in config


async def test_spapi_fields_are_checked_as_profile_add_checks_them() -> None:
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        form.query_one("#pf-service", Select).value = "spapi"
        await pilot.pause()
        fill(form, **{"pf-name": "de", "pf-lwa-id": "client", "pf-sp-seller": "A B"})
        fill(form, **{"pf-lwa-secret": "has space"})
        await save(pilot)
        assert app.screen is form and nothing_stored()
        assert "choose the region" in error_of(form, "region")
        assert "must look like amzn1.application-oa2-client" in error_of(form, "lwa_client_id")
        assert "spaces" in error_of(form, "sp-seller_id")
        assert "LWA client secret must not contain spaces" in error_of(form, "lwa_client_secret")
        assert "has space" not in str(form.query_one("#pf-lwa_client_secret-error").render())
        assert "LWA refresh token is required" in error_of(form, "refresh_token")
        assert error_of(form, "seller_id") == "" and error_of(form, "marketplace_id") == ""
        assert form.query_one("#pf-region").has_focus  # the first field at fault

        form.query_one("#pf-region", Select).value = "FE"
        fill(form, **{"pf-lwa-id": CLIENT_ID, "pf-sp-seller": ""})
        fill(form, **{"pf-lwa-secret": CLIENT_SECRET, "pf-refresh": REFRESH})
        await pilot.pause()
        assert set(offered(form)) == {"A19VAU5U5O7RUS", "A39IBJ37TRP1C6", "A1VC38T7YXB528"}
        await save(pilot)
        assert "choose at least one marketplace" in error_of(form, "marketplace_ids")
        assert error_of(form, "region") == "" and nothing_stored()
        markets(form).select("A1VC38T7YXB528")
        await save(pilot)
    assert app.return_value == SwitchProfile("de")
    profile = load_settings().profile("de")
    assert profile.region == "FE" and profile.marketplace_ids == ("A1VC38T7YXB528",)


async def test_changing_the_region_keeps_no_marketplace_of_another(
    keyring_env: Path,
) -> None:
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await choose_spapi(pilot, form, "NA")
        markets(form).select(US)
        form.query_one("#pf-region", Select).value = "EU"
        await pilot.pause()
        assert US not in offered(form) and markets(form).selected == []
        form.query_one("#pf-region", Select).value = "NA"
        await pilot.pause()
        assert US in offered(form) and markets(form).selected == []
