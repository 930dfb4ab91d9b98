"""The one loader of API facts: operations, throttles, endpoints and enumerations.

Everything that knows a quota, a path or an enum value reads it from here; the
facts themselves live as JSON under ``mwstui/data`` (sources cited inside). SP-API's
facts have their own shapes, in ``mwstui.catalog.spapi``; ``load_catalog`` reads them too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from mwstui.catalog.spapi import SpapiCatalog, load_spapi


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
        spapi=load_spapi(_read),
    )
