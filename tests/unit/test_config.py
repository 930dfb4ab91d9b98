"""Settings and profiles: TOML round trip, validation with one-line errors, paths from env."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from mwstui.catalog import load_catalog
from mwstui.errors import ConfigError
from mwstui.settings import locations
from mwstui.settings.checks import check_endpoint
from mwstui.settings.config import Settings
from mwstui.settings.config_file import load_settings, save_settings
from mwstui.settings.profile import (
    Profile,
    Service,
    StoreKind,
    ThrottleOverride,
    governor_overrides,
)


@pytest.fixture(autouse=True)
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(locations.ENV_CONFIG_DIR, str(tmp_path / "config"))
    monkeypatch.setenv(locations.ENV_DATA_DIR, str(tmp_path / "data"))
    return tmp_path


def _mws(name: str = "eu", **kw: object) -> Profile:
    fields: dict[str, object] = {
        "name": name,
        "service": Service.MWS,
        "endpoint": "https://mws-eu.amazonservices.com",
        "region": "EU",
        "marketplace_ids": ("A1PA6795UKMFR9", "A13V1IB3VIYZZH"),
        "seller_id": "A2SELLER",
        "access_key_id": "AKIAEXAMPLE",
        "secret_store": StoreKind.ENCRYPTED_FILE,
    }
    fields.update(kw)
    return Profile(**fields)  # type: ignore[arg-type]


def _sc() -> Profile:
    return Profile(
        name="jumia-ng",
        service=Service.SELLERCENTER,
        endpoint="https://sellercenter-api.example.test",
        sellercenter_user_id="ops@example.com",
        read_only=True,
        ca_bundle="certs/ca.pem",
        throttle={"SellerCenter": ThrottleOverride(5, 2.0)},
    )


def _write(text: str) -> Path:
    path = locations.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_locations_follow_the_environment(dirs: Path) -> None:
    assert locations.config_file() == dirs / "config" / "config.toml"
    assert locations.journal_file().parent == dirs / "data"
    assert locations.keyring_file().parent == dirs / "data"
    assert locations.display_path(Path.home() / "x" / "y") == str(Path("~") / "x" / "y")


def test_round_trip_keeps_every_field() -> None:
    overrides = {"GetReportRequestList": ThrottleOverride(5, 60.0, 40)}
    settings = (
        Settings()
        .with_profile(_mws(throttle=overrides, read_only=True, verify_tls=False))
        .with_profile(_sc())
    )
    save_settings(settings)
    loaded = load_settings()
    assert loaded == settings
    assert loaded.default_profile == "eu"  # the first profile added becomes the default
    assert loaded.profile().name == "eu"
    assert loaded.profile("jumia-ng").host == "sellercenter-api.example.test"


def test_saved_file_is_private_and_holds_no_secret_field() -> None:
    path = save_settings(Settings().with_profile(_mws()))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text("utf-8")
    assert "secret_key" not in text and "api_key" not in text
    assert 'secret_store = "encrypted-file"' in text


def test_missing_file_is_an_empty_configuration() -> None:
    settings = load_settings()
    assert settings.profiles == {}
    with pytest.raises(ConfigError, match="no profile configured"):
        settings.profile()


def test_default_profile_follows_additions_and_removals() -> None:
    s = Settings().with_profile(_mws("a")).with_profile(_mws("b"))
    assert s.default_profile == "a"
    s = s.with_profile(_mws("c"), make_default=True)
    assert s.profile().name == "c"
    s = s.without_profile("c")
    assert s.default_profile is None
    with pytest.raises(ConfigError, match="pass --profile"):
        s.profile()
    with pytest.raises(ConfigError, match="no profile named 'zz'"):
        s.profile("zz")


def test_single_profile_needs_no_default() -> None:
    s = Settings(profiles={"only": _mws("only")})
    assert s.profile().name == "only"


BAD_FILES = {
    "not toml": ("profiles = [", "invalid TOML"),
    "unknown top key": ("colour = 1", "unknown setting 'colour'"),
    "bad service": (
        '[profiles.x]\nservice = "ebay"\nendpoint = "https://a.example"',
        "service must be",
    ),
    "mws without marketplaces": (
        '[profiles.x]\nservice = "mws"\nendpoint = "https://mws.amazonservices.com"',
        "needs marketplace_ids",
    ),
    "plain http": (
        '[profiles.x]\nservice = "sellercenter"\nendpoint = "http://api.example.com"',
        "must use https",
    ),
    "bad name": (
        '[profiles."a:b"]\nservice = "sellercenter"\nendpoint = "https://a.example"',
        "invalid profile name",
    ),
    "unknown bucket": (
        '[profiles.x]\nservice = "sellercenter"\nendpoint = "https://a.example"\n'
        "[profiles.x.throttle.GetReportList]\nmax_quota = 1\nrestore_seconds = 1",
        "unknown throttle bucket",
    ),
    "zero quota": (
        '[profiles.x]\nservice = "sellercenter"\nendpoint = "https://a.example"\n'
        "[profiles.x.throttle.SellerCenter]\nmax_quota = 0\nrestore_seconds = 1",
        "max_quota must be",
    ),
    "bad timeout": ("[keyring]\ntimeout = -1", "timeout must be"),
    "bad flag": (
        '[profiles.x]\nservice = "sellercenter"\nendpoint = "https://a.example"\nread_only = "yes"',
        "must be true or false",
    ),
    "bad store": (
        '[profiles.x]\nservice = "sellercenter"\nendpoint = "https://a.example"\n'
        'secret_store = "vault"',
        "secret_store must be one of",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_invalid_files_give_one_line_errors(case: str) -> None:
    text, expected = BAD_FILES[case]
    _write(text)
    with pytest.raises(ConfigError) as err:
        load_settings()
    message = str(err.value)
    assert expected in message
    assert "\n" not in message
    assert "config.toml" in message


def test_a_secret_in_the_file_is_refused_without_echoing_it() -> None:
    _write(
        '[profiles.x]\nservice = "mws"\nendpoint = "https://mws.amazonservices.com"\n'
        'marketplace_ids = ["ATVPDKIKX0DER"]\nsecret_key = "wJalrXUtnFEMI-SHOULD-NOT-ECHO"'
    )
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "holds a secret" in str(err.value)
    assert "SHOULD-NOT-ECHO" not in str(err.value)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://mws.amazonservices.com/", True),
        ("http://127.0.0.1:8080", True),
        ("http://localhost:9000", True),
        ("http://[::1]:9000", True),
        ("http://mws.amazonservices.com", False),
        ("https://user:pw@mws.amazonservices.com", False),
        ("https://mws.amazonservices.com/?a=b", False),
        ("ftp://mws.amazonservices.com", False),
        ("mws.amazonservices.com", False),
    ],
)
def test_endpoint_rules(url: str, ok: bool) -> None:
    if ok:
        assert not check_endpoint(url).endswith("/")
    else:
        with pytest.raises(ConfigError):
            check_endpoint(url)


def test_governor_overrides_keep_the_catalog_hourly_quota() -> None:
    op = load_catalog().operation("GetReportRequestList")
    profile = _mws(throttle={op.bucket: ThrottleOverride(3, 90.0)})
    over = governor_overrides(profile)[op.bucket]
    assert (over.capacity, over.restore_seconds) == (3, 90.0)
    assert over.hourly_quota == op.throttle.hourly_quota


def test_verify_uses_the_ca_bundle_when_given() -> None:
    assert _mws().verify is True
    assert _mws(verify_tls=False).verify is False
    assert str(_sc().verify).endswith("ca.pem")


def test_network_bounds_are_settings_with_safe_defaults(tmp_path: Path) -> None:
    from mwstui.settings.config import NetworkSettings
    from mwstui.settings.config_file import parse_settings, save_settings

    assert parse_settings({}).network == NetworkSettings(32, 60.0)
    s = parse_settings({"network": {"max_response_mb": 8, "deadline": 15}})
    assert s.network.max_response_bytes == 8 * 1024 * 1024 and s.network.deadline == 15
    path = save_settings(s, tmp_path / "config.toml")
    assert load_settings(path).network == s.network
    for bad in ({"deadline": 0}, {"max_response_mb": -1}, {"cap": 1}, {"deadline": "x"}):
        with pytest.raises(ConfigError, match=r"\[network\]"):
            parse_settings({"network": bad})


def test_the_session_factory_hands_the_bounds_to_both_clients() -> None:
    from mwstui.clock import FakeClock
    from mwstui.secret import Secret
    from mwstui.targets import MWSTarget, SellerCenterTarget
    from mwstui.wiring import build_session

    session = build_session(
        clock=FakeClock(),
        profile="p",
        mws=MWSTarget("https://mws.example.test", "AK", Secret("s" * 10), "A1", "ATVPDKIKX0DER"),
        sellercenter=SellerCenterTarget(
            "https://sc.example.test", "u@x.test", Secret("k" * 10), user_agent="S1/Python/3.11"
        ),
        bounds=(1024, 7.0),
    )
    assert session.mws is not None and session.sellercenter is not None
    assert (session.mws.max_response_bytes, session.mws.deadline) == (1024, 7.0)
    assert (session.sellercenter.max_response_bytes, session.sellercenter.deadline) == (1024, 7.0)
    assert session.sellercenter._http.headers["user-agent"] == "S1/Python/3.11"
