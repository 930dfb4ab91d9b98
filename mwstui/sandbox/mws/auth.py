"""Server-side SigV2 verification: who is calling, for which seller, and is it fresh.

The signature is recomputed from what was actually received — the HTTP method, the
Host header, the requested path and every parameter but ``Signature`` — so a client
that signs anything else (another path, a default port, a form-encoded ``+``) fails
here exactly as it would have failed at Amazon.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from mwstui.mws.signing import sign_v2
from mwstui.sandbox.mws.fault import MWSFault, invalid, missing
from mwstui.sandbox.mws.params import parse_iso8601
from mwstui.sandbox.mws.xml_render import ms_date
from mwstui.secret import Secret

_SIGNATURE_METHODS = ("HmacSHA256", "HmacSHA1")
_DEFAULT_PORT_SUFFIX = re.compile(r":(80|443)$")
# MWS User-Agent: AppName/AppVersion (Language=...; Name=Value...) — spec §1.3.
_USER_AGENT = re.compile(
    r"^\S(?:[^/]|\\/)*/\S.* \(Language=[^;)]+(?:; *[^=;)]+=(?:[^;)]|\\[;)])+)*\)$"
)
_USER_AGENT_MAX = 500


@dataclass(frozen=True, slots=True)
class SellerAccount:
    """A seller the sandbox knows: its id, marketplaces and (optional) MWSAuthToken."""

    seller_id: str
    marketplaces: tuple[str, ...]
    auth_token: str | None = None


@dataclass(frozen=True, slots=True)
class Developer:
    """A developer key pair and the sellers that authorised it."""

    access_key: str
    secret_key: Secret
    sellers: frozenset[str] = field(default_factory=frozenset)


class MWSVerifier:
    """Checks the common parameters of a call and returns the seller it acts for.

    Args:
        developers: the known access keys.
        sellers: the known sellers by id.
        tolerance: seconds a Timestamp may be off the server clock (15 min documented).
        strict_user_agent: also refuse a User-Agent not shaped ``App/1.0 (Language=…)``.
            MWS documents the form as a best practice and refuses outright only a header
            over 500 characters, so by default only that is refused (a seed option).
    """

    def __init__(
        self,
        developers: Mapping[str, Developer],
        sellers: Mapping[str, SellerAccount],
        *,
        tolerance: float,
        strict_user_agent: bool = False,
    ) -> None:
        self._developers = dict(developers)
        self._sellers = dict(sellers)
        self._tolerance = tolerance
        self.strict_user_agent = strict_user_agent

    def check_user_agent(self, user_agent: str | None) -> None:
        """UserAgentHeaderMalformed for a header over 500 chars or (strict) out of format."""
        if user_agent is None:
            return
        if len(user_agent) > _USER_AGENT_MAX or (
            self.strict_user_agent and not _USER_AGENT.match(user_agent)
        ):
            raise MWSFault(
                400,
                "UserAgentHeaderMalformed",
                "The User-Agent header is malformed. Amazon MWS requires a User-Agent "
                "header such as MyAppName/build123 (Language=Java/1.2).",
            )

    def verify(
        self, *, method: str, host: str, path: str, params: Mapping[str, str], now: float
    ) -> SellerAccount:
        """Authenticate one call.

        Raises:
            MWSFault: InvalidParameterValue, InvalidAccessKeyId, SignatureDoesNotMatch,
                RequestExpired or AccessDenied, in the order the service checks them.
        """
        access_key = params.get("AWSAccessKeyId") or ""
        if not access_key:
            raise missing("AWSAccessKeyId")
        dev = self._developers.get(access_key)
        if dev is None:
            raise MWSFault(
                403,
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.",
            )
        signature = params.get("Signature") or ""
        if not signature:
            raise missing("Signature")
        if params.get("SignatureVersion") != "2":
            raise invalid("Value for parameter SignatureVersion is invalid: must be 2.")
        algorithm = params.get("SignatureMethod") or ""
        if algorithm not in _SIGNATURE_METHODS:
            raise invalid(f"Value {algorithm} for parameter SignatureMethod is invalid.")
        stamp = self._timestamp(params)
        if not self._signature_ok(dev, method, host, path, params, signature, algorithm):
            raise MWSFault(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you "
                "provided. Check your AWS Secret Access Key and signing method. Consult "
                "the service documentation for details.",
            )
        self._fresh(params, stamp, now)
        return self._seller(dev, params)

    def _timestamp(self, params: Mapping[str, str]) -> tuple[str, float]:
        name = "Timestamp" if params.get("Timestamp") else "Expires"
        raw = params.get(name) or ""
        if not raw:
            raise missing("Timestamp")
        when = parse_iso8601(raw)
        if when is None:
            raise invalid(f"Value {raw} for parameter {name} is invalid.")
        return name, when

    def _signature_ok(
        self,
        dev: Developer,
        method: str,
        host: str,
        path: str,
        params: Mapping[str, str],
        signature: str,
        algorithm: str,
    ) -> bool:
        # A Host header may carry the scheme's default port, which SigV2 leaves out.
        hosts = {host.lower(), _DEFAULT_PORT_SUFFIX.sub("", host.lower())}
        for h in hosts:
            expected = sign_v2(dev.secret_key, method, h, path or "/", params, algorithm)
            if hmac.compare_digest(expected.encode(), signature.encode()):
                return True
        return False

    def _fresh(self, params: Mapping[str, str], stamp: tuple[str, float], now: float) -> None:
        name, when = stamp
        raw = params.get(name) or ""
        if name == "Expires":
            if now > when:
                raise _expired(f"Request has expired. Expires date: {raw}")
            return
        if when < now - self._tolerance:
            raise _expired(
                f"Request signature is too far in the past and has expired. Timestamp date: {raw}"
            )
        if when > now + self._tolerance:
            raise _expired(
                f"Request timestamp is too far in the future. Timestamp date: {raw}; "
                f"server time: {ms_date(now)}"
            )

    def _seller(self, dev: Developer, params: Mapping[str, str]) -> SellerAccount:
        seller_id = params.get("SellerId") or ""
        merchant = params.get("Merchant") or ""
        if seller_id and merchant and seller_id != merchant:
            raise invalid("SellerId and Merchant name different sellers.")
        seller_id = seller_id or merchant
        if not seller_id:
            raise missing("SellerId")
        seller = self._sellers.get(seller_id)
        if seller is None or seller_id not in dev.sellers:
            raise MWSFault(401, "AccessDenied", "Access denied")
        token = params.get("MWSAuthToken") or ""
        if seller.auth_token is not None and not hmac.compare_digest(
            token.encode(), seller.auth_token.encode()
        ):
            raise MWSFault(401, "AccessDenied", "Access denied: invalid MWSAuthToken")
        return seller


def _expired(message: str) -> MWSFault:
    # Observed with <RequestID> spelt in capitals (spec §1.2); HTTP status unrecorded.
    return MWSFault(400, "RequestExpired", message, request_id_tag="RequestID")
