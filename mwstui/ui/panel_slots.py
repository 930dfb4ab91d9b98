"""The dashboard's five tabs and the panel in each, built and mounted only when needed.

Composing all five panels at start-up cost as much CPU as the first page's round trip:
styles applied to every widget of four hidden tabs, and their modules imported. The
first tab's panel is composed with the app; another is imported, built and mounted when
its tab is first opened (the keys typed meanwhile wait for it: ``MwstuiApp.on_key``), or
once the first tab's first load is over (``MwstuiApp`` mounts the rest one at a time,
so a tab opened later shows at once).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from textual.widgets import TabPane

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.widget import AwaitMount

    from mwstui.ui.app import MwstuiApp
    from mwstui.ui.panel import Panel


@dataclass(frozen=True)
class Slot:
    """One tab: its panel's id, short label and class (imported when first needed).

    Attributes:
        panel_id: the panel's ``panel_id`` (its tab pane is ``tab-<panel_id>``).
        label: the tab's label, short so that five tabs fit in 80 columns (the panel
            keeps its full ``title``).
        module: the module of the panel's class.
        name: the class's name.
    """

    panel_id: str
    label: str
    module: str
    name: str

    @property
    def pane_id(self) -> str:
        """The id of the tab pane the panel is mounted in."""
        return f"tab-{self.panel_id}"

    def panel_class(self) -> type[Panel]:
        """The panel's class (its module is imported now, if it was not yet)."""
        found: type[Panel] = getattr(import_module(self.module), self.name)
        return found


_UI = "mwstui.ui."
SLOTS: tuple[Slot, ...] = (
    Slot("reports", "Reports", _UI + "reports.reports_panel", "ReportsPanel"),
    Slot("schedules", "Schedules", _UI + "schedules.schedules_panel", "SchedulesPanel"),
    Slot("fulfillment", "Fulfillment", _UI + "fulfillment.fulfillment_panel", "FulfillmentPanel"),
    Slot("sellercenter", "SellerCenter", _UI + "orders.sellercenter_panel", "SellerCenterPanel"),
    Slot("activity", "Activity", _UI + "activity.activity_panel", "ActivityPanel"),
)
"""The tabs, in the order of their keys (1-5)."""

PREWARM_EVERY = 0.1
"""Seconds between two hidden panels mounted after start-up (one at a time: a key typed
meanwhile waits for one panel's compose at most)."""
PREWARM_AFTER = 3.0
"""Seconds after which the hidden panels are mounted even if the first load is not over."""
SETTLE_WITHIN = 5.0
"""Seconds a shutdown waits at most for a panel still being mounted."""


class PanelSlots:
    """The app's panels by tab: built on first use, mounted into their tab pane.

    Args:
        app: the dashboard (its session and activity log go to the panels it builds).
    """

    def __init__(self, app: MwstuiApp) -> None:
        self._app = app
        self._built: dict[int, Panel] = {}
        self._mounting: dict[int, AwaitMount] = {}
        self._waited = 0.0
        self._timer: Timer | None = None

    def __len__(self) -> int:
        return len(SLOTS)

    def index_of(self, pane_id: str) -> int | None:
        """The tab whose pane has id ``pane_id``."""
        return next((n for n, slot in enumerate(SLOTS) if slot.pane_id == pane_id), None)

    def built(self, index: int) -> Panel | None:
        """The panel of tab ``index`` if it was built."""
        return self._built.get(index)

    def build(self, index: int) -> Panel:
        """The panel of tab ``index``, built now if it was not (not mounted by this)."""
        panel = self._built.get(index)
        if panel is None:
            cls = SLOTS[index].panel_class()
            if SLOTS[index].panel_id == "activity":  # the one panel that shows the app's log
                panel = cls(self._app.session, self._app.activity)  # type: ignore[call-arg]
            else:
                panel = cls(self._app.session)
            self._built[index] = panel
        return panel

    def mount(self, index: int) -> Panel:
        """The panel of tab ``index``, built and mounted into its pane if it was not."""
        panel = self.build(index)
        if panel.parent is None and index not in self._mounting:
            pane = self._app.query_one(f"#{SLOTS[index].pane_id}", TabPane)
            self._mounting[index] = pane.mount(panel)
        return panel

    def unmounted(self) -> int | None:
        """The first tab whose panel is neither mounted nor being mounted, if any."""
        for n in range(len(SLOTS)):
            panel = self._built.get(n)
            if n not in self._mounting and (panel is None or panel.parent is None):
                return n
        return None

    async def ready(self, panel: Panel) -> None:
        """Return once ``panel`` (mounted by ``mount``) and its widgets are mounted."""
        index = next((n for n, p in self._built.items() if p is panel), None)
        pending = None if index is None else self._mounting.get(index)
        if pending is not None and not panel.is_mounted:
            await pending

    def prewarm(self) -> None:
        """Mount the hidden tabs' panels one at a time once the first tab has loaded."""
        self._timer = self._app.set_interval(PREWARM_EVERY, self._prewarm_one, name="prewarm")

    def _prewarm_one(self) -> None:
        if not self._app.is_running:  # shutting down: mount nothing more
            return
        # After the first load (what the user waits for), or once it took too long.
        first = self.built(0)
        self._waited += PREWARM_EVERY
        if first is not None and first.loaded_at is None and self._waited < PREWARM_AFTER:
            return
        index = self.unmounted()
        if index is None:
            if self._timer is not None:
                self._timer.stop()
            return
        self.mount(index)

    async def finish_prewarm(self) -> None:
        """Mount now every panel ``prewarm`` would mount later, and wait for them; nothing
        when it was not started (``MwstuiApp(prewarm=False)``, the first-run screen).

        For what must not depend on the prewarm timer's real-time pace (the UI tests'
        ``settle``: a test that reads a hidden panel finds it composed, on any machine).
        """
        if self._timer is None or not self._app.is_running:
            return
        self._timer.stop()
        for n in range(len(SLOTS)):
            await self.ready(self.mount(n))

    async def settle(self) -> None:
        """Stop mounting hidden panels and wait for those still being mounted (bounded).

        The app calls this before it shuts down: a panel torn down half-composed would
        find none of its widgets in its ``on_mount``.
        """
        if self._timer is not None:
            self._timer.stop()
        pending = [m for n, m in self._mounting.items() if not self._built[n].is_mounted]
        if pending:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*(_wait(m) for m in pending)), SETTLE_WITHIN)


async def _wait(mounting: AwaitMount) -> None:
    await mounting
