"""Serving a Sandbox over real HTTP(S): uvicorn in a background thread with its own loop.

The three apps (MWS, SellerCenter, SP-API) run in one thread on one event loop, so the
sandbox's state is only ever touched from there. Sockets are bound before the servers
start (port 0 picks a free one), and ``serve_in_thread`` returns once every server
accepts connections. SP-API has a listener of its own because its paths, its LWA token
endpoint and its document URLs all sit at the root of a host, as a client expects.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from mwstui.catalog import load_catalog
from mwstui.errors import ConfigError, MwstuiError
from mwstui.sandbox.sandbox import Sandbox

_READY_TIMEOUT = 15.0
TICK_SECONDS = 1.0
"""How often an idle server wakes (uvicorn refreshes its Date header once a second)."""


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says
        # TCP, and without it every keep-alive answer waits ~40 ms for a delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _url(scheme: str, host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}"


class _TLS:
    """A throwaway CA and a server certificate for loopback names, written to ``directory``."""

    def __init__(self, directory: Path, host: str) -> None:
        import trustme

        ca = trustme.CA(organization_name="mwstui sandbox")
        names = sorted({host, "127.0.0.1", "::1", "localhost"})
        cert = ca.issue_cert(*names)
        self.ca_path = directory / "sandbox-ca.pem"
        self.cert_path = directory / "sandbox-server.pem"
        ca.cert_pem.write_to_path(str(self.ca_path))
        cert.private_key_and_cert_chain_pem.write_to_path(str(self.cert_path))


class _Server(uvicorn.Server):
    """uvicorn's server, waking once a second instead of ten times, and at once to stop.

    uvicorn polls ``should_exit`` every 0.1 s; two idle servers in the dashboard's
    process woke it twenty times a second for nothing. Here the loop sleeps until the
    next whole second (the ``Date`` header still moves each second) or until ``stop``.
    """

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self.ready.set()

    async def main_loop(self) -> None:
        self._wake = asyncio.Event()
        self._loop = asyncio.get_running_loop()  # after _wake: ``stop`` reads it first
        counter = 0  # on_tick refreshes the Date header when counter % 10 == 0
        while not await self.on_tick(counter):
            counter = (counter + 10) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), TICK_SECONDS)

    def stop(self) -> None:
        """Ask the server to shut down (from any thread)."""
        self.should_exit = True
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed already
                loop.call_soon_threadsafe(wake.set)


class ServedSandbox:
    """A sandbox being served; a context manager that stops it on exit.

    Attributes:
        mws_endpoint: base URL of the MWS services (``http(s)://host:port``).
        sellercenter_endpoint: base URL of SellerCenter.
        spapi_endpoint: base URL of SP-API (its LWA token endpoint and documents too).
        ca_bundle: path of the CA certificate to trust (TLS only), else None.
    """

    def __init__(
        self,
        sandbox: Sandbox,
        *,
        host: str,
        port: int,
        sc_port: int,
        tls: bool,
        state_dir: Path | None,
        spapi_port: int = 0,
    ) -> None:
        self.sandbox = sandbox
        self._own_dir = state_dir is None and tls
        self._dir = Path(tempfile.mkdtemp(prefix="mwstui-sandbox-")) if self._own_dir else state_dir
        tls_files = _TLS(self._dir, host) if tls and self._dir is not None else None
        self.ca_bundle = str(tls_files.ca_path) if tls_files else None
        self._sockets: list[socket.socket] = []
        try:
            for p in (port, sc_port, spapi_port):
                self._sockets.append(_bind(host, p))
        except ConfigError:
            self._release()
            raise
        socks = self._sockets
        scheme = "https" if tls else "http"
        self.mws_endpoint = _url(scheme, host, socks[0].getsockname()[1])
        self.sellercenter_endpoint = _url(scheme, host, socks[1].getsockname()[1])
        self.spapi_endpoint = _url(scheme, host, socks[2].getsockname()[1])
        ssl: dict[str, Any] = {"ssl_certfile": str(tls_files.cert_path)} if tls_files else {}
        self._servers = [
            _Server(
                uvicorn.Config(
                    app,
                    lifespan="off",
                    log_level="warning",
                    access_log=False,
                    timeout_graceful_shutdown=2,
                    **ssl,
                )
            )
            for app in (sandbox.mws_app, sandbox.sellercenter_app, sandbox.spapi_app)
        ]
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="mwstui-sandbox", daemon=True)

    async def _serve(self) -> None:
        pairs = zip(self._servers, self._sockets, strict=True)
        await asyncio.gather(*(server.serve(sockets=[sock]) for server, sock in pairs))

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to the starting thread
            self._error = exc

    def start(self) -> ServedSandbox:
        """Start serving and wait until every server accepts connections.

        Raises:
            MwstuiError: the servers did not come up.
        """
        self._thread.start()
        deadline = time.monotonic() + _READY_TIMEOUT
        for server in self._servers:
            # Short waits: a server that fails to start ends the thread without ``ready``.
            while not server.ready.wait(0.05):
                if not self._thread.is_alive() or time.monotonic() > deadline:
                    self.close()
                    raise MwstuiError(f"sandbox did not start: {self._error or 'timed out'}")
        return self

    def ready_info(self) -> dict[str, Any]:
        """What the ready line prints: endpoints, demo credentials, CA bundle."""
        return {
            "mws_endpoint": self.mws_endpoint,
            "sellercenter_endpoint": self.sellercenter_endpoint,
            "spapi_endpoint": self.spapi_endpoint,
            "lwa_endpoint": self.spapi_endpoint + load_catalog().spapi.lwa_token_path,
            **self.sandbox.credentials.reveal(),
            "ca_bundle": self.ca_bundle,
            "faults_admin": f"{self.mws_endpoint}/_sandbox/faults",
        }

    def close(self) -> None:
        """Stop every server, wait for the thread and remove the temporary CA files."""
        for s in self._servers:
            s.stop()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self._release()

    def _release(self) -> None:
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()
        if self._own_dir and self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> ServedSandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def serve_in_thread(
    sandbox: Sandbox,
    host: str = "127.0.0.1",
    port: int = 0,
    sc_port: int = 0,
    tls: bool = False,
    state_dir: Path | None = None,
    spapi_port: int = 0,
) -> ServedSandbox:
    """Serve ``sandbox`` on ``host`` (MWS on ``port``, SellerCenter on ``sc_port``, SP-API
    on ``spapi_port``).

    Args:
        sandbox: what to serve.
        host: the interface (loopback by default).
        port: MWS port; 0 picks a free one.
        sc_port: SellerCenter port; 0 picks a free one.
        tls: serve HTTPS with a freshly generated CA (``ca_bundle`` on the result).
        state_dir: where the CA and certificate go (default: a temporary directory
            removed on close).
        spapi_port: SP-API port (LWA and documents included); 0 picks a free one.

    Returns:
        The running servers, ready for connections; close them (or use ``with``).

    Raises:
        ConfigError: a port cannot be bound.
        MwstuiError: the servers did not start.
    """
    return ServedSandbox(
        sandbox,
        host=host,
        port=port,
        sc_port=sc_port,
        tls=tls,
        state_dir=state_dir,
        spapi_port=spapi_port,
    ).start()
