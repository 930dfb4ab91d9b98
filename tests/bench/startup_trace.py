"""``mwstui --sandbox`` with time marks at each start-up phase (wrapping, never editing).

``python -m tests.bench.startup_trace MARKS_FILE`` runs ``mwstui.cli.main(["--sandbox"])``
and appends ``<epoch seconds> <CPU seconds> <phase>`` lines to MARKS_FILE (the CPU of
the whole process, every thread); the start-up bench reads them to say where the time
between launch and first rows goes.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

MARKS = open(sys.argv[1], "a", buffering=1)  # noqa: SIM115 -- open for the process' life


def mark(phase: str) -> None:
    MARKS.write(f"{time.time():.6f} {time.process_time():.6f} {phase}\n")


mark("python started, imports begin")
import mwstui.cli as cli  # noqa: E402
import mwstui.dashboard as dashboard  # noqa: E402
import mwstui.sandbox.sandbox as sandbox_mod  # noqa: E402
import mwstui.sandbox.serve as serve_mod  # noqa: E402
from mwstui.ui import app as app_mod  # noqa: E402
from mwstui.ui import panel as panel_mod  # noqa: E402
from mwstui.ui.reports import reports_panel  # noqa: E402

mark("imports done (textual, httpx, uvicorn, mwstui)")


def wrap(owner: Any, name: str, before: str | None, after: str | None) -> None:
    original: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if before:
            mark(before)
        result = original(*args, **kwargs)
        if after:
            mark(after)
        return result

    setattr(owner, name, wrapper)


_create = sandbox_mod.Sandbox.create.__func__  # type: ignore[attr-defined]


def _traced_create(cls: Any, **kwargs: Any) -> Any:
    out = _create(cls, **kwargs)
    mark("sandbox built from the demo seed")
    return out


sandbox_mod.Sandbox.create = classmethod(_traced_create)  # type: ignore[method-assign,assignment]
# dashboard imports build_session from wiring by name: wrap the name it calls.
wrap(dashboard, "build_session", None, "session built (clients, journal)")
_compose = reports_panel.ReportsPanel.compose


def _traced_compose(self: Any) -> Any:
    mark("reports panel composes")
    return _compose(self)


reports_panel.ReportsPanel.compose = _traced_compose  # type: ignore[method-assign]
_page_loaded = getattr(panel_mod.Panel, "page_loaded", None)  # lists that load page by page

if _page_loaded is not None:

    def _traced_page_loaded(self: Any, rows: Any, *args: Any, **kwargs: Any) -> Any:
        mark(f"{type(self).__name__}: a page of {len(rows)} rows handed to the table")
        return _page_loaded(self, rows, *args, **kwargs)

    panel_mod.Panel.page_loaded = _traced_page_loaded  # type: ignore[attr-defined]
_on_mount = app_mod.MwstuiApp.on_mount


def _traced_on_mount(self: Any) -> None:  # Textual reads the signature: (self) only
    mark("app composed and mounted")
    _on_mount(self)


app_mod.MwstuiApp.on_mount = _traced_on_mount  # type: ignore[method-assign]

_run_app = dashboard.run_app


def _traced_run_app(session: Any) -> Any:
    mark("app constructed, run() begins")
    assert session.mws is not None
    session.mws.add_observer(lambda rec: mark(f"{rec.operation} answered"))
    return _run_app(session)


dashboard.run_app = _traced_run_app
serve = serve_mod.serve_in_thread


def _serve(*args: Any, **kwargs: Any) -> Any:
    out = serve(*args, **kwargs)
    mark("sandbox serving on loopback (uvicorn thread)")
    return out


serve_mod.serve_in_thread = _serve  # dashboard imports it inside a function, from the module

if __name__ == "__main__":
    raise SystemExit(cli.main(["--sandbox"]))
