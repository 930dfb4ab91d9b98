"""The SellerCenter client: one send path, governor → sign → send → parse → map errors.

Reads are retried with bounded exponential backoff on E429, E006/1000, HTTP 5xx and
network failures; a mutation (SetStatusTo*) is sent at most once, journaled before and
after, and a lost answer is reported as OutcomeUnknownError, never retried.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, TypeVar

import httpx

from mwstui import wire
from mwstui.call_log import CallLog
from mwstui.calls import CallObserver, MutationRecorder, ResponseMeta, Result, mask_params
from mwstui.catalog import Operation, Throttle, load_catalog
from mwstui.clock import Clock
from mwstui.errors import (
    ApiError,
    MalformedResponseError,
    NotSentError,
    OutcomeUnknownError,
    ReadOnlyError,
    ThrottledError,
)
from mwstui.secret import Secret
from mwstui.sellercenter import orders as op_params
from mwstui.sellercenter import parsing
from mwstui.sellercenter.errors import (
    deadline_error,
    envelope_error,
    retryable,
    transport_error,
    unreadable_error,
)
from mwstui.sellercenter.http import mask_httpx_log
from mwstui.sellercenter.models import FailureReason, Order, OrderItem, OrdersPage
from mwstui.sellercenter.reply import Reply
from mwstui.sellercenter.signing import SellerCenterAuth, SignedRequest
from mwstui.throttle.budget import BucketKey
from mwstui.throttle.governor import Governor

T = TypeVar("T")
SERVICE = "sellercenter"


mask_httpx_log()

MAX_READ_ATTEMPTS = 5
BACKOFF_BASE = 1.0
BACKOFF_CAP = 30.0
RESPONSE_TEXT_LIMIT = 4000


class SellerCenterClient:
    """Async client of one SellerCenter instance for one user.

    Args:
        endpoint: base URL, e.g. ``https://sellercenter-api.falabella.com``.
        user_id: the Seller Center login e-mail (``UserID``).
        api_key: that user's API key.
        governor: the shared throttle governor; the bucket is
            ``BucketKey(host, user_id, "SellerCenter")``.
        clock: for Timestamp, backoff and the governor.
        transport: an httpx transport (``ASGITransport`` for the sandbox in tests).
        verify: TLS verification (a CA bundle path for the TLS sandbox).
        timeout: seconds per HTTP exchange.
        journal: where mutations are recorded (intent, then outcome).
        profile: the profile name written to the journal.
        read_only: refuse every mutation with ReadOnlyError.
        throttle: the bucket to model (no quota is published; default: the catalog's).
        fmt: ``JSON`` (default) or ``XML``: the response format asked for.
        max_wait: give up (ThrottledError, nothing sent) rather than wait longer for a token.
        max_response_bytes: an answer larger than this is refused while it streams.
        deadline: seconds one exchange may take in all, however slowly the server sends.
        user_agent: the ``User-Agent`` to send; Falabella requires
            ``<SellerId>/<language>/<language version>`` (see ``http.seller_user_agent``).
    """

    def __init__(
        self,
        *,
        endpoint: str,
        user_id: str,
        api_key: Secret,
        governor: Governor,
        clock: Clock,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: ssl.SSLContext | str | bool = True,
        timeout: float = 30.0,
        journal: MutationRecorder | None = None,
        profile: str = "",
        read_only: bool = False,
        throttle: Throttle | None = None,
        fmt: str = "JSON",
        max_wait: float | None = None,
        max_response_bytes: int = wire.DEFAULT_MAX_RESPONSE_MB * wire.MB,
        deadline: float = wire.DEFAULT_DEADLINE,
        user_agent: str | None = None,
    ) -> None:
        catalog = load_catalog()
        self._section = catalog.sections[SERVICE]
        self.host = wire.canonical_host(httpx.URL(endpoint))
        self.user_id = user_id
        self.read_only = read_only
        self.throttle = throttle or catalog.sellercenter_throttle()
        self.fmt = fmt.upper()
        if self.fmt not in {"JSON", "XML"}:
            raise ValueError("fmt must be JSON or XML")
        self._governor = governor
        self._clock = clock
        self._max_wait = max_wait
        self.max_response_bytes = max_response_bytes
        self.deadline = deadline
        self._log = CallLog(SERVICE, self.host, user_id, journal, profile)
        auth = SellerCenterAuth(
            user_id, Secret(api_key), clock, version=self._section.version, fmt=self.fmt
        )
        verify = wire.tls_verify(httpx.URL(endpoint), verify)
        self._http = httpx.AsyncClient(
            base_url=endpoint,
            transport=transport,
            verify=verify,
            timeout=timeout,
            auth=auth,
            headers={"User-Agent": user_agent} if user_agent else None,
        )
        for op in self._section.operations.values():
            governor.register(self.bucket_key(), self.throttle, op.name)

    def __repr__(self) -> str:
        return f"SellerCenterClient(host={self.host!r}, user_id={self.user_id!r})"

    # -- plumbing ---------------------------------------------------------------------------

    def add_observer(self, fn: CallObserver) -> None:
        """Call ``fn`` with a CallRecord after every attempt."""
        self._log.add_observer(fn)

    def bucket_key(self, operation: str | None = None) -> BucketKey:
        """The governor bucket: every operation of one user on one host shares it."""
        return BucketKey(self.host, self.user_id, "SellerCenter")

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> SellerCenterClient:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    # -- operations -------------------------------------------------------------------------

    def iter_orders(
        self,
        *,
        status: str | None = "pending",
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        updated_after: datetime | None = None,
        updated_before: datetime | None = None,
        sort_by: str | None = "created_at",
        sort_direction: str | None = "DESC",
        page_size: int | None = None,
    ) -> AsyncIterator[Result[OrdersPage]]:
        """GetOrders, one item per page (Limit/Offset), until TotalCount is reached.

        An order already yielded is not yielded again if the list shifts between pages.

        Raises:
            LocalValidationError: (a ValueError) at once, when neither ``created_after``
                nor ``updated_after`` is given, a date range is reversed, or ``page_size``
                is outside 1 … the catalog's page limit.
        """
        size = page_size or self._section.page_size
        params = op_params.get_orders_params(
            status=status,
            created_after=created_after,
            created_before=created_before,
            updated_after=updated_after,
            updated_before=updated_before,
            sort_by=sort_by,
            sort_direction=sort_direction,
            page_size=size,
        )
        return op_params.pages(lambda offset: self._orders_page(params, size, offset), size)

    async def _orders_page(
        self, params: dict[str, str], limit: int, offset: int
    ) -> tuple[list[Order], int | None, ResponseMeta]:
        page = {**params, "Limit": str(limit), "Offset": str(offset)}
        reply = await self._call("GetOrders", page)
        found = await reply.build(parsing.orders)
        return found, parsing.integer(reply.envelope.head.get("TotalCount")), reply.meta

    async def get_order(self, order_id: str | int) -> Result[Order]:
        """GetOrder (NotFoundError E016 for an unknown id)."""
        reply = await self._call("GetOrder", {"OrderId": op_params.single_id(order_id, "OrderId")})
        found = reply.model(parsing.orders)
        if not found:
            raise MalformedResponseError(
                "NoOrder", "the answer holds no order", operation="GetOrder"
            )
        return Result(found[0], reply.meta)

    async def order_items(self, order_id: str | int) -> Result[list[OrderItem]]:
        """GetOrderItems of one order."""
        reply = await self._call(
            "GetOrderItems", {"OrderId": op_params.single_id(order_id, "OrderId")}
        )
        return Result(await reply.build(parsing.order_items), reply.meta)

    async def multiple_order_items(
        self, order_ids: Iterable[str | int]
    ) -> Result[dict[str, list[OrderItem]]]:
        """GetMultipleOrderItems (``OrderIdList=[1,2]``): items by order id."""
        reply = await self._call(
            "GetMultipleOrderItems", {"OrderIdList": op_params.id_list(order_ids, "OrderIdList")}
        )
        return Result(await reply.build(parsing.multiple_order_items), reply.meta)

    async def failure_reasons(self) -> Result[list[FailureReason]]:
        """GetFailureReasons: the names SetStatusToCanceled accepts (those of type canceled)."""
        reply = await self._call("GetFailureReasons", {})
        return Result(reply.model(lambda body, _tz: parsing.failure_reasons(body)), reply.meta)

    async def cancel_item(
        self, order_item_id: str | int, reason: str, reason_detail: str | None = None
    ) -> Result[None]:
        """SetStatusToCanceled for one item (sent once; journaled).

        Raises:
            ReadOnlyError: the client is read-only (nothing sent).
            LocalValidationError: (a ValueError) an item id that is not a number or an
                empty reason (nothing sent).
            InvalidStateError: E028, the item is no longer pending.
            NotFoundError: E020, unknown item.
            InvalidParameterError: E022, the reason is not a ``canceled`` reason.
            OutcomeUnknownError: the answer was lost; it may have happened.
        """
        self._writable("SetStatusToCanceled")
        params = op_params.cancel_params(order_item_id, reason, reason_detail)
        reply = await self._call("SetStatusToCanceled", params, items=[params["OrderItemId"]])
        return Result(None, reply.meta)

    async def ready_to_ship(
        self,
        order_item_ids: Sequence[str | int],
        delivery_type: str,
        shipping_provider: str | None = None,
        tracking_number: str | None = None,
    ) -> Result[None]:
        """SetStatusToReadyToShip for items of one order (sent once; journaled)."""
        self._writable("SetStatusToReadyToShip")
        params = op_params.ready_to_ship_params(
            order_item_ids, delivery_type, shipping_provider, tracking_number
        )
        items = [str(i).strip() for i in order_item_ids]
        reply = await self._call("SetStatusToReadyToShip", params, items=items)
        return Result(None, reply.meta)

    # -- the send path ----------------------------------------------------------------------

    def _writable(self, action: str) -> None:
        if self.read_only:
            raise ReadOnlyError(f"{action} refused: this profile is read-only")

    async def _call(
        self, action: str, params: Mapping[str, str], *, items: Sequence[str] = ()
    ) -> Reply:
        op = self._section.operations[action]
        if op.mutating:
            self._writable(action)
        attempts = 1 if op.mutating else MAX_READ_ATTEMPTS
        key = self.bucket_key()
        attempt = 0
        while True:
            attempt += 1
            waited = await self._governor.acquire(
                key, self.throttle, operation=action, max_wait=self._max_wait
            )
            acquired_at = self._clock.time()
            entry = self._log.intent(op, {"Action": op.name, **params}, items)
            try:
                try:
                    reply = await self._attempt(op, params, attempt, waited)
                except NotSentError:
                    # Nothing reached the server: it spent nothing, nor do we.
                    self._governor.give_back(key, acquired_at)
                    raise
                finally:
                    self._governor.observe_answer(key, acquired_at)
            except asyncio.CancelledError:
                # Cancelled mid-flight (the user left the screen): it may have been sent.
                self._log.outcome(
                    entry, OutcomeUnknownError("Cancelled", "cancelled while sending")
                )
                raise
            except ApiError as exc:
                self._log.outcome(entry, exc)
                if isinstance(exc, ThrottledError):
                    self._governor.observe_throttled(key, self.throttle)
                if attempt >= attempts or not retryable(exc):
                    raise
                await self._clock.sleep(min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1)))
                continue
            self._log.outcome(entry, None, reply.meta)
            return reply

    async def _attempt(
        self, op: Operation, params: Mapping[str, str], attempt: int, waited: float
    ) -> Reply:
        # SignedRequest: the signature lands in the query, and the request sits in the
        # locals of every frame below; its repr must not show it.
        request = SignedRequest.of(
            self._http.build_request(
                op.method, self._section.path, params={"Action": op.name, **params}
            )
        )
        started, t0 = self._clock.now(), self._clock.time()
        record: dict[str, Any] = {"started_at": started, "attempt": attempt, "waited": waited}
        err: ApiError
        try:
            async with asyncio.timeout(self.deadline):
                response, content = await self._exchange(request)
        except (httpx.HTTPError, TimeoutError, wire.TooLarge) as exc:
            # The auth flow signed the request in place: record what was really sent.
            record["params"] = mask_params(dict(request.url.params.multi_items()))
            if isinstance(exc, TimeoutError):
                err = deadline_error(op.name, op.mutating, self.host, self.deadline)
            elif isinstance(exc, wire.TooLarge):
                err = unreadable_error(op.name, op.mutating, exc.http_status or 200, str(exc))
            else:
                err = transport_error(op.name, op.mutating, exc, self.host)
            self._log.attempt(op, record, duration=self._clock.time() - t0, error=err)
            raise err from None
        record["params"] = mask_params(dict(request.url.params.multi_items()))
        duration = self._clock.time() - t0
        status = response.status_code
        text = content[:RESPONSE_TEXT_LIMIT].decode("utf-8", "replace")
        record.update(http_status=status, response_text=text)
        try:
            env = await wire.off_loop(len(content), lambda: parsing.decode(content))
        except parsing.ParseError as exc:
            err = unreadable_error(op.name, op.mutating, status, str(exc))
            self._log.attempt(op, record, duration=duration, error=err)
            raise err from None
        request_id = env.head_text("RequestId") or None
        if not env.ok:
            err = envelope_error(
                env, op.name, response.status_code, response.headers.get("date"), self._clock
            )
            self._log.attempt(op, record, duration=duration, error=err)
            raise err
        server_time = parsing.timestamp(env.head.get("Timestamp"))
        meta = ResponseMeta(
            operation=op.name,
            http_status=status,
            request_id=request_id,
            server_time=server_time,
            elapsed=duration,
            waited=waited,
        )
        record["request_id"] = request_id
        self._log.attempt(op, record, duration=duration, error=None)
        return Reply(env, meta, parsing.head_zone(env), len(content))

    async def _exchange(self, request: httpx.Request) -> tuple[httpx.Response, bytes]:
        """Send and read the answer, never more than ``max_response_bytes`` of it."""
        response = await self._http.send(request, stream=True)
        try:
            return response, await wire.read_capped(response, self.max_response_bytes)
        except wire.TooLarge as exc:
            exc.http_status = response.status_code
            raise
        finally:
            await response.aclose()
