"""XML reading by local name, dates, NextToken variants, open enums and the error table."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mwstui.errors import (
    AccessDeniedError,
    ApiError,
    InvalidParameterError,
    InvalidStateError,
    MalformedResponseError,
    NotFoundError,
    QuotaExceededError,
    RequestExpiredError,
    ServiceError,
    SignatureMismatchError,
    ThrottledError,
)
from mwstui.mws import fulfillment, reports
from mwstui.mws.errors import ERROR_CLASSES, class_for, make_error, read_error
from mwstui.mws.models import (
    FulfillmentOrderStatus,
    ReportProcessingStatus,
    Schedule,
    ServiceStatusValue,
)
from mwstui.mws.parsing import (
    encode_list,
    format_datetime,
    id_list,
    parse_datetime,
    parse_document,
    response_meta,
)
from tests.unit.mws_fakes import envelope, error_xml, request_info

UTC_1 = datetime(2020, 6, 11, 7, 44, 32, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-06-11T07:44:32+00:00", UTC_1),
        ("2020-06-11T07:44:32Z", UTC_1),
        ("2020-06-11T07:44:32.000Z", UTC_1),
        ("2020-06-11T07:44:32+0000", UTC_1),
        ("2020-06-11T09:44:32+02:00", UTC_1),
        ("2020-06-11T07:44:32", UTC_1),
        ("Thu, 11 Jun 2020 07:44:32 GMT", UTC_1),
        ("  2020-06-11T07:44:32Z\n", UTC_1),
        ("not a date", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_datetime(text: str | None, expected: datetime | None) -> None:
    assert parse_datetime(text) == expected


def test_format_datetime_is_utc_iso_with_z() -> None:
    assert format_datetime(UTC_1) == "2020-06-11T07:44:32.000Z"
    naive = datetime(2020, 6, 11, 7, 44, 32, 123456)
    assert format_datetime(naive) == "2020-06-11T07:44:32.123Z"
    assert format_datetime(parse_datetime("2020-06-11T09:44:32+02:00")) == (  # type: ignore[arg-type]
        "2020-06-11T07:44:32.000Z"
    )


def test_any_namespace_prefix_and_order() -> None:
    body = (
        '<ns2:GetReportRequestListResponse xmlns:ns2="urn:whatever">'
        "<ns2:GetReportRequestListResult>"
        "<ns2:ReportRequestInfo><ns2:ReportRequestId>2</ns2:ReportRequestId>"
        "<ns2:Unexpected><Deep>x</Deep></ns2:Unexpected>"
        "<ns2:ReportProcessingStatus>_DONE_</ns2:ReportProcessingStatus></ns2:ReportRequestInfo>"
        "<ns2:HasNext>false</ns2:HasNext></ns2:GetReportRequestListResult>"
        "<ResponseMetadata><RequestID>abc</RequestID></ResponseMetadata>"
        "</ns2:GetReportRequestListResponse>"
    )
    doc = parse_document(body)
    infos = reports.PARSERS["GetReportRequestList"](doc)
    assert [i.report_request_id for i in infos] == ["2"]
    assert infos[0].report_processing_status == "_DONE_"
    assert doc.request_id == "abc"
    assert doc.next_token() is None


def test_one_element_and_many_elements_are_both_lists() -> None:
    one = parse_document(envelope("GetReportRequestList", request_info("1")))
    many = parse_document(envelope("GetReportRequestList", request_info("1") + request_info("2")))
    assert len(reports.PARSERS["GetReportRequestList"](one)) == 1
    assert len(reports.PARSERS["GetReportRequestList"](many)) == 2
    empty = parse_document(envelope("GetReportRequestList", "<HasNext>false</HasNext>"))
    assert reports.PARSERS["GetReportRequestList"](empty) == []


@pytest.mark.parametrize(
    ("inner", "token"),
    [
        ("<HasNext>false</HasNext>", None),
        ("<HasNext>false</HasNext><NextToken>none</NextToken>", None),
        ("<HasNext>false</HasNext><NextToken/>", None),
        ("<NextToken></NextToken><HasNext>false</HasNext>", None),
        ("<NextToken>None</NextToken>", None),
        ("<NextToken>abc=</NextToken><HasNext>true</HasNext>", "abc="),
        ("<HasNext>TRUE</HasNext><NextToken> abc= </NextToken>", "abc="),
        ("<NextToken>H4sIAAAA</NextToken>", "H4sIAAAA"),  # FBA: no HasNext
        ("", None),
    ],
)
def test_next_token_variants(inner: str, token: str | None) -> None:
    assert parse_document(envelope("GetReportList", inner)).next_token() == token


def test_has_next_without_a_token_is_malformed() -> None:
    doc = parse_document(envelope("GetReportList", "<HasNext>true</HasNext>"))
    with pytest.raises(MalformedResponseError):
        doc.next_token()


@pytest.mark.parametrize("body", ["", "not xml", "<a><b></a>", "{}", "<a/><b/>"])
def test_non_xml_is_malformed(body: str) -> None:
    with pytest.raises(MalformedResponseError):
        parse_document(body)


def test_entities_are_not_expanded() -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;&a;</r>'
    with pytest.raises(MalformedResponseError):
        parse_document(bomb)


def test_missing_required_id_is_malformed() -> None:
    doc = parse_document(
        envelope("GetReportList", "<ReportInfo><ReportType>x</ReportType></ReportInfo>")
    )
    with pytest.raises(MalformedResponseError, match="ReportId"):
        reports.PARSERS["GetReportList"](doc)


def test_unknown_enum_values_are_kept() -> None:
    doc = parse_document(envelope("GetReportRequestList", request_info("9", "_SOMETHING_NEW_")))
    (info,) = reports.PARSERS["GetReportRequestList"](doc)
    status = info.report_processing_status
    assert status == "_SOMETHING_NEW_" and not status.known and not status.cancellable
    assert ReportProcessingStatus("_SUBMITTED_").known
    assert ReportProcessingStatus("_SUBMITTED_").cancellable
    assert FulfillmentOrderStatus("PLANNING").cancellable
    assert FulfillmentOrderStatus("COMPLETE").terminal
    assert not FulfillmentOrderStatus("PROCESSING").cancellable
    assert Schedule("_1_DAY_").interval_seconds == 86400 and Schedule("_7_DAYS_").known is False
    assert ServiceStatusValue("GREEN_I").known
    assert repr(status) == "ReportProcessingStatus('_SOMETHING_NEW_')"


def test_fba_members_in_any_wrapper() -> None:
    result = (
        "<FulfillmentOrder><SellerFulfillmentOrderId>o-1</SellerFulfillmentOrderId>"
        "<FulfillmentOrderStatus>SOMETHING_ELSE</FulfillmentOrderStatus>"
        "<NotificationEmailList><member>a@x</member><member>b@x</member></NotificationEmailList>"
        "<DestinationAddress><Name>Jane</Name><Line1>1 St</Line1><City>Town</City>"
        "<StateOrProvinceCode>WA</StateOrProvinceCode><CountryCode>US</CountryCode>"
        "</DestinationAddress></FulfillmentOrder>"
        "<FulfillmentOrderItem><member><SellerSKU>S</SellerSKU>"
        "<SellerFulfillmentOrderItemId>i1</SellerFulfillmentOrderItemId><Quantity>2</Quantity>"
        "<CancelledQuantity>1</CancelledQuantity><UnfulfillableQuantity>0</UnfulfillableQuantity>"
        "<PerUnitDeclaredValue><CurrencyCode>USD</CurrencyCode><Value>9.99</Value>"
        "</PerUnitDeclaredValue></member></FulfillmentOrderItem>"
        "<FulfillmentShipment><member><AmazonShipmentId>s1</AmazonShipmentId>"
        "<FulfillmentCenterId>FC</FulfillmentCenterId>"
        "<FulfillmentShipmentStatus>SHIPPED</FulfillmentShipmentStatus>"
        "<FulfillmentShipmentItem><member><SellerSKU>S</SellerSKU>"
        "<SellerFulfillmentOrderItemId>i1</SellerFulfillmentOrderItemId><Quantity>1</Quantity>"
        "<PackageNumber>7</PackageNumber></member></FulfillmentShipmentItem>"
        "<FulfillmentShipmentPackage><member><PackageNumber>7</PackageNumber>"
        "<CarrierCode>UPS</CarrierCode><TrackingNumber>1Z</TrackingNumber></member>"
        "</FulfillmentShipmentPackage></member></FulfillmentShipment>"
        "<ReturnItemList><ReturnItem><X>1</X></ReturnItem></ReturnItemList>"
    )
    doc = parse_document(envelope("GetFulfillmentOrder", result))
    detail = fulfillment.PARSERS["GetFulfillmentOrder"](doc)
    assert detail.order.seller_fulfillment_order_id == "o-1"
    assert not detail.order.fulfillment_order_status.known
    assert detail.order.notification_emails == ("a@x", "b@x")
    assert detail.order.destination_address.city == "Town"
    (item,) = detail.items
    assert (item.quantity, item.cancelled_quantity, item.per_unit_declared_value.value) == (
        2,
        1,
        "9.99",
    )
    (ship,) = detail.shipments
    assert ship.status == "SHIPPED" and ship.items[0].package_number == 7
    assert ship.packages[0].tracking_number == "1Z"


def test_read_error_either_request_id_spelling() -> None:
    for tag in ("RequestId", "RequestID"):
        info = read_error(parse_document(error_xml("InvalidReportId", "gone", tag=tag)))
        assert info is not None
        assert (info.code, info.message, info.type, info.request_id) == (
            "InvalidReportId",
            "gone",
            "Sender",
            "rid-err",
        )
    assert read_error(parse_document(envelope("GetReportCount", "<Count>1</Count>"))) is None


@pytest.mark.parametrize(
    ("code", "status", "cls"),
    [
        ("RequestThrottled", 503, ThrottledError),
        ("QuotaExceeded", 503, QuotaExceededError),
        ("SignatureDoesNotMatch", 403, SignatureMismatchError),
        ("InvalidAccessKeyId", 403, AccessDeniedError),
        ("AccessDenied", 401, AccessDeniedError),
        ("InvalidParameterValue", 400, InvalidParameterError),
        ("RequestExpired", 400, RequestExpiredError),
        ("InvalidReportRequestId", 400, NotFoundError),
        ("InvalidReportId", 400, NotFoundError),
        ("ReportNotReady", 400, InvalidStateError),
        ("InternalError", 500, ServiceError),
        ("ServiceUnavailable", 503, ServiceError),
        ("InvalidAddress", 404, InvalidParameterError),
        ("SomethingNew", 400, InvalidParameterError),
        ("SomethingNew", 403, AccessDeniedError),
        ("SomethingNew", 404, NotFoundError),
        ("SomethingNew", 502, ServiceError),
        ("SomethingNew", None, ApiError),
    ],
)
def test_error_classes(code: str, status: int | None, cls: type[ApiError]) -> None:
    assert class_for(code, status) is cls
    err = make_error(code, "m", http_status=status, request_id="r", operation="Op")
    assert type(err) is cls
    assert (err.code, err.request_id, err.http_status, err.operation) == (code, "r", status, "Op")


def test_expired_timestamp_under_invalid_parameter_value() -> None:
    msg = "Request signature is too far in the past and has expired. Timestamp date: x"
    err = make_error(
        "InvalidParameterValue",
        msg,
        http_status=400,
        request_id=None,
        operation=None,
        clock_skew=-1200,
    )
    assert isinstance(err, RequestExpiredError) and err.clock_skew == -1200
    assert "behind" in err.hint


def test_error_table_is_all_api_errors() -> None:
    assert all(issubclass(c, ApiError) for c in ERROR_CLASSES.values())


def test_response_meta_from_headers() -> None:
    meta = response_meta(
        "GetReportList",
        200,
        {
            "X-MWS-Request-Id": "rid",
            "x-mws-timestamp": "2020-06-11T08:01:49.485Z",
            "x-mws-quota-max": "80.0",
            "x-mws-quota-remaining": "74.0",
            "x-mws-quota-resetsOn": "Wed, 06 Mar 2013 19:07:58 GMT",
        },
    )
    assert meta.request_id == "rid"
    assert meta.server_time == datetime(2020, 6, 11, 8, 1, 49, 485000, tzinfo=UTC)
    assert (meta.quota_max, meta.quota_remaining) == (80.0, 74.0)
    assert meta.quota_resets_on == datetime(2013, 3, 6, 19, 7, 58, tzinfo=UTC)
    bare = response_meta(
        "X", 200, {"Date": "Thu, 28 May 2020 11:51:02 GMT", "x-mws-quota-max": "n/a"}
    )
    assert bare.server_time == datetime(2020, 5, 28, 11, 51, 2, tzinfo=UTC)
    assert bare.quota_max is None and bare.request_id is None


def test_list_helpers() -> None:
    assert encode_list("ReportTypeList.Type", ["a", "b"]) == {
        "ReportTypeList.Type.1": "a",
        "ReportTypeList.Type.2": "b",
    }
    assert id_list([" 1", "2", "1"], "ids") == ["1", "2"]
    with pytest.raises(TypeError):
        id_list("123", "ids")
    with pytest.raises(ValueError, match="blank"):
        id_list(["1", " "], "ids")
