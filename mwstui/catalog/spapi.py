"""SP-API's facts: LWA, regions, marketplaces, operations, report types, enums and limits.

Read by ``mwstui.catalog.load_catalog`` (the one loader) into ``Catalog.spapi``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from mwstui.catalog import Throttle


@dataclass(frozen=True, slots=True)
class SpapiRegion:
    """An SP-API region: its production and sandbox hosts and its (historic SigV4) AWS region."""

    region: str
    name: str
    endpoint: str
    sandbox_endpoint: str
    aws_region: str


@dataclass(frozen=True, slots=True)
class SpapiMarketplace:
    """An Amazon marketplace as SP-API knows it; ``region`` picks the endpoint."""

    region: str
    country: str
    name: str
    marketplace_id: str


@dataclass(frozen=True, slots=True)
class SpapiOperation:
    """One SP-API operation: REST method and path template, default usage plan."""

    name: str
    api: str
    """``reports`` or ``fulfillment``."""
    version: str
    method: str
    path: str
    """Path template, e.g. ``/reports/2021-06-30/reports/{reportId}``."""
    rate: float
    """Default requests per second (the published usage plan)."""
    burst: int
    mutating: bool
    success_status: int
    envelope: str | None
    """Key that wraps a success body (``payload`` for Fulfillment Outbound) or None."""
    paged: bool = False
    sandbox_only: bool = False
    note: str | None = None

    @property
    def throttle(self) -> Throttle:
        """The default usage plan as a governor bucket (burst, one token per 1/rate s)."""
        from mwstui.catalog import Throttle  # the package imports this module first

        return Throttle(self.burst, 1.0 / self.rate)

    def url_path(self, **params: str) -> str:
        """The path with its ``{placeholders}`` filled, each value percent-encoded once."""
        return self.path.format(**{k: quote(v, safe="") for k, v in params.items()})


@dataclass(frozen=True, slots=True)
class SchedulePeriod:
    """A value of the SP-API ``period`` enum and the MWS schedule it replaces."""

    period: str
    interval_seconds: int
    mws: str | None
    calendar_month: bool = False
    """True for ``P1M``: a calendar month, ``interval_seconds`` is only its 30-day estimate."""


@dataclass(frozen=True, slots=True)
class SpapiReportType:
    type: str
    requestable: bool
    schedulable: bool
    note: str | None = None


def _fold_status(status: str) -> str:
    # The model's enum is PascalCase but its own examples are UPPER_CASE (spec §6.3).
    return status.replace("_", "").casefold()


@dataclass(frozen=True)
class SpapiCatalog:
    """SP-API facts: LWA, regions, marketplaces, operations, enums and limits."""

    lwa_endpoint: str
    lwa_token_path: str
    token_lifetime_seconds: int
    refresh_before_expiry_seconds: int
    regions: dict[str, SpapiRegion]
    marketplaces: tuple[SpapiMarketplace, ...]
    operations: dict[str, SpapiOperation]
    report_types: tuple[SpapiReportType, ...]
    schedule_periods: tuple[SchedulePeriod, ...]
    enums: dict[str, Any]
    limits: dict[str, int]

    def operation(self, name: str) -> SpapiOperation:
        """The operation called ``name`` (``getReports`` ...); KeyError if unknown."""
        return self.operations[name]

    def region(self, code: str) -> SpapiRegion:
        """The region ``NA``, ``EU`` or ``FE`` (case-insensitive); KeyError if unknown."""
        return self.regions[code.upper()]

    def marketplace(self, marketplace_id: str) -> SpapiMarketplace | None:
        """The marketplace with this id, or None: unknown ids stay opaque (spec §2)."""
        return next((m for m in self.marketplaces if m.marketplace_id == marketplace_id), None)

    def marketplaces_in(self, region: str) -> list[SpapiMarketplace]:
        return [m for m in self.marketplaces if m.region == region.upper()]

    def enum(self, name: str) -> list[str]:
        """An SP-API enumeration by name (``report_processing_status`` ...)."""
        return list(self.enums[name])

    def limit(self, key: str) -> int:
        """A documented limit, e.g. ``getReports.pageSize.max``."""
        return self.limits[key]

    def periods(self) -> list[str]:
        return [p.period for p in self.schedule_periods]

    def report_cancellable(self, status: str) -> bool:
        """Whether cancelReport accepts a report in ``status`` (only ``IN_QUEUE``)."""
        return status in self.enums["report_processing_status_cancellable"]

    def fulfillment_status(self, status: str) -> str | None:
        """The model's spelling of a fulfillment order status however it was cased, or None."""
        folded = _fold_status(status)
        return next(
            (s for s in self.enums["fulfillment_order_status"] if _fold_status(s) == folded), None
        )

    def fulfillment_cancellable(self, status: str) -> bool:
        """Whether an order in ``status`` may be cancelled (Received, Planning; any casing)."""
        folded = _fold_status(status)
        return any(
            _fold_status(s) == folded for s in self.enums["fulfillment_order_status_cancellable"]
        )

    def python_charset(self, declared: str) -> str:
        """The Python codec for a declared charset (``Cp1252``, ``windows-31j`` ...)."""
        name = declared.strip().strip('"').lower()
        return str(self.enums["charset_aliases"].get(name, name))

    @property
    def sandbox_throttle(self) -> Throttle:
        """Amazon's sandbox shares one plan across operations (5 req/s, burst 15)."""
        from mwstui.catalog import Throttle  # the package imports this module first

        t = self.enums["sandbox_throttle"]
        return Throttle(int(t["burst"]), 1.0 / float(t["rate"]))


def _spapi_operations(data: dict[str, Any]) -> dict[str, SpapiOperation]:
    return {
        name: SpapiOperation(
            name=name,
            api=data["key"],
            version=data["version"],
            method=spec["method"],
            path=spec["path"],
            rate=float(spec["rate"]),
            burst=int(spec["burst"]),
            mutating=spec["mutating"],
            success_status=spec["success_status"],
            envelope=data["envelope"],
            paged=spec.get("paged", False),
            sandbox_only=spec.get("sandbox_only", False),
            note=spec.get("note"),
        )
        for name, spec in data["operations"].items()
    }


def load_spapi(read: Callable[..., Any]) -> SpapiCatalog:
    """The SP-API facts, from the JSON files ``read(*path parts)`` returns parsed."""
    regions = read("spapi", "regions.json")
    enums = read("spapi", "enums.json")
    ops = _spapi_operations(read("spapi", "reports-2021-06-30.json"))
    ops |= _spapi_operations(read("spapi", "fulfillment-outbound-2020-07-01.json"))
    lwa = regions["lwa"]
    return SpapiCatalog(
        lwa_endpoint=lwa["endpoint"],
        lwa_token_path=lwa["token_path"],
        token_lifetime_seconds=lwa["token_lifetime_seconds"],
        refresh_before_expiry_seconds=lwa["refresh_before_expiry_seconds"],
        regions={r["region"]: SpapiRegion(**r) for r in regions["regions"]},
        marketplaces=tuple(SpapiMarketplace(**m) for m in regions["marketplaces"]),
        operations=ops,
        report_types=tuple(SpapiReportType(**t) for t in enums["report_types"]),
        schedule_periods=tuple(SchedulePeriod(**p) for p in enums["schedule_periods"]),
        enums=enums,
        limits=dict(enums["limits"]),
    )
