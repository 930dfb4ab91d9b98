"""Secrets in the keyring: OS keyring where there is one, else a passphrase-encrypted file.

Backend choice, in order:

1. ``PYTHON_KEYRING_BACKEND``, then ``keyringrc.cfg`` (the keyring library's own settings)
   are respected. The ``fail`` and ``null`` backends mean "no keyring" (step 3).
2. Without either, the best *OS* keyring the library detects (Secret Service, KWallet,
   macOS Keychain, Windows Credential Locker). File-based backends from plugins do not
   count: they would prompt on the terminal by themselves, or store plaintext.
3. No keyring: mwstui's own encrypted file (keyrings.cryptfile, Argon2 + AES-GCM) in the
   data directory, unlocked by ``MWSTUI_KEYRING_PASSPHRASE`` or a prompt callback that the
   CLI runs before the TUI takes the terminal.

Plaintext is used only when the user explicitly asks for it. Every backend call runs in
a daemon thread with a deadline, so a keyring stuck on D-Bus cannot hang the app.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
from keyrings.cryptfile.escape import escape as ini_escape

from mwstui.errors import CredentialError
from mwstui.secret import Secret
from mwstui.settings import locations
from mwstui.settings.keyring_backends import (
    BackendInfo,
    call_with_timeout,
    classify,
    detect_backend,
    file_backend,
    keyring_file_initialised,
)
from mwstui.settings.profile import StoreKind

SERVICE = "mwstui"
"""The keyring service name of every mwstui entry; the user name is ``<profile>:<secret>``."""

ENV_PASSPHRASE = "MWSTUI_KEYRING_PASSPHRASE"  # noqa: S105 (a variable name)
"""Unlocks the encrypted keyring file without a prompt (automation)."""

PassphrasePrompt = Callable[[str], str]
"""Asks the user for hidden input: takes the prompt text, returns the answer."""

_PROMPT_ATTEMPTS = 3

_UNLOCKED_FILES: dict[str, keyring.backend.KeyringBackend] = {}
"""Encrypted files a store shared after unlocking them (``share_unlocked``), by path: the
first-run form unlocks the file with the passphrase typed into it, and the dashboard it
reopens (a store opened with ``reuse_unlocked``) must not ask for it a second time."""


def entry_name(profile: str, secret: str) -> str:
    """The keyring user name of one secret of one profile."""
    return f"{profile}:{secret}"


class CredentialStore:
    """Reads, writes and deletes profile secrets in the right backend, time-boxed.

    Args:
        prompt: asks for the encrypted file's passphrase when it is needed and
            ``MWSTUI_KEYRING_PASSPHRASE`` is unset; ``None`` means never prompt.
        timeout: seconds each keyring call may take.
        backend: a keyring backend to use instead of detecting one (tests, doctor).
        allow_plaintext: the user asked for plaintext storage where there is no keyring.
        env: the environment (default ``os.environ``).
        reuse_unlocked: use an encrypted file another store of this process unlocked and
            shared (``share_unlocked``) instead of asking for its passphrase again.
    """

    def __init__(
        self,
        *,
        prompt: PassphrasePrompt | None = None,
        timeout: float = 10.0,
        backend: keyring.backend.KeyringBackend | None = None,
        allow_plaintext: bool = False,
        env: Mapping[str, str] | None = None,
        reuse_unlocked: bool = False,
    ) -> None:
        self._reuse = reuse_unlocked
        self._prompt = prompt
        self._timeout = timeout
        self._given = backend
        self._allow_plaintext = allow_plaintext
        self._env: Mapping[str, str] = os.environ if env is None else env
        self._keyring: tuple[keyring.backend.KeyringBackend, BackendInfo] | None = None
        self._files: dict[StoreKind, keyring.backend.KeyringBackend] = {}
        self._unlocked: set[int] = set()

    # -- which backend -------------------------------------------------------------

    def keyring_info(self) -> BackendInfo:
        """What the keyring library offers here (detected once, time-boxed).

        Raises:
            CredentialError: the configured backend cannot be loaded, or detection hung.
        """
        return self._detect()[1]

    def default_kind(self, *, encrypted_file: bool = False) -> StoreKind:
        """Where ``profile add`` should put new secrets.

        The OS (or configured) keyring if there is one, else the encrypted file, or the
        plaintext file if this store was opened with ``allow_plaintext``.

        Args:
            encrypted_file: use the encrypted file even if there is a keyring.

        Raises:
            CredentialError: the configured backend is plaintext without consent, or
                one mwstui cannot unlock.
        """
        if encrypted_file:
            return StoreKind.ENCRYPTED_FILE
        info = self.keyring_info()
        if info.kind == "none":
            return StoreKind.PLAINTEXT_FILE if self._allow_plaintext else StoreKind.ENCRYPTED_FILE
        self._usable(info, writing=True)
        return StoreKind.KEYRING

    def label(self, kind: StoreKind) -> str:
        """Where secrets of ``kind`` live, for the header and ``profile list``."""
        if kind is StoreKind.ENCRYPTED_FILE:
            return f"encrypted file {locations.display_path(locations.keyring_file())}"
        if kind is StoreKind.PLAINTEXT_FILE:
            return f"plaintext file {locations.display_path(locations.plaintext_keyring_file())}"
        try:
            return self.keyring_info().label
        except CredentialError:
            return "keyring (unavailable)"

    # -- operations ----------------------------------------------------------------

    def unlock(self, kind: StoreKind, *, writing: bool = False) -> None:
        """Make ``kind`` ready now: detect it, and ask for its passphrase if it has one.

        The CLI calls this before the TUI takes the terminal; later calls never prompt.

        Raises:
            CredentialError: unusable backend, wrong or missing passphrase, timeout.
        """
        self._unlock_if_needed(self._backend(kind, writing=writing))

    def get(self, kind: StoreKind, profile: str, name: str) -> Secret | None:
        """The secret ``name`` of ``profile``, or ``None`` if it is not stored.

        Raises:
            CredentialError: no usable backend, wrong passphrase, timeout, backend error.
        """
        backend = self._backend(kind)
        if self.has(kind, profile, name) is False:
            return None  # known absent: no need to ask for a passphrase
        self._unlock_if_needed(backend)
        value = call_with_timeout(
            lambda: backend.get_password(SERVICE, entry_name(profile, name)),
            self._timeout,
            self.label(kind),
        )
        return Secret(value) if value else None

    def set(self, kind: StoreKind, profile: str, name: str, secret: Secret) -> None:
        """Store ``secret`` as ``name`` of ``profile``.

        Raises:
            CredentialError: as for ``get``; also plaintext without explicit consent.
        """
        backend = self._backend(kind, writing=True)
        self._unlock_if_needed(backend)
        call_with_timeout(
            lambda: backend.set_password(SERVICE, entry_name(profile, name), secret.reveal()),
            self._timeout,
            self.label(kind),
        )

    def delete(self, kind: StoreKind, profile: str, name: str) -> bool:
        """Delete one secret; ``False`` if there was none. Needs no passphrase.

        Raises:
            CredentialError: the backend is unavailable, failed or timed out.
        """
        backend = self._backend(kind)
        if self.has(kind, profile, name) is False:
            return False

        def delete() -> bool:
            try:
                backend.delete_password(SERVICE, entry_name(profile, name))
            except keyring.errors.PasswordDeleteError:
                return False
            return True

        return call_with_timeout(delete, self._timeout, self.label(kind))

    def has(self, kind: StoreKind, profile: str, name: str) -> bool | None:
        """Whether a secret is stored, when that can be told without unlocking (files).

        Returns ``None`` for the OS keyring: asking it might prompt or unlock.
        """
        if kind is StoreKind.KEYRING and self.keyring_info().kind != "encrypted-file":
            return None
        path = self._file_path(kind)
        config = configparser.RawConfigParser()
        try:
            config.read(path, encoding="utf-8")
            return config.has_option(ini_escape(SERVICE), ini_escape(entry_name(profile, name)))
        except (OSError, configparser.Error, UnicodeDecodeError):
            return None

    def share_unlocked(self) -> None:
        """Let stores opened with ``reuse_unlocked`` use the files this one has unlocked."""
        for backend in self._files.values():
            if id(backend) in self._unlocked:
                _UNLOCKED_FILES[str(getattr(backend, "file_path", ""))] = backend

    # -- internals -----------------------------------------------------------------

    def _detect(self) -> tuple[keyring.backend.KeyringBackend, BackendInfo]:
        if self._keyring is None:
            self._keyring = call_with_timeout(
                lambda: detect_backend(self._given, self._env),
                self._timeout,
                "keyring backend detection",
            )
        return self._keyring

    def _usable(self, info: BackendInfo, *, writing: bool) -> None:
        # Reading plaintext the user stored earlier is fine; writing needs consent now.
        if info.kind == "plaintext" and writing and not self._allow_plaintext:
            raise CredentialError(
                f"the keyring chosen by {info.origin} ({info.label}) stores secrets in "
                "plaintext; accept that with --plaintext-keyring, or choose another backend"
            )
        if info.kind == "unsupported":
            raise CredentialError(
                f"mwstui cannot unlock the keyring chosen by {info.origin} ({info.label}); "
                "use keyrings.cryptfile.cryptfile.CryptFileKeyring or unset it"
            )

    def _file_path(self, kind: StoreKind) -> Path:
        if kind is StoreKind.ENCRYPTED_FILE:
            return locations.keyring_file()
        if kind is StoreKind.PLAINTEXT_FILE:
            return locations.plaintext_keyring_file()
        return Path(str(getattr(self._detect()[0], "file_path", "")))

    def _backend(self, kind: StoreKind, *, writing: bool = False) -> keyring.backend.KeyringBackend:
        if kind is StoreKind.PLAINTEXT_FILE and writing and not self._allow_plaintext:
            raise CredentialError(
                "refusing to store a secret in plaintext: pass --plaintext-keyring to accept that"
            )
        if kind is StoreKind.KEYRING:
            backend, info = self._detect()
            if info.kind == "none":
                raise CredentialError(
                    f"this profile's secrets are in the OS keyring, and there is none here "
                    f"({info.label}); set the MWSTUI_* variables or re-add the profile"
                )
            self._usable(info, writing=writing)
        else:
            if kind not in self._files:
                path = self._file_path(kind)
                shared = _UNLOCKED_FILES.get(str(path)) if self._reuse else None
                self._files[kind] = shared or file_backend(kind, path)
            backend = self._files[kind]
        return backend

    def _unlock_if_needed(self, backend: keyring.backend.KeyringBackend) -> None:
        if classify(backend) != "encrypted-file" or id(backend) in self._unlocked:
            return
        path = Path(str(getattr(backend, "file_path", "")))
        if self._reuse and _UNLOCKED_FILES.get(str(path)) is backend:
            self._unlocked.add(id(backend))
            return
        where = locations.display_path(path)
        from_env = self._env.get(ENV_PASSPHRASE, "")
        attempts = 1 if from_env or keyring_file_initialised(path) is False else _PROMPT_ATTEMPTS
        for attempt in range(attempts):
            # After a miss the next prompt says so, and how many tries are left.
            left = attempts - attempt
            missed = f"Wrong passphrase, {left} {'try' if left == 1 else 'tries'} left. "
            passphrase = from_env or self._ask(path, where, missed if attempt else "")

            def apply(pw: str = passphrase) -> bool:
                try:
                    backend.keyring_key = pw  # type: ignore[attr-defined]
                except ValueError as exc:
                    if "scheme" in str(exc):  # a file written by another format/version
                        raise CredentialError(f"encrypted file {where}: {exc}") from None
                    return False  # failed MAC or reference check: wrong passphrase
                return True

            # Argon2 is slow on purpose: give the unlock at least a minute.
            if call_with_timeout(apply, max(self._timeout, 60.0), f"encrypted file {where}"):
                self._unlocked.add(id(backend))
                return
        source = f" (from {ENV_PASSPHRASE})" if from_env else ""
        tries = f" ({attempts} tries)" if attempts > 1 else ""
        raise CredentialError(f"wrong keyring passphrase{source} for {where}{tries}")

    def _ask(self, path: Path, where: str, missed: str = "") -> str:
        if self._prompt is None:
            raise CredentialError(
                f"the encrypted keyring file {where} needs a passphrase: set {ENV_PASSPHRASE}"
            )
        try:
            if keyring_file_initialised(path):
                return _non_blank(self._prompt(f"{missed}Passphrase for {where}: "))
            first = _non_blank(self._prompt(f"New passphrase for {where}: "))
            if self._prompt("Repeat the new passphrase: ") != first:
                raise CredentialError("the passphrases did not match; nothing was stored")
            return first
        except EOFError:
            raise CredentialError(
                f"no passphrase for the encrypted keyring file {where}: "
                f"type it at a terminal or set {ENV_PASSPHRASE}"
            ) from None


def _non_blank(passphrase: str) -> str:
    if not passphrase.strip():
        raise CredentialError("an empty passphrase cannot protect the keyring file")
    return passphrase
