"""What an MWS operation handler is given (one authenticated call) and what it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mwstui.sandbox.asgi import BodyStream
from mwstui.sandbox.mws.auth import SellerAccount
from mwstui.sandbox.mws.paging import TokenStore
from mwstui.sandbox.mws.params import Params
from mwstui.sandbox.mws.reports_state import ReportsState
from mwstui.sandbox.mws.xml_render import Node

if TYPE_CHECKING:
    from mwstui.sandbox.mws.fulfillment_state import FulfillmentState


@dataclass(slots=True)
class SellerState:
    """Everything the sandbox holds for one seller."""

    account: SellerAccount
    reports: ReportsState
    fulfillment: FulfillmentState
    tokens: TokenStore

    def advance(self, now: float) -> None:
        """Bring the time-driven state up to ``now``."""
        self.reports.advance(now)
        self.fulfillment.advance(now)


@dataclass(slots=True)
class Call:
    """One authenticated call, ready for its operation's handler."""

    operation: str
    params: Params
    seller: SellerState
    now: float
    request_id: str

    @property
    def seller_id(self) -> str:
        return self.seller.account.seller_id


@dataclass(slots=True)
class XmlResult:
    """A normal answer: the children of ``<OpResult>`` (None: no Result element at all)."""

    result: list[Node] | None


@dataclass(slots=True)
class RawResult:
    """A raw body (GetReport): the bytes, their Content-Type and extra headers.

    A large body comes as ``stream`` (``body`` then empty) and is sent piece by piece.
    """

    body: bytes
    content_type: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    stream: BodyStream | None = None


Handler = Callable[[Call], XmlResult | RawResult]
