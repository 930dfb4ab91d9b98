"""Report schedules: list, create, change, and a confirmed delete (= _NEVER_)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static

from mwstui.errors import MwstuiError
from mwstui.mws.models import ReportSchedule
from mwstui.session import Session
from mwstui.ui import fmt
from mwstui.ui.bulk import BulkReport, BulkRunModal
from mwstui.ui.confirm import ConfirmModal, build_confirm_request
from mwstui.ui.field_input import FieldInput
from mwstui.ui.panel import LOAD_GROUP, Panel
from mwstui.ui.resource_table import Column, ResourceTable, TableRow
from mwstui.ui.safe_text import cell, clean
from mwstui.ui.schedule_form_modal import NEVER, ScheduleForm, ScheduleFormModal


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


class SchedulesPanel(Panel):
    """GetReportScheduleList, with ManageReportSchedule behind a form and a confirmation."""

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
        self.schedules: dict[str, ReportSchedule] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(classes="panel-bar"):
            yield FieldInput(
                placeholder="/ filter type or schedule", classes="filter", compact=True
            )
            yield Static(classes="status")
        yield ResourceTable(COLUMNS, markable=True, sort_by="report_type")

    def main_table(self) -> ResourceTable:
        return self.query_one(ResourceTable)

    # -- loading -----------------------------------------------------------------------------------

    def action_refresh_data(self) -> None:
        """Reload the schedules."""
        if self.session.mws is None:
            return
        self._load()
        self.begin_load()

    @work(exclusive=True, group=LOAD_GROUP)
    async def _load(self) -> None:
        client = self.session.mws
        assert client is not None
        try:
            result = await client.reports.report_schedules()
        except MwstuiError as exc:
            self.load_failed(exc, "Loading report schedules")
            return
        self.schedules = {s.report_type: s for s in result.data}
        self._show()
        self.load_done(None)

    def _show(self) -> None:
        now = self.now()
        rows = []
        for s in self.schedules.values():
            when: datetime | None = s.scheduled_date
            due = None if when is None else when.timestamp() - now
            values = (s.report_type, s.schedule, s.schedule.interval_seconds, when, due)
            rows.append(TableRow(s.report_type, values))
        self.main_table().set_rows(rows)

    def on_tick(self) -> None:
        # "Due" is relative to now; only cells whose (minute-grained) text changed redraw.
        if self.schedules:
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
        if self.refuse_if_read_only("new_schedule") or self.session.mws is None:
            return
        current = {t: str(s.schedule) for t, s in self.schedules.items()}
        modal = ScheduleFormModal(self.session.clock, None, current)
        self.app.push_screen(modal, self._formed)

    def action_edit_schedule(self) -> None:
        """Change the schedule under the cursor."""
        if self.refuse_if_read_only("edit_schedule") or self.session.mws is None:
            return
        key = self.main_table().cursor_key
        existing = self.schedules.get(key or "")
        if existing is None:
            self.notify("Move to a schedule to change it, or press n for a new one.")
            return
        self.app.push_screen(ScheduleFormModal(self.session.clock, existing), self._formed)

    @on(ResourceTable.RowSelected)
    def _row_selected(self, event: ResourceTable.RowSelected) -> None:
        event.stop()
        if not self.session.read_only:
            self.action_edit_schedule()

    def _formed(self, form: ScheduleForm | None) -> None:
        if form is not None:
            self._save(form)

    @work(group="mutate")
    async def _save(self, form: ScheduleForm) -> None:
        client = self.session.mws
        assert client is not None
        try:
            await client.reports.manage_report_schedule(
                form.report_type, form.schedule, form.schedule_date
            )
        except MwstuiError as exc:
            self.report_error(exc, "Saving the schedule")
            return
        self.notify(
            clean(f"{form.report_type}: {form.schedule}"), title="Schedule saved", markup=False
        )
        self.action_refresh_data()

    # -- delete ------------------------------------------------------------------------------------

    def action_delete_selected(self) -> None:
        """Delete the marked schedules (or the one under the cursor), after confirmation."""
        if self.refuse_if_read_only("delete_selected") or self.session.mws is None:
            return
        types = [k for k in self.main_table().selected_keys() if k in self.schedules]
        if not types:
            self.notify("Nothing selected: move to a schedule or mark some with space.")
            return
        client = self.session.mws
        request = build_confirm_request(
            self.session,
            client,
            "ManageReportSchedule",
            types,
            title=f"Delete {len(types)} report schedule{'s' if len(types) != 1 else ''}?",
            action_label=f"Delete {len(types)}",
            account=self.account,
            notes=["Each is sent as ManageReportSchedule with Schedule=_NEVER_."],
        )

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._run_delete(types)

        self.app.push_screen(ConfirmModal(request), confirmed)

    def _run_delete(self, types: list[str]) -> None:
        client = self.session.mws
        assert client is not None

        async def run(report_type: str) -> str:
            result = await client.reports.manage_report_schedule(report_type, NEVER)
            return f"deleted (count {len(result.data)})" if result.data else "deleted"

        def finished(report: BulkReport | None) -> None:
            if report is not None:
                self.notify(report.summary(), title="Delete schedules", markup=False)
            self.main_table().clear_marks()
            self.action_refresh_data()

        modal = BulkRunModal(
            f"Deleting {len(types)} report schedule{'s' if len(types) != 1 else ''}",
            types,
            run,
            governor=self.session.governor,
            bucket_key=client.bucket_key("ManageReportSchedule"),
        )
        self.app.push_screen(modal, finished)
