"""The LWA token endpoint and access tokens that really expire on the sandbox clock."""

from __future__ import annotations

from mwstui.clock import FakeClock
from mwstui.sandbox.sandbox import Sandbox
from mwstui.sandbox.spapi import demo
from tests.sandbox.conftest import small_seed
from tests.sandbox.spapi.helpers import REPORTS, SP, error

REPORTS_LIST = f"{REPORTS}/reports"
PARAMS = {"reportTypes": "GET_AFN_INVENTORY_DATA"}


async def test_form_body_gives_a_bearer_token_valid_an_hour(sp: SP) -> None:
    r = await sp.lwa()
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["x-amzn-requestid"]
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert body["access_token"].startswith("Atza|")
    assert len(body["access_token"].encode()) <= 2048
    assert body["refresh_token"] == sp.refresh_token


async def test_json_body_is_accepted_too(sp: SP) -> None:
    r = await sp.lwa(json=True)
    assert r.status_code == 200
    token = r.json()["access_token"]
    assert (await sp.call("GET", REPORTS_LIST, params=PARAMS, token=token)).status_code == 200


async def test_wrong_client_secret_is_invalid_client_401(sp: SP) -> None:
    r = await sp.lwa({"client_secret": "wrong"})
    assert r.status_code == 401
    assert r.json() == {
        "error_description": "Client authentication failed",
        "error": "invalid_client",
    }


async def test_unknown_client_id_is_invalid_client_401(sp: SP) -> None:
    r = await sp.lwa({"client_id": "amzn1.application-oa2-client.nobody"}, json=True)
    assert (r.status_code, r.json()["error"]) == (401, "invalid_client")


async def test_wrong_refresh_token_is_invalid_grant_400(sp: SP) -> None:
    r = await sp.lwa({"refresh_token": "Atzr|not-this-one"})
    assert r.status_code == 400
    assert r.json() == {
        "error_description": "The request has an invalid grant parameter : refresh_token",
        "error": "invalid_grant",
    }


async def test_revoked_authorization_says_the_user_may_have_revoked(clock: FakeClock) -> None:
    section = demo.demo_section()
    section["sellers"][0]["revoked"] = True
    section["sellers"][0]["generate"] = {"reports": 0, "fulfillment_orders": 0, "schedules": 0}
    sandbox = Sandbox.create(seed=small_seed(spapi=section), clock=clock)
    r = await SP(sandbox).lwa()
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_grant"
    assert "User may have revoked" in r.json()["error_description"]


async def test_missing_field_and_unknown_grant_type(sp: SP) -> None:
    r = await sp.lwa({"refresh_token": ""})
    assert (r.status_code, r.json()["error"]) == (400, "invalid_request")
    r = await sp.lwa({"grant_type": "password"})
    assert (r.status_code, r.json()["error"]) == (400, "unsupported_grant_type")


async def test_token_expires_after_an_hour_of_sandbox_time(sp: SP, clock: FakeClock) -> None:
    token = await sp.login()
    clock.advance(3599)
    assert (await sp.call("GET", REPORTS_LIST, params=PARAMS, token=token)).status_code == 200
    clock.advance(1)
    r = await sp.call("GET", REPORTS_LIST, params=PARAMS, token=token)
    assert r.status_code == 403
    assert error(r) == {
        "code": "Unauthorized",
        "message": "Access to requested resource is denied.",
        "details": "The access token you provided has expired.",
    }
    assert "x-amzn-ratelimit-limit" not in r.headers
    assert r.headers["x-amzn-requestid"]
    fresh = await sp.login()  # the refresh token still works: refresh and retry
    assert (await sp.call("GET", REPORTS_LIST, params=PARAMS, token=fresh)).status_code == 200


async def test_missing_and_unknown_tokens_are_403(sp: SP) -> None:
    r = await sp.call("GET", REPORTS_LIST, params=PARAMS, token="")
    assert (r.status_code, error(r)["details"]) == (
        403,
        "Access token is missing in the request header.",
    )
    r = await sp.call("GET", REPORTS_LIST, params=PARAMS, token="Atza|forged")
    assert error(r)["details"] == "The access token you provided is revoked, malformed or invalid."


async def test_grantless_token_cannot_act_for_a_seller(sp: SP) -> None:
    r = await sp.lwa(
        {"grant_type": "client_credentials", "scope": "sellingpartnerapi::notifications"}
    )
    assert r.status_code == 200 and "refresh_token" not in r.json()
    r = await sp.call("GET", REPORTS_LIST, params=PARAMS, token=r.json()["access_token"])
    assert (r.status_code, error(r)["code"]) == (403, "Unauthorized")


async def test_a_sigv4_authorization_header_is_ignored(sp: SP) -> None:
    r = await sp.call(
        "GET",
        REPORTS_LIST,
        params=PARAMS,
        headers={"Authorization": "AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/..."},
    )
    assert r.status_code == 200
