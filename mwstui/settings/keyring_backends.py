"""Keyring backends as mwstui sees them: which one to use, what kind it is, a time-boxed call."""

from __future__ import annotations

import configparser
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import keyring.backend
import keyring.core
from keyring.backends import chainer, fail, null
from keyrings.cryptfile.cryptfile import CryptFileKeyring
from keyrings.cryptfile.escape import escape as ini_escape
from keyrings.cryptfile.file import PlaintextKeyring

from mwstui.errors import CredentialError
from mwstui.settings import locations
from mwstui.settings.profile import StoreKind

T = TypeVar("T")


def call_with_timeout(fn: Callable[[], T], timeout: float, what: str) -> T:
    """Run ``fn`` in a daemon thread; give up after ``timeout`` seconds.

    A stuck backend keeps its (daemon) thread but never the caller, nor the exit.

    Raises:
        CredentialError: ``fn`` timed out or raised; one line, never the secret.
    """
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:  # re-raised in the caller's thread below
            box["error"] = exc

    thread = threading.Thread(target=target, name="mwstui-keyring", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise CredentialError(
            f"{what} did not answer within {timeout:g} s (is the keyring locked or "
            "waiting for a prompt?); set the MWSTUI_* variables or use the encrypted file"
        )
    if "error" in box:
        exc = box["error"]
        assert isinstance(exc, BaseException)
        if isinstance(exc, CredentialError):
            raise exc
        raise CredentialError(f"{what} failed: {one_line(exc)}") from None
    return box["result"]  # type: ignore[return-value]


def one_line(exc: BaseException) -> str:
    """An exception as one short line: its type and the first 200 characters."""
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@dataclass(frozen=True, slots=True)
class BackendInfo:
    """What the keyring library offers here, as a doctor or ``profile list`` tells it."""

    kind: str
    """``os`` (a real keyring), ``none``, ``encrypted-file``, ``plaintext`` or ``unsupported``."""
    label: str
    """Human description, e.g. ``keyring (SecretService)``."""
    origin: str
    """``PYTHON_KEYRING_BACKEND``, ``keyringrc.cfg``, ``detected`` or ``given``."""


def classify(backend: keyring.backend.KeyringBackend) -> str:
    """Sort a backend into the kinds of ``BackendInfo.kind``."""
    if isinstance(backend, fail.Keyring | null.Keyring):
        return "none"
    if "plaintext" in type(backend).__name__.lower():
        return "plaintext"
    if hasattr(backend, "file_path"):
        prop = getattr(type(backend), "keyring_key", None)
        # Only backends whose passphrase can be set (keyrings.cryptfile) can be unlocked
        # by mwstui; the others call getpass themselves, on a terminal the TUI owns.
        settable = isinstance(prop, property) and prop.fset is not None
        return "encrypted-file" if settable else "unsupported"
    return "os"


def describe(backend: keyring.backend.KeyringBackend) -> str:
    """A short name for a backend: ``SecretService``, ``macOS``, or its dotted class."""
    module = type(backend).__module__
    if module.startswith("keyring.backends."):
        return module.removeprefix("keyring.backends.")
    return f"{module}.{type(backend).__qualname__}"


def detect_backend(
    given: keyring.backend.KeyringBackend | None, env: Mapping[str, str]
) -> tuple[keyring.backend.KeyringBackend, BackendInfo]:
    """The keyring to use and what it is: the one given, else the configured, else the OS's.

    Raises:
        CredentialError: the backend configured by name cannot be loaded.
    """
    chosen, origin = (given, "given") if given is not None else configured_backend(env)
    if chosen is None or isinstance(chosen, chainer.ChainerBackend):
        chosen, origin = best_os_keyring(), "detected"
    backend: keyring.backend.KeyringBackend = chosen
    kind = classify(backend)
    name = describe(backend)
    if kind == "none":
        label = "no OS keyring found"
    elif kind == "os":
        label = f"keyring ({name})"
    else:
        where = locations.display_path(str(getattr(backend, "file_path", "?")))
        label = f"{kind.replace('-', ' ')} {where}"  # plain words; the class is no help
    return backend, BackendInfo(kind, label, origin)


def configured_backend(env: Mapping[str, str]) -> tuple[keyring.backend.KeyringBackend | None, str]:
    """The backend set by ``PYTHON_KEYRING_BACKEND`` or ``keyringrc.cfg``, and which set it.

    Raises:
        CredentialError: the configured backend cannot be loaded.
    """
    name = env.get("PYTHON_KEYRING_BACKEND", "").strip()
    origin = "PYTHON_KEYRING_BACKEND" if name else "keyringrc.cfg"
    try:
        if name:
            return keyring.core.load_keyring(name), origin
        return keyring.core.load_config(), origin
    except Exception as exc:
        raise CredentialError(
            f"the keyring backend set by {origin} cannot be used: {one_line(exc)}"
        ) from None


def best_os_keyring() -> keyring.backend.KeyringBackend:
    """The highest-priority OS keyring the library recommends, else the failing one."""
    viable = [
        b
        for b in keyring.backend.get_all_keyring()
        if not isinstance(b, chainer.ChainerBackend)
        and classify(b) == "os"
        and b.priority >= 1  # keyring's own threshold for "recommended"
    ]
    return max(viable, key=keyring.backend.by_priority, default=fail.Keyring())  # type: ignore[no-untyped-call]


def keyring_file_initialised(path: Path) -> bool | None:
    """Whether the file already has a passphrase (its reference entry); None if unreadable."""
    config = configparser.RawConfigParser()
    try:
        config.read(path, encoding="utf-8")
    except (OSError, configparser.Error, UnicodeDecodeError):
        return None
    return config.has_option(ini_escape("keyring-setting"), ini_escape("password reference"))


def file_backend(kind: StoreKind, path: Path) -> keyring.backend.KeyringBackend:
    """mwstui's own keyring file at ``path``: encrypted, or plaintext when asked for.

    Raises:
        CredentialError: its directory cannot be created.
    """
    try:
        locations.ensure_private_dir(path.parent)
    except OSError as exc:
        raise CredentialError(
            f"cannot create {locations.display_path(path.parent)}: {exc}"
        ) from None
    backend: keyring.backend.KeyringBackend
    backend = CryptFileKeyring() if kind is StoreKind.ENCRYPTED_FILE else PlaintextKeyring()
    backend.file_path = str(path)  # type: ignore[attr-defined]
    return backend
