"""The SP-API side of the sandbox: sellers, LWA, usage plans and the document signer."""

from __future__ import annotations

from dataclasses import dataclass

from mwstui.sandbox.asgi import BodyStream
from mwstui.sandbox.spapi.call import SpSeller
from mwstui.sandbox.spapi.documents import DocumentSigner, content_type, document_body
from mwstui.sandbox.spapi.lwa import LoginWithAmazon
from mwstui.sandbox.spapi.reports_state import GZIP
from mwstui.sandbox.spapi.throttle import UsagePlans


@dataclass(frozen=True, slots=True)
class SpapiDemo:
    """The demo credentials the ready line prints (published sandbox values)."""

    client_id: str
    client_secret: str
    refresh_token: str
    seller_id: str
    region: str
    marketplace_id: str


@dataclass(slots=True)
class SpapiService:
    """Everything the SP-API app serves.

    Attributes:
        lwa: the token endpoint and the tokens it issued.
        sellers: per seller id, its state.
        plans: the usage-plan buckets.
        signer: signs and checks document URLs.
        demo: the first application's credentials for the first seller.
    """

    lwa: LoginWithAmazon
    sellers: dict[str, SpSeller]
    plans: UsagePlans
    signer: DocumentSigner
    demo: SpapiDemo

    def document(self, document_id: str, now: float) -> tuple[BodyStream, str, bool] | None:
        """A document's body, Content-Type and whether it is gzipped (None: unknown)."""
        for seller in self.sellers.values():
            rid = seller.reports.documents.get(document_id)
            if rid is None:
                continue
            rep = seller.reports.reports[rid]
            if rep.document(now) != document_id:
                return None
            return document_body(rep), content_type(rep), rep.compression == GZIP
        return None
