"""MWS Signature Version 2 (spec/mws.md §1.5) and an ``httpx.Auth`` that applies it."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Generator, Mapping
from datetime import datetime
from urllib.parse import parse_qsl, urlencode

import httpx

from mwstui.calls import SignedParams
from mwstui.clock import Clock
from mwstui.secret import Secret
from mwstui.urlenc import canonical_query, percent_encode
from mwstui.wire import canonical_host

_DIGESTS = {"HmacSHA256": hashlib.sha256, "HmacSHA1": hashlib.sha1}


def canonical_path(path: str) -> str:
    """The URI path with each segment percent-encoded; ``/`` when empty."""
    if not path:
        return "/"
    return "/".join(percent_encode(seg) for seg in path.split("/"))


def string_to_sign(method: str, host: str, path: str, params: Mapping[str, str]) -> str:
    """``VERB\\nhost\\npath\\ncanonical-query``; ``Signature`` is never part of it."""
    query = canonical_query({k: v for k, v in params.items() if k != "Signature"})
    return "\n".join((method.upper(), host.lower(), canonical_path(path), query))


def sign_v2(
    secret: Secret | str,
    method: str,
    host: str,
    path: str,
    params: Mapping[str, str],
    algorithm: str = "HmacSHA256",
) -> str:
    """The base64 SigV2 signature of a request.

    Raises:
        ValueError: for a signature method other than HmacSHA256 / HmacSHA1.
    """
    try:
        digest = _DIGESTS[algorithm]
    except KeyError:
        raise ValueError(f"unsupported SignatureMethod {algorithm!r}") from None
    msg = string_to_sign(method, host, path, params).encode("utf-8")
    # The key is revealed inline, never held in a local a traceback could print.
    mac = hmac.new(
        (secret.reveal() if isinstance(secret, Secret) else secret).encode("utf-8"), msg, digest
    )
    return base64.b64encode(mac.digest()).decode("ascii")


def content_md5(data: bytes) -> str:
    """Base64 of the raw MD5 digest, as in the ``Content-MD5`` header."""
    return base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode("ascii")


def format_timestamp(when: datetime) -> str:
    """ISO 8601 UTC with milliseconds and ``Z``, as the official clients send."""
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


class MWSAuth(httpx.Auth):
    """Adds the common authentication parameters and the SigV2 signature.

    The request's parameters come from its form body (POST) or its query (GET).
    Timestamp is set at signing time from the injected clock, so every retry is
    signed afresh.

    Args:
        access_key: the developer access key id (not secret).
        secret_key: the developer secret key.
        clock: where Timestamp comes from.
        auth_token: MWSAuthToken for a third-party developer, if any.
    """

    def __init__(
        self,
        access_key: str,
        secret_key: Secret,
        clock: Clock,
        auth_token: Secret | None = None,
    ) -> None:
        self.access_key = access_key
        self._secret = secret_key
        self._auth_token = auth_token
        self._clock = clock

    def __repr__(self) -> str:
        return f"MWSAuth(access_key={self.access_key!r})"

    def sign_params(self, method: str, url: httpx.URL, params: dict[str, str]) -> SignedParams:
        """Return ``params`` with the auth parameters and ``Signature`` added.

        The result masks MWSAuthToken and Signature in its ``repr``.
        """
        out = SignedParams({k: v for k, v in params.items() if k != "Signature"})
        out["AWSAccessKeyId"] = self.access_key
        if self._auth_token:
            out["MWSAuthToken"] = self._auth_token.reveal()
        out.setdefault("SignatureMethod", "HmacSHA256")
        out["SignatureVersion"] = "2"
        out["Timestamp"] = format_timestamp(self._clock.now())
        out["Signature"] = sign_v2(
            self._secret, method, canonical_host(url), url.path, out, out["SignatureMethod"]
        )
        return out

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        method = request.method.upper()
        if method == "POST":
            params = dict(parse_qsl(request.content.decode("utf-8"), keep_blank_values=True))
            signed = self.sign_params(method, request.url, params)
            body = urlencode(signed, quote_via=lambda s, *_: percent_encode(s))
            headers = httpx.Headers(request.headers)
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
            headers["Content-Length"] = str(len(body))
            request = httpx.Request(
                method,
                request.url.copy_with(query=None),
                headers=headers,
                content=body.encode("ascii"),
                extensions=request.extensions,
            )
        else:
            params = dict(request.url.params.multi_items())
            signed = self.sign_params(method, request.url, params)
            query = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in signed.items())
            request.url = request.url.copy_with(query=query.encode("ascii"))
        yield request
