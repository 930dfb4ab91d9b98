"""One case per backend: how the contract suite lists, picks and plans on it.

Adding a backend to mwstui is adding a case here (and its sandbox) and making
``tests/contract`` pass. A case only says *where* things are in its service (which
operation mutates, which reads back, which demo rows can be acted on); the assertions
are the suite's and the same for every backend.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from mwstui.backend.actions import ActionPlan
from mwstui.backend.fulfillment_records import FulfillmentOrder
from mwstui.backend.models import MarketplaceOrder, OrderItem, ReportJob, Schedule
from mwstui.backend.protocols import Backend, Page
from mwstui.sandbox.mws.seed import default_seed
from mwstui.sandbox.spapi.demo import LATE_CANCEL, PARTIAL_CANCEL, demo_section
from tests.contract.rig import Rig, make_rig

Rows = Mapping[str, Any]


class Case:
    """How the suite drives one backend (override per backend)."""

    name = ""
    service = "mws"
    """Which session the case needs (``make_rig``): ``mws`` (with SellerCenter) or ``spapi``."""
    seed: dict[str, Any] | None = None
    """The sandbox seed (None: the demo)."""
    mutation = ""
    """The operation a plan sends."""
    read = ""
    """The operation that reads back an item after a lost answer."""
    record: type = object
    """The record type the listing yields."""
    min_pages = 1
    """Pages the demo data spans for ``listing``."""
    not_confirmed_reason = ""
    """Why this backend can never end an item "not confirmed" (empty: it can)."""
    request_ids = True
    """The service gives every answer a request id (SellerCenter: only feeds)."""

    def rig(self, workdir: Path, **options: Any) -> Rig:
        """A fresh session and sandbox for this case (``make_rig`` options)."""
        return make_rig(workdir, service=self.service, seed=self.seed, **options)

    def backend(self, rig: Rig) -> Backend:
        raise NotImplementedError

    def listing(self, rig: Rig) -> AsyncIterator[Page[Any]]:
        raise NotImplementedError

    async def rows(self, rig: Rig) -> dict[str, Any]:
        """What a panel holds when it plans: the rows by key."""
        found: dict[str, Any] = {}
        async for page in self.listing(rig):
            found.update((r.id, r) for r in page.rows)
        return found

    def actionable(self, rows: Rows) -> list[str]:
        """Keys a plan takes."""
        raise NotImplementedError

    def refused(self, rows: Rows) -> tuple[str, str] | None:
        """A key a plan skips for its state, and a fragment of the reason (None: no such rule)."""
        return None

    async def plan(self, rig: Rig, keys: Sequence[str], rows: Rows) -> ActionPlan:
        raise NotImplementedError

    def calls(self, n: int) -> int:
        """Calls a plan of ``n`` items makes, read-backs included."""
        return n

    async def arrange_not_confirmed(self, rig: Rig, rows: Rows) -> list[str]:
        """Keys whose next run ends "requested, not confirmed" (faults added if needed)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.name


def _status(rows: Rows, pred: Any) -> list[str]:
    return [k for k, r in rows.items() if pred(r.status)]


class MWSReportsCase(Case):
    name = "mws-reports"
    mutation = "CancelReportRequests"
    read = "GetReportRequestList"
    record = ReportJob
    min_pages = 4
    not_confirmed_reason = (
        "CancelReportRequests answers with each request's status: it is the state"
    )

    def backend(self, rig: Rig) -> Backend:
        assert rig.session.backends.reports is not None
        return rig.session.backends.reports

    def listing(self, rig: Rig) -> AsyncIterator[Page[Any]]:
        assert rig.session.backends.reports is not None
        return rig.session.backends.reports.list_jobs()

    def actionable(self, rows: Rows) -> list[str]:
        return _status(rows, lambda s: s.cancellable)

    def refused(self, rows: Rows) -> tuple[str, str] | None:
        return _status(rows, lambda s: str(s) == "_DONE_")[0], "status _DONE_"

    async def plan(self, rig: Rig, keys: Sequence[str], rows: Rows) -> ActionPlan:
        assert rig.session.backends.reports is not None
        return rig.session.backends.reports.plan_cancel(keys, rows)

    def calls(self, n: int) -> int:
        return -(-n // 100)


class MWSSchedulesCase(Case):
    name = "mws-schedules"
    mutation = "ManageReportSchedule"
    read = "GetReportScheduleList"
    record = Schedule
    not_confirmed_reason = "ManageReportSchedule answers with the schedule as it now is"

    def backend(self, rig: Rig) -> Backend:
        assert rig.session.backends.schedules is not None
        return rig.session.backends.schedules

    def listing(self, rig: Rig) -> AsyncIterator[Page[Any]]:
        assert rig.session.backends.schedules is not None
        return rig.session.backends.schedules.list_schedules()

    def actionable(self, rows: Rows) -> list[str]:
        return list(rows)

    async def plan(self, rig: Rig, keys: Sequence[str], rows: Rows) -> ActionPlan:
        assert rig.session.backends.schedules is not None
        return rig.session.backends.schedules.plan_delete(keys, rows)


class MWSFulfillmentCase(Case):
    name = "mws-fulfillment"
    mutation = "CancelFulfillmentOrder"
    read = "GetFulfillmentOrder"
    record = FulfillmentOrder
    min_pages = 6

    def backend(self, rig: Rig) -> Backend:
        assert rig.session.backends.fulfillment is not None
        return rig.session.backends.fulfillment

    def listing(self, rig: Rig) -> AsyncIterator[Page[Any]]:
        assert rig.session.backends.fulfillment is not None
        return rig.session.backends.fulfillment.list_orders()

    def actionable(self, rows: Rows) -> list[str]:
        return _status(rows, lambda s: s.cancellable)

    def refused(self, rows: Rows) -> tuple[str, str] | None:
        key = _status(rows, lambda s: str(s) == "PROCESSING")[0]
        return key, "status PROCESSING, not RECEIVED or PLANNING"

    async def plan(self, rig: Rig, keys: Sequence[str], rows: Rows) -> ActionPlan:
        assert rig.session.backends.fulfillment is not None
        return rig.session.backends.fulfillment.plan_cancel(keys, rows)

    def calls(self, n: int) -> int:
        return 2 * n  # each cancel is read back

    async def arrange_not_confirmed(self, rig: Rig, rows: Rows) -> list[str]:
        # Accepted, but no read can show what became of it.
        rig.fault(f"{self.read}:internal")
        return self.actionable(rows)[:1]


class SellerCenterCase(Case):
    name = "sellercenter-orders"
    mutation = "SetStatusToCanceled"
    read = "GetOrderItems"
    record = MarketplaceOrder
    min_pages = 2
    not_confirmed_reason = "SetStatusToCanceled is synchronous: its answer is the state"
    request_ids = False

    def backend(self, rig: Rig) -> Backend:
        assert rig.session.backends.orders is not None
        return rig.session.backends.orders

    def listing(self, rig: Rig) -> AsyncIterator[Page[Any]]:
        assert rig.session.backends.orders is not None
        since = rig.clock.now() - timedelta(days=365)
        return rig.session.backends.orders.list_orders(created_after=since)

    async def rows(self, rig: Rig) -> dict[str, Any]:
        """The items of the first orders: the unit a SellerCenter cancel acts on."""
        orders = rig.session.backends.orders
        assert orders is not None
        found: dict[str, OrderItem] = {}
        listed = [o async for page in self.listing(rig) for o in page.rows]
        # The newest orders are still pending, the oldest have moved on: take both.
        for order in listed[:6] + listed[-6:]:
            found.update((i.id, i) for i in await orders.order_items(order.id))
        return found

    def actionable(self, rows: Rows) -> list[str]:
        return _status(rows, lambda s: s.cancellable)

    def refused(self, rows: Rows) -> tuple[str, str] | None:
        key = _status(rows, lambda s: not s.cancellable)[0]
        return key, f"status {rows[key].status}, not pending"

    async def plan(self, rig: Rig, keys: Sequence[str], rows: Rows) -> ActionPlan:
        orders = rig.session.backends.orders
        assert orders is not None
        reason = (await orders.cancel_reasons())[0]  # as the reason picker offers them
        return orders.plan_cancel_items(keys, rows, reason, "contract test")


class SpapiReportsCase(Case):
    name = "spapi-reports"
    service = "spapi"
    mutation = "cancelReport"
    read = "getReport"
    record = ReportJob
    min_pages = 8  # one listing per 10 of the catalog's report types

    def backend(self, rig: Rig) -> Backend:
        assert rig.session.backends.reports is not None
        return rig.session.backends.reports

    def listing(self, rig: Rig) -> AsyncIterator[Page[Any]]:
        assert rig.session.backends.reports is not None
        return rig.session.backends.reports.list_jobs()

    def actionable(self, rows: Rows) -> list[str]:
        return _status(rows, lambda s: s.cancellable)

    def refused(self, rows: Rows) -> tuple[str, str] | None:
        return _status(rows, lambda s: str(s) == "DONE")[0], "status DONE, not IN_QUEUE"

    async def plan(self, rig: Rig, keys: Sequence[str], rows: Rows) -> ActionPlan:
        assert rig.session.backends.reports is not None
        return rig.session.backends.reports.plan_cancel(keys, rows)

    def calls(self, n: int) -> int:
        return 2 * n  # each cancel is read back

    async def arrange_not_confirmed(self, rig: Rig, rows: Rows) -> list[str]:
        # cancelReport answers 204 and nothing more: without a read, nothing is confirmed.
        rig.fault(f"{self.read}:internal")
        return self.actionable(rows)[:1]


class SpapiSchedulesCase(Case):
    name = "spapi-schedules"
    service = "spapi"
    mutation = "cancelReportSchedule"
    read = "getReportSchedule"
    record = Schedule
    min_pages = 2  # getReportSchedules takes 10 report types a call

    def backend(self, rig: Rig) -> Backend:
        assert rig.session.backends.schedules is not None
        return rig.session.backends.schedules

    def listing(self, rig: Rig) -> AsyncIterator[Page[Any]]:
        assert rig.session.backends.schedules is not None
        return rig.session.backends.schedules.list_schedules()

    def actionable(self, rows: Rows) -> list[str]:
        return list(rows)

    async def plan(self, rig: Rig, keys: Sequence[str], rows: Rows) -> ActionPlan:
        assert rig.session.backends.schedules is not None
        return rig.session.backends.schedules.plan_delete(keys, rows)

    def calls(self, n: int) -> int:
        return 2 * n  # each delete is read back

    async def arrange_not_confirmed(self, rig: Rig, rows: Rows) -> list[str]:
        rig.fault(f"{self.read}:internal")
        return self.actionable(rows)[:1]


class SpapiFulfillmentCase(Case):
    name = "spapi-fulfillment"
    service = "spapi"
    mutation = "cancelFulfillmentOrder"
    read = "getFulfillmentOrder"
    record = FulfillmentOrder
    min_pages = 3

    def backend(self, rig: Rig) -> Backend:
        assert rig.session.backends.fulfillment is not None
        return rig.session.backends.fulfillment

    def listing(self, rig: Rig) -> AsyncIterator[Page[Any]]:
        assert rig.session.backends.fulfillment is not None
        return rig.session.backends.fulfillment.list_orders()

    def actionable(self, rows: Rows) -> list[str]:
        # The demo's seeded cancels that do not take are kept for the "not confirmed" test.
        late = {LATE_CANCEL, PARTIAL_CANCEL}
        return [k for k in _status(rows, lambda s: s.cancellable) if k not in late]

    def refused(self, rows: Rows) -> tuple[str, str] | None:
        key = _status(rows, lambda s: str(s).lower() == "processing")[0]
        return key, f"status {rows[key].status}, not Received or Planning"

    async def plan(self, rig: Rig, keys: Sequence[str], rows: Rows) -> ActionPlan:
        assert rig.session.backends.fulfillment is not None
        return rig.session.backends.fulfillment.plan_cancel(keys, rows)

    def calls(self, n: int) -> int:
        return 2 * n  # each cancel is read back

    async def arrange_not_confirmed(self, rig: Rig, rows: Rows) -> list[str]:
        # No fault: the demo seeds an order picked before its cancel takes, and one
        # cancelled only in part; Amazon answers 200 to both.
        return [LATE_CANCEL, PARTIAL_CANCEL]


def _upper_seed() -> dict[str, Any]:
    seed = default_seed()
    seed["spapi"] = {**demo_section(), "status_case": "upper"}
    return seed


class SpapiFulfillmentUpperCase(SpapiFulfillmentCase):
    """Statuses spelt as the model's own examples (``RECEIVED``, ``COMPLETE_PARTIALLED``):
    the same rules must hold, compared case-insensitively (spec §6.3)."""

    name = "spapi-fulfillment-upper"
    seed = _upper_seed()

    async def rows(self, rig: Rig) -> dict[str, Any]:
        found = await super().rows(rig)
        assert all(str(o.status).isupper() for o in found.values()), "the seed's spelling"
        return found


CASES: list[Case] = [
    MWSReportsCase(),
    MWSSchedulesCase(),
    MWSFulfillmentCase(),
    SellerCenterCase(),
    SpapiReportsCase(),
    SpapiSchedulesCase(),
    SpapiFulfillmentCase(),
    SpapiFulfillmentUpperCase(),
]
