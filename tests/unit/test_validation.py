"""The pure checks of ``mwstui.validation``: None when good, else one line naming the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mwstui import validation as v
from mwstui.catalog import load_catalog
from mwstui.errors import InvalidParameterError

NOW = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def _one_line_naming(problem: str | None, field: str) -> None:
    assert problem is not None
    assert "\n" not in problem and len(problem) < 160
    assert field.replace("_", "").lower() in problem.replace("_", "").lower()


@pytest.mark.parametrize("value", ["ORDER-1", "x" * 40, "[@click=app.quit]ORD", "注文-🎁-4"])
def test_fulfillment_order_id_accepts(value: str) -> None:
    assert v.fulfillment_order_id(value) is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (None, "required"),
        ("", "required"),
        ("   ", "required"),
        ("x" * 41, "longer than 40 characters (41)"),
        ("ORD\x1b[2J", "control characters"),
        ("ORD\n1", "control characters"),
    ],
)
def test_fulfillment_order_id_refuses(value: str | None, fragment: str) -> None:
    problem = v.fulfillment_order_id(value)
    _one_line_naming(problem, "SellerFulfillmentOrderId")
    assert problem is not None and fragment in problem


def test_the_order_id_limit_is_the_catalogs() -> None:
    limit = int(load_catalog().mws_enums["limits"]["SellerFulfillmentOrderId"])
    assert v.fulfillment_order_id("x" * limit) is None
    assert v.fulfillment_order_id("x" * (limit + 1)) is not None


@pytest.mark.parametrize(
    ("check", "field"), [(v.report_request_id, "ReportRequestId"), (v.report_id, "ReportId")]
)
def test_report_ids_are_digits(check: object, field: str) -> None:
    assert callable(check)
    assert check("51781018424") is None and check(" 21175694446018424 ") is None
    for bad in ("", " ", "12a", "-1", "1 2", "1;2", "１２"):  # fullwidth digits too
        _one_line_naming(check(bad), field)


def test_a_pasted_novel_is_quoted_short() -> None:
    problem = v.report_id("x" * 10_000)
    assert problem is not None and len(problem) < 120 and "…" in problem


@pytest.mark.parametrize("value", [1, "1", 9_000_001])
def test_sellercenter_ids(value: int | str) -> None:
    assert v.sellercenter_id(value) is None


@pytest.mark.parametrize("value", [None, "", "abc", "1,2", "[1]", -3, "1.0"])
def test_sellercenter_ids_refused(value: int | str | None) -> None:
    _one_line_naming(v.sellercenter_id(value, "OrderItemId"), "OrderItemId")


def test_report_type_for_each_purpose() -> None:
    assert v.report_type("_GET_FLAT_FILE_ORDERS_DATA_", "request") is None
    assert v.report_type("_GET_FLAT_FILE_ORDERS_DATA_", "schedule") is None
    listings = "_GET_MERCHANT_LISTINGS_DATA_"
    assert v.report_type(listings, "request") is None
    assert "cannot be scheduled" in (v.report_type(listings, "schedule") or "")
    settlement = "_GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_"
    assert "cannot be requested" in (v.report_type(settlement, "request") or "")
    assert "not a known" in (v.report_type("_GET_NO_SUCH_REPORT_", "request") or "")
    # Filters: any well-formed type (the service may list types the catalog lacks).
    assert v.report_type("_GET_NO_SUCH_REPORT_", "filter") is None
    for bad in ("", "orders", "_lower_case_", "_A_; DROP"):
        _one_line_naming(v.report_type(bad, "filter"), "ReportType")


def test_every_catalog_report_type_has_a_consistent_verdict() -> None:
    for t in load_catalog().report_types:
        assert (v.report_type(t.type, "request") is None) is t.requestable
        assert (v.report_type(t.type, "schedule") is None) is t.schedulable


def test_schedule_and_status_come_from_the_catalog() -> None:
    for name in load_catalog().schedules:
        assert v.schedule(name) is None
    assert "unknown Schedule" in (v.schedule("_7_DAYS_") or "")
    _one_line_naming(v.schedule(""), "Schedule")
    for status in load_catalog().enum("report_processing_status"):
        assert v.report_status(status) is None
    _one_line_naming(v.report_status("_DONE_ISH_"), "ReportProcessingStatus")


def test_schedule_date_window() -> None:
    days = int(load_catalog().mws_enums["schedule_date_max_days_ahead"])
    assert days == 366
    assert v.schedule_date(None, NOW) is None
    assert v.schedule_date(NOW + timedelta(days=days), NOW) is None
    assert "at most 366 days" in (v.schedule_date(NOW + timedelta(days=days, seconds=1), NOW) or "")
    assert v.schedule_date(NOW - timedelta(minutes=4), NOW) is None  # typed as "now"
    assert "in the past" in (v.schedule_date(NOW - timedelta(minutes=6), NOW) or "")
    assert v.schedule_date(NOW - timedelta(minutes=14), NOW, grace=timedelta(minutes=15)) is None
    naive = (NOW + DAY).replace(tzinfo=None)  # naive means UTC
    assert v.schedule_date(naive, NOW) is None


def test_date_range() -> None:
    assert v.date_range(None, None) is None
    assert v.date_range(NOW - DAY, NOW) is None
    assert v.date_range(NOW, NOW) is None
    problem = v.date_range(NOW, NOW - DAY)
    assert problem == "StartDate must be earlier than EndDate"
    named = v.date_range(NOW, NOW - DAY, start_field="CreatedAfter", end_field="CreatedBefore")
    assert named == "CreatedAfter must be earlier than CreatedBefore"
    assert v.date_range(NOW + DAY, None, now=NOW) == "StartDate is in the future"
    assert v.date_range(NOW + DAY, None) is None  # without "now", the future is allowed
    assert v.date_range(NOW.replace(tzinfo=None), NOW - DAY) is not None  # naive = UTC


def test_text_limits_come_from_the_catalog() -> None:
    assert v.text("DisplayableOrderComment", "c" * 1000) is None
    _one_line_naming(v.text("DisplayableOrderComment", "c" * 1001), "DisplayableOrderComment")
    assert v.text("DestinationAddress.Name", "n" * 51) is not None
    assert v.text("Anything", "x" * 5000) is None  # no catalog limit
    assert v.text("Anything", "xx", limit=1) is not None
    assert v.text("X", "  ") is None and v.text("X", "  ", need=True) == "X is required"


def test_reason_email_marketplace_numbers() -> None:
    assert v.reason("Out of stock") is None
    _one_line_naming(v.reason("  "), "Reason")
    assert v.reason("Out of stock", ["Out of stock"]) is None
    assert "not one of" in (v.reason("Other", ["Out of stock"]) or "")
    assert v.email("seller@example.com") is None
    for bad in ("not an email", "a b@c", "x" * 60 + "@e.com", "a@b\x1b"):
        _one_line_naming(v.email(bad), "NotificationEmail")
    assert v.marketplace_id("ATVPDKIKX0DER") is None
    _one_line_naming(v.marketplace_id("NOPE"), "MarketplaceId")
    assert v.max_count(1) is None and v.max_count(100) is None
    for bad in (0, 101, True, "5", 2.5):
        _one_line_naming(v.max_count(bad), "MaxCount")
    assert v.positive_int("PackageNumber", 0, minimum=0) is None


def test_check_raises_a_local_validation_error() -> None:
    v.check("ReportId", None)
    with pytest.raises(v.LocalValidationError) as info:
        v.check("ReportId", v.report_id("x"))
    err = info.value
    assert isinstance(err, InvalidParameterError) and isinstance(err, ValueError)
    assert err.code == v.LOCAL_VALIDATION == "LocalValidation" and err.field == "ReportId"
    assert str(err).startswith("LocalValidation: ReportId must be digits only")
