"""Only mwstui.ui may load Textual: every other module imports without it, in a fresh interpreter.

(Rich is checked for direct imports by the import-linter contract only: httpx itself
loads Rich for its optional command line when Rich is installed.)
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import mwstui

CORE = sorted(
    m.name
    for m in pkgutil.walk_packages(mwstui.__path__, "mwstui.")
    if not m.name.startswith(("mwstui.ui", "mwstui.cli", "mwstui.__main__"))
)


def test_core_modules_exist() -> None:
    assert {"mwstui.throttle.governor", "mwstui.mws.client", "mwstui.sandbox.sandbox"} <= set(CORE)


def test_no_core_module_loads_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
