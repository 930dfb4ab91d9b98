"""One seller's SP-API reports, schedules and documents, as plans read off the clock.

A report carries its plan (when processing starts, when it ends, how: ``DONE``,
``CANCELLED`` for no data, or ``FATAL``); its status is a function of time. Schedules
create reports when their ``nextReportCreationTime`` passes (``advance``). Nothing
runs in the background, so a FakeClock drives every test.
"""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from mwstui.sandbox import report_bodies
from mwstui.sandbox.sized_report import OPTION as SIZE_OPTION
from mwstui.sandbox.spapi.periods import add_period

IN_QUEUE, IN_PROGRESS, DONE = "IN_QUEUE", "IN_PROGRESS", "DONE"
CANCELLED, FATAL = "CANCELLED", "FATAL"
TERMINAL = frozenset({DONE, CANCELLED, FATAL})
RETENTION = 90 * 86400.0
"""Reports are kept 90 days (spec §5.2, §5.4)."""
MAX_CATCH_UP = 200
"""Reports a schedule creates at most when the clock jumps far ahead."""
GZIP = "GZIP"
DRAW = "<draw>"
"""``create(compression=DRAW)``: choose the compression as for a live report."""
JP_MARKETPLACE = "A1VC38T7YXB528"


@dataclass(slots=True)
class Report:
    """A report and its plan; ``status(now)`` is what getReport shows at ``now``."""

    report_id: str
    report_type: str
    marketplaces: tuple[str, ...]
    created: float
    data_start: float
    data_end: float
    starts: float
    completes: float
    outcome: str
    rows: int
    document_id: str | None
    compression: str | None
    charset: str
    options: dict[str, str] | None = None
    schedule_id: str | None = None
    cancelled_at: float | None = None

    def status(self, now: float) -> str:
        if self.cancelled_at is not None:
            return CANCELLED
        if now < self.starts:
            return IN_QUEUE
        if now < self.completes:
            return IN_PROGRESS
        return self.outcome

    def document(self, now: float) -> str | None:
        """The document id, once there is one (DONE, and some FATAL reports)."""
        return self.document_id if self.status(now) in (DONE, FATAL) else None


@dataclass(slots=True)
class Schedule:
    schedule_id: str
    report_type: str
    marketplaces: tuple[str, ...]
    period: str
    next_time: float
    options: dict[str, str] | None = None


@dataclass(slots=True)
class Plan:
    """How a new report will go (seconds already divided by the speed factor)."""

    queue: float
    work: float
    outcome: str
    rows: int
    compression: str | None
    fatal_document: bool = field(default=False)


class ReportsState:
    """Reports, schedules and document ids of one seller.

    Args:
        rng: drives ids and plans (seeded: runs are reproducible).
        speed: how much faster than real time reports progress.
        region: ``na``/``eu``/``fe``, the region segment of document ids.
    """

    def __init__(self, rng: random.Random, speed: float = 1.0, region: str = "na") -> None:
        self.rng = rng
        self.speed = max(speed, 1e-6)
        self.region = region.lower()
        self.reports: dict[str, Report] = {}
        self.schedules: dict[str, Schedule] = {}
        self.documents: dict[str, str] = {}
        """reportDocumentId → reportId."""
        self._report_seq = 50_000_000_000 + rng.randrange(10**9)
        self._schedule_seq = 50_000_000_000 + rng.randrange(10**9)

    # -- ids -------------------------------------------------------------------------------

    def _report_id(self) -> str:
        self._report_seq += self.rng.randrange(1_000, 900_000)
        return str(self._report_seq)

    def _schedule_id(self) -> str:
        self._schedule_seq += self.rng.randrange(1_000, 900_000)
        return str(self._schedule_seq)

    def _document_id(self) -> str:
        r = self.rng
        tail = "".join(r.choice(string.ascii_uppercase + string.digits) for _ in range(13))
        doc = f"amzn1.spdoc.1.4.{self.region}.{uuid.UUID(int=r.getrandbits(128), version=4)}"
        return f"{doc}.T{tail}.{r.randrange(100, 9999)}"

    # -- creation --------------------------------------------------------------------------

    def plan(self, report_type: str) -> Plan:
        """Queue delay, processing time, outcome, size and compression of a new report."""
        r = self.rng
        fam = report_bodies.family(report_type)
        rows = report_bodies.row_count(report_type, r)
        no_data = 0.25 if fam in ("orders", "returns") else 0.05
        roll = r.random()
        outcome = CANCELLED if roll < no_data else FATAL if roll < no_data + 0.03 else DONE
        # Most documents come gzipped; listings documents often do not (observed).
        plain = 0.6 if fam == "listings" else 0.15
        compression = None if r.random() < plain else GZIP
        queue = r.uniform(2.0, 8.0) / self.speed
        work = (4.0 + rows * r.uniform(0.05, 0.15)) / self.speed
        return Plan(queue, work, outcome, rows, compression, fatal_document=r.random() < 0.5)

    def create(
        self,
        report_type: str,
        marketplaces: Sequence[str],
        *,
        created: float,
        data_start: float | None = None,
        data_end: float | None = None,
        options: Mapping[str, str] | None = None,
        schedule_id: str | None = None,
        report_id: str | None = None,
        starts: float | None = None,
        completes: float | None = None,
        outcome: str | None = None,
        compression: str | None = DRAW,
        charset: str | None = None,
    ) -> Report:
        """Record a report; unspecified plan fields are drawn like a live one's.

        ``compression`` DRAW means "draw it like a live one"; None means a plain document.
        """
        p = self.plan(report_type)
        if options and SIZE_OPTION in options:
            # A sized report is streamed as it is made: plain, never gzipped.
            compression, charset = None, charset or "UTF-8"
        starts = created + p.queue if starts is None else starts
        completes = starts + p.work if completes is None else max(completes, starts)
        outcome = outcome or p.outcome
        has_doc = outcome == DONE or (outcome == FATAL and p.fatal_document)
        rep = Report(
            report_id=report_id or self._report_id(),
            report_type=report_type,
            marketplaces=tuple(marketplaces),
            created=created,
            data_start=created if data_start is None else data_start,
            data_end=created if data_end is None else data_end,
            starts=starts,
            completes=completes,
            outcome=outcome,
            rows=p.rows,
            document_id=self._document_id() if has_doc else None,
            compression=p.compression if compression == DRAW else compression,
            charset=charset or _charset(report_type, marketplaces),
            options=dict(options) if options else None,
            schedule_id=schedule_id,
        )
        self.reports[rep.report_id] = rep
        if rep.document_id is not None:
            self.documents[rep.document_id] = rep.report_id
        return rep

    # -- time ------------------------------------------------------------------------------

    def advance(self, now: float) -> None:
        """Let every due schedule create its reports."""
        for sched in list(self.schedules.values()):
            made = 0
            while sched.next_time <= now:
                if made < MAX_CATCH_UP:
                    due = sched.next_time
                    nxt = add_period(due, sched.period)
                    self.create(
                        sched.report_type,
                        sched.marketplaces,
                        created=due,
                        data_start=due - (nxt - due),
                        data_end=due,
                        options=sched.options,
                        schedule_id=sched.schedule_id,
                    )
                    made += 1
                sched.next_time = add_period(sched.next_time, sched.period)

    # -- queries and changes ----------------------------------------------------------------

    def find(
        self,
        *,
        types: Iterable[str] = (),
        statuses: Iterable[str] = (),
        marketplaces: Iterable[str] = (),
        since: float,
        until: float,
        now: float,
    ) -> list[Report]:
        """Matching reports, newest first (any listed marketplace matches)."""
        types_, statuses_, markets = set(types), set(statuses), set(marketplaces)
        found = [
            r
            for r in self.reports.values()
            if (not types_ or r.report_type in types_)
            and (not statuses_ or r.status(now) in statuses_)
            and (not markets or markets.intersection(r.marketplaces))
            and since <= r.created <= until
            and r.created <= now
        ]
        return sorted(found, key=lambda r: (r.created, r.report_id), reverse=True)

    def get(self, report_id: str, now: float) -> Report | None:
        """A report created in the last 90 days (older ones are no longer served)."""
        rep = self.reports.get(report_id)
        if rep is None or rep.created > now or rep.created < now - RETENTION:
            return None
        return rep

    def cancel(self, report: Report, now: float) -> bool:
        """Cancel ``report`` if it is still IN_QUEUE; False (and nothing changes) otherwise."""
        if report.status(now) != IN_QUEUE:
            return False
        report.cancelled_at = now
        return True

    def add_schedule(
        self,
        report_type: str,
        marketplaces: Sequence[str],
        period: str,
        next_time: float,
        options: Mapping[str, str] | None = None,
        schedule_id: str | None = None,
    ) -> tuple[Schedule, Schedule | None]:
        """Create a schedule; one with the same type and marketplaces is replaced (§5.7).

        Returns:
            The new schedule and the one it replaced (None when none was).
        """
        key = (report_type, frozenset(marketplaces))
        old = next(
            (
                s
                for s in self.schedules.values()
                if (s.report_type, frozenset(s.marketplaces)) == key
            ),
            None,
        )
        if old is not None:
            del self.schedules[old.schedule_id]
        sched = Schedule(
            schedule_id or self._schedule_id(),
            report_type,
            tuple(marketplaces),
            period,
            next_time,
            dict(options) if options else None,
        )
        self.schedules[sched.schedule_id] = sched
        return sched, old


def _charset(report_type: str, marketplaces: Sequence[str]) -> str:
    """The declared charset: Japanese reports windows-31j, listings Cp1252 (spec §5.10)."""
    if marketplaces and all(m == JP_MARKETPLACE for m in marketplaces):
        return "windows-31j"
    return "Cp1252" if report_bodies.family(report_type) == "listings" else "UTF-8"
