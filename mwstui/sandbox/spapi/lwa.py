"""Login with Amazon: the token endpoint (``POST /auth/o2/token``) and the tokens it issued.

spec/spapi.md §1.1. Form and JSON bodies are both read (the official Java helper posts
JSON). Checks, in order: grant type, client id + secret (``invalid_client``, HTTP 401),
then the refresh token (``invalid_grant``, HTTP 400 — RFC 6749 §5.2; the status was
never captured from Amazon, so this is the documented OAuth one). Access tokens live
``lifetime`` seconds of the sandbox clock and are then refused with the 403 an
expired token gets from SP-API.
"""

from __future__ import annotations

import base64
import hmac
import json
import random
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from mwstui.clock import Clock
from mwstui.sandbox.asgi import Reply, Scope, header
from mwstui.sandbox.spapi.errors import EXPIRED, INVALID_TOKEN, MISSING_TOKEN, unauthorized
from mwstui.secret import Secret

TOKEN_LIFETIME = 3600.0
"""Seconds an access token is valid (spec §1.1: 60 minutes)."""
GRANTLESS_SCOPES = frozenset({"sellingpartnerapi::notifications", "sellingpartnerapi::migration"})
_MAX_TOKENS = 10_000


@dataclass(frozen=True, slots=True)
class Application:
    """An SP-API application's LWA credentials."""

    client_id: str
    client_secret: Secret


@dataclass(frozen=True, slots=True)
class Authorization:
    """A seller's authorization of one application: its refresh token."""

    seller_id: str
    client_id: str
    refresh_token: Secret
    revoked: bool = False


@dataclass(frozen=True, slots=True)
class Grant:
    """What an access token stands for (``seller_id`` None: a grantless token)."""

    client_id: str
    seller_id: str | None
    expires: float


class OAuthError(Exception):
    """An LWA error answer (``error``, ``error_description``, HTTP status)."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.status = status
        self.error = error
        self.description = description


class LoginWithAmazon:
    """The token endpoint and the access tokens it issued.

    Args:
        applications: the known applications.
        authorizations: which seller authorised which application, with its refresh token.
        clock: the sandbox clock (token expiry).
        rng: token bytes (seeded, so runs are reproducible).
        lifetime: seconds an access token lives.
    """

    def __init__(
        self,
        applications: Iterable[Application],
        authorizations: Iterable[Authorization],
        clock: Clock,
        rng: random.Random,
        lifetime: float = TOKEN_LIFETIME,
    ) -> None:
        self.applications = {a.client_id: a for a in applications}
        self.authorizations = list(authorizations)
        self.clock = clock
        self.rng = rng
        self.lifetime = lifetime
        self._grants: OrderedDict[str, Grant] = OrderedDict()

    # -- the token endpoint ---------------------------------------------------------------

    def token_reply(self, scope: Scope, body: bytes, request_id: str) -> Reply:
        """Answer one ``POST /auth/o2/token``."""
        headers = [
            ("Content-Type", "application/json;charset=UTF-8"),
            ("Cache-Control", "no-store"),
            ("Pragma", "no-cache"),
            ("x-amzn-RequestId", request_id),
        ]
        try:
            if str(scope.get("method", "")).upper() != "POST":
                raise OAuthError(400, "invalid_request", "The request method must be POST")
            data = self._token(_fields(scope, body))
        except OAuthError as exc:
            err = {"error_description": exc.description, "error": exc.error}
            return Reply(exc.status, json.dumps(err).encode(), headers)
        return Reply(200, json.dumps(data).encode(), headers)

    def _token(self, f: dict[str, str]) -> dict[str, object]:
        grant_type = f.get("grant_type", "")
        if not grant_type:
            raise _missing("grant_type")
        if grant_type not in ("refresh_token", "client_credentials", "authorization_code"):
            raise OAuthError(
                400,
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server",
            )
        for name in ("client_id", "client_secret"):
            if not f.get(name):
                raise _missing(name)
        app = self.applications.get(f["client_id"])
        if app is None or not hmac.compare_digest(
            app.client_secret.reveal().encode(), f["client_secret"].encode()
        ):
            raise OAuthError(401, "invalid_client", "Client authentication failed")
        now = self.clock.time()
        if grant_type == "authorization_code":
            # The OAuth onboarding step is not simulated: every code has expired.
            raise OAuthError(
                400, "invalid_grant", "The request has an invalid grant parameter : code"
            )
        if grant_type == "client_credentials":
            if f.get("scope", "") not in GRANTLESS_SCOPES:
                raise OAuthError(400, "invalid_scope", "An unknown scope was specified")
            return self._issue(Grant(app.client_id, None, now + self.lifetime), None)
        refresh = f.get("refresh_token", "")
        if not refresh:
            raise _missing("refresh_token")
        auth = next(
            (
                a
                for a in self.authorizations
                if a.client_id == app.client_id
                and hmac.compare_digest(a.refresh_token.reveal().encode(), refresh.encode())
            ),
            None,
        )
        if auth is None:
            raise OAuthError(
                400, "invalid_grant", "The request has an invalid grant parameter : refresh_token"
            )
        if auth.revoked:
            raise OAuthError(
                400,
                "invalid_grant",
                "The request has an invalid grant parameter : refresh_token. "
                "User may have revoked or didn't grant the permission.",
            )
        return self._issue(Grant(app.client_id, auth.seller_id, now + self.lifetime), refresh)

    def _issue(self, grant: Grant, refresh: str | None) -> dict[str, object]:
        raw = self.rng.randbytes(180)
        token = "Atza|" + base64.urlsafe_b64encode(raw).decode().rstrip("=")
        self._grants[token] = grant
        while len(self._grants) > _MAX_TOKENS:
            self._grants.popitem(last=False)
        data: dict[str, object] = {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": int(self.lifetime),
        }
        if refresh is not None:
            data["refresh_token"] = refresh
        return data

    # -- checking a call's token ---------------------------------------------------------

    def check(self, token: str | None) -> Grant:
        """The grant behind an ``x-amz-access-token`` header.

        Raises:
            SpapiError: 403 Unauthorized — missing, unknown, or expired (spec §3, §8.13).
        """
        if not token:
            raise unauthorized(MISSING_TOKEN)
        grant = self._grants.get(token)
        if grant is None:
            raise unauthorized(INVALID_TOKEN)
        if self.clock.time() >= grant.expires:
            raise unauthorized(EXPIRED)
        return grant


def _missing(name: str) -> OAuthError:
    return OAuthError(
        400, "invalid_request", f"The request is missing a required parameter : {name}"
    )


def _fields(scope: Scope, body: bytes) -> dict[str, str]:
    """The request's fields: JSON when the Content-Type says so, else a form (or query)."""
    ctype = (header(scope, "content-type") or "").lower()
    if ctype.startswith("application/json"):
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise OAuthError(400, "invalid_request", "The request body is not valid JSON") from None
        if not isinstance(data, dict):
            raise OAuthError(400, "invalid_request", "The request body is not valid JSON")
        return {str(k): str(v) for k, v in data.items() if v is not None}
    query = bytes(scope.get("query_string", b"")).decode("utf-8", "replace")
    pairs = parse_qsl(query, keep_blank_values=True)
    pairs += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    out: dict[str, str] = {}
    for k, v in pairs:
        out.setdefault(k, v)
    return out
