"""An SP-API client in a session gets the SP-API backends; closing the session closes it."""

from __future__ import annotations

from mwstui.session import AccountInfo, Session
from mwstui.spapi.backend import SpapiReports
from mwstui.spapi.fulfillment_backend import SpapiFulfillment
from mwstui.spapi.schedules_backend import SpapiSchedules
from mwstui.wiring import attach_backends
from tests.spapi.fakes import FakeSpapi, make_client


async def test_session_with_spapi_gets_its_backends() -> None:
    client, clock, governor = make_client(FakeSpapi())
    account = AccountInfo("p", "spapi", "A2SELLER", "A1PA6795UKMFR9", client.host, "keyring")
    session = attach_backends(
        Session(clock=clock, governor=governor, spapi=client, spapi_account=account)
    )
    b = session.backends
    assert isinstance(b.reports, SpapiReports)
    assert isinstance(b.schedules, SpapiSchedules)
    assert isinstance(b.fulfillment, SpapiFulfillment)
    assert b.orders is None
    assert b.reports.account.service == "spapi" and b.reports.account.credential_source == "keyring"
    assert session.services == 1
    await session.aclose()
    assert client.downloads.is_closed
