"""Cancels told truthfully, client against the sandbox: what Amazon accepted but did not
carry out, what the client refuses itself, and where a report is when the listing hides it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mwstui.backend.models import AccountInfo
from mwstui.backend.outcomes import Outcome
from mwstui.calls import CallRecord
from mwstui.clock import FakeClock
from mwstui.errors import InvalidStateError
from mwstui.mws.client import MWSClient
from mwstui.mws.fulfillment_backend import MWSFulfillment, cancel_result
from mwstui.sandbox.sandbox import Sandbox
from mwstui.throttle.governor import Governor
from tests.sandbox.conftest import ACCESS_KEY, SECRET_KEY, SELLER

BRAZIL = "A2Q3Y263D00KWC"
ADDRESS = {
    "Name": "Jane Doe",
    "Line1": "1 Main St",
    "City": "Seattle",
    "StateOrProvinceCode": "WA",
    "CountryCode": "US",
    "PostalCode": "98109",
}


def _order(oid: str, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "order_id": oid,
        "status": status,
        "received": -1800,
        "address": ADDRESS,
        "items": [
            {"sku": "SKU-A", "item_id": f"{oid}-1", "quantity": 1},
            {"sku": "SKU-A", "item_id": f"{oid}-2", "quantity": 3},
        ],
        **extra,
    }


def seed() -> dict[str, Any]:
    orders = [
        _order("PLAIN", "PLANNING", next_phase_in=3600),
        _order("PICKED", "PLANNING", next_phase_in=3600, on_cancel="picked"),
        _order("PARTIAL", "PLANNING", next_phase_in=3600, on_cancel="partial"),
        _order("BUSY", "PROCESSING"),
        _order("PARTLY-DONE", "COMPLETE_PARTIALLED"),
        _order("IN-BRAZIL", "RECEIVED", next_phase_in=3600, marketplace_id=BRAZIL),
    ]
    requests = [
        {"report_type": "_GET_AFN_INVENTORY_DATA_", "status": "_SUBMITTED_",
         "submitted": -5, "request_id": "51790018424", "starts_in": 1800},
        {"report_type": "_GET_AFN_INVENTORY_DATA_", "status": "_IN_PROGRESS_",
         "submitted": -30, "request_id": "51790018425"},
        {"report_type": "_GET_MERCHANT_LISTINGS_DATA_", "status": "_DONE_",
         "submitted": -7200, "request_id": "51781018424", "report_id": "21175694446018424",
         "generated_report_id": False},
    ]  # fmt: skip
    return {
        "version": 1,
        "rng_seed": 3,
        "mws": {
            "developers": [{"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}],
            "sellers": [
                {
                    "seller_id": SELLER,
                    "marketplaces": ["ATVPDKIKX0DER", BRAZIL],
                    "inventory": [{"sku": "SKU-A", "quantity": 100}],
                    "report_requests": requests,
                    "fulfillment_orders": orders,
                }
            ],
        },
    }


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox(clock: FakeClock) -> Sandbox:
    return Sandbox.create(seed=seed(), clock=clock, debug=True)


def make_client(sandbox: Sandbox, clock: FakeClock, marketplace: str) -> MWSClient:
    c = sandbox.credentials
    return MWSClient(
        endpoint="http://mws.sandbox.test",
        access_key=c.access_key,
        secret_key=c.secret_key,
        seller_id=c.seller_id,
        marketplace_id=marketplace,
        governor=Governor(clock),
        clock=clock,
        transport=httpx.ASGITransport(app=sandbox.mws_app),
    )


@pytest.fixture
async def client(sandbox: Sandbox, clock: FakeClock) -> AsyncIterator[MWSClient]:
    async with make_client(sandbox, clock, "ATVPDKIKX0DER") as c:
        yield c


@pytest.fixture
def sent(client: MWSClient) -> list[str]:
    """Operations that reached the sandbox, in order."""
    ops: list[str] = []

    def seen(record: CallRecord) -> None:
        ops.append(record.operation)

    client.add_observer(seen)
    return ops


def backend(client: MWSClient) -> MWSFulfillment:
    """The adapter the Fulfillment panel runs a cancel through: the one read-back rule."""
    account = AccountInfo("t", "mws", SELLER, "ATVPDKIKX0DER", "mws.sandbox.test")
    return MWSFulfillment(client, account, Governor(FakeClock()))


async def cancel_and_judge(client: MWSClient, order_id: str) -> tuple[Outcome, str]:
    result = await backend(client).cancel_one(order_id)
    return result.outcome, result.detail


async def test_a_plain_cancel_is_done(client: MWSClient) -> None:
    outcome, detail = await cancel_and_judge(client, "PLAIN")
    assert outcome is Outcome.DONE
    assert detail == "now CANCELLED"


async def test_an_order_picked_as_the_cancel_came_is_not_confirmed(client: MWSClient) -> None:
    outcome, detail = await cancel_and_judge(client, "PICKED")
    assert outcome is Outcome.NOT_CONFIRMED
    assert detail == "accepted; now PROCESSING: picking had begun, nothing cancelled"


async def test_a_partial_cancel_is_not_confirmed_and_says_what_was_cancelled(
    client: MWSClient, clock: FakeClock
) -> None:
    outcome, detail = await cancel_and_judge(client, "PARTIAL")
    assert outcome is Outcome.NOT_CONFIRMED
    assert detail == "accepted; now PROCESSING; SKU-A 1 of 3 cancelled: 3 units may still ship"
    items = {i.seller_fulfillment_order_item_id: i for i in
             (await client.fulfillment.get_order("PARTIAL")).data.items}  # fmt: skip
    assert (items["PARTIAL-2"].cancelled_quantity, items["PARTIAL-2"].quantity) == (1, 3)
    clock.advance(30 * 86400)
    later = await backend(client).order_detail("PARTIAL")
    assert later.order.status.value == "COMPLETE_PARTIALLED"
    assert cancel_result(later, settling=True).outcome is Outcome.NOT_CONFIRMED


async def test_a_lost_answer_is_settled_by_the_read_back(
    client: MWSClient, sandbox: Sandbox
) -> None:
    sandbox.faults.set("CancelFulfillmentOrder:drop-after:next=1")
    after = await backend(client).cancel_one("PLAIN")
    assert (after.outcome, after.detail) == (Outcome.DONE, "answer lost; now CANCELLED")


@pytest.mark.parametrize("order_id", ["BUSY", "PARTLY-DONE"])
async def test_the_client_refuses_orders_past_planning(
    client: MWSClient, sent: list[str], order_id: str
) -> None:
    listed = (await client.fulfillment.get_order(order_id)).data.order
    status = "PROCESSING" if order_id == "BUSY" else "COMPLETE_PARTIALLED"
    message = f"{order_id} is {status}: only RECEIVED or PLANNING orders can be cancelled"
    for how in ({"order": listed}, {"order": order_id, "recheck": True}):
        with pytest.raises(InvalidStateError) as info:
            await client.fulfillment.cancel_order(**how)  # type: ignore[arg-type]
        assert (info.value.code, info.value.message) == ("NotCancellable", message)
    assert "CancelFulfillmentOrder" not in sent


async def test_the_client_refuses_cancels_in_brazil(
    client: MWSClient, sandbox: Sandbox, clock: FakeClock, sent: list[str]
) -> None:
    with pytest.raises(InvalidStateError, match="not offered in the BR"):
        await client.fulfillment.cancel_order("IN-BRAZIL", recheck=True)
    async with make_client(sandbox, clock, BRAZIL) as brazil:
        with pytest.raises(InvalidStateError, match=r"BR \(A2Q3Y263D00KWC\) marketplace"):
            await brazil.fulfillment.cancel_order("PLAIN")
    assert "CancelFulfillmentOrder" not in sent
    order = (await client.fulfillment.get_order("PLAIN")).data.order
    assert order.fulfillment_order_status == "PLANNING"


async def test_the_client_refuses_report_requests_in_progress(
    client: MWSClient, sent: list[str]
) -> None:
    listed = [
        i
        async for page in client.reports.iter_report_requests(
            request_ids=["51790018424", "51790018425"]
        )
        for i in page.data
    ]
    with pytest.raises(InvalidStateError) as info:
        await client.reports.cancel_report_requests(listed)
    assert info.value.message == (
        "51790018425 is _IN_PROGRESS_: only _SUBMITTED_ requests can be cancelled; nothing was sent"
    )
    assert "CancelReportRequests" not in sent
    results = await client.reports.cancel_report_requests(
        ["51790018424", "51790018425"], recheck=True
    )
    assert sent.count("CancelReportRequests") == 1
    answer = results[0].data
    assert [i.report_request_id for i in answer.infos] == ["51790018424"]
    assert answer.infos[0].report_processing_status == "_CANCELLED_"
    assert list(answer.not_sent) == ["51790018425"]


async def test_nothing_left_to_send_sends_nothing(client: MWSClient, sent: list[str]) -> None:
    results = await client.reports.cancel_report_requests(["51790018425"], recheck=True)
    assert results[0].data.count == 0 and list(results[0].data.not_sent) == ["51790018425"]
    assert "CancelReportRequests" not in sent


async def test_a_done_request_without_generated_report_id_leads_to_its_report(
    client: MWSClient, tmp_path: Path
) -> None:
    listed = [
        i
        async for page in client.reports.iter_report_requests(request_ids=["51781018424"])
        for i in page.data
    ]
    assert listed[0].report_processing_status == "_DONE_"
    assert listed[0].generated_report_id is None
    report_id = await client.reports.report_id_for(listed[0])
    assert report_id == "21175694446018424"
    saved = (await client.reports.download_report(report_id, tmp_path / "r.txt")).data
    assert saved.verified and saved.size > 0
