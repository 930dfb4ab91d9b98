"""Activity: every API call of this session, live, and the journal of mutations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import ContentSwitcher, Input, Static

from mwstui.calls import CallRecord
from mwstui.journal.entry import JournalEntry
from mwstui.session import Session
from mwstui.ui.activity.activity_log import ActivityLog
from mwstui.ui.activity.inspector_modal import InspectorModal, seconds_text
from mwstui.ui.panel import Panel
from mwstui.ui.text.safe_text import MISSING, cell, clean
from mwstui.ui.widgets.resource_table import Column, ResourceTable, TableRow

JOURNAL_LIMIT = 500
"""Journal entries shown (newest first); `mwstui journal` lists them all."""


def _time(value: Any) -> Text:
    return cell(value.strftime("%H:%M:%S") if value is not None else None)


def _http(value: Any) -> Text:
    if value is None:
        return Text(MISSING, style="dim")
    return Text(str(value), style="green" if 200 <= int(value) < 300 else "bold red")


def _seconds(value: Any) -> Text:
    # The inspector shows the same figure in the same format (seconds_text).
    return Text(seconds_text(value), style="" if value else "dim")


_STATUS_STYLES = {
    "ok": "green",
    "error": "bold red",
    "failed": "bold red",
    "unknown": "bold yellow",
    "not confirmed": "bold yellow",
    "partial": "yellow",
    "pending": "yellow",
    "not sent": "dim",
}


def _status(value: Any) -> Text:
    return cell(value, _STATUS_STYLES.get(str(value), ""))


def _items(value: Any) -> Text:
    items = list(value)
    if len(items) <= 2:
        return cell(", ".join(items))
    return cell(f"{items[0]}, {items[1]} +{len(items) - 2}")


CALL_COLUMNS = [
    Column("time", "Time", _time),
    Column("operation", "Operation"),
    Column("http", "HTTP", _http),
    Column("error", "Error"),
    Column("duration", "Took", _seconds),
    Column("waited", "Waited", _seconds),
    Column("profile", "Profile"),
    Column("request_id", "Request id"),
]

# The request id comes before the wide columns, so it is never cut by the screen's edge.
JOURNAL_COLUMNS = [
    Column("time", "Time"),
    Column("profile", "Profile"),
    Column("operation", "Operation"),
    Column("status", "Status", _status),
    Column("request_id", "Request id"),
    Column("items", "Items", _items, export=lambda v: " ".join(v)),
    Column("detail", "Detail"),
]


def journal_detail(e: JournalEntry) -> str:
    """The Detail cell: the service's error, else what the items came to, else the note."""
    if e.error_code or e.error_message:
        return ": ".join(x for x in (e.error_code, e.error_message) if x)
    if e.outcomes and e.status != "ok":
        return e.outcome_counts()
    return e.note or ""


class ActivityPanel(Panel):
    """The calls table (live, from the ActivityLog) and the journal table (``j`` switches).

    Args:
        session: for the journal and the profile names.
        activity: the app's ActivityLog, attached to the clients before anything loads.
    """

    panel_id = "activity"
    title = "Activity"
    operations: ClassVar[list[str]] = []

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "inspect", "Inspect"),
        Binding("j", "toggle_journal", "Journal/calls"),
    ]

    @dataclass
    class CallRecorded(Message):
        """A client finished an attempt (posted from the observer, safe from any thread)."""

        seq: int
        record: CallRecord

    def __init__(self, session: Session, activity: ActivityLog) -> None:
        super().__init__(session)
        self.activity = activity
        self.showing = "calls"
        self._entries: dict[str, JournalEntry] = {}
        self._calls_behind = False
        """Calls came while the tab was hidden: shown when it is activated."""
        self._journal_behind = False
        """A mutating call came while hidden: the journal is read again when activated."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="panel-bar"):
            yield Input(placeholder="/ filter calls", classes="filter", compact=True)
            yield Static(classes="status")
        with ContentSwitcher(initial="activity-calls"):
            yield ResourceTable(CALL_COLUMNS, id="activity-calls")
            yield ResourceTable(JOURNAL_COLUMNS, id="activity-journal")

    def on_mount(self) -> None:
        super().on_mount()
        self.activity.subscribe(self._observed)
        self._show_calls()

    def activated(self) -> None:
        if self._calls_behind:
            self._calls_behind = False
            self._show_calls()
        if self._journal_behind:
            self._journal_behind = False
            self._load_journal()
        super().activated()

    def on_unmount(self) -> None:
        self.activity.unsubscribe(self._observed)

    def _observed(self, seq: int, record: CallRecord) -> None:
        self.post_message(self.CallRecorded(seq, record))

    def _profile(self, record: CallRecord) -> str:
        """The profile of the account that made the call: same service and same seller.

        SP-API calls are matched by service alone: the seller id is optional there, and the
        token exchange spends the LWA client's budget, not a seller's — a session holds at
        most one SP-API account, so every SP-API call is its.
        """
        spapi = self.session.spapi_account
        if spapi is not None and record.service == spapi.service:
            return spapi.profile
        for account in (self.session.mws_account, self.session.sellercenter_account):
            if (
                account is not None
                and account.service == record.service
                and account.seller == record.account
            ):
                return account.profile
        return ""

    def _call_row(self, seq: int, r: CallRecord) -> TableRow:
        values = (
            r.started_at,
            r.operation,
            r.http_status,
            r.error_code,
            r.duration,
            r.waited,
            self._profile(r),
            r.request_id,
        )
        return TableRow(str(seq), values)

    def _show_calls(self) -> None:
        table = self.query_one("#activity-calls", ResourceTable)
        at_end = table.row_count == 0 or table.cursor_row >= table.row_count - 1
        table.set_rows(self._call_row(s, r) for s, r in self.activity.records())
        if at_end and table.row_count:
            # Follow the tail like a log, unless the user moved up to look at something.
            table.move_cursor(row=table.row_count - 1)
        self.update_status()

    @on(CallRecorded)
    def _on_call(self, event: CallRecorded) -> None:
        if not self.is_active:
            # Hidden, its table and status line would be redrawn off screen on every call,
            # and a hidden widget redrawn makes the next frame map every widget of the app
            # again (~1.5 ms a page of a load): the tab catches up when it is shown.
            self._calls_behind = True
            self._journal_behind = self._journal_behind or event.record.mutating
            return
        self._show_calls()
        if event.record.mutating:
            self._load_journal()

    # -- journal ---------------------------------------------------------------------------

    def action_refresh_data(self) -> None:
        """Re-read the journal (calls are live)."""
        self._show_calls()
        self._load_journal()
        self.mark_loaded()

    def _load_journal(self) -> None:
        journal = self.session.journal
        if journal is None:
            return
        try:
            entries = journal.entries(JOURNAL_LIMIT)
        except Exception as exc:  # the journal's own errors are MwstuiError; never crash the view
            self.report_error(exc, "Reading the journal")
            return
        self._entries = {str(e.id): e for e in entries}
        rows = [
            TableRow(
                str(e.id),
                (
                    e.created_at,
                    e.profile,
                    e.operation,
                    e.status,
                    e.request_id,
                    e.items,
                    journal_detail(e),
                ),
            )
            for e in entries
        ]
        self.query_one("#activity-journal", ResourceTable).set_rows(rows)
        self.update_status()

    def action_toggle_journal(self) -> None:
        """Switch between the calls and the journal of mutations."""
        self.showing = "journal" if self.showing == "calls" else "calls"
        switcher = self.query_one(ContentSwitcher)
        switcher.current = f"activity-{self.showing}"
        if self.showing == "journal":
            self._load_journal()
        box = self.query_one(Input)
        box.placeholder = f"/ filter {self.showing}"
        self.main_table().set_filter(box.value)
        self.focus_main()
        self.update_status()

    def main_table(self) -> ResourceTable:
        return self.query_one(f"#activity-{self.showing}", ResourceTable)

    # -- inspect / filter ---------------------------------------------------------------------

    def action_inspect(self) -> None:
        """Open the selected call (or journal entry) in the inspector."""
        key = self.main_table().cursor_key
        if key is None:
            return
        if self.showing == "journal":
            entry = self._entries.get(key)
            if entry is not None:
                self.app.push_screen(InspectorModal.for_entry(entry))
            return
        record = self.activity.get(int(key))
        if record is not None:
            self.app.push_screen(InspectorModal.for_call(record, self._profile(record)))

    @on(ResourceTable.RowSelected)
    def _row_selected(self, event: ResourceTable.RowSelected) -> None:
        event.stop()
        self.action_inspect()

    @on(Input.Changed, ".filter")
    def _filter(self, event: Input.Changed) -> None:
        self.main_table().set_filter(event.value)

    @on(Input.Submitted, ".filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.focus_main()

    def status_parts(self) -> list[str]:
        if self.showing == "journal":
            if self.session.journal is None:
                return ["journal: none (no journal in this session)"]
            n = self.query_one("#activity-journal", ResourceTable).row_count
            return [f"journal: {n} entries (j: calls)"]
        errors = sum(1 for _, r in self.activity.records() if r.error_code)
        kept = len(self.activity.records())
        return [f"{self.activity.total} calls", f"{errors} errors", f"{kept} kept", "j: journal"]

    def update_status(self) -> None:
        # Calls are live, not loaded: the age part of the base status line would mislead.
        status = self.status_line()  # found once: this runs on every call
        if status is not None:
            text = clean(" · ".join(self.status_parts()))
            if text != self._status_text:
                # Only a change of width lays the bar out again: one call at a time, a load
                # of 2,000 pages had laid out the whole screen 2,000 times.
                self._show_status(status, Text(text))
