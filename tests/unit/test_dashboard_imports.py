"""Start-up: the dashboard imports only what it needs (each module is paid on every launch)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

NEVER = [
    "httpx._main",  # httpx's own command line: click, pygments, rich.progress
    "pygments",
    "trustme",  # the TLS sandbox only
    "mwstui.commands.doctor",
    "mwstui.commands.profile",
    "mwstui.commands.journal_cmd",
    "mwstui.sandbox.command",
]
"""Never loaded by a dashboard, on the sandbox or on a profile."""
SANDBOX_NEVER = [
    "keyring",  # the sandbox's demo credentials are not in the keyring
    "mwstui.settings.credential_store",
    "mwstui.settings.keyring_backends",
    "mwstui.settings.credentials",
    "mwstui.ui.profiles.first_run_screen",
    "mwstui.ui.profiles.profile_form_modal",
]
PROFILE_NEVER = ["uvicorn", "click", "mwstui.sandbox.serve", "mwstui.sandbox.sandbox"]
NOT_BEFORE_FIRST_PAINT = [
    # The hidden tabs' panels: mounted after the first tab's first load, or when opened.
    "mwstui.ui.schedules.schedules_panel",
    "mwstui.ui.fulfillment.fulfillment_panel",
    "mwstui.ui.orders.sellercenter_panel",
    "mwstui.ui.activity.activity_panel",
    "mwstui.ui.activity.inspector_modal",
    # Dialogs and screens opened by a key.
    "mwstui.ui.dialogs.help_screen",
    "mwstui.ui.dialogs.export_modal",
    "mwstui.ui.dialogs.quit_modal",
    "mwstui.ui.profiles.profile_switcher",
    "mwstui.ui.profiles.switch_flow",
    "mwstui.ui.palette",
]
"""Not loaded until the first tab is on screen (the app and its first panel are)."""

# What run_dashboard loads before the app runs: the parser, then the path's modules.
SANDBOX_PATH = """
from mwstui.cli import _parser
args = _parser().parse_args(["--sandbox"])
assert args.sandbox and args.command is None
import mwstui.dashboard, mwstui.sandbox.sandbox, mwstui.sandbox.serve, mwstui.ui.app
import mwstui.ui.reports.reports_panel
"""
PROFILE_PATH = """
from mwstui.cli import _parser
args = _parser().parse_args(["--profile", "main"])
assert args.profile == "main" and args.command is None
import mwstui.dashboard, mwstui.mws.client, mwstui.sellercenter.client, mwstui.ui.app
import mwstui.ui.reports.reports_panel
"""


def loaded(path: str, names: list[str]) -> list[str]:
    """Which of ``names`` a fresh interpreter has loaded after running ``path``."""
    code = (
        f"{path}\nimport json, sys\n"
        f"print(json.dumps([n for n in {names!r} if sys.modules.get(n) is not None]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("path", "never"),
    [
        (SANDBOX_PATH, NEVER + SANDBOX_NEVER + NOT_BEFORE_FIRST_PAINT),
        (PROFILE_PATH, NEVER + PROFILE_NEVER + NOT_BEFORE_FIRST_PAINT),
    ],
    ids=["sandbox", "profile"],
)
def test_the_dashboard_path_loads_nothing_it_does_not_use(path: str, never: list[str]) -> None:
    assert loaded(path, never) == []


def test_the_check_would_see_them() -> None:
    # The same check after a subcommand and the first-run screen: it is not vacuous.
    path = """
from mwstui.cli import _parser
_parser().parse_args(["doctor"])
import mwstui.ui.profiles.first_run_screen
"""
    assert loaded(path, ["mwstui.commands.doctor", "keyring", "mwstui.settings.credentials"]) == [
        "mwstui.commands.doctor",
        "keyring",
        "mwstui.settings.credentials",
    ]
