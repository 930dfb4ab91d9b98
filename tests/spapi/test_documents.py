"""Report documents: no auth on the URL, expired URLs, gzip once, charsets, no partial file."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import httpx
import pytest

from mwstui.errors import IntegrityError, MalformedResponseError
from mwstui.spapi.documents import preview
from tests.spapi.fakes import FakeSpapi, j, make_client, streamed

DOC_PATH = "/reports/2021-06-30/documents/DOC-1"
S3 = "https://d34o8swod1owfl.cloudfront.net"
TEXT = "sku\ttitle\nA-1\tCafé niño ñandú €5\nB-2\tzweite Zeile\n"


def document_route(fake: FakeSpapi, compression: str | None = "GZIP") -> list[str]:
    """getReportDocument hands out a new URL each call; returns the URLs handed out."""
    urls: list[str] = []

    def handler(_r: httpx.Request) -> httpx.Response:
        urls.append(f"{S3}/doc-{len(urls) + 1}.txt")
        body: dict[str, Any] = {"reportDocumentId": "DOC-1", "url": urls[-1]}
        if compression:
            body["compressionAlgorithm"] = compression
        return j(200, body)

    fake.route("GET", DOC_PATH, handler)
    return urls


def s3(fake: FakeSpapi, name: str, *args: Any) -> None:
    """A pre-signed URL path answering ``streamed(*args)`` (a new stream each time)."""
    fake.route("GET", f"/{name}", lambda _r: streamed(*args))


async def test_gzip_cp1252_document_saved_as_utf8(tmp_path: Path) -> None:
    fake = FakeSpapi()
    document_route(fake)
    s3(
        fake,
        "doc-1.txt",
        200,
        gzip.compress(TEXT.encode("cp1252")),
        {"content-type": "text/plain;charset=Cp1252"},
    )
    client, _, _ = make_client(fake)
    dest = tmp_path / "report.txt"
    seen: list[tuple[int, int | None]] = []
    async with client:
        result = await client.reports.download_document(
            "DOC-1", dest, progress=lambda n, t: seen.append((n, t))
        )
    assert dest.read_text("utf-8") == TEXT
    got = result.data
    assert (got.compressed, got.transcoded, got.url_fetches) == (True, True, 1)
    assert (got.charset or "").lower() == "cp1252"
    assert got.size == len(TEXT.encode("utf-8"))
    assert seen and seen[-1][0] == got.downloaded
    # The pre-signed URL got no SP-API credentials.
    download = fake.requests[-1]
    assert download.url.host == "d34o8swod1owfl.cloudfront.net"
    assert "x-amz-access-token" not in download.headers
    assert "x-amz-date" not in download.headers
    assert fake.seen_tokens[-1] is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]  # noqa: ASYNC240
    assert preview(dest, 2) == ["sku\ttitle", "A-1\tCafé niño ñandú €5"]


async def test_content_encoding_gzip_is_not_gunzipped_twice(tmp_path: Path) -> None:
    fake = FakeSpapi()
    document_route(fake)  # says GZIP, and S3 also sends Content-Encoding: gzip
    s3(
        fake,
        "doc-1.txt",
        200,
        gzip.compress(TEXT.encode("utf-8")),
        {"content-encoding": "gzip", "content-type": "text/plain; charset=UTF-8"},
    )
    client, _, _ = make_client(fake)
    async with client:
        result = await client.reports.download_document("DOC-1", tmp_path / "r.txt")
    assert (tmp_path / "r.txt").read_text("utf-8") == TEXT
    assert result.data.compressed  # gunzipped exactly once (a second gunzip would fail)


async def test_gzip_without_compression_algorithm_is_found_by_magic(tmp_path: Path) -> None:
    fake = FakeSpapi()
    document_route(fake, compression=None)
    s3(fake, "doc-1.txt", 200, gzip.compress(b"a\tb\n"))
    client, _, _ = make_client(fake)
    async with client:
        result = await client.reports.download_document("DOC-1", tmp_path / "r.txt")
    assert (tmp_path / "r.txt").read_bytes() == b"a\tb\n"
    assert result.data.compressed and result.data.charset is None


async def test_shift_jis_decoded_as_cp932(tmp_path: Path) -> None:
    fake = FakeSpapi()
    document_route(fake, compression=None)
    jp = "商品名\t①価格\n"  # ① exists in cp932 (windows-31j), not in strict Shift_JIS
    s3(
        fake,
        "doc-1.txt",
        200,
        jp.encode("cp932"),
        {"content-type": "text/plain;charset=windows-31j"},
    )
    client, _, _ = make_client(fake)
    async with client:
        await client.reports.download_document("DOC-1", tmp_path / "r.txt")
    assert (tmp_path / "r.txt").read_text("utf-8") == jp


async def test_no_declared_charset_keeps_the_bytes(tmp_path: Path) -> None:
    fake = FakeSpapi()
    document_route(fake, compression=None)
    raw = "niño".encode("cp1252")
    s3(fake, "doc-1.txt", 200, raw)
    client, _, _ = make_client(fake)
    async with client:
        result = await client.reports.download_document("DOC-1", tmp_path / "r.txt")
    assert (tmp_path / "r.txt").read_bytes() == raw
    assert result.data.transcoded is False


async def test_expired_url_is_fetched_again(tmp_path: Path) -> None:
    fake = FakeSpapi()
    urls = document_route(fake)
    s3(
        fake,
        "doc-1.txt",
        403,
        b"<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
        {"content-type": "application/xml"},
    )
    s3(fake, "doc-2.txt", 200, gzip.compress(b"ok\n"))
    client, _, _ = make_client(fake)
    async with client:
        result = await client.reports.download_document("DOC-1", tmp_path / "r.txt")
    assert len(urls) == 2 and result.data.url_fetches == 2
    assert (tmp_path / "r.txt").read_bytes() == b"ok\n"


async def test_url_older_than_its_lifetime_is_not_used(tmp_path: Path) -> None:
    fake = FakeSpapi()
    urls = document_route(fake)
    s3(fake, "doc-2.txt", 200, b"fresh\n")
    client, clock, _ = make_client(fake)
    async with client:
        doc = await client.reports.get_document("DOC-1")
        assert "doc-1" not in repr(doc.data)  # the URL is a credential: not in repr
        clock.advance(300)
        from mwstui.spapi import documents

        # Start from the old URL: it is past its five minutes, so a new one is fetched.
        result = await documents.download_document(
            _Stale(client.reports, doc), "DOC-1", tmp_path / "r.txt"
        )
    assert urls[-1].endswith("doc-2.txt") and result.data.url_fetches == 2


class _Stale:
    """A ReportsAPI whose first getReportDocument returns a document fetched earlier."""

    def __init__(self, api: Any, first: Any) -> None:
        self.client = api.client
        self._api, self._first = api, first

    async def get_document(self, document_id: str) -> Any:
        first, self._first = self._first, None
        return first if first is not None else await self._api.get_document(document_id)


async def test_size_mismatch_leaves_no_file(tmp_path: Path) -> None:
    fake = FakeSpapi()
    document_route(fake, compression=None)

    def short(_r: httpx.Request) -> httpx.Response:
        r = streamed(200, b"abc")
        r.headers["content-length"] = "10"
        return r

    fake.route("GET", "/doc-1.txt", short)
    client, _, _ = make_client(fake)
    async with client:
        with pytest.raises(IntegrityError, match="expected 10 bytes, received 3"):
            await client.reports.download_document("DOC-1", tmp_path / "r.txt")
    assert not any(tmp_path.iterdir())  # noqa: ASYNC240 - no partial file left


async def test_broken_gzip_and_size_limit_leave_no_file(tmp_path: Path) -> None:
    fake = FakeSpapi()
    document_route(fake)
    s3(fake, "doc-1.txt", 200, gzip.compress(b"x" * 100_000)[:50])
    s3(fake, "doc-2.txt", 200, gzip.compress(b"x" * 100_000))
    client, _, _ = make_client(fake)
    async with client:
        with pytest.raises(MalformedResponseError):
            await client.reports.download_document("DOC-1", tmp_path / "r.txt")
        with pytest.raises(IntegrityError, match="larger"):
            await client.reports.download_document("DOC-1", tmp_path / "r.txt", max_bytes=1000)
    assert not any(tmp_path.iterdir())  # noqa: ASYNC240 - no partial file left


async def test_pre_signed_url_is_not_kept_in_call_records(tmp_path: Path) -> None:
    from mwstui.calls import CallRecord

    fake = FakeSpapi()
    fake.route(
        "GET",
        DOC_PATH,
        j(200, {"reportDocumentId": "DOC-1", "url": f"{S3}/doc-1.txt?X-Amz-Signature=abc123"}),
    )
    client, _, _ = make_client(fake)
    records: list[CallRecord] = []
    client.add_observer(records.append)
    async with client:
        doc = await client.reports.get_document("DOC-1")
    assert doc.data.url.endswith("abc123")  # the client itself has it
    text = records[-1].response_text
    assert "abc123" not in text and f"{S3}/doc-1.txt?••••••" in text
