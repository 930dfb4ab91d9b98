"""The MWS adapter for report schedules: one schedule per report type; ``_NEVER_`` deletes it.

ManageReportSchedule creates a type's schedule or changes it in place, and answers with
the schedule as it now is: that answer is the read-back. A lost answer is settled by
reading GetReportScheduleList, in a run and at the next start alike (``check_outcome``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime

from mwstui import validation
from mwstui.backend.actions import ActionPlan, PlanBuilder, assemble, plural, result_of_error
from mwstui.backend.models import Schedule
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.backend.protocols import Feature, Mutation, Page
from mwstui.backend.schedules import (
    Period,
    ScheduleRequest,
    ScheduleTerms,
    describe,
    kept_next_run,
)
from mwstui.catalog import load_catalog
from mwstui.errors import MwstuiError, OutcomeUnknownError
from mwstui.mws import backend_records as records
from mwstui.mws.backend import NOT_LISTED, MWSBackend, never_schedule
from mwstui.mws.parsing import format_datetime


class MWSSchedules(MWSBackend):
    """Report schedules on MWS: one per report type; ``_NEVER_`` deletes it."""

    # GetReportScheduleListByNextToken is documented but never needed (the list is never
    # paged); it spends the list's bucket, so the budget row is the same.
    operations = ("GetReportScheduleList", "ManageReportSchedule")
    mutations = frozenset({"ManageReportSchedule"})
    features = frozenset({Feature.DELETE_SCHEDULES, Feature.SCHEDULE_REPLACES})

    async def list_schedules(
        self, *, report_types: Sequence[str] = ()
    ) -> AsyncIterator[Page[Schedule]]:
        # GetReportScheduleList never pages in practice (its NextToken is documented but
        # never sent); the client follows one anyway and hands back the whole list.
        result = await self.client.reports.report_schedules(report_types=report_types or None)
        yield Page(
            tuple(records.schedule(s) for s in result.data),
            request_id=result.meta.request_id or "",
        )

    async def _current(self, report_type: str) -> list[str]:
        return [s.period for s in await self._read(report_type)]

    async def _read(self, report_type: str) -> list[Schedule]:
        found = await self.client.reports.report_schedules(report_types=[report_type])
        return [records.schedule(s) for s in found.data if s.report_type == report_type]

    # -- create / change -----------------------------------------------------------------------

    def schedule_terms(self) -> ScheduleTerms:
        """Schedulable types and the ``Schedule`` enum (catalog); changes are in place."""
        catalog = load_catalog()
        return ScheduleTerms(
            report_types=tuple(t.type for t in catalog.report_types if t.schedulable),
            periods=tuple(
                Period(name, seconds)
                for name, seconds in catalog.schedules.items()
                if seconds is not None  # _NEVER_ deletes: its own, confirmed, action
            ),
            changes_in_place=True,
            first_run_max_days=int(catalog.mws_enums["schedule_date_max_days_ahead"]),
            type_field="ReportType",
            period_field="Schedule",
            first_run_field="ScheduleDate",
        )

    def check_schedule(self, request: ScheduleRequest) -> dict[str, str]:
        found: dict[str, str] = {}
        if problem := validation.report_type(request.report_type, "schedule"):
            found["type"] = problem
        problem = validation.schedule(request.period)
        if problem is None and request.period == never_schedule():
            problem = f"Schedule {request.period} deletes: use Delete"
        if problem:
            found["period"] = problem
        now = self.client.clock.now()
        if problem := validation.schedule_date(request.first_run, now):
            found["first_run"] = problem
        return found

    def replaced(self, request: ScheduleRequest, rows: Mapping[str, Schedule]) -> list[Schedule]:
        """MWS keeps one schedule per report type: the type's schedule is changed."""
        return [s for s in rows.values() if s.report_type == request.report_type]

    def plan_save(self, request: ScheduleRequest, rows: Mapping[str, Schedule]) -> ActionPlan:
        """One ManageReportSchedule; its answer (the schedule as it now is) is the read."""
        rtype, period = request.report_type, request.period
        when = request.first_run or kept_next_run(request.changing, self.client.clock.now())
        built = PlanBuilder()
        if problems := self.check_schedule(request):
            built.skip(rtype or "?", next(iter(problems.values())))
        else:
            shown = f" · first run {when:%Y-%m-%d %H:%M} UTC" if when else ""
            built.take(rtype, f"{rtype} · {period}{shown}")
        before = self.replaced(request, rows)
        sent = f" and ScheduleDate={format_datetime(when)}" if when else ""
        notes = [f"Sent as ManageReportSchedule with Schedule={period}{sent}."]
        if request.first_run is None and when is not None:
            kept = when.strftime("%Y-%m-%d %H:%M")
            notes.append(
                f"First run left empty: the current next run ({kept} UTC) is sent again, "
                "so it does not move to now."
            )
        elif when is None:
            notes.append("No ScheduleDate: the next run is now.")
        notes += [f"Changes the current schedule in place: {describe(s)}." for s in before]

        async def run(report_type: str) -> ItemResult:
            return await self._save(report_type, period, when)

        changing = bool(before)
        return assemble(
            built,
            account=self.account,
            governor=self.governor,
            operation="ManageReportSchedule",
            costs=[self.cost("ManageReportSchedule", len(built.items))],
            run=run,
            title=f"{'Change' if changing else 'Create'} report schedule?",
            action_label="Change schedule" if changing else "Create schedule",
            verb="Saving",
            notes=notes,
        )

    async def _save(self, report_type: str, period: str, when: datetime | None) -> ItemResult:
        try:
            answer = await self.client.reports.manage_report_schedule(report_type, period, when)
        except OutcomeUnknownError:
            try:
                now = await self._read(report_type)
            except MwstuiError as exc:
                return ItemResult(Outcome.UNKNOWN, f"answer lost; read-back failed: {exc}")
            return self._saved(now, period, when, how="answer lost; read back: ")
        except (MwstuiError, ValueError) as exc:
            return result_of_error(exc)
        shown = [records.schedule(s) for s in answer.data if s.report_type == report_type]
        return self._saved(shown, period, when, request_id=answer.meta.request_id or "")

    @staticmethod
    def _saved(
        shown: list[Schedule],
        period: str,
        when: datetime | None,
        *,
        how: str = "",
        request_id: str = "",
    ) -> ItemResult:
        """How a save ended, from the schedule the answer (or a read) shows."""
        if not shown:
            outcome = Outcome.FAILED if how else Outcome.NOT_CONFIRMED
            return ItemResult(outcome, f"{how}no schedule shown", request_id=request_id)
        got = shown[0]
        if got.period != period:
            note = f"{how}still every {got.period}"
            return ItemResult(Outcome.FAILED, note, request_id=request_id)
        at = got.next_run
        detail = f"{how}every {got.period}" + (f", next run {at:%Y-%m-%d %H:%M} UTC" if at else "")
        if when is not None and (at is None or abs((at - when).total_seconds()) >= 1):
            note = f"{detail}, not the date sent"
            return ItemResult(Outcome.NOT_CONFIRMED, note, request_id=request_id)
        return ItemResult(Outcome.DONE, detail, request_id=request_id)

    def plan_delete(self, keys: Sequence[str], rows: Mapping[str, Schedule]) -> ActionPlan:
        """One ManageReportSchedule with ``_NEVER_`` per report type."""
        built = PlanBuilder()
        for key in dict.fromkeys(keys):
            if key in rows:
                built.take(key)
            else:
                built.skip(key, NOT_LISTED)
        never = never_schedule()

        async def run(report_type: str) -> ItemResult:
            try:
                answer = await self.client.reports.manage_report_schedule(report_type, never)
            except OutcomeUnknownError:
                try:
                    left = await self._current(report_type)
                except MwstuiError as exc:
                    return ItemResult(Outcome.UNKNOWN, f"answer lost; read-back failed: {exc}")
                if left:
                    return ItemResult(Outcome.FAILED, f"answer lost; still {', '.join(left)}")
                return ItemResult(Outcome.DONE, "answer lost; read back: no schedule")
            except (MwstuiError, ValueError) as exc:
                return result_of_error(exc)
            rid = answer.meta.request_id or ""
            kept = [str(s.schedule) for s in answer.data if str(s.schedule) != never]
            if kept:
                return ItemResult(Outcome.FAILED, f"still {', '.join(kept)}", request_id=rid)
            return ItemResult(Outcome.DONE, f"deleted (count {len(answer.data)})", request_id=rid)

        n = len(built.items)
        return assemble(
            built,
            account=self.account,
            governor=self.governor,
            operation="ManageReportSchedule",
            costs=[self.cost("ManageReportSchedule", n)],
            run=run,
            title=f"Delete {plural(n, 'report schedule')}?",
            action_label=f"Delete {n}",
            verb="Deleting",
            notes=[f"Each is sent as ManageReportSchedule with Schedule={never}."],
        )

    async def check_outcome(self, mutation: Mutation) -> ItemResult | None:
        if not self.mine(mutation):
            return None
        wanted = mutation.params.get("Schedule", "")
        current = await self._current(mutation.items[0])
        took = (not current) if wanted == never_schedule() else (wanted in current)
        shown = ", ".join(current) or "no schedule"
        note = f"GetReportScheduleList shows {shown}"
        return ItemResult(Outcome.DONE if took else Outcome.FAILED, note)
