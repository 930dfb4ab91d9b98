"""What an SP-API operation handler is given (one authorised call) and what it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mwstui.catalog.spapi import SpapiOperation
from mwstui.sandbox.spapi.documents import DocumentSigner
from mwstui.sandbox.spapi.fulfillment_state import SpFulfillment
from mwstui.sandbox.spapi.paging import PageTokens
from mwstui.sandbox.spapi.reports_state import ReportsState


@dataclass(slots=True)
class SpSeller:
    """Everything the SP-API sandbox holds for one selling partner."""

    seller_id: str
    region: str
    marketplaces: tuple[str, ...]
    reports: ReportsState
    fulfillment: SpFulfillment
    pages: PageTokens

    def advance(self, now: float) -> None:
        """Bring the time-driven state up to ``now``."""
        self.reports.advance(now)
        self.fulfillment.state.advance(now)


@dataclass(slots=True)
class SpCall:
    """One authorised call, ready for its operation's handler.

    Attributes:
        operation: the catalog operation.
        path: the path parameters, decoded.
        query: each query parameter's first value.
        query_names: every query parameter name sent, in order (repeats included).
        body: the raw request body.
        seller: the caller's state.
        now: the sandbox clock at arrival.
        base_url: ``scheme://host[:port]`` the client reached (document URLs use it).
        signer: signs document URLs.
    """

    operation: SpapiOperation
    path: dict[str, str]
    query: dict[str, str]
    query_names: list[str]
    body: bytes
    seller: SpSeller
    now: float
    base_url: str
    signer: DocumentSigner


@dataclass(slots=True)
class SpResult:
    """A success: its HTTP status and JSON body (None: an empty body)."""

    status: int
    data: dict[str, Any] | None


Handler = Callable[[SpCall], SpResult]
