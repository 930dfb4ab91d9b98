"""Wiring: targets → clients → backends → Session, for every place that builds a session.

``build_session`` is the one factory: ``mwstui --sandbox``, ``mwstui --profile``,
``doctor``, the tests and the screenshot script all get their clients and backends from
it, so every one of them hands the panels the same backends for the same clients.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mwstui.backend.backends import Backends
from mwstui.backend.models import AccountInfo
from mwstui.clock import Clock
from mwstui.session import Session
from mwstui.targets import MWSTarget, SellerCenterTarget, SPAPITarget
from mwstui.throttle.governor import Governor

if TYPE_CHECKING:
    import httpx

    from mwstui.journal.store import Journal
    from mwstui.settings.credentials import ResolvedCredentials
    from mwstui.spapi.client import SPAPIClient


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


def build_session(
    *,
    clock: Clock,
    profile: str,
    mws: MWSTarget | None = None,
    sellercenter: SellerCenterTarget | None = None,
    spapi: SPAPITarget | None = None,
    governor: Governor | None = None,
    journal: Journal | None = None,
    read_only: bool = False,
    sandbox: bool = False,
    profiles: Sequence[str] = (),
    download_dir: str = ".",
    bounds: tuple[int, float] | None = None,
) -> Session:
    """Build the clients for the given targets and hand them over as a Session.

    ``bounds`` is ``(max_response_bytes, deadline)`` from the ``[network]`` settings.

    Each client, and the account the UI restates for it, carries the name of the profile
    that serves it (a target's ``profile``), never the name the session was opened on:
    with an MWS and a SellerCenter profile, each service has its own.
    """
    from mwstui.mws.client import MWSClient
    from mwstui.sellercenter.client import SellerCenterClient

    limits: dict[str, Any] = {}
    if bounds is not None:
        limits = {"max_response_bytes": bounds[0], "deadline": bounds[1]}

    governor = governor or Governor(clock)
    session = Session(
        clock=clock,
        governor=governor,
        journal=journal,
        read_only=read_only,
        sandbox=sandbox,
        profiles=list(profiles),
        download_dir=download_dir,
        profile=profile,
    )
    if mws is not None:
        session.mws = MWSClient(
            endpoint=mws.endpoint,
            access_key=mws.access_key,
            secret_key=mws.secret_key,
            seller_id=mws.seller_id,
            marketplace_id=mws.marketplace_id,
            auth_token=mws.auth_token,
            governor=governor,
            clock=clock,
            transport=mws.transport,
            verify=mws.verify,
            journal=journal,
            profile=mws.profile or profile,
            read_only=read_only or mws.read_only,
            **limits,
        )
        session.mws_account = AccountInfo(
            profile=session.mws.profile,
            service="mws",
            seller=mws.seller_id,
            marketplace=mws.marketplace_id or "",
            host=session.mws.host,
            credential_source=mws.credential_source,
        )
    if sellercenter is not None:
        sc_profile = sellercenter.profile or profile
        session.sellercenter = SellerCenterClient(
            endpoint=sellercenter.endpoint,
            user_id=sellercenter.user_id,
            api_key=sellercenter.api_key,
            governor=governor,
            clock=clock,
            transport=sellercenter.transport,
            verify=sellercenter.verify,
            journal=journal,
            profile=sc_profile,
            read_only=read_only or sellercenter.read_only,
            throttle=sellercenter.throttle,
            user_agent=sellercenter.user_agent,
            **limits,
        )
        session.sellercenter_account = AccountInfo(
            profile=sc_profile,
            service="sellercenter",
            seller=sellercenter.user_id,
            marketplace=sellercenter.marketplace,
            host=session.sellercenter.host,
            credential_source=sellercenter.credential_source,
        )
    if spapi is not None:
        session.spapi = spapi_client(
            spapi,
            governor=governor,
            clock=clock,
            journal=journal,
            profile=spapi.profile or profile,
            read_only=read_only or spapi.read_only,
            **limits,
        )
        session.spapi_account = AccountInfo(
            profile=session.spapi.profile,
            service="spapi",
            seller=spapi.seller_id,
            marketplace=",".join(spapi.marketplace_ids),
            host=session.spapi.host,
            region=session.spapi.region.region,
            credential_source=spapi.credential_source,
        )
    return attach_backends(session)


def sandbox_targets(
    sandbox: object,
    *,
    mws_endpoint: str,
    sellercenter_endpoint: str,
    mws_transport: httpx.AsyncBaseTransport | None = None,
    sellercenter_transport: httpx.AsyncBaseTransport | None = None,
    verify: str | bool = True,
) -> tuple[MWSTarget, SellerCenterTarget]:
    """Targets for the sandbox's demo accounts (in-process transports or loopback URLs)."""
    from mwstui.sandbox.sandbox import Sandbox

    assert isinstance(sandbox, Sandbox)
    creds = sandbox.credentials
    return (
        MWSTarget(
            endpoint=mws_endpoint,
            access_key=creds.access_key,
            secret_key=creds.secret_key,
            seller_id=creds.seller_id,
            marketplace_id=creds.marketplace_id,
            verify=verify,
            transport=mws_transport,
            credential_source="sandbox demo",
        ),
        SellerCenterTarget(
            endpoint=sellercenter_endpoint,
            user_id=creds.sellercenter_user,
            api_key=creds.sellercenter_api_key,
            marketplace=sandbox.sellercenter.marketplace,
            verify=verify,
            transport=sellercenter_transport,
            credential_source="sandbox demo",
        ),
    )


def sandbox_spapi_target(
    sandbox: object,
    *,
    endpoint: str,
    transport: httpx.AsyncBaseTransport | None = None,
    verify: str | bool = True,
) -> SPAPITarget:
    """The target of the sandbox's demo SP-API account; its LWA token endpoint and report
    documents are served on the same listener as the API."""
    from mwstui.sandbox.sandbox import Sandbox

    assert isinstance(sandbox, Sandbox)
    creds = sandbox.credentials
    return SPAPITarget(
        region=creds.spapi_region,
        client_id=creds.spapi_client_id,
        client_secret=creds.spapi_client_secret,
        refresh_token=creds.spapi_refresh_token,
        seller_id=creds.spapi_seller_id,
        marketplace_ids=(creds.spapi_marketplace_id,),
        endpoint=endpoint,
        lwa_endpoint=endpoint,  # the simulator serves LWA on the API's listener
        verify=verify,
        transport=transport,
        credential_source="sandbox demo",
    )


def spapi_target(creds: ResolvedCredentials, **options: Any) -> SPAPITarget:
    """The SP-API target of an SP-API profile and its resolved credentials.

    Args:
        creds: ``resolve_credentials`` of a ``service = "spapi"`` profile.
        **options: ``SPAPITarget`` fields to set (``transport``, ``read_only`` ...).

    Raises:
        ValueError: the credentials are not resolved (``doctor`` says which is missing).
    """
    p = creds.profile
    if creds.lwa_client_id is None or creds.lwa_client_secret is None:
        raise ValueError(f"profile {p.name!r} has no resolved SP-API credentials")
    if creds.refresh_token is None:
        raise ValueError(f"profile {p.name!r} has no resolved SP-API refresh token")
    options.setdefault("verify", p.verify)
    options.setdefault("profile", p.name)
    options.setdefault("read_only", p.read_only)
    options.setdefault("credential_source", creds.summary())
    return SPAPITarget(
        region=p.region or "",
        client_id=creds.lwa_client_id,
        client_secret=creds.lwa_client_secret,
        refresh_token=creds.refresh_token,
        # Budgets are per app + seller; without the seller id the profile name keys them.
        seller_id=p.seller_id or p.name,
        marketplace_ids=p.marketplace_ids,
        endpoint=p.endpoint,
        lwa_endpoint=p.lwa_endpoint,
        **options,
    )


def spapi_client(
    target: SPAPITarget, *, governor: Governor, clock: Clock, **options: Any
) -> SPAPIClient:
    """The SP-API client of ``target``.

    Args:
        target: the account (``spapi_target`` of a profile, or the sandbox's).
        governor: the shared throttle governor.
        clock: time source.
        **options: passed on to ``SPAPIClient`` (``journal``, ``read_only``, ``timeout``,
            ``max_wait``, ``max_response_bytes``, ``deadline`` ...).
    """
    from mwstui.spapi.client import SPAPIClient

    options.setdefault("profile", target.profile)
    options.setdefault("read_only", target.read_only)
    return SPAPIClient(
        region=target.region,
        client_id=target.client_id,
        client_secret=target.client_secret,
        refresh_token=target.refresh_token,
        seller_id=target.seller_id,
        governor=governor,
        clock=clock,
        endpoint=target.endpoint,
        lwa_endpoint=target.lwa_endpoint,
        marketplace_ids=target.marketplace_ids,
        transport=target.transport,
        verify=target.verify,
        **options,
    )
