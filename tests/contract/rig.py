"""A session on a fresh in-process sandbox, built as the app builds it (contract suite)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

import httpx

from mwstui.backend.protocols import Mutation
from mwstui.cli import build_session, sandbox_targets
from mwstui.clock import FakeClock
from mwstui.journal import Journal, JournalEntry
from mwstui.sandbox.sandbox import Sandbox
from mwstui.session import Session

START = 1_767_225_600.0 + 9 * 3600
"""2026-01-01T09:00:00Z."""


class RefusingTransport(httpx.AsyncBaseTransport):
    """Refuses the connection for some operations, as a host that is down would.

    Args:
        inner: the transport that carries every other call.
        actions: the operations (``Action``) whose connection is refused.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, actions: Collection[str]) -> None:
        self.inner = inner
        self.actions = set(actions)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        action = request.url.params.get("Action")
        if action is None and request.method == "POST":
            body = await request.aread()
            action = dict(parse_qsl(body.decode("ascii", "replace"))).get("Action")
        if action in self.actions:
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


def mutation_of(entry: JournalEntry) -> Mutation:
    """What the journal hands a backend to settle (as recovery builds it)."""
    context = getattr(entry, "context", None) or {}
    return Mutation(
        entry.service, entry.account, entry.operation, entry.items, entry.params, context
    )


def make_rig(workdir: Path, *, read_only: bool = False, refuse: Collection[str] = ()) -> Rig:
    """A session on a fresh sandbox (demo seed) on a fake clock, via ``cli.build_session``.

    Args:
        workdir: where the journal goes.
        read_only: a read-only session.
        refuse: operations whose connection is refused (nothing is sent).
    """
    clock = FakeClock(START)
    sandbox = Sandbox.create(clock=clock)
    journal = Journal(workdir / "journal.db", clock)
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
