"""Keyring backends as mwstui sees them: what kind each is, and a time-boxed call."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import keyring.backend
from keyring.backends import fail, null

from mwstui.errors import CredentialError

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
