"""The sandbox verifies SigV2 like MWS, checked with a signer written here from the spec.

The signer below uses only hmac/hashlib/base64/urllib.parse (spec/mws.md §1.5), never
the client's signing module, so a shared mistake cannot make both sides agree.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import xmltodict

from mwstui.clock import FakeClock
from mwstui.sandbox.sandbox import Sandbox
from tests.sandbox.conftest import ACCESS_KEY, OTHER_SELLER, SECRET_KEY, SELLER, small_seed
from tests.sandbox.helpers import FBA, REPORTS, USER_AGENT, error, parse

RECORDED = Path(__file__).parents[2] / "fixtures" / "mws-recorded"


def parse_xml(text: str) -> dict:  # type: ignore[type-arg]
    return xmltodict.parse(text)  # type: ignore[no-any-return]


def enc(value: str) -> str:
    return quote(value, safe="-_.~")


def independent_signature(
    secret: str, method: str, host: str, path: str, params: dict[str, str]
) -> str:
    query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}\n{host.lower()}\n{path}\n{query}"
    mac = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def stamp(clock: FakeClock, offset: float = 0.0) -> str:
    when = datetime.fromtimestamp(clock.time(), UTC) + timedelta(seconds=offset)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


class Raw:
    """Hand-built requests: every byte on the wire decided by the test."""

    def __init__(self, sandbox: Sandbox, clock: FakeClock) -> None:
        self.sandbox = sandbox
        self.clock = clock
        self.transport = httpx.ASGITransport(app=sandbox.mws_app)

    def params(self, action: str, version: str = "2009-01-01", **extra: str) -> dict[str, str]:
        p = {
            "AWSAccessKeyId": ACCESS_KEY,
            "Action": action,
            "SellerId": SELLER,
            "SignatureMethod": "HmacSHA256",
            "SignatureVersion": "2",
            "Timestamp": stamp(self.clock),
            "Version": version,
        }
        p.update(extra)
        return p

    async def send(
        self,
        params: dict[str, str],
        *,
        method: str = "POST",
        path: str = REPORTS,
        host: str = "mws.sandbox.test",
        sign_as: tuple[str, str, str] | None = None,
        secret: str = SECRET_KEY,
        user_agent: str | None = USER_AGENT,
    ) -> httpx.Response:
        """Sign (as ``sign_as`` = method, host, path if given) and send."""
        s_method, s_host, s_path = sign_as or (method, host, path)
        signed = dict(params)
        if "Signature" not in signed:
            signed["Signature"] = independent_signature(secret, s_method, s_host, s_path, params)
        body = "&".join(f"{enc(k)}={enc(v)}" for k, v in signed.items())
        headers = {"Host": host}
        if user_agent is not None:
            headers["User-Agent"] = user_agent
        async with httpx.AsyncClient(transport=self.transport, base_url=f"http://{host}") as c:
            if user_agent is None:
                del c.headers["User-Agent"]
            if method == "GET":
                return await c.get(f"{path}?{body}", headers=headers)
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
            return await c.post(path, content=body.encode(), headers=headers)


@pytest.fixture
def raw(small: Sandbox, clock: FakeClock) -> Raw:
    return Raw(small, clock)


async def test_independent_signer_matches_the_published_vector() -> None:
    params = {
        "Action": "DescribeJobFlows",
        "Version": "2009-03-31",
        "AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE",
        "SignatureVersion": "2",
        "SignatureMethod": "HmacSHA256",
        "Timestamp": "2011-10-03T15:19:30",
    }
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    got = independent_signature(secret, "GET", "elasticmapreduce.amazonaws.com", "/", params)
    assert got == "i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf/Mj6vPxyYIs="


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", REPORTS), ("GET", REPORTS), ("POST", "/"), ("GET", "/"), ("POST", REPORTS + "/")],
)
async def test_reports_accepts_post_and_get_at_both_paths(raw: Raw, method: str, path: str) -> None:
    r = await raw.send(raw.params("GetReportCount"), method=method, path=path)
    assert r.status_code == 200, r.text
    assert parse(r)["GetReportCountResponse"]["GetReportCountResult"]["Count"] == "1"


@pytest.mark.parametrize("path", [FBA, FBA + "/"])
async def test_fulfillment_path_with_and_without_trailing_slash(raw: Raw, path: str) -> None:
    r = await raw.send(raw.params("GetServiceStatus", "2010-10-01"), path=path)
    assert r.status_code == 200, r.text


async def test_merchant_is_accepted_instead_of_seller_id(raw: Raw) -> None:
    p = raw.params("GetReportCount")
    del p["SellerId"]
    p["Merchant"] = SELLER
    assert (await raw.send(p)).status_code == 200


async def test_host_with_port_is_part_of_the_signature(raw: Raw) -> None:
    p = raw.params("GetReportCount")
    assert (await raw.send(p, host="127.0.0.1:8443")).status_code == 200
    bad = await raw.send(p, host="127.0.0.1:8443", sign_as=("POST", "127.0.0.1", REPORTS))
    assert error(bad)["Code"] == "SignatureDoesNotMatch"


async def test_special_characters_in_values_verify(raw: Raw) -> None:
    p = raw.params("RequestReport", ReportType="_GET_MERCHANT_LISTINGS_DATA_")
    p["ReportOptions"] = "ShowSalesChannel=true; note=a+b*c~ü/é"
    r = await raw.send(p)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    "sign_as",
    [
        ("GET", "mws.sandbox.test", REPORTS),  # wrong verb
        ("POST", "mws.example.com", REPORTS),  # wrong host
        ("POST", "mws.sandbox.test", "/"),  # wrong path
    ],
)
async def test_signature_over_anything_else_is_refused(
    raw: Raw, sign_as: tuple[str, str, str]
) -> None:
    r = await raw.send(raw.params("GetReportCount"), sign_as=sign_as)
    assert r.status_code == 403
    err = error(r)
    assert (err["Type"], err["Code"]) == ("Sender", "SignatureDoesNotMatch")
    assert err["RequestId"] == r.headers["x-mws-request-id"]


async def test_wrong_secret_is_signature_does_not_match(raw: Raw) -> None:
    r = await raw.send(raw.params("GetReportCount"), secret="not-the-secret")
    assert (r.status_code, error(r)["Code"]) == (403, "SignatureDoesNotMatch")


async def test_tampered_parameter_after_signing_is_refused(raw: Raw) -> None:
    p = raw.params("GetReportCount")
    p["Signature"] = independent_signature(SECRET_KEY, "POST", "mws.sandbox.test", REPORTS, p)
    p["ReportTypeList.Type.1"] = "_GET_FLAT_FILE_ORDERS_DATA_"
    assert error(await raw.send(p))["Code"] == "SignatureDoesNotMatch"


async def test_unknown_access_key(raw: Raw) -> None:
    r = await raw.send(raw.params("GetReportCount", AWSAccessKeyId="AKIANOBODY0000000000"))
    assert (r.status_code, error(r)["Code"]) == (403, "InvalidAccessKeyId")


@pytest.mark.parametrize("offset", [-16 * 60, 16 * 60])
async def test_timestamp_more_than_15_minutes_off_is_request_expired(raw: Raw, offset: int) -> None:
    r = await raw.send(raw.params("GetReportCount", Timestamp=stamp(raw.clock, offset)))
    assert r.status_code == 400
    err = error(r)
    assert err["Code"] == "RequestExpired"
    assert "Timestamp date" in err["Message"]
    assert "<RequestID>" in r.text  # spelt as recorded for this error


@pytest.mark.parametrize("offset", [-14 * 60, 14 * 60])
async def test_timestamp_within_15_minutes_is_fine(raw: Raw, offset: int) -> None:
    r = await raw.send(raw.params("GetReportCount", Timestamp=stamp(raw.clock, offset)))
    assert r.status_code == 200


async def test_expires_instead_of_timestamp(raw: Raw) -> None:
    p = raw.params("GetReportCount")
    del p["Timestamp"]
    p["Expires"] = stamp(raw.clock, 60)
    assert (await raw.send(p)).status_code == 200
    p["Expires"] = stamp(raw.clock, -1)
    assert error(await raw.send(p))["Code"] == "RequestExpired"


@pytest.mark.parametrize(
    ("drop", "extra"),
    [
        ("SellerId", {}),
        ("Timestamp", {}),
        ("SignatureVersion", {}),
        ("AWSAccessKeyId", {}),
        (None, {"SignatureMethod": "HmacMD5"}),
        (None, {"Timestamp": "yesterday"}),
    ],
)
async def test_missing_or_invalid_common_parameters(
    raw: Raw, drop: str | None, extra: dict[str, str]
) -> None:
    p = raw.params("GetReportCount", **extra)
    if drop:
        del p[drop]
    r = await raw.send(p)
    assert (r.status_code, error(r)["Code"]) == (400, "InvalidParameterValue")


async def test_missing_signature(raw: Raw) -> None:
    p = raw.params("GetReportCount")
    p["Signature"] = ""
    assert error(await raw.send(p))["Code"] == "InvalidParameterValue"


async def test_seller_not_authorised_for_the_key_is_access_denied(raw: Raw) -> None:
    p = raw.params("GetReportCount", AWSAccessKeyId="AKIAOTHERKEY00000002", SellerId=SELLER)
    r = await raw.send(p, secret="other")
    assert (r.status_code, error(r)["Code"]) == (401, "AccessDenied")
    p = raw.params("GetReportCount", AWSAccessKeyId="AKIAOTHERKEY00000002", SellerId=OTHER_SELLER)
    assert (await raw.send(p, secret="other")).status_code == 200


async def test_unknown_seller_is_access_denied(raw: Raw) -> None:
    r = await raw.send(raw.params("GetReportCount", SellerId="A0NOBODY"))
    assert (r.status_code, error(r)["Code"]) == (401, "AccessDenied")


async def test_mws_auth_token_is_checked_when_the_seller_has_one(clock: FakeClock) -> None:
    seed = small_seed()
    seed["mws"]["sellers"][0]["auth_token"] = "amzn.mws.0000-test"
    raw = Raw(Sandbox.create(seed=seed, clock=clock, debug=True), clock)
    assert error(await raw.send(raw.params("GetReportCount")))["Code"] == "AccessDenied"
    ok = raw.params("GetReportCount", MWSAuthToken="amzn.mws.0000-test")
    assert (await raw.send(ok)).status_code == 200


async def test_by_default_only_an_overlong_user_agent_is_refused(raw: Raw) -> None:
    # MWS calls the App/1.0 (Language=…) form a best practice; it refuses only > 500 chars.
    assert (await raw.send(raw.params("GetReportCount"), user_agent="curl/8.0")).status_code == 200
    long = "app/1 (Language=Python; X=" + "y" * 500 + ")"
    assert error(await raw.send(raw.params("GetReportCount"), user_agent=long))["Code"] == (
        "UserAgentHeaderMalformed"
    )
    assert (await raw.send(raw.params("GetReportCount"), user_agent=None)).status_code == 200


async def test_the_strict_user_agent_check_is_a_seed_option(clock: FakeClock) -> None:
    raw = Raw(
        Sandbox.create(seed=small_seed(options={"strict_user_agent": True}), clock=clock), clock
    )
    r = await raw.send(raw.params("GetReportCount"), user_agent="curl/8.0")
    assert (r.status_code, error(r)["Code"]) == (400, "UserAgentHeaderMalformed")
    good = "mwstui/0.1.0 (Language=Python/3.11; Platform=Linux)"
    assert (await raw.send(raw.params("GetReportCount"), user_agent=good)).status_code == 200


async def test_unknown_path_is_invalid_address_like_the_recording(raw: Raw) -> None:
    p = raw.params("GetServiceStatus", "")
    r = await raw.send(p, path="/Sellers/")
    assert r.status_code == 404
    doc = parse(r)["ErrorResponse"]
    assert doc["@xmlns"] == "https://mws.amazonservices.com/"
    assert doc["Error"]["Code"] == "InvalidAddress"
    recorded = json.loads((RECORDED / "any--unknown-path-404.json").read_text())["response"]["body"]
    assert doc["Error"]["Message"] == parse_xml(recorded)["ErrorResponse"]["Error"]["Message"]
    assert doc["RequestID"] == r.headers["x-mws-request-id"]


@pytest.mark.parametrize(
    ("action", "version", "fragment"),
    [
        ("GetReportCount", "", "API Version is missing"),
        ("GetReportCount", "2010-10-01", "API Version 2010-10-01 is not valid"),
        ("ListAllFulfillmentOrders", "2009-01-01", "Operation ListAllFulfillmentOrders"),
        ("", "2009-01-01", "Operation"),
    ],
)
async def test_wrong_version_or_action_is_invalid_address(
    raw: Raw, action: str, version: str, fragment: str
) -> None:
    r = await raw.send(raw.params(action, version))
    assert (r.status_code, error(r)["Code"]) == (404, "InvalidAddress")
    assert fragment in error(r)["Message"]


async def test_ping_on_the_root(raw: Raw) -> None:
    async with httpx.AsyncClient(transport=raw.transport, base_url="http://mws.sandbox.test") as c:
        r = await c.get("/")
    assert r.status_code == 200
    assert parse(r)["PingResponse"]["Timestamp"]["@timestamp"].endswith("Z")
    assert r.headers["date"].endswith("GMT")
