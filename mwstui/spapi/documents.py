"""Report documents: fetch the pre-signed URL, stream, gunzip once, decode, save atomically.

The URL is a bearer credential valid about five minutes (spec §5.10): it is fetched with
a client that carries no SP-API header, and when it has expired (S3 answers 403 "Request
has expired") a new one is asked for. Whether the bytes are gzip is decided by their magic
bytes ``1f 8b`` — not by ``compressionAlgorithm`` alone — because S3 may also label the object
``Content-Encoding: gzip`` and gunzipping twice fails (spec §8.11): the raw bytes are read
and gunzipped exactly once. Text is decoded by the
declared charset (``Cp1252``, ``windows-31j`` …) and saved as UTF-8; without a declared
charset the bytes are saved as received (the safe choice: guessing corrupts ``ñ``). The
file appears only when complete; any failure leaves no partial file.
"""

from __future__ import annotations

import asyncio
import codecs
import os
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

import httpx

from mwstui.calls import Result
from mwstui.catalog import load_catalog
from mwstui.errors import ConfigError, IntegrityError, MalformedResponseError, ServiceError
from mwstui.spapi.errors import one_line, transport_error, with_hint
from mwstui.spapi.models import DocumentDownload, ReportDocument

if TYPE_CHECKING:
    from mwstui.spapi.reports import ReportsAPI

Progress = Callable[[int, int | None], None]
"""Called with (bytes received, total bytes or None) as the body streams."""

GZIP_MAGIC = b"\x1f\x8b"
MAX_URL_FETCHES = 3
"""getReportDocument calls for one download (the first plus two after expired URLs)."""
URL_MARGIN = 15.0
"""Seconds before its lifetime ends that a URL counts as expired (the download takes time)."""
FLUSH_BYTES = 1024 * 1024
DEFAULT_MAX_BYTES = 8 * 1024**3
"""Largest document written (after gunzip): a bound against a gzip bomb."""


class _Expired(Exception):
    """The pre-signed URL is no longer valid."""


class _Sink:
    """A temporary file beside ``dest`` that becomes ``dest`` only on ``commit``."""

    def __init__(self, dest: Path, max_bytes: int) -> None:
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
        self.dest = dest
        self.path = Path(name)
        self.file: IO[bytes] = os.fdopen(fd, "wb")
        self.size = 0
        self.max_bytes = max_bytes
        self._buffer = bytearray()

    async def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.max_bytes:
            raise IntegrityError(
                "DocumentTooLarge", f"the document is larger than {self.max_bytes} bytes"
            )
        self._buffer += data
        if len(self._buffer) >= FLUSH_BYTES:
            await self._flush()

    async def _flush(self) -> None:
        data, self._buffer = bytes(self._buffer), bytearray()
        await asyncio.to_thread(self.file.write, data)

    async def commit(self) -> None:
        await self._flush()

        def finish() -> None:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            self.path.replace(self.dest)

        await asyncio.to_thread(finish)

    def discard(self) -> None:
        try:
            self.file.close()
        except OSError:
            pass
        finally:
            self.path.unlink(missing_ok=True)


class _Decoder:
    """gunzip (once, when the bytes say so), then charset → UTF-8 (when declared)."""

    def __init__(self, codec: str | None) -> None:
        self.head = b""
        self.started = False
        self.gzip: zlib._Decompress | None = None
        self.compressed = False
        self.text = (
            codecs.getincrementaldecoder(codec)(errors="replace")
            if codec and codec != "utf-8"
            else None
        )

    def feed(self, chunk: bytes) -> bytes:
        if not self.started:
            self.head += chunk
            if len(self.head) < len(GZIP_MAGIC):
                return b""
            chunk, self.head, self.started = self.head, b"", True
            if chunk.startswith(GZIP_MAGIC):
                self.compressed = True
                self.gzip = zlib.decompressobj(wbits=31)
        return self._text(self._gunzip(chunk))

    def _gunzip(self, data: bytes) -> bytes:
        if self.gzip is None:
            return data
        out = self.gzip.decompress(data)
        while self.gzip.eof and self.gzip.unused_data:  # concatenated gzip members
            rest = self.gzip.unused_data
            self.gzip = zlib.decompressobj(wbits=31)
            out += self.gzip.decompress(rest)
        return out

    def _text(self, data: bytes) -> bytes:
        if self.text is None or not data:
            return data
        return self.text.decode(data).encode("utf-8")

    def finish(self) -> bytes:
        tail = b"" if self.started else self._text(self.head)  # a body of 0–1 bytes
        if self.gzip is not None:
            if not self.gzip.eof:
                raise MalformedResponseError("TruncatedGzip", "the gzip document is truncated")
            tail += self._text(self.gzip.flush())
        if self.text is not None:
            tail += self.text.decode(b"", final=True).encode("utf-8")
        return tail


def _codec(declared: str | None) -> str | None:
    if not declared:
        return None
    name = load_catalog().spapi.python_charset(declared)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


async def _fetch(
    http: httpx.AsyncClient,
    doc: ReportDocument,
    dest: Path,
    progress: Progress | None,
    max_bytes: int,
) -> DocumentDownload:
    async with http.stream("GET", doc.url) as response:
        if response.status_code in (400, 403):
            body = (await response.aread())[:2000].decode("utf-8", "replace")
            if response.status_code == 403 or "expired" in body.lower():
                raise _Expired(one_line(body, 200))
        if response.status_code >= 300:
            await response.aread()
            cls = ServiceError if response.status_code >= 500 else MalformedResponseError
            raise with_hint(
                cls(
                    f"HTTP{response.status_code}",
                    f"the document URL answered {response.status_code} {response.reason_phrase}",
                    http_status=response.status_code,
                    operation="downloadDocument",
                )
            )
        declared = response.charset_encoding  # None when the server declared none
        codec = _codec(declared)
        total_header = response.headers.get("content-length", "")
        total = int(total_header) if total_header.isdigit() else None
        decoder = _Decoder(codec)
        sink = _Sink(dest, max_bytes)
        received = 0
        try:
            # Raw bytes: httpx must not undo a Content-Encoding behind our back; the magic
            # bytes decide the one gunzip, and the count is what Content-Length measures.
            async for chunk in response.aiter_raw():
                received += len(chunk)
                await sink.write(decoder.feed(chunk))
                if progress is not None:
                    progress(received, total)
            await sink.write(decoder.finish())
            if total is not None and received != total:
                raise IntegrityError(
                    "SizeMismatch",
                    f"expected {total} bytes, received {received}",
                    operation="downloadDocument",
                )
            await sink.commit()
        except zlib.error as exc:
            sink.discard()
            raise MalformedResponseError(
                "BadGzip", f"the document is not valid gzip: {exc}", operation="downloadDocument"
            ) from None
        except BaseException:
            sink.discard()
            raise
    return DocumentDownload(
        path=dest,
        size=sink.size,
        downloaded=received,
        compressed=decoder.compressed,
        charset=declared,
        transcoded=codec is not None and codec != "utf-8",
    )


async def download_document(
    api: ReportsAPI,
    document_id: str,
    dest: Path,
    *,
    progress: Progress | None = None,
    max_bytes: int | None = None,
) -> Result[DocumentDownload]:
    """Get the document's URL and save it to ``dest`` (replaced only when complete).

    Raises:
        ConfigError: the destination directory does not exist (nothing sent).
        IntegrityError: size mismatch or larger than ``max_bytes`` (no file left).
        MalformedResponseError: a broken gzip body.
        ApiError: getReportDocument failed, or the URL kept expiring.
    """
    if not dest.parent.is_dir():
        raise ConfigError(f"download directory {dest.parent} does not exist")
    client = api.client
    lifetime = float(load_catalog().spapi.limit("document_url_lifetime_seconds"))
    result = await api.get_document(document_id)
    fetches = 1
    failures = 0
    while True:
        doc = result.data
        if client.clock.time() - doc.fetched_at >= lifetime - URL_MARGIN:
            reason = "the URL expired before the download started"
        else:
            try:
                saved = await _fetch(
                    client.downloads, doc, dest, progress, max_bytes or DEFAULT_MAX_BYTES
                )
            except _Expired as exc:
                reason = f"the URL expired ({exc})"
            except (httpx.TransportError, httpx.DecodingError, ServiceError) as exc:
                # Reading a document twice is harmless; bounded like every read.
                failures += 1
                if failures > 2:
                    if isinstance(exc, ServiceError):
                        raise
                    raise transport_error("downloadDocument", False, exc) from None
                continue
            else:
                return Result(
                    DocumentDownload(
                        path=saved.path, size=saved.size, downloaded=saved.downloaded,
                        compressed=saved.compressed, charset=saved.charset,
                        transcoded=saved.transcoded, url_fetches=fetches,
                    ),
                    result.meta,
                )  # fmt: skip
        if fetches >= MAX_URL_FETCHES:
            raise with_hint(
                ServiceError("DocumentUrlExpired", reason, operation="downloadDocument"),
                "The document's download link kept expiring; try again.",
            )
        result = await api.get_document(document_id)  # a new pre-signed URL (governed)
        fetches += 1


def preview(path: Path, lines: int = 20, *, max_bytes: int = 256 * 1024) -> list[str]:
    """The first ``lines`` lines of a saved document (bounded read, undecodable bytes shown
    as U+FFFD); server text: render it literally."""
    with path.open("rb") as f:
        head = f.read(max_bytes)
    text = head.decode("utf-8", "replace")
    out = text.splitlines()[:lines]
    return [line.removeprefix("\ufeff") if i == 0 else line for i, line in enumerate(out)]
