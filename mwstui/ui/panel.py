"""The panel contract: what every dashboard tab declares and what the app relies on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import active_worker

from mwstui.backend.protocols import Backend
from mwstui.session import AccountInfo, Session
from mwstui.throttle.budget import BucketKey
from mwstui.throttle.snapshot import BucketSnapshot
from mwstui.ui.auto_refresh import AutoRefresh
from mwstui.ui.load_progress import LoadProgress, bucket_calls
from mwstui.ui.read_only import explain_read_only_key, read_only_error
from mwstui.ui.text import fmt
from mwstui.ui.text.csv_export import LazyRows
from mwstui.ui.text.notify import notify_error
from mwstui.ui.widgets.field_input import FieldInput
from mwstui.ui.widgets.resource_table import ResourceTable, TableRow
from mwstui.ui.widgets.status_text import show_status

LOAD_GROUP = "load"
"""Worker group of a panel's reads (exclusive: a new refresh replaces a running one).
Mutations use their own, non-exclusive group: a keypress never cancels a cancel half-way."""


class Panel(Widget):
    """Base of every tab of the dashboard (see docs/UI.md for the contract).

    A panel is handed the ``Session``; it never builds a client. It declares the catalog
    operations it can call (the budget panel shows their buckets), the actions that
    change state (hidden and refused in read-only), and loads its data in workers the
    first time it is shown and whenever ``refresh_data`` runs.

    Args:
        session: clients, governor, journal and the account.
    """

    panel_id: ClassVar[str] = ""
    """Tab id (``reports``); also the widget id."""
    title: ClassVar[str] = ""
    """Tab label."""
    capability: ClassVar[str] = ""
    """The session backend this panel works through (a ``Backends`` field: ``reports``,
    ``schedules``, ``fulfillment``, ``orders``); empty for a panel of every service."""
    operations: ClassVar[list[str]] = []
    """Catalog operation names this panel can call when it has no backend (the budget
    panel shows their buckets); a backend's own operations replace them."""
    mutating_actions: ClassVar[frozenset[str]] = frozenset()
    """Action names (without ``action_``) that change state: hidden and refused in read-only."""
    auto_refresh: ClassVar[float | None] = None
    """Default auto-refresh interval in seconds, or ``None`` for none."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh_data", "Refresh"),
        Binding("slash", "focus_filter", "Filter", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(id=self.panel_id)
        self.session = session
        self.is_active = False
        """True while this panel's tab is the one shown."""
        self.loaded_at: float | None = None
        """Session-clock time of the last successful load."""
        self.refresh_policy = AutoRefresh(self.auto_refresh)
        self._status_text = ""
        self._status_line: Static | None = None
        self._table: ResourceTable | None = None
        self._unfocused_ticks = 0
        self.progress = LoadProgress()
        """Pages and rows of the load in progress, and the last failure."""

    # -- lifecycle the app drives ----------------------------------------------------------

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick, name=f"{self.panel_id}-tick")

    def _on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # TabbedContent shows the pane of any widget that takes focus (TabPane.Focused).
        # The messages that carry it arrive turns later: a table focused as its load ends,
        # just before the user presses "3", would pull the tab back and lose the key. Only
        # the tabs (and the keys that drive them) decide which panel is shown.
        event.stop()

    def activated(self) -> None:
        """The app shows this panel: load it the first time, then keep it fresh."""
        self.is_active = True
        if self.loaded_at is None and self.available:
            self.action_refresh_data()
        self.update_status()

    def deactivated(self) -> None:
        """Another tab is shown: stop auto-refreshing (budgets belong to the active tab)."""
        self.is_active = False

    @property
    def backend(self) -> Backend | None:
        """The session's backend for this panel's capability (None: the session has none)."""
        found: Backend | None = getattr(self.session.backends, self.capability, None)
        return found

    @property
    def available(self) -> bool:
        """Whether the session has the backend this panel needs."""
        return not self.capability or self.backend is not None

    @property
    def service(self) -> str:
        """Whose account the header restates: the backend's service; ``amazon`` or
        ``sellercenter`` when the session lacks one; ``""`` for a panel of every service."""
        backend = self.backend
        if backend is not None:
            return backend.account.service
        if not self.capability:
            return ""
        return "sellercenter" if self.capability == "orders" else "amazon"

    @property
    def account(self) -> AccountInfo | None:
        """The account this panel acts for (header, confirmations): its backend's."""
        backend = self.backend
        return None if backend is None else backend.account

    def budget_operations(self) -> list[str]:
        """The operations whose buckets the budget panel shows while this panel is."""
        backend = self.backend
        return list(backend.operations) if backend is not None else list(self.operations)

    def now(self) -> float:
        """Current time on the session's clock (tests inject a fake one)."""
        return self.session.clock.time()

    # -- what subclasses implement ------------------------------------------------------------

    def action_refresh_data(self) -> None:
        """Reload the panel's data in a worker."""
        raise NotImplementedError

    def status_parts(self) -> list[str]:
        """Extra pieces of the status line (counts, filters), before the refresh age."""
        return []

    # -- table helpers the app uses (copy id, export) -------------------------------------

    def main_table(self) -> ResourceTable | None:
        """The table ``copy id`` and ``export`` act on."""
        # Found once: a query walks the panel's DOM, and every page of a load asks.
        table = self._table
        if table is None or not table.is_attached:
            found = self.query(ResourceTable)
            table = self._table = found.first() if found else None
        return table

    def export_table(self) -> tuple[list[str], Sequence[list[str]]] | None:
        """Headers and visible rows of the main table, exported as they are written."""
        table = self.main_table()
        if table is None:
            return None
        return table.export_headers(), LazyRows(table.visible_rows(), table.export_row)

    def selected_id(self) -> str | None:
        """The id under the cursor, to copy."""
        table = self.main_table()
        return None if table is None else table.cursor_key

    def focus_main(self) -> None:
        """Give the keyboard to the main table, if this panel is the one shown."""
        table = self.main_table()
        if table is not None and self.is_shown():
            # Now, not a turn later (``focus()``): a deferred focus decided while nothing
            # had the keyboard lands after keys typed meanwhile (``3/PLAN``: on the table,
            # taken from the filter the ``/`` opened).
            self.app.set_focus(table)

    def is_shown(self) -> bool:
        """Whether this panel's tab is displayed now (``is_active`` may run a message
        behind: focusing a hidden panel's table would pull its tab back, losing a key)."""
        return self.is_mounted and all(node.display for node in self.ancestors_with_self)

    @on(FieldInput.Left)
    def _field_left(self, event: FieldInput.Left) -> None:
        # Escape in any field of the panel: back to the table, the filter kept.
        event.stop()
        table = self.main_table()
        if table is not None:
            table.focus()

    def action_focus_filter(self) -> None:
        """Jump to this panel's filter box."""
        found = self.query(Input).filter(".filter")
        if found:
            # At once, not a turn later: the keys typed right after "/" are the filter's.
            self.app.set_focus(found.first())

    # -- the list workflow: pages as they arrive, one failure that stays -------------------------

    def loading_cover(self) -> Widget | None:
        """The widget covered by the loading indicator until the first page (the table)."""
        return self.main_table()

    def wait_bucket(self) -> BucketKey | None:
        """The throttle bucket the running load waits on (its wait is shown), if any."""
        return None

    def begin_load(self, table: ResourceTable | None = None) -> None:
        """A load starts: rows already shown stay (and usable) until pages replace them."""
        self.progress.begin(bucket_calls(self._listing()))
        table = table or self.main_table()
        cover = self.loading_cover()
        if cover is not None and table is not None:
            cover.loading = table.total_rows == 0
        self.update_status()

    def page_loaded(
        self,
        rows: Iterable[TableRow],
        *,
        table: ResourceTable | None = None,
        pages_left: int | None = None,
    ) -> None:
        """A page arrived: its rows go in at once (filter, sort and marks apply to them)."""
        table = table or self.main_table()
        if table is None:
            return
        page = list(rows)
        table.add_rows(page)
        self.progress.add_page(len(page), pages_left)
        if self.progress.pages == 1:
            self._hide_loading()
            self.call_after_refresh(self._refocus)
        self.update_status()

    def load_done(
        self, rows: Iterable[TableRow] | None, table: ResourceTable | None = None
    ) -> None:
        """The last page arrived: ``rows`` (all of them) become the data; rows gone go."""
        table = table or self.main_table()
        if table is not None and rows is not None:
            table.set_rows(rows)
        self._hide_loading()
        self.progress.succeeded(bucket_calls(self._listing()))
        self.mark_loaded()

    def load_failed(self, exc: BaseException, doing: str) -> None:
        """A load failed: the reason stays in the status line until a load succeeds.

        The rows already shown stay; the table keeps (or takes) the keyboard so ``r``
        retries. Shown as a toast only over this panel: another panel's failure waits in
        its own status line for when the user opens it.
        """
        self._hide_loading()
        self.progress.fail(exc, self.now())
        if self.is_shown():
            self.report_error(exc, doing)
        self.update_status()
        self.call_after_refresh(self._refocus)

    def _hide_loading(self) -> None:
        cover = self.loading_cover()
        if cover is not None:
            cover.loading = False

    def load_parts(self) -> list[str]:
        """``loading: 120 rows from 3 pages · 2 pages left · throttle wait 12 s``."""
        if not self.is_loading():
            return []
        snap = self._listing()
        wait = snap.wait_remaining if snap is not None and snap.waiting else None
        return self.progress.parts(wait)

    def _listing(self) -> BucketSnapshot | None:
        key = self.wait_bucket()
        return None if key is None else self.session.governor.snapshot(key)

    def failure_text(self) -> str:
        """``last load failed 01:00:57: … — r to retry``, or empty."""
        return self.progress.failure_text()

    # -- read-only ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in self.mutating_actions and self.session.read_only)

    def refuse_if_read_only(self, action: str) -> bool:
        """True (and a warning shown) when ``action`` must not run in read-only mode."""
        if self.session.read_only and action in self.mutating_actions:
            notify_error(self, read_only_error(action))
            return True
        return False

    def on_key(self, event: events.Key) -> None:
        # Hidden mutating keys say why they are off instead of doing nothing.
        explain_read_only_key(self, self.session, self.mutating_actions, event)

    # -- errors, status, auto-refresh ----------------------------------------------------------

    def report_error(self, exc: BaseException, doing: str) -> None:
        """Show a failure as a notification (code, message, request id, hint)."""
        notify_error(self, exc, doing=doing)

    def mark_loaded(self) -> None:
        """Record a successful load now (drives ``updated N s ago`` and auto-refresh)."""
        self.loaded_at = self.now()
        self.update_status()
        self.call_after_refresh(self._refocus)

    def _refocus(self) -> None:
        # A table covered by its loading indicator cannot take focus when the tab opens;
        # give it the keyboard once the data is there, unless the user went elsewhere.
        if self.is_active and self.app.focused is None and self.screen is self.app.screen:
            self.focus_main()

    def action_toggle_pause(self) -> None:
        """Pause or resume auto-refresh."""
        self.refresh_policy.toggle_pause()
        self.update_status()

    def action_cycle_interval(self) -> None:
        """Cycle the auto-refresh interval."""
        self.refresh_policy.cycle()
        self.update_status()

    def on_tick(self) -> None:
        """Called once a second while the panel is shown (relative times can move)."""

    def _tick(self) -> None:
        if not self.is_active:
            return
        # The status line keeps its age under a dialog (it must not look stale after),
        # but nothing else moves: no budget is spent while the user decides.
        self.update_status()
        if self.screen is not self.app.screen:
            return
        # A focused widget hidden by a tab switch loses the keyboard after this panel's own
        # hand-over ran: take it back after a whole second without focus (type-ahead wins).
        self._unfocused_ticks = self._unfocused_ticks + 1 if self.app.focused is None else 0
        if self._unfocused_ticks >= 2:
            self._refocus()
        self.on_tick()
        due = self.refresh_policy.due(self.now(), self.loaded_at)
        if due and not self.is_loading() and self.progress.affordable(self._listing()):
            self.action_refresh_data()

    def is_loading(self) -> bool:
        """Whether a load is running (no auto-refresh piles up behind a slow one); a load
        asking from its own worker as it finishes no longer counts (its status is final)."""
        me = active_worker.get(None)
        loads = (w for w in self.workers if w.node is self and w.group == LOAD_GROUP)
        return any(not w.is_finished and w is not me for w in loads)

    def status_line(self) -> Static | None:
        """The panel's status line (``Static.status``), found once: every page asks."""
        line = self._status_line
        if line is None or not line.is_attached:
            found = self.query(Static).filter(".status")
            line = self._status_line = found.first() if found else None
        return line

    def update_status(self) -> None:
        """Redraw the status line only if its text changed."""
        status = self.status_line()
        if status is None:
            return
        if not self.available:
            name = fmt.SERVICE_NAMES.get(self.service, self.service)
            text = f"This profile has no {name} account."
            if text != self._status_text:
                self._show_status(status, Text(text, style="bold"))
            return
        parts = self.status_parts()
        parts.extend(self.load_parts())
        age = None if self.loaded_at is None else self.now() - self.loaded_at
        parts.append(f"updated {fmt.ago(age)}")
        refresh = self.refresh_policy.label()
        if refresh:
            parts.append(refresh)
        failure = self.failure_text()
        if failure:
            parts.insert(0, failure)
        text = " · ".join(parts)
        if text != self._status_text:
            line = Text(text)
            if failure:
                line.stylize("bold red", 0, len(failure))
            self._show_status(status, line)

    def _show_status(self, line: Static, text: Text) -> None:
        self._status_text = show_status(line, text, self._status_text)
