"""The SP-API adapter for report schedules: listed by type, deleted by cancelReportSchedule.

A schedule created for a type and marketplaces that already has one replaces it (spec
§5.7): the create confirmation says so (``replace_note``) and names the one it replaces.
SP-API cannot change a schedule in place: a change is a new schedule (a new id) that
replaces the old one, and the form and the confirmation say so.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from mwstui.backend.actions import ActionPlan, PlanBuilder, assemble, plural
from mwstui.backend.models import Schedule
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.backend.paging import Pager
from mwstui.backend.protocols import Feature, Mutation, Page
from mwstui.backend.readback import send_then_read
from mwstui.backend.schedules import (
    Period,
    ScheduleRequest,
    ScheduleTerms,
    describe,
    kept_next_run,
)
from mwstui.calls import Result
from mwstui.catalog import load_catalog
from mwstui.errors import NotFoundError
from mwstui.journal.intents import intent_context
from mwstui.spapi import backend_records as records
from mwstui.spapi.backend import NOT_LISTED, SpapiBackend, offered_types

PAST_GRACE = timedelta(minutes=5)
"""A first run typed as "now" must survive the wait for a token (45 s a call)."""


def delete_result(still: Schedule | None, lost: bool) -> ItemResult:
    """How a cancelReportSchedule ended, from getReportSchedule after it (``read``: the
    schedule that is still there)."""
    how = "answer lost; " if lost else ""
    if still is None:
        return ItemResult(Outcome.DONE, f"{how}deleted")
    outcome = Outcome.UNKNOWN if lost else Outcome.NOT_CONFIRMED
    return ItemResult(outcome, f"{how}getReportSchedule still finds it", read=still)


@dataclass(frozen=True, slots=True)
class _Saved:
    """What the reads after a createReportSchedule saw."""

    sid: str
    """The new schedule's id (after a lost answer: the one listed, or empty)."""
    got: Schedule | None
    """It, as read back (None: not found)."""
    left: tuple[str, ...] = ()
    """Schedules it should have replaced that still exist."""


class SpapiSchedules(SpapiBackend):
    """Report schedules on SP-API: listed by type, deleted by cancelReportSchedule."""

    operations = ("getReportSchedules", "createReportSchedule", "cancelReportSchedule",
                  "getReportSchedule")  # fmt: skip
    mutations = frozenset({"cancelReportSchedule", "createReportSchedule"})
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
        pager: Pager[Schedule] = Pager()
        for n, chunk in enumerate(chunks, 1):
            result = await self.client.reports.list_schedules(chunk)
            rows = map(records.schedule, result.data)
            yield pager.page(rows, more=n < len(chunks), request_id=result.meta.request_id)

    async def _read(self, schedule_id: str) -> Schedule | None:
        """The schedule as getReportSchedule reads it, or None when it is not found."""
        try:
            return records.schedule((await self.client.reports.get_schedule(schedule_id)).data)
        except NotFoundError:
            return None

    async def _exists(self, schedule_id: str) -> bool:
        return await self._read(schedule_id) is not None

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
            return await send_then_read(
                lambda: self.client.reports.cancel_schedule(schedule_id),
                lambda sent: sent.meta.request_id,
                lambda _sent: self._read(schedule_id),
                delete_result,
            )

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

    # -- create (a change is a create that replaces) --------------------------------------------

    def schedule_terms(self) -> ScheduleTerms:
        """The catalog's schedulable types and ``period`` enum; the account's marketplaces
        ticked, the rest of its region offered (createReportSchedule takes 1 to 25)."""
        sp = load_catalog().spapi
        own = tuple(dict.fromkeys(self.client.marketplace_ids))
        in_region = sp.marketplaces_in(self.client.region.region)
        region = tuple(m.marketplace_id for m in in_region)
        labels = {m.marketplace_id: f"{m.country} {m.marketplace_id}" for m in in_region}
        return ScheduleTerms(
            report_types=tuple(offered_types("schedule")),
            periods=tuple(
                Period(p.period, p.interval_seconds, p.calendar_month) for p in sp.schedule_periods
            ),
            marketplaces=own + tuple(m for m in region if m not in own),
            default_marketplaces=own,
            marketplace_labels=labels,
            max_marketplaces=sp.limit("createReportSchedule.marketplaceIds.max"),
            changes_in_place=False,
            first_run_max_days=None,  # the model documents no limit
            type_field="reportType",
            period_field="period",
            first_run_field="nextReportCreationTime",
            marketplaces_field="marketplaceIds",
            # Unverified what Amazon does without nextReportCreationTime (spec §5.7).
            empty_first_run="no nextReportCreationTime: Amazon picks the first run",
            note="SP-API cannot change a schedule in place: saving creates one, and a "
            "schedule of the same type and marketplaces is cancelled and replaced by it.",
        )

    def check_schedule(self, request: ScheduleRequest) -> dict[str, str]:
        sp = load_catalog().spapi
        found: dict[str, str] = {}
        rtype = request.report_type.strip()
        known = {t.type: t for t in sp.report_types}.get(rtype)
        if not rtype:
            found["type"] = "reportType is required"
        elif known is None:
            found["type"] = f"reportType {rtype} is not a report type this app offers"
        elif not known.schedulable:
            found["type"] = f"reportType {rtype} cannot be scheduled"
        if not request.period:
            found["period"] = "period is required"
        elif request.period not in sp.periods():
            found["period"] = f"period {request.period} is not one of {', '.join(sp.periods())}"
        most = sp.limit("createReportSchedule.marketplaceIds.max")
        markets = request.marketplaces
        if not markets:
            found["marketplaces"] = "marketplaceIds: pick at least one marketplace"
        elif len(markets) > most:
            found["marketplaces"] = f"marketplaceIds: at most {most} marketplaces"
        elif bad := [m for m in markets if not m.isascii() or not m.isalnum()]:
            # Ids the catalog lacks stay opaque (spec §2): a listed schedule may name one.
            found["marketplaces"] = f"marketplaceIds: {bad[0]!r} is not a marketplace id"
        when = request.first_run
        if when is not None and when < self.client.clock.now() - PAST_GRACE:
            found["first_run"] = "nextReportCreationTime is in the past"
        return found

    def replaced(self, request: ScheduleRequest, rows: Mapping[str, Schedule]) -> list[Schedule]:
        """Listed schedules of the same type and the same set of marketplaces (§5.7)."""
        markets = frozenset(request.marketplaces)
        return [
            s
            for s in rows.values()
            if s.report_type == request.report_type and frozenset(s.marketplaces) == markets
        ]

    def plan_save(self, request: ScheduleRequest, rows: Mapping[str, Schedule]) -> ActionPlan:
        """createReportSchedule, read back with getReportSchedule, and each schedule it
        replaces read again (it must be gone)."""
        rtype, period, markets = request.report_type, request.period, request.marketplaces
        when = request.first_run or kept_next_run(request.changing, self.client.clock.now())
        before = self.replaced(request, rows)
        built = PlanBuilder()
        if problems := self.check_schedule(request):
            built.skip(rtype or "?", next(iter(problems.values())))
        else:
            at = f" · first run {when:%Y-%m-%d %H:%M} UTC" if when else ""
            built.take(rtype, f"{rtype} · every {period} · {', '.join(markets)}{at}")
        n = len(built.items)
        notes = ["Sent as createReportSchedule, read back with getReportSchedule."]
        if request.first_run is None and when is not None:
            kept = when.strftime("%Y-%m-%d %H:%M")
            notes.append(
                f"First run left empty: the current next run ({kept} UTC) is sent as "
                "nextReportCreationTime, so it does not move."
            )
        if request.changing is not None:
            notes.append(
                "SP-API cannot change a schedule in place: this creates a new one "
                "(a new id) that replaces it."
            )
        notes += [f"Replaces {describe(s)}: Amazon cancels it." for s in before]
        if not before:
            notes.append(self.replace_note(rtype, markets))

        async def run(report_type: str) -> ItemResult:
            return await self._create(report_type, period, markets, when, before)

        replacing = bool(before) or request.changing is not None
        return assemble(
            built,
            account=self.account,
            governor=self.governor,
            operation="createReportSchedule",
            costs=[
                self.cost("createReportSchedule", n),
                self.cost("getReportSchedule", n * (1 + len(before))),
            ],
            run=run,
            title=f"{'Replace' if replacing else 'Create'} report schedule?",
            action_label="Replace schedule" if replacing else "Create schedule",
            verb="Saving",
            notes=notes,
        )

    async def _create(
        self,
        report_type: str,
        period: str,
        markets: Sequence[str],
        when: datetime | None,
        before: Sequence[Schedule],
    ) -> ItemResult:
        """Create, then read the new schedule back, and each it replaces (it must be gone);
        after a lost answer, a listed schedule of this type, marketplaces and period is the
        proof."""

        async def send() -> Result[str]:
            # The body is not journalled: what settles a lost answer at the next start
            # (``check_outcome``) is noted beside the intent.
            with intent_context(period=period, marketplaceIds=",".join(markets)):
                return await self.client.reports.create_schedule(
                    report_type, period, markets, next_report_creation_time=when
                )

        async def read(sent: Result[str] | None) -> _Saved:
            if sent is None:
                match = await self._listed(report_type, period, markets)
                return _Saved(match.id if match else "", match)
            sid = sent.data
            got = await self._read(sid)
            if got is None:
                return _Saved(sid, None)
            left = [s.id for s in before if s.id != sid and await self._exists(s.id)]
            return _Saved(sid, got, tuple(left))

        def judge(saved: _Saved, lost: bool) -> ItemResult:
            return self._save_result(saved, lost, report_type, period, before)

        return await send_then_read(
            send, lambda sent: sent.meta.request_id, read, judge,
            accepted=lambda sent: f"created {sent.data}",
        )  # fmt: skip

    @staticmethod
    def _save_result(
        saved: _Saved, lost: bool, report_type: str, period: str, before: Sequence[Schedule]
    ) -> ItemResult:
        """How a createReportSchedule ended, from what the reads after it saw."""
        sid, got = saved.sid, saved.got
        if lost:
            if got is None:
                note = "answer lost; getReportSchedules lists no such schedule"
                return ItemResult(Outcome.UNKNOWN, note)
            return ItemResult(Outcome.DONE, f"answer lost; read back: {sid} every {period}",
                              read=got)  # fmt: skip
        if got is None:
            return ItemResult(
                Outcome.NOT_CONFIRMED, f"created {sid}; getReportSchedule does not find it"
            )
        if got.period != period or got.report_type != report_type:
            note = f"created {sid}; it reads back as {got.report_type} every {got.period}"
            return ItemResult(Outcome.NOT_CONFIRMED, note, read=got)
        detail = f"created {sid} every {got.period}"
        if saved.left:
            note = f"{detail}; {', '.join(saved.left)} still exists"
            return ItemResult(Outcome.NOT_CONFIRMED, note, read=got)
        if before:
            detail += f"; replaced {', '.join(s.id for s in before)}"
        return ItemResult(Outcome.DONE, detail, read=got)

    async def _listed(
        self, report_type: str, period: str, markets: Iterable[str]
    ) -> Schedule | None:
        """A listed schedule of this type, marketplaces and period, if there is one."""
        listed = await self.client.reports.list_schedules([report_type])
        wanted = frozenset(markets)
        found = (records.schedule(s) for s in listed.data)
        return next(
            (s for s in found if frozenset(s.marketplaces) == wanted and s.period == period), None
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
        if mutation.operation == "createReportSchedule":
            return await self._check_create(mutation)
        gone = not await self._exists(mutation.items[0])
        note = "getReportSchedule " + ("does not find it" if gone else "still finds it")
        return ItemResult(Outcome.DONE if gone else Outcome.FAILED, note)

    async def _check_create(self, mutation: Mutation) -> ItemResult | None:
        """A schedule of the type, marketplaces and period now listed is the proof."""
        period = mutation.context.get("period", "")
        markets = frozenset(m for m in mutation.context.get("marketplaceIds", "").split(",") if m)
        if not period or not markets:
            return None  # written before the context was noted: cannot tell
        rtype = mutation.items[0]
        match = await self._listed(rtype, period, markets)
        if match is not None:
            return ItemResult(Outcome.DONE, f"getReportSchedules lists {match.id} every {period}")
        shown = ", ".join(sorted(markets))
        note = f"getReportSchedules lists no {rtype} every {period} for {shown}"
        return ItemResult(Outcome.FAILED, note)
