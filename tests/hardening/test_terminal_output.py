"""Server text printed by the command line must not drive the terminal."""

from __future__ import annotations

import argparse

import pytest

import mwstui.cli
import mwstui.dashboard
from mwstui.errors import InvalidParameterError
from tests.hostile import ANSI, OSC, RTL


def test_a_failure_reaching_main_is_printed_inert(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def dashboard(args: argparse.Namespace) -> int:
        raise InvalidParameterError("E022", f"{ANSI} {OSC} {RTL}", operation="SetStatusToCanceled")

    monkeypatch.setattr(mwstui.dashboard, "run_dashboard", dashboard)
    monkeypatch.setattr(mwstui.cli, "require_terminal", lambda: None)
    assert mwstui.cli.main([]) == 1
    err = capsys.readouterr().err
    assert "E022" in err
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
