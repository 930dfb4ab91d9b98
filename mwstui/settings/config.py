"""Typed settings: everything ``config.toml`` holds (its format is in ``config_file``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from mwstui import wire
from mwstui.errors import ConfigError
from mwstui.settings.profile import Profile

DEFAULT_KEYRING_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class KeyringSettings:
    """How mwstui talks to the keyring."""

    timeout: float = DEFAULT_KEYRING_TIMEOUT
    """Seconds one keyring call may take before mwstui stops waiting and says so."""


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    """Bounds on every API call, whatever the server does."""

    max_response_mb: float = wire.DEFAULT_MAX_RESPONSE_MB
    """An API answer larger than this (MB) is refused while it streams; report downloads
    stream to disk and are not limited by it."""
    deadline: float = wire.DEFAULT_DEADLINE
    """Seconds one HTTP exchange may take in all, however slowly the server answers."""

    @property
    def max_response_bytes(self) -> int:
        return int(self.max_response_mb * wire.MB)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything in ``config.toml``."""

    default_profile: str | None = None
    """The profile used when ``--profile`` is not given."""
    keyring: KeyringSettings = field(default_factory=KeyringSettings)
    """Keyring behaviour."""
    profiles: Mapping[str, Profile] = field(default_factory=dict, hash=False)
    """Profiles by name."""
    network: NetworkSettings = field(default_factory=NetworkSettings)
    """Size and time bounds of API calls."""
    download_dir: str | None = None
    """Where reports and CSV exports are saved (``~`` allowed); None: the platform's
    downloads folder, ``mwstui`` inside it (``locations.downloads_dir``)."""

    def profile(self, name: str | None = None) -> Profile:
        """The profile called ``name``, or the default one.

        Raises:
            ConfigError: there is no such profile, or no default to fall back on.
        """
        if name is None:
            if self.default_profile is None:
                if len(self.profiles) == 1:
                    return next(iter(self.profiles.values()))
                if not self.profiles:
                    raise ConfigError("no profile configured: add one with 'mwstui profile add'")
                raise ConfigError("several profiles and no default: pass --profile NAME")
            name = self.default_profile
        try:
            return self.profiles[name]
        except KeyError:
            raise ConfigError(f"no profile named {name!r} (see 'mwstui profile list')") from None

    def with_profile(self, profile: Profile, *, make_default: bool = False) -> Settings:
        """A copy with ``profile`` added or replaced (the first one becomes the default)."""
        profiles = {**self.profiles, profile.name: profile}
        default = self.default_profile
        if make_default or default not in profiles:
            default = profile.name
        return replace(self, profiles=profiles, default_profile=default)

    def without_profile(self, name: str) -> Settings:
        """A copy without the profile ``name`` (and without it as the default)."""
        profiles = {k: v for k, v in self.profiles.items() if k != name}
        default = None if self.default_profile == name else self.default_profile
        return replace(self, profiles=profiles, default_profile=default)
