"""SellerCenter request signing (spec/sellercenter.md §1.2) and an ``httpx.Auth`` applying it."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Generator, Mapping
from datetime import UTC, datetime

import httpx

from mwstui.calls import SECRET_PARAMS, SignedParams
from mwstui.clock import Clock
from mwstui.secret import MASK, Secret
from mwstui.urlenc import canonical_query, percent_encode


def string_to_sign(params: Mapping[str, str]) -> str:
    """Every parameter but ``Signature``, byte-order sorted, RFC 3986 encoded, ``&``-joined."""
    return canonical_query({k: v for k, v in params.items() if k != "Signature"})


def hmac_hex(key: Secret | str, message: str) -> str:
    """Lower-case hex HMAC-SHA256 of ``message``; the key is used as its UTF-8 text.

    The API key looks like hex but is never hex-decoded (spec §1.2 step 5).
    """
    # The key is revealed inline, never held in a local a traceback could print.
    return hmac.new(
        (key.reveal() if isinstance(key, Secret) else key).encode("utf-8"),
        message.encode("utf-8"),
        hashlib.sha256,
    ).hexdigest()


def sign(api_key: Secret | str, params: Mapping[str, str]) -> str:
    """The ``Signature`` value for a request carrying ``params``."""
    return hmac_hex(api_key, string_to_sign(params))


def format_timestamp(when: datetime) -> str:
    """ISO 8601 in UTC with a ``+00:00`` offset (PHP ``DATE_ATOM``), as LINIO sends it."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


_SECRET_QUERY = re.compile("([?&](?:" + "|".join(sorted(SECRET_PARAMS)) + ")=)[^&#]*")


def masked_url(url: httpx.URL | str) -> str:
    """``url`` as text with ``Signature`` (and any secret parameter) masked in its query."""
    return _SECRET_QUERY.sub(lambda m: m.group(1) + MASK, str(url))


class SignedRequest(httpx.Request):
    """An ``httpx.Request`` whose ``repr`` masks the Signature its query will carry.

    SellerCenter signs in the query string, and httpx keeps the request in the locals of
    every frame of the send path: a traceback printed with its locals would show it.
    """

    @classmethod
    def of(cls, request: httpx.Request) -> SignedRequest:
        """The same request (method, URL, headers, body, extensions) with the masking repr."""
        return cls(
            request.method,
            request.url,
            headers=request.headers,
            stream=request.stream,
            extensions=request.extensions,
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__}({self.method!r}, {masked_url(self.url)!r})>"


def signed_query(params: Mapping[str, str], signature: str) -> str:
    """The encoded query: the parameters in signing order, then ``Signature`` (GFG-PHP style)."""
    return f"{string_to_sign(params)}&Signature={percent_encode(signature)}"


class SellerCenterAuth(httpx.Auth):
    """Adds ``Timestamp``, ``UserID``, ``Version``, ``Format`` and the ``Signature``.

    Operation parameters (``Action``, ``OrderId`` …) are read from the request's query
    string, for GET and POST alike; the body is left alone (empty for every order call).
    Timestamp comes from the injected clock at signing time, so a retry is signed afresh.

    Args:
        user_id: the Seller Center login e-mail.
        api_key: the user's API key.
        clock: where Timestamp comes from.
        version: the API version (catalog: ``1.0``).
        fmt: ``JSON`` or ``XML``: the response format asked for.
    """

    def __init__(
        self, user_id: str, api_key: Secret, clock: Clock, *, version: str, fmt: str = "JSON"
    ) -> None:
        self.user_id = user_id
        self._api_key = api_key
        self._clock = clock
        self.version = version
        self.fmt = fmt

    def __repr__(self) -> str:
        return f"SellerCenterAuth(user_id={self.user_id!r})"

    def sign_params(self, params: Mapping[str, str]) -> SignedParams:
        """Return ``params`` with the common parameters and ``Signature`` (masked in repr)."""
        out = SignedParams({k: v for k, v in params.items() if k != "Signature"})
        out["Format"] = self.fmt
        out["Timestamp"] = format_timestamp(self._clock.now())
        out["UserID"] = self.user_id
        out["Version"] = self.version
        out["Signature"] = sign(self._api_key, out)
        return out

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        params = dict(request.url.params.multi_items())
        signed = self.sign_params(params)
        signature = signed.pop("Signature")
        query = signed_query(signed, signature)
        request.url = request.url.copy_with(query=query.encode("ascii"))
        request.headers["Accept"] = (
            "application/json" if self.fmt.upper() == "JSON" else "application/xml"
        )
        yield request
