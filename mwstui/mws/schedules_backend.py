"""The MWS adapter for report schedules: one schedule per report type; ``_NEVER_`` deletes it.

A lost ManageReportSchedule answer is settled by reading GetReportScheduleList, in a run
and at the next start alike (``check_outcome``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence

from mwstui.backend.actions import ActionPlan, PlanBuilder, assemble, plural, result_of_error
from mwstui.backend.models import Schedule
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.backend.protocols import Feature, Mutation, Page
from mwstui.errors import MwstuiError, OutcomeUnknownError
from mwstui.mws import backend_records as records
from mwstui.mws.backend import NOT_LISTED, MWSBackend, never_schedule


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
        found = await self.client.reports.report_schedules(report_types=[report_type])
        return [str(s.schedule) for s in found.data if s.report_type == report_type]

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
