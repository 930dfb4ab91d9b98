"""The one loader of API facts: operations, throttles, endpoints and enumerations.

Everything that knows a quota, a path or an enum value reads it from here; the
facts themselves live as JSON under ``mwstui/data`` (sources cited inside).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote


@dataclass(frozen=True, slots=True)
class Throttle:
    """A token bucket: ``capacity`` burst, one token back every ``restore_seconds``."""

    capacity: int
    restore_seconds: float
    hourly_quota: int | None = None

    @property
    def rate(self) -> float:
        """Tokens restored per second."""
        return 1.0 / self.restore_seconds


@dataclass(frozen=True, slots=True)
class Operation:
    """One API operation and the facts a client, a governor and a simulator need."""

    name: str
    service: str
    """Catalog key of the section: ``reports``, ``fulfillment`` or ``sellercenter``."""
    path: str
    version: str
    throttle: Throttle
    bucket: str
    """Name of the throttle bucket; operations sharing one (ListAll + ByNextToken) share it."""
    mutating: bool
    method: str = "POST"
    next_token_operation: str | None = None
    """For a list operation: the ByNextToken partner that fetches further pages."""
    next_token_of: str | None = None
    """For a ByNextToken operation: the list operation it continues."""
    documented: bool = True
    note: str | None = None
    marketplaces: tuple[str, ...] | None = None
    """Country codes where the operation exists; None means every marketplace."""
    excluded_marketplaces: tuple[str, ...] = ()
    """Country codes where it does not exist (Fulfillment Outbound: ``BR``)."""


@dataclass(frozen=True, slots=True)
class Section:
    """An API section (Reports, Fulfillment Outbound, SellerCenter)."""

    key: str
    name: str
    path: str
    alt_paths: tuple[str, ...]
    version: str
    namespace: str
    page_size: int
    quota_headers: bool
    operations: dict[str, Operation] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Marketplace:
    """An Amazon marketplace and the MWS endpoint that serves it."""

    region: str
    country: str
    endpoint: str
    marketplace_id: str


@dataclass(frozen=True, slots=True)
class ReportType:
    type: str
    requestable: bool
    schedulable: bool
    format: str = "flat"
    """``flat`` (tab-delimited text) or ``xml``: what GetReport returns for it."""


@dataclass(frozen=True)
class Catalog:
    """All API facts, loaded once."""

    sections: dict[str, Section]
    marketplaces: tuple[Marketplace, ...]
    report_types: tuple[ReportType, ...]
    schedules: dict[str, int | None]
    """Schedule enum → interval in seconds (``_NEVER_`` → None)."""
    mws_enums: dict[str, Any]
    sellercenter: dict[str, Any]
    spapi: SpapiCatalog
    """Selling Partner API facts (``mwstui/data/spapi``), apart from the MWS sections."""

    def operation(self, name: str) -> Operation:
        """The operation called ``name`` in any section; KeyError if unknown."""
        for section in self.sections.values():
            if name in section.operations:
                return section.operations[name]
        raise KeyError(name)

    def section_of(self, operation: str) -> Section:
        return self.sections[self.operation(operation).service]

    def operations(self, service: str | None = None) -> list[Operation]:
        """Every operation, or those of one section."""
        keys = [service] if service else list(self.sections)
        return [op for k in keys for op in self.sections[k].operations.values()]

    def marketplace(self, marketplace_id: str) -> Marketplace | None:
        return next((m for m in self.marketplaces if m.marketplace_id == marketplace_id), None)

    def offered(self, operation: str, marketplace_id: str | None) -> bool:
        """Whether ``operation`` exists in the marketplace ``marketplace_id``.

        An unknown or absent marketplace is not refused here: the service decides.
        """
        market = self.marketplace(marketplace_id) if marketplace_id else None
        if market is None:
            return True
        op = self.operation(operation)
        if market.country in op.excluded_marketplaces:
            return False
        return op.marketplaces is None or market.country in op.marketplaces

    def report_format(self, report_type: str) -> str:
        """``xml`` or ``flat`` (also for a type the catalog does not list)."""
        known = next((t for t in self.report_types if t.type == report_type), None)
        return known.format if known else "flat"

    def enum(self, name: str) -> list[str]:
        """A MWS enumeration by name (``fulfillment_order_status`` ...)."""
        return list(self.mws_enums[name])

    def sellercenter_throttle(self) -> Throttle:
        """The default SellerCenter bucket (no published quota; see the data file)."""
        b = self.sellercenter["default_bucket"]
        return Throttle(int(b["max_quota"]), float(b["restore_seconds"]), b.get("hourly_quota"))


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
        t = self.enums["sandbox_throttle"]
        return Throttle(int(t["burst"]), 1.0 / float(t["rate"]))


def _read(*parts: str) -> Any:
    return json.loads(resources.files("mwstui").joinpath("data", *parts).read_text("utf-8"))


def _mws_section(data: dict[str, Any]) -> Section:
    key = data["key"]
    ops = {}
    for name, spec in data["operations"].items():
        ops[name] = Operation(
            name=name,
            service=key,
            path=data["path"],
            version=data["version"],
            throttle=Throttle(spec["max_quota"], spec["restore_seconds"], spec["hourly_quota"]),
            bucket=spec.get("bucket", name),
            mutating=spec["mutating"],
            next_token_operation=spec.get("next_token_operation"),
            next_token_of=spec.get("next_token_of"),
            documented=spec.get("documented", True),
            note=spec.get("note"),
            marketplaces=tuple(spec["marketplaces"]) if "marketplaces" in spec else None,
            excluded_marketplaces=tuple(spec.get("excluded_marketplaces", ())),
        )
    return Section(
        key=key,
        name=data["name"],
        path=data["path"],
        alt_paths=tuple(data.get("alt_paths", ())),
        version=data["version"],
        namespace=data["namespace"],
        page_size=data["page_size"],
        quota_headers=data["quota_headers"],
        operations=ops,
    )


def _sc_section(data: dict[str, Any]) -> Section:
    b = data["default_bucket"]
    throttle = Throttle(b["max_quota"], b["restore_seconds"], b.get("hourly_quota"))
    ops = {
        name: Operation(
            name=name,
            service="sellercenter",
            path=data["path"],
            version=data["version"],
            throttle=throttle,
            bucket="SellerCenter",
            mutating=spec["mutating"],
            method=spec["method"],
        )
        for name, spec in data["operations"].items()
    }
    return Section(
        key="sellercenter",
        name=data["name"],
        path=data["path"],
        alt_paths=(),
        version=data["version"],
        namespace="",
        page_size=data["page_limit"],
        quota_headers=False,
        operations=ops,
    )


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


def _spapi() -> SpapiCatalog:
    regions = _read("spapi", "regions.json")
    enums = _read("spapi", "enums.json")
    ops = _spapi_operations(_read("spapi", "reports-2021-06-30.json"))
    ops |= _spapi_operations(_read("spapi", "fulfillment-outbound-2020-07-01.json"))
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


@cache
def load_catalog() -> Catalog:
    """Read every data file once and return the catalog."""
    reports = _mws_section(_read("mws", "reports-2009-01-01.json"))
    fba = _mws_section(_read("mws", "fulfillment-outbound-2010-10-01.json"))
    sc_data = _read("sellercenter", "1.0.json")
    enums = _read("mws", "enums.json")
    return Catalog(
        sections={reports.key: reports, fba.key: fba, "sellercenter": _sc_section(sc_data)},
        marketplaces=tuple(
            Marketplace(**m) for m in _read("mws", "marketplaces.json")["marketplaces"]
        ),
        report_types=tuple(ReportType(**t) for t in enums["report_types"]),
        schedules={s["schedule"]: s["interval_seconds"] for s in enums["schedules"]},
        mws_enums=enums,
        sellercenter=sc_data,
        spapi=_spapi(),
    )
