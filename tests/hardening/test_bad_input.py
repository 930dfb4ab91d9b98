"""Bad input never leaves the machine: every client method checks before sending or journaling.

Each case is refused with ``LocalValidationError`` (an ``InvalidParameterError`` with code
``LocalValidation``, also a ``ValueError``) whose ``field`` names the parameter and
whose message mentions it, while the wire, the journal and the call records stay empty.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mwstui.errors import InvalidParameterError
from mwstui.mws.models import Address, NewFulfillmentOrder, NewFulfillmentOrderItem
from mwstui.validation import LOCAL_VALIDATION, LocalValidationError
from tests.hardening.rig import CANCEL_REQUEST, START, Rig, open_rig

DAY = timedelta(days=1)
SCHEDULABLE = "_GET_FLAT_FILE_ORDERS_DATA_"
ADDRESS = Address("Jane Doe", "1 Main St", "WA", "US", city="Seattle", postal_code="98109")


def _order(**change: Any) -> NewFulfillmentOrder:
    fields: dict[str, Any] = {
        "seller_fulfillment_order_id": "ORDER-1",
        "displayable_order_id": "ORDER-1",
        "displayable_order_date_time": datetime.fromtimestamp(START, UTC),
        "displayable_order_comment": "Thanks",
        "shipping_speed_category": "Standard",
        "destination_address": ADDRESS,
        "items": [NewFulfillmentOrderItem("SKU-A", "line-1", 1)],
    }
    fields.update(change)
    return NewFulfillmentOrder(**fields)


async def _drain(iterator: Any) -> None:
    async for _ in iterator:
        pass


Case = Callable[[Rig], Awaitable[object]]


def _now(rig: Rig) -> Any:
    return rig.clock.now()


CASES: dict[str, tuple[str, Case]] = {
    # RequestReport
    "report type blank": ("ReportType", lambda r: r.mws.reports.request_report("  ")),
    "report type unknown": (
        "ReportType",
        lambda r: r.mws.reports.request_report("_GET_NO_SUCH_REPORT_"),
    ),
    "report type malformed": ("ReportType", lambda r: r.mws.reports.request_report("orders")),
    "report type not requestable": (
        "ReportType",
        lambda r: r.mws.reports.request_report("_GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_"),
    ),
    "report dates reversed": (
        "StartDate",
        lambda r: r.mws.reports.request_report(
            SCHEDULABLE, start_date=_now(r), end_date=_now(r) - DAY
        ),
    ),
    "report marketplace unknown": (
        "MarketplaceId",
        lambda r: r.mws.reports.request_report(SCHEDULABLE, marketplace_ids=["NOT-A-MARKET"]),
    ),
    # listings and counts
    "request id not digits": (
        "ReportRequestId",
        lambda r: _drain(r.mws.reports.iter_report_requests(request_ids=["12ab"])),
    ),
    "request id list too long": (
        "ReportRequestId",
        lambda r: _drain(r.mws.reports.iter_reports(request_ids=[str(n) for n in range(101)])),
    ),
    "max count zero": (
        "MaxCount",
        lambda r: _drain(r.mws.reports.iter_report_requests(max_count=0)),
    ),
    "max count over": (
        "MaxCount",
        lambda r: _drain(r.mws.reports.iter_report_requests(max_count=101)),
    ),
    "status unknown": (
        "ReportProcessingStatus",
        lambda r: _drain(r.mws.reports.iter_report_requests(statuses=["_DONE_ISH_"])),
    ),
    "requested range reversed": (
        "RequestedFromDate",
        lambda r: r.mws.reports.report_request_count(
            requested_from=_now(r), requested_to=_now(r) - DAY
        ),
    ),
    "available range reversed": (
        "AvailableFromDate",
        lambda r: _drain(
            r.mws.reports.iter_reports(available_from=_now(r), available_to=_now(r) - DAY)
        ),
    ),
    "report type filter malformed": (
        "ReportType",
        lambda r: r.mws.reports.report_count(report_types=["orders; DROP"]),
    ),
    "schedule filter malformed": (
        "ReportType",
        lambda r: r.mws.reports.report_schedules(report_types=[""]),
    ),
    # CancelReportRequests: an empty list would cancel everything
    "cancel nothing": ("ReportRequestId", lambda r: r.mws.reports.cancel_report_requests([])),
    "cancel blank id": (
        "ReportRequestId",
        lambda r: r.mws.reports.cancel_report_requests([CANCEL_REQUEST, " "]),
    ),
    "cancel id not digits": (
        "ReportRequestId",
        lambda r: r.mws.reports.cancel_report_requests(["71790018424;1"]),
    ),
    # GetReport, UpdateReportAcknowledgements
    "download id blank": (
        "ReportId",
        lambda r: r.mws.reports.download_report(" ", r.downloads / "x.txt"),
    ),
    "download id not digits": (
        "ReportId",
        lambda r: r.mws.reports.download_report("../../etc", r.downloads / "x.txt"),
    ),
    "acknowledge id not digits": (
        "ReportId",
        lambda r: r.mws.reports.update_report_acknowledgements(["x1"]),
    ),
    "acknowledge too many": (
        "ReportId",
        lambda r: r.mws.reports.update_report_acknowledgements([str(n) for n in range(101)]),
    ),
    # ManageReportSchedule
    "schedule unknown": (
        "Schedule",
        lambda r: r.mws.reports.manage_report_schedule(SCHEDULABLE, "_7_DAYS_"),
    ),
    "schedule type not schedulable": (
        "ReportType",
        lambda r: r.mws.reports.manage_report_schedule("_GET_MERCHANT_LISTINGS_DATA_", "_1_DAY_"),
    ),
    "schedule date beyond 366 days": (
        "ScheduleDate",
        lambda r: r.mws.reports.manage_report_schedule(
            SCHEDULABLE, "_1_DAY_", _now(r) + timedelta(days=366, seconds=1)
        ),
    ),
    "schedule date in the past": (
        "ScheduleDate",
        lambda r: r.mws.reports.manage_report_schedule(SCHEDULABLE, "_1_DAY_", _now(r) - DAY),
    ),
    # Fulfillment Outbound
    "order id too long": (
        "SellerFulfillmentOrderId",
        lambda r: r.mws.fulfillment.get_order("x" * 41),
    ),
    "order id blank": ("SellerFulfillmentOrderId", lambda r: r.mws.fulfillment.get_order(" ")),
    "order id control characters": (
        "SellerFulfillmentOrderId",
        lambda r: r.mws.fulfillment.cancel_order("ORD\x1b[2J"),
    ),
    "cancel order id too long": (
        "SellerFulfillmentOrderId",
        lambda r: r.mws.fulfillment.cancel_order("y" * 41),
    ),
    "create id too long": (
        "SellerFulfillmentOrderId",
        lambda r: r.mws.fulfillment.create_order(_order(seller_fulfillment_order_id="z" * 41)),
    ),
    "create comment too long": (
        "DisplayableOrderComment",
        lambda r: r.mws.fulfillment.create_order(_order(displayable_order_comment="c" * 1001)),
    ),
    "create speed unknown": (
        "ShippingSpeedCategory",
        lambda r: r.mws.fulfillment.create_order(_order(shipping_speed_category="Warp")),
    ),
    "create email invalid": (
        "NotificationEmail",
        lambda r: r.mws.fulfillment.create_order(_order(notification_emails=("not an email",))),
    ),
    "create no items": ("Items", lambda r: r.mws.fulfillment.create_order(_order(items=[]))),
    "create quantity zero": (
        "Quantity",
        lambda r: r.mws.fulfillment.create_order(
            _order(items=[NewFulfillmentOrderItem("SKU-A", "line-1", 0)])
        ),
    ),
    "package number negative": ("PackageNumber", lambda r: r.mws.fulfillment.package_tracking(-1)),
    "package number text": (
        "PackageNumber",
        lambda r: r.mws.fulfillment.package_tracking("7"),  # type: ignore[arg-type]
    ),
    # SellerCenter
    "sc order id not a number": ("OrderId", lambda r: r.sc.get_order("abc")),
    "sc order id blank": ("OrderId", lambda r: r.sc.order_items(" ")),
    "sc order list empty": ("OrderIdList", lambda r: r.sc.multiple_order_items([])),
    "sc order list bad id": ("OrderIdList", lambda r: r.sc.multiple_order_items([1, "2,3"])),
    "sc item id not a number": ("OrderItemId", lambda r: r.sc.cancel_item("9x", "Out of stock")),
    "sc reason blank": ("Reason", lambda r: r.sc.cancel_item(6100001, "   ")),
    "sc ready no items": ("OrderItemIds", lambda r: r.sc.ready_to_ship([], "dropship")),
    "sc ready no delivery type": ("DeliveryType", lambda r: r.sc.ready_to_ship([6100001], " ")),
    "sc orders without a start": ("CreatedAfter", lambda r: _drain(r.sc.iter_orders())),
    "sc orders range reversed": (
        "CreatedAfter",
        lambda r: _drain(r.sc.iter_orders(created_after=_now(r), created_before=_now(r) - DAY)),
    ),
    "sc orders page size": (
        "Limit",
        lambda r: _drain(r.sc.iter_orders(created_after=_now(r), page_size=101)),
    ),
}


def _names(text: str) -> str:
    return text.replace("_", "").lower()


@pytest.mark.parametrize("name", list(CASES))
async def test_refused_before_anything_is_sent(name: str, tmp_path: Path) -> None:
    field, case = CASES[name]
    async with open_rig(tmp_path) as rig:
        with pytest.raises(LocalValidationError) as info:
            await case(rig)
        err = info.value
        assert isinstance(err, InvalidParameterError) and isinstance(err, ValueError)
        assert err.code == LOCAL_VALIDATION and err.field == field
        assert _names(field) in _names(err.message), err.message
        assert "\n" not in str(err) and len(str(err)) < 200
        assert rig.wire.sent == [] and rig.sc_wire.sent == []
        assert rig.records == [] and rig.journal.entries() == []


async def test_the_checked_values_still_go_through(tmp_path: Path) -> None:
    """The checks refuse only what is wrong: the limits themselves are accepted."""
    async with open_rig(tmp_path) as rig:
        edge = rig.clock.now() + timedelta(days=366)
        made = await rig.mws.reports.manage_report_schedule(SCHEDULABLE, "_1_DAY_", edge)
        assert made.data and made.data[0].report_type == SCHEDULABLE
        await rig.mws.reports.request_report(SCHEDULABLE, marketplace_ids=["ATVPDKIKX0DER"])
        deleted = await rig.mws.reports.manage_report_schedule(SCHEDULABLE, "_NEVER_")
        assert deleted.meta.http_status == 200
        assert len(rig.journal.entries()) == 3
