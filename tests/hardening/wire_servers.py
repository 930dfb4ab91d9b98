"""Hostile HTTP servers on loopback: a huge body, a trickle, silence, and a closed port.

Raw asyncio servers in the test's own event loop: what they write and when is exact,
and a test can read how many bytes left before the client hung up.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nConnection: close\r\n"


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    """What a hostile server did."""

    port: int
    bytes_sent: int = 0
    requests: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


async def _read_request(reader: asyncio.StreamReader) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            await reader.readexactly(int(line.split(b":", 1)[1]))


@contextlib.asynccontextmanager
async def hostile_server(
    kind: str, *, total: int = 400 * 1024 * 1024, interval: float = 0.05
) -> AsyncIterator[Served]:
    """Serve one kind of misbehaviour on a free loopback port.

    Args:
        kind: ``huge`` (streams ``total`` bytes of an XML element as fast as read),
            ``declared-huge`` (announces ``total`` bytes in Content-Length, sends a few),
            ``trickle`` (headers, then one byte every ``interval`` seconds), ``silent``
            (accepts, reads the request, never answers), ``not-tls`` (plain HTTP at once,
            so an https client's handshake fails).
    """
    served = Served(0)
    handlers: set[asyncio.Task[None]] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            handlers.add(task)  # type: ignore[arg-type]
        served.requests += 1
        try:
            if kind == "not-tls":  # answers a TLS ClientHello with plain HTTP
                writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
                return
            await _read_request(reader)
            if kind == "silent":
                await asyncio.sleep(3600)
            if kind == "declared-huge":
                writer.write(HEAD + f"Content-Length: {total}\r\n\r\n".encode() + b"<a>")
                await writer.drain()
                await asyncio.sleep(3600)
            writer.write(HEAD + b"\r\n<a>")
            if kind == "trickle":
                for _ in range(100_000):
                    await asyncio.sleep(interval)
                    writer.write(b" ")
                    await writer.drain()
                    served.bytes_sent += 1
            chunk = b"x" * (1024 * 1024)
            while served.bytes_sent < total:
                writer.write(chunk)
                await writer.drain()
                served.bytes_sent += len(chunk)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client hung up: that is what the tests want
        except asyncio.CancelledError:
            # The test is over. Ending normally: Python 3.11's stream callback logs a
            # cancelled handler as an "exception in callback".
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    served.port = server.sockets[0].getsockname()[1]
    try:
        yield served
    finally:
        server.close()
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.wait_closed(), 2)
