"""The keystroke baseline: a bare Textual app whose filter refills one screen of a table.

The least a filter keystroke costs in any Textual app of the dashboard's size on this
machine now: the key echoed in an ``Input`` and a ``DataTable`` filling the screen (120×40)
repainted with new rows — no search at all. The big-list bench runs it beside mwstui's
keystrokes, so a loaded machine shows in both.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from textual import events, on
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input

ROWS = 40
"""More than fit on the screen: every line of the table is repainted."""


class BareFilterApp(App[None]):
    """An input and a table; each change of the text refills the table."""

    def __init__(self) -> None:
        super().__init__()
        self.applied: str | None = None
        self.shown = asyncio.Event()
        self.want: str | None = None

    def compose(self) -> ComposeResult:
        yield Input(id="filter")
        yield DataTable(id="table", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Order", "Status", "Displayed id", "Updated")
        self._fill("")
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, text: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for k in range(ROWS):
            table.add_row(f"SBX-FO-{k:06d}{text}", "PLANNING", f"114-{k:07d}", "12-06 04:55")
        self.applied = text

    def _display(self, screen: Any, renderable: Any) -> None:
        super()._display(screen, renderable)
        if renderable is not None and self.want is not None and self.applied == self.want:
            self.want = None
            self.shown.set()


async def keystrokes(typed: list[str], rounds: int = 4) -> dict[str, list[float]]:
    """Seconds from each key to the frame with the table refilled, ``typed`` then erased.

    Returns:
        ``wall``: the latencies; ``cpu``: the process's CPU seconds over each of them.
    """
    app = BareFilterApp()
    latencies: list[float] = []
    cpu: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        for _ in range(rounds):
            keys = [*typed, *["backspace"] * len(typed)]
            text = ""
            for key in keys:
                text = text[:-1] if key == "backspace" else text + key
                app.shown.clear()
                app.want = text
                event = events.Key(key, key if len(key) == 1 else None)
                event.set_sender(app)
                cpu0 = time.process_time()
                start = time.perf_counter()
                assert app._driver is not None
                app._driver.send_message(event)
                await asyncio.wait_for(app.shown.wait(), 60)
                latencies.append(time.perf_counter() - start)
                cpu.append(time.process_time() - cpu0)
                await asyncio.sleep(0.1)
    return {"wall": latencies, "cpu": cpu}
