"""Each service is named by the profile that serves it: header, dialog, Activity, journal."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx
import pytest

from mwstui.clock import FakeClock
from mwstui.journal.store import Journal
from mwstui.sandbox.sandbox import Sandbox
from mwstui.session import Session
from mwstui.throttle.governor import Governor
from mwstui.ui.activity.activity_panel import ActivityPanel
from mwstui.ui.dialogs.confirm import build_confirm_request
from mwstui.ui.orders.sellercenter_panel import SellerCenterPanel
from mwstui.ui.reports.reports_panel import ReportsPanel
from mwstui.ui.widgets.header import AccountHeader
from mwstui.ui.widgets.resource_table import ResourceTable
from mwstui.wiring import build_session, sandbox_targets
from tests.ui.harness import MWS_ENDPOINT, SC_ENDPOINT, SIZE, START, make_app, until


@dataclasses.dataclass
class TwoProfiles:
    session: Session
    sandbox: Sandbox
    journal: Journal


def two_profiles(workdir: Path, *, opened_on: str = "loc-mws") -> TwoProfiles:
    """An MWS profile ``loc-mws`` and a SellerCenter profile ``loc-sc`` in one session."""
    clock = FakeClock(START)
    sandbox = Sandbox.create(clock=clock)
    journal = Journal(workdir / "journal.db", clock)
    mws, sc = sandbox_targets(
        sandbox,
        mws_endpoint=MWS_ENDPOINT,
        sellercenter_endpoint=SC_ENDPOINT,
        mws_transport=httpx.ASGITransport(app=sandbox.mws_app),
        sellercenter_transport=httpx.ASGITransport(app=sandbox.sellercenter_app),
    )
    session = build_session(
        clock=clock,
        profile=opened_on,
        mws=dataclasses.replace(mws, profile="loc-mws"),
        sellercenter=dataclasses.replace(sc, profile="loc-sc"),
        governor=Governor(clock),
        journal=journal,
        profiles=["loc-mws", "loc-sc"],
        download_dir=str(workdir),
    )
    return TwoProfiles(session, sandbox, journal)


@pytest.mark.parametrize("opened_on", ["loc-mws", "loc-sc"])
async def test_every_place_names_the_profile_that_serves_the_service(
    tmp_path: Path, opened_on: str
) -> None:
    t = two_profiles(tmp_path, opened_on=opened_on)
    s = t.session
    assert s.mws is not None and s.sellercenter is not None
    assert s.mws_account is not None and s.sellercenter_account is not None
    assert (s.mws_account.profile, s.sellercenter_account.profile) == ("loc-mws", "loc-sc")

    # The dialog restates the account of the client that sends.
    sc_request = build_confirm_request(s, s.sellercenter, "SetStatusToCanceled", ["1"])
    mws_request = build_confirm_request(s, s.mws, "CancelFulfillmentOrder", ["X"])
    assert sc_request.account.profile == "loc-sc"
    assert mws_request.account.profile == "loc-mws"

    # The journal row carries the profile of the client that sent.
    order = next(
        o
        for o in t.sandbox.sellercenter.orders.values()
        if any(i.status == "pending" for i in o.items)
    )
    item = next(i for i in order.items if i.status == "pending")
    async with make_app(s).run_test(size=SIZE) as pilot:
        await s.sellercenter.cancel_item(item.order_item_id, "Customer request")
        header = pilot.app.query_one(AccountHeader)
        reports = pilot.app.query_one(ReportsPanel)
        # A panel takes the keyboard when its first load ends: let it, before moving on.
        await until(pilot, lambda: reports.loaded_at is not None and not reports.is_loading())
        assert header.service == "mws"
        assert "MWS profile loc-mws" in header.render().plain
        pilot.app.action_show_tab(3)  # type: ignore[attr-defined]
        panel = pilot.app.query_one(SellerCenterPanel)
        await until(pilot, lambda: panel.loaded_at is not None and not panel.is_loading())
        await until(pilot, lambda: header.service == "sellercenter")
        assert "SellerCenter profile loc-sc" in header.render().plain
        assert "loc-mws" not in header.render().plain

        pilot.app.action_show_tab(4)  # type: ignore[attr-defined]
        activity = pilot.app.query_one(ActivityPanel)
        # Mounted by that tab key if the prewarm had not yet: wait for its widgets.
        await until(pilot, lambda: activity.query("#activity-calls"))
        calls = activity.query_one("#activity-calls", ResourceTable)
        await until(pilot, lambda: calls.row_count > 0)
        profiles = {r.values[1]: r.values[6] for r in calls.visible_rows()}
        assert profiles["SetStatusToCanceled"] == "loc-sc"
        assert profiles["GetReportRequestList"] == "loc-mws"
    (entry,) = t.journal.entries()
    assert (entry.profile, entry.operation) == ("loc-sc", "SetStatusToCanceled")


async def test_a_panel_without_an_account_does_not_borrow_the_other_services(
    tmp_path: Path,
) -> None:
    t = two_profiles(tmp_path)
    t.session.sellercenter_account = None
    async with make_app(t.session).run_test(size=SIZE) as pilot:
        header = pilot.app.query_one(AccountHeader)
        pilot.app.action_show_tab(3)  # type: ignore[attr-defined]
        await until(pilot, lambda: header.service == "sellercenter")
        text = header.render().plain
        assert "no SellerCenter account in this session" in text
        assert "loc-mws" not in text
