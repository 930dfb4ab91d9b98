"""A newer service: answers with enum values no catalog knows and elements nobody asked for.

No sandbox fault kind does this yet, so the rig wraps the sandbox app with ``Futurist``:
MWS XML gets unknown status values and an extra element inside every result item;
SellerCenter JSON gets an extra field in every object and an unknown item status.
"""

from __future__ import annotations

import json
import re
from typing import Any

from mwstui.sandbox.asgi import ASGIApp, Message, Receive, Scope, Send

MWS_ENUM_SWAPS = {
    "_SUBMITTED_": "_SUBMITTED_FOR_REVIEW_",
    "_DONE_": "_DONE_PARTIALLY_",
    "_DONE_NO_DATA_": "_DONE_NOTHING_FOUND_",
    "_CANCELLED_": "_CANCELLED_BY_AMAZON_",
    "RECEIVED": "RECEIVED_AWAITING_PAYMENT",
    "PLANNING": "PLANNING_V2",
    "PENDING": "PENDING_CARRIER_PICKUP",
}
"""Enum values the service might start sending tomorrow."""
SC_STATUS_SWAP = ("pending", "pending_review")
_EXTRA_XML = '<FutureElement kind="new"><Nested>1</Nested>surprise</FutureElement>'
_ITEM_OPEN = re.compile(
    r"(<(?:ReportRequestInfo|ReportInfo|ReportSchedule|member|FulfillmentOrder|"
    r"[A-Za-z]+Result)>)"
)


def _future_xml(body: bytes) -> bytes:
    text = body.decode("utf-8")
    for old, new in MWS_ENUM_SWAPS.items():
        text = text.replace(f">{old}<", f">{new}<")
    return _ITEM_OPEN.sub(lambda m: m.group(1) + _EXTRA_XML, text).encode("utf-8")


def _future_json(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _future_json(v) for k, v in value.items()}
        out["FutureField"] = {"Nested": ["1", "2"], "Flag": "1"}
        return out
    if isinstance(value, list):
        return [_future_json(v) for v in value]
    return SC_STATUS_SWAP[1] if value == SC_STATUS_SWAP[0] else value


class Futurist:
    """ASGI wrapper answering as a newer service would: unknown enum values, extra elements."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message = {}
        body = bytearray()

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = dict(message)
            else:
                body.extend(message.get("body", b""))

        await self.app(scope, receive, capture)
        headers = {bytes(k).lower(): bytes(v) for k, v in start.get("headers", [])}
        ctype = headers.get(b"content-type", b"").decode("latin-1")
        data = bytes(body)
        if start.get("status") == 200 and "xml" in ctype and data.lstrip().startswith(b"<"):
            data = _future_xml(data)
        elif start.get("status") == 200 and "json" in ctype:
            data = json.dumps(_future_json(json.loads(data))).encode()
        headers[b"content-length"] = str(len(data)).encode()
        await send({**start, "headers": list(headers.items())})
        await send({"type": "http.response.body", "body": data, "more_body": False})
