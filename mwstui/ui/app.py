"""The dashboard app: header, the five panels, the live throttle budget, help and palette.

It ends with what the CLI reopens (``SwitchProfile``, ``OpenSandbox``) or None to quit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane, Tabs

from mwstui.errors import MwstuiError
from mwstui.recovery import settle_unknown_outcomes
from mwstui.session import OpenSandbox, Session, SessionExit, SwitchProfile
from mwstui.ui.activity.activity_log import DEFAULT_CAPACITY, ActivityLog
from mwstui.ui.activity.activity_panel import ActivityPanel
from mwstui.ui.dialogs.bulk import BulkRunModal
from mwstui.ui.dialogs.bulk_report import BulkReport
from mwstui.ui.dialogs.export_modal import export_panel
from mwstui.ui.dialogs.help_screen import HelpScreen, KeySection, key_sections
from mwstui.ui.dialogs.quit_modal import QuitDuringRunModal
from mwstui.ui.fulfillment.fulfillment_panel import FulfillmentPanel
from mwstui.ui.orders.sellercenter_panel import SellerCenterPanel
from mwstui.ui.palette import palette_commands
from mwstui.ui.panel import Panel
from mwstui.ui.profiles.profile_switcher import ADD_PROFILE, ProfileSwitcherModal, chosen_sandbox
from mwstui.ui.recovery_notice import recovery_summary
from mwstui.ui.reports.reports_panel import ReportsPanel
from mwstui.ui.schedules.schedules_panel import SchedulesPanel
from mwstui.ui.text.notify import notify_error
from mwstui.ui.text.safe_text import clean
from mwstui.ui.type_ahead import TypeAhead
from mwstui.ui.widgets.budget_panel import BudgetPanel
from mwstui.ui.widgets.header import AccountHeader

TAB_LABELS = {
    "reports": "Reports",
    "schedules": "Schedules",
    "fulfillment": "Fulfillment",
    "sellercenter": "SellerCenter",
    "activity": "Activity",
}
"""Short tab labels, so five tabs fit in 80 columns (panels keep their full ``title``)."""


_log = logging.getLogger(__name__)

MIN_WIDTH = 80
MIN_HEIGHT = 24


class MwstuiApp(App[SessionExit]):
    """The mwstui dashboard, handed everything it talks to in a ``Session``.

    Args:
        session: clients, governor, journal, accounts, read-only and sandbox flags.
        activity_capacity: API calls the Activity panel keeps.
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

    def __init__(self, session: Session, *, activity_capacity: int = DEFAULT_CAPACITY) -> None:
        super().__init__()
        self.session = session
        self.interrupted = False
        """The user left with ctrl+c (the CLI exits 130)."""
        self.activity = ActivityLog(activity_capacity)
        # Attached before any panel loads, so the first call is in the Activity panel too.
        self.activity.attach(session)
        self.panels: list[Panel] = [
            ReportsPanel(session),
            SchedulesPanel(session),
            FulfillmentPanel(session),
            SellerCenterPanel(session),
            ActivityPanel(session, self.activity),
        ]
        self._active: Panel | None = None
        self.type_ahead = TypeAhead(self)
        # A finished call changes a budget: show it now rather than at the next tick.
        self.activity.subscribe(lambda _seq, _record: self._poke_budget())
        if session.sandbox:
            self.sub_title = "SANDBOX"

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield AccountHeader(self.session, id="header")
        with TabbedContent(id="tabs"):
            for n, panel in enumerate(self.panels, start=1):
                label = TAB_LABELS.get(panel.panel_id, panel.title)
                with TabPane(f"{n} {label}", id=f"tab-{panel.panel_id}"):
                    yield panel
        yield BudgetPanel(self.session, id="budget")
        yield Footer()
        yield Static(id="too-small")

    def on_mount(self) -> None:
        # Panels take the keyboard; tabs switch with 1-5, [ ] or the mouse.
        self.query_one(Tabs).can_focus = False
        self._check_size(self.size)
        if self.session.first_run:  # no profile: no panel loads, the screen offers a way in
            # Imported here: it brings the keyring, which a dashboard with a session
            # (and the sandbox) never needs at start-up.
            from mwstui.ui.profiles.first_run_screen import FirstRunScreen

            self.push_screen(FirstRunScreen())
            return
        self._activate(self.panels[0])
        if self.session.journal is not None:
            self._settle_unknown_outcomes()

    async def on_unmount(self) -> None:
        # Close the connections on the loop that opened them (the CLI may reopen the app).
        try:
            await self.session.aclose()
        except Exception as exc:  # quitting must not fail over a connection that broke
            _log.warning("closing the clients failed: %s", type(exc).__name__)

    @work(exclusive=True, group="recovery")
    async def _settle_unknown_outcomes(self) -> None:
        """Ask the service what became of mutations whose answer was lost (last run)."""
        journal = self.session.journal
        if journal is None:
            return
        try:
            if not journal.pending_unknown():
                return
            settled = await settle_unknown_outcomes(self.session)
            still = len(journal.pending_unknown())
        except MwstuiError as exc:
            notify_error(self, exc, doing="Checking unknown outcomes")
            return
        summary = recovery_summary(settled, still)
        if summary is not None:
            text, warn = summary
            self.notify(
                text,
                title="Unknown outcomes",
                severity="warning" if warn else "information",
                timeout=20.0 if warn else 10.0,
                markup=False,
            )

    def _poke_budget(self) -> None:
        if self.is_running:
            self.post_message(BudgetPanel.CallsMade())

    @on(BudgetPanel.CallsMade)
    def _calls_made(self) -> None:
        # A call may end while the app closes (a load still paging): no panel, no tick.
        for budget in self.query(BudgetPanel):
            budget.tick()

    @property
    def active_panel(self) -> Panel:
        """The panel whose tab is shown."""
        return self._active or self.panels[0]

    def _activate(self, panel: Panel) -> None:
        if not self.query(AccountHeader) or self.session.first_run:
            return
        if self._active is panel:
            # Activated by the tab key already, maybe before its pane was displayed (then
            # nothing could take the keyboard): now that the tab is shown, hand it over.
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
        panel.activated()
        self.call_after_refresh(self._focus_active)

    def _focus_active(self) -> None:
        # Only the panel still shown may take focus: focusing a widget in another tab
        # would switch back to that tab (TabbedContent follows focus).
        # Nor may it take the keyboard from a field the user reached meanwhile ("3" then
        # "/" typed fast: the filter must keep it).
        if (
            self.screen is self.screen_stack[0]
            and self._active is not None
            and self.focused is None
        ):
            self._active.focus_main()

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane_id = event.pane.id or ""
        panel = next((p for p in self.panels if f"tab-{p.panel_id}" == pane_id), None)
        if panel is not None:
            self._activate(panel)

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
        if 0 <= index < len(self.panels):
            self.query_one(TabbedContent).active = f"tab-{self.panels[index].panel_id}"
            # Now, not when TabActivated arrives turns later: keys typed right after the
            # tab key (``3/PLAN`` in one burst) belong to the new panel, never the old one.
            self._activate(self.panels[index])

    def action_step_tab(self, step: int) -> None:
        """Show the previous (-1) or next (1) panel."""
        index = self.panels.index(self.active_panel)
        self.action_show_tab((index + step) % len(self.panels))

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
        if isinstance(self.screen, QuitDuringRunModal):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                bulk.interrupt(lambda report: self._exit_after_run(bulk.title_text, report))

        self.push_screen(QuitDuringRunModal(bulk.quit_question()), answered)

    def running_bulk(self) -> BulkRunModal | None:
        """The bulk run still sending, if any."""
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
        if await self.type_ahead.to_panel(event):
            return
        if (
            event.key == "P"
            and not self.check_action("switch_profile", ())
            and not self.session.first_run
            and self.screen is self.screen_stack[0]
        ):
            event.stop()
            self.push_screen(ProfileSwitcherModal([], self.session.profile), self._profile_chosen)

    def action_switch_profile(self) -> None:
        """List the profiles; choosing one reopens the dashboard on it."""
        if not self.check_action("switch_profile", ()):
            return
        self.push_screen(ProfileSwitcherModal.for_session(self.session), self._profile_chosen)

    def _profile_chosen(self, choice: str | None) -> None:
        sandbox = chosen_sandbox(choice)
        if sandbox is not None:
            self.exit(OpenSandbox(sandbox))
        elif choice == ADD_PROFILE:
            from mwstui.ui.profiles.profile_form_modal import (
                ProfileFormModal,
            )  # the keyring: see above

            self.push_screen(ProfileFormModal(self.session.profiles), self._profile_chosen)
        elif choice:
            self.exit(SwitchProfile(choice))

    async def action_interrupt(self) -> None:
        """ctrl+c: leave as ``q`` does; the CLI then exits with an interrupt's status (130)."""
        self.interrupted = True
        await self.run_action("quit")

    def action_help(self) -> None:
        """Show every key available here."""
        # Activity lists what happened: nothing there is marked or acted on.
        marks = not isinstance(self.active_panel, ActivityPanel)
        self.push_screen(HelpScreen(self.key_sections(), marks=marks))

    def key_sections(self) -> list[KeySection]:
        """The live bindings grouped for the help screen: app-wide, then the active panel."""
        return key_sections(self, self.screen.active_bindings, self.active_panel.title)

    # -- command palette ------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The default commands, every active binding, and one command per panel."""
        yield from super().get_system_commands(screen)
        yield from palette_commands(self, screen)
