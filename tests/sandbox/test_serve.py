"""serve_in_thread: the same apps over real loopback HTTP, faults included."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Iterator

import httpx
import pytest
import uvicorn

from mwstui.clock import SystemClock
from mwstui.errors import ConfigError
from mwstui.mws.signing import MWSAuth
from mwstui.sandbox import serve
from mwstui.sandbox.sandbox import Sandbox
from mwstui.sandbox.serve import ServedSandbox, _Server, serve_in_thread
from tests.sandbox.conftest import small_seed
from tests.sandbox.helpers import FBA, REPORTS, USER_AGENT


@pytest.fixture
def served() -> Iterator[ServedSandbox]:
    sandbox = Sandbox.create(seed=small_seed(), clock=SystemClock())
    with serve_in_thread(sandbox) as s:
        yield s


def client(s: ServedSandbox) -> httpx.Client:
    c = s.sandbox.credentials
    return httpx.Client(
        base_url=s.mws_endpoint,
        auth=MWSAuth(c.access_key, c.secret_key, SystemClock()),
        headers={"User-Agent": USER_AGENT},
        timeout=10,
    )


def form(action: str, version: str = "2009-01-01", **extra: str) -> dict[str, str]:
    return {"Action": action, "Version": version, "SellerId": "A1TESTSELLER", **extra}


def test_serves_on_free_loopback_ports(served: ServedSandbox) -> None:
    assert served.mws_endpoint.startswith("http://127.0.0.1:")
    assert served.sellercenter_endpoint != served.mws_endpoint
    assert served.ca_bundle is None
    with client(served) as c:
        r = c.post(REPORTS, data=form("GetReportCount"))
    assert r.status_code == 200 and "<Count>1</Count>" in r.text
    info = served.ready_info()
    assert info["mws_endpoint"] == served.mws_endpoint and info["seller_id"] == "A1TESTSELLER"


def test_sellercenter_is_served_too(served: ServedSandbox) -> None:
    r = httpx.get(
        served.sellercenter_endpoint + "/", params={"Action": "GetOrders", "Format": "JSON"}
    )
    assert "ErrorResponse" in r.json()


def test_drop_and_truncate_over_the_network(served: ServedSandbox) -> None:
    served.sandbox.faults.set("GetReportCount:drop-before:next=1,GetReport:truncate:next=1")
    with client(served) as c:
        with pytest.raises(httpx.RemoteProtocolError):
            c.post(REPORTS, data=form("GetReportCount"))
        with pytest.raises(httpx.RemoteProtocolError):
            c.post(REPORTS, data=form("GetReport", ReportId="21175694446018424"))
        assert c.post(REPORTS, data=form("GetReportCount")).status_code == 200


def test_admin_endpoint_over_the_network(served: ServedSandbox) -> None:
    r = httpx.put(served.mws_endpoint + "/_sandbox/faults", content=b"GetServiceStatus:503")
    assert r.json() == {"faults": "GetServiceStatus:unavailable"}
    with client(served) as c:
        r = c.post(FBA, data=form("GetServiceStatus", "2010-10-01"))
    assert r.status_code == 503 and "ServiceUnavailable" in r.text


def test_close_releases_the_port() -> None:
    sandbox = Sandbox.create(seed=small_seed(), clock=SystemClock())
    served = serve_in_thread(sandbox)
    port = int(served.mws_endpoint.rsplit(":", 1)[1])
    served.close()
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))


def test_busy_port_is_a_config_error(served: ServedSandbox) -> None:
    port = int(served.mws_endpoint.rsplit(":", 1)[1])
    with pytest.raises(ConfigError, match="cannot listen"):
        serve_in_thread(served.sandbox, port=port)


def idle_server(monkeypatch: pytest.MonkeyPatch, ticks: int) -> tuple[_Server, list[int]]:
    """A server whose ``on_tick`` records its counters and says stop after ``ticks``."""
    server = _Server(uvicorn.Config(Sandbox.create(seed=small_seed()).mws_app, lifespan="off"))
    seen: list[int] = []

    async def on_tick(counter: int) -> bool:
        seen.append(counter)
        return len(seen) >= ticks or server.should_exit

    monkeypatch.setattr(server, "on_tick", on_tick)
    return server, seen


async def test_an_idle_server_wakes_once_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    # uvicorn's own loop polls every 0.1 s: twenty wake-ups a second for two idle servers.
    server, seen = idle_server(monkeypatch, ticks=3)
    waits: list[float | None] = []

    async def wait_for(aw: Awaitable[object], *args: float | None) -> None:
        waits.append(args[0])
        asyncio.ensure_future(aw).cancel()
        raise TimeoutError

    monkeypatch.setattr(asyncio, "wait_for", wait_for)
    await server.main_loop()
    assert waits == [1.0, 1.0]
    assert seen == [0, 10, 20]  # each tick is one uvicorn counts as a second: Date moves


async def test_stop_wakes_the_loop_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve, "TICK_SECONDS", 3600.0)  # only stop() can end this wait
    server, seen = idle_server(monkeypatch, ticks=1000)
    task = asyncio.ensure_future(server.main_loop())
    await asyncio.sleep(0)  # the task runs until it waits on its wake-up event
    assert server._wake is not None
    await asyncio.to_thread(server.stop)  # from another thread, as close() does
    await asyncio.wait_for(task, 30)  # bounds a failure; woken, it returns at once
    assert seen == [0, 10]
