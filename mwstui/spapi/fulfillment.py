"""Fulfillment Outbound 2020-07-01: list, detail, cancel with a read back.

A cancel is refused here unless the order is Received or Planning (any casing: the model
is PascalCase, its examples UPPER_CASE; spec §6.3). Amazon's 200 only means "asked to
stop": the order is read back and the caller is told what it shows.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import TYPE_CHECKING

from mwstui.calls import Result
from mwstui.catalog import load_catalog
from mwstui.errors import ApiError, InvalidStateError, MalformedResponseError
from mwstui.spapi import parsing
from mwstui.spapi.errors import with_hint
from mwstui.spapi.models import (
    CancelReadBack,
    FulfillmentOrder,
    FulfillmentOrderDetail,
    OrderStatus,
)
from mwstui.spapi.reports import ensure, identifier, parsed

if TYPE_CHECKING:
    from mwstui.spapi.client import SPAPIClient
    from mwstui.spapi.http import QueryValue


def order_id(value: str) -> str:
    """A seller fulfillment order id: not blank, at most 40 characters (spec §6.2)."""
    oid = identifier("sellerFulfillmentOrderId", value)
    most = load_catalog().spapi.limit("sellerFulfillmentOrderId.max_length")
    ensure(
        len(oid) <= most,
        "sellerFulfillmentOrderId",
        f"sellerFulfillmentOrderId is longer than {most} characters ({len(oid)})",
    )
    return oid


class FulfillmentAPI:
    """``client.fulfillment``: the Fulfillment Outbound operations the dashboard uses."""

    def __init__(self, client: SPAPIClient) -> None:
        self._c = client

    async def iter_orders(
        self, *, query_start_date: datetime | None = None
    ) -> AsyncIterator[Result[list[FulfillmentOrder]]]:
        """listAllFulfillmentOrders, every page (``nextToken`` alone from the second call).

        Without ``query_start_date`` Amazon picks the window (not documented for SP-API;
        MWS used the last 36 hours).
        """
        query: list[tuple[str, QueryValue]] = []
        if query_start_date is not None:
            query.append(("queryStartDate", parsing.format_datetime(query_start_date)))
        page = parsed(
            await self._c.send("listAllFulfillmentOrders", query=query), parsing.orders_page
        )
        yield page
        seen: set[str] = set()
        while (token := page.meta.next_token) is not None:
            if token in seen:  # spec §8.16: the same page handed back forever
                raise MalformedResponseError(
                    "NextTokenRepeated", "Amazon returned a nextToken twice",
                    operation="listAllFulfillmentOrders", request_id=page.meta.request_id,
                )  # fmt: skip
            seen.add(token)
            page = parsed(
                await self._c.send("listAllFulfillmentOrders", query=[("nextToken", token)]),
                parsing.orders_page,
            )
            yield page

    async def list_orders(
        self, *, query_start_date: datetime | None = None
    ) -> Result[list[FulfillmentOrder]]:
        """Every order since ``query_start_date``, all pages joined."""
        orders: list[FulfillmentOrder] = []
        last = None
        async for page in self.iter_orders(query_start_date=query_start_date):
            orders += page.data
            last = page
        assert last is not None
        return Result(orders, last.meta)

    async def get_order(self, seller_fulfillment_order_id: str) -> Result[FulfillmentOrderDetail]:
        """getFulfillmentOrder: the order, items, shipments with packages, returns."""
        oid = order_id(seller_fulfillment_order_id)
        result = await self._c.send("getFulfillmentOrder", path={"sellerFulfillmentOrderId": oid})
        return parsed(result, parsing.order_detail)

    async def cancel_order(
        self, seller_fulfillment_order_id: str, *, status: str | None = None
    ) -> Result[CancelReadBack]:
        """cancelFulfillmentOrder, then read the order back.

        Args:
            seller_fulfillment_order_id: the order.
            status: its status when the caller just read it; otherwise it is read first.

        Raises:
            InvalidStateError: the order is not Received / Planning (code
                ``NotCancellable``; nothing sent).
            ApiError: the cancel itself failed (a failed read back is reported in the
                result instead: the cancel was accepted).
        """
        oid = order_id(seller_fulfillment_order_id)
        if status is None:
            status = str((await self.get_order(oid)).data.order.status)
        before = OrderStatus(status)
        if not before.cancellable:
            raise with_hint(
                InvalidStateError(
                    "NotCancellable",
                    f"order {oid} is {status or 'of unknown status'}: only Received or "
                    "Planning orders can be cancelled",
                    operation="cancelFulfillmentOrder",
                ),
                "Picking has started or the order is finished; it can no longer be cancelled.",
            )
        sent = await self._c.send(
            "cancelFulfillmentOrder", path={"sellerFulfillmentOrderId": oid}, items=[oid]
        )
        try:
            after: FulfillmentOrderDetail | None = (await self.get_order(oid)).data
        except ApiError:
            after = None
        return Result(CancelReadBack(oid, before, after, sent.meta.request_id), sent.meta)
