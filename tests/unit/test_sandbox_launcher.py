"""``mwstui --sandbox``: the sandbox starts on its own thread while the dashboard opens,
fails as it did (one error, nothing left running), and stops with the command."""

from __future__ import annotations

import threading
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from mwstui import cli, dashboard
from mwstui.errors import ConfigError
from mwstui.session import Session, SessionExit


@pytest.fixture(autouse=True)
def _dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MWSTUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MWSTUI_CONFIG_DIR", str(tmp_path / "config"))


def sandbox_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("mwstui-sandbox")]


def test_the_sandbox_serves_once_started_and_stops_with_the_command() -> None:
    args = cli._parser().parse_args(["--sandbox"])
    with ExitStack() as stack:
        launcher = dashboard.SandboxLauncher(args, stack)
        launcher.start()  # returns at once: the dashboard goes on opening meanwhile
        _sandbox, served = launcher._sandbox()
        answer = httpx.get(served.mws_endpoint + "/_sandbox/faults", timeout=10)
        assert answer.status_code < 500
        assert "mwstui-sandbox" in sandbox_threads()
    assert sandbox_threads() == []


def test_a_bad_seed_fails_as_before_and_leaves_nothing_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Session] = []

    def run_app(session: Session) -> tuple[int, SessionExit]:
        opened.append(session)
        return 0, None

    monkeypatch.setattr(dashboard, "run_app", run_app)
    args = cli._parser().parse_args(["--sandbox", "--seed", str(tmp_path / "missing.json")])
    with pytest.raises(ConfigError, match=r"missing\.json"):
        dashboard.run_dashboard(args)
    assert opened == [] and sandbox_threads() == []
