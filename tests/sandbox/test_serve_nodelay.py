"""The served sandbox answers keep-alive requests without waiting for delayed ACKs."""

from __future__ import annotations

import socket

from mwstui.sandbox.serve import _bind


def test_listening_socket_says_tcp_so_asyncio_sets_nodelay_on_each_connection() -> None:
    # asyncio only disables Nagle on sockets whose proto is IPPROTO_TCP; with proto 0 every
    # answer after the first on a connection waited ~40 ms for the client's delayed ACK.
    sock = _bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()
