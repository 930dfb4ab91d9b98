"""What a panel may ask of a backend, one protocol per capability.

Every backend says which account it acts for, which throttle buckets it spends, lists
its records page by page (an async iterator: rows can be shown after the first page),
plans its mutations (``plan_*`` → ``ActionPlan``), settles a mutation whose answer was
lost (``check_outcome``) and declares what it lacks (``features``). A new service is a
new adapter that passes ``tests/contract``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from mwstui.backend.actions import ActionPlan, Budget
from mwstui.backend.fulfillment_records import FulfillmentOrder, FulfillmentOrderDetail, Tracking
from mwstui.backend.models import (
    AccountInfo,
    CancelReason,
    MarketplaceOrder,
    OrderItem,
    ReportDocument,
    ReportJob,
    Schedule,
    StatusFilter,
)
from mwstui.backend.outcomes import ItemResult
from mwstui.backend.report_records import MarketplaceChoice, ReportRequest, SavedReport
from mwstui.backend.schedules import ScheduleRequest, ScheduleTerms

T = TypeVar("T")
Progress = Callable[[int, int | None], None]
"""Called with (bytes received, total bytes or None) while a report downloads."""
T_co = TypeVar("T_co", covariant=True)


class Feature(StrEnum):
    """Something a backend may lack; panels hide what their backend does not support."""

    CANCEL_JOBS = "cancel report jobs"
    REPORT_DOCUMENTS = "list of available reports"
    """A separate list of finished reports (MWS GetReportList; SP-API has one list)."""
    ACKNOWLEDGEMENTS = "acknowledge reports"
    DELETE_SCHEDULES = "delete schedules"
    SCHEDULE_REPLACES = "a new schedule replaces the type's schedule"
    CANCEL_FULFILLMENT = "cancel fulfillment orders"
    PACKAGE_TRACKING = "package tracking"
    CANCEL_ORDER_ITEMS = "cancel order items"
    CANCEL_REASONS = "cancel needs a reason"


@dataclass(frozen=True, slots=True)
class Page(Generic[T_co]):
    """One page of a listing.

    Attributes:
        rows: the records of this page (a record seen on an earlier page is not repeated).
        number: 1 for the first page.
        more: another page follows.
        total: every record the listing will return, when the service says.
        request_id: the service's id of the call that returned the page.
    """

    rows: tuple[T_co, ...]
    number: int = 1
    more: bool = False
    total: int | None = None
    request_id: str = ""


@dataclass(frozen=True, slots=True)
class Mutation:
    """A mutation the journal holds, as a backend is asked to settle it.

    Attributes:
        service: the journal's service (``mws``); matched with ``account.service``.
        account: the seller or user it acted for; matched with ``account.seller``.
        operation: the catalog operation (``CancelFulfillmentOrder``).
        items: the ids it acted on.
        params: its parameters, secrets masked.
        context: what the journal noted beside the call to settle it later (the order
            of a SellerCenter item: ``OrderId``).
    """

    service: str
    account: str
    operation: str
    items: tuple[str, ...] = ()
    params: Mapping[str, str] = field(default_factory=dict)
    context: Mapping[str, str] = field(default_factory=dict)


class Backend(Protocol):
    """What every capability shares."""

    @property
    def operations(self) -> tuple[str, ...]:
        """The operations it calls, its listing first (budget rows, the wait a load shows)."""
        ...

    @property
    def account(self) -> AccountInfo:
        """Who this backend acts for."""
        ...

    @property
    def features(self) -> frozenset[Feature]:
        """What it supports; anything absent is hidden by the panels."""
        ...

    @property
    def settles(self) -> frozenset[str]:
        """The mutating operations whose lost answer ``check_outcome`` can settle."""
        ...

    def budgets(self) -> tuple[Budget, ...]:
        """Every bucket the backend's operations spend (for the budget panel)."""
        ...

    def budget(self, operation: str) -> Budget:
        """The bucket ``operation`` spends (KeyError for an operation it does not call)."""
        ...

    async def check_outcome(self, mutation: Mutation) -> ItemResult | None:
        """Did it happen? Read back what ``mutation`` acted on.

        Returns:
            ``done`` when the read shows it took effect, ``failed`` when it shows it did
            not (or cannot any more), ``not confirmed`` for a part or a state that may yet
            change; None when this backend cannot tell (another account, an operation it
            does not settle), so the entry stays pending.

        Raises:
            MwstuiError: the read failed; try again at the next start.
        """
        ...


class ReportsBackend(Backend, Protocol):
    """Report jobs (requests) and, where the service has them, available reports."""

    @property
    def job_operations(self) -> tuple[str, ...]:
        """What the jobs list and its actions call (the budget rows while it is shown)."""
        ...

    @property
    def document_operations(self) -> tuple[str, ...]:
        """What the available-reports list calls (empty without ``REPORT_DOCUMENTS``)."""
        ...

    def job_statuses(self) -> tuple[tuple[str, str], ...]:
        """``(value, label)`` of every job status, in the service's order (the filter)."""
        ...

    def report_types(self, purpose: str = "request") -> tuple[str, ...]:
        """The report types offered for ``purpose`` (``request``, ``filter``, ``schedule``)."""
        ...

    def report_type_problem(self, value: str, purpose: str = "request") -> str | None:
        """Why ``value`` is refused for ``purpose`` (one line), or None."""
        ...

    def marketplace_choices(self) -> tuple[MarketplaceChoice, ...]:
        """The marketplaces a report may be requested for, the account's preselected."""
        ...

    async def request_report(self, request: ReportRequest) -> str:
        """Ask for a new report; returns the new job's id.

        Raises:
            MwstuiError: refused locally (nothing sent) or by the service.
        """
        ...

    def downloadable(self, job: ReportJob) -> bool:
        """Whether ``job`` has (or should have) a report to download."""
        ...

    async def document_for(self, job: ReportJob) -> str | None:
        """The id of ``job``'s report, read from the service when the listing did not say;
        None when it has none."""
        ...

    async def download(
        self, document_id: str, dest: Path, *, progress: Progress | None = None
    ) -> SavedReport:
        """Save a finished report to ``dest``, checked, never leaving a partial file.

        Raises:
            MwstuiError: the download failed or the check did not pass (no file left).
        """
        ...

    def list_jobs(
        self,
        *,
        report_types: Sequence[str] = (),
        statuses: Sequence[str] = (),
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> AsyncIterator[Page[ReportJob]]:
        """Report jobs, page by page, newest first as the service orders them."""
        ...

    def list_documents(
        self, *, acknowledged: bool | None = None, report_types: Sequence[str] = ()
    ) -> AsyncIterator[Page[ReportDocument]]:
        """Finished reports (``Feature.REPORT_DOCUMENTS``), page by page."""
        ...

    def plan_cancel(self, keys: Sequence[str], rows: Mapping[str, ReportJob]) -> ActionPlan:
        """Plan cancelling the jobs ``keys`` (as last listed in ``rows``)."""
        ...

    def plan_acknowledge(
        self, keys: Sequence[str], rows: Mapping[str, ReportDocument], value: bool
    ) -> ActionPlan:
        """Plan (un)acknowledging reports (``Feature.ACKNOWLEDGEMENTS``)."""
        ...


class SchedulesBackend(Backend, Protocol):
    """Report schedules."""

    def list_schedules(self, *, report_types: Sequence[str] = ()) -> AsyncIterator[Page[Schedule]]:
        """Schedules, page by page."""
        ...

    def plan_delete(self, keys: Sequence[str], rows: Mapping[str, Schedule]) -> ActionPlan:
        """Plan deleting the schedules ``keys``."""
        ...

    def schedule_terms(self) -> ScheduleTerms:
        """What the schedule form offers: types, periods, marketplaces, how changes work."""
        ...

    def check_schedule(self, request: ScheduleRequest) -> dict[str, str]:
        """What is wrong with ``request`` before anything is sent.

        Returns:
            ``type``, ``period``, ``marketplaces`` or ``first_run`` → one line naming the
            service's field; empty when it can be sent.
        """
        ...

    def replaced(self, request: ScheduleRequest, rows: Mapping[str, Schedule]) -> list[Schedule]:
        """The listed schedules that saving ``request`` replaces (or changes in place)."""
        ...

    def plan_save(self, request: ScheduleRequest, rows: Mapping[str, Schedule]) -> ActionPlan:
        """Plan creating (or changing) one schedule; its one item is the report type.

        The plan names the schedule it replaces, and its run reads the result back.
        """
        ...


class FulfillmentBackend(Backend, Protocol):
    """Multi-channel fulfillment orders."""

    def order_statuses(self) -> tuple[str, ...]:
        """Every order status the service lists, in its order (the panel's status filter)."""
        ...

    def list_orders(
        self, *, since: datetime | None = None
    ) -> AsyncIterator[Page[FulfillmentOrder]]:
        """Orders changed since ``since`` (the service's default window when None)."""
        ...

    async def order_detail(self, order_id: str) -> FulfillmentOrderDetail:
        """One order with its items and shipments."""
        ...

    async def tracking(self, package_number: int) -> Tracking:
        """Where a package is (``Feature.PACKAGE_TRACKING``)."""
        ...

    def plan_cancel(self, keys: Sequence[str], rows: Mapping[str, FulfillmentOrder]) -> ActionPlan:
        """Plan cancelling orders; each cancel is read back."""
        ...


class OrdersBackend(Backend, Protocol):
    """Marketplace orders and their items."""

    @property
    def status_filter(self) -> StatusFilter:
        """The statuses ``list_orders`` can be narrowed to, and the one a list opens on."""
        ...

    @property
    def detail_limit(self) -> int:
        """The longest cancel detail (free text) accepted."""
        ...

    def check_reason(self, reason: str | None, offered: Sequence[CancelReason]) -> str | None:
        """Why ``reason`` cannot be sent with a cancel, or None (one line, for its field)."""
        ...

    def check_detail(self, detail: str) -> str | None:
        """Why ``detail`` cannot be sent with a cancel, or None (one line, for its field)."""
        ...

    def list_orders(
        self, *, status: str | None = None, created_after: datetime | None = None
    ) -> AsyncIterator[Page[MarketplaceOrder]]:
        """Orders, page by page."""
        ...

    async def order_items(self, order_id: str) -> tuple[OrderItem, ...]:
        """The items of one order."""
        ...

    async def cancel_reasons(self) -> tuple[CancelReason, ...]:
        """The reasons a cancel may give (``Feature.CANCEL_REASONS``)."""
        ...

    def plan_cancel_items(
        self,
        keys: Sequence[str],
        rows: Mapping[str, OrderItem],
        reason: CancelReason | None,
        detail: str | None = None,
    ) -> ActionPlan:
        """Plan cancelling order items with ``reason`` (None: not chosen yet)."""
        ...
