"""Injected SellerCenter failures in SellerCenter's own words (an ``ErrorResponse`` envelope)."""

from __future__ import annotations

import json
from email.utils import formatdate
from urllib.parse import parse_qsl

from mwstui.clock import Clock
from mwstui.sandbox.asgi import Reply, Scope

# kind → (HTTP status, ErrorType, ErrorCode, ErrorMessage); spec/sellercenter.md §4.3, §5.
# Codes are sent bare ("429", "6") and E429 comes with HTTP 429, as app.py does.
_ERRORS = {
    "throttle": (429, "Sender", "429", "E429: Too many requests"),
    "quota": (429, "Sender", "429", "E429: Too many requests"),
    "internal": (500, "Platform", "6", "E006: Unexpected internal error"),
    "unavailable": (503, "Platform", "6", "E006: Unexpected internal error"),
}


def sellercenter_error_reply(kind: str, scope: Scope, action: str, *, clock: Clock) -> Reply:
    """The ErrorResponse (XML, or JSON when ``Format=JSON``) for an injected fault, dated by
    the sandbox clock."""
    status, etype, code, message = _ERRORS[kind]
    query = bytes(scope.get("query_string", b"")).decode("utf-8", "replace")
    fmt = dict(parse_qsl(query)).get("Format", "XML").upper()
    head = {
        "RequestAction": action,
        "ErrorType": etype,
        "ErrorCode": code,
        "ErrorMessage": message,
    }
    if fmt == "JSON":
        body = json.dumps({"ErrorResponse": {"Head": head, "Body": ""}}).encode()
        return Reply(
            status, body, [("Content-Type", "application/json; charset=utf-8"), _date(clock)]
        )
    from xml.sax.saxutils import escape

    fields = "".join(f"\n    <{k}>{escape(v)}</{k}>" for k, v in head.items())
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse>\n  <Head>{fields}\n  </Head>\n'
        "  <Body/>\n</ErrorResponse>\n"
    ).encode()
    return Reply(status, body, [("Content-Type", "application/xml; charset=utf-8"), _date(clock)])


def _date(clock: Clock) -> tuple[str, str]:
    return ("Date", formatdate(clock.time(), usegmt=True))
