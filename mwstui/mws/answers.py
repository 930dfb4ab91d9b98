"""Reading an MWS answer: what a body reader makes of a 2xx, the XML reader, an error's.

The client streams every 2xx response to a reader (``Consumer``); API answers go through
``xml_reader`` (bounded, parsed — a large page on a worker thread, so the event loop keeps
serving keys — an ``ErrorResponse`` under a 2xx turned into its error), a report download
through ``download``'s reader straight to disk.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import httpx

from mwstui import wire
from mwstui.calls import ResponseMeta
from mwstui.clock import Clock
from mwstui.errors import ApiError, MalformedResponseError
from mwstui.mws.errors import ErrorInfo, error_for, error_from_body, read_error
from mwstui.mws.parsing import Document, parse_document

T = TypeVar("T")

RESPONSE_TEXT_LIMIT = 64 * 1024
"""How much of a response body a CallRecord keeps."""


@dataclass(frozen=True, slots=True)
class Consumed(Generic[T]):
    """What a body reader made of a successful response."""

    data: T
    text: str
    """The body (or its first KB for a download) as the CallRecord shows it."""
    next_token: str | None = None
    request_id: str | None = None


Consumer = Callable[[httpx.Response, ResponseMeta], Awaitable[Consumed[T]]]
"""Reads a 2xx response (streamed) into a value; may raise ``ApiError``."""


def xml_reader(parse: Callable[[Document], T], max_bytes: int, clock: Clock) -> Consumer[T]:
    """A reader of an XML API answer of at most ``max_bytes``, its result built by ``parse``.

    Args:
        parse: builds the typed value from the parsed document.
        max_bytes: a larger answer is refused while it streams (``ResponseTooLarge``).
        clock: when the answer arrived, for the clock skew an error reports.
    """

    async def consume(response: httpx.Response, meta: ResponseMeta) -> Consumed[T]:
        try:
            body = await wire.read_capped(response, max_bytes)
        except wire.TooLarge as exc:
            raise error_for("ResponseTooLarge", str(exc), meta, now=clock.time()) from None
        text = body[:RESPONSE_TEXT_LIMIT].decode("utf-8", "replace")

        def read() -> Consumed[T] | ErrorInfo:
            # On a worker thread for a large page: the parser and ``parse`` only.
            doc = parse_document(body)
            if (err := read_error(doc)) is not None:  # ErrorResponse with a 2xx status
                return err
            return Consumed(parse(doc), text, doc.next_token(), doc.request_id)

        try:
            found = await wire.off_loop(len(body), read)
        except MalformedResponseError as exc:  # from the parser: say who and where
            raise error_for(exc.code, exc.message, meta, now=clock.time()) from None
        if isinstance(found, ErrorInfo):
            rid = found.request_id
            raise error_for(found.code, found.message, meta, now=clock.time(), body_request_id=rid)
        return found

    return consume


async def error_answer(
    response: httpx.Response, meta: ResponseMeta, max_bytes: int, clock: Clock
) -> tuple[str | None, ApiError]:
    """The error a non-2xx answer says, and its text for the CallRecord (None if unread).

    Args:
        response: the streamed answer (its status is 300 or more).
        meta: what its headers said.
        max_bytes: a larger error body is refused while it streams (``ResponseTooLarge``).
        clock: when it arrived, for the clock skew a ``RequestExpired`` reports.
    """
    try:
        body = await wire.read_capped(response, max_bytes)
    except wire.TooLarge as exc:
        return None, MalformedResponseError(
            "ResponseTooLarge", str(exc), operation=meta.operation,
            http_status=meta.http_status, request_id=meta.request_id,
        )  # fmt: skip
    text = body[:RESPONSE_TEXT_LIMIT].decode("utf-8", "replace")
    return text, error_from_body(body, meta, reason=response.reason_phrase, now=clock.time())
