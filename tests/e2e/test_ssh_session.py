"""End to end over a real SSH login: cancel a fulfillment order in mwstui, then sit idle.

An OpenSSH server (Debian's openssh-server) runs on a loopback port with throwaway
keys; the ssh client logs in inside tmux and runs ``mwstui --sandbox``. All traffic
goes through a relay that counts bytes, so the test also reports what 30 idle seconds
with the budgets ticking cost on the wire.
"""

from __future__ import annotations

import asyncio
import shlex
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mwstui.clock import SystemClock
from mwstui.sandbox.sandbox import Sandbox
from mwstui.wiring import build_session, sandbox_targets
from tests.e2e.flows import cancel_planning_order, show_order, wait_for_dashboard
from tests.e2e.sshd import ByteCounter, LoopbackSSHD, counting_relay, find_sshd
from tests.e2e.tmux import Tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        shutil.which("tmux") is None or shutil.which("ssh") is None or find_sshd() is None,
        reason="needs tmux, ssh and sshd (Debian: tmux openssh-client openssh-server)",
    ),
]

IDLE_SECONDS = 30
IDLE_BYTES_PER_SECOND_CEILING = 4096
"""A regression guard far above what the budget ticks cost; the figure itself is reported."""


@pytest.fixture
def ssh_tmux(tmp_path: Path) -> Iterator[tuple[Tmux, ByteCounter]]:
    sshd = LoopbackSSHD(tmp_path / "ssh")
    sshd.start()
    env = {
        "HOME": str(tmp_path / "home"),
        "MWSTUI_CONFIG_DIR": str(tmp_path / "config"),
        "MWSTUI_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "TERM": "xterm-256color",
    }
    (tmp_path / "home").mkdir()
    remote = " ".join(
        [
            "env",
            *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
            shlex.quote(sys.executable),
            "-m",
            "mwstui",
            "--sandbox",
        ]
    )
    tmux = Tmux(width=120, height=40)
    try:
        with counting_relay(sshd.port) as (port, counter):
            tmux.start(sshd.ssh_command(remote, port=port))
            yield tmux, counter
    finally:
        tmux.close()
        sshd.stop()


def _order_status(host: str, order_id: str) -> str:
    """Ask the sandbox the dashboard runs on (over loopback HTTP) what the order's status is."""

    async def read() -> str:
        demo = Sandbox.create()  # only for its (fixed, published) demo credentials
        mws, _ = sandbox_targets(
            demo, mws_endpoint=f"http://{host}", sellercenter_endpoint=f"http://{host}"
        )
        session = build_session(clock=SystemClock(), profile="check", mws=mws)
        assert session.mws is not None
        try:
            detail = await session.mws.fulfillment.get_order(order_id)
            return str(detail.data.order.fulfillment_order_status)
        finally:
            await session.mws.aclose()

    return asyncio.run(read())


def test_cancel_over_ssh_then_idle(
    ssh_tmux: tuple[Tmux, ByteCounter], capsys: pytest.CaptureFixture[str]
) -> None:
    tmux, counter = ssh_tmux
    host = wait_for_dashboard(tmux, timeout=30)

    order_id = cancel_planning_order(tmux)
    assert _order_status(host, order_id) == "CANCELLED"
    show_order(tmux, order_id, "CANCELLED")

    # Idle: nothing typed, the budget panel ticking once a second.
    start_bytes, _ = counter.read()
    started = time.monotonic()
    time.sleep(IDLE_SECONDS)
    elapsed = time.monotonic() - started
    idle_bytes = counter.read()[0] - start_bytes
    rate = idle_bytes / elapsed
    with capsys.disabled():
        print(
            f"\n[ssh idle] {idle_bytes} bytes from the server in {elapsed:.1f} s "
            f"({rate:.0f} B/s, encrypted, budgets ticking)"
        )
    assert rate < IDLE_BYTES_PER_SECOND_CEILING

    tmux.keys("q")
    tmux.wait_for("__EXIT__0", timeout=15)
