"""Namespace-blind, order-blind reading of MWS XML (expat) plus the date formats MWS uses.

The real service and its documentation disagree on namespaces, element order, the
spelling of ``RequestId`` and how an exhausted ``NextToken`` looks, so everything here
addresses elements by local name, tolerates what it does not know, and only fails
(``MalformedResponseError``) when something the caller needs is truly missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from xml.parsers import expat
from xml.parsers.expat import ExpatError

from mwstui import wire
from mwstui.calls import ResponseMeta
from mwstui.errors import MalformedResponseError
from mwstui.validation import LocalValidationError

_NO_TOKEN = frozenset({"", "none", "null"})


def parse_datetime(text: str | None) -> datetime | None:
    """An aware UTC datetime from ISO 8601 (``Z``, ``+00:00``, ``+0000``, ms) or RFC 1123.

    A value without a zone is taken as UTC; anything unparsable gives ``None``
    (a bad date must not make a whole listing unreadable).
    """
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _forbid_entities(*_args: object) -> None:
    raise ValueError("entities are disabled")


def _read_xml(body: bytes) -> tuple[str, Any]:
    """The root element's local name and value, read in one expat pass.

    The value is what ``Node`` reads: ``None`` (empty), the stripped text, or a dict of
    ``@attribute`` (xmlns dropped), ``#text`` and child lists by local name — the shape
    xmltodict gave once prefixes were stripped and every child made a list, built
    directly (xmltodict and that second walk cost 2.5× this on a 50-order page).
    Entity declarations are refused, as xmltodict's ``disable_entities`` does.

    Raises:
        ExpatError: not well-formed XML.
        ValueError: the body declares an entity.
    """
    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.buffer_text = True
    names: list[str] = []
    items: list[dict[str, Any] | None] = []
    texts: list[list[str]] = []
    root: list[tuple[str, Any]] = []

    def start(name: str, attrs: list[str]) -> None:
        item: dict[str, Any] | None = None
        if attrs:  # even xmlns alone: such an element reads as a dict, as it always did
            item = {}
            for i in range(0, len(attrs), 2):
                key = attrs[i]
                if key != "xmlns" and not key.startswith("xmlns:"):
                    item["@" + _local(key)] = attrs[i + 1]
        names.append(_local(name))
        items.append(item)
        texts.append([])

    def end(_name: str) -> None:
        name, item, chunks = names.pop(), items.pop(), texts.pop()
        text = "".join(chunks).strip() if chunks else ""
        value: Any = text or None
        if item is not None:
            if text:
                item["#text"] = text
            value = item
        if not items:
            root.append((name, value))
            return
        parent = items[-1]
        if parent is None:
            parent = items[-1] = {}
        found = parent.get(name)
        if found is None:
            parent[name] = [value]
        else:
            found.append(value)

    def characters(data: str) -> None:
        texts[-1].append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.EntityDeclHandler = _forbid_entities
    parser.Parse(body, True)
    if len(root) != 1:
        raise MalformedResponseError("MalformedResponse", "no single root element")
    return root[0]


class Node:
    """One XML element, read by local name.

    Args:
        name: the element's local name.
        value: what ``_read_xml`` gives (``None``, text, or a dict of child lists).
    """

    __slots__ = ("_value", "name")

    def __init__(self, name: str, value: Any) -> None:
        self.name = name
        self._value = value

    def __repr__(self) -> str:
        return f"Node({self.name!r})"

    @property
    def text_value(self) -> str | None:
        """The element's own text, stripped; ``None`` when it has none."""
        v = self._value
        if isinstance(v, dict):
            v = v.get("#text")
        return v.strip() if isinstance(v, str) else None

    def attribute(self, name: str) -> str | None:
        """An attribute by local name."""
        v = self._value
        if isinstance(v, dict):
            a = v.get("@" + name)
            return a if isinstance(a, str) else None
        return None

    def _lookup(self, name: str) -> list[Any]:
        v = self._value
        if not isinstance(v, dict):
            return []
        if name in v:
            return v[name]  # type: ignore[no-any-return]  # callers never change it
        # RequestId vs RequestID: fall back to a case-insensitive match.
        folded = name.casefold()
        return [
            x
            for k, xs in v.items()
            if not k.startswith(("@", "#")) and k.casefold() == folded
            for x in xs
        ]

    def children(self, name: str) -> list[Node]:
        """Every child called ``name`` (one element or many: always a list)."""
        return [Node(name, x) for x in self._lookup(name)]

    def child(self, name: str) -> Node | None:
        """The first child called ``name``."""
        found = self._lookup(name)
        return Node(name, found[0]) if found else None

    def child_names(self) -> Iterator[str]:
        """Local names of the children, in first-seen order."""
        v = self._value
        if isinstance(v, dict):
            yield from (k for k in v if not k.startswith(("@", "#")))

    def members(self, name: str) -> list[Node]:
        """The items of an FBA list ``<name><member/>…</name>`` (any wrapper repeated or not)."""
        out: list[Node] = []
        for wrapper in self.children(name):
            names = list(wrapper.child_names())
            # Docs sometimes show <ReturnItem> instead of <member>; take any single item name.
            item = "member" if "member" in names or not names else names[0]
            out.extend(wrapper.children(item))
        return out

    def text(self, name: str) -> str | None:
        """The stripped text of the first child ``name``; ``None`` if absent or empty."""
        # ``child(name).text_value`` without the Node: called ~40 times per order.
        found = self._lookup(name)
        if not found:
            return None
        v = found[0]
        if isinstance(v, dict):
            v = v.get("#text")
        return (v.strip() or None) if isinstance(v, str) else None

    def require(self, name: str) -> str:
        """Like ``text`` but the element must be there.

        Raises:
            MalformedResponseError: when it is absent or empty.
        """
        t = self.text(name)
        if t is None:
            raise MalformedResponseError(
                "MalformedResponse", f"element {name} missing in {self.name}"
            )
        return t

    def integer(self, name: str, default: int | None = None) -> int | None:
        """An integer child (``"5"`` or ``"5.0"``); ``default`` when absent.

        Raises:
            MalformedResponseError: when present but not a number.
        """
        t = self.text(name)
        if t is None:
            return default
        try:
            return int(t) if t.lstrip("-").isdigit() else int(float(t))
        except ValueError:
            raise MalformedResponseError(
                "MalformedResponse", f"element {name} is not a number: {t[:40]!r}"
            ) from None

    def require_integer(self, name: str) -> int:
        """An integer child that must be present."""
        value = self.integer(name)
        if value is None:
            raise MalformedResponseError(
                "MalformedResponse", f"element {name} missing in {self.name}"
            )
        return value

    def flag(self, name: str) -> bool | None:
        """``true``/``false`` (any case); ``None`` when absent or anything else."""
        t = self.text(name)
        return {"true": True, "false": False}.get(t.lower()) if t else None

    def date(self, name: str) -> datetime | None:
        """A date child as an aware UTC datetime (see ``parse_datetime``)."""
        return parse_datetime(self.text(name))


EMPTY = Node("", None)


class Document:
    """A parsed MWS response: the root element, its ``…Result`` and its request id."""

    __slots__ = ("result", "root")

    def __init__(self, root: Node) -> None:
        self.root = root
        base = root.name.removesuffix("Response")
        result = root.child(base + "Result")
        if result is None:
            names = [n for n in root.child_names() if n.endswith("Result")]
            result = root.child(names[0]) if names else None
        self.result: Node = result or Node(base + "Result", None)

    @property
    def is_error(self) -> bool:
        return self.root.name == "ErrorResponse"

    @property
    def request_id(self) -> str | None:
        """``ResponseMetadata/RequestId`` (or ``RequestID``, or directly under the root)."""
        meta = self.root.child("ResponseMetadata")
        return (meta.text("RequestId") if meta else None) or self.root.text("RequestId")

    def next_token(self) -> str | None:
        """The token of the next page, or ``None`` when this is the last one.

        ``HasNext=false`` wins over any token; an absent, empty or ``none`` token ends the
        listing.

        Raises:
            MalformedResponseError: ``HasNext=true`` without a usable token (continuing is
                impossible and stopping silently would hide items).
        """
        has_next = self.result.flag("HasNext")
        token = self.result.text("NextToken")
        if token is not None and token.lower() in _NO_TOKEN:
            token = None
        if has_next is False:
            return None
        if has_next and token is None:
            raise MalformedResponseError("MalformedResponse", "HasNext is true but no NextToken")
        return token


def parse_document(body: bytes | str) -> Document:
    """Parse an MWS XML response.

    Raises:
        MalformedResponseError: when the body is not XML with a single root element.
    """
    if isinstance(body, str):
        body = body.encode("utf-8")
    body = body.lstrip(b" \t\r\n")
    try:
        # The normalising walk below recurses: refuse a hostile nesting before it does.
        wire.check_xml_depth(body)
        name, value = _read_xml(body)
        return Document(Node(name, value))
    except wire.TooDeep as exc:
        raise MalformedResponseError("MalformedResponse", f"malformed response: {exc}") from None
    except (ExpatError, ValueError) as exc:
        raise MalformedResponseError("MalformedResponse", f"not XML: {exc}") from None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def response_meta(
    operation: str,
    status: int,
    headers: Mapping[str, str],
    *,
    elapsed: float = 0.0,
    waited: float = 0.0,
) -> ResponseMeta:
    """Metadata from MWS response headers (names case-insensitive in ``httpx.Headers``).

    ``x-mws-request-id``, ``x-mws-timestamp`` (else ``Date``), ``x-mws-quota-max``,
    ``-remaining`` and ``-resetsOn`` (ISO 8601 or RFC 1123).
    """
    h = {k.lower(): v for k, v in headers.items()}
    return ResponseMeta(
        operation=operation,
        http_status=status,
        request_id=h.get("x-mws-request-id") or h.get("x-amz-request-id"),
        server_time=parse_datetime(h.get("x-mws-timestamp")) or parse_datetime(h.get("date")),
        quota_max=_float(h.get("x-mws-quota-max")),
        quota_remaining=_float(h.get("x-mws-quota-remaining")),
        quota_resets_on=parse_datetime(h.get("x-mws-quota-resetson")),
        elapsed=elapsed,
        waited=waited,
    )


# -- the request side: values as MWS wants them ---------------------------------------------


def format_datetime(when: datetime) -> str:
    """ISO 8601 UTC with milliseconds and ``Z``; a naive datetime is taken as UTC."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def format_bool(value: bool) -> str:
    """Booleans go on the wire as lower-case ``true``/``false``."""
    return "true" if value else "false"


def encode_list(prefix: str, values: Iterable[str]) -> dict[str, str]:
    """``prefix.1=a&prefix.2=b`` (``ReportTypeList.Type``, ``Items.member`` ...), N from 1."""
    return {f"{prefix}.{n}": v for n, v in enumerate(values, start=1)}


def id_list(values: Iterable[str] | str, what: str) -> list[str]:
    """Clean a list of ids: stripped, de-duplicated in order, none blank.

    Raises:
        TypeError: for a bare string (it would be taken character by character).
        LocalValidationError: (a ValueError) for a blank id (an empty id list entry can widen
            a filter to everything).
    """
    if isinstance(values, str | bytes):
        raise TypeError(f"{what} must be a list of ids, not a string")
    out: dict[str, None] = {}
    for v in values:
        s = str(v).strip()
        if not s:
            raise LocalValidationError(what, f"blank id in {what}")
        out[s] = None
    return list(out)
