"""Wiring: clients → backends, for every place that builds a session.

The session's clients (built by ``cli.build_session`` from settings and credentials)
get their backends here, once, so the CLI, ``doctor``, the tests and the screenshot
script hand the panels the same backends for the same clients.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mwstui.backend.backends import Backends
from mwstui.backend.models import AccountInfo
from mwstui.session import Session

if TYPE_CHECKING:
    from mwstui.clock import Clock
    from mwstui.credentials import ResolvedCredentials
    from mwstui.spapi.client import SPAPIClient
    from mwstui.throttle import Governor


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
        from mwstui.mws.backend import MWSReports
        from mwstui.mws.fulfillment_backend import MWSFulfillment
        from mwstui.mws.schedules_backend import MWSSchedules

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


def spapi_client(
    creds: ResolvedCredentials, *, governor: Governor, clock: Clock, **options: Any
) -> SPAPIClient:
    """The SP-API client of an SP-API profile and its resolved credentials.

    Args:
        creds: ``resolve_credentials`` of a ``service = "spapi"`` profile.
        governor: the shared throttle governor.
        clock: time source.
        **options: passed on to ``SPAPIClient`` (``journal``, ``read_only``,
            ``transport``, ``timeout``, ``max_wait`` ...).
    """
    from mwstui.spapi.client import SPAPIClient

    p = creds.profile
    if creds.lwa_client_id is None or creds.lwa_client_secret is None:
        raise ValueError(f"profile {p.name!r} has no resolved SP-API credentials")
    if creds.refresh_token is None:
        raise ValueError(f"profile {p.name!r} has no resolved SP-API refresh token")
    options.setdefault("verify", p.verify)
    options.setdefault("profile", p.name)
    return SPAPIClient(
        region=p.region or "",
        client_id=creds.lwa_client_id,
        client_secret=creds.lwa_client_secret,
        refresh_token=creds.refresh_token,
        # Budgets are per app + seller; without the seller id the profile name keys them.
        seller_id=p.seller_id or p.name,
        governor=governor,
        clock=clock,
        endpoint=p.endpoint,
        lwa_endpoint=p.lwa_endpoint,
        marketplace_ids=p.marketplace_ids,
        **options,
    )
