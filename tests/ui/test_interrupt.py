"""ctrl+c leaves the dashboard as a shell expects: the CLI exits with status 130."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwstui import dashboard
from tests.ui.harness import SIZE, make_app, sandbox_session, settle, until
from tests.ui.test_first_run import first_run_app


async def test_ctrl_c_on_the_first_run_screen_quits_as_interrupted() -> None:
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await until(pilot, lambda: app._exit)
    assert app.interrupted


async def test_ctrl_c_on_the_dashboard_quits_as_interrupted(tmp_path: Path) -> None:
    h = sandbox_session(tmp_path)
    app = make_app(h.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await until(pilot, lambda: app._exit)
    assert app.interrupted
    h.journal.close()


def test_the_cli_turns_an_interrupted_app_into_status_130(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Interrupted:
        return_code = 0
        interrupted = True

        def __init__(self, session: object) -> None:
            pass

        def run(self) -> None:
            return None

    monkeypatch.setattr("mwstui.ui.app.MwstuiApp", Interrupted)
    assert dashboard.run_app(object()) == (130, None)  # type: ignore[arg-type]
