"""Adding a profile, as `mwstui profile add` and the dashboard form do: checks and storing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import fail
from keyrings.cryptfile.cryptfile import CryptFileKeyring

from mwstui.errors import ConfigError, CredentialError
from mwstui.secret import Secret
from mwstui.settings import locations
from mwstui.settings.config_file import load_settings
from mwstui.settings.credential_store import ENV_PASSPHRASE, SERVICE, CredentialStore
from mwstui.settings.new_profile import (
    ProfileDraft,
    add_profile,
    draft_problems,
    draft_to_profile,
    passphrase_need,
    secret_problems,
    secrets_from,
)
from mwstui.settings.profile import Service, StoreKind
from tests.unit.test_credentials import ExplodingKeyring, HangingKeyring, MemoryKeyring, Prompt

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
TOKEN = "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE"
PASS = "correct horse battery staple"
MEMORY = f"{MemoryKeyring.__module__}.MemoryKeyring"
ENV_SECRETS = (
    "MWSTUI_MWS_ACCESS_KEY",
    "MWSTUI_MWS_SECRET_KEY",
    "MWSTUI_MWS_AUTH_TOKEN",
    "MWSTUI_MWS_SELLER_ID",
    "MWSTUI_SC_USER_ID",
    "MWSTUI_SC_API_KEY",
)


@pytest.fixture
def keyring_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Config and data in tmp_path, the in-memory test keyring, no MWSTUI_* secrets, fast Argon2.

    Also used by the UI tests of the add-profile form and the first-run screen.
    """
    monkeypatch.setenv(locations.ENV_CONFIG_DIR, str(tmp_path / "config"))
    monkeypatch.setenv(locations.ENV_DATA_DIR, str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", MEMORY)
    for var in (ENV_PASSPHRASE, *ENV_SECRETS):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(CryptFileKeyring, "time_cost", 1)
    monkeypatch.setattr(CryptFileKeyring, "memory_cost", 64)
    MemoryKeyring.entries.clear()
    yield tmp_path
    HangingKeyring.release.set()
    HangingKeyring.release = threading.Event()


@pytest.fixture(autouse=True)
def _isolated(keyring_env: Path) -> Path:
    return keyring_env


def mws_draft(**changes: str) -> ProfileDraft:
    values = {
        "name": "eu",
        "marketplace_id": "A1PA6795UKMFR9",
        "endpoint": "https://mws-eu.amazonservices.com",
        "seller_id": "A2SELLER",
        "access_key_id": "AKIAEXAMPLE",
        **changes,
    }
    return ProfileDraft(service=Service.MWS, **values)


def sc_draft(**changes: str) -> ProfileDraft:
    values = {
        "name": "linio",
        "endpoint": "sellercenter-api.linio.cl",
        "sellercenter_user_id": "ops@example.com",
        **changes,
    }
    return ProfileDraft(service=Service.SELLERCENTER, **values)


# -- checking a draft --------------------------------------------------------------------


def test_a_good_mws_draft_has_no_problems_and_takes_region_from_the_catalog() -> None:
    draft = mws_draft(name=" eu ", seller_id=" A2SELLER ")
    assert draft_problems(draft) == {}
    profile = draft_to_profile(draft)
    assert (profile.name, profile.region, profile.marketplace_ids) == (
        "eu",
        "EU",
        ("A1PA6795UKMFR9",),
    )
    assert (profile.seller_id, profile.endpoint) == (
        "A2SELLER",
        "https://mws-eu.amazonservices.com",
    )


def test_a_sellercenter_host_gets_https() -> None:
    assert draft_problems(sc_draft()) == {}
    profile = draft_to_profile(sc_draft())
    assert profile.endpoint == "https://sellercenter-api.linio.cl"
    assert profile.sellercenter_user_id == "ops@example.com"
    assert profile.marketplace_ids == ()


@pytest.mark.parametrize(
    ("draft", "field", "words"),
    [
        (mws_draft(name=""), "name", "needs a name"),
        (mws_draft(name="a:b"), "name", "invalid profile name"),
        (mws_draft(marketplace_id=""), "marketplace_id", "choose a marketplace"),
        (mws_draft(marketplace_id="bad id"), "marketplace_id", "invalid marketplace id"),
        (mws_draft(endpoint="ftp://x"), "endpoint", "not an http(s) URL"),
        (mws_draft(endpoint="http://mws.example.com"), "endpoint", "https"),
        (mws_draft(seller_id=""), "seller_id", "required"),
        (mws_draft(access_key_id="AKIA EXAMPLE"), "access_key_id", "spaces"),
        (mws_draft(seller_id="A" * 200), "seller_id", "longer than"),
        (sc_draft(endpoint=""), "endpoint", "choose the marketplace's API host"),
        (sc_draft(endpoint="http://sellercenter.example.com"), "endpoint", "https"),
        (sc_draft(sellercenter_user_id="ops"), "sellercenter_user_id", "not an e-mail"),
        (sc_draft(sellercenter_user_id=""), "sellercenter_user_id", "required"),
    ],
)
def test_every_bad_field_has_a_message_naming_it(
    draft: ProfileDraft, field: str, words: str
) -> None:
    problems = draft_problems(draft)
    assert field in problems, problems
    assert words in problems[field]
    assert "\n" not in problems[field]


def test_no_marketplace_does_not_also_blame_the_empty_endpoint() -> None:
    assert set(draft_problems(mws_draft(marketplace_id="", endpoint=""))) == {"marketplace_id"}


def test_a_taken_name_is_refused() -> None:
    assert "exists already" in draft_problems(mws_draft(), taken={"eu"})["name"]


def test_draft_to_profile_refuses_an_unchecked_draft() -> None:
    with pytest.raises(ConfigError):
        draft_to_profile(mws_draft(name="bad name"))


def test_secret_checks_never_show_the_value() -> None:
    problems = secret_problems(Service.MWS, {"secret_key": "has space", "auth_token": ""})
    assert problems == {
        "secret_key": "MWS secret key must not contain spaces or control characters"
    }
    assert (
        secret_problems(Service.SELLERCENTER, {})["api_key"] == "SellerCenter API key is required"
    )
    assert secret_problems(Service.MWS, {"secret_key": f" {SECRET} "}) == {}
    secrets = secrets_from(Service.MWS, {"secret_key": f" {SECRET} ", "auth_token": "  "})
    assert list(secrets) == ["secret_key"] and secrets["secret_key"].reveal() == SECRET


# -- storing -----------------------------------------------------------------------------


def memory_store() -> CredentialStore:
    return CredentialStore(backend=MemoryKeyring())


def test_add_profile_stores_the_secrets_then_the_profile() -> None:
    secrets = {"secret_key": Secret(SECRET), "auth_token": Secret(TOKEN)}
    settings = add_profile(draft_to_profile(mws_draft()), secrets, store=memory_store())
    assert settings == load_settings()
    assert settings.default_profile == "eu"  # the first profile is the default
    assert settings.profile("eu").secret_store is StoreKind.KEYRING
    assert MemoryKeyring.entries == {
        (SERVICE, "eu:secret_key"): SECRET,
        (SERVICE, "eu:auth_token"): TOKEN,
    }
    text = locations.config_file().read_text()
    assert SECRET not in text and TOKEN not in text

    second = add_profile(
        draft_to_profile(sc_draft()), {"api_key": Secret("k1")}, store=memory_store()
    )
    assert second.default_profile == "eu" and set(second.profiles) == {"eu", "linio"}
    third = add_profile(
        draft_to_profile(sc_draft(name="other")),
        {"api_key": Secret("k2")},
        store=memory_store(),
        make_default=True,
    )
    assert third.default_profile == "other"


def test_a_taken_name_needs_replace_and_a_left_out_token_is_dropped() -> None:
    profile = draft_to_profile(mws_draft())
    full = {"secret_key": Secret(SECRET), "auth_token": Secret(TOKEN)}
    add_profile(profile, full, store=memory_store())
    with pytest.raises(ConfigError, match="exists already"):
        add_profile(profile, {"secret_key": Secret("new")}, store=memory_store())
    assert MemoryKeyring.entries[(SERVICE, "eu:secret_key")] == SECRET
    add_profile(profile, {"secret_key": Secret("new")}, store=memory_store(), replace=True)
    assert MemoryKeyring.entries == {(SERVICE, "eu:secret_key"): "new"}


def test_a_missing_or_unknown_secret_stores_nothing() -> None:
    profile = draft_to_profile(mws_draft())
    with pytest.raises(CredentialError, match="no MWS secret key given"):
        add_profile(profile, {"auth_token": Secret(TOKEN)}, store=memory_store())
    with pytest.raises(ValueError, match="api_key"):
        add_profile(
            profile, {"secret_key": Secret(SECRET), "api_key": Secret("x")}, store=memory_store()
        )
    assert MemoryKeyring.entries == {} and not locations.config_file().exists()


def test_a_failing_keyring_stores_nothing() -> None:
    store = CredentialStore(backend=ExplodingKeyring())
    with pytest.raises(CredentialError) as caught:
        add_profile(draft_to_profile(mws_draft()), {"secret_key": Secret(SECRET)}, store=store)
    assert SECRET not in str(caught.value)
    assert not locations.config_file().exists()


def test_an_unwritable_config_takes_the_new_secrets_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def cannot_write(*_args: object) -> Path:
        raise ConfigError("cannot write config.toml: disk full")

    monkeypatch.setattr("mwstui.settings.new_profile.save_settings", cannot_write)
    with pytest.raises(ConfigError, match="cannot write"):
        add_profile(
            draft_to_profile(mws_draft()), {"secret_key": Secret(SECRET)}, store=memory_store()
        )
    assert MemoryKeyring.entries == {}


def test_the_encrypted_file_takes_the_passphrase_from_the_prompt() -> None:
    prompt = Prompt(PASS, PASS)
    store = CredentialStore(prompt=prompt, backend=fail.Keyring())
    kind = store.default_kind()
    assert kind is StoreKind.ENCRYPTED_FILE
    assert passphrase_need(store, kind) == "new"
    add_profile(draft_to_profile(mws_draft()), {"secret_key": Secret(SECRET)}, store=store)
    assert prompt.asked[0].startswith("New passphrase for")
    assert load_settings().profile().secret_store is StoreKind.ENCRYPTED_FILE
    assert SECRET not in locations.keyring_file().read_text()

    again = CredentialStore(prompt=Prompt(PASS), backend=fail.Keyring())
    assert passphrase_need(again, kind) == "unlock"
    assert again.get(kind, "eu", "secret_key") == Secret(SECRET)
    assert passphrase_need(again, kind, env={ENV_PASSPHRASE: PASS}) == "none"
    assert passphrase_need(memory_store(), StoreKind.KEYRING) == "none"


def test_a_sellercenter_draft_takes_an_optional_seller_id() -> None:
    from mwstui.settings.new_profile import draft_problems, draft_to_profile

    assert draft_to_profile(sc_draft()).sellercenter_seller_id is None
    assert draft_to_profile(sc_draft(sellercenter_seller_id=" SC99 ")).sellercenter_seller_id == (
        "SC99"
    )
    problems = draft_problems(sc_draft(sellercenter_seller_id="has space"))
    assert "spaces" in problems["sellercenter_seller_id"]
