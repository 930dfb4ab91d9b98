"""The MWS client: one send path (governor → sign → POST → parse → map errors → journal).

Every operation of ``client.reports`` and ``client.fulfillment`` ends in ``MWSClient.send``,
which waits for a token from the governor, signs with ``MWSAuth``, posts the form, turns
the answer into a value or an exception of ``mwstui.errors``, re-syncs the governor from
what the server said, journals mutations and tells every observer about every attempt.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import replace
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import httpx

from mwstui import wire
from mwstui.call_log import CallLog, local_failure
from mwstui.calls import (
    CallObserver,
    MutationRecorder,
    ResponseMeta,
    Result,
    mask_params,
)
from mwstui.catalog import Operation, load_catalog
from mwstui.clock import Clock
from mwstui.errors import (
    ApiError,
    MalformedResponseError,
    NotSentError,
    QuotaExceededError,
    ReadOnlyError,
    ServiceError,
    ThrottledError,
    TransportError,
)
from mwstui.mws.answers import RESPONSE_TEXT_LIMIT, Consumed, Consumer, error_answer, xml_reader
from mwstui.mws.errors import transport_error
from mwstui.mws.fulfillment import FulfillmentAPI
from mwstui.mws.http import DEADLINE, deadline_error, user_agent
from mwstui.mws.parsing import Document, response_meta
from mwstui.mws.reports import ReportsAPI
from mwstui.mws.signing import MWSAuth
from mwstui.secret import Secret
from mwstui.throttle.budget import BucketKey
from mwstui.throttle.governor import Governor

T = TypeVar("T")

MAX_THROTTLE_RETRIES = 3
"""RequestThrottled answers retried (after the next token) before giving up."""
MAX_SERVICE_RETRIES = 3
"""500/503 answers and lost connections a read retries with exponential backoff."""
BACKOFF_BASE = 0.4
"""First backoff in seconds; then ×4 (0.4, 1.6, 6.4 — the official PHP client's spacing)."""


class MWSClient:
    """An Amazon MWS client for one seller on one endpoint.

    Args:
        endpoint: e.g. ``https://mws.amazonservices.com`` (section paths are appended).
        access_key: developer access key id.
        secret_key: developer secret key.
        seller_id: the seller (merchant) id, sent as ``SellerId``.
        governor: the shared throttle governor.
        clock: time source for signing, waiting and backoff.
        marketplace_id: the profile's marketplace (shown to the user; never sent implicitly).
        auth_token: MWSAuthToken for a third-party developer.
        transport: an httpx transport (MockTransport / ASGITransport in tests).
        verify: TLS verification (CA bundle path for a local TLS sandbox).
        timeout: seconds per HTTP phase.
        journal: where mutations are recorded.
        profile: the profile name written to the journal.
        read_only: refuse every mutating operation before sending.
        max_wait: refuse (``ThrottledError``/``QuotaExceededError``) rather than wait longer
            than this for a token; ``None`` waits as long as needed.
        max_response_bytes: an API answer (or error body) larger than this is refused while
            it streams; report downloads are streamed to disk by their own reader.
        deadline: seconds one exchange may take in all (headers and, for an API answer,
            the whole body), however slowly the server sends.
    """

    def __init__(
        self,
        *,
        endpoint: str,
        access_key: str,
        secret_key: Secret,
        seller_id: str,
        governor: Governor,
        clock: Clock,
        marketplace_id: str | None = None,
        auth_token: Secret | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: ssl.SSLContext | str | bool = True,
        timeout: float = 30.0,
        journal: MutationRecorder | None = None,
        profile: str = "",
        read_only: bool = False,
        max_wait: float | None = None,
        max_response_bytes: int = wire.DEFAULT_MAX_RESPONSE_MB * wire.MB,
        deadline: float = wire.DEFAULT_DEADLINE,
    ) -> None:
        url = httpx.URL(endpoint.rstrip("/"))
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"endpoint must be an http(s) URL, got {endpoint!r}")
        self.endpoint = str(url)
        self.host = wire.canonical_host(url)
        self.seller_id = seller_id
        self.marketplace_id = marketplace_id
        self.read_only = read_only
        self.max_wait = max_wait
        self.max_response_bytes = max_response_bytes
        self.deadline = deadline
        self.profile = profile
        self.clock_skew: float | None = None
        """Our clock minus the server's at the last response (seconds), when known."""
        self.clock = clock
        self._governor = governor
        self._catalog = load_catalog()
        self._log = CallLog("mws", self.host, seller_id, journal, profile)
        verify = wire.tls_verify(url, verify)
        self._http = httpx.AsyncClient(
            auth=MWSAuth(access_key, secret_key, clock, auth_token),
            transport=transport,
            verify=verify,
            timeout=timeout,
            headers={"User-Agent": user_agent()},
            follow_redirects=False,
        )
        self.reports = ReportsAPI(self)
        self.fulfillment = FulfillmentAPI(self)

    def __repr__(self) -> str:
        return f"MWSClient(host={self.host!r}, seller_id={self.seller_id!r})"

    async def __aenter__(self) -> MWSClient:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._http.aclose()

    def add_observer(self, fn: CallObserver) -> None:
        """Call ``fn`` with a ``CallRecord`` after every attempt of every call."""
        self._log.add_observer(fn)

    def bucket_key(self, operation: str) -> BucketKey:
        """The governor bucket ``operation`` spends (shared for ListAll + ByNextToken)."""
        return BucketKey(self.host, self.seller_id, self._catalog.operation(operation).bucket)

    def operation(self, name: str) -> Operation:
        """The catalog entry of an MWS operation (KeyError for SellerCenter or unknown)."""
        op = self._catalog.operation(name)
        if op.service not in ("reports", "fulfillment"):
            raise KeyError(name)
        return op

    # -- calls ------------------------------------------------------------------------------

    async def call(
        self,
        operation: str,
        params: Mapping[str, str],
        parse: Callable[[Document], T],
        *,
        items: Sequence[str] = (),
    ) -> Result[T]:
        """Send an XML operation and parse its ``…Result`` with ``parse``.

        Args:
            operation: catalog name (``GetReportRequestList``).
            params: operation parameters (``Action``, ``SellerId``, ``Version`` are added).
            parse: builds the typed value from the parsed document.
            items: for a mutation, the ids it acts on (journal).
        """

        consume = xml_reader(parse, self.max_response_bytes, self.clock)
        return await self.send(operation, params, consume, items=items, whole_deadline=True)

    async def iter_pages(
        self, operation: str, params: Mapping[str, str], parse: Callable[[Document], T]
    ) -> AsyncIterator[Result[T]]:
        """Yield the first page, then every ``…ByNextToken`` page until the token runs out."""
        page = await self.call(operation, params, parse)
        yield page
        follow = self.operation(operation).next_token_operation
        seen: set[str] = set()
        while (token := page.meta.next_token) and follow:
            if token in seen:  # a server handing back an old token would page forever
                raise MalformedResponseError(
                    "NextTokenRepeated", "the service returned a NextToken twice", operation=follow
                )
            seen.add(token)
            page = await self.call(follow, {"NextToken": token}, parse)
            yield page

    async def send(
        self,
        operation: str,
        params: Mapping[str, str],
        consume: Consumer[T],
        *,
        items: Sequence[str] = (),
        headers: Mapping[str, str] | None = None,
        whole_deadline: bool = False,
    ) -> Result[T]:
        """The one send path; ``consume`` reads a successful (streamed) response.

        The deadline always bounds the exchange up to the response headers; with
        ``whole_deadline`` it bounds ``consume`` too (API answers; a report download
        streams for as long as it keeps arriving).

        Raises:
            ReadOnlyError: a mutation on a read-only client (nothing sent).
            ApiError: any subclass, see ``mwstui.errors``.
        """
        op = self.operation(operation)
        if op.mutating and self.read_only:
            raise ReadOnlyError(f"{operation} refused: this profile is read-only")
        form = {"Action": operation, "SellerId": self.seller_id, "Version": op.version, **params}
        masked = mask_params(form)
        key = self.bucket_key(operation)
        entry: int | None = None
        waited = 0.0
        attempt = throttled = failures = 0
        try:
            while True:
                attempt += 1
                waited += await self._governor.acquire(
                    key, op.throttle, operation=operation, max_wait=self.max_wait
                )
                acquired_at = self.clock.time()
                if entry is None:  # once: a throttled mutation is sent again, same intent
                    entry = self._log.intent(op, masked, items)
                try:
                    try:
                        consumed, meta = await self._attempt(
                            op, form, masked, consume, attempt, waited, headers, whole_deadline
                        )
                    except NotSentError:
                        # Nothing reached the server: it spent nothing, nor do we.
                        self._governor.give_back(key, acquired_at)
                        raise
                    finally:
                        self._governor.observe_answer(key, acquired_at)
                except ThrottledError:
                    self._governor.observe_throttled(key, op.throttle)
                    if throttled >= MAX_THROTTLE_RETRIES:
                        raise
                    throttled += 1
                    continue
                except QuotaExceededError as exc:
                    # Never wait out an hour inside a call: block the bucket and report.
                    self._governor.observe_quota_exceeded(key, op.throttle, exc.resets_at)
                    raise
                except (ServiceError, TransportError) as exc:
                    # A read is safe to repeat on a flaky link; a mutation never is. A server
                    # that let the deadline pass would only hold the caller that long again.
                    if (
                        op.mutating
                        or failures >= MAX_SERVICE_RETRIES
                        or exc.code == DEADLINE
                        or (isinstance(exc, NotSentError) and not exc.transient)
                    ):
                        raise
                    delay = BACKOFF_BASE * 4**failures
                    failures += 1
                    await self.clock.sleep(delay)
                    waited += delay
                    continue
                break
        except ApiError as exc:
            # A 2xx we could not read: the mutation most likely happened; let a read tell.
            answered = isinstance(exc, MalformedResponseError) and (exc.http_status or 0) < 300
            self._log.outcome(entry, exc, status="unknown" if answered else None)
            raise
        except BaseException as exc:  # cancelled mid-flight: we cannot know what happened
            self._log.interrupted(entry, exc)
            raise
        self._log.outcome(entry, None, meta)
        return Result(consumed.data, meta)

    async def _attempt(
        self,
        op: Operation,
        form: dict[str, str],
        masked: dict[str, str],
        consume: Consumer[T],
        attempt: int,
        waited: float,
        headers: Mapping[str, str] | None,
        whole_deadline: bool,
    ) -> tuple[Consumed[T], ResponseMeta]:
        t0 = self.clock.time()
        rec: dict[str, Any] = {
            "started_at": self.clock.now(), "params": masked, "attempt": attempt, "waited": waited
        }  # fmt: skip
        request = self._http.build_request(
            "POST", self.endpoint + op.path, data=form, headers=headers
        )
        held: list[httpx.Response] = []
        try:
            try:
                async with asyncio.timeout(self.deadline) as deadline:
                    meta, consumed = await self._exchange(
                        op, request, rec, held, consume, (t0, waited), deadline, whole_deadline
                    )
            except (httpx.TransportError, httpx.DecodingError) as exc:
                sent = rec.get("meta")
                raise transport_error(op.name, op.mutating, exc, sent, self.host) from None
            except TimeoutError:
                raise deadline_error(op.name, op.mutating, self.host, self.deadline, rec) from None
        except BaseException as exc:
            if isinstance(exc, ApiError):
                rec.update(error_code=exc.code, error_message=exc.message)
                rec["request_id"] = rec.get("request_id") or exc.request_id
                rec["http_status"] = rec.get("http_status") or exc.http_status
            else:  # cancelled, or a local failure (disk full while saving a report)
                code, message = local_failure(exc)
                rec.update(error_code=code, error_message=message)
            self._log.attempt(op, rec, duration=self.clock.time() - t0)
            raise
        finally:
            for response in held:
                await response.aclose()
        meta = replace(
            meta,
            next_token=consumed.next_token,
            request_id=meta.request_id or consumed.request_id,
            elapsed=self.clock.time() - t0,
        )
        rec.update(response_text=consumed.text[:RESPONSE_TEXT_LIMIT], request_id=meta.request_id)
        self._log.attempt(op, rec, duration=self.clock.time() - t0)
        return consumed, meta

    async def _exchange(
        self,
        op: Operation,
        request: httpx.Request,
        rec: dict[str, Any],
        held: list[httpx.Response],
        consume: Consumer[T],
        timing: tuple[float, float],
        deadline: asyncio.Timeout,
        whole_deadline: bool,
    ) -> tuple[ResponseMeta, Consumed[T]]:
        """Send, read the headers, then the body: an error's, or ``consume``'s."""
        response = await self._http.send(request, stream=True)
        held.append(response)
        # What was really sent (with Timestamp, AWSAccessKeyId), secrets masked at
        # once: no local may hold the signed form (a traceback with locals shows it).
        rec["params"] = mask_params(
            dict(parse_qsl(response.request.content.decode("ascii"), keep_blank_values=True))
        )
        meta = self._meta(op.name, response, *timing)
        rec.update(meta=meta, http_status=meta.http_status, request_id=meta.request_id)
        self._observe_quota(op, meta)
        if response.status_code >= 300:
            text, error = await error_answer(response, meta, self.max_response_bytes, self.clock)
            if text is not None:
                rec["response_text"] = text
            raise error
        if not whole_deadline:
            deadline.reschedule(None)  # a download streams for as long as bytes arrive
        return meta, await consume(response, meta)

    def _meta(
        self, operation: str, response: httpx.Response, t0: float, waited: float
    ) -> ResponseMeta:
        now = self.clock.time()
        meta = response_meta(
            operation, response.status_code, response.headers, elapsed=now - t0, waited=waited
        )
        if meta.server_time is not None:
            self.clock_skew = now - meta.server_time.timestamp()
        return meta

    def _observe_quota(self, op: Operation, meta: ResponseMeta) -> None:
        if meta.quota_max is None and meta.quota_remaining is None:
            return
        self._governor.observe_quota(
            self.bucket_key(op.name),
            op.throttle,
            quota_max=meta.quota_max,
            remaining=meta.quota_remaining,
            resets_on=meta.quota_resets_on,
        )
