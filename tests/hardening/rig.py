"""A test rig: the real clients, built by ``build_session``, against the sandbox with faults.

``open_rig`` wires one sandbox (frozen: reports and orders do not progress), a journal in
a temporary directory and a session, and lets a test see every side:

- ``records``: every ``CallRecord`` the clients reported (attempts);
- ``wire``: what left the client (action per request) and the request id of each
  answer that came back (``None`` when none did);
- ``reached``: what got past the fault layer to the service itself;
- the sandbox's state, for what really happened.

Modes: ``asgi`` (in process, one FakeClock for both sides), ``loopback`` (uvicorn on
127.0.0.1, sandbox on the real clock, needed where a real socket matters: timeouts and
bodies cut mid-stream) and ``refused`` (an endpoint where nothing listens).
"""

from __future__ import annotations

import dataclasses
import socket
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx

from mwstui.calls import CallRecord
from mwstui.clock import Clock, FakeClock, SystemClock
from mwstui.journal.store import Journal
from mwstui.mws.client import MWSClient
from mwstui.sandbox.asgi import (
    ASGIApp,
    Receive,
    Scope,
    Send,
    first_param,
    read_body,
    replay,
)
from mwstui.sandbox.fault_middleware import FaultMiddleware
from mwstui.sandbox.sandbox import Sandbox
from mwstui.sandbox.serve import serve_in_thread
from mwstui.secret import Secret
from mwstui.sellercenter.client import SellerCenterClient
from mwstui.session import Session
from mwstui.wiring import build_session, sandbox_targets
from tests.hardening.futurist import Futurist

START = 1_767_225_600.0
"""2026-01-01T00:00:00Z: where in-process clocks start."""
SPEED = 1e-3
"""Sandbox speed: a submitted report waits over an hour of virtual time to start, so
retries and backoffs never race the state a test checks (1e-6 overflows the sandbox's
dates: shipments land past year 9999)."""
MWS_URL = "http://mws.sandbox.test"
SC_URL = "http://sc.sandbox.test"

ACCESS_KEY = "AKIAHARDENING0000001"
SECRET_KEY = "hardening/Secret+Key=0123456789abcdefghij"
SELLER = "A1HARDENINGSELLER"
DONE_REQUEST = "71781018424"
REPORT_ID = "41175694446018424"
CANCEL_REQUEST = "71790018424"
ORDER_ID = "HARD-ORDER-1"
SC_ORDER_BASE = 5_100_001
SC_ITEM_BASE = 6_100_001
SC_ORDERS = 5
WRONG_SECRET_KEY = "wrong/Secret+Key=9f8e7d6c5b4a3928170"
WRONG_API_KEY = "wrong-api-key-9f8e7d6c5b4a39281706f5e4d3c2b1a0"


def matrix_seed() -> dict[str, Any]:
    """One seller with three report requests (two pages at MaxCount=1), a finished report,
    a cancellable request and an order; SellerCenter with five one-item pending orders."""
    orders = [
        {
            "order_id": SC_ORDER_BASE + n,
            "order_number": f"HARD{n}",
            "customer_first_name": "Ada",
            "age_seconds": 3600 + n * 60,
            "items": [{"order_item_id": SC_ITEM_BASE + n, "name": "Lamp", "status": "pending"}],
        }
        for n in range(SC_ORDERS)
    ]
    return {
        "version": 1,
        "rng_seed": 3,
        "mws": {
            "developers": [
                {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "sellers": [SELLER]}
            ],
            "sellers": [
                {
                    "seller_id": SELLER,
                    "marketplaces": ["ATVPDKIKX0DER"],
                    "inventory": [{"sku": "SKU-A", "quantity": 100}],
                    "report_requests": [
                        {
                            "report_type": "_GET_MERCHANT_LISTINGS_DATA_",
                            "status": "_DONE_",
                            "submitted": -7200,
                            "request_id": DONE_REQUEST,
                            "report_id": REPORT_ID,
                        },
                        {
                            "report_type": "_GET_FLAT_FILE_ORDERS_DATA_",
                            "status": "_DONE_NO_DATA_",
                            "submitted": -3600,
                        },
                        {
                            "report_type": "_GET_AFN_INVENTORY_DATA_",
                            "status": "_SUBMITTED_",
                            "submitted": -5,
                            "request_id": CANCEL_REQUEST,
                        },
                    ],
                    "fulfillment_orders": [
                        {
                            "order_id": ORDER_ID,
                            "status": "RECEIVED",
                            "received": -600,
                            "address": {
                                "Name": "Jane Doe",
                                "Line1": "1 Main St",
                                "City": "Seattle",
                                "StateOrProvinceCode": "WA",
                                "CountryCode": "US",
                                "PostalCode": "98109",
                            },
                            "items": [{"sku": "SKU-A", "quantity": 1}],
                        }
                    ],
                }
            ],
        },
        "sellercenter": {"orders": orders},
    }


def _action(request: httpx.Request) -> str:
    if "Action" in request.url.params:
        return request.url.params["Action"]
    return dict(parse_qsl(request.content.decode("utf-8", "replace"))).get("Action", "")


def _signature(request: httpx.Request) -> str:
    if "Signature" in request.url.params:
        return request.url.params["Signature"]
    return dict(parse_qsl(request.content.decode("utf-8", "replace"))).get("Signature", "")


class Wire(httpx.AsyncBaseTransport):
    """Wraps the real transport: counts what leaves and notes each answer's request id.

    Args:
        inner: the transport doing the work.
        timeout: seconds for every phase, imposed on each request (a short timeout is
            what a flaky link needs; httpx reads it from the request's extensions).
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, timeout: float | None = None) -> None:
        self.inner = inner
        self.timeout = timeout
        self.sent: list[str] = []
        self.answered: list[str | None] = []
        self.signatures: list[str] = []
        """Every Signature sent (secret-hunting tests look for them in outputs)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(_action(request))
        self.signatures.append(_signature(request))
        if self.timeout is not None:
            request.extensions["timeout"] = dict.fromkeys(
                ("connect", "read", "write", "pool"), self.timeout
            )
        try:
            response = await self.inner.handle_async_request(request)
        except BaseException:
            self.answered.append(None)
            raise
        self.answered.append(response.headers.get("x-mws-request-id"))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()

    @property
    def last_request_id(self) -> str | None:
        return self.answered[-1] if self.answered else None


class Reached:
    """ASGI wrapper behind the fault layer: the actions that reached the service itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.actions: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        self.actions.append(first_param(scope, body, "Action") or "")
        await self.app(scope, replay(body), send)

    def count(self, action: str) -> int:
        return self.actions.count(action)


def _reach(app: ASGIApp) -> Reached:
    assert isinstance(app, FaultMiddleware)
    reached = Reached(app.app)
    app.app = reached
    return reached


# -- the rig ---------------------------------------------------------------------------------


@dataclass
class Rig:
    """Everything a hardening test looks at; see the module docstring."""

    sandbox: Sandbox
    session: Session
    clock: FakeClock
    """The clients' clock (offset from the sandbox's in skew tests)."""
    journal: Journal
    downloads: Path
    wire: Wire
    sc_wire: Wire
    reached: Reached
    sc_reached: Reached
    records: list[CallRecord] = field(default_factory=list)

    @property
    def mws(self) -> MWSClient:
        assert self.session.mws is not None
        return self.session.mws

    @property
    def sc(self) -> SellerCenterClient:
        assert self.session.sellercenter is not None
        return self.session.sellercenter

    def inject(self, spec: str) -> None:
        """Add fault rules now (both services share the plan)."""
        self.sandbox.faults.add(spec)

    def calls(self, operation: str | None = None) -> list[CallRecord]:
        """The attempts reported so far, of one operation or all."""
        return [r for r in self.records if operation is None or r.operation == operation]


def dead_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def open_rig(
    tmp_path: Path,
    *,
    mode: str = "asgi",
    seed: dict[str, Any] | None = None,
    skew: float = 0.0,
    bad_key: bool = False,
    auth_token: str | None = None,
    future: bool = False,
    wire_timeout: float | None = None,
) -> AsyncIterator[Rig]:
    """A sandbox, a journal and the real clients, closed on exit.

    Args:
        tmp_path: where the journal and the downloads go.
        mode: ``asgi``, ``loopback`` or ``refused`` (see the module docstring).
        seed: the sandbox seed (default ``matrix_seed()``).
        skew: seconds the clients' clock runs ahead of the sandbox's.
        bad_key: sign with a wrong MWS secret key and a wrong SellerCenter API key.
        auth_token: send this MWSAuthToken (the seed's seller must expect it).
        future: answer with unknown enum values and extra elements (``Futurist``).
        wire_timeout: per-request timeout (seconds) imposed on the wire.
    """
    # In process, one virtual clock for both sides unless the test skews the clients'.
    fake = FakeClock(START)
    sandbox_clock: Clock = SystemClock() if mode == "loopback" else fake
    sandbox = Sandbox.create(
        seed=seed or matrix_seed(), clock=sandbox_clock, speed=SPEED, debug=mode == "asgi"
    )
    reached, sc_reached = _reach(sandbox.mws_app), _reach(sandbox.sellercenter_app)
    async with AsyncExitStack() as stack:
        if mode == "loopback":
            served = stack.enter_context(serve_in_thread(sandbox))
            mws_url, sc_url = served.mws_endpoint, served.sellercenter_endpoint
            clock = FakeClock(time.time() + skew)
        else:
            clock = fake if skew == 0 else FakeClock(START + skew)
            if mode == "refused":
                mws_url = f"http://127.0.0.1:{dead_port()}"
                sc_url = f"http://127.0.0.1:{dead_port()}"
            else:
                mws_url, sc_url = MWS_URL, SC_URL
        if mode == "asgi":
            mws_app, sc_app = sandbox.mws_app, sandbox.sellercenter_app
            if future:
                mws_app, sc_app = Futurist(mws_app), Futurist(sc_app)
            wire = Wire(httpx.ASGITransport(app=mws_app), wire_timeout)
            sc_wire = Wire(httpx.ASGITransport(app=sc_app), wire_timeout)
        else:
            wire = Wire(httpx.AsyncHTTPTransport(), wire_timeout)
            sc_wire = Wire(httpx.AsyncHTTPTransport(), wire_timeout)
        mws, sc = sandbox_targets(
            sandbox,
            mws_endpoint=mws_url,
            sellercenter_endpoint=sc_url,
            mws_transport=wire,
            sellercenter_transport=sc_wire,
        )
        if bad_key:
            mws = dataclasses.replace(mws, secret_key=Secret(WRONG_SECRET_KEY))
            sc = dataclasses.replace(sc, api_key=Secret(WRONG_API_KEY))
        if auth_token is not None:
            mws = dataclasses.replace(mws, auth_token=Secret(auth_token))
        journal = Journal(path=tmp_path / "journal.sqlite", clock=clock)
        stack.callback(journal.close)
        downloads = tmp_path / "downloads"
        downloads.mkdir(exist_ok=True)
        session = build_session(
            clock=clock,
            profile="hardening",
            mws=mws,
            sellercenter=sc,
            journal=journal,
            sandbox=True,
            download_dir=str(downloads),
        )
        rig = Rig(sandbox, session, clock, journal, downloads, wire, sc_wire, reached, sc_reached)
        rig.mws.add_observer(rig.records.append)
        rig.sc.add_observer(rig.records.append)
        stack.push_async_callback(rig.sc.aclose)
        stack.push_async_callback(rig.mws.aclose)
        yield rig
