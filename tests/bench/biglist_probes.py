"""What the big-list bench measures with: frames, keystrokes, the export dialog.

Frames are timed where Textual hands them to the driver (``App._display``); a key is
sent exactly as ``Pilot.press`` sends it.
"""

from __future__ import annotations

import asyncio
import csv
import math
import tempfile
import time
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.widgets import Input

from mwstui.ui.dialogs.export_modal import ExportModal
from mwstui.ui.widgets.resource_table import ResourceTable
from tests.bench.common import percentile


class Frames:
    """Wraps ``App._display``: times frames and notices the conditions we wait for."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.table: ResourceTable | None = None
        self.first_row: float | None = None
        self.all_rows: float | None = None
        self.expected = 0
        self.want_filter: str | None = None
        self.filter_shown = asyncio.Event()
        self.want: Any = None
        """A condition checked on each frame (sort, marks): sets ``shown`` once it holds."""
        self.shown = asyncio.Event()
        self.key_cpu: list[float] = []
        """CPU seconds of each keystroke timed by ``keystroke``, in order (all threads)."""
        self.key_loop_cpu: list[float] = []
        """The event loop thread's share of it: what a key waits for on an idle core
        (a page parsed on a worker thread meanwhile is not in it)."""
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is not None:
                self._frame(time.perf_counter())

        app._display = display  # type: ignore[method-assign]

    def _frame(self, now: float) -> None:
        table = self.table
        if table is None:
            return
        if self.first_row is None and table.row_count > 0:
            self.first_row = now
        if self.all_rows is None and table.total_rows >= self.expected > 0:
            self.all_rows = now
        if self.want_filter is not None and table.filter_text == self.want_filter:
            self._filter_done()
        if self.want is not None and self.want():
            self.want = None
            self.shown.set()

    def watch_filter(self, table: ResourceTable) -> None:
        """Also notice a filter that changes nothing on screen (no frame follows it)."""
        original = table.set_filter

        def set_filter(text: str) -> None:
            original(text)
            if self.want_filter is not None and table.filter_text == self.want_filter:
                # Runs once the screen has drawn everything the filter asked for.
                table.call_after_refresh(self._filter_done)

        table.set_filter = set_filter  # type: ignore[method-assign]

    def _filter_done(self) -> None:
        self.want_filter = None
        self.filter_shown.set()


class LoopLag:
    """How late the event loop wakes a task that asks to every 5 ms (a key or frame waits that).

    Started before a load and stopped after it: the lags are what the loop's own work
    (parsing pages, building rows, painting) makes anything else on the loop wait.
    """

    PERIOD = 0.005

    def __init__(self) -> None:
        self.lags: list[float] = []
        self._running = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._running = True
        self._task = asyncio.create_task(self._probe())

    async def _probe(self) -> None:
        while self._running:
            t = time.perf_counter()
            await asyncio.sleep(self.PERIOD)
            self.lags.append(time.perf_counter() - t - self.PERIOD)

    async def stop(self) -> list[float]:
        """Stop probing; the lags measured (seconds, one per wake-up)."""
        self._running = False
        if self._task is not None:
            await self._task
        return self.lags


async def keystroke(app: App[Any], frames: Frames, key: str, after: str) -> float:
    """Seconds from sending ``key`` until the screen shows the table filtered by ``after``.

    That is the first frame drawn with the filter applied or, when the filter changes
    nothing in view (same rows, same count), the moment the screen is idle with it applied.
    """
    frames.filter_shown.clear()
    frames.want_filter = after.strip()
    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    cpu, loop_cpu = time.process_time(), time.thread_time()
    start = time.perf_counter()
    assert app._driver is not None
    app._driver.send_message(event)  # exactly what Pilot.press does
    await asyncio.wait_for(frames.filter_shown.wait(), 120)
    # CPU the process spent meanwhile: the latency on an idle core, whatever the load.
    frames.key_cpu.append(time.process_time() - cpu)
    frames.key_loop_cpu.append(time.thread_time() - loop_cpu)
    return time.perf_counter() - start


async def timed_key(app: App[Any], frames: Frames, key: str, done: Any) -> float:
    """Seconds from sending ``key`` to the first frame after which ``done()`` holds."""
    frames.shown.clear()
    frames.want = done
    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    start = time.perf_counter()
    assert app._driver is not None
    app._driver.send_message(event)
    await asyncio.wait_for(frames.shown.wait(), 300)
    return time.perf_counter() - start


def hiding_key(table: ResourceTable, share: float = 0.4) -> tuple[str, float]:
    """The one character whose filter hides closest to ``share`` of the rows (worst case)."""
    rows = table.visible_rows()
    texts = ["\n".join(table.export_row(r)).casefold() for r in rows[:: max(1, len(rows) // 2000)]]
    best = ("1", 0.0)
    for ch in "abcdefghijklmnopqrstuvwxyz0123456789-":
        hidden = sum(ch not in t for t in texts) / len(texts)
        if abs(hidden - share) < abs(best[1] - share):
            best = (ch, hidden)
    return best


async def export_through_dialog(app: App[Any], pilot: Any, table: ResourceTable) -> dict[str, Any]:
    """``E``, a path, Enter: the dialog's worker thread writes every shown row.

    Meanwhile a probe on the event loop asks to wake every 5 ms: how late it wakes is how
    long a key or a frame would have waited (the loop's lag) while the file is written.
    """
    shown = table.row_count
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "orders.csv"
        await pilot.press("E")
        while not isinstance(app.screen, ExportModal):  # noqa: ASYNC110 -- a frame away
            await asyncio.sleep(0.01)
        modal = app.screen
        modal.query_one("#export-path", Input).value = str(path)
        progress: list[str] = []
        say = modal._error

        def spy(message: str, style: str = "bold red") -> None:
            if message.startswith("Writing"):
                progress.append(message)
            say(message, style)

        modal._error = spy  # type: ignore[method-assign]
        lags: list[float] = []
        writing = True

        async def probe() -> None:
            while writing:
                t = time.perf_counter()
                await asyncio.sleep(0.005)
                lags.append(time.perf_counter() - t - 0.005)

        task = asyncio.create_task(probe())
        start = time.perf_counter()
        await pilot.press("enter")
        while app.screen is modal:  # noqa: ASYNC110 -- dismissed when the file is written
            await asyncio.sleep(0.005)
        elapsed = time.perf_counter() - start
        writing = False
        await task
        with path.open(encoding="utf-8", newline="") as fh:
            written = sum(1 for _ in csv.reader(fh)) - 1
    return {
        "export": elapsed,
        "export_rows": written,
        "export_shown": shown,
        "export_progress": len(progress),
        "export_lag_p95": percentile(lags, 95) if lags else math.nan,
        "export_lag_max": max(lags, default=math.nan),
    }
