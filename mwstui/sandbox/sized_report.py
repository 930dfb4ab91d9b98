"""Reports of a chosen size (up to 16 GiB), streamed without ever being held in memory.

A request whose ReportOptions carry ``SandboxReportBytes=N`` (from a seed's ``options``
or a client's RequestReport) produces a report of exactly N bytes: the usual header and
rows of its family, then the same block of rows over and over, the last row cut short
and ended with a newline. The body is a pure function of the report, so its Content-MD5
is computed once (one pass over the bytes, then cached) and every download matches it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from mwstui.sandbox import report_bodies
from mwstui.sandbox.asgi import BodyStream

OPTION = "SandboxReportBytes"
"""The ReportOptions key that asks for a report of a given size."""
MAX_BYTES = 16 * 1024**3
"""Largest size honoured; a larger (or malformed) value leaves the report as usual."""
BLOCK_ROWS = 2000
"""Rows in the repeated block (about 300 KB for most families)."""
CHUNK = 256 * 1024
"""Bytes per piece handed to the server."""

_OPTION_RE = re.compile(rf"(?:^|[;&\s]){OPTION}=(\d+)(?:$|[;&\s])")
_MD5_CACHE: dict[tuple[str, str, float, int], str] = {}


def requested_size(options: str | None) -> int | None:
    """The size ``options`` asks for, or None (absent, malformed, zero or too large)."""
    if not options:
        return None
    found = _OPTION_RE.search(options)
    if found is None:
        return None
    size = int(found.group(1))
    return size if 0 < size <= MAX_BYTES else None


@dataclass(frozen=True, slots=True)
class SizedReport:
    """The body of one sized report: a head, a repeated block, and a cut tail.

    Args:
        report_id, report_type, created: the report (they seed its rows).
        size: exact length in bytes.
    """

    report_id: str
    report_type: str
    created: float
    size: int

    def _parts(self) -> tuple[bytes, bytes]:
        # XML cannot be cut and repeated; those types get the generic tab-delimited rows.
        rtype = self.report_type if report_bodies.family(self.report_type) != "xml" else "_X_"
        doc = report_bodies.render(self.report_id, rtype, self.created, BLOCK_ROWS)
        head, _, block = doc.partition(b"\n")
        return head + b"\n", block

    def chunks(self) -> Iterator[bytes]:
        """The body, at most ``CHUNK`` bytes at a time."""
        head, block = self._parts()
        if self.size <= len(head):  # a size smaller than the header: cut it
            yield _ended(head[: self.size])
            return
        yield head
        remaining = self.size - len(head)
        period = len(block)
        # Every piece is one slice of this ring, wherever in the block it starts.
        ring = block * (CHUNK // period + 2)
        pos = 0
        while remaining > 0:
            n = min(CHUNK, remaining)
            start = pos % period
            piece = ring[start : start + n]
            remaining -= n
            pos += n
            yield piece if remaining else _ended(piece)

    def content_md5(self) -> str:
        """Base64 MD5 of the body (a full pass the first time, then remembered)."""
        key = (self.report_id, self.report_type, self.created, self.size)
        cached = _MD5_CACHE.get(key)
        if cached is None:
            digest = hashlib.md5(usedforsecurity=False)
            for chunk in self.chunks():
                digest.update(chunk)
            cached = base64.b64encode(digest.digest()).decode("ascii")
            _MD5_CACHE[key] = cached
        return cached

    def stream(self) -> BodyStream:
        """The body as the server sends it."""
        return BodyStream(self.size, self.chunks)


def _ended(tail: bytes) -> bytes:
    # The report ends on a newline even when its size cuts the last row.
    return tail[:-1] + b"\n"
