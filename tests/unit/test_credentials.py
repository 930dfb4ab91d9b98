"""Keyring store and provider chain: OS keyring, fail backend → encrypted file, env overrides."""

from __future__ import annotations

import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import keyring.backend
import pytest
from keyring.backends import fail, null
from keyring.errors import PasswordDeleteError
from keyrings.cryptfile.cryptfile import CryptFileKeyring
from keyrings.cryptfile.file import PlaintextKeyring

from mwstui.errors import CredentialError
from mwstui.secret import Secret
from mwstui.settings import locations
from mwstui.settings.credential_store import ENV_PASSPHRASE, SERVICE, CredentialStore
from mwstui.settings.credentials import open_store, resolve_credentials
from mwstui.settings.keyring_backends import classify
from mwstui.settings.profile import Profile, Service, StoreKind

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
TOKEN = "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE"
PASS = "correct horse battery staple"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An "OS keyring" that lives in a class-level dict (shared by every instance)."""

    priority = 1  # type: ignore[assignment]
    entries: ClassVar[dict[tuple[str, str], str]] = {}
    reads: ClassVar[int] = 0

    def get_password(self, service: str, username: str) -> str | None:
        MemoryKeyring.reads += 1
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class ExplodingKeyring(keyring.backend.KeyringBackend):
    """Fails every call, with the secret in its message (which must never be shown)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError(f"dbus broke\nwhile holding {SECRET}")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("dbus broke")


class HangingKeyring(keyring.backend.KeyringBackend):
    """Never answers until the test releases it."""

    priority = 1  # type: ignore[assignment]
    release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait()


class GetpassFileKeyring(keyring.backend.KeyringBackend):
    """A file backend that would prompt by itself (like keyrings.alt's EncryptedKeyring)."""

    priority = 0.6  # type: ignore[assignment]
    file_path = "kr.cfg"
    keyring_key = None

    def get_password(self, service: str, username: str) -> str | None:
        raise AssertionError("must not be used")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("must not be used")


# Test backends are used only when named; keep them out of keyring's auto-detection,
# which every later test in this process (any file) would otherwise see.
for _cls in (MemoryKeyring, ExplodingKeyring, HangingKeyring, GetpassFileKeyring):
    keyring.backend.KeyringBackend._classes.discard(_cls)  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every path in tmp_path; no keyring settings leak in; Argon2 made cheap for speed."""
    monkeypatch.setenv(locations.ENV_CONFIG_DIR, str(tmp_path / "config"))
    monkeypatch.setenv(locations.ENV_DATA_DIR, str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    for var in (
        "PYTHON_KEYRING_BACKEND",
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
    MemoryKeyring.reads = 0
    yield tmp_path
    HangingKeyring.release.set()
    HangingKeyring.release = threading.Event()


def mws_profile(store: StoreKind = StoreKind.KEYRING) -> Profile:
    return Profile(
        name="eu",
        service=Service.MWS,
        endpoint="https://mws-eu.amazonservices.com",
        marketplace_ids=("A1PA6795UKMFR9",),
        seller_id="A2SELLER",
        access_key_id="AKIAEXAMPLE",
        secret_store=store,
    )


class Prompt:
    """A scripted hidden-input callback that records what it was asked."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, text: str) -> str:
        self.asked.append(text)
        return self.answers.pop(0)


# -- backend choice ----------------------------------------------------------------------


def test_os_keyring_stores_gets_and_deletes() -> None:
    store = CredentialStore(backend=MemoryKeyring())
    assert store.default_kind() is StoreKind.KEYRING
    store.set(StoreKind.KEYRING, "eu", "secret_key", Secret(SECRET))
    assert MemoryKeyring.entries[(SERVICE, "eu:secret_key")] == SECRET
    got = store.get(StoreKind.KEYRING, "eu", "secret_key")
    assert got is not None and got.reveal() == SECRET
    assert store.delete(StoreKind.KEYRING, "eu", "secret_key") is True
    assert store.delete(StoreKind.KEYRING, "eu", "secret_key") is False
    assert store.get(StoreKind.KEYRING, "eu", "secret_key") is None
    assert store.label(StoreKind.KEYRING).startswith("keyring (")


def test_python_keyring_backend_variable_is_respected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", f"{__name__}.MemoryKeyring")
    info = CredentialStore().keyring_info()
    assert (info.kind, info.origin) == ("os", "PYTHON_KEYRING_BACKEND")
    assert "MemoryKeyring" in info.label


def test_keyringrc_cfg_is_respected(isolated: Path) -> None:
    rc = isolated / "xdg-config" / "python_keyring" / "keyringrc.cfg"
    rc.parent.mkdir(parents=True)
    rc.write_text(f"[backend]\ndefault-keyring={__name__}.MemoryKeyring\n")
    info = CredentialStore().keyring_info()
    assert (info.kind, info.origin) == ("os", "keyringrc.cfg")


def test_an_unloadable_backend_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "no.such.Backend")
    with pytest.raises(CredentialError) as err:
        CredentialStore().default_kind()
    assert "PYTHON_KEYRING_BACKEND" in str(err.value)
    assert "\n" not in str(err.value)


def test_detection_ignores_file_plugins_and_picks_a_real_keyring(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plugins = [CryptFileKeyring(), PlaintextKeyring(), fail.Keyring()]
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: plugins)
    assert CredentialStore().keyring_info().kind == "none"
    assert CredentialStore().default_kind() is StoreKind.ENCRYPTED_FILE
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: [*plugins, MemoryKeyring()])
    info = CredentialStore().keyring_info()
    assert (info.kind, info.origin) == ("os", "detected")


def test_classify() -> None:
    assert classify(fail.Keyring()) == "none"
    assert classify(null.Keyring()) == "none"
    assert classify(MemoryKeyring()) == "os"
    assert classify(CryptFileKeyring()) == "encrypted-file"
    assert classify(PlaintextKeyring()) == "plaintext"
    assert classify(GetpassFileKeyring()) == "unsupported"


def test_a_configured_plaintext_backend_needs_consent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.cryptfile.file.PlaintextKeyring")
    with pytest.raises(CredentialError, match="plaintext"):
        CredentialStore().default_kind()
    with pytest.raises(CredentialError, match="plaintext"):
        CredentialStore().set(StoreKind.KEYRING, "eu", "secret_key", Secret(SECRET))
    assert CredentialStore(allow_plaintext=True).default_kind() is StoreKind.KEYRING


def test_a_backend_that_prompts_by_itself_is_refused() -> None:
    with pytest.raises(CredentialError, match="cannot unlock"):
        CredentialStore(backend=GetpassFileKeyring()).default_kind()


# -- no keyring: the encrypted file ------------------------------------------------------


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()])
def test_no_keyring_means_the_encrypted_file(
    backend: keyring.backend.KeyringBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    store = CredentialStore(backend=backend)
    kind = store.default_kind()
    assert kind is StoreKind.ENCRYPTED_FILE
    store.set(kind, "eu", "secret_key", Secret(SECRET))
    path = locations.keyring_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert SECRET not in path.read_text()
    assert store.label(kind) == f"encrypted file {locations.display_path(path)}"
    # A new process (new store) with the same passphrase reads it back.
    again = CredentialStore(backend=backend).get(kind, "eu", "secret_key")
    assert again is not None and again.reveal() == SECRET


def test_fail_backend_via_environment_goes_to_the_encrypted_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    prompt = Prompt(PASS, PASS)
    store = open_store(prompt)
    assert store.default_kind() is StoreKind.ENCRYPTED_FILE
    store.set(StoreKind.ENCRYPTED_FILE, "eu", "secret_key", Secret(SECRET))
    assert [p.split(" for ")[0] for p in prompt.asked] == [
        "New passphrase",
        "Repeat the new passphrase: ",
    ]
    store.set(StoreKind.ENCRYPTED_FILE, "eu", "auth_token", Secret(TOKEN))
    assert len(prompt.asked) == 2  # unlocked once per store


def test_wrong_passphrase_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    CredentialStore().set(StoreKind.ENCRYPTED_FILE, "eu", "secret_key", Secret(SECRET))
    monkeypatch.setenv(ENV_PASSPHRASE, "not it")
    with pytest.raises(CredentialError) as err:
        CredentialStore().get(StoreKind.ENCRYPTED_FILE, "eu", "secret_key")
    assert str(err.value).startswith("wrong keyring passphrase")
    assert "\n" not in str(err.value) and PASS not in str(err.value)


def test_prompted_passphrase_gets_three_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    CredentialStore().set(StoreKind.ENCRYPTED_FILE, "eu", "secret_key", Secret(SECRET))
    monkeypatch.delenv(ENV_PASSPHRASE)
    ok = Prompt("typo", PASS)
    got = CredentialStore(prompt=ok).get(StoreKind.ENCRYPTED_FILE, "eu", "secret_key")
    assert got is not None and got.reveal() == SECRET
    assert len(ok.asked) == 2
    bad = Prompt("a", "b", "c", "never asked")
    with pytest.raises(CredentialError, match="wrong keyring passphrase"):
        CredentialStore(prompt=bad).get(StoreKind.ENCRYPTED_FILE, "eu", "secret_key")
    assert len(bad.asked) == 3


@pytest.mark.parametrize(
    ("answers", "message"),
    [(("one", "two"), "did not match"), (("  ", "  "), "empty passphrase")],
)
def test_new_passphrase_must_match_and_not_be_blank(answers: tuple[str, ...], message: str) -> None:
    store = CredentialStore(prompt=Prompt(*answers))
    with pytest.raises(CredentialError, match=message):
        store.set(StoreKind.ENCRYPTED_FILE, "eu", "secret_key", Secret(SECRET))
    assert not CredentialStore().has(StoreKind.ENCRYPTED_FILE, "eu", "secret_key")


def test_no_prompt_and_no_variable_says_what_to_set() -> None:
    with pytest.raises(CredentialError, match=ENV_PASSPHRASE):
        CredentialStore().set(StoreKind.ENCRYPTED_FILE, "eu", "secret_key", Secret(SECRET))

    def no_terminal(_: str) -> str:
        raise EOFError

    with pytest.raises(CredentialError, match=ENV_PASSPHRASE):
        CredentialStore(prompt=no_terminal).unlock(StoreKind.ENCRYPTED_FILE)


def test_presence_and_deletion_need_no_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    CredentialStore().set(StoreKind.ENCRYPTED_FILE, "eu", "secret_key", Secret(SECRET))
    monkeypatch.delenv(ENV_PASSPHRASE)
    never = Prompt()  # pops from an empty list if ever called
    store = CredentialStore(prompt=never)
    assert store.has(StoreKind.ENCRYPTED_FILE, "eu", "secret_key") is True
    assert store.has(StoreKind.ENCRYPTED_FILE, "eu", "auth_token") is False
    assert store.get(StoreKind.ENCRYPTED_FILE, "eu", "auth_token") is None
    assert store.delete(StoreKind.ENCRYPTED_FILE, "eu", "secret_key") is True
    assert store.has(StoreKind.ENCRYPTED_FILE, "eu", "secret_key") is False
    assert never.asked == []


def test_plaintext_file_only_with_explicit_consent() -> None:
    refused = CredentialStore(backend=fail.Keyring())
    assert refused.default_kind() is StoreKind.ENCRYPTED_FILE
    with pytest.raises(CredentialError, match="plaintext"):
        refused.set(StoreKind.PLAINTEXT_FILE, "eu", "secret_key", Secret(SECRET))
    assert not locations.plaintext_keyring_file().exists()
    store = CredentialStore(backend=fail.Keyring(), allow_plaintext=True)
    kind = store.default_kind()
    assert kind is StoreKind.PLAINTEXT_FILE
    store.set(kind, "eu", "secret_key", Secret(SECRET))
    path = locations.plaintext_keyring_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # Reading back what the user chose to store needs no consent again.
    got = CredentialStore().get(kind, "eu", "secret_key")
    assert got is not None and got.reveal() == SECRET


def test_profile_in_os_keyring_on_a_machine_without_one() -> None:
    store = CredentialStore(backend=fail.Keyring())
    with pytest.raises(CredentialError, match="there is none here"):
        store.get(StoreKind.KEYRING, "eu", "secret_key")


# -- time box and failures ---------------------------------------------------------------


def test_a_hanging_keyring_times_out_with_a_message() -> None:
    store = CredentialStore(backend=HangingKeyring(), timeout=0.05)
    with pytest.raises(CredentialError, match=r"did not answer within 0\.05 s"):
        store.get(StoreKind.KEYRING, "eu", "secret_key")


def test_backend_errors_are_one_line_and_never_hold_the_secret() -> None:
    store = CredentialStore(backend=ExplodingKeyring())
    with pytest.raises(CredentialError) as err:
        store.get(StoreKind.KEYRING, "eu", "secret_key")
    assert "RuntimeError: dbus broke" in str(err.value)
    assert "\n" not in str(err.value)
    with pytest.raises(CredentialError) as err2:
        store.set(StoreKind.KEYRING, "eu", "secret_key", Secret(SECRET))
    assert SECRET not in str(err2.value)


# -- the provider chain ------------------------------------------------------------------


def test_resolve_from_the_keyring_labels_each_source() -> None:
    store = CredentialStore(backend=MemoryKeyring())
    store.set(StoreKind.KEYRING, "eu", "secret_key", Secret(SECRET))
    creds = resolve_credentials(mws_profile(), store, env={})
    assert creds.secret_key is not None and creds.secret_key.reveal() == SECRET
    assert creds.auth_token is None
    assert creds.access_key_id == "AKIAEXAMPLE"
    assert creds.source_of("secret_key") == store.label(StoreKind.KEYRING)
    assert creds.source_of("seller_id") == "config"
    assert creds.summary() == store.label(StoreKind.KEYRING)
    assert SECRET not in repr(creds) and SECRET not in str(creds)


def test_environment_overrides_and_then_the_keyring_is_not_touched() -> None:
    env = {
        "MWSTUI_MWS_SECRET_KEY": SECRET,
        "MWSTUI_MWS_ACCESS_KEY": "AKIAFROMENV",
        "MWSTUI_MWS_SELLER_ID": "SELLERENV",
    }
    creds = resolve_credentials(mws_profile(), CredentialStore(backend=ExplodingKeyring()), env=env)
    assert creds.secret_key is not None and creds.secret_key.reveal() == SECRET
    assert creds.auth_token is None
    assert (creds.access_key_id, creds.seller_id) == ("AKIAFROMENV", "SELLERENV")
    assert creds.source_of("secret_key") == "env MWSTUI_MWS_SECRET_KEY"
    assert creds.source_of("access_key_id") == "env MWSTUI_MWS_ACCESS_KEY"
    assert creds.summary() == "env MWSTUI_MWS_SECRET_KEY"


def test_environment_beats_a_stored_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    store = CredentialStore(backend=MemoryKeyring())
    store.set(StoreKind.KEYRING, "eu", "secret_key", Secret("stored-value"))
    monkeypatch.setenv("MWSTUI_MWS_SECRET_KEY", SECRET)
    monkeypatch.setenv("MWSTUI_MWS_AUTH_TOKEN", TOKEN)
    creds = resolve_credentials(mws_profile(), store)
    assert creds.secret_key is not None and creds.secret_key.reveal() == SECRET
    assert creds.auth_token is not None and creds.auth_token.reveal() == TOKEN
    assert MemoryKeyring.reads == 0


def test_sellercenter_from_env_and_from_encrypted_file(monkeypatch: pytest.MonkeyPatch) -> None:
    profile = Profile(
        name="ng",
        service=Service.SELLERCENTER,
        endpoint="https://sellercenter-api.example.test",
        sellercenter_user_id="ops@example.com",
        secret_store=StoreKind.ENCRYPTED_FILE,
    )
    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    store = CredentialStore(backend=fail.Keyring())
    store.set(StoreKind.ENCRYPTED_FILE, "ng", "api_key", Secret("b1bdb357ced10fe4"))
    creds = resolve_credentials(profile, CredentialStore(backend=fail.Keyring()))
    assert creds.api_key is not None and creds.api_key.reveal() == "b1bdb357ced10fe4"
    assert creds.summary().startswith("encrypted file ")
    creds = resolve_credentials(
        profile, store, env={"MWSTUI_SC_API_KEY": "k2", "MWSTUI_SC_USER_ID": "u@x"}
    )
    assert creds.sellercenter_user_id == "u@x"
    assert creds.source_of("api_key") == "env MWSTUI_SC_API_KEY"


def test_missing_secret_names_the_variable() -> None:
    with pytest.raises(CredentialError) as err:
        resolve_credentials(mws_profile(), CredentialStore(backend=MemoryKeyring()), env={})
    assert "MWSTUI_MWS_SECRET_KEY" in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_plain_field_fails_before_any_passphrase_prompt() -> None:
    profile = Profile(
        name="eu",
        service=Service.MWS,
        endpoint="https://mws-eu.amazonservices.com",
        marketplace_ids=("A1PA6795UKMFR9",),
        secret_store=StoreKind.ENCRYPTED_FILE,
    )
    prompt = Prompt()
    with pytest.raises(CredentialError, match="MWSTUI_MWS_ACCESS_KEY"):
        resolve_credentials(profile, open_store(prompt), env={})
    assert prompt.asked == []


def test_each_missed_passphrase_says_how_many_tries_are_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_PASSPHRASE, PASS)
    CredentialStore().set(StoreKind.ENCRYPTED_FILE, "eu", "secret_key", Secret(SECRET))
    monkeypatch.delenv(ENV_PASSPHRASE)
    bad = Prompt("a", "b", "c")
    with pytest.raises(CredentialError, match=r"wrong keyring passphrase .*\(3 tries\)"):
        CredentialStore(prompt=bad).get(StoreKind.ENCRYPTED_FILE, "eu", "secret_key")
    assert bad.asked[0].startswith("Passphrase for ")
    assert bad.asked[1].startswith("Wrong passphrase, 2 tries left. Passphrase for ")
    assert bad.asked[2].startswith("Wrong passphrase, 1 try left. Passphrase for ")


def test_no_os_keyring_is_said_in_plain_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    assert CredentialStore().keyring_info().label == "no OS keyring found"


def test_a_file_unlocked_by_the_first_run_form_is_not_asked_for_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    form = CredentialStore(prompt=Prompt(PASS, PASS))
    form.set(StoreKind.ENCRYPTED_FILE, "eu", "secret_key", Secret(SECRET))
    form.share_unlocked()
    dashboard = Prompt("never asked")
    got = CredentialStore(prompt=dashboard, reuse_unlocked=True).get(
        StoreKind.ENCRYPTED_FILE, "eu", "secret_key"
    )
    assert got is not None and got.reveal() == SECRET and dashboard.asked == []
    # A store that did not ask to reuse it still needs the passphrase.
    other = Prompt(PASS)
    CredentialStore(prompt=other).get(StoreKind.ENCRYPTED_FILE, "eu", "secret_key")
    assert len(other.asked) == 1
