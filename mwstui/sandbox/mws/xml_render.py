"""XML documents shaped like the recorded MWS responses, and the service's date formats.

A document is built from ``(name, content)`` pairs: content is text, a list of child
pairs, or None (the element is left out, as the real service leaves out absent
optional elements). Text is always escaped and stripped of characters XML 1.0
cannot carry, so seeded or client-supplied strings can never break a document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import formatdate
from typing import TypeAlias
from xml.sax.saxutils import escape, quoteattr

Content: TypeAlias = "str | Sequence[Node] | None"
Node: TypeAlias = tuple[str, Content]

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
ERROR_NAMESPACE = "https://mws.amazonservices.com/"
"""Namespace of errors raised before a section is known (recorded 404)."""


def clean_text(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot represent replaced by U+FFFD."""
    return _INVALID_XML.sub("\ufffd", text)


def _render(node: Node, depth: int, out: list[str]) -> None:
    name, content = node
    pad = "  " * depth
    if content is None:
        return
    if isinstance(content, str):
        if content == "":
            out.append(f"{pad}<{name}/>")
        else:
            out.append(f"{pad}<{name}>{escape(clean_text(content))}</{name}>")
        return
    children = [c for c in content if c[1] is not None]
    if not children:
        out.append(f"{pad}<{name}/>")
        return
    out.append(f"{pad}<{name}>")
    for child in children:
        _render(child, depth + 1, out)
    out.append(f"{pad}</{name}>")


def render_document(root: str, namespace: str | None, children: Sequence[Node]) -> bytes:
    """A whole document: declaration, the namespaced root, two-space indentation."""
    ns = f" xmlns={quoteattr(namespace)}" if namespace else ""
    out = ['<?xml version="1.0"?>', f"<{root}{ns}>"]
    for child in children:
        _render(child, 1, out)
    out.append(f"</{root}>")
    return ("\n".join(out) + "\n").encode("utf-8")


def render_response(
    operation: str, namespace: str, result: Sequence[Node] | None, request_id: str
) -> bytes:
    """``<OpResponse><OpResult>…</OpResult><ResponseMetadata>…`` (no Result when None)."""
    children: list[Node] = []
    if result is not None:
        children.append((f"{operation}Result", result))
    children.append(("ResponseMetadata", [("RequestId", request_id)]))
    return render_document(f"{operation}Response", namespace, children)


def render_error(
    namespace: str,
    *,
    type_: str,
    code: str,
    message: str,
    request_id: str,
    request_id_tag: str = "RequestId",
) -> bytes:
    """An ``ErrorResponse`` with one ``Error`` (Type, Code, Message) and the request id."""
    error: list[Node] = [("Type", type_), ("Code", code), ("Message", message)]
    return render_document(
        "ErrorResponse", namespace, [("Error", error), (request_id_tag, request_id)]
    )


def render_ping(now: float) -> bytes:
    """The answer to a bare GET of the endpoint root."""
    stamp = quoteattr(ms_date(now))
    return (
        f'<?xml version="1.0"?>\n<PingResponse><Timestamp timestamp={stamp}/></PingResponse>\n'
    ).encode()


def _dt(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def reports_date(epoch: float) -> str:
    """Reports style: ``2020-06-11T07:44:32+00:00``."""
    return _dt(int(epoch)).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def fba_date(epoch: float) -> str:
    """Fulfillment Outbound style: ``2020-07-17T07:17:00Z``."""
    return _dt(int(epoch)).strftime("%Y-%m-%dT%H:%M:%SZ")


def ms_date(epoch: float) -> str:
    """Header/status style with milliseconds: ``2020-07-17T07:17:00.562Z``."""
    d = _dt(epoch)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def http_date(epoch: float) -> str:
    """RFC 1123, as in the ``Date`` header."""
    return formatdate(epoch, usegmt=True)


def boolean(value: bool) -> str:
    return "true" if value else "false"
