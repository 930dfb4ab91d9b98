"""The SP-API adapter for report schedules: listed by type, deleted by cancelReportSchedule.

A schedule created for a type and marketplaces that already has one replaces it (spec
§5.7): the create confirmation says so (``replace_note``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence

from mwstui.backend.actions import ActionPlan, PlanBuilder, assemble, plural, result_of_error
from mwstui.backend.models import Schedule
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.backend.protocols import Feature, Mutation, Page
from mwstui.catalog import load_catalog
from mwstui.errors import MwstuiError, NotFoundError, OutcomeUnknownError
from mwstui.spapi import backend_records as records
from mwstui.spapi.backend import NOT_LISTED, SpapiBackend, offered_types


class SpapiSchedules(SpapiBackend):
    """Report schedules on SP-API: listed by type, deleted by cancelReportSchedule."""

    operations = ("getReportSchedules", "createReportSchedule", "cancelReportSchedule",
                  "getReportSchedule")  # fmt: skip
    mutations = frozenset({"cancelReportSchedule"})
    features = frozenset({Feature.DELETE_SCHEDULES, Feature.SCHEDULE_REPLACES})

    async def list_schedules(
        self, *, report_types: Sequence[str] = ()
    ) -> AsyncIterator[Page[Schedule]]:
        """getReportSchedules needs types: without, every schedulable type of the catalog.

        One page per call of at most 10 types, so the first rows show after one call.
        """
        types = list(dict.fromkeys(report_types)) or offered_types("schedule")
        size = load_catalog().spapi.limit("getReportSchedules.reportTypes.max")
        chunks = [types[i : i + size] for i in range(0, len(types), size)]
        for n, chunk in enumerate(chunks, 1):
            result = await self.client.reports.list_schedules(chunk)
            yield Page(
                tuple(records.schedule(s) for s in result.data),
                number=n,
                more=n < len(chunks),
                request_id=result.meta.request_id or "",
            )

    async def _exists(self, schedule_id: str) -> bool:
        try:
            await self.client.reports.get_schedule(schedule_id)
        except NotFoundError:
            return False
        return True

    def plan_delete(self, keys: Sequence[str], rows: Mapping[str, Schedule]) -> ActionPlan:
        """One cancelReportSchedule per schedule id, read back with getReportSchedule."""
        built = PlanBuilder()
        for key in dict.fromkeys(keys):
            row = rows.get(key)
            if row is None:
                built.skip(key, NOT_LISTED)
            else:
                built.take(key, f"{key} · {row.report_type} every {row.period}")

        async def run(schedule_id: str) -> ItemResult:
            lost = False
            rid = ""
            try:
                sent = await self.client.reports.cancel_schedule(schedule_id)
                rid = sent.meta.request_id or ""
            except OutcomeUnknownError:
                lost = True
            except (MwstuiError, ValueError) as exc:
                return result_of_error(exc)
            how = "answer lost; " if lost else ""
            try:
                still = await self._exists(schedule_id)
            except MwstuiError as exc:
                outcome = Outcome.UNKNOWN if lost else Outcome.NOT_CONFIRMED
                return ItemResult(outcome, f"{how}read-back failed: {exc}", request_id=rid)
            if still:
                outcome = Outcome.UNKNOWN if lost else Outcome.NOT_CONFIRMED
                return ItemResult(outcome, f"{how}getReportSchedule still finds it",
                                  request_id=rid)  # fmt: skip
            return ItemResult(Outcome.DONE, f"{how}deleted", request_id=rid)

        n = len(built.items)
        return assemble(
            built,
            account=self.account,
            governor=self.governor,
            operation="cancelReportSchedule",
            costs=[self.cost("cancelReportSchedule", n), self.cost("getReportSchedule", n)],
            run=run,
            title=f"Delete {plural(n, 'report schedule')}?",
            action_label=f"Delete {n}",
            verb="Deleting",
            notes=["Each is sent as cancelReportSchedule and read back with getReportSchedule."],
        )

    def replace_note(self, report_type: str, marketplaces: Sequence[str]) -> str:
        """What the create confirmation must say (spec §5.7)."""
        return (
            f"A schedule of {report_type} for {', '.join(marketplaces)} that already exists "
            "is cancelled and replaced by this one."
        )

    async def check_outcome(self, mutation: Mutation) -> ItemResult | None:
        if not self.mine(mutation):
            return None
        gone = not await self._exists(mutation.items[0])
        note = "getReportSchedule " + ("does not find it" if gone else "still finds it")
        return ItemResult(Outcome.DONE if gone else Outcome.FAILED, note)
