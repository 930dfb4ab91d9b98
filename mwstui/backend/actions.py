"""An action plan: what a confirmed run will do, to which account, at what cost, and how.

A backend builds the plan (which items can be acted on, which are skipped and why, how
many calls including read-backs, which throttle buckets they spend); the confirmation
dialog restates it; the run dialog calls ``plan.run`` once per item and shows the
``ItemResult`` it returns. The UI adds nothing to it and takes nothing away.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from mwstui.backend.models import AccountInfo, Status
from mwstui.backend.outcomes import ItemResult, Outcome
from mwstui.catalog import Throttle
from mwstui.errors import ApiError, MwstuiError, OutcomeUnknownError, ReadOnlyError
from mwstui.throttle.budget import BucketKey
from mwstui.throttle.governor import Governor

_log = logging.getLogger(__name__)

NOT_LISTED = "not in the list any more: refresh"
"""Why a picked key is skipped when the panel's rows no longer hold it."""

ItemRun = Callable[[str], Awaitable[ItemResult]]
"""Runs one item of a plan, by key, and says truthfully how it ended (never raises for an
expected failure: that is a ``failed``, ``unknown`` or ``not sent`` result)."""


@dataclass(frozen=True, slots=True)
class Budget:
    """The throttle bucket one operation spends, and its modelled limits."""

    operation: str
    key: BucketKey
    throttle: Throttle


@dataclass(frozen=True, slots=True)
class CallCost:
    """How many calls of one operation a plan makes (at most: read-backs included)."""

    budget: Budget
    calls: int


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One item a plan acts on: its key (what is sent) and how it is restated."""

    key: str
    label: str
    note: str = ""
    """What the item is, restated beside it (a report request's report type)."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """An item the user picked that the plan leaves out, and why."""

    key: str
    label: str
    reason: str


@dataclass(frozen=True)
class ActionPlan:
    """A mutating run, planned and costed, waiting for the user's yes.

    Attributes:
        title: what the dialog asks (``Cancel 3 fulfillment orders``).
        operation: the mutating operation (catalog name), as the journal records it.
        account: who is acted for: taken from the backend that sends.
        items: what will be acted on, in order.
        skipped: what will not, each with the reason.
        costs: calls per operation and bucket, read-backs included.
        expected_seconds: how long the governor's model says the calls take from now.
        run: acts on one item (by key) and returns its result.
        action_label: the dangerous button (``Cancel 3 orders``).
        safe_label: the safe, default button (``Keep orders``).
        notes: extra lines of ours (``each order is read back``).
        verb: what the run screen says it is doing (``Cancelling``).
    """

    title: str
    operation: str
    account: AccountInfo
    items: tuple[PlanItem, ...]
    skipped: tuple[Skipped, ...]
    costs: tuple[CallCost, ...]
    expected_seconds: float
    run: ItemRun
    action_label: str = "Confirm"
    safe_label: str = "Back"
    notes: tuple[str, ...] = ()
    verb: str = "Running"

    @property
    def calls(self) -> int:
        """Every call the run may make, read-backs included."""
        return sum(c.calls for c in self.costs)

    @property
    def empty(self) -> bool:
        """Nothing can be acted on (everything picked was skipped, or nothing was picked)."""
        return not self.items

    @property
    def budget(self) -> Budget | None:
        """The bucket of the mutating operation: the one a run waits on first."""
        return next((c.budget for c in self.costs if c.budget.operation == self.operation), None)

    def keys(self) -> list[str]:
        """The item keys, in order."""
        return [i.key for i in self.items]


@dataclass
class PlanBuilder:
    """Collects items and skips for a plan, in the order the user picked them."""

    items: list[PlanItem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def take(self, key: str, label: str | None = None, note: str = "") -> None:
        self.items.append(PlanItem(key, label if label is not None else key, note))

    def skip(self, key: str, reason: str, label: str | None = None) -> None:
        self.skipped.append(Skipped(key, label if label is not None else key, reason))

    def by_status(
        self,
        keys: Sequence[str],
        rows: Mapping[str, HasStatus],
        allowed: str,
        *,
        unavailable: str | None = None,
        moved_on: str = "",
    ) -> None:
        """Take the picked rows whose status can still be cancelled; skip the rest, why.

        Each key once, in the order picked. A status the service's catalog does not list
        is never acted on (a value invented tomorrow must not enable a cancel).

        Args:
            keys: what the user picked.
            rows: the rows the panel holds, by key.
            allowed: the statuses that can be cancelled, as a reason names them.
            unavailable: why nothing can be cancelled here at all (None: it can).
            moved_on: added to the reason of a known status that cannot be cancelled.
        """
        for key in dict.fromkeys(keys):
            row = rows.get(key)
            if row is None:
                self.skip(key, NOT_LISTED)
            elif unavailable is not None:
                self.skip(key, unavailable)
            elif row.status.cancellable:
                self.take(key)
            elif not row.status.known:
                self.skip(key, f"unknown status {row.status}: not cancelled")
            else:
                self.skip(key, f"status {row.status}, not {allowed}{moved_on}")


class HasStatus(Protocol):
    """A listed record with a status (a report job, a fulfillment order)."""

    @property
    def status(self) -> Status: ...


def assemble(
    built: PlanBuilder,
    *,
    account: AccountInfo,
    governor: Governor,
    operation: str,
    costs: Sequence[CallCost],
    run: ItemRun,
    title: str,
    action_label: str,
    safe_label: str = "Back",
    verb: str = "Running",
    notes: Sequence[str] = (),
) -> ActionPlan:
    """An ``ActionPlan`` from what a backend collected, priced by the governor now."""
    return ActionPlan(
        title=title,
        operation=operation,
        account=account,
        items=tuple(built.items),
        skipped=tuple(built.skipped),
        costs=tuple(c for c in costs if c.calls),
        expected_seconds=expected_seconds(governor, costs),
        run=run,
        action_label=action_label,
        safe_label=safe_label,
        notes=tuple(notes),
        verb=verb,
    )


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``1 order``, ``3 orders``."""
    return f"{n} {noun if n == 1 else (many or noun + 's')}"


def expected_seconds(governor: Governor, costs: Sequence[CallCost]) -> float:
    """Seconds the calls of ``costs`` take from now by the governor's model.

    Calls to different buckets alternate (cancel, read back, cancel …), so they wait in
    parallel: the slowest bucket sets the pace, not the sum.
    """
    return max(
        (governor.estimate(c.budget.key, c.budget.throttle, c.calls) for c in costs if c.calls),
        default=0.0,
    )


def result_of_error(exc: BaseException, *, sent: bool | None = None) -> ItemResult:
    """What an item came to when its call (or the code around it) raised ``exc``.

    A lost answer is ``unknown``; a call refused before sending (read-only, a value
    checked locally, no connection, no token in time: an ``ApiError`` without an HTTP
    status) is ``not sent``; any answer that refused is ``failed`` with the service's code
    and request id. Anything else is a bug in mwstui: it is logged with its traceback
    (never shown) and, since nobody knows what it interrupted, is ``unknown`` (settled by a
    read at the next start) unless no call went out for the item (``not sent``).

    Args:
        exc: what was raised.
        sent: whether a call carrying the item went out, when the caller knows (the run
            dialog knows it from the journal's intents); None: not known. A refusal with
            an HTTP status but no call of the item's own came from another call (a
            read before it): the item was not sent.

    Raises:
        BaseException: ``exc`` itself when it is not an ``Exception`` (a cancellation,
            an exit): those are not the item's outcome.
    """
    if isinstance(exc, OutcomeUnknownError):
        return ItemResult(Outcome.UNKNOWN, _line(exc.message), exc.code, exc.request_id or "")
    if isinstance(exc, ApiError):
        # No HTTP status: nothing reached the service (local check, refused connection,
        # the governor would not wait that long).
        rid = exc.request_id or ""
        if exc.http_status is None:
            return ItemResult(Outcome.NOT_SENT, _line(exc.message), exc.code, rid)
        if sent is False:
            why = f"refused before sending: {_line(exc.message)}"
            return ItemResult(Outcome.NOT_SENT, why, exc.code, rid)
        return ItemResult(Outcome.FAILED, _line(exc.message), exc.code, rid)
    if isinstance(exc, ReadOnlyError):
        return ItemResult(Outcome.NOT_SENT, _line(str(exc)), "ReadOnly")
    if isinstance(exc, MwstuiError | ValueError):
        return ItemResult(Outcome.NOT_SENT, _line(str(exc)))
    if not isinstance(exc, Exception):
        raise exc
    _log.error("a run item failed on an unexpected error", exc_info=exc)
    what = f"internal error ({type(exc).__name__}), a bug in mwstui"
    if sent is False:
        return ItemResult(Outcome.NOT_SENT, f"{what}; nothing was sent", "InternalError")
    # Journalled as sent, the next start reads it back; otherwise only a refresh tells.
    then = "checked at the next start" if sent else "refresh to see"
    return ItemResult(Outcome.UNKNOWN, f"{what}; it may have been sent: {then}", "InternalError")


def _line(text: str, limit: int = 300) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"
