"""A session on a fresh in-process sandbox, built as the app builds it (contract suite)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx

from mwstui.backend.protocols import Mutation
from mwstui.calls import CallRecord
from mwstui.clock import FakeClock
from mwstui.journal.entry import JournalEntry
from mwstui.journal.store import Journal
from mwstui.sandbox.sandbox import Sandbox
from mwstui.session import Session
from mwstui.wiring import build_session, sandbox_spapi_target, sandbox_targets

START = 1_767_225_600.0 + 9 * 3600
"""2026-01-01T09:00:00Z."""
SPAPI_HOST = "https://sellingpartnerapi-na.sandbox.test"


def mws_action(request: httpx.Request, body: bytes) -> str | None:
    """The MWS/SellerCenter ``Action`` of a request (query or form body)."""
    action = request.url.params.get("Action")
    if action is None and request.method == "POST":
        action = dict(parse_qsl(body.decode("ascii", "replace"))).get("Action")
    return action


class RefusingTransport(httpx.AsyncBaseTransport):
    """Refuses the connection for some operations, as a host that is down would.

    Args:
        inner: the transport that carries every other call.
        actions: the operations whose connection is refused.
        action_of: names the operation of a request (and its body).
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        actions: Collection[str],
        action_of: Callable[[httpx.Request, bytes], str | None] = mws_action,
    ) -> None:
        self.inner = inner
        self.actions = set(actions)
        self.action_of = action_of

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.action_of(request, await request.aread()) in self.actions:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


@dataclass
class Rig:
    """What a contract test gets: the session, the sandbox behind it and its clock."""

    session: Session
    sandbox: Sandbox
    clock: FakeClock
    journal: Journal

    def fault(self, spec: str) -> None:
        """Add sandbox faults (``CancelFulfillmentOrder:drop-after:next=1``)."""
        self.sandbox.faults.add(spec)

    def entries(self, operation: str) -> list[JournalEntry]:
        """Journal entries of ``operation``, oldest first."""
        found = [e for e in self.journal.entries(None) if e.operation == operation]
        return sorted(found, key=lambda e: e.id)

    def observe(self, calls: Callable[[CallRecord], None]) -> None:
        """Tell ``calls`` about every call of every client of the session."""
        for client in (self.session.mws, self.session.sellercenter, self.session.spapi):
            if client is not None:
                client.add_observer(calls)


def mutation_of(entry: JournalEntry) -> Mutation:
    """What the journal hands a backend to settle (as recovery builds it)."""
    context = getattr(entry, "context", None) or {}
    return Mutation(
        entry.service, entry.account, entry.operation, entry.items, entry.params, context
    )


def make_rig(
    workdir: Path,
    *,
    read_only: bool = False,
    refuse: Collection[str] = (),
    service: str = "mws",
    seed: dict[str, Any] | None = None,
) -> Rig:
    """A session on a fresh sandbox (demo seed) on a fake clock.

    Args:
        workdir: where the journal goes.
        read_only: a read-only session.
        refuse: operations whose connection is refused (nothing is sent).
        service: ``mws`` (MWS and SellerCenter) or ``spapi``, via ``wiring.build_session``.
        seed: a sandbox seed instead of the demo one.
    """
    clock = FakeClock(START)
    sandbox = Sandbox.create(clock=clock, seed=seed)
    journal = Journal(workdir / "journal.db", clock)
    if service == "spapi":
        session = _spapi_session(sandbox, clock, journal, read_only=read_only, refuse=refuse)
        return Rig(session, sandbox, clock, journal)
    mws_t: httpx.AsyncBaseTransport = httpx.ASGITransport(app=sandbox.mws_app)
    sc_t: httpx.AsyncBaseTransport = httpx.ASGITransport(app=sandbox.sellercenter_app)
    if refuse:
        mws_t, sc_t = RefusingTransport(mws_t, refuse), RefusingTransport(sc_t, refuse)
    mws, sc = sandbox_targets(
        sandbox,
        mws_endpoint="http://mws.sandbox.test",
        sellercenter_endpoint="http://sc.sandbox.test",
        mws_transport=mws_t,
        sellercenter_transport=sc_t,
    )
    session = build_session(
        clock=clock,
        profile="contract",
        mws=mws,
        sellercenter=sc,
        journal=journal,
        read_only=read_only,
        sandbox=True,
    )
    return Rig(session, sandbox, clock, journal)


def _spapi_session(
    sandbox: Sandbox,
    clock: FakeClock,
    journal: Journal,
    *,
    read_only: bool,
    refuse: Collection[str],
) -> Session:
    """A session holding the sandbox's demo SP-API account, via ``wiring.build_session``."""

    def action_of(request: httpx.Request, _body: bytes) -> str | None:
        scope = {"raw_path": request.url.raw_path, "method": request.method}
        found = sandbox.spapi_server.route(scope)
        return found[0].name if found else None

    transport: httpx.AsyncBaseTransport = httpx.ASGITransport(app=sandbox.spapi_app)
    if refuse:
        transport = RefusingTransport(transport, refuse, action_of)
    target = sandbox_spapi_target(sandbox, endpoint=SPAPI_HOST, transport=transport)
    return build_session(
        clock=clock,
        profile="contract",
        spapi=target,
        journal=journal,
        read_only=read_only,
        sandbox=True,
    )
