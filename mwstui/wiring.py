"""Wiring: clients → backends, for every place that builds a session.

The session's clients (built by ``cli.build_session`` from settings and credentials)
get their backends here, once, so the CLI, ``doctor``, the tests and the screenshot
script hand the panels the same backends for the same clients.
"""

from __future__ import annotations

from mwstui.backend.backends import Backends
from mwstui.backend.models import AccountInfo
from mwstui.session import Session


def _account(info: AccountInfo | None, service: str, seller: str, host: str) -> AccountInfo:
    """The session's account of a service (the same instance), or a stand-in naming the
    client's seller and host when the session has none."""
    if info is not None:
        return info
    return AccountInfo(profile="", service=service, seller=seller, marketplace="", host=host)


def build_backends(session: Session) -> Backends:
    """Backends for the session's clients: MWS (or SP-API) reports, schedules and
    fulfillment, and SellerCenter orders, each acting for the account of the client that
    sends."""
    backends = Backends()
    if session.mws is not None:
        from mwstui.mws.backend import MWSReports, MWSSchedules
        from mwstui.mws.fulfillment_backend import MWSFulfillment

        mws = session.mws
        account = _account(session.mws_account, "mws", mws.seller_id, mws.host)
        backends.reports = MWSReports(mws, account, session.governor)
        backends.schedules = MWSSchedules(mws, account, session.governor)
        backends.fulfillment = MWSFulfillment(mws, account, session.governor)
    if session.spapi is not None:
        from mwstui.spapi.backends import spapi_backends

        sp = session.spapi
        account = _account(session.spapi_account, "spapi", sp.seller_id, sp.host)
        found = spapi_backends(sp, account, session.governor)
        # A profile talks to MWS or SP-API; should both be present, MWS keeps its panels.
        backends.reports = backends.reports or found.reports
        backends.schedules = backends.schedules or found.schedules
        backends.fulfillment = backends.fulfillment or found.fulfillment
    if session.sellercenter is not None:
        from mwstui.sellercenter.backend import SellerCenterOrders

        sc = session.sellercenter
        account = _account(session.sellercenter_account, "sellercenter", sc.user_id, sc.host)
        backends.orders = SellerCenterOrders(sc, account, session.governor)
    return backends


def attach_backends(session: Session) -> Session:
    """Give ``session`` the backends of its clients; returns it."""
    session.backends = build_backends(session)
    return session
