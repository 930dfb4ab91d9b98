"""One seller's Reports data: requests that progress over time, reports, schedules.

Nothing runs in the background. A request carries its plan (when processing starts,
when it completes, how it ends); its status is read off the clock whenever asked, and
``advance(now)`` turns completed requests into downloadable reports and lets due
schedules submit their requests. Tests move a FakeClock; the demo uses real time.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mwstui.catalog import load_catalog
from mwstui.sandbox import report_bodies

SUBMITTED, IN_PROGRESS, CANCELLED = "_SUBMITTED_", "_IN_PROGRESS_", "_CANCELLED_"
DONE, DONE_NO_DATA, NEVER = "_DONE_", "_DONE_NO_DATA_", "_NEVER_"
SCHEDULE_LAG = 30.0
"""Seconds (before speed-up) between a schedule falling due and its request appearing."""
MAX_CATCH_UP = 200
"""Scheduled requests submitted at most per schedule when the clock jumps far ahead."""


@dataclass(slots=True)
class ReportRequest:
    """A report request and its plan; status is a function of time."""

    request_id: str
    report_type: str
    submitted: float
    start_date: float
    end_date: float
    scheduled: bool
    starts: float
    completes: float
    outcome: str
    report_id: str | None
    rows: int
    cancelled_at: float | None = None
    options: str | None = None
    marketplaces: tuple[str, ...] = ()
    lists_report_id: bool = True
    """False: listed ``_DONE_`` without a GeneratedReportId, as the docs allow; its report
    is then found only with GetReportList filtered by ReportRequestIdList."""

    def status(self, now: float) -> str:
        if self.cancelled_at is not None:
            return CANCELLED
        if now < self.starts:
            return SUBMITTED
        if now < self.completes:
            return IN_PROGRESS
        return self.outcome

    def started_processing(self, now: float) -> float | None:
        if self.cancelled_at is not None or now < self.starts:
            return None
        return self.starts

    def completed(self, now: float) -> float | None:
        if self.cancelled_at is not None or now < self.completes:
            return None
        return self.completes

    def generated_report_id(self, now: float) -> str | None:
        if not self.lists_report_id:
            return None
        return self.report_id if self.status(now) == DONE else None


@dataclass(slots=True)
class Report:
    """A downloadable report."""

    report_id: str
    report_type: str
    request_id: str | None
    available: float
    rows: int
    acknowledged: bool = False
    acknowledged_date: float | None = None


@dataclass(slots=True)
class Schedule:
    """A report schedule: ``next_date`` is the next ScheduledDate."""

    report_type: str
    schedule: str
    next_date: float


class IdSource:
    """Ids shaped like the recorded ones: 11-digit request ids, 17-digit report ids."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._shard = rng.randrange(10_000, 99_999)
        self._request_seq = 51_000 + rng.randrange(700)
        self._report_seq = 20_000_000_000 + rng.randrange(10**9)

    def request_id(self) -> str:
        self._request_seq += 1
        return f"{self._request_seq:05d}0{self._shard:05d}"

    def report_id(self) -> str:
        self._report_seq += self._rng.randrange(1_000_000, 90_000_000)
        return f"{self._report_seq:011d}0{self._shard:05d}"


class ReportsState:
    """Requests, reports and schedules of one seller.

    Args:
        rng: drives ids, plans and outcomes (seeded: runs are reproducible).
        speed: how much faster than real time requests progress.
    """

    def __init__(self, rng: random.Random, speed: float = 1.0) -> None:
        self.rng = rng
        self.speed = max(speed, 1e-6)
        self.ids = IdSource(rng)
        self.requests: dict[str, ReportRequest] = {}
        self.reports: dict[str, Report] = {}
        self.schedules: dict[str, Schedule] = {}
        self._unreported: set[str] = set()
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        catalog = load_catalog()
        self.intervals = catalog.schedules
        self.report_types = {t.type: t for t in catalog.report_types}

    # -- creation ------------------------------------------------------------------------

    def plan(self, report_type: str) -> tuple[float, float, str, int]:
        """Queue delay, processing time (both sped up), outcome and size of a new request."""
        fam = report_bodies.family(report_type)
        rows = report_bodies.row_count(report_type, self.rng)
        queue = self.rng.uniform(2.0, 8.0)
        work = 4.0 + rows * self.rng.uniform(0.05, 0.15)
        no_data = 0.25 if fam in ("orders", "returns") else 0.05
        outcome = DONE_NO_DATA if self.rng.random() < no_data else DONE
        return queue / self.speed, work / self.speed, outcome, rows

    def add_request(
        self,
        report_type: str,
        *,
        submitted: float,
        start_date: float | None = None,
        end_date: float | None = None,
        scheduled: bool = False,
        options: str | None = None,
        marketplaces: Sequence[str] = (),
        request_id: str | None = None,
        report_id: str | None = None,
        starts: float | None = None,
        completes: float | None = None,
        outcome: str | None = None,
    ) -> ReportRequest:
        """Record a request; unspecified plan fields are drawn like a live one's."""
        queue, work, planned_outcome, rows = self.plan(report_type)
        starts = submitted + queue if starts is None else starts
        completes = starts + work if completes is None else max(completes, starts)
        outcome = outcome or planned_outcome
        req = ReportRequest(
            request_id=request_id or self.ids.request_id(),
            report_type=report_type,
            submitted=submitted,
            start_date=submitted if start_date is None else start_date,
            end_date=submitted if end_date is None else end_date,
            scheduled=scheduled,
            starts=starts,
            completes=completes,
            outcome=outcome,
            report_id=(report_id or self.ids.report_id()) if outcome == DONE else None,
            rows=rows,
            options=options,
            marketplaces=tuple(marketplaces),
        )
        self.requests[req.request_id] = req
        self._unreported.add(req.request_id)
        return req

    # -- time ------------------------------------------------------------------------------

    def advance(self, now: float) -> None:
        """Let schedules submit what is due, and publish the reports of finished requests."""
        for sched in self.schedules.values():
            self._run_schedule(sched, now)
        for rid in list(self._unreported):
            req = self.requests[rid]
            if req.cancelled_at is not None or (now >= req.completes and req.outcome != DONE):
                self._unreported.discard(rid)
            elif now >= req.completes and req.report_id is not None:
                self._unreported.discard(rid)
                self.reports.setdefault(
                    req.report_id,
                    Report(req.report_id, req.report_type, rid, req.completes, req.rows),
                )

    def _run_schedule(self, sched: Schedule, now: float) -> None:
        interval = self.intervals.get(sched.schedule)
        if not interval:
            return
        lag = SCHEDULE_LAG / self.speed
        spawned = 0
        while sched.next_date + lag <= now:
            if spawned < MAX_CATCH_UP:
                due = sched.next_date
                self.add_request(
                    sched.report_type,
                    submitted=due + lag,
                    start_date=due - interval,
                    end_date=due,
                    scheduled=True,
                )
                spawned += 1
            sched.next_date += interval

    # -- queries ---------------------------------------------------------------------------

    def find_requests(
        self,
        *,
        ids: Sequence[str] = (),
        types: Iterable[str] = (),
        statuses: Iterable[str] = (),
        since: float | None = None,
        until: float | None = None,
        now: float,
    ) -> list[ReportRequest]:
        """Matching requests, newest first; an id list overrides every other filter."""
        if ids:
            found = [self.requests[i] for i in dict.fromkeys(ids) if i in self.requests]
        else:
            types_, statuses_ = set(types), set(statuses)
            found = [
                r
                for r in self.requests.values()
                if (not types_ or r.report_type in types_)
                and (not statuses_ or r.status(now) in statuses_)
                and (since is None or r.submitted >= since)
                and (until is None or r.submitted <= until)
                and r.submitted <= now
            ]
        return sorted(found, key=lambda r: (r.submitted, r.request_id), reverse=True)

    def cancel(self, requests: Iterable[ReportRequest], now: float) -> None:
        """Cancel those still ``_SUBMITTED_``; the others are left as they are."""
        for r in requests:
            if r.status(now) == SUBMITTED:
                r.cancelled_at = now

    def find_reports(
        self,
        *,
        request_ids: Sequence[str] = (),
        types: Iterable[str] = (),
        acknowledged: bool | None = None,
        since: float | None = None,
        until: float | None = None,
        now: float,
    ) -> list[Report]:
        """Matching available reports, newest first; request ids override other filters."""
        if request_ids:
            wanted = set(request_ids)
            found = [r for r in self.reports.values() if r.request_id in wanted]
        else:
            types_ = set(types)
            found = [
                r
                for r in self.reports.values()
                if (not types_ or r.report_type in types_)
                and (acknowledged is None or r.acknowledged == acknowledged)
                and (since is None or r.available >= since)
                and (until is None or r.available <= until)
            ]
        found = [r for r in found if r.available <= now]
        return sorted(found, key=lambda r: (r.available, r.report_id), reverse=True)

    def acknowledge(self, report_ids: Sequence[str], value: bool, now: float) -> list[Report]:
        """Set ``Acknowledged`` on the known reports among ``report_ids`` (in that order)."""
        done: list[Report] = []
        for rid in dict.fromkeys(report_ids):
            rep = self.reports.get(rid)
            if rep is None or rep.available > now:
                continue
            rep.acknowledged = value
            rep.acknowledged_date = now if value else None
            done.append(rep)
        return done

    def body(self, report: Report) -> bytes:
        """The report's bytes (rendered once, then kept for a while)."""
        data = self._bodies.get(report.report_id)
        if data is None:
            data = report_bodies.render(
                report.report_id, report.report_type, report.available, report.rows
            )
            self._bodies[report.report_id] = data
            while len(self._bodies) > 64:
                self._bodies.popitem(last=False)
        return data

    # -- schedules -------------------------------------------------------------------------

    def manage_schedule(
        self, report_type: str, schedule: str, when: float | None, now: float
    ) -> list[Schedule]:
        """Create, update (new frequency) or delete (``_NEVER_``) the type's schedule.

        Returns:
            The schedules affected (a deleted one is returned with ``_NEVER_``).
        """
        existing = self.schedules.get(report_type)
        if schedule == NEVER:
            if existing is None:
                return []
            del self.schedules[report_type]
            return [Schedule(report_type, NEVER, existing.next_date)]
        # Only one of the two Seller Central order reports may be scheduled at a time.
        rival = {"_GET_ORDERS_DATA_": "_GET_FLAT_FILE_ORDERS_DATA_"}
        rival.update({v: k for k, v in rival.items()})
        if report_type in rival:
            self.schedules.pop(rival[report_type], None)
        if existing is not None and when is None:
            when = existing.next_date if existing.schedule == schedule else now
        sched = Schedule(report_type, schedule, now if when is None else when)
        self.schedules[report_type] = sched
        return [sched]

    def find_schedules(self, types: Iterable[str] = ()) -> list[Schedule]:
        types_ = set(types)
        return [s for s in self.schedules.values() if not types_ or s.report_type in types_]
