"""Report documents: pre-signed URLs on the same host that expire after five minutes,
gzip and plain bodies, declared charsets (Cp1252, windows-31j)."""

from __future__ import annotations

import gzip
from typing import Any

import httpx
import pytest

from mwstui.clock import FakeClock
from mwstui.sandbox import report_bodies
from mwstui.sandbox.sandbox import Sandbox
from mwstui.sandbox.spapi.reports_state import Report
from tests.sandbox.conftest import small_seed
from tests.sandbox.spapi.helpers import BASE_URL, REPORTS, SP

JP = "A1VC38T7YXB528"


def seed() -> dict[str, Any]:
    done = {"status": "DONE", "created": -600}
    listings = "GET_MERCHANT_LISTINGS_ALL_DATA"
    return small_seed(
        spapi={
            "applications": [{"client_id": "amzn1.application-oa2-client.t", "client_secret": "s"}],
            "sellers": [
                {
                    "seller_id": "A1JPSELLER",
                    "region": "FE",
                    "marketplaces": [JP],
                    "refresh_token": "Atzr|jp",
                    "reports": [
                        {**done, "report_type": listings, "report_id": "1001",
                         "compression": "GZIP"},
                        {**done, "report_type": "GET_AFN_INVENTORY_DATA", "report_id": "1002",
                         "compression": None, "charset": "UTF-8"},
                        {**done, "report_type": listings, "report_id": "1003",
                         "compression": None, "charset": "Cp1252"},
                        {"report_type": "GET_AFN_INVENTORY_DATA", "report_id": "1004",
                         "status": "CANCELLED", "created": -600},
                    ],
                }
            ],
        }
    )  # fmt: skip


@pytest.fixture
def jp(clock: FakeClock) -> SP:
    return SP(Sandbox.create(seed=seed(), clock=clock, debug=True))


def report(sp: SP, rid: str) -> Report:
    return next(iter(sp.sandbox.spapi.sellers.values())).reports.reports[rid]


async def document(sp: SP, rid: str, **params: str) -> dict[str, Any]:
    doc_id = (await sp.ok("GET", f"{REPORTS}/reports/{rid}"))["reportDocumentId"]
    body: dict[str, Any] = await sp.ok("GET", f"{REPORTS}/documents/{doc_id}", params=params)
    assert body["reportDocumentId"] == doc_id
    return body


async def download(sp: SP, url: str, **headers: str) -> httpx.Response:
    assert url.startswith(BASE_URL + "/")  # the same host the client called
    async with sp.client() as c:
        return await c.get(url, headers=headers)


def expected_text(rep: Report, codec: str = "utf-8") -> str:
    """The report's text as the declared charset can carry it."""
    raw = report_bodies.render(rep.report_id, rep.report_type, rep.completes, rep.rows)
    text = raw.decode("utf-8")
    if codec == "utf-8":
        return text
    return text.lstrip("\ufeff").encode(codec, "replace").decode(codec)


async def test_gzip_document_in_the_japanese_charset(jp: SP) -> None:
    body = await document(jp, "1001")
    assert body["compressionAlgorithm"] == "GZIP"
    r = await download(jp, body["url"])
    assert r.status_code == 200
    assert "content-encoding" not in r.headers  # identity: the client gunzips
    assert r.headers["content-type"] == "text/plain; charset=windows-31j"
    assert r.content[:2] == b"\x1f\x8b"
    text = gzip.decompress(r.content).decode("cp932")
    assert text == expected_text(report(jp, "1001"), "cp932")


async def test_plain_cp1252_document(jp: SP) -> None:
    body = await document(jp, "1003")
    assert "compressionAlgorithm" not in body
    r = await download(jp, body["url"])
    assert r.headers["content-type"] == "text/plain; charset=Cp1252"
    want = expected_text(report(jp, "1003"), "cp1252")
    assert r.content.decode("cp1252") == want
    assert any(ord(c) > 127 for c in want)  # "Crème brûlée", "–": Cp1252 bytes, not UTF-8
    with pytest.raises(UnicodeDecodeError):
        r.content.decode("utf-8")


async def test_plain_utf8_document(jp: SP) -> None:
    r = await download(jp, (await document(jp, "1002"))["url"])
    assert r.headers["content-type"] == "text/plain; charset=UTF-8"
    assert r.content.decode("utf-8") == expected_text(report(jp, "1002"))


async def test_url_expires_after_five_minutes(jp: SP, clock: FakeClock) -> None:
    url = (await document(jp, "1001"))["url"]
    assert "X-Amz-Expires=300" in url
    clock.advance(299)
    assert (await download(jp, url)).status_code == 200
    clock.advance(1)
    r = await download(jp, url)
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/xml"
    assert b"<Code>AccessDenied</Code><Message>Request has expired</Message>" in r.content
    fresh = (await document(jp, "1001"))["url"]  # fetch the document again: a new URL
    assert (await download(jp, fresh)).status_code == 200


async def test_tampered_or_authorised_downloads_are_refused(jp: SP) -> None:
    url = (await document(jp, "1001"))["url"]
    r = await download(jp, url.replace("X-Amz-Date=2026", "X-Amz-Date=2027"))
    assert r.status_code == 403 and b"SignatureDoesNotMatch" in r.content
    r = await download(jp, url, Authorization="Bearer Atza|x")
    assert r.status_code == 400 and b"Only one auth mechanism allowed" in r.content
    r = await download(jp, url, **{"x-amz-access-token": "Atza|ignored"})
    assert r.status_code == 200  # S3 ignores SP-API headers; clients should not send them


async def test_content_encoding_header_on_request(jp: SP) -> None:
    body = await document(jp, "1001", enableContentEncodingUrlHeader="true")
    async with jp.client() as c:
        r = await c.get(body["url"])
    assert r.headers["content-encoding"] == "gzip"
    # httpx already inflated it: gunzipping again is the double-decompression trap.
    assert not r.content.startswith(b"\x1f\x8b")
    assert r.content.decode("cp932") == expected_text(report(jp, "1001"), "cp932")


async def test_no_document_for_a_cancelled_report_and_unknown_ids(jp: SP) -> None:
    body = await jp.ok("GET", f"{REPORTS}/reports/1004")
    assert body["processingStatus"] == "CANCELLED" and "reportDocumentId" not in body
    r = await jp.call("GET", f"{REPORTS}/documents/amzn1.spdoc.1.4.fe.nope")
    assert r.status_code == 404


async def test_a_demo_report_document_downloads(sp: SP, clock: FakeClock) -> None:
    rid = (
        await sp.ok(
            "POST",
            f"{REPORTS}/reports",
            json={"reportType": "GET_AFN_INVENTORY_DATA", "marketplaceIds": ["ATVPDKIKX0DER"]},
        )
    )["reportId"]
    rep = next(iter(sp.sandbox.spapi.sellers.values())).reports.reports[rid]
    rep.outcome, rep.compression = "DONE", "GZIP"
    clock.advance(3000)
    r = await download(sp, (await document(sp, rid))["url"])
    assert gzip.decompress(r.content).decode("utf-8") == expected_text(rep)


async def test_a_sized_document_streams_exactly_that_many_plain_bytes(
    sp: SP, clock: FakeClock
) -> None:
    size = 3 * 1024 * 1024 + 7
    body = {
        "reportType": "GET_AFN_INVENTORY_DATA",
        "marketplaceIds": ["ATVPDKIKX0DER"],
        "reportOptions": {"SandboxReportBytes": str(size)},
    }
    rid = (await sp.ok("POST", f"{REPORTS}/reports", json=body))["reportId"]
    next(iter(sp.sandbox.spapi.sellers.values())).reports.reports[rid].outcome = "DONE"
    clock.advance(3000)
    meta = await document(sp, rid)
    assert "compressionAlgorithm" not in meta
    async with sp.client() as c:
        head = await c.head(meta["url"])
        r = await c.get(meta["url"])
    assert head.status_code == 200 and head.headers["content-length"] == str(size)
    assert len(r.content) == size and r.content.endswith(b"\n")
    assert r.headers["content-type"] == "text/plain; charset=UTF-8"
