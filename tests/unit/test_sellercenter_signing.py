"""SellerCenter signing: vectors A, B, C and D of spec/sellercenter.md §1.3, and the Auth."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest

from mwstui.clock import FakeClock
from mwstui.secret import Secret
from mwstui.sellercenter.signing import (
    SellerCenterAuth,
    format_timestamp,
    hmac_hex,
    sign,
    signed_query,
    string_to_sign,
)

A_KEY = "b1bdb357ced10fe4e9a69840cdd4f0e9c03d77fe"
A_PARAMS = {
    "Action": "FeedList",
    "Format": "XML",
    "Timestamp": "2015-07-01T11:11:11+00:00",
    "UserID": "look@me.com",
    "Version": "1.0",
}
A_STRING = (
    "Action=FeedList&Format=XML&Timestamp=2015-07-01T11%3A11%3A11%2B00%3A00"
    "&UserID=look%40me.com&Version=1.0"
)
A_SIGNATURE = "3ceb8ed91049dfc718b0d2d176fb2ed0e5fd74f76c5971f34cdab48412476041"


def test_vector_a_string_to_sign_and_signature() -> None:
    assert string_to_sign(A_PARAMS) == A_STRING
    assert sign(A_KEY, A_PARAMS) == A_SIGNATURE
    assert sign(Secret(A_KEY), A_PARAMS) == A_SIGNATURE


def test_vector_a_final_query_appends_signature_last() -> None:
    assert signed_query(A_PARAMS, A_SIGNATURE) == f"{A_STRING}&Signature={A_SIGNATURE}"


def test_vector_b_names_are_case_sensitive() -> None:
    params = dict(A_PARAMS)
    params["version"] = params.pop("Version")
    expected = "9cbcdf6a7d8f8229ec01f67268a1ed82b47f8f931a2990316fe83835441ebff3"
    assert sign(A_KEY, params) == expected
    # Byte order: the lower-case name now sorts after every upper-case one.
    assert string_to_sign(params).endswith("&version=1.0")


def test_vector_c_space_is_percent_20() -> None:
    params = {
        "Foo": "bar",
        "Whatever": "you want",
        "Timestamp": "2014-11-12T11:45:26Z",
        "UserID": "abc@sellercenter.net",
    }
    assert string_to_sign(params) == (
        "Foo=bar&Timestamp=2014-11-12T11%3A45%3A26Z&UserID=abc%40sellercenter.net"
        "&Whatever=you%20want"
    )
    assert sign("1234567890", params) == (
        "bb6b9ee192fe31f7e21c2fcc6298feccc777b747beb0a062e7c21072671a5cae"
    )


@pytest.mark.parametrize(
    ("key", "message", "expected"),
    [
        (
            "67c7ef5fa5d408aed1",
            "param1=123&param2=ab%20cd",
            "1dff271f6157edfbfc592966a3b811efee46df45e002c25120e4c65e06990c7a",
        ),
        (
            "67c7ef5fa5d408aed1diff",
            "param1=123&param2=ab%20cd",
            "fa95b6da10e5c6b59569627cc88a8f56d2b8d8a8db6543c3e307d6bf8e9cf1db",
        ),
        (
            "67c7ef5fa5d408aed1",
            "param1=123&param2=ab%20cd&someother",
            "7e6782cabcc903dc9e03b10fcd61deafd42a72bbcc750db01819611ec11255b7",
        ),
    ],
)
def test_vector_d_hmac_step(key: str, message: str, expected: str) -> None:
    assert hmac_hex(key, message) == expected


def test_signature_is_never_signed_and_encoding_pitfalls() -> None:
    assert sign(A_KEY, {**A_PARAMS, "Signature": "x"}) == A_SIGNATURE
    sts = string_to_sign({"OrderIdList": "[123,456]", "Reason": "a+b/c~d*e"})
    assert sts == "OrderIdList=%5B123%2C456%5D&Reason=a%2Bb%2Fc~d%2Ae"


@pytest.mark.parametrize(
    ("when", "text"),
    [
        (datetime(2015, 7, 1, 11, 11, 11, 999_000, tzinfo=UTC), "2015-07-01T11:11:11+00:00"),
        (
            datetime(2015, 7, 1, 13, 11, 11, tzinfo=timezone(timedelta(hours=2))),
            "2015-07-01T11:11:11+00:00",
        ),
        (datetime(2015, 7, 1, 11, 11, 11), "2015-07-01T11:11:11+00:00"),
    ],
)
def test_timestamp_is_utc_date_atom(when: datetime, text: str) -> None:
    assert format_timestamp(when) == text


def _signed(auth: SellerCenterAuth, request: httpx.Request) -> httpx.Request:
    return next(auth.auth_flow(request))


def test_auth_adds_common_parameters_and_a_verifiable_signature() -> None:
    clock = FakeClock(start=datetime(2015, 7, 1, 11, 11, 11, tzinfo=UTC).timestamp())
    auth = SellerCenterAuth("look@me.com", Secret(A_KEY), clock, version="1.0", fmt="XML")
    req = httpx.Request("GET", "https://sc.example/", params={"Action": "FeedList"})
    out = _signed(auth, req)
    assert out.url.query.decode() == f"{A_STRING}&Signature={A_SIGNATURE}"
    assert out.headers["accept"] == "application/xml"


def test_auth_signs_post_query_leaves_body_empty_and_replaces_stale_signature() -> None:
    clock = FakeClock()
    auth = SellerCenterAuth("u@x.test", Secret("k"), clock, version="1.0")
    req = httpx.Request(
        "POST",
        "https://sc.example/",
        params={"Action": "SetStatusToCanceled", "Reason": "Out of stock", "Signature": "old"},
    )
    out = _signed(auth, req)
    params = dict(out.url.params.multi_items())
    assert out.content == b""
    assert params["Format"] == "JSON" and params["UserID"] == "u@x.test"
    assert params["Timestamp"] == format_timestamp(clock.now())
    assert "Reason=Out%20of%20stock" in out.url.query.decode()
    assert params["Signature"] == sign("k", params) != "old"
    assert out.headers["accept"] == "application/json"


def test_auth_resigns_with_a_fresh_timestamp() -> None:
    clock = FakeClock()
    auth = SellerCenterAuth("u@x.test", Secret("k"), clock, version="1.0")
    first = dict(_signed(auth, httpx.Request("GET", "https://h/?Action=GetOrders")).url.params)
    clock.advance(61)
    second = dict(_signed(auth, httpx.Request("GET", "https://h/?Action=GetOrders")).url.params)
    assert first["Timestamp"] != second["Timestamp"]
    assert first["Signature"] != second["Signature"]


def test_auth_never_shows_the_key() -> None:
    auth = SellerCenterAuth("u@x.test", Secret(A_KEY), FakeClock(), version="1.0")
    assert A_KEY not in repr(auth) and A_KEY not in str(vars(auth))
