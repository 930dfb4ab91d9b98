"""The SP-API facts in the catalog match the spec (spec/spapi.md §2, §4.3, §5, §6)."""

from __future__ import annotations

import codecs

import pytest

from mwstui.catalog import load_catalog
from mwstui.catalog.spapi import SpapiCatalog


@pytest.fixture(scope="module")
def sp() -> SpapiCatalog:
    return load_catalog().spapi


def test_regions_hosts_and_aws_regions(sp: SpapiCatalog) -> None:
    assert set(sp.regions) == {"NA", "EU", "FE"}
    assert sp.region("eu").endpoint == "https://sellingpartnerapi-eu.amazon.com"
    assert sp.region("NA").sandbox_endpoint == "https://sandbox.sellingpartnerapi-na.amazon.com"
    assert {r.region: r.aws_region for r in sp.regions.values()} == {
        "NA": "us-east-1",
        "EU": "eu-west-1",
        "FE": "us-west-2",
    }
    assert sp.lwa_endpoint + sp.lwa_token_path == "https://api.amazon.com/auth/o2/token"
    assert sp.refresh_before_expiry_seconds == 60


def test_every_marketplace_of_the_spec(sp: SpapiCatalog) -> None:
    assert len(sp.marketplaces) == 23
    assert len({m.marketplace_id for m in sp.marketplaces}) == 23
    assert [m.country for m in sp.marketplaces_in("NA")] == ["CA", "US", "MX", "BR"]
    assert len(sp.marketplaces_in("EU")) == 16
    assert [m.country for m in sp.marketplaces_in("FE")] == ["SG", "AU", "JP"]
    de = sp.marketplace("A1PA6795UKMFR9")
    assert de is not None and (de.region, de.country) == ("EU", "DE")
    # MWS-era non-Amazon ids appear in real metadata: unknown, not an error.
    assert sp.marketplace("A38D8NSA03LJTC") is None


@pytest.mark.parametrize(
    ("name", "method", "path", "rate", "burst", "status"),
    [
        ("getReports", "GET", "/reports/2021-06-30/reports", 0.0222, 10, 200),
        ("createReport", "POST", "/reports/2021-06-30/reports", 0.0167, 15, 202),
        ("getReport", "GET", "/reports/2021-06-30/reports/{reportId}", 2, 15, 200),
        ("cancelReport", "DELETE", "/reports/2021-06-30/reports/{reportId}", 0.0222, 10, 200),
        ("getReportSchedules", "GET", "/reports/2021-06-30/schedules", 0.0222, 10, 200),
        ("createReportSchedule", "POST", "/reports/2021-06-30/schedules", 0.0222, 10, 201),
        (
            "getReportSchedule",
            "GET",
            "/reports/2021-06-30/schedules/{reportScheduleId}",
            0.0222,
            10,
            200,
        ),
        (
            "cancelReportSchedule",
            "DELETE",
            "/reports/2021-06-30/schedules/{reportScheduleId}",
            0.0222,
            10,
            200,
        ),
        (
            "getReportDocument",
            "GET",
            "/reports/2021-06-30/documents/{reportDocumentId}",
            0.0167,
            15,
            200,
        ),
        (
            "listAllFulfillmentOrders",
            "GET",
            "/fba/outbound/2020-07-01/fulfillmentOrders",
            2,
            30,
            200,
        ),
        (
            "getFulfillmentOrder",
            "GET",
            "/fba/outbound/2020-07-01/fulfillmentOrders/{sellerFulfillmentOrderId}",
            2,
            30,
            200,
        ),
        (
            "cancelFulfillmentOrder",
            "PUT",
            "/fba/outbound/2020-07-01/fulfillmentOrders/{sellerFulfillmentOrderId}/cancel",
            2,
            30,
            200,
        ),
    ],
)
def test_operations(
    sp: SpapiCatalog, name: str, method: str, path: str, rate: float, burst: int, status: int
) -> None:
    op = sp.operation(name)
    assert (op.method, op.path, op.rate, op.burst, op.success_status) == (
        method,
        path,
        rate,
        burst,
        status,
    )
    assert op.mutating == (method != "GET")
    assert op.envelope == ("payload" if "fba" in path else None)


def test_throttle_is_the_usage_plan(sp: SpapiCatalog) -> None:
    t = sp.operation("getReports").throttle
    assert t.capacity == 10
    assert t.rate == pytest.approx(0.0222)
    assert sp.sandbox_throttle.capacity == 15 and sp.sandbox_throttle.rate == pytest.approx(5)


def test_url_path_encodes_each_value_once(sp: SpapiCatalog) -> None:
    op = sp.operation("getFulfillmentOrder")
    assert op.url_path(sellerFulfillmentOrderId="a b/c%") == (
        "/fba/outbound/2020-07-01/fulfillmentOrders/a%20b%2Fc%25"
    )


def test_report_statuses_and_cancellable(sp: SpapiCatalog) -> None:
    assert sp.enum("report_processing_status") == [
        "IN_QUEUE",
        "IN_PROGRESS",
        "DONE",
        "CANCELLED",
        "FATAL",
    ]
    assert sp.report_cancellable("IN_QUEUE")
    assert not any(sp.report_cancellable(s) for s in ("IN_PROGRESS", "DONE", "FATAL", "in_queue"))


def test_schedule_periods_exactly_the_enum(sp: SpapiCatalog) -> None:
    assert sp.periods() == [
        "PT5M",
        "PT15M",
        "PT30M",
        "PT1H",
        "PT2H",
        "PT4H",
        "PT8H",
        "PT12H",
        "P1D",
        "P2D",
        "P3D",
        "PT84H",
        "P7D",
        "P14D",
        "P15D",
        "P18D",
        "P30D",
        "P1M",
    ]
    by_mws = {p.mws: p.period for p in sp.schedule_periods if p.mws}
    assert by_mws["_72_HOURS_"] == "P3D" and by_mws["_1_WEEK_"] == "P7D"
    assert [p.period for p in sp.schedule_periods if p.calendar_month] == ["P1M"]


@pytest.mark.parametrize(
    ("status", "cancellable"),
    [
        ("Received", True),
        ("RECEIVED", True),
        ("planning", True),
        ("Processing", False),
        ("New", False),
        ("Complete", False),
        ("COMPLETE_PARTIALLED", False),
        ("Cancelled", False),
    ],
)
def test_fulfillment_cancellable_any_casing(
    sp: SpapiCatalog, status: str, cancellable: bool
) -> None:
    assert sp.fulfillment_cancellable(status) is cancellable


def test_fulfillment_status_spelling(sp: SpapiCatalog) -> None:
    assert sp.fulfillment_status("COMPLETE_PARTIALLED") == "CompletePartialled"
    assert sp.fulfillment_status("OUT_FOR_DELIVERY") is None


def test_report_types_offered(sp: SpapiCatalog) -> None:
    types = {t.type: t for t in sp.report_types}
    assert len(types) == len(sp.report_types)
    assert all(not t.startswith("_") and not t.endswith("_") for t in types)
    assert types["GET_MERCHANT_LISTINGS_ALL_DATA"].requestable
    assert not types["GET_MERCHANT_LISTINGS_ALL_DATA"].schedulable
    assert not types["GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE"].requestable
    assert "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL" in types


@pytest.mark.parametrize(
    ("declared", "codec"),
    [("Cp1252", "cp1252"), ("windows-31j", "cp932"), ("Shift_JIS", "cp932"), ("UTF-8", "utf-8")],
)
def test_charsets_resolve_to_python_codecs(sp: SpapiCatalog, declared: str, codec: str) -> None:
    assert codecs.lookup(sp.python_charset(declared)).name == codec


def test_limits(sp: SpapiCatalog) -> None:
    assert sp.limit("getReports.pageSize.max") == 100
    assert sp.limit("getReports.createdSince.max_days") == 90
    assert sp.limit("getReportSchedules.reportTypes.max") == 10
    assert sp.limit("sellerFulfillmentOrderId.max_length") == 40
    assert sp.limit("document_url_lifetime_seconds") == 300
