"""GetFulfillmentPreview, GetPackageTrackingDetails errors, and returns against the sandbox."""

from __future__ import annotations

from mwstui.clock import FakeClock
from mwstui.sandbox.sandbox import Sandbox
from tests.sandbox.helpers import FBA, MWS, as_list, error
from tests.sandbox.mws.test_fulfillment import get, order_params, run_until


async def test_preview(small_mws: MWS) -> None:
    params = {
        "Address.Name": "Jane",
        "Address.Line1": "1 Main St",
        "Address.City": "Seattle",
        "Address.StateOrProvinceCode": "WA",
        "Address.CountryCode": "US",
        "Address.PostalCode": "98109",
        "Items.member.1.SellerSKU": "SKU-A",
        "Items.member.1.SellerFulfillmentOrderItemId": "i1",
        "Items.member.1.Quantity": "2",
    }
    res = await small_mws.fba("GetFulfillmentPreview", params)
    previews = as_list(res["FulfillmentPreviews"]["member"])
    assert [p["ShippingSpeedCategory"] for p in previews] == ["Standard", "Expedited", "Priority"]
    assert all(p["IsFulfillable"] == "true" for p in previews)
    fees = {f["Name"]: f["Amount"] for f in as_list(previews[0]["EstimatedFees"]["member"])}
    assert fees["FBAPerUnitFulfillmentFee"]["CurrencyCode"] == "USD"
    params.update(
        {
            "Items.member.2.SellerSKU": "SKU-Z",
            "Items.member.2.SellerFulfillmentOrderItemId": "i2",
            "Items.member.2.Quantity": "1",
            "ShippingSpeedCategories.member.1": "Priority",
        }
    )
    one = (await small_mws.fba("GetFulfillmentPreview", params))["FulfillmentPreviews"]["member"]
    assert one["IsFulfillable"] == "false"
    assert (
        one["UnfulfillablePreviewItems"]["member"]["ItemUnfulfillableReasons"]["member"]
        == "InventoryUnavailable"
    )
    del params["Address.Line1"]
    assert (
        error(await small_mws.call("GetFulfillmentPreview", params, path=FBA))["Code"]
        == "InvalidRequestException"
    )


async def test_returns(small_mws: MWS, clock: FakeClock) -> None:
    codes = await small_mws.fba(
        "ListReturnReasonCodes", {"SellerSKU": "SKU-A", "MarketplaceId": "ATVPDKIKX0DER"}
    )
    reasons = [c["ReturnReasonCode"] for c in as_list(codes["ReasonCodeDetailsList"]["member"])]
    assert "CR-DEFECTIVE" in reasons
    r = await small_mws.call("ListReturnReasonCodes", {"SellerSKU": "SKU-A"}, path=FBA)
    assert error(r)["Code"] == "InvalidRequestException"
    await small_mws.fba("CreateFulfillmentOrder", order_params("O-13", [("SKU-A", 2)]))
    await run_until(small_mws, clock, "O-13", "COMPLETE")
    shipment_id = as_list((await get(small_mws, "O-13"))["FulfillmentShipment"]["member"])[0][
        "AmazonShipmentId"
    ]
    item = {
        "SellerFulfillmentOrderItemId": "O-13-1",
        "AmazonShipmentId": shipment_id,
        "ReturnReasonCode": "CR-DEFECTIVE",
    }
    params = {"SellerFulfillmentOrderId": "O-13"}
    for n, rid in enumerate(["R1", "R2", "R3"], 1):
        params.update(
            {f"Items.member.{n}.{k}": v for k, v in {**item, "SellerReturnItemId": rid}.items()}
        )
    params["Items.member.4.SellerReturnItemId"] = "R4"
    params["Items.member.4.SellerFulfillmentOrderItemId"] = "O-13-1"
    params["Items.member.4.AmazonShipmentId"] = "nope"
    params["Items.member.4.ReturnReasonCode"] = "CR-DEFECTIVE"
    res = await small_mws.fba("CreateFulfillmentReturn", params)
    good = [i["SellerReturnItemId"] for i in as_list(res["ReturnItemList"]["member"])]
    bad = {
        i["SellerReturnItemId"]: i["InvalidItemReason"]["InvalidItemReasonCode"]
        for i in as_list(res["InvalidReturnItemList"]["member"])
    }
    assert good == ["R1", "R2"]
    assert bad == {"R3": "NoReturnableQuantity", "R4": "InvalidValues"}
    assert res["ReturnAuthorizationList"]["member"]["ReturnAuthorizationId"].startswith("RA")
    detail = await get(small_mws, "O-13")
    assert len(as_list(detail["ReturnItemList"]["member"])) == 2
    dup = await small_mws.fba(
        "CreateFulfillmentReturn",
        {
            "SellerFulfillmentOrderId": "O-13",
            **{f"Items.member.1.{k}": v for k, v in {**item, "SellerReturnItemId": "R1"}.items()},
        },
    )
    assert (
        dup["InvalidReturnItemList"]["member"]["InvalidItemReason"]["InvalidItemReasonCode"]
        == "DuplicateRequest"
    )


async def test_return_before_shipping_is_refused_per_item(small_mws: MWS, small: Sandbox) -> None:
    await small_mws.fba("CreateFulfillmentOrder", order_params("O-14"))
    plan = small.seller().fulfillment.orders["O-14"].shipments[0].shipment_id  # not shown yet
    res = await small_mws.fba(
        "CreateFulfillmentReturn",
        {
            "SellerFulfillmentOrderId": "O-14",
            "Items.member.1.SellerReturnItemId": "R1",
            "Items.member.1.SellerFulfillmentOrderItemId": "O-14-1",
            "Items.member.1.AmazonShipmentId": plan,
            "Items.member.1.ReturnReasonCode": "CR-DEFECTIVE",
        },
    )
    reason = res["InvalidReturnItemList"]["member"]["InvalidItemReason"]["InvalidItemReasonCode"]
    assert reason == "NoCompletedShipItems"


async def test_unknown_package(small_mws: MWS) -> None:
    for value in ("123", "abc"):
        r = await small_mws.call("GetPackageTrackingDetails", {"PackageNumber": value}, path=FBA)
        assert error(r)["Code"] == "InvalidRequestException"
