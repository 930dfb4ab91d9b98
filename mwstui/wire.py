"""What can go wrong on the wire, bounded: unreachable hosts, answers too large, too deep.

Both service clients read every API answer through ``read_capped`` (never the whole body
at once) and check its nesting with ``check_xml_depth`` / ``check_json_depth`` before a
parser that recurses sees it. A misconfigured proxy, a wrong host or a man in the middle
can then cost a bounded amount of memory and a clear one-line error, nothing more.
"""

from __future__ import annotations

import asyncio
import errno
import re
import socket
import ssl
from collections.abc import Callable, Iterator
from itertools import accumulate
from typing import TypeVar
from xml.parsers import expat

import httpx

from mwstui.errors import ConfigError

T = TypeVar("T")

MB = 1024 * 1024
DEFAULT_MAX_RESPONSE_MB = 32
"""An API answer larger than this is refused (report downloads stream to disk instead)."""
DEFAULT_DEADLINE = 60.0
"""Seconds one HTTP exchange may take in all, however slowly the server trickles bytes."""
MAX_DEPTH = 64
"""Deepest element/array nesting accepted; MWS and SellerCenter answers stay under 15."""
OFF_LOOP_BYTES = 8 * 1024
"""An answer larger than this is parsed on a worker thread (``parse_answer``). Below it the
parse costs less than the hop (~0.15 ms wall, a handful of loop callbacks)."""

NOT_SENT: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
    httpx.ProxyError,
)
"""Failures raised before a connection to the server existed (DNS, refused, TLS handshake,
no route, a proxy that refused the tunnel): the request provably never reached it."""


class TooLarge(ValueError):
    """The answer went over the size cap; nothing more of it was read."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.http_status: int | None = None
        """The status of the answer that was refused, when the caller knows it."""
        super().__init__(
            f"the answer is larger than {limit / MB:g} MB and was refused "
            "(the max_response_mb setting in config.toml)"
        )


class TooDeep(ValueError):
    """The answer nests deeper than any real answer does."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the answer nests deeper than {limit} levels")


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    """The (decoded) body of a streamed response, refusing it as soon as it passes ``limit``.

    A ``Content-Length`` over the cap is refused before a byte is read; otherwise the
    count runs on the decompressed bytes, so a gzip bomb stops at the cap too.

    Raises:
        TooLarge: the body is larger than ``limit`` bytes.
    """
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit and "content-encoding" not in response.headers:
        raise TooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def off_loop(size: int, work: Callable[[], T]) -> T:
    """``work()``: on a worker thread when the answer it reads is large, at once when small.

    A 50-order page takes tens of milliseconds to parse and build; run on the event loop,
    every key and frame waits for it. On a thread the loop takes the GIL back at the
    interpreter's switch interval (5 ms) and keeps serving keys meanwhile. ``work`` must
    touch nothing the loop owns (a parser, model builders); what it raises is raised
    here, unchanged, and results come back in the order they are awaited.

    Args:
        size: bytes of the answer ``work`` reads (already bounded by ``read_capped``).
        work: a pure function of that answer.
    """
    if size <= OFF_LOOP_BYTES:
        return work()
    return await asyncio.to_thread(work)


def check_xml_depth(body: bytes, limit: int = MAX_DEPTH) -> None:
    """Refuse XML nested deeper than ``limit`` before a recursive reader walks it.

    Malformed XML is left for the real parser to report with its own message.

    Raises:
        TooDeep: an element sits deeper than ``limit``.
    """
    parser = expat.ParserCreate()
    depth = 0

    def start(_name: str, _attrs: object) -> None:
        nonlocal depth
        depth += 1
        if depth > limit:
            raise TooDeep(limit)

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    # Entities are the real parser's business (it refuses them); do not expand any here.
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(body, True)
    except expat.ExpatError:
        return


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def check_json_depth(body: bytes, limit: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit`` (``json`` would raise RecursionError).

    Raises:
        TooDeep: an array or object sits deeper than ``limit``.
    """
    outside_strings = _JSON_STRING.sub(b"", body)
    steps = (1 if b in b"[{" else -1 for b in _JSON_BRACKET.findall(outside_strings))
    if max(accumulate(steps), default=0) > limit:
        raise TooDeep(limit)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


_REFUSED = {errno.ECONNREFUSED: "connection refused", errno.ECONNRESET: "connection reset"}
_UNREACHABLE = {errno.ENETUNREACH: "network unreachable", errno.EHOSTUNREACH: "host unreachable"}


def name_unknown(exc: httpx.HTTPError) -> bool:
    """Whether the host name did not resolve (not worth retrying within seconds)."""
    return any(isinstance(c, socket.gaierror) and c.errno != socket.EAI_AGAIN for c in _causes(exc))


def unreachable_reason(exc: httpx.HTTPError) -> str:
    """Plain words for why no connection was made: ``name not known``, ``connection refused``."""
    if isinstance(exc, httpx.ConnectTimeout):
        return "no connection within the timeout"
    if isinstance(exc, httpx.PoolTimeout):
        return "no free connection within the timeout"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "the endpoint is not an http(s) URL"
    if isinstance(exc, httpx.ProxyError):
        return f"the proxy refused the connection ({' '.join(str(exc).split())[:120]})"
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            if cause.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)):
                return "name not known"
            return "name lookup failed"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate not trusted ({cause.verify_message})"
        if isinstance(cause, ssl.SSLError):
            return f"TLS handshake failed ({cause.reason or cause.__class__.__name__})"
        if isinstance(cause, OSError) and cause.errno is not None:
            words = _REFUSED.get(cause.errno) or _UNREACHABLE.get(cause.errno)
            if words:
                return words
    detail = " ".join(str(exc).split())
    return detail[:120] or "could not connect"


# -- shared by every client: host naming, TLS set-up, transport failures in words -----------

_DEFAULT_PORTS = {"https": 443, "http": 80}


def canonical_host(url: httpx.URL) -> str:
    """Lower-cased host, with the port only when it is not the scheme's default."""
    host = url.host.lower()
    if url.port is not None and url.port != _DEFAULT_PORTS.get(url.scheme):
        return f"{host}:{url.port}"
    return host


def tls_verify(url: httpx.URL, verify: ssl.SSLContext | str | bool) -> ssl.SSLContext | bool:
    """What a client hands httpx as ``verify`` for ``url``.

    Args:
        url: the endpoint.
        verify: True (system CAs), False, a context, or a CA bundle path (the TLS sandbox).

    Raises:
        ConfigError: the CA bundle cannot be read.
    """
    if verify is True and url.scheme == "http":
        # No handshake ever happens: do not let httpx load the system CA bundle (~25 ms
        # at start-up). A context trusting nothing would refuse https, not skip checks.
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if isinstance(verify, str):
        # httpx 0.28 deprecates a CA path; the TLS sandbox hands us one.
        try:
            return ssl.create_default_context(cafile=verify)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"cannot read the CA bundle {verify!r}: {exc}") from None
    return verify


_TRANSPORT_WORDS = {
    "ConnectError": "could not connect to the service",
    "ConnectTimeout": "timed out connecting to the service",
    "PoolTimeout": "no free connection within the timeout",
    "WriteTimeout": "timed out while sending the request",
    "WriteError": "the connection broke while sending the request",
    "ReadTimeout": "no answer within the timeout",
    "ReadError": "the connection broke while reading the answer",
    "RemoteProtocolError": "the connection broke off",
}
"""What an httpx failure means, for messages (httpx's own text is often empty)."""


def describe_transport_error(exc: httpx.HTTPError) -> str:
    """One line for the user: what happened, then httpx's detail when it has one."""
    words = _TRANSPORT_WORDS.get(type(exc).__name__)
    detail = " ".join(str(exc).split())[:200]
    if words and detail:
        return f"{words} ({detail})"
    return words or detail or type(exc).__name__
