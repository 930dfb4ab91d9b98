"""Where the add-profile form stores secrets: the store it opens and the passphrase it gives."""

from __future__ import annotations

from collections.abc import Callable

from mwstui.errors import CredentialError
from mwstui.settings.config_file import load_settings
from mwstui.settings.credential_store import CredentialStore, PassphrasePrompt
from mwstui.settings.credentials import open_store

StoreFactory = Callable[[PassphrasePrompt], CredentialStore]
"""Opens the credential store with the form's passphrase callback."""


def default_store(prompt: PassphrasePrompt) -> CredentialStore:
    """The store ``mwstui profile add`` would use, asking for a passphrase through ``prompt``."""
    return open_store(prompt, settings=load_settings())


class FormPassphrase:
    """The store's passphrase callback: answers with what the form holds, never the terminal.

    Asked twice for the same file within one save means the first answer was wrong:
    saying so at once beats three slow Argon2 rounds with the same wrong passphrase.
    """

    def __init__(self) -> None:
        self.passphrase = ""
        self._asked = 0

    def reset(self, passphrase: str) -> None:
        """Set the answer for the next save."""
        self.passphrase, self._asked = passphrase, 0

    def __call__(self, prompt: str) -> str:
        if not prompt.startswith("Repeat"):  # the form checked the repetition itself
            self._asked += 1
            if self._asked > 1:
                raise CredentialError("wrong keyring passphrase; nothing was stored")
        return self.passphrase
