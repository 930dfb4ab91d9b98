"""An SP-API client in a session gets the SP-API backends; closing the session closes it."""

from __future__ import annotations

import httpx
import pytest

from mwstui.clock import FakeClock
from mwstui.errors import MalformedResponseError
from mwstui.sandbox.sandbox import Sandbox
from mwstui.session import AccountInfo, Session
from mwstui.spapi.backend import SpapiReports, offered_types
from mwstui.spapi.fulfillment_backend import SpapiFulfillment
from mwstui.spapi.schedules_backend import SpapiSchedules
from mwstui.wiring import attach_backends, build_session, sandbox_spapi_target
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


async def test_an_spapi_session_takes_the_network_bounds_like_the_other_clients() -> None:
    clock = FakeClock()
    sandbox = Sandbox.create(clock=clock)
    target = sandbox_spapi_target(
        sandbox,
        endpoint="https://sellingpartnerapi-na.sandbox.test",
        transport=httpx.ASGITransport(app=sandbox.spapi_app),
    )
    session = build_session(clock=clock, profile="p", spapi=target, bounds=(4096, 7.5))
    client = session.spapi
    assert client is not None
    assert (client.max_response_bytes, client.deadline) == (4096, 7.5)
    await client.tokens.token()  # a token answer fits
    # A page of reports of ten types is larger than the cap: refused, not read whole.
    with pytest.raises(MalformedResponseError, match="larger than"):
        await anext(client.reports.iter_reports(offered_types()[:10]))
    await session.aclose()
