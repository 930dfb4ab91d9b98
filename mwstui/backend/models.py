"""Backend-neutral records: what every service's listings come to, whatever its wire types.

MWS, SellerCenter and SP-API name the same things differently (a report request is an
MWS ``ReportRequestId`` and an SP-API ``reportId``; a fulfillment order is ``PROCESSING``
in one and ``Processing`` in the other). The panels see only these records. Ids and
statuses keep the service's own spelling (a user quotes them to support), but what a
status *means* — can it be cancelled, will it change again, which colour — is carried by
``Status`` so no panel ever compares a service literal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class Tone(StrEnum):
    """How a status reads at a glance; the UI maps tones to colours, never literals."""

    PENDING = "pending"
    """Waiting to start (queued, received): still cancellable in most services."""
    ACTIVE = "active"
    """Being worked on."""
    SUCCESS = "success"
    """Ended as wanted."""
    EMPTY = "empty"
    """Ended with nothing to show (a report with no data)."""
    MUTED = "muted"
    """Cancelled or otherwise out of play."""
    WARNING = "warning"
    """Ended in part (partially shipped)."""
    ERROR = "error"
    """Failed, invalid, unfulfillable."""
    UNKNOWN = "unknown"
    """A value this version does not know: shown verbatim, flagged."""


@dataclass(frozen=True, slots=True)
class Status:
    """A service's status value and what it means.

    Attributes:
        value: verbatim, as the service sent it (``_SUBMITTED_``, ``IN_QUEUE``, ``pending``).
        tone: how it reads.
        cancellable: a cancel can still be sent for a record in this status.
        terminal: the record will not change any more.
        known: the service's catalog lists this value.
    """

    value: str
    tone: Tone = Tone.UNKNOWN
    cancellable: bool = False
    terminal: bool = False
    known: bool = False

    def __str__(self) -> str:
        return self.value


class StatusScheme:
    """Turns one service enumeration's values into ``Status`` records.

    The facts (which values exist, which can be cancelled, which are final) come from the
    service's catalog; the adapter adds the tones. Unknown values are kept verbatim, never
    cancellable, never terminal: a value invented tomorrow must not enable a cancel.

    Args:
        known: every value the catalog lists, in catalog order.
        cancellable: values a cancel accepts.
        terminal: values that never change again.
        tones: tone per value (unlisted known values read as ``ACTIVE``).
        fold_case: compare case-insensitively (SP-API: ``Processing`` vs ``PROCESSING``).
    """

    def __init__(
        self,
        known: Iterable[str],
        *,
        cancellable: Iterable[str] = (),
        terminal: Iterable[str] = (),
        tones: Mapping[str, Tone] | None = None,
        fold_case: bool = False,
    ) -> None:
        self.fold_case = fold_case
        self.known = tuple(known)
        # Lookups by folded key, built once: a listing classifies thousands of rows.
        self._known = {self._key(v) for v in self.known}
        self._cancellable = {self._key(v) for v in cancellable}
        self._terminal = {self._key(v) for v in terminal}
        self._tones = {self._key(k): t for k, t in (tones or {}).items()}

    def _key(self, value: str) -> str:
        return value.casefold() if self.fold_case else value

    def __call__(self, value: str | None) -> Status:
        """The ``Status`` of ``value`` (None or blank: an unknown, empty status)."""
        raw = value or ""
        key = self._key(raw)
        if key not in self._known:
            return Status(raw)
        return Status(
            value=raw,
            tone=self._tones.get(key, Tone.ACTIVE),
            cancellable=key in self._cancellable,
            terminal=key in self._terminal,
            known=True,
        )

    def cancellable_values(self) -> tuple[str, ...]:
        """The cancellable values in catalog order, for "status X, not A or B" reasons."""
        return tuple(v for v in self.known if self._key(v) in self._cancellable)

    def same(self, status: Status | str, value: str) -> bool:
        """Whether ``status`` is ``value`` in this service's comparison (case-folded or not)."""
        return self._key(str(status)) == self._key(value)


@dataclass(frozen=True, slots=True)
class StatusFilter:
    """The statuses a service can narrow a listing to (catalog order), and the one a list
    opens on (None: every status)."""

    values: tuple[str, ...]
    default: str | None = None


def join_or(values: Iterable[str]) -> str:
    """``RECEIVED or PLANNING``: how a reason names what would have been accepted."""
    return " or ".join(values)


# -- accounts --------------------------------------------------------------------------------


@dataclass(slots=True)
class AccountInfo:
    """Who and where a backend acts: restated in the header and every confirmation.

    Taken from the client that sends, never guessed: the confirmation must name the
    account that will actually be called. The session and its backends share one
    instance per service.
    """

    profile: str
    service: str
    """``mws``, ``sellercenter`` or ``spapi``: also the journal's service column."""
    seller: str
    """MWS seller id, SP-API selling partner id, or SellerCenter UserID."""
    marketplace: str
    """Marketplace id(s) or SellerCenter marketplace name."""
    host: str
    """Endpoint host (with port when not default)."""
    credential_source: str = ""
    """Where the secrets came from (``keyring``, ``env MWSTUI_...``, ``sandbox demo``)."""
    region: str = ""
    """SP-API region (``NA``, ``EU``, ``FE``); empty for the other services."""


# -- reports -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportJob:
    """A report being made: an MWS report request, an SP-API report.

    Attributes:
        id: the id a cancel takes (``ReportRequestId``, ``reportId``).
        document_id: where the result is, once done (``GeneratedReportId``,
            ``reportDocumentId``); None before, or when the service did not say.
    """

    id: str
    report_type: str
    status: Status
    requested_at: datetime | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    data_start: datetime | None = None
    data_end: datetime | None = None
    scheduled: bool = False
    document_id: str | None = None
    marketplaces: tuple[str, ...] = ()
    note: str = ""
    """What the status may mean here, when it is not what it says (SP-API ``CANCELLED``:
    cancelled, or no data to report); empty otherwise."""


@dataclass(frozen=True, slots=True)
class ReportDocument:
    """A finished report that can be downloaded.

    Attributes:
        acknowledged: None when the backend has no acknowledgements (SP-API).
    """

    id: str
    report_type: str
    job_id: str | None = None
    available_at: datetime | None = None
    acknowledged: bool | None = None
    acknowledged_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Schedule:
    """A report made again and again.

    Attributes:
        id: what a delete takes: the report type on MWS, ``reportScheduleId`` on SP-API.
        period: verbatim (``_1_DAY_``, ``PT5M``).
        period_seconds: the interval, when known.
    """

    id: str
    report_type: str
    period: str
    period_seconds: int | None = None
    next_run: datetime | None = None
    marketplaces: tuple[str, ...] = ()


# -- marketplace orders ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MarketplaceOrder:
    """A marketplace (SellerCenter) order. It has no status of its own: its items do."""

    id: str
    number: str = ""
    customer: str = ""
    price: Decimal | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    items_count: int | None = None
    statuses: tuple[Status, ...] = ()
    payment: str = ""


@dataclass(frozen=True, slots=True)
class OrderItem:
    """One item of a marketplace order: the unit that is cancelled."""

    id: str
    order_id: str
    status: Status
    name: str = ""
    sku: str = ""
    paid_price: Decimal | None = None
    currency: str = ""
    shipping_type: str = ""
    tracking_code: str = ""
    reason: str = ""
    reason_detail: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def label(self) -> str:
        """``123 · Desk lamp (SKU-1)``: how the item is restated in a confirmation."""
        return f"{self.id} · {self.name} ({self.sku})"


@dataclass(frozen=True, slots=True)
class CancelReason:
    """A reason a cancel may be sent with; ``name`` is sent verbatim."""

    name: str
    kind: str = ""
