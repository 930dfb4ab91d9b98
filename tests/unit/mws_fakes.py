"""Small fakes for MWS client tests: canned XML, a MockTransport server and a journal."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import httpx

from mwstui.clock import FakeClock
from mwstui.mws.client import MWSClient
from mwstui.secret import Secret
from mwstui.throttle.governor import Governor

REPORTS_NS = "http://mws.amazonaws.com/doc/2009-01-01/"
FBA_NS = "http://mws.amazonaws.com/FulfillmentOutboundShipment/2010-10-01/"
ENDPOINT = "https://mws.amazonservices.com"
SELLER = "A1SELLER"


def envelope(
    action: str, result: str | None, *, request_id: str = "rid-1", ns: str = REPORTS_NS
) -> str:
    """``<ActionResponse><ActionResult>result</ActionResult><ResponseMetadata>…``."""
    body = "" if result is None else f"<{action}Result>{result}</{action}Result>"
    return (
        f'<?xml version="1.0"?>\n<{action}Response xmlns="{ns}">{body}'
        f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>"
        f"</{action}Response>\n"
    )


def error_xml(
    code: str,
    message: str = "message",
    *,
    request_id: str = "rid-err",
    tag: str = "RequestId",
    type_: str = "Sender",
) -> str:
    return (
        f'<?xml version="1.0"?>\n<ErrorResponse xmlns="{REPORTS_NS}"><Error><Type>{type_}</Type>'
        f"<Code>{code}</Code><Message>{message}</Message></Error>"
        f"<{tag}>{request_id}</{tag}></ErrorResponse>"
    )


def request_info(
    rid: str, status: str = "_SUBMITTED_", rtype: str = "_GET_FLAT_FILE_ORDERS_DATA_"
) -> str:
    return (
        f"<ReportRequestInfo><ReportType>{rtype}</ReportType>"
        f"<ReportProcessingStatus>{status}</ReportProcessingStatus>"
        f"<EndDate>2020-06-12T09:05:48+00:00</EndDate><Scheduled>false</Scheduled>"
        f"<ReportRequestId>{rid}</ReportRequestId>"
        f"<SubmittedDate>2020-06-12T09:05:48+00:00</SubmittedDate>"
        f"<StartDate>2020-06-12T09:05:48+00:00</StartDate></ReportRequestInfo>"
    )


def md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def xml(text: str, status: int = 200, headers: Mapping[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status, headers={"content-type": "text/xml", **(headers or {})}, content=text.encode()
    )


@dataclass
class Seen:
    """One request the fake server received."""

    time: float
    path: str
    params: dict[str, str]
    headers: httpx.Headers

    @property
    def action(self) -> str:
        return self.params.get("Action", "")


Handler = Callable[[Seen], httpx.Response]


@dataclass
class FakeMWS:
    """A MockTransport handler: records every request (with the fake time) and routes by Action."""

    clock: FakeClock
    routes: dict[str, Handler] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = dict(parse_qsl(request.content.decode(), keep_blank_values=True))
        s = Seen(self.clock.time(), request.url.path, params, request.headers)
        self.seen.append(s)
        handler = self.routes.get(s.action)
        if handler is None:
            return xml(error_xml("InvalidParameterValue", f"no route for {s.action}"), 400)
        return handler(s)

    def actions(self) -> list[str]:
        return [s.action for s in self.seen]

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


@dataclass
class FakeJournal:
    """A MutationRecorder keeping intents and outcomes in memory."""

    intents: list[dict[str, object]] = field(default_factory=list)
    outcomes: list[dict[str, object]] = field(default_factory=list)

    def record_intent(
        self,
        *,
        profile: str,
        service: str,
        account: str,
        operation: str,
        params: Mapping[str, str],
        items: Sequence[str],
    ) -> int:
        self.intents.append(
            {"profile": profile, "service": service, "account": account,
             "operation": operation, "params": dict(params), "items": list(items)}
        )  # fmt: skip
        return len(self.intents)

    def record_outcome(self, entry_id: int, **kw: object) -> None:
        self.outcomes.append({"entry": entry_id, **kw})


def make_client(
    clock: FakeClock,
    transport: httpx.AsyncBaseTransport,
    *,
    governor: Governor | None = None,
    endpoint: str = ENDPOINT,
    **kw: object,
) -> MWSClient:
    return MWSClient(
        endpoint=endpoint,
        access_key="AKIDEXAMPLE",
        secret_key=Secret("s3cr3t-key"),
        seller_id=SELLER,
        governor=governor or Governor(clock),
        clock=clock,
        transport=transport,
        **kw,  # type: ignore[arg-type]
    )
