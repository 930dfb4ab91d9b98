"""Every path mwstui reads or writes, in one place (platform dirs, overridable by env)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "mwstui"

ENV_CONFIG_DIR = "MWSTUI_CONFIG_DIR"
"""Overrides the configuration directory (tests, containers, several setups side by side)."""

ENV_DATA_DIR = "MWSTUI_DATA_DIR"
"""Overrides the data directory (journal, throttle state, keyring files)."""

ENV_DOWNLOAD_DIR = "MWSTUI_DOWNLOAD_DIR"
"""Overrides where reports and exports are saved (and the ``download_dir`` setting)."""

SAVED_FILE_MODE = 0o600
"""Mode of every file mwstui saves for the user (reports, CSV exports): they hold
orders, addresses and settlements, so only the owner reads them."""


def _from_env(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().absolute() if value else None


def config_dir() -> Path:
    """The config directory: ``$MWSTUI_CONFIG_DIR`` or the platform's (``~/.config/mwstui``)."""
    return _from_env(ENV_CONFIG_DIR) or platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """The data directory: ``$MWSTUI_DATA_DIR`` or the platform's (``~/.local/share/mwstui``)."""
    return _from_env(ENV_DATA_DIR) or platformdirs.user_data_path(APP_NAME, appauthor=False)


def downloads_dir(configured: str | None = None) -> Path:
    """Where reports and CSV exports go: ``$MWSTUI_DOWNLOAD_DIR``, else the ``download_dir``
    setting, else ``mwstui`` in the platform's downloads folder (``~/Downloads/mwstui``).

    Always absolute, so a message can say exactly where a file went.
    """
    if env := _from_env(ENV_DOWNLOAD_DIR):
        return env
    if configured and configured.strip():
        return Path(configured.strip()).expanduser().absolute()
    return platformdirs.user_downloads_path() / APP_NAME


def private_opener(path: str, flags: int) -> int:
    """An ``opener`` for ``open()`` that creates the file with ``SAVED_FILE_MODE``."""
    return os.open(path, flags, SAVED_FILE_MODE)


def keep_private(path: Path) -> Path:
    """Give a saved file ``SAVED_FILE_MODE`` (best effort: some filesystems refuse)."""
    with contextlib.suppress(OSError):
        path.chmod(SAVED_FILE_MODE)
    return path


def config_file() -> Path:
    """The TOML file holding settings and profiles."""
    return config_dir() / "config.toml"


def journal_file() -> Path:
    """The SQLite journal of mutating calls (and the persisted throttle state)."""
    return data_dir() / "journal.sqlite3"


SANDBOX_JOURNAL = "sandbox-journal.sqlite"
"""The sandbox demo's own journal, in the data directory: demo calls never mix with real ones."""


def sandbox_journal_file() -> Path:
    """Where ``mwstui --sandbox`` keeps its journal (``mwstui journal --sandbox`` reads it)."""
    return data_dir() / SANDBOX_JOURNAL


def keyring_file() -> Path:
    """The encrypted keyring file used where there is no OS keyring."""
    return data_dir() / "secrets.cryptfile.cfg"


def plaintext_keyring_file() -> Path:
    """The unencrypted keyring file, used only when the user explicitly asks for it."""
    return data_dir() / "secrets.plaintext.cfg"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the owner only, and return it.

    An existing directory keeps its mode: it may be shared on purpose.
    """
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def display_path(path: Path | str) -> str:
    """``path`` with the home directory shortened to ``~``, for messages and labels."""
    p = Path(path)
    try:
        return str(Path("~") / p.relative_to(Path.home()))
    except (ValueError, RuntimeError):
        return str(p)
