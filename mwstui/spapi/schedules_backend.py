"""The SP-API adapter for report schedules: listed by type, deleted by cancelReportSchedule.

A schedule created for a type and marketplaces that already has one replaces it (spec
§5.7): the create confirmation says so (``replace_note``) and names the one it replaces.
SP-API cannot change a schedule in place: a change is a new schedule (a new id) that
replaces the old one, and the form and the confirmation say so.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime, timedelta

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
from mwstui.errors import MwstuiError, NotFoundError, OutcomeUnknownError
from mwstui.journal.intents import intent_context
from mwstui.spapi import backend_records as records
from mwstui.spapi.backend import NOT_LISTED, SpapiBackend, offered_types

PAST_GRACE = timedelta(minutes=5)
"""A first run typed as "now" must survive the wait for a token (45 s a call)."""


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
        """Create, then read the new schedule back, and each it replaces (it must be gone)."""
        try:
            # The body is not journalled: what settles a lost answer at the next start
            # (``check_outcome``) is noted beside the intent.
            with intent_context(period=period, marketplaceIds=",".join(markets)):
                sent = await self.client.reports.create_schedule(
                    report_type, period, markets, next_report_creation_time=when
                )
        except OutcomeUnknownError:
            return await self._after_lost(report_type, period, markets)
        except (MwstuiError, ValueError) as exc:
            return result_of_error(exc)
        sid, rid = sent.data, sent.meta.request_id or ""
        try:
            got = records.schedule((await self.client.reports.get_schedule(sid)).data)
        except NotFoundError:
            note = f"created {sid}; getReportSchedule does not find it"
            return ItemResult(Outcome.NOT_CONFIRMED, note, request_id=rid)
        except MwstuiError as exc:
            note = f"created {sid}; read-back failed: {exc}"
            return ItemResult(Outcome.NOT_CONFIRMED, note, request_id=rid)
        if got.period != period or got.report_type != report_type:
            note = f"created {sid}; it reads back as {got.report_type} every {got.period}"
            return ItemResult(Outcome.NOT_CONFIRMED, note, request_id=rid)
        detail = f"created {sid} every {got.period}"
        try:
            left = [s.id for s in before if s.id != sid and await self._exists(s.id)]
        except MwstuiError as exc:
            note = f"{detail}; reading the replaced one failed: {exc}"
            return ItemResult(Outcome.NOT_CONFIRMED, note, request_id=rid)
        if left:
            note = f"{detail}; {', '.join(left)} still exists"
            return ItemResult(Outcome.NOT_CONFIRMED, note, request_id=rid)
        if before:
            detail += f"; replaced {', '.join(s.id for s in before)}"
        return ItemResult(Outcome.DONE, detail, request_id=rid)

    async def _after_lost(
        self, report_type: str, period: str, markets: Sequence[str]
    ) -> ItemResult:
        """No answer: a listed schedule of this type, marketplaces and period is the proof."""
        try:
            listed = await self.client.reports.list_schedules([report_type])
        except MwstuiError as exc:
            return ItemResult(Outcome.UNKNOWN, f"answer lost; read-back failed: {exc}")
        found = [records.schedule(s) for s in listed.data]
        wanted = frozenset(markets)
        match = [s for s in found if frozenset(s.marketplaces) == wanted and s.period == period]
        if match:
            return ItemResult(Outcome.DONE, f"answer lost; read back: {match[0].id} every {period}")
        return ItemResult(Outcome.UNKNOWN, "answer lost; getReportSchedules lists no such schedule")

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
        listed = await self.client.reports.list_schedules([rtype])
        found = [records.schedule(s) for s in listed.data]
        match = [s for s in found if frozenset(s.marketplaces) == markets and s.period == period]
        if match:
            return ItemResult(
                Outcome.DONE, f"getReportSchedules lists {match[0].id} every {period}"
            )
        shown = ", ".join(sorted(markets))
        note = f"getReportSchedules lists no {rtype} every {period} for {shown}"
        return ItemResult(Outcome.FAILED, note)
