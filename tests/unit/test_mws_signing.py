"""SigV2: every published vector of spec/mws.md §1.6, the self-computed ones, and MD5."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qsl

import httpx
import pytest

from mwstui.clock import FakeClock
from mwstui.mws.signing import (
    MWSAuth,
    canonical_host,
    content_md5,
    format_timestamp,
    sign_v2,
    string_to_sign,
)
from mwstui.secret import Secret
from mwstui.urlenc import canonical_query, percent_encode

V1_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
V1_PARAMS = {
    "Action": "DescribeJobFlows",
    "Version": "2009-03-31",
    "AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE",
    "SignatureVersion": "2",
    "SignatureMethod": "HmacSHA256",
    "Timestamp": "2011-10-03T15:19:30",
}


def test_v1_canonical_query() -> None:
    assert canonical_query(V1_PARAMS) == (
        "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=DescribeJobFlows&SignatureMethod=HmacSHA256"
        "&SignatureVersion=2&Timestamp=2011-10-03T15%3A19%3A30&Version=2009-03-31"
    )


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("GET", "i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf/Mj6vPxyYIs="),
        ("POST", "wseguMzBRgA/4/fan8ZwEa0PIF+ws4WFbTJcG1ts5RY="),
    ],
)
def test_v1_aws_documentation_example(method: str, expected: str) -> None:
    assert sign_v2(V1_SECRET, method, "elasticmapreduce.amazonaws.com", "/", V1_PARAMS) == expected


def test_v2_product_advertising_example_non_root_path_and_commas() -> None:
    params = {
        "Service": "AWSECommerceService",
        "AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE",
        "AssociateTag": "mytag-20",
        "Operation": "ItemLookup",
        "ItemId": "0679722769",
        "ResponseGroup": "Images,ItemAttributes,Offers,Reviews",
        "Version": "2013-08-01",
        "Timestamp": "2014-08-18T12:00:00Z",
    }
    got = sign_v2("1234567890", "GET", "webservices.amazon.com", "/onca/xml", params)
    assert got == "j7bZM0LXZ9eXeZruTqWm2DIvDYVUU3wxPPpp+iXxzQc="


def test_v3_recorded_mws_client_request_with_empty_version() -> None:
    params = {
        "AWSAccessKeyId": "a",
        "Action": "GetServiceStatus",
        "MWSAuthToken": "b",
        "SellerId": "d",
        "SignatureMethod": "HmacSHA256",
        "SignatureVersion": "2",
        "Timestamp": "2020-05-28T11:51:00.802Z",
        "Version": "",
    }
    got = sign_v2("c", "POST", "mws.amazonservices.ca", "/Sellers/", params)
    assert got == "NXP6e4Af2LdiYKr/ugIJJThluWHhTbYMRCaj8Nz40t4="
    assert percent_encode(got) == "NXP6e4Af2LdiYKr%2FugIJJThluWHhTbYMRCaj8Nz40t4%3D"


V4_PARAMS = {
    "AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE",
    "Action": "GetReportRequestList",
    "Merchant": "A1EXAMPLESELLER",
    "MWSAuthToken": "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE",
    "ReportTypeList.Type.1": "_GET_FLAT_FILE_ORDERS_DATA_",
    "ReportProcessingStatusList.Status.1": "_DONE_",
    "MaxCount": "100",
    "SignatureMethod": "HmacSHA256",
    "SignatureVersion": "2",
    "Timestamp": "2020-06-11T08:01:48Z",
    "Version": "2009-01-01",
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/Reports/2009-01-01", "PjJlzTayOv7dJVHzb8qxo1QSdQVUSX3lUvYFOgfgOcQ="),
        ("/", "K+h2xV1NkGq20fg3qYj7TeXH0JHcZvO6W3OGdpIJOeo="),
    ],
)
def test_v4_reports_paths(path: str, expected: str) -> None:
    assert sign_v2(V1_SECRET, "POST", "mws.amazonservices.com", path, V4_PARAMS) == expected


def test_v5_encoding_of_tilde_star_plus_space_and_utf8_and_host_case() -> None:
    params = {
        "AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE",
        "Action": "CreateFulfillmentOrder",
        "SellerId": "A1EXAMPLESELLER",
        "SellerFulfillmentOrderId": "order~1*a",
        "DisplayableOrderComment": "Thank you! a+b=c / ü",
        "DestinationAddress.Name": "Jane Doe",
        "Items.member.1.SellerSKU": "SKU-1",
        "Items.member.1.SellerFulfillmentOrderItemId": "item 1",
        "Items.member.1.Quantity": "2",
        "SignatureMethod": "HmacSHA256",
        "SignatureVersion": "2",
        "Timestamp": "2020-07-17T07:17:00Z",
        "Version": "2010-10-01",
    }
    sts = string_to_sign(
        "POST", "MWS.amazonservices.com", "/FulfillmentOutboundShipment/2010-10-01", params
    )
    assert "SellerFulfillmentOrderId=order~1%2Aa" in sts
    assert "DisplayableOrderComment=Thank%20you%21%20a%2Bb%3Dc%20%2F%20%C3%BC" in sts
    assert sts.splitlines()[1] == "mws.amazonservices.com"
    got = sign_v2(
        V1_SECRET,
        "POST",
        "MWS.amazonservices.com",
        "/FulfillmentOutboundShipment/2010-10-01",
        params,
    )
    assert got == "k9nvZd3Pp3IKLLmQCz3ymDzw/eOFA17NSJ8rv0wIxhc="


def test_signature_parameter_is_never_signed() -> None:
    with_sig = dict(V1_PARAMS, Signature="anything")
    assert sign_v2(V1_SECRET, "GET", "elasticmapreduce.amazonaws.com", "/", with_sig) == (
        "i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf/Mj6vPxyYIs="
    )


def test_hmac_sha1_variant_differs_and_unknown_method_is_refused() -> None:
    sha1 = sign_v2(V1_SECRET, "GET", "h", "/", V1_PARAMS, "HmacSHA1")
    assert len(sha1) == 28 and sha1 != sign_v2(V1_SECRET, "GET", "h", "/", V1_PARAMS)
    with pytest.raises(ValueError, match="unsupported"):
        sign_v2(V1_SECRET, "GET", "h", "/", V1_PARAMS, "HmacMD5")


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://MWS.AmazonServices.com/", "mws.amazonservices.com"),
        ("https://mws.amazonservices.com:443/", "mws.amazonservices.com"),
        ("http://127.0.0.1:8443/Reports/2009-01-01", "127.0.0.1:8443"),
        ("http://localhost:80/", "localhost"),
    ],
)
def test_canonical_host_keeps_only_non_default_ports(url: str, host: str) -> None:
    assert canonical_host(httpx.URL(url)) == host


@pytest.mark.parametrize(
    ("data", "md5"),
    [(b"", "1B2M2Y8AsgTpgAmY7PhCfg=="), (b"mws", "mA5nPbh1CSx9M3dbkr3Cyg==")],
)
def test_md5_vectors(data: bytes, md5: str) -> None:
    assert content_md5(data) == md5


def test_timestamp_format_has_milliseconds_and_z() -> None:
    when = datetime(2020, 6, 11, 8, 1, 48, 486123, tzinfo=UTC)
    assert format_timestamp(when) == "2020-06-11T08:01:48.486Z"


def _flow(auth: MWSAuth, request: httpx.Request) -> httpx.Request:
    return next(auth.auth_flow(request))


def test_auth_signs_post_form_body_and_verifies_independently() -> None:
    clock = FakeClock(start=1_591_862_508.486)
    auth = MWSAuth("AKID", Secret("s3cr3t"), clock, auth_token=Secret("amzn.mws.x"))
    req = httpx.Request(
        "POST",
        "https://mws.amazonservices.ca/Reports/2009-01-01",
        data={"Action": "GetReportRequestList", "SellerId": "S1", "Version": "2009-01-01"},
    )
    signed = _flow(auth, req)
    params = dict(parse_qsl(signed.content.decode(), keep_blank_values=True))
    assert params["Timestamp"] == "2020-06-11T08:01:48.486Z"
    assert params["MWSAuthToken"] == "amzn.mws.x"
    assert params["AWSAccessKeyId"] == "AKID"
    assert signed.headers["content-length"] == str(len(signed.content))
    assert not signed.url.query
    expected = sign_v2("s3cr3t", "POST", "mws.amazonservices.ca", "/Reports/2009-01-01", params)
    assert params["Signature"] == expected


def test_auth_signs_get_query() -> None:
    auth = MWSAuth("AKID", Secret("s3cr3t"), FakeClock())
    req = httpx.Request("GET", "http://127.0.0.1:9000/", params={"Action": "GetReportCount"})
    signed = _flow(auth, req)
    params = dict(signed.url.params.multi_items())
    expected = sign_v2("s3cr3t", "GET", "127.0.0.1:9000", "/", params)
    assert params["Signature"] == expected


def test_auth_repr_hides_the_secret() -> None:
    auth = MWSAuth("AKID", Secret("s3cr3t"), FakeClock(), auth_token=Secret("tok"))
    assert "s3cr3t" not in repr(auth) and "tok" not in repr(auth)
