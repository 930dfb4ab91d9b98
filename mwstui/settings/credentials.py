"""The credential provider chain: environment variables first, then the profile's keyring.

Precedence, highest first, for each value separately:

1. Environment variables (automation, CI, containers)::

       MWSTUI_MWS_ACCESS_KEY    MWS access key id            (else the profile's)
       MWSTUI_MWS_SECRET_KEY    MWS secret key               (secret)
       MWSTUI_MWS_AUTH_TOKEN    MWS auth token (delegation)  (secret)
       MWSTUI_MWS_SELLER_ID     MWS seller id                (else the profile's)
       MWSTUI_SC_USER_ID        SellerCenter UserID          (else the profile's)
       MWSTUI_SC_API_KEY        SellerCenter API key         (secret)
       MWSTUI_SPAPI_CLIENT_ID      SP-API LWA client id      (else the profile's)
       MWSTUI_SPAPI_CLIENT_SECRET  SP-API LWA client secret  (secret)
       MWSTUI_SPAPI_REFRESH_TOKEN  SP-API LWA refresh token  (secret)

2. The profile: plain values from ``config.toml``; secrets from where ``profile add``
   stored them (OS keyring, encrypted file, or a plaintext file the user asked for;
   see ``mwstui.settings.credential_store``). ``MWSTUI_KEYRING_PASSPHRASE`` unlocks the encrypted
   file without a prompt.

When the environment provides every *required* secret of the profile's service, the
keyring is not consulted at all (no passphrase, no keyring needed): set the optional
``MWSTUI_MWS_AUTH_TOKEN`` as well if the account uses one.

Every resolved value carries a ``source`` label, so the header can say where the
credentials came from ("env MWSTUI_MWS_SECRET_KEY", "keyring (SecretService)",
"encrypted file ~/.local/share/mwstui/secrets.cryptfile.cfg").
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from mwstui.errors import CredentialError
from mwstui.secret import Secret
from mwstui.settings.config import Settings
from mwstui.settings.credential_store import ENV_PASSPHRASE, CredentialStore, PassphrasePrompt
from mwstui.settings.keyring_backends import call_with_timeout
from mwstui.settings.profile import Profile, Service

__all__ = [
    "ENV_PASSPHRASE",
    "SECRETS",
    "CredentialStore",
    "ResolvedCredentials",
    "SecretSpec",
    "call_with_timeout",
    "open_store",
    "resolve_credentials",
    "secret_specs",
]


@dataclass(frozen=True, slots=True)
class SecretSpec:
    """One secret a profile may have."""

    name: str
    """Key in the keyring entry name (``<profile>:<name>``)."""
    title: str
    """How prompts and listings call it."""
    env: str
    """The environment variable that overrides it."""
    required: bool
    """Whether calls cannot be signed without it."""


SECRETS: dict[Service, tuple[SecretSpec, ...]] = {
    Service.MWS: (
        SecretSpec("secret_key", "MWS secret key", "MWSTUI_MWS_SECRET_KEY", True),
        SecretSpec("auth_token", "MWS auth token", "MWSTUI_MWS_AUTH_TOKEN", False),
    ),
    Service.SELLERCENTER: (
        SecretSpec("api_key", "SellerCenter API key", "MWSTUI_SC_API_KEY", True),
    ),
    Service.SPAPI: (
        SecretSpec("lwa_client_secret", "LWA client secret", "MWSTUI_SPAPI_CLIENT_SECRET", True),
        SecretSpec("refresh_token", "LWA refresh token", "MWSTUI_SPAPI_REFRESH_TOKEN", True),
    ),
}

PLAIN_ENV: dict[Service, tuple[tuple[str, str, str], ...]] = {
    Service.MWS: (
        ("access_key_id", "MWSTUI_MWS_ACCESS_KEY", "--access-key"),
        ("seller_id", "MWSTUI_MWS_SELLER_ID", "--seller-id"),
    ),
    Service.SELLERCENTER: (("sellercenter_user_id", "MWSTUI_SC_USER_ID", "--sc-user"),),
    Service.SPAPI: (("lwa_client_id", "MWSTUI_SPAPI_CLIENT_ID", "--lwa-client-id"),),
}
"""Per service: required non-secret fields (field, overriding variable, ``profile add`` flag)."""


def secret_specs(service: Service) -> tuple[SecretSpec, ...]:
    """The secrets a profile of ``service`` has."""
    return SECRETS[service]


@dataclass(frozen=True, slots=True)
class ResolvedCredentials:
    """Everything needed to sign calls for one profile, and where each piece came from."""

    profile: Profile
    access_key_id: str | None = None
    secret_key: Secret | None = None
    auth_token: Secret | None = None
    seller_id: str | None = None
    sellercenter_user_id: str | None = None
    api_key: Secret | None = None
    lwa_client_id: str | None = None
    """SP-API: the LWA client id (not a secret)."""
    lwa_client_secret: Secret | None = None
    """SP-API: the LWA client secret."""
    refresh_token: Secret | None = None
    """SP-API: the seller's LWA refresh token."""
    sources: Mapping[str, str] | None = None
    """Field name → source label, for every field that has a value."""

    def source_of(self, name: str) -> str | None:
        """Where the field ``name`` came from, or ``None`` if it has no value."""
        return (self.sources or {}).get(name)

    def summary(self) -> str:
        """Where the secrets came from, in one short line for the header."""
        labels: list[str] = []
        for spec in SECRETS[self.profile.service]:
            label = self.source_of(spec.name)
            if label and label not in labels:
                labels.append(label)
        return " + ".join(labels) or "no secrets"


def open_store(
    prompt: PassphrasePrompt | None = None,
    *,
    settings: Settings | None = None,
    allow_plaintext: bool = False,
    env: Mapping[str, str] | None = None,
    reuse_unlocked: bool = False,
) -> CredentialStore:
    """The credential store the CLI opens before the TUI takes the terminal.

    Nothing is detected or unlocked yet: that happens on the first read or write, so
    commands that never need a secret never ask for a passphrase.

    Args:
        prompt: hidden-input callback for the encrypted file's passphrase (``getpass``);
            ``None`` means the passphrase must come from ``MWSTUI_KEYRING_PASSPHRASE``.
        settings: for the keyring timeout.
        allow_plaintext: the user explicitly asked for plaintext storage.
        env: the environment (default ``os.environ``).
        reuse_unlocked: use an encrypted file the first-run form already unlocked.
    """
    timeout = settings.keyring.timeout if settings else 10.0
    return CredentialStore(
        prompt=prompt,
        timeout=timeout,
        allow_plaintext=allow_plaintext,
        env=env,
        reuse_unlocked=reuse_unlocked,
    )


def resolve_credentials(
    profile: Profile, store: CredentialStore, *, env: Mapping[str, str] | None = None
) -> ResolvedCredentials:
    """Resolve every credential of ``profile``: environment first, then config/keyring.

    The keyring (and a passphrase prompt) is touched only for secrets the environment
    does not provide.

    Raises:
        CredentialError: a required value is missing everywhere, or the keyring failed
            (locked, wrong passphrase, timed out) — one line each.
    """
    env = os.environ if env is None else env
    plain: dict[str, str] = {}
    secrets: dict[str, Secret] = {}
    sources: dict[str, str] = {}
    for field_name, var, flag in PLAIN_ENV[profile.service]:
        from_env = env.get(var, "").strip()
        from_profile = getattr(profile, field_name)
        if from_env:
            plain[field_name], sources[field_name] = from_env, f"env {var}"
        elif from_profile:
            plain[field_name], sources[field_name] = from_profile, "config"
        else:  # checked before any secret, so a bad profile never asks for a passphrase
            raise CredentialError(
                f"profile {profile.name!r} has no {field_name.replace('_', ' ')}: "
                f"add it with {flag} or set {var}"
            )
    for spec in SECRETS[profile.service]:
        from_env = env.get(spec.env, "").strip()
        if from_env:
            secrets[spec.name], sources[spec.name] = Secret(from_env), f"env {spec.env}"
    # When the environment gives every required secret, the keyring is not touched at
    # all: automation on a box without a keyring must not need a passphrase.
    env_only = all(s.name in secrets for s in SECRETS[profile.service] if s.required)
    for spec in SECRETS[profile.service]:
        if spec.name in secrets or env_only:
            continue
        kind = profile.secret_store
        secret = store.get(kind, profile.name, spec.name)
        if secret:
            secrets[spec.name], sources[spec.name] = secret, store.label(kind)
        elif spec.required:
            raise CredentialError(
                f"profile {profile.name!r} has no {spec.title} in the {store.label(kind)}: "
                f"run 'mwstui profile add {profile.name} --replace ...' or set {spec.env}"
            )
    return ResolvedCredentials(
        profile=profile,
        access_key_id=plain.get("access_key_id"),
        secret_key=secrets.get("secret_key"),
        auth_token=secrets.get("auth_token"),
        seller_id=plain.get("seller_id"),
        sellercenter_user_id=plain.get("sellercenter_user_id"),
        api_key=secrets.get("api_key"),
        lwa_client_id=plain.get("lwa_client_id"),
        lwa_client_secret=secrets.get("lwa_client_secret"),
        refresh_token=secrets.get("refresh_token"),
        sources=sources,
    )
