"""GetReport: stream a report to disk, verify its Content-MD5, never leave a partial file.

The body is written to a temporary file beside the destination (same file system, so
the final ``os.replace`` is atomic), hashed while it streams (in two worker threads,
see ``report_file``), and renamed only when the hash matches the server's
``Content-MD5``. Any failure removes the temporary file; a mismatch is retried (each
retry is a new, governed GetReport call). Bytes are written as received: a UTF-8 BOM
or a Cp1252 body stays exactly what the server sent.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from mwstui import validation as v
from mwstui.calls import ResponseMeta, Result
from mwstui.errors import ConfigError, IntegrityError
from mwstui.mws.answers import Consumed
from mwstui.mws.models import ReportDownload
from mwstui.mws.report_file import ReportFile

if TYPE_CHECKING:
    from mwstui.mws.client import MWSClient

MAX_MD5_RETRIES = 3
"""Further attempts after a Content-MD5 mismatch (spec §3.6: retry up to 3 more times)."""
PREVIEW_BYTES = 4096
"""How much of a report the CallRecord shows."""
PROGRESS_BYTES = 1024 * 1024
"""Bytes between two progress calls: a GiB is 1,024 updates of a progress bar, not 16,384."""

Progress = Callable[[int, int | None], None]
"""Called with (bytes received, total bytes or None) as the body streams."""


def _total(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


async def _save(
    response: httpx.Response,
    meta: ResponseMeta,
    dest: Path,
    attempt: int,
    progress: Progress | None,
) -> Consumed[ReportDownload]:
    total = _total(response)
    tmp = ReportFile(dest, total)
    head = bytearray()
    reported = 0
    # Asked for identity, a body comes as sent: the raw stream skips httpx's decoder and
    # re-chunker (two generator layers on each of a GiB's 16,384 chunks). A server that
    # encodes anyway is still decoded, as before (and a body already read is served whole).
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    raw = encoding in ("", "identity") and not response.is_stream_consumed
    body = response.aiter_raw() if raw else response.aiter_bytes()
    try:
        async for chunk in body:
            await tmp.write(chunk)
            if len(head) < PREVIEW_BYTES:
                head += chunk[: PREVIEW_BYTES - len(head)]
            if progress is not None and tmp.received - reported >= PROGRESS_BYTES:
                reported = tmp.received
                progress(reported, total)
        if progress is not None and tmp.received != reported:
            progress(tmp.received, total)
        md5 = await tmp.finish()
        expected = (response.headers.get("content-md5") or "").strip()
        if expected and expected != md5:
            raise IntegrityError(
                "ContentMD5DoesNotMatch",
                f"report {dest.name}: Content-MD5 {expected} but the body hashes to {md5}",
                request_id=meta.request_id,
                http_status=meta.http_status,
                operation=meta.operation,
            )
        tmp.commit()
    except BaseException:
        await tmp.discard()
        raise
    saved = ReportDownload(
        path=dest,
        size=tmp.size,
        md5=md5,
        verified=bool(expected),
        content_type=response.headers.get("content-type"),
        attempts=attempt,
    )
    return Consumed(saved, bytes(head).decode("utf-8", "replace"))


async def download_report(
    client: MWSClient,
    report_id: str,
    dest: Path,
    *,
    progress: Progress | None = None,
) -> Result[ReportDownload]:
    """Download report ``report_id`` to ``dest`` (replaced atomically when complete).

    Args:
        client: the MWS client (its send path governs, signs and records each attempt).
        report_id: a ``ReportId`` / ``GeneratedReportId``.
        dest: the file to create or replace; its directory must exist.
        progress: called as bytes arrive.

    Raises:
        LocalValidationError: (a ValueError) a blank report id or one that is not digits.
        ConfigError: the destination directory does not exist (nothing sent).
        IntegrityError: every attempt failed its Content-MD5 check (no file left behind).
        ApiError: any other failure of GetReport.
        OSError: the file could not be written (the temporary file is removed).
    """
    v.check("ReportId", v.report_id(report_id))
    report_id = report_id.strip()
    if not dest.parent.is_dir():
        raise ConfigError(f"download directory {dest.parent} does not exist")
    error: IntegrityError | None = None
    for attempt in range(1, MAX_MD5_RETRIES + 2):

        async def consume(
            response: httpx.Response, meta: ResponseMeta, attempt: int = attempt
        ) -> Consumed[ReportDownload]:
            return await _save(response, meta, dest, attempt, progress)

        try:
            # identity: the bytes on disk must be the bytes Content-MD5 was computed over.
            return await client.send(
                "GetReport",
                {"ReportId": report_id},
                consume,
                headers={"Accept-Encoding": "identity"},
            )
        except IntegrityError as exc:
            error = exc
    assert error is not None
    raise error
