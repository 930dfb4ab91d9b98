"""``mwstui profile`` and ``mwstui journal``: through the argparse they register, with tmp dirs."""

from __future__ import annotations

import argparse
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyrings.cryptfile.cryptfile import CryptFileKeyring

from mwstui.clock import FakeClock
from mwstui.commands import journal_cmd, profile
from mwstui.journal.store import Journal
from mwstui.settings import locations
from mwstui.settings.config_file import load_settings
from mwstui.settings.credential_store import ENV_PASSPHRASE, SERVICE
from mwstui.settings.profile import StoreKind
from tests.unit.test_credentials import HangingKeyring, MemoryKeyring

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
TOKEN = "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE"
PASS = "correct horse battery staple"
MEMORY = f"{MemoryKeyring.__module__}.MemoryKeyring"
MWS_ADD = [
    "profile",
    "add",
    "eu",
    "--marketplace",
    "A1PA6795UKMFR9",
    "--seller-id",
    "A2SELLER",
    "--access-key",
    "AKIAEXAMPLE",
    "--service",
    "mws",
]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(locations.ENV_CONFIG_DIR, str(tmp_path / "config"))
    monkeypatch.setenv(locations.ENV_DATA_DIR, str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", MEMORY)
    for var in (
        ENV_PASSPHRASE,
        "MWSTUI_MWS_ACCESS_KEY",
        "MWSTUI_MWS_SECRET_KEY",
        "MWSTUI_MWS_AUTH_TOKEN",
        "MWSTUI_MWS_SELLER_ID",
        "MWSTUI_SC_USER_ID",
        "MWSTUI_SC_API_KEY",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(CryptFileKeyring, "time_cost", 1)
    monkeypatch.setattr(CryptFileKeyring, "memory_cost", 64)
    MemoryKeyring.entries.clear()
    yield tmp_path
    HangingKeyring.release.set()
    HangingKeyring.release = threading.Event()


def mwstui(argv: list[str], stdin: str | None = None) -> int:
    """Parse like the CLI does (with the parsers the commands register) and run."""
    parser = argparse.ArgumentParser(prog="mwstui")
    sub = parser.add_subparsers(dest="command")
    profile.add_arguments(sub)
    journal_cmd.add_arguments(sub)
    args = parser.parse_args(argv)
    if stdin is not None:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr("sys.stdin", io.StringIO(stdin))
            return int(args.handler(args))
    return int(args.handler(args))


def one_line_error(err: str) -> str:
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    return err


# -- add / list / remove with a test keyring ---------------------------------------------


def test_add_list_remove_with_the_keyring(capsys: pytest.CaptureFixture[str]) -> None:
    assert mwstui([*MWS_ADD, "--secret-stdin"], stdin=f"{SECRET}\n{TOKEN}\n") == 0
    out, err = capsys.readouterr()
    assert "Profile 'eu' saved" in out and SECRET not in out + err
    assert MemoryKeyring.entries[(SERVICE, "eu:secret_key")] == SECRET
    assert MemoryKeyring.entries[(SERVICE, "eu:auth_token")] == TOKEN
    settings = load_settings()
    p = settings.profile()
    assert (p.name, p.endpoint, p.region) == ("eu", "https://mws-eu.amazonservices.com", "EU")
    assert p.secret_store is StoreKind.KEYRING
    text = locations.config_file().read_text()
    assert SECRET not in text and TOKEN not in text

    assert mwstui(["profile", "list"]) == 0
    out, _ = capsys.readouterr()
    assert "* eu  mws  seller A2SELLER" in out
    assert "MWS secret key: keyring (tests.unit.test_credentials.MemoryKeyring)" in out
    assert SECRET not in out and TOKEN not in out

    assert mwstui(["profile", "remove", "eu"]) == 0
    assert "2 secret(s) deleted" in capsys.readouterr().out
    assert MemoryKeyring.entries == {}
    assert load_settings().profiles == {}


def test_add_asks_with_hidden_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asked: list[str] = []

    def hidden(prompt: str) -> str:
        asked.append(prompt)
        return {"SellerCenter API key: ": "b1bdb357ced10fe4"}[prompt]

    monkeypatch.setattr(profile, "ask_hidden", hidden)
    argv = ["profile", "add", "ng", "--service", "sellercenter", "--sc-host"]
    argv += ["sellercenter-api.example.test", "--sc-user", "ops@example.com", "--read-only"]
    assert mwstui(argv) == 0
    assert asked == ["SellerCenter API key: "]
    p = load_settings().profile("ng")
    assert p.endpoint == "https://sellercenter-api.example.test" and p.read_only
    assert MemoryKeyring.entries[(SERVICE, "ng:api_key")] == "b1bdb357ced10fe4"


def test_list_shows_env_overrides_and_missing_secrets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    assert mwstui([*MWS_ADD, "--secret-stdin"], stdin=f"{SECRET}\n\n") == 0
    monkeypatch.setenv("MWSTUI_MWS_SECRET_KEY", "from-env")
    monkeypatch.delenv(ENV_PASSPHRASE)
    capsys.readouterr()
    assert mwstui(["profile", "list"]) == 0
    out = capsys.readouterr().out
    assert "MWS secret key: env MWSTUI_MWS_SECRET_KEY (overrides the encrypted-file)" in out
    assert "MWS auth token: not set" in out
    assert "from-env" not in out


# -- no keyring: fail backend → encrypted file -------------------------------------------


def test_fail_backend_stores_in_the_encrypted_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    assert mwstui([*MWS_ADD, "--secret-stdin"], stdin=f"{SECRET}\n") == 0
    assert load_settings().profile().secret_store is StoreKind.ENCRYPTED_FILE
    path = locations.keyring_file()
    assert path.exists() and SECRET not in path.read_text()
    assert "encrypted file" in capsys.readouterr().out

    monkeypatch.delenv(ENV_PASSPHRASE)  # listing and removing need no passphrase
    assert mwstui(["profile", "list"]) == 0
    assert "MWS secret key: encrypted file" in capsys.readouterr().out
    assert "(stored)" in mwstui_out(["profile", "list"], capsys)
    assert mwstui(["profile", "remove", "eu"]) == 0
    assert "1 secret(s) deleted" in capsys.readouterr().out


def mwstui_out(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert mwstui(argv) == 0
    return capsys.readouterr().out


def test_wrong_passphrase_is_one_line_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    assert mwstui([*MWS_ADD, "--secret-stdin"], stdin=f"{SECRET}\n") == 0
    capsys.readouterr()
    monkeypatch.setenv(ENV_PASSPHRASE, "wrong")
    argv = [*MWS_ADD, "--secret-stdin", "--replace", "--seller-id", "OTHER"]
    assert mwstui(argv, stdin="new-secret\n") == 1
    err = one_line_error(capsys.readouterr().err)
    assert "wrong keyring passphrase" in err
    assert load_settings().profile().seller_id == "A2SELLER"


def test_plaintext_only_when_asked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    argv = [*MWS_ADD, "--secret-stdin", "--plaintext-keyring"]
    assert mwstui(argv, stdin=f"{SECRET}\n") == 0
    assert "UNENCRYPTED" in capsys.readouterr().err
    assert load_settings().profile().secret_store is StoreKind.PLAINTEXT_FILE
    assert not locations.keyring_file().exists()


def test_without_a_terminal_or_passphrase_nothing_is_stored(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    assert mwstui([*MWS_ADD, "--secret-stdin"], stdin=f"{SECRET}\n") == 1  # stdin is no tty
    assert ENV_PASSPHRASE in one_line_error(capsys.readouterr().err)
    assert load_settings().profiles == {}
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", MEMORY)
    assert mwstui(MWS_ADD, stdin="") == 1  # hidden input needs a terminal
    assert "--secret-stdin" in one_line_error(capsys.readouterr().err)
    assert load_settings().profiles == {} and MemoryKeyring.entries == {}


def test_a_hanging_keyring_does_not_hang_the_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = locations.config_file()
    cfg.parent.mkdir(parents=True)
    cfg.write_text("[keyring]\ntimeout = 0.05\n")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", f"{HangingKeyring.__module__}.HangingKeyring")
    assert mwstui([*MWS_ADD, "--secret-stdin"], stdin=f"{SECRET}\n") == 1
    assert "did not answer" in one_line_error(capsys.readouterr().err)
    assert load_settings().profiles == {}


# -- errors without tracebacks -----------------------------------------------------------


def test_missing_config_is_not_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert mwstui(["profile", "list"]) == 0
    assert "No profiles" in capsys.readouterr().out
    assert mwstui(["profile", "remove", "nope"]) == 1
    assert "no profile named 'nope'" in one_line_error(capsys.readouterr().err)


def test_a_broken_config_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    cfg = locations.config_file()
    cfg.parent.mkdir(parents=True)
    cfg.write_text("[profiles.eu\n")
    assert mwstui(["profile", "list"]) == 1
    assert "invalid TOML" in one_line_error(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["profile", "add", "x", "--service", "mws", "--seller-id", "S"], "--marketplace"),
        ([*MWS_ADD[:3], "--service", "mws", "--marketplace", "A1PA6795UKMFR9"], "--seller-id"),
        ([*MWS_ADD, "--sc-user", "u@x"], "does not apply"),
        ([*MWS_ADD, "--region", "NA"], "does not match"),
        (["profile", "add", "a:b", *MWS_ADD[3:]], "invalid profile name"),
        (["profile", "add", "x", "--marketplace", "ZZZZZZZZZ", *MWS_ADD[5:]], "--endpoint"),
        ([*MWS_ADD, "--endpoint", "http://mws.example.com"], "https"),
        (["profile", "add", "x", "--service", "sellercenter", "--sc-user", "u@x"], "--sc-host"),
        ([*MWS_ADD, "--ca-bundle", "no/such/ca.pem"], "no such file"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert mwstui(argv, stdin=f"{SECRET}\n") == 2
    assert message in one_line_error(capsys.readouterr().err)
    assert MemoryKeyring.entries == {}


def test_existing_profile_needs_replace(capsys: pytest.CaptureFixture[str]) -> None:
    assert mwstui([*MWS_ADD, "--secret-stdin"], stdin=f"{SECRET}\n{TOKEN}\n") == 0
    assert mwstui([*MWS_ADD, "--secret-stdin"], stdin="other\n") == 1
    assert "--replace" in one_line_error(capsys.readouterr().err)
    assert mwstui([*MWS_ADD, "--secret-stdin", "--replace"], stdin="other\n\n") == 0
    assert MemoryKeyring.entries == {(SERVICE, "eu:secret_key"): "other"}  # old token dropped


def test_unknown_marketplace_with_endpoint_is_accepted(isolated: Path) -> None:
    ca = isolated / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    argv = ["profile", "add", "x", "--marketplace", "ZZZZZZZZZ", *MWS_ADD[5:]]
    argv += ["--endpoint", "http://127.0.0.1:8765", "--secret-stdin", "--ca-bundle", str(ca)]
    assert mwstui(argv, stdin=f"{SECRET}\n") == 0
    p = load_settings().profile("x")
    assert (p.endpoint, p.verify) == ("http://127.0.0.1:8765", str(ca))


# -- mwstui journal ----------------------------------------------------------------------


def test_journal_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert mwstui(["journal"]) == 0
    assert "No mutating calls" in capsys.readouterr().out
    with Journal(locations.journal_file(), FakeClock()) as j:
        a = j.record_intent(
            profile="eu",
            service="mws",
            account="A2SELLER",
            operation="CancelReportRequests",
            params={},
            items=["1", "2", "3", "4"],
        )
        j.record_outcome(a, status="error", error_code="E1", error_message="bad\x1b[31mred")
        b = j.record_intent(
            profile="ng",
            service="sellercenter",
            account="ops@example.com",
            operation="SetStatusToCanceled",
            params={},
            items=["OI-9"],
        )
        j.record_outcome(b, status="unknown")
    assert mwstui(["journal"]) == 0
    out = capsys.readouterr().out
    assert "CancelReportRequests" in out and "1 2 3 +1" in out
    assert "\x1b" not in out and "bad\\x1b[31mred" in out
    assert "UNKNOWN" in out
    assert mwstui(["journal", "--unknown"]) == 0
    out = capsys.readouterr().out
    assert "SetStatusToCanceled" in out and "CancelReportRequests" not in out
    assert mwstui(["journal", "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("id,created_at,profile") and len(lines) == 3


def test_a_corrupt_journal_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    path = locations.journal_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage" * 500)
    assert mwstui(["journal"]) == 1
    assert "journal" in one_line_error(capsys.readouterr().err)


def test_a_sellercenter_seller_id_is_saved_for_the_user_agent(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["profile", "add", "fala", "--service", "sellercenter", "--sc-host"]
    argv += ["sellercenter-api.falabella.com", "--sc-user", "ops@example.com"]
    argv += ["--sc-seller-id", "SC1234", "--secret-stdin"]
    assert mwstui(argv, stdin="key\n") == 0
    assert load_settings().profile("fala").sellercenter_seller_id == "SC1234"
    capsys.readouterr()
    assert mwstui([*MWS_ADD, "--sc-seller-id", "X", "--secret-stdin"], stdin=f"{SECRET}\n") == 2
    assert "--sc-seller-id does not apply to a MWS profile" in capsys.readouterr().err


def test_ctrl_c_while_adding_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(prompt: str) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(profile, "ask_hidden", interrupted)
    assert mwstui(MWS_ADD) == 130
    assert "interrupted; nothing more was changed" in capsys.readouterr().err
    assert "eu" not in load_settings().profiles
