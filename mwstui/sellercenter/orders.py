"""Parameters of the SellerCenter order operations, checked before anything is sent."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from datetime import UTC, datetime

from mwstui import validation as v
from mwstui.calls import ResponseMeta, Result
from mwstui.catalog import load_catalog
from mwstui.sellercenter.models import Order, OrdersPage
from mwstui.validation import LocalValidationError

PageFetcher = Callable[[int], Awaitable[tuple[list[Order], int | None, ResponseMeta]]]
"""Fetch the GetOrders page at an offset: its orders, Head.TotalCount and the call's meta."""


def iso_date(when: datetime) -> str:
    """A filter date as ISO 8601 in UTC (``2026-01-01T00:00:00+00:00``); naive means UTC."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def id_list(ids: Iterable[str | int], what: str) -> str:
    """The ``[1,2]`` list form of ``OrderIdList`` / ``OrderItemIds`` (spec §1.2, §3.4).

    Raises:
        LocalValidationError: (a ValueError) no ids, or an id that is not a number (an
            empty one, or one with ``,`` ``[`` ``]`` that would break the list form).
    """
    values = [str(i).strip() for i in ids]
    if not values:
        raise LocalValidationError(what, f"{what}: at least one id is required")
    for value in values:
        v.check(what, v.sellercenter_id(value, what))
    return "[" + ",".join(values) + "]"


def single_id(value: str | int, what: str) -> str:
    """One id parameter, stripped; LocalValidationError when empty or not a number."""
    v.check(what, v.sellercenter_id(value, what))
    return str(value).strip()


def get_orders_params(
    *,
    status: str | None,
    created_after: datetime | None,
    created_before: datetime | None,
    updated_after: datetime | None,
    updated_before: datetime | None,
    sort_by: str | None,
    sort_direction: str | None,
    page_size: int,
) -> dict[str, str]:
    """The filter parameters of GetOrders (without Limit/Offset).

    Raises:
        LocalValidationError: (a ValueError) neither ``created_after`` nor
            ``updated_after`` (the server's E018), a reversed date range, or a page size
            outside 1 … the catalog's page limit.
    """
    if created_after is None and updated_after is None:
        raise LocalValidationError("CreatedAfter", "GetOrders needs created_after or updated_after")
    limit = int(load_catalog().sellercenter["page_limit"])
    if v.positive_int("Limit", page_size, maximum=limit) is not None:
        raise LocalValidationError("Limit", f"page_size (Limit) must be between 1 and {limit}")
    for first, start, second, end in (
        ("CreatedAfter", created_after, "CreatedBefore", created_before),
        ("UpdatedAfter", updated_after, "UpdatedBefore", updated_before),
    ):
        v.check(first, v.date_range(start, end, start_field=first, end_field=second))
    params: dict[str, str] = {}
    for name, when in (
        ("CreatedAfter", created_after),
        ("CreatedBefore", created_before),
        ("UpdatedAfter", updated_after),
        ("UpdatedBefore", updated_before),
    ):
        if when is not None:
            params[name] = iso_date(when)
    # Status, SortBy and SortDirection are sent as given: an instance may know values the
    # catalog does not, and the server answers E036/E074/E075 when it does not.
    if status:
        params["Status"] = status
    if sort_by:
        params["SortBy"] = sort_by
    if sort_direction:
        params["SortDirection"] = sort_direction
    return params


def cancel_params(
    order_item_id: str | int, reason: str, reason_detail: str | None
) -> dict[str, str]:
    """SetStatusToCanceled parameters.

    Raises:
        LocalValidationError: (a ValueError) no item id or one that is not a number, or an
            empty reason (it must be a ``canceled`` reason name).
    """
    params = {"OrderItemId": single_id(order_item_id, "OrderItemId")}
    if v.reason(reason) is not None:
        raise LocalValidationError(
            "Reason", "Reason is required (a 'canceled' reason name from GetFailureReasons)"
        )
    params["Reason"] = reason
    if reason_detail:
        # LINIO leaves an empty detail out; sending it empty gains nothing.
        params["ReasonDetail"] = reason_detail
    return params


def ready_to_ship_params(
    order_item_ids: Iterable[str | int],
    delivery_type: str,
    shipping_provider: str | None,
    tracking_number: str | None,
) -> dict[str, str]:
    """SetStatusToReadyToShip parameters (LocalValidationError on no ids or no delivery type)."""
    params = {"OrderItemIds": id_list(order_item_ids, "OrderItemIds")}
    if v.required("DeliveryType", delivery_type) is not None:
        raise LocalValidationError(
            "DeliveryType", "delivery_type is required (dropship, pickup or send_to_warehouse)"
        )
    params["DeliveryType"] = delivery_type
    if shipping_provider:
        params["ShippingProvider"] = shipping_provider
    if tracking_number:
        params["TrackingNumber"] = tracking_number
    return params


async def pages(fetch: PageFetcher, size: int) -> AsyncIterator[Result[OrdersPage]]:
    """Walk GetOrders with Limit/Offset until TotalCount (or a short page) is reached.

    The list may change between pages (spec §3.1): an order already yielded is not
    yielded again, so a page can hold fewer orders than it was asked for.
    """
    offset = 0
    seen: set[str] = set()
    while True:
        found, total, meta = await fetch(offset)
        if total is None:
            # No TotalCount: keep going while pages come back full.
            total = offset + len(found) + (1 if len(found) >= size else 0)
        fresh = [o for o in found if o.order_id not in seen]
        seen.update(o.order_id for o in fresh)
        yield Result(OrdersPage(fresh, total, offset), meta)
        offset += len(found)
        if not found or len(found) < size or offset >= total:
            return
