"""Hostile server text goes through the clients unchanged: no crash, no cut, no escaping bug.

The hostile seed (``tests/hostile.py``) puts markup, escape sequences, control
characters, bidi overrides, emoji, CJK and 10,000-character strings in every field a
screen shows. MWS values come back exactly as XML 1.0 can carry them (``mws_expected``);
SellerCenter values (JSON) come back byte for byte. Hostile text the client *sends*
(order fields, ids, cancel reasons) is encoded, signed and accepted the same way.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from mwstui.clock import FakeClock
from mwstui.errors import ApiError, InvalidParameterError
from mwstui.mws.models import Address, NewFulfillmentOrder, NewFulfillmentOrderItem
from mwstui.sandbox.sandbox import Sandbox
from mwstui.validation import LocalValidationError
from mwstui.wiring import build_session
from tests.hardening.rig import START, Rig, open_rig
from tests.hostile import (
    CJK,
    CLICK_QUIT,
    CONTROL,
    EMOJI,
    FORMAT,
    HOSTILE_IDS,
    HOSTILE_STATUS,
    HOSTILE_STRINGS,
    LINK,
    LONG_CJK,
    LONG_MARKUP,
    MARKUP,
    OVERLONG_ID,
    RTL,
    XMLISH,
    ZERO_WIDTH,
    fit,
    hostile_seed,
    mws_expected,
    write_seed,
)

SEED = hostile_seed()
SELLER = SEED["mws"]["sellers"][0]
SC = SEED["sellercenter"]


def _leaves(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_leaves(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_leaves(v) for v in value)) if value else set()
    return {value} if isinstance(value, str) else set()


def test_the_seed_loads_and_uses_every_hostile_string(tmp_path: Path) -> None:
    Sandbox.create(seed=hostile_seed(), clock=FakeClock(START), debug=True)
    from_file = write_seed(tmp_path / "hostile.json")  # what --seed FILE reads
    assert json.loads(from_file.read_text("utf-8")) == SEED
    Sandbox.create(seed=from_file, clock=FakeClock(START))
    leaves = _leaves(hostile_seed())
    assert set(HOSTILE_STRINGS) <= leaves and set(HOSTILE_IDS) <= leaves
    assert {len(LONG_MARKUP), len(LONG_CJK)} == {10_000}
    assert hostile_seed() == SEED and hostile_seed() is not hostile_seed()


def _expected_address(a: dict[str, str]) -> dict[str, str | None]:
    return {
        "name": mws_expected(a["Name"]),
        "line1": mws_expected(a["Line1"]),
        "line2": mws_expected(a["Line2"]),
        "city": mws_expected(a["City"]),
        "state_or_province_code": mws_expected(a["StateOrProvinceCode"]),
        "postal_code": mws_expected(a["PostalCode"]),
        "phone_number": mws_expected(a["PhoneNumber"]),
    }


async def test_mws_listing_reads_every_field_back(tmp_path: Path) -> None:
    async with open_rig(tmp_path, seed=hostile_seed()) as rig:
        listed = {
            o.seller_fulfillment_order_id: o
            async for page in rig.mws.fulfillment.iter_orders()
            for o in page.data
        }
        seeded = SELLER["fulfillment_orders"]
        assert set(listed) == {mws_expected(o["order_id"]) for o in seeded}
        for o in seeded:
            got = listed[mws_expected(o["order_id"])]
            assert got.displayable_order_id == mws_expected(o["displayable_id"])
            assert got.displayable_order_comment == mws_expected(o["comment"])
            assert got.notification_emails == tuple(mws_expected(e) for e in o["emails"])
            address = got.destination_address
            assert address is not None
            for name, value in _expected_address(o["address"]).items():
                assert getattr(address, name) == value, name
        assert any(len(o.displayable_order_comment or "") == 10_000 for o in listed.values())


@pytest.mark.parametrize("order_id", HOSTILE_IDS)
async def test_mws_detail_of_a_hostile_id(tmp_path: Path, order_id: str) -> None:
    async with open_rig(tmp_path, seed=hostile_seed()) as rig:
        detail = (await rig.mws.fulfillment.get_order(order_id)).data
        assert detail.order.seller_fulfillment_order_id == order_id
        seeded = next(o for o in SELLER["fulfillment_orders"] if o["order_id"] == order_id)
        assert len(detail.items) == len(seeded["items"])
        for got, want in zip(detail.items, seeded["items"], strict=True):
            assert got.seller_sku == mws_expected(want["sku"])
            assert got.seller_fulfillment_order_item_id == mws_expected(want["item_id"])
            assert got.gift_message == mws_expected(want.get("gift_message") or "")
            assert got.displayable_comment == mws_expected(want["comment"])
        # The raw answer is kept for the inspector (up to 64 KB): long values are not cut.
        assert LONG_CJK in rig.calls("GetFulfillmentOrder")[0].response_text


async def test_mws_a_hostile_id_is_cancelled_and_journaled_verbatim(tmp_path: Path) -> None:
    order_id = HOSTILE_IDS[1]
    async with open_rig(tmp_path, seed=hostile_seed()) as rig:
        await rig.mws.fulfillment.cancel_order(order_id)
        assert rig.sandbox.seller().fulfillment.orders[order_id].cancelled_at is not None
        (entry,) = rig.journal.entries()
        assert entry.items == (order_id,) and entry.status == "ok"
        assert entry.params["SellerFulfillmentOrderId"] == order_id


async def test_mws_an_overlong_server_id_is_listed_but_never_sent_back(tmp_path: Path) -> None:
    async with open_rig(tmp_path, seed=hostile_seed()) as rig:
        ids = [
            o.seller_fulfillment_order_id
            async for p in rig.mws.fulfillment.iter_orders()
            for o in p.data
        ]
        assert OVERLONG_ID in ids
        sent = list(rig.wire.sent)
        for call in (rig.mws.fulfillment.get_order, rig.mws.fulfillment.cancel_order):
            with pytest.raises(LocalValidationError, match="longer than 40"):
                await call(OVERLONG_ID)
        assert rig.wire.sent == sent and rig.journal.entries() == []


async def test_mws_hostile_text_sent_in_an_order_comes_back(tmp_path: Path) -> None:
    order = NewFulfillmentOrder(
        seller_fulfillment_order_id="[@click=app.quit]NEW-🎁",
        displayable_order_id="[b]NEW[/b]&<x>=%20+",
        displayable_order_date_time=datetime.fromtimestamp(START, UTC),
        displayable_order_comment=fit(CLICK_QUIT + RTL + EMOJI + CJK + XMLISH + LONG_CJK, 1000),
        shipping_speed_category="Standard",
        destination_address=Address(
            name=fit(LINK, 50),
            line1=fit(CJK + EMOJI, 60),
            line2=fit(MARKUP, 60),
            state_or_province_code="WA",
            country_code="US",
            city=fit(RTL, 50),
            postal_code="98109",
        ),
        items=[
            NewFulfillmentOrderItem(
                HOSTILE_IDS[0],
                "line[1]&=+%",
                1,
                gift_message=fit(FORMAT + ZERO_WIDTH + CONTROL, 512),
                displayable_comment=fit(MARKUP + XMLISH, 250),
            )
        ],
    )
    async with open_rig(tmp_path, seed=hostile_seed()) as rig:
        await rig.mws.fulfillment.create_order(order)
        detail = (await rig.mws.fulfillment.get_order(order.seller_fulfillment_order_id)).data
        got = detail.order
        assert got.displayable_order_id == order.displayable_order_id
        assert got.displayable_order_comment == order.displayable_order_comment
        assert got.destination_address is not None
        assert got.destination_address.name == order.destination_address.name
        assert got.destination_address.line1 == order.destination_address.line1
        assert got.destination_address.line2 == order.destination_address.line2
        assert got.destination_address.city == order.destination_address.city
        (item,) = detail.items
        sent = order.items[0]
        assert item.seller_fulfillment_order_item_id == sent.seller_fulfillment_order_item_id
        assert item.gift_message == mws_expected(sent.gift_message or "")
        assert item.displayable_comment == sent.displayable_comment
        (entry,) = rig.journal.entries()
        assert entry.params["DisplayableOrderComment"] == order.displayable_order_comment
        assert entry.items == (order.seller_fulfillment_order_id,)


async def test_mws_a_hostile_error_message_is_kept_verbatim_on_one_line(tmp_path: Path) -> None:
    missing = "[@click=app.quit]nope\u202e🎁"
    async with open_rig(tmp_path, seed=hostile_seed()) as rig:
        with pytest.raises(InvalidParameterError) as info:
            await rig.mws.fulfillment.get_order(missing)
        assert missing in info.value.message
        assert "\n" not in str(info.value) and missing in str(info.value)


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
async def test_any_error_message_reaches_the_exception_whole(text: str) -> None:
    """Whatever an ErrorResponse says (10,000 characters, escapes) is kept, one line in str()."""
    from mwstui.targets import MWSTarget

    body = (
        '<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type>'
        "<Code>InvalidParameterValue</Code><Message>"
        + _xml_text(text)
        + "</Message></Error><RequestId>rid-1</RequestId></ErrorResponse>"
    )
    transport = httpx.MockTransport(lambda r: httpx.Response(400, text=body))
    clock = FakeClock(START)
    target = MWSTarget("http://mws.example", "AKIA", _secret(), "A1", None, transport=transport)
    session = build_session(clock=clock, profile="t", mws=target)
    assert session.mws is not None
    with pytest.raises(ApiError) as info:
        await session.mws.reports.report_request_count()
    assert info.value.message == mws_expected(text)
    assert info.value.request_id == "rid-1"
    assert "\n" not in str(info.value) and "\r" not in str(info.value)
    await session.mws.aclose()


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    from mwstui.sandbox.mws.xml_render import clean_text

    return escape(clean_text(text))


def _secret() -> Any:
    from mwstui.secret import Secret

    return Secret("k")


# -- SellerCenter (JSON: every character survives) ---------------------------------------------


def _seeded_order(order_id: str) -> dict[str, Any]:
    return next(o for o in SC["orders"] if str(o["order_id"]) == order_id)


async def _all_orders(rig: Rig) -> list[Any]:
    since = rig.clock.now() - timedelta(days=2)
    return [o async for p in rig.sc.iter_orders(created_after=since) for o in p.data.orders]


async def test_sellercenter_orders_and_items_come_back_byte_for_byte(tmp_path: Path) -> None:
    async with open_rig(tmp_path, seed=hostile_seed()) as rig:
        orders = await _all_orders(rig)
        assert len(orders) == len(SC["orders"])
        for got in orders:
            want = _seeded_order(got.order_id)
            assert got.order_number == want["order_number"]
            assert got.customer_first_name == want["customer_first_name"]
            assert got.customer_last_name == want["customer_last_name"]
            assert got.payment_method == want["payment_method"]
            assert got.remarks == want["remarks"]
            assert got.address_shipping.city == want["city"]
            assert got.address_billing.country == want["country"]
        items = (await rig.sc.multiple_order_items([o.order_id for o in orders[:20]])).data
        for order_id, got_items in items.items():
            for got, want in zip(got_items, _seeded_order(order_id)["items"], strict=True):
                assert (got.name, got.sku, got.shipping_type, got.reason) == (
                    want["name"],
                    want["sku"],
                    want["shipping_type"],
                    want["reason"],
                )
                assert got.status == want["status"]
        odd = [i for its in items.values() for i in its if i.status == HOSTILE_STATUS]
        assert len(odd) == 1 and not odd[0].status.known and not odd[0].status.cancellable
        assert rig.session.sellercenter_account is not None
        assert rig.session.sellercenter_account.marketplace == SC["marketplace"]


async def test_sellercenter_hostile_reasons_round_trip_through_a_cancel(tmp_path: Path) -> None:
    async with open_rig(tmp_path, seed=hostile_seed()) as rig:
        reasons = [r.name for r in (await rig.sc.failure_reasons()).data if r.type == "canceled"]
        assert reasons == [r["name"] for r in SC["failure_reasons"] if r["type"] == "canceled"]
        pending = [i for o in SC["orders"] for i in o["items"] if i["status"] == "pending"]
        for reason, item in zip(reasons, pending, strict=False):
            await rig.sc.cancel_item(item["order_item_id"], reason, reason_detail=reason)
            order_id = next(o["order_id"] for o in SC["orders"] if item in o["items"])
            got = {int(i.order_item_id): i for i in (await rig.sc.order_items(order_id)).data}[
                item["order_item_id"]
            ]
            assert (got.status, got.reason, got.reason_detail) == ("canceled", reason, reason)
        entries = rig.journal.entries(limit=None)
        assert [e.status for e in entries] == ["ok"] * len(reasons)
        assert sorted(e.params["Reason"] for e in entries) == sorted(reasons)


async def test_sellercenter_a_hostile_error_message_is_kept(tmp_path: Path) -> None:
    bogus = "[@click=app.quit]nope\x1b[2J\u202e"
    async with open_rig(tmp_path, seed=hostile_seed()) as rig:
        item = SC["orders"][1]["items"][0]["order_item_id"]
        with pytest.raises(InvalidParameterError) as info:
            await rig.sc.cancel_item(item, bogus)
        assert info.value.code == "E022" and bogus in info.value.message
        assert "\n" not in str(info.value)
        assert json.loads(json.dumps(info.value.message)) == info.value.message
