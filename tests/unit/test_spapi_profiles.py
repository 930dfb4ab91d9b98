"""SP-API profiles: config round trip, validation, environment overrides, ``profile add``."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from mwstui.errors import ConfigError, CredentialError
from mwstui.secret import Secret
from mwstui.settings import locations
from mwstui.settings.config import Settings
from mwstui.settings.config_file import load_settings, save_settings
from mwstui.settings.credential_store import SERVICE, CredentialStore
from mwstui.settings.credentials import resolve_credentials
from mwstui.settings.profile import Profile, Service, StoreKind
from tests.unit.test_credentials import ExplodingKeyring, MemoryKeyring
from tests.unit.test_profile_cmd import isolated, mwstui, one_line_error

__all__ = ["isolated"]  # the autouse fixture: tmp dirs and the in-memory keyring

CLIENT_ID = "amzn1.application-oa2-client.0123456789abcdef0123456789abcdef"
CLIENT_SECRET = "amzn1.oa2-cs.v1.3fd0c8b4e5a1f2e3d4c5b6a7980f1e2d3c4b5a69788f7e6d5c4b3a2918f7e6d5"
REFRESH = "Atzr|IwEBIA-refresh-token-EXAMPLE"
SP_ADD = [
    "profile",
    "add",
    "de",
    "--service",
    "spapi",
    "--region",
    "EU",
    "--marketplace",
    "A1PA6795UKMFR9",
    "--lwa-client-id",
    CLIENT_ID,
]
ENV_VARS = ("MWSTUI_SPAPI_CLIENT_ID", "MWSTUI_SPAPI_CLIENT_SECRET", "MWSTUI_SPAPI_REFRESH_TOKEN")


@pytest.fixture(autouse=True)
def no_spapi_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)


def spapi_profile(**kw: object) -> Profile:
    fields: dict[str, object] = {
        "name": "de",
        "service": Service.SPAPI,
        "endpoint": "https://sellingpartnerapi-eu.amazon.com",
        "region": "EU",
        "marketplace_ids": ("A1PA6795UKMFR9", "A13V1IB3VIYZZH"),
        "seller_id": "A2SELLER",
        "lwa_client_id": CLIENT_ID,
        "lwa_endpoint": "https://api.amazon.co.uk",
        "read_only": True,
        "secret_store": StoreKind.ENCRYPTED_FILE,
    }
    fields.update(kw)
    return Profile(**fields)  # type: ignore[arg-type]


# -- config.toml ---------------------------------------------------------------------------


def test_round_trip_keeps_every_spapi_field() -> None:
    profile = spapi_profile()
    save_settings(Settings().with_profile(profile))
    text = locations.config_file().read_text()
    assert 'service = "spapi"' in text and 'lwa_client_id = "amzn1.' in text
    assert load_settings().profile("de") == profile


def _write(body: str) -> None:
    path = locations.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, "utf-8")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('region = "EU"\nmarketplace_ids = ["ATVPDKIKX0DER"]', "(United States) is in region NA"),
        ('region = "XX"\nmarketplace_ids = ["A1PA6795UKMFR9"]', "unknown SP-API region 'XX'"),
        ('marketplace_ids = ["A1PA6795UKMFR9"]', "an SP-API profile needs a region"),
        ('region = "EU"', "an SP-API profile needs a marketplace id"),
        ('region = "EU"\nmarketplace_ids = ["AZZZZZZZZZZZZ"]', "not an SP-API marketplace"),
        ('region = "EU"\nmarketplace_ids = ["A1PA6795UKMFR9"]\nrefresh_token = "Atzr|x"', "secret"),
    ],
)
def test_invalid_spapi_tables_are_one_line(extra: str, message: str) -> None:
    _write(
        '[profiles.de]\nservice = "spapi"\n'
        f'endpoint = "https://sellingpartnerapi-eu.amazon.com"\n{extra}\n'
    )
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert message in str(info.value) and "\n" not in str(info.value)
    assert "Atzr|x" not in str(info.value)


def test_region_is_read_in_any_case_and_kept_upper() -> None:
    _write(
        '[profiles.de]\nservice = "spapi"\nendpoint = "https://sellingpartnerapi-eu.amazon.com"\n'
        'region = "eu"\nmarketplace_ids = ["A1PA6795UKMFR9"]\n'
        "[profiles.de.throttle.getReports]\nmax_quota = 10\nrestore_seconds = 45.0\n"
    )
    profile = load_settings().profile("de")
    assert profile.region == "EU" and set(profile.throttle) == {"getReports"}


# -- credentials -------------------------------------------------------------------------


def test_secrets_come_from_the_keyring_with_their_source() -> None:
    store = CredentialStore(backend=MemoryKeyring())
    store.set(StoreKind.KEYRING, "de", "lwa_client_secret", Secret(CLIENT_SECRET))
    store.set(StoreKind.KEYRING, "de", "refresh_token", Secret(REFRESH))
    creds = resolve_credentials(spapi_profile(secret_store=StoreKind.KEYRING), store, env={})
    assert creds.lwa_client_id == CLIENT_ID and creds.source_of("lwa_client_id") == "config"
    assert creds.lwa_client_secret is not None
    assert creds.lwa_client_secret.reveal() == CLIENT_SECRET
    assert creds.refresh_token is not None and creds.refresh_token.reveal() == REFRESH
    assert CLIENT_SECRET not in repr(creds) and REFRESH not in repr(creds)


def test_environment_gives_every_secret_and_the_keyring_is_untouched() -> None:
    env = {
        "MWSTUI_SPAPI_CLIENT_ID": "amzn1.application-oa2-client.fromenv",
        "MWSTUI_SPAPI_CLIENT_SECRET": CLIENT_SECRET,
        "MWSTUI_SPAPI_REFRESH_TOKEN": REFRESH,
    }
    store = CredentialStore(backend=ExplodingKeyring())
    creds = resolve_credentials(spapi_profile(secret_store=StoreKind.KEYRING), store, env=env)
    assert creds.lwa_client_id == "amzn1.application-oa2-client.fromenv"
    assert creds.source_of("lwa_client_id") == "env MWSTUI_SPAPI_CLIENT_ID"
    assert creds.summary() == "env MWSTUI_SPAPI_CLIENT_SECRET + env MWSTUI_SPAPI_REFRESH_TOKEN"


def test_each_value_is_overridden_separately() -> None:
    MemoryKeyring.reads = 0
    store = CredentialStore(backend=MemoryKeyring())
    store.set(StoreKind.KEYRING, "de", "lwa_client_secret", Secret(CLIENT_SECRET))
    store.set(StoreKind.KEYRING, "de", "refresh_token", Secret("Atzr|stored"))
    env = {"MWSTUI_SPAPI_REFRESH_TOKEN": REFRESH}
    creds = resolve_credentials(spapi_profile(secret_store=StoreKind.KEYRING), store, env=env)
    assert creds.refresh_token is not None and creds.refresh_token.reveal() == REFRESH
    assert creds.lwa_client_secret is not None
    assert creds.lwa_client_secret.reveal() == CLIENT_SECRET
    assert creds.source_of("lwa_client_secret") == store.label(StoreKind.KEYRING)


def test_a_missing_refresh_token_names_its_variable() -> None:
    store = CredentialStore(backend=MemoryKeyring())
    store.set(StoreKind.KEYRING, "de", "lwa_client_secret", Secret(CLIENT_SECRET))
    with pytest.raises(CredentialError, match=r"LWA refresh token.*MWSTUI_SPAPI_REFRESH_TOKEN"):
        resolve_credentials(spapi_profile(secret_store=StoreKind.KEYRING), store, env={})
    with pytest.raises(CredentialError, match="--lwa-client-id or set MWSTUI_SPAPI_CLIENT_ID"):
        resolve_credentials(spapi_profile(lwa_client_id=None), store, env={})


# -- mwstui profile add / list / remove -----------------------------------------------------


def test_add_list_remove_an_spapi_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert mwstui([*SP_ADD, "--secret-stdin"], stdin=f"{CLIENT_SECRET}\n{REFRESH}\n") == 0
    out, err = capsys.readouterr()
    assert "Profile 'de' saved (spapi" in out and "LWA client secret, LWA refresh token" in out
    assert CLIENT_SECRET not in out + err and REFRESH not in out + err
    assert MemoryKeyring.entries[(SERVICE, "de:lwa_client_secret")] == CLIENT_SECRET
    assert MemoryKeyring.entries[(SERVICE, "de:refresh_token")] == REFRESH
    p = load_settings().profile("de")
    assert (p.service, p.region, p.endpoint) == (
        Service.SPAPI,
        "EU",
        "https://sellingpartnerapi-eu.amazon.com",
    )
    assert (p.marketplace_ids, p.lwa_client_id, p.seller_id) == (
        ("A1PA6795UKMFR9",),
        CLIENT_ID,
        None,
    )
    text = locations.config_file().read_text()
    assert CLIENT_SECRET not in text and REFRESH not in text

    assert mwstui(["profile", "list"]) == 0
    out, _ = capsys.readouterr()
    assert f"* de  spapi  seller -, client {CLIENT_ID}  EU sellingpartnerapi-eu" in out
    assert "LWA refresh token: keyring (tests.unit.test_credentials.MemoryKeyring)" in out
    assert CLIENT_SECRET not in out and REFRESH not in out

    assert mwstui(["profile", "remove", "de"]) == 0
    assert "2 secret(s) deleted" in capsys.readouterr().out
    assert MemoryKeyring.entries == {}


def test_add_asks_for_both_secrets_hidden(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from mwstui.commands import profile

    answers = {"LWA client secret: ": CLIENT_SECRET, "LWA refresh token: ": REFRESH}
    asked: list[str] = []

    def hidden(prompt: str) -> str:
        asked.append(prompt)
        return answers[prompt]

    monkeypatch.setattr(profile, "ask_hidden", hidden)
    argv = [*SP_ADD, "--seller-id", "A2SELLER", "--endpoint", "http://127.0.0.1:9"]
    assert mwstui([*argv, "--lwa-endpoint", "http://127.0.0.1:9"]) == 0
    assert asked == list(answers)
    p = load_settings().profile("de")
    assert (p.seller_id, p.endpoint, p.lwa_endpoint) == (
        "A2SELLER",
        "http://127.0.0.1:9",
        "http://127.0.0.1:9",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--region": "NA"}, "marketplace A1PA6795UKMFR9 (Germany) is in region EU, not NA"),
        ({"--region": "XX"}, "unknown SP-API region 'XX' (one of NA, EU, FE)"),
        ({"--marketplace": "AZZZZZZZZZZZZ"}, "AZZZZZZZZZZZZ is not an SP-API marketplace id"),
        ({"--lwa-client-id": "client"}, "--lwa-client-id must look like amzn1.application-oa2"),
        ({"--lwa-client-id": ""}, "an SP-API profile needs --lwa-client-id"),
        ({"--region": ""}, "an SP-API profile needs --region"),
        ({"--access-key": "AKIA"}, "--access-key does not apply to an SP-API profile"),
        ({"--endpoint": "http://example.com"}, "must use https"),
    ],
)
def test_spapi_flag_problems_are_one_line_and_store_nothing(
    change: dict[str, str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = list(SP_ADD)
    for flag, value in change.items():
        if flag in argv:
            argv[argv.index(flag) + 1] = value
        else:
            argv += [flag, value]
    assert mwstui([*argv, "--secret-stdin"], stdin=f"{CLIENT_SECRET}\n{REFRESH}\n") == 2
    err = one_line_error(capsys.readouterr().err)
    assert message in err
    assert MemoryKeyring.entries == {} and not locations.config_file().exists()


def test_a_missing_refresh_token_on_stdin_stores_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert mwstui([*SP_ADD, "--secret-stdin"], stdin=f"{CLIENT_SECRET}\n") == 1
    assert "no LWA refresh token given on standard input" in capsys.readouterr().err
    assert MemoryKeyring.entries == {} and not locations.config_file().exists()


def test_the_dashboard_opens_on_an_spapi_profile_beside_the_others(tmp_path: Path) -> None:
    from mwstui.clock import FakeClock
    from mwstui.dashboard import ProfileLauncher
    from mwstui.journal.store import Journal
    from tests.unit.test_profile_cmd import MWS_ADD, SECRET

    assert mwstui([*SP_ADD, "--secret-stdin"], stdin=f"{CLIENT_SECRET}\n{REFRESH}\n") == 0
    assert mwstui([*MWS_ADD, "--secret-stdin"], stdin=f"{SECRET}\n\n") == 0
    launcher = ProfileLauncher(argparse.Namespace(read_only=False, profile=None, sandbox=False))
    with Journal(tmp_path / "j.db", FakeClock(0.0)) as journal:
        session = launcher._session("eu", FakeClock(0.0), journal)
        assert session.mws is not None and session.sellercenter is None
        sp = launcher._session("de", FakeClock(0.0), journal)
        assert sp.mws is None and sp.spapi is not None
        assert sp.spapi.profile == "de" and sp.spapi.region.region == "EU"
        account = sp.backends.reports.account if sp.backends.reports else None
        assert account is not None and account.service == "spapi" and account.region == "EU"
        assert account.profile == "de" and account.marketplace == "A1PA6795UKMFR9"
        assert "keyring" in account.credential_source
