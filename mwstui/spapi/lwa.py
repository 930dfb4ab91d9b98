"""Login with Amazon: a refresh token becomes an access token, as an ``httpx.Auth``.

The token provider posts the documented form body to the LWA endpoint (spec §1.1), keeps
the access token until 60 s before it expires (the official Java helper's margin) and
shares one exchange between concurrent callers. ``LWAAuth`` puts it on every SP-API
request with ``x-amz-date`` and, when Amazon answers 403 saying the token expired (a
token revoked early, a clock that drifted), refreshes once and sends again: a 403 was
refused at the gateway, so repeating it cannot do anything twice. No SigV4 (spec §1.3).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncGenerator, Generator
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlencode

import httpx

from mwstui import wire
from mwstui.call_log import CallLog, UnlistedOperation
from mwstui.calls import CallObserver
from mwstui.catalog import load_catalog
from mwstui.clock import Clock
from mwstui.errors import ApiError, MalformedResponseError
from mwstui.secret import Secret
from mwstui.spapi.errors import (
    EXPIRED_TOKEN,
    loads_bounded,
    lwa_error,
    read_errors,
    transport_error,
    with_hint,
)

TOKEN_OPERATION = "LWA token"  # noqa: S105 - an operation name, not a password
_TOKEN_CALL = UnlistedOperation(TOKEN_OPERATION, "POST")


@dataclass(frozen=True, slots=True)
class _Token:
    value: Secret
    expires_at: float


def _form(client_id: str, client_secret: Secret, refresh_token: Secret) -> bytes:
    # Built and encoded in one expression: no local holds the revealed secrets as a dict
    # that a traceback with locals could print.
    return urlencode(
        {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token.reveal(),
            "client_id": client_id,
            "client_secret": client_secret.reveal(),
        }
    ).encode("ascii")


class TokenProvider:
    """Exchanges the seller's refresh token for access tokens and caches them.

    Args:
        client_id: the LWA client id (``amzn1.application-oa2-client.…``), not secret.
        client_secret: the LWA client secret.
        refresh_token: the seller's refresh token (``Atzr|…``).
        clock: time source for expiry.
        endpoint: the LWA host (default from the catalog; the sandbox's for tests).
        transport: an httpx transport (MockTransport / ASGITransport in tests).
        verify: TLS verification.
        timeout: seconds per HTTP phase.
        user_agent: the User-Agent to send.
        max_response_bytes: largest answer read (``[network] max_response_mb``).
    """

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: Secret,
        refresh_token: Secret,
        clock: Clock,
        endpoint: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: ssl.SSLContext | str | bool = True,
        timeout: float = 30.0,
        user_agent: str = "mwstui",
        max_response_bytes: int = wire.DEFAULT_MAX_RESPONSE_MB * wire.MB,
    ) -> None:
        sp = load_catalog().spapi
        base = (endpoint or sp.lwa_endpoint).rstrip("/")
        # A host, or the token URL itself (as the sandbox's ready line prints it).
        self.url = base if base.endswith(sp.lwa_token_path) else base + sp.lwa_token_path
        self.client_id = client_id
        self._client_secret = Secret(client_secret)
        self._refresh_token = Secret(refresh_token)
        self._clock = clock
        self._margin = float(sp.refresh_before_expiry_seconds)
        self.max_response_bytes = max_response_bytes
        self._token: _Token | None = None
        self._lock = asyncio.Lock()
        # The exchange is recorded like any call, under the client id (the app's, not a
        # seller's budget); never with its form or its answer, which hold the secrets.
        self._log = CallLog("spapi", wire.canonical_host(httpx.URL(self.url)), client_id,
                            None, "")  # fmt: skip
        self.exchanges = 0
        """Token exchanges done (tests and ``doctor`` read it)."""
        self._http = httpx.AsyncClient(
            transport=transport,
            verify=verify,
            timeout=timeout,
            headers={"User-Agent": user_agent},
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"TokenProvider(url={self.url!r}, client_id={self.client_id!r})"

    async def __aenter__(self) -> TokenProvider:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    def add_observer(self, fn: CallObserver) -> None:
        """Tell ``fn`` about every token exchange (Activity panel)."""
        self._log.add_observer(fn)

    def _fresh(self) -> _Token | None:
        t = self._token
        if t is not None and self._clock.time() < t.expires_at - self._margin:
            return t
        return None

    async def token(self) -> Secret:
        """A valid access token: the cached one, or a new one (one exchange at a time).

        Raises:
            AuthError: ``invalid_grant`` / ``invalid_client`` / other LWA refusals.
            ServiceError, TransportError: LWA could not be reached or failed.
        """
        if (t := self._fresh()) is not None:
            return t.value
        async with self._lock:
            if (t := self._fresh()) is not None:  # another caller refreshed meanwhile
                return t.value
            self._token = await self._exchange()
            return self._token.value

    def invalidate(self, used: Secret) -> None:
        """Forget the cached token if it is still ``used`` (Amazon said it expired)."""
        if self._token is not None and self._token.value == used:
            self._token = None

    async def _exchange(self) -> _Token:
        t0 = self._clock.time()
        record: dict[str, object] = {"started_at": self._clock.now(), "attempt": 1, "waited": 0.0}
        request = self._http.build_request(
            "POST",
            self.url,
            content=_form(self.client_id, self._client_secret, self._refresh_token),
            headers={"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"},
        )
        response: httpx.Response | None = None
        try:
            try:
                response = await self._http.send(request, stream=True)
                record["http_status"] = response.status_code
                body = await wire.read_capped(response, self.max_response_bytes)
            except (httpx.TransportError, httpx.DecodingError) as exc:
                raise transport_error(
                    TOKEN_OPERATION, False, exc, host=wire.canonical_host(request.url),
                    answered=response is not None,
                ) from None  # fmt: skip
            except wire.TooLarge as exc:
                raise with_hint(
                    MalformedResponseError(
                        "ResponseTooLarge", str(exc), http_status=response.status_code
                        if response is not None else None, operation=TOKEN_OPERATION,
                    )
                ) from None  # fmt: skip
            finally:
                if response is not None:
                    await response.aclose()
            if response.status_code != 200:
                raise lwa_error(body, response.status_code)
            token = self._parse(body, response.status_code)
        except ApiError as exc:
            self._log.attempt(_TOKEN_CALL, record, duration=self._clock.time() - t0, error=exc)
            raise
        self.exchanges += 1
        self._log.attempt(_TOKEN_CALL, record, duration=self._clock.time() - t0)
        return token

    def _parse(self, body: bytes, status: int) -> _Token:
        try:
            data = loads_bounded(body)
            value = data["access_token"]
            lifetime = float(data.get("expires_in") or load_catalog().spapi.token_lifetime_seconds)
        except (ValueError, KeyError, TypeError):
            data = value = None
            lifetime = 0.0
        if not isinstance(value, str) or not value:
            raise with_hint(
                MalformedResponseError(
                    "MalformedResponse",
                    "the LWA answer has no access_token",
                    http_status=status,
                    operation=TOKEN_OPERATION,
                )
            )
        return _Token(Secret(value), self._clock.time() + lifetime)


def amz_date(clock: Clock) -> str:
    """``x-amz-date``: basic ISO 8601 UTC, ``20190430T123600Z`` (spec §1.2)."""
    return clock.now().strftime("%Y%m%dT%H%M%SZ")


class LWAAuth(httpx.Auth):
    """Adds ``x-amz-access-token`` and ``x-amz-date``; refreshes once on a 403 "expired".

    Args:
        provider: where tokens come from.
        clock: for ``x-amz-date``.
    """

    def __init__(self, provider: TokenProvider, clock: Clock) -> None:
        self.provider = provider
        self.clock = clock
        self.refreshes = 0
        """403-expired answers that made us refresh (tests read it)."""

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        raise RuntimeError("LWAAuth needs an httpx.AsyncClient")

    def _sign(self, request: httpx.Request, token: Secret) -> None:
        request.headers["x-amz-access-token"] = token.reveal()
        request.headers["x-amz-date"] = amz_date(self.clock)

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self.provider.token()
        self._sign(request, token)
        response = yield request
        if response.status_code != 403:
            return
        # Only 403s are read here, capped like every answer; kept, so the client reads
        # the same body next (what ``aread`` would do, without its unbounded read).
        try:
            response._content = await wire.read_capped(response, self.provider.max_response_bytes)
        except wire.TooLarge as exc:
            raise with_hint(
                MalformedResponseError("ResponseTooLarge", str(exc), http_status=403)
            ) from None
        info = read_errors(response.content)
        if info is None or not EXPIRED_TOKEN.search(f"{info.message} {info.details}"):
            return
        # Once only: a second "expired" is returned to the caller as AccessDenied.
        self.refreshes += 1
        self.provider.invalidate(token)
        self._sign(request, await self.provider.token())
        yield request
