"""Report documents: their bytes (charset, gzip) and the pre-signed URLs that serve them.

A document URL points at this same host, S3 style: ``/sandbox-reports/<documentId>``
with ``X-Amz-Date``, ``X-Amz-Expires=300`` and an ``X-Amz-Signature`` over both, so
it works for five minutes of sandbox time and then answers S3's 403 ``AccessDenied``
/ ``Request has expired`` XML (spec §5.10). Like S3, it refuses a request that also
carries an ``Authorization`` header, and needs no SP-API token. With
``response-content-encoding=gzip`` (``enableContentEncodingUrlHeader``) a gzipped
document is served with ``Content-Encoding: gzip``.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import formatdate
from urllib.parse import parse_qsl, quote, urlencode
from xml.sax.saxutils import escape

from mwstui.sandbox import report_bodies
from mwstui.sandbox.asgi import BodyStream, Reply, Scope, header
from mwstui.sandbox.sized_report import OPTION, SizedReport, requested_size
from mwstui.sandbox.spapi.reports_state import FATAL, GZIP, Report

PREFIX = "/sandbox-reports/"
URL_LIFETIME = 300
"""Seconds a document URL works (spec §5.10: five minutes)."""
_CODECS = {"cp1252": "cp1252", "windows-31j": "cp932", "shift_jis": "cp932", "utf-8": "utf-8"}
_FATAL_TEXTS = (
    "The requested data is unavailable for the selected date range.",
    "Date range exceeded. Report can be requested only upto 30 days",
)


def python_codec(charset: str) -> str:
    """Python's codec for a declared charset (Java aliases included)."""
    return _CODECS.get(charset.lower(), "utf-8")


def document_text(report: Report) -> bytes:
    """The document, encoded in the report's charset, before any compression."""
    if report.status(report.completes) == FATAL:
        n = int(report.report_id) % len(_FATAL_TEXTS) if report.report_id.isdigit() else 0
        return json.dumps({"errorDetails": _FATAL_TEXTS[n]}).encode("utf-8")
    raw = report_bodies.render(report.report_id, report.report_type, report.completes, report.rows)
    codec = python_codec(report.charset)
    if codec == "utf-8":
        return raw
    text = raw.decode("utf-8").lstrip("\ufeff")
    return text.encode(codec, errors="replace")


def document_body(report: Report) -> BodyStream:
    """What the URL serves: the text, gzipped when ``compressionAlgorithm`` is GZIP; a
    report created with ``reportOptions`` ``SandboxReportBytes`` streams exactly that many
    plain bytes without holding them (sized_report.py)."""
    size = sized_size(report.options)
    if size is not None and report.status(report.completes) != FATAL:
        return SizedReport(report.report_id, report.report_type, report.completes, size).stream()
    text = document_text(report)
    data = gzip.compress(text, mtime=0) if report.compression == GZIP else text
    return BodyStream(len(data), lambda: iter((data,)))


def sized_size(options: Mapping[str, str] | None) -> int | None:
    """The size a report's options ask for (``SandboxReportBytes``), or None."""
    value = (options or {}).get(OPTION)
    return None if value is None else requested_size(f"{OPTION}={value}")


def content_type(report: Report) -> str:
    if report.status(report.completes) == FATAL:
        return "application/json; charset=UTF-8"
    base = "text/xml" if report_bodies.family(report.report_type) == "xml" else "text/plain"
    return f"{base}; charset={report.charset}"


class DocumentSigner:
    """Signs and checks document URLs with a key that never leaves the sandbox.

    Args:
        key: the signing key (drawn from the seeded generator).
    """

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _signature(self, document_id: str, stamp: str, encoding: str) -> str:
        msg = f"{document_id}\n{stamp}\n{URL_LIFETIME}\n{encoding}".encode()
        return hmac.new(self._key, msg, hashlib.sha256).hexdigest()

    def url(self, base: str, document_id: str, now: float, *, content_encoding: bool) -> str:
        """A pre-signed URL for ``document_id`` on ``base`` (scheme://host[:port])."""
        stamp = datetime.fromtimestamp(now, UTC).strftime("%Y%m%dT%H%M%SZ")
        encoding = "gzip" if content_encoding else ""
        query = {
            "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
            "X-Amz-Date": stamp,
            "X-Amz-Expires": str(URL_LIFETIME),
            "X-Amz-SignedHeaders": "host",
        }
        if encoding:
            query["response-content-encoding"] = encoding
        query["X-Amz-Signature"] = self._signature(document_id, stamp, encoding)
        return f"{base}{PREFIX}{quote(document_id, safe='')}?{urlencode(query)}"

    def check(self, scope: Scope, now: float) -> tuple[str, bool] | Reply:
        """The document id and whether to send Content-Encoding, or S3's error reply."""
        path = str(scope.get("path", ""))
        document_id = path[len(PREFIX) :]
        q = dict(parse_qsl(bytes(scope.get("query_string", b"")).decode("latin-1")))
        if header(scope, "authorization"):
            return s3_error(
                400,
                "InvalidArgument",
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                "Signature query string parameter or the Authorization header should be "
                "specified",
                now,
            )
        stamp = q.get("X-Amz-Date", "")
        encoding = q.get("response-content-encoding", "")
        want = self._signature(document_id, stamp, encoding)
        if q.get("X-Amz-Expires") != str(URL_LIFETIME) or not hmac.compare_digest(
            want, q.get("X-Amz-Signature", "")
        ):
            return s3_error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you "
                "provided. Check your key and signing method.",
                now,
            )
        signed = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).timestamp()
        expires = signed + URL_LIFETIME
        if now >= expires:
            extra = (
                f"<X-Amz-Expires>{URL_LIFETIME}</X-Amz-Expires>"
                f"<Expires>{_iso(expires)}</Expires><ServerTime>{_iso(now)}</ServerTime>"
            )
            return s3_error(403, "AccessDenied", "Request has expired", now, extra)
        return document_id, encoding == "gzip"


def s3_error(status: int, code: str, message: str, now: float, extra: str = "") -> Reply:
    """An S3 error document (``<Error><Code>…``)."""
    rid = hashlib.sha1(f"{code}{now}".encode(), usedforsecurity=False).hexdigest()[:16].upper()
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>{extra}"
        f"<RequestId>{rid}</RequestId><HostId>sandbox</HostId></Error>"
    ).encode()
    return Reply(
        status,
        body,
        [
            ("Content-Type", "application/xml"),
            ("Date", formatdate(now, usegmt=True)),
            ("x-amz-request-id", rid),
        ],
    )


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
