"""An independent SP-API client library, unchanged, against the sandbox on loopback.

``python-amazon-sp-api`` (saleweaver) is pointed at the sandbox's SP-API host the way
its users point it anywhere: the endpoint on the client and the LWA host on its token
client class. TLS, so the library's ``host`` header (``endpoint[8:]``) is right.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from sp_api.api import FulfillmentOutbound, Reports
from sp_api.auth import AccessTokenClient
from sp_api.auth import access_token_client as sp_auth
from sp_api.auth.exceptions import AuthorizationError
from sp_api.base import Marketplaces, SellingApiBadRequestException

from mwstui.catalog import load_catalog
from mwstui.clock import SystemClock
from mwstui.sandbox.sandbox import Sandbox
from mwstui.sandbox.serve import ServedSandbox, serve_in_thread
from mwstui.sandbox.spapi.documents import document_text, python_codec

OPEN: list[Reports | FulfillmentOutbound] = []
TYPES = [t.type for t in load_catalog().spapi.report_types if t.requestable][:10]


@pytest.fixture
def served() -> Iterator[ServedSandbox]:
    sandbox = Sandbox.create(clock=SystemClock())
    with serve_in_thread(sandbox, tls=True) as s:
        sp_auth.cache.clear()  # the library caches tokens per refresh token, process-wide
        yield s
        sp_auth.cache.clear()
        while OPEN:
            api = OPEN.pop()
            api.close()
            api._auth._transport.close()  # the token client's own connection


def client(served: ServedSandbox, cls: type[Reports] | type[FulfillmentOutbound]) -> Reports:
    creds = served.sandbox.credentials
    host = urlsplit(served.spapi_endpoint).netloc

    class SandboxLWA(AccessTokenClient):  # type: ignore[misc]
        pass

    SandboxLWA.host = host
    api = cls(
        Marketplaces.US,
        refresh_token=creds.spapi_refresh_token.reveal(),
        credentials={
            "lwa_app_id": creds.spapi_client_id,
            "lwa_client_secret": creds.spapi_client_secret.reveal(),
        },
        verify=served.ca_bundle,
        auth_token_client_class=SandboxLWA,
    )
    api.endpoint = served.spapi_endpoint
    OPEN.append(api)
    return api  # type: ignore[return-value]


def test_lists_reports_with_paging_and_reads_a_document(served: ServedSandbox) -> None:
    reports = client(served, Reports)
    first = reports.get_reports(reportTypes=TYPES, pageSize=5)
    assert len(first.payload["reports"]) == 5
    assert first.rate_limit == "0.0222"
    assert first.next_token
    second = reports.get_reports(nextToken=first.next_token)
    ids = {r["reportId"] for r in first.payload["reports"]}
    assert ids.isdisjoint(r["reportId"] for r in second.payload["reports"])
    done = [
        r for r in reports.get_reports(
            reportTypes=TYPES, processingStatuses=["DONE"], pageSize=100,
        ).payload["reports"]
    ]  # fmt: skip
    assert done
    doc = reports.get_report_document(done[0]["reportDocumentId"], download=True)
    seller = next(iter(served.sandbox.spapi.sellers.values()))
    rep = seller.reports.reports[done[0]["reportId"]]
    assert doc.payload["document"] == document_text(rep).decode(python_codec(rep.charset))


def test_creates_and_cancels_a_report(served: ServedSandbox) -> None:
    reports = client(served, Reports)
    rid = reports.create_report(reportType="GET_AFN_INVENTORY_DATA").payload["reportId"]
    reports.cancel_report(rid)
    assert reports.get_report(rid).payload["processingStatus"] == "CANCELLED"
    with pytest.raises(SellingApiBadRequestException):
        reports.create_report(reportType="NOT_A_REPORT")


def test_lists_gets_and_cancels_fulfillment_orders(served: ServedSandbox) -> None:
    fba = client(served, FulfillmentOutbound)
    page = fba.list_all_fulfillment_orders(queryStartDate="2020-01-01T00:00:00Z")
    orders = page.payload["fulfillmentOrders"]
    assert orders and page.next_token
    more = fba.list_all_fulfillment_orders(nextToken=page.next_token)
    assert more.payload["fulfillmentOrders"]
    detail = fba.get_fulfillment_order("FBATestOrder-1").payload
    assert detail["fulfillmentOrder"]["sellerFulfillmentOrderId"] == "FBATestOrder-1"
    fba.cancel_fulfillment_order("TestOrder-7")
    after = fba.get_fulfillment_order("TestOrder-7").payload["fulfillmentOrder"]
    assert after["fulfillmentOrderStatus"] == "Cancelled"
    with pytest.raises(SellingApiBadRequestException):
        fba.cancel_fulfillment_order("TestOrder-7")


def test_wrong_lwa_secret_surfaces_as_the_library_error(served: ServedSandbox) -> None:
    reports = client(served, Reports)
    reports.credentials.lwa_client_secret = "wrong"
    reports._auth.cred.client_secret = "wrong"
    with pytest.raises(AuthorizationError) as info:
        reports.get_reports(reportTypes=["GET_AFN_INVENTORY_DATA"])
    assert info.value.status_code == 401


def test_gzip_download_is_decompressed_once(served: ServedSandbox) -> None:
    seller = next(iter(served.sandbox.spapi.sellers.values()))
    rep = next(
        r for r in seller.reports.reports.values() if r.compression == "GZIP" and r.document_id
    )
    reports = client(served, Reports)
    meta = reports.get_report_document(rep.document_id)
    assert meta.payload["compressionAlgorithm"] == "GZIP"
    doc = reports.get_report_document(rep.document_id, download=True)
    assert doc.payload["document"] == document_text(rep).decode(python_codec(rep.charset))
