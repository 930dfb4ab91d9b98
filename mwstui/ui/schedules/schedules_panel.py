"""Report schedules: list, create and change through a form, and a confirmed delete.

Everything goes through the session's schedules backend: what a schedule form offers,
what a save or a delete does (an ``ActionPlan``, confirmed, run and read back), and the
words for it. MWS changes a type's schedule in place; SP-API replaces the schedule of a
type and marketplaces with a new one: the form and the confirmation say which.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static

from mwstui.backend.models import Schedule
from mwstui.backend.outcomes import Outcome
from mwstui.backend.protocols import Feature, SchedulesBackend
from mwstui.backend.schedules import ScheduleRequest
from mwstui.errors import MwstuiError
from mwstui.session import Session
from mwstui.throttle.budget import BucketKey
from mwstui.ui.dialogs.bulk_report import BulkReport
from mwstui.ui.panel import LOAD_GROUP, Panel
from mwstui.ui.plan_flow import carry_out
from mwstui.ui.schedules.schedule_form_modal import ScheduleFormModal
from mwstui.ui.text import fmt
from mwstui.ui.text.safe_text import cell
from mwstui.ui.widgets.field_input import FieldInput
from mwstui.ui.widgets.resource_table import Column, ResourceTable, TableRow


def _every(value: Any) -> Text:
    return cell(f"every {fmt.interval(value)}" if value else None)


def _due(value: Any) -> Text:
    # The value is seconds from now (session clock) until the next run.
    if value is None:
        return cell(None)
    if value < 0:
        return Text(f"{fmt.coarse(-value)} overdue", style="yellow")
    return Text(f"in {fmt.coarse(value)}")


def _when(value: Any) -> Text:
    return cell(value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value)


TYPE_WIDTH = 24
"""The type column's least width; it grows into the spare width (cut names end in "…")."""

COLUMNS = [
    Column("report_type", "Report type", width=TYPE_WIDTH, grow=True),
    Column("schedule", "Schedule"),
    Column("interval", "Interval", _every, export=lambda v: "" if v is None else str(v)),
    Column("next_run", "Next run (UTC)", _when),
    Column("due", "Due", _due, export=lambda v: "" if v is None else f"{v:.0f}"),
]
MARKETS = Column("marketplaces", "Marketplaces")
"""Shown where a schedule names its marketplaces (SP-API: they decide what it replaces)."""


class SchedulesPanel(Panel):
    """The backend's schedules, with a form to save one and a confirmed delete."""

    panel_id = "schedules"
    title = "Schedules"
    capability = "schedules"
    operations: ClassVar[list[str]] = ["GetReportScheduleList", "ManageReportSchedule"]
    mutating_actions = frozenset({"new_schedule", "edit_schedule", "delete_selected"})
    auto_refresh = None

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_schedule", "New"),
        Binding("e", "edit_schedule", "Change"),
        Binding("delete,d", "delete_selected", "Delete"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.schedules: dict[str, Schedule] = {}
        """Listed schedules by id (the report type on MWS, ``reportScheduleId`` on SP-API)."""
        self._markets: bool | None = None

    @property
    def schedules_backend(self) -> SchedulesBackend | None:
        """The session's schedules backend (None: this profile has no Amazon account)."""
        return self.session.backends.schedules

    def _names_marketplaces(self) -> bool:
        if self._markets is None:
            backend = self.schedules_backend
            self._markets = backend is not None and bool(backend.schedule_terms().marketplaces)
        return self._markets

    def compose(self) -> ComposeResult:
        with Horizontal(classes="panel-bar"):
            yield FieldInput(
                placeholder="/ filter type or schedule", classes="filter", compact=True
            )
            yield Static(classes="status")
        columns = list(COLUMNS)
        if self._names_marketplaces():
            columns.insert(2, MARKETS)
        yield ResourceTable(columns, markable=True, sort_by="report_type")

    def main_table(self) -> ResourceTable:
        return self.query_one(ResourceTable)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        backend = self.schedules_backend
        deletes = backend is None or Feature.DELETE_SCHEDULES in backend.features
        if action == "delete_selected" and not deletes:
            return False
        return super().check_action(action, parameters)

    # -- loading -----------------------------------------------------------------------------------

    def action_refresh_data(self) -> None:
        """Reload the schedules; each page shows as it arrives."""
        if self.schedules_backend is None:
            return
        self._load()
        self.begin_load()

    def wait_bucket(self) -> BucketKey | None:
        backend = self.schedules_backend
        return None if backend is None else backend.budget(backend.operations[0]).key

    @work(exclusive=True, group=LOAD_GROUP)
    async def _load(self) -> None:
        backend = self.schedules_backend
        assert backend is not None
        found: dict[str, Schedule] = {}
        try:
            async for page in backend.list_schedules():
                fresh = {s.id: s for s in page.rows}
                found.update(fresh)
                self.schedules.update(fresh)
                self.page_loaded(self._rows(fresh.values()))
        except MwstuiError as exc:
            self.load_failed(exc, "Loading report schedules")
            return
        self.schedules = found
        self.load_done(self._rows(found.values()))

    def _rows(self, schedules: Iterable[Schedule]) -> list[TableRow]:
        now = self.now()
        markets = self._names_marketplaces()
        rows = []
        for s in schedules:
            due = None if s.next_run is None else s.next_run.timestamp() - now
            values: tuple[Any, ...] = (s.report_type, s.period, s.period_seconds, s.next_run, due)
            if markets:
                values = (*values[:2], ", ".join(s.marketplaces), *values[2:])
            rows.append(TableRow(s.id, values))
        return rows

    def _show(self) -> None:
        self.main_table().set_rows(self._rows(self.schedules.values()))

    def on_tick(self) -> None:
        # "Due" is relative to now; only cells whose (minute-grained) text changed redraw.
        if self.schedules and not self.is_loading():
            self._show()

    def status_parts(self) -> list[str]:
        table = self.main_table()
        parts = [f"{len(self.schedules)} schedules"]
        if table.marked:
            parts.append(f"{len(table.marked)} marked")
        return parts

    @on(Input.Changed, ".filter")
    def _filter(self, event: Input.Changed) -> None:
        self.main_table().set_filter(event.value)

    @on(Input.Submitted, ".filter")
    def _filter_done(self) -> None:
        self.focus_main()

    @on(ResourceTable.MarksChanged)
    def _marks_changed(self) -> None:
        self.update_status()

    # -- create / change ---------------------------------------------------------------------------

    def action_new_schedule(self) -> None:
        """Open the form for a new schedule."""
        backend = self.schedules_backend
        if self.refuse_if_read_only("new_schedule") or backend is None:
            return
        modal = ScheduleFormModal(backend, self.session.clock, self.schedules)
        self.app.push_screen(modal, self._formed)

    def action_edit_schedule(self) -> None:
        """Change the schedule under the cursor (on SP-API: replace it with a new one)."""
        backend = self.schedules_backend
        if self.refuse_if_read_only("edit_schedule") or backend is None:
            return
        existing = self.schedules.get(self.main_table().cursor_key or "")
        if existing is None:
            self.notify("Move to a schedule to change it, or press n for a new one.")
            return
        modal = ScheduleFormModal(backend, self.session.clock, self.schedules, existing)
        self.app.push_screen(modal, self._formed)

    @on(ResourceTable.RowSelected)
    def _row_selected(self, event: ResourceTable.RowSelected) -> None:
        event.stop()
        if not self.session.read_only:
            self.action_edit_schedule()

    def _formed(self, request: ScheduleRequest | None) -> None:
        if request is not None:
            self.save(request)

    def save(self, request: ScheduleRequest) -> None:
        """Confirm, then save ``request`` as the backend plans it, and read its type again."""
        backend = self.schedules_backend
        if self.refuse_if_read_only("new_schedule") or backend is None:
            return

        def finished(report: BulkReport | None) -> None:
            if report is None:  # "Back" (or nothing could be sent): back to the form as it was
                modal = ScheduleFormModal(
                    backend, self.session.clock, self.schedules, request.changing, request
                )
                self.app.push_screen(modal, self._formed)
                return
            result = report.results.get(request.report_type)
            line = report.summary() + (f" — {result.detail}" if result and result.detail else "")
            self.notify(line, title="Report schedule", markup=False)
            self._reload_type(request.report_type)

        carry_out(self.app, self.session, backend.plan_save(request, self.schedules), finished)

    @work(group="reload")
    async def _reload_type(self, report_type: str) -> None:
        # One listing call for the saved type, not every page again (SP-API: 45 s a token).
        backend = self.schedules_backend
        assert backend is not None
        try:
            fresh = [
                s
                async for page in backend.list_schedules(report_types=[report_type])
                for s in page.rows
            ]
        except MwstuiError as exc:
            self.report_error(exc, "Reading the schedule back")
            return
        kept = {k: s for k, s in self.schedules.items() if s.report_type != report_type}
        self.schedules = kept | {s.id: s for s in fresh if s.report_type == report_type}
        self._show()
        self.update_status()

    # -- delete ------------------------------------------------------------------------------------

    def action_delete_selected(self) -> None:
        """Delete the marked schedules (or the one under the cursor), after confirmation."""
        backend = self.schedules_backend
        if self.refuse_if_read_only("delete_selected") or backend is None:
            return
        keys = [k for k in self.main_table().selected_keys() if k in self.schedules]
        if not keys:
            self.notify("Nothing selected: move to a schedule or mark some with space.")
            return

        def finished(report: BulkReport | None) -> None:
            if report is None:  # declined
                return
            self.notify(report.summary(), title="Delete schedules", markup=False)
            self.main_table().clear_marks()
            # The run read each one back: the confirmed ones go, the rest stay as listed.
            for key in report.items_with(Outcome.DONE):
                self.schedules.pop(key, None)
            self._show()
            self.update_status()

        carry_out(self.app, self.session, backend.plan_delete(keys, self.schedules), finished)
