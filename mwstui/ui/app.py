"""The dashboard app: header, the five panels, the live throttle budget, help and palette.

It ends with what the CLI reopens (``SwitchProfile``, ``OpenSandbox``) or None to quit.
Only the first tab's panel is composed at start-up (``ui/panel_slots.py``); dialogs are
imported when they open.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane, Tabs

from mwstui.session import Session, SessionExit
from mwstui.ui.activity.activity_log import DEFAULT_CAPACITY, ActivityLog
from mwstui.ui.panel import Panel
from mwstui.ui.panel_slots import SLOTS, PanelSlots
from mwstui.ui.recovery_notice import recheck_unknown_outcomes
from mwstui.ui.text.safe_text import clean
from mwstui.ui.type_ahead import TypeAhead
from mwstui.ui.widgets.budget_panel import BudgetPanel
from mwstui.ui.widgets.header import AccountHeader

if TYPE_CHECKING:
    from mwstui.ui.dialogs.bulk import BulkRunModal
    from mwstui.ui.dialogs.bulk_report import BulkReport
    from mwstui.ui.dialogs.help_screen import KeySection


_log = logging.getLogger(__name__)

MIN_WIDTH = 80
MIN_HEIGHT = 24


class MwstuiApp(App[SessionExit]):
    """The mwstui dashboard, handed everything it talks to in a ``Session``.

    Args:
        session: clients, governor, journal, accounts, read-only and sandbox flags.
        activity_capacity: API calls the Activity panel keeps.
        prewarm: mount the hidden tabs' panels once the first tab has loaded (off: each
            is mounted when its tab is first opened).
    """

    CSS_PATH = "app.tcss"
    TITLE = "mwstui"
    AUTO_FOCUS = None
    """Panels decide focus (their table); a filter box must not swallow the first keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        # Textual's ctrl+c only says "press ctrl+q"; in a shell it means stop, status 130.
        Binding("ctrl+c", "interrupt", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("b", "toggle_budget", "Budget", show=False),
        Binding("y", "copy_id", "Copy id", show=False),
        Binding("E", "export_csv", "Export CSV", show=False),
        Binding("P", "switch_profile", "Switch profile", show=False),
        Binding("left_square_bracket", "step_tab(-1)", "Previous tab", show=False),
        Binding("right_square_bracket", "step_tab(1)", "Next tab", show=False),
        *(Binding(str(n), f"show_tab({n - 1})", f"Tab {n}", show=False) for n in range(1, 6)),
    ]

    def __init__(
        self, session: Session, *, activity_capacity: int = DEFAULT_CAPACITY, prewarm: bool = True
    ) -> None:
        super().__init__()
        self.session = session
        self.interrupted = False
        """The user left with ctrl+c (the CLI exits 130)."""
        self.activity = ActivityLog(activity_capacity)
        # Attached before any panel loads, so the first call is in the Activity panel too.
        self.activity.attach(session)
        self.slots = PanelSlots(self)
        """The panels by tab, built and mounted when first needed."""
        self._active: Panel | None = None
        self._budget: BudgetPanel | None = None
        self._prewarm = prewarm
        self.type_ahead = TypeAhead(self)
        # A finished call changes a budget: show it now rather than at the next tick.
        self.activity.subscribe(lambda _seq, _record: self._poke_budget())
        if session.sandbox:
            self.sub_title = "SANDBOX"

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield AccountHeader(self.session, id="header")
        with TabbedContent(id="tabs"):
            for n, slot in enumerate(SLOTS, start=1):
                with TabPane(f"{n} {slot.label}", id=slot.pane_id):
                    if n == 1:  # the others when their tab opens, or after the first load
                        yield self.slots.build(0)
        yield BudgetPanel(self.session, id="budget")
        yield Footer()
        yield Static(id="too-small")

    def on_mount(self) -> None:
        # Panels take the keyboard; tabs switch with 1-5, [ ] or the mouse.
        self.query_one(Tabs).can_focus = False
        self._budget = self.query_one(BudgetPanel)
        self._check_size(self.size)
        if self.session.first_run:  # no profile: no panel loads, the screen offers a way in
            # Imported here: it brings the keyring, which a dashboard with a session
            # (and the sandbox) never needs at start-up.
            from mwstui.ui.profiles.first_run_screen import FirstRunScreen

            self.push_screen(FirstRunScreen())
            return
        self._activate(self.slots.build(0))
        if self.session.journal is not None:
            self._settle_unknown_outcomes()
        if self._prewarm:
            self.slots.prewarm()

    @property
    def panels(self) -> list[Panel]:
        """Every tab's panel, mounting those not mounted yet (the app itself asks for one
        at a time: ``slots``)."""
        return [self.slots.mount(n) for n in range(len(self.slots))]

    async def _shutdown(self) -> None:
        # Textual's shutdown (quit, exit, a test's end): first let a hidden panel being
        # mounted finish (``PanelSlots.settle``), then tear down as usual.
        await self.slots.settle()
        await super()._shutdown()

    async def on_unmount(self) -> None:
        # Close the connections on the loop that opened them (the CLI may reopen the app).
        try:
            await self.session.aclose()
        except Exception as exc:  # quitting must not fail over a connection that broke
            _log.warning("closing the clients failed: %s", type(exc).__name__)

    @work(exclusive=True, group="recovery")
    async def _settle_unknown_outcomes(self) -> None:
        """Ask the service what became of mutations whose answer was lost (last run)."""
        await recheck_unknown_outcomes(self, self.session)

    def _poke_budget(self) -> None:
        if self.is_running:
            self.post_message(BudgetPanel.CallsMade())

    @on(BudgetPanel.CallsMade)
    def _calls_made(self) -> None:
        # Every finished call: the panel is kept, not searched for. A call may end while
        # the app closes (a load still paging): no panel attached, no tick.
        budget = self._budget
        if budget is not None and budget.is_attached:
            budget.tick()

    @property
    def active_panel(self) -> Panel:
        """The panel whose tab is shown."""
        return self._active or self.slots.build(0)

    def _activate(self, panel: Panel) -> None:
        if not self.query(AccountHeader) or self.session.first_run:
            return
        if self._active is panel:
            # Activated by the tab key already, maybe before its pane was displayed (then
            # nothing could take the keyboard): now that the tab is shown, hand it over.
            if panel.is_mounted:
                self.call_after_refresh(self._focus_active)
            return
        if self._active is not None:
            self._active.deactivated()
        self._active = panel
        self.query_one(AccountHeader).service = panel.service
        self.query_one(BudgetPanel).show_operations(panel.budget_operations())
        # Nothing in the hidden panel keeps the keyboard; the new panel's table takes it
        # now, or once its first load has uncovered it (Panel.mark_loaded).
        self.set_focus(None)
        if panel.is_mounted:
            self._finish_activation(panel)
        else:  # its tab was opened for the first time: it loads once its widgets are there
            self.call_later(self.ready_active)

    async def ready_active(self) -> None:
        """Return once the panel shown is mounted and activated: the keys typed right after
        a tab key wait here for a panel mounted by that key."""
        panel = self._active
        if panel is not None:
            await self.slots.ready(panel)
            self._finish_activation(panel)

    def _finish_activation(self, panel: Panel) -> None:
        if panel is self._active and panel.is_mounted and not panel.is_active:
            panel.activated()
            self.call_after_refresh(self._focus_active)

    def _focus_active(self) -> None:
        # Only the panel still shown may take focus: focusing a widget in another tab
        # would switch back to that tab (TabbedContent follows focus).
        # Nor may it take the keyboard from a field the user reached meanwhile ("3" then
        # "/" typed fast: the filter must keep it). Focused now, not a turn later as
        # ``focus()`` does: a deferred focus would land after those keys, on the table.
        panel = self._active
        if self.screen is self.screen_stack[0] and panel is not None and self.focused is None:
            table = panel.main_table()
            if table is not None and panel.is_shown():
                self.set_focus(table)

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        index = self.slots.index_of(event.pane.id or "")
        if index is not None:
            self._activate(self.slots.mount(index))

    # -- too small ------------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size)

    def _check_size(self, size: Size) -> None:
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        self.set_class(small, "-too-small")
        if small:
            self.query_one("#too-small", Static).update(
                Text(
                    f"mwstui needs a terminal of at least {MIN_WIDTH}×{MIN_HEIGHT}; "
                    f"this one is {size.width}×{size.height}.\n"
                    "Enlarge the window (or the tmux pane), or press q to quit.",
                    justify="center",
                )
            )

    # -- app actions ----------------------------------------------------------------------------

    def action_show_tab(self, index: int) -> None:
        """Show panel number ``index`` (0-based)."""
        if 0 <= index < len(self.slots):
            self.query_one(TabbedContent).active = SLOTS[index].pane_id
            # Now, not when TabActivated arrives turns later: keys typed right after the
            # tab key (``3/PLAN`` in one burst) belong to the new panel, never the old one.
            self._activate(self.slots.mount(index))

    def action_step_tab(self, step: int) -> None:
        """Show the previous (-1) or next (1) panel."""
        shown = self.active_panel
        index = next(n for n in range(len(self.slots)) if self.slots.built(n) is shown)
        self.action_show_tab((index + step) % len(self.slots))

    def action_toggle_budget(self) -> None:
        """Hide or show the throttle budget panel."""
        budget = self.query_one(BudgetPanel)
        budget.display = not budget.display
        if budget.display:
            budget.tick()

    def action_copy_id(self) -> None:
        """Copy the id under the cursor to the clipboard (OSC 52; works over SSH and tmux)."""
        value = self.active_panel.selected_id()
        if not value:
            self.notify("Nothing to copy here.", severity="warning")
            return
        self.copy_to_clipboard(value)
        self.notify(f"Copied {clean(value)}", markup=False)

    def action_export_csv(self) -> None:
        """Export the current table (as filtered and sorted) to a CSV file."""
        from mwstui.ui.dialogs.export_modal import export_panel

        export_panel(self, self.active_panel, self.session)

    # -- quitting -------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit (q, ctrl+q); in the middle of a bulk run, ask first and say what was left.

        Quitting anyway sends nothing more, lets the call in flight answer (or records it
        unknown), journals what was not sent, and exits with status 1 and a summary.
        A second quit while waiting for the call in flight stops waiting.
        """
        bulk = self.running_bulk()
        if bulk is None:
            self.exit()
            return
        if bulk.interrupted:
            bulk.cut_off()
            return
        from mwstui.ui.dialogs.quit_modal import QuitDuringRunModal

        if isinstance(self.screen, QuitDuringRunModal):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                bulk.interrupt(lambda report: self._exit_after_run(bulk.title_text, report))

        self.push_screen(QuitDuringRunModal(bulk.quit_question()), answered)

    def running_bulk(self) -> BulkRunModal | None:
        """The bulk run still sending, if any."""
        from mwstui.ui.dialogs.bulk import BulkRunModal

        return next(
            (s for s in self.screen_stack if isinstance(s, BulkRunModal) and not s.finished),
            None,
        )

    def _exit_after_run(self, title: str, report: BulkReport) -> None:
        text = Text("\n".join(report.exit_lines(title)), end="")
        self.exit(None, return_code=1, message=text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The profile switcher exists only once there are profiles to switch between."""
        if action == "switch_profile":
            has_choices = bool(self.session.profiles) or self.session.sandbox
            return has_choices and not self.session.first_run
        return True

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            if not event.is_forwarded:
                self.type_ahead.delivered(event)
            elif self.type_ahead.redirect(event):
                return
        await super().on_event(event)

    @property
    def active_panel_or_none(self) -> Panel | None:
        """The panel shown, once the app has activated one."""
        return self._active

    async def run_key_bindings(self, key: str) -> bool:
        """Run ``key``'s binding in the focus chain now (type-ahead replays keys here)."""
        return await self._check_bindings(key)

    async def on_key(self, event: events.Key) -> None:
        """Keys no binding took: nothing focused yet, or ``P`` with no profile yet.

        With nothing focused (a tab just shown, its table not yet handed the keyboard),
        a panel's keys (``/``, ``r``, ``c`` …) would reach no binding and be lost: the
        active panel's table takes the keyboard and the key runs there (``TypeAhead``).
        ``P`` with no profile opens the switcher, which then offers only adding one: the
        binding stays disabled without profiles, but a key that silently does nothing
        reads as a broken key.
        """
        if self._active is not None and not self._active.is_mounted:
            await self.ready_active()  # a tab key mounted it: the keys behind it are its own
        if await self.type_ahead.to_panel(event):
            return
        if (
            event.key == "P"
            and not self.check_action("switch_profile", ())
            and not self.session.first_run
            and self.screen is self.screen_stack[0]
        ):
            from mwstui.ui.profiles.switch_flow import open_switcher

            event.stop()
            open_switcher(self, self.session, listed=False)

    def action_switch_profile(self) -> None:
        """List the profiles; choosing one reopens the dashboard on it."""
        if self.check_action("switch_profile", ()):
            from mwstui.ui.profiles.switch_flow import open_switcher

            open_switcher(self, self.session)

    async def action_interrupt(self) -> None:
        """ctrl+c: leave as ``q`` does; the CLI then exits with an interrupt's status (130)."""
        self.interrupted = True
        await self.run_action("quit")

    def action_help(self) -> None:
        """Show every key available here."""
        from mwstui.ui.dialogs.help_screen import HelpScreen

        # Activity lists what happened: nothing there is marked or acted on.
        marks = self.active_panel.panel_id != "activity"
        self.push_screen(HelpScreen(self.key_sections(), marks=marks))

    def key_sections(self) -> list[KeySection]:
        """The live bindings grouped for the help screen: app-wide, then the active panel."""
        from mwstui.ui.dialogs.help_screen import key_sections

        return key_sections(self, self.screen.active_bindings, self.active_panel.title)

    # -- command palette ------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The default commands, every active binding, and one command per panel."""
        from mwstui.ui.palette import palette_commands

        yield from super().get_system_commands(screen)
        yield from palette_commands(self, screen)
