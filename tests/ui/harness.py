"""The UI test harness: a Session on the in-process sandbox, and the app built on it.

Used by the Pilot tests, the SVG snapshot tests and ``scripts/screenshots.py``, so the
screenshots in the README are exactly what the tests see.
"""

from __future__ import annotations

import io
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

from mwstui.clock import FakeClock
from mwstui.journal.store import Journal
from mwstui.sandbox.sandbox import Sandbox
from mwstui.session import Session
from mwstui.throttle.governor import Governor
from mwstui.ui.app import MwstuiApp
from mwstui.wiring import build_session, sandbox_spapi_target, sandbox_targets

START = 1_767_225_600.0 + 9 * 3600 + 30 * 60
"""2026-01-01T09:30:00Z: every test and screenshot starts at the same instant."""
MWS_ENDPOINT = "http://mws.sandbox.test"
SC_ENDPOINT = "http://sellercenter.sandbox.test"
SPAPI_ENDPOINT = "http://spapi.sandbox.test"
SIZE = (100, 32)
"""Terminal size of the snapshots and screenshots."""
PROFILE = "sandbox"


@dataclass
class Harness:
    """What a test gets: the session the app is handed, plus the sandbox behind it."""

    session: Session
    sandbox: Sandbox
    clock: FakeClock
    journal: Journal


def sandbox_session(
    workdir: Path,
    *,
    read_only: bool = False,
    clock: FakeClock | None = None,
    faults: str | None = None,
    seed: dict[str, Any] | Path | None = None,
    service: str = "mws",
) -> Harness:
    """A Session wired to a fresh in-process sandbox on a fake clock.

    Built by ``wiring.build_session`` (the one factory ``mwstui --sandbox`` uses too), with
    ASGI transports instead of a loopback server.

    Args:
        workdir: where the journal and downloads go (a tmp_path).
        read_only: build read-only clients and session.
        clock: the clock (default: a FakeClock at ``START``).
        faults: a sandbox fault spec.
        seed: a sandbox seed (dict or JSON file; SEED.md), e.g. ``tests.hostile.hostile_seed()``;
            None for the demo seed. Its first developer and seller are the demo credentials.
        service: the Amazon half of the session: ``mws`` (MWS Reports and Fulfillment) or
            ``spapi`` (the SP-API simulator); SellerCenter is always there.
    """
    clock = clock or FakeClock(START)
    sandbox = Sandbox.create(seed=seed, clock=clock, faults=faults)
    journal = Journal(workdir / "journal.db", clock)
    mws, sc = sandbox_targets(
        sandbox,
        mws_endpoint=MWS_ENDPOINT,
        sellercenter_endpoint=SC_ENDPOINT,
        mws_transport=httpx.ASGITransport(app=sandbox.mws_app),
        sellercenter_transport=httpx.ASGITransport(app=sandbox.sellercenter_app),
    )
    spapi = None
    if service == "spapi":
        spapi = sandbox_spapi_target(
            sandbox,
            endpoint=SPAPI_ENDPOINT,
            transport=httpx.ASGITransport(app=sandbox.spapi_app),
        )
    session = build_session(
        clock=clock,
        profile=PROFILE,
        mws=mws if service == "mws" else None,
        sellercenter=sc,
        spapi=spapi,
        governor=Governor(clock),
        journal=journal,
        read_only=read_only,
        sandbox=True,
        profiles=[PROFILE],
        download_dir=str(workdir),
    )
    return Harness(session, sandbox, clock, journal)


def make_app(session: Session) -> MwstuiApp:
    """The app exactly as ``mwstui --sandbox`` runs it, on the given session."""
    return MwstuiApp(session)


async def settle(pilot: Pilot[None], rounds: int = 3) -> None:
    """Let workers finish and the screen catch up (no real sleeping beyond a few ticks).

    The hidden tabs' panels, which the app mounts on a real-time timer after the first
    load, are mounted now: a test that reads one finds it composed however busy the
    machine is.
    """
    for _ in range(rounds):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    if isinstance(pilot.app, MwstuiApp):
        await pilot.app.slots.finish_prewarm()
    await pilot.pause()


def screen_text(app: App[object]) -> str:
    """The screen as plain text, one line per row: what ``export_screenshot`` draws."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


def _tab(key: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def scene(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)

    return scene


async def _confirm(pilot: Pilot[None]) -> None:
    """The cancel confirmation for two submitted requests and one that cannot be cancelled."""
    from mwstui.ui.reports.reports_panel import ReportsPanel

    await settle(pilot)
    panel = pilot.app.query_one(ReportsPanel)
    infos = sorted(panel.jobs.values(), key=lambda i: i.id)
    submitted = [i.id for i in infos if str(i.status) == "_SUBMITTED_"]
    done = [i.id for i in infos if str(i.status) == "_DONE_"]
    panel.main_table().set_marks([*submitted[:2], done[0]])
    await pilot.press("c")
    await settle(pilot)


SCENES: dict[str, Callable[[Pilot[None]], Awaitable[None]]] = {
    "reports": _tab("1"),
    "available": _tab("v"),
    "schedules": _tab("2"),
    "fulfillment": _tab("3"),
    "sellercenter": _tab("4"),
    "activity": _tab("5"),
    "confirm": _confirm,
    "spapi-fulfillment": _tab("3"),
}
"""Named states of the app: one screenshot (and one snapshot test) each."""

SCENE_SERVICES: dict[str, str] = {"spapi-fulfillment": "spapi"}
"""Scenes shown on a session whose Amazon half is SP-API (the others are on MWS)."""


def scene_session(scene: str, workdir: Path) -> Harness:
    """The session scene ``scene`` is shown on (MWS, or SP-API for the SP-API scenes)."""
    return sandbox_session(workdir, service=SCENE_SERVICES.get(scene, "mws"))


async def until(pilot: Pilot[Any], cond: Callable[[], object], seconds: float = 30.0) -> None:
    """Let the app run until ``cond`` holds (workers, timers), failing after ``seconds``.

    Bounded by wall time, not by turns of the loop: on a loaded machine (CI, parallel
    workers) a turn takes longer, and a count of turns fails tests that are not wrong.
    """
    deadline = time.monotonic() + seconds
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not reached within {seconds:g} s")
        await pilot.pause()
