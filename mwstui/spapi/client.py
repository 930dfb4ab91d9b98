"""The SP-API client: one send path (governor → LWA auth → send → parse → map errors → journal).

Every operation of ``client.reports`` and ``client.fulfillment`` ends in ``SPAPIClient.send``,
which takes a token from the governor bucket of (region host, seller, operation), lets
``LWAAuth`` add the access token, sends the REST call, turns the answer into JSON data or
an exception of ``mwstui.errors``, re-syncs the governor from ``x-amzn-RateLimit-Limit``
and 429s, and journals mutations through the ``CallLog`` every service shares, which
also tells every observer about every attempt. One attempt (the bounded HTTP exchange)
is ``exchange.Exchange``'s.
"""

from __future__ import annotations

import json
import random
import ssl
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

import httpx

from mwstui import wire
from mwstui.call_log import CallLog
from mwstui.calls import CallObserver, MutationRecorder, Result
from mwstui.catalog import Throttle, load_catalog
from mwstui.catalog.spapi import SpapiOperation
from mwstui.clock import Clock
from mwstui.errors import (
    ApiError,
    ConfigError,
    MalformedResponseError,
    NotSentError,
    ReadOnlyError,
    ServiceError,
    ThrottledError,
    TransportError,
)
from mwstui.secret import Secret
from mwstui.spapi.exchange import Exchange, Request
from mwstui.spapi.fulfillment import FulfillmentAPI
from mwstui.spapi.http import DEADLINE, QueryValue, encode_query, user_agent
from mwstui.spapi.lwa import LWAAuth, TokenProvider
from mwstui.spapi.reports import ReportsAPI
from mwstui.throttle.budget import BucketKey
from mwstui.throttle.governor import Governor

MAX_THROTTLE_RETRIES = 2
"""429s retried after the bucket refills. A 429 was refused before any work, so this holds
for mutations too; bounded because per-report-type quotas answer 429 for an hour."""
MAX_SERVICE_RETRIES = 3
"""500/503 answers and lost connections a read retries with backoff (never a mutation)."""
BACKOFF_BASE = 0.5
"""First backoff of a failed read, then ×4, each with up to 50 % jitter."""
JITTER_CAP = 10.0
"""Most extra seconds a throttled call waits beyond the next token (spreads a storm)."""
PACING_MARGIN = 1.002
"""Tokens are modelled 0.2 % slower than published: a call paced to the exact instant of
Amazon's refill can still find 0.99999 tokens (float arithmetic on both sides), and one
429 costs a whole refill interval (45 s for getReports)."""


class SPAPIClient:
    """An Amazon SP-API client for one seller in one region.

    Args:
        region: ``NA``, ``EU`` or ``FE`` (endpoint from the catalog).
        client_id: LWA client id.
        client_secret: LWA client secret.
        refresh_token: the seller's LWA refresh token.
        seller_id: whose budget (the selling partner id or the profile name); buckets are
            per (region, seller, operation) because usage plans are per app + seller.
        governor: the shared throttle governor.
        clock: time source.
        endpoint: override the region's host (Amazon's sandbox host, the local sandbox).
        lwa_endpoint: override the LWA host.
        marketplace_ids: the profile's marketplaces (defaults for requests).
        transport: an httpx transport for API, LWA and document calls (tests).
        verify: TLS verification (CA bundle path for a local TLS sandbox).
        timeout: seconds per HTTP phase.
        journal: where mutations are recorded.
        profile: profile name written to the journal.
        read_only: refuse every mutation before sending.
        max_wait: refuse rather than wait longer than this for a governor token.
        rng: jitter source (seeded in tests).
        max_response_bytes: largest API answer read (``[network] max_response_mb``).
        deadline: seconds one exchange (token exchange, headers and answer) may take in
            all (``[network] deadline``).
    """

    def __init__(
        self,
        *,
        region: str,
        client_id: str,
        client_secret: Secret,
        refresh_token: Secret,
        seller_id: str,
        governor: Governor,
        clock: Clock,
        endpoint: str | None = None,
        lwa_endpoint: str | None = None,
        marketplace_ids: Sequence[str] = (),
        transport: httpx.AsyncBaseTransport | None = None,
        verify: ssl.SSLContext | str | bool = True,
        timeout: float = 30.0,
        journal: MutationRecorder | None = None,
        profile: str = "",
        read_only: bool = False,
        max_wait: float | None = None,
        rng: random.Random | None = None,
        max_response_bytes: int = wire.DEFAULT_MAX_RESPONSE_MB * wire.MB,
        deadline: float = wire.DEFAULT_DEADLINE,
    ) -> None:
        sp = load_catalog().spapi
        try:
            self.region = sp.region(region)
        except KeyError:
            raise ConfigError(f"unknown SP-API region {region!r} (NA, EU or FE)") from None
        url = httpx.URL((endpoint or self.region.endpoint).rstrip("/"))
        if url.scheme not in ("http", "https") or not url.host:
            raise ConfigError(f"endpoint must be an http(s) URL, got {endpoint!r}")
        self.endpoint = str(url)
        self.host = wire.canonical_host(url)
        self.seller_id = seller_id
        self.marketplace_ids = tuple(marketplace_ids)
        self.read_only = read_only
        self.max_wait = max_wait
        self.profile = profile
        self.clock = clock
        self.max_response_bytes = max_response_bytes
        self.deadline = deadline
        self._governor = governor
        self._log = CallLog("spapi", self.host, seller_id, journal, profile)
        self._rng = rng or random.Random()
        if isinstance(verify, str):  # a CA bundle (the TLS sandbox): read once, for all three
            verify = wire.tls_verify(url, verify)
        agent = user_agent()
        self.tokens = TokenProvider(
            client_id=client_id, client_secret=client_secret, refresh_token=refresh_token,
            clock=clock, endpoint=lwa_endpoint, transport=transport, verify=verify,
            timeout=timeout, user_agent=agent, max_response_bytes=max_response_bytes,
        )  # fmt: skip
        self.auth = LWAAuth(self.tokens, clock)
        self._http = httpx.AsyncClient(
            auth=self.auth, transport=transport, verify=wire.tls_verify(url, verify),
            timeout=timeout, headers={"User-Agent": agent}, follow_redirects=False,
        )  # fmt: skip
        self._exchange = Exchange(
            http=self._http, clock=clock, log=self._log, deadline=deadline,
            max_response_bytes=max_response_bytes, on_rate=self._observe_rate,
        )  # fmt: skip
        # Pre-signed document URLs get no SP-API headers at all (spec §5.10): own client.
        self.downloads = httpx.AsyncClient(
            transport=transport, verify=verify, timeout=timeout,
            headers={"User-Agent": agent}, follow_redirects=True,
        )  # fmt: skip
        self.reports = ReportsAPI(self)
        self.fulfillment = FulfillmentAPI(self)

    def __repr__(self) -> str:
        return f"SPAPIClient(host={self.host!r}, seller_id={self.seller_id!r})"

    async def __aenter__(self) -> SPAPIClient:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every HTTP connection."""
        await self._http.aclose()
        await self.downloads.aclose()
        await self.tokens.aclose()

    @property
    def clock_skew(self) -> float | None:
        """Our clock minus Amazon's ``Date`` at the last answer (None before one)."""
        return self._exchange.clock_skew

    def add_observer(self, fn: CallObserver) -> None:
        """Call ``fn`` with a ``CallRecord`` after every attempt (token exchanges too)."""
        self._log.add_observer(fn)
        self.tokens.add_observer(fn)

    def operation(self, name: str) -> SpapiOperation:
        return load_catalog().spapi.operation(name)

    def throttle(self, operation: str) -> Throttle:
        """The governor's model of ``operation``'s usage plan (catalog, with the margin)."""
        t = self.operation(operation).throttle
        return Throttle(t.capacity, t.restore_seconds * PACING_MARGIN)

    def bucket_key(self, operation: str) -> BucketKey:
        """The governor bucket of (region host, seller, operation)."""
        return BucketKey(self.host, self.seller_id, operation)

    def _observe_rate(self, operation: str, rate: float) -> None:
        # x-amzn-RateLimit-Limit is Amazon's rate for this app + seller: ours follows it.
        key, throttle = self.bucket_key(operation), self.throttle(operation)
        self._governor.observe_rate(key, throttle, rate / PACING_MARGIN)

    # -- the send path ----------------------------------------------------------------------

    async def send(
        self,
        operation: str,
        *,
        path: Mapping[str, str] | None = None,
        query: Sequence[tuple[str, QueryValue]] = (),
        body: Mapping[str, Any] | None = None,
        items: Sequence[str] = (),
    ) -> Result[Any]:
        """Send one operation; returns its JSON (``payload`` unwrapped) and metadata.

        Raises:
            ReadOnlyError: a mutation on a read-only client (nothing sent).
            ApiError: any subclass, see ``mwstui.errors``.
        """
        op = self.operation(operation)
        if op.mutating and self.read_only:
            raise ReadOnlyError(f"{operation} refused: this profile is read-only")
        url = self.endpoint + op.url_path(**(path or {}))
        if query:
            url += "?" + encode_query(query)
        shown = {k: v if isinstance(v, str) else ",".join(v) for k, v in query}
        content = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        req = Request(op, url, shown, content)
        key = self.bucket_key(operation)
        throttle = self.throttle(operation)
        entry: int | None = None
        waited = 0.0
        attempt = throttled = failures = 0
        try:
            while True:
                attempt += 1
                waited += await self._governor.acquire(
                    key, throttle, operation=operation, max_wait=self.max_wait
                )
                sent_at = self.clock.time()
                if entry is None:  # once: a throttled mutation is sent again, same intent
                    entry = self._log.intent(op, dict(path or {}) | shown, items)
                try:
                    try:
                        data, meta = await self._exchange.attempt(req, attempt, waited)
                    except NotSentError:
                        # Nothing reached Amazon: it spent nothing, nor do we.
                        self._governor.give_back(key, sent_at)
                        raise
                    finally:
                        self._governor.observe_answer(key, sent_at)
                except ThrottledError:
                    # Amazon's bucket is empty, so ours is; 429 carries no Retry-After.
                    self._governor.observe_throttled(key, throttle)
                    if throttled >= MAX_THROTTLE_RETRIES:
                        raise
                    throttled += 1
                    jitter = self._rng.uniform(0, min(JITTER_CAP, throttle.restore_seconds))
                    await self.clock.sleep(jitter)
                    waited += jitter
                    continue
                except (ServiceError, TransportError) as exc:
                    # A server that let the deadline pass would only hold the caller that
                    # long again; a name the resolver does not know will not appear.
                    if (
                        op.mutating
                        or failures >= MAX_SERVICE_RETRIES
                        or exc.code == DEADLINE
                        or (isinstance(exc, NotSentError) and not exc.transient)
                    ):
                        raise
                    delay = BACKOFF_BASE * 4**failures * (1 + 0.5 * self._rng.random())
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
        return Result(data, meta)
