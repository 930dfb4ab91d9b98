"""The sandbox: MWS, SellerCenter and SP-API apps built from one seed, one clock and one
fault plan."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from mwstui.catalog import load_catalog
from mwstui.clock import Clock, SystemClock
from mwstui.errors import ConfigError
from mwstui.sandbox.asgi import ASGIApp
from mwstui.sandbox.fault_middleware import FaultMiddleware
from mwstui.sandbox.faults import FaultPlan
from mwstui.sandbox.mws import seed as seeds
from mwstui.sandbox.mws.app import MWSApp
from mwstui.sandbox.mws.auth import MWSVerifier
from mwstui.sandbox.mws.call import SellerState
from mwstui.sandbox.mws.throttle import ServerThrottle
from mwstui.sandbox.sellercenter.app import create_sellercenter_app
from mwstui.sandbox.sellercenter.faults import sellercenter_error_reply
from mwstui.sandbox.sellercenter.state import SellerCenterState
from mwstui.sandbox.spapi.app import SpapiApp
from mwstui.sandbox.spapi.seed import load_section
from mwstui.sandbox.spapi.service import SpapiService
from mwstui.secret import Secret


@dataclass(frozen=True)
class DemoCredentials:
    """The first account of each service, as the ready line and ``mwstui --sandbox`` use it."""

    access_key: str
    secret_key: Secret
    seller_id: str
    marketplace_id: str
    sellercenter_user: str
    sellercenter_api_key: Secret
    spapi_client_id: str
    spapi_client_secret: Secret
    spapi_refresh_token: Secret
    spapi_seller_id: str
    spapi_region: str
    spapi_marketplace_id: str

    def reveal(self) -> dict[str, str]:
        """Plain values for the ready line (these are published demo credentials)."""
        return {
            "access_key": self.access_key,
            "secret_key": self.secret_key.reveal(),
            "seller_id": self.seller_id,
            "marketplace_id": self.marketplace_id,
            "sellercenter_user": self.sellercenter_user,
            "sellercenter_api_key": self.sellercenter_api_key.reveal(),
            "spapi_client_id": self.spapi_client_id,
            "spapi_client_secret": self.spapi_client_secret.reveal(),
            "spapi_refresh_token": self.spapi_refresh_token.reveal(),
            "spapi_seller_id": self.spapi_seller_id,
            "spapi_region": self.spapi_region,
            "spapi_marketplace_id": self.spapi_marketplace_id,
        }


class Sandbox:
    """Both simulated services; build with ``Sandbox.create``.

    Attributes:
        mws_app: ASGI app for MWS Reports and Fulfillment Outbound (faults applied).
        sellercenter_app: ASGI app for SellerCenter at ``/`` (faults applied).
        spapi_app: ASGI app for SP-API, its LWA token endpoint and report documents, all
            at the root of one listener (faults applied by operation name).
        spapi: the SP-API sellers, tokens and usage plans.
        credentials: the demo (first) account of each service.
        faults: the fault plan both apps consult; change it at run time.
        clock, speed: the sandbox's time and how fast state progresses.
    """

    def __init__(
        self,
        *,
        clock: Clock,
        speed: float,
        loaded: seeds.LoadedSeed,
        faults: FaultPlan,
        sellercenter: SellerCenterState,
        spapi: SpapiService,
        debug: bool = False,
    ) -> None:
        self.clock = clock
        self.speed = speed
        self.faults = faults
        self.sellers: dict[str, SellerState] = loaded.sellers
        self.sellercenter = sellercenter
        options = loaded.options
        self.verifier = MWSVerifier(
            loaded.developers,
            {sid: s.account for sid, s in loaded.sellers.items()},
            tolerance=float(load_catalog().mws_enums["timestamp_tolerance_seconds"]),
            strict_user_agent=bool(options.get("strict_user_agent", False)),
        )
        self.throttle = ServerThrottle(clock)
        self.mws = MWSApp(
            sellers=loaded.sellers,
            verifier=self.verifier,
            throttle=self.throttle,
            clock=clock,
            rng=random.Random(f"{loaded.rng_seed}:requests"),
            debug=debug,
        )
        self.mws_app: ASGIApp = FaultMiddleware(self.mws, faults, clock, self.mws.fault_reply)
        self.sellercenter_app: ASGIApp = FaultMiddleware(
            create_sellercenter_app(sellercenter, clock),
            faults,
            clock,
            partial(sellercenter_error_reply, clock=clock),
        )
        self.spapi = spapi
        self.spapi_server = SpapiApp(
            spapi, clock, random.Random(f"{loaded.rng_seed}:spapi-requests"), debug=debug
        )
        self.spapi_app: ASGIApp = FaultMiddleware(
            self.spapi_server,
            faults,
            clock,
            self.spapi_server.fault_reply,
            action_of=self.spapi_server.operation_of,
        )
        dev = next(iter(loaded.developers.values()))
        seller = next(s for sid, s in self.sellers.items() if sid in dev.sellers)
        sc_user, sc_key = next(iter(sellercenter.accounts.items()), ("", ""))
        self.credentials = DemoCredentials(
            access_key=dev.access_key,
            secret_key=dev.secret_key,
            seller_id=seller.account.seller_id,
            marketplace_id=seller.account.marketplaces[0],
            sellercenter_user=sc_user,
            sellercenter_api_key=Secret(sc_key),
            spapi_client_id=spapi.demo.client_id,
            spapi_client_secret=Secret(spapi.demo.client_secret),
            spapi_refresh_token=Secret(spapi.demo.refresh_token),
            spapi_seller_id=spapi.demo.seller_id,
            spapi_region=spapi.demo.region,
            spapi_marketplace_id=spapi.demo.marketplace_id,
        )

    @classmethod
    def create(
        cls,
        *,
        seed: dict[str, Any] | Path | str | None = None,
        clock: Clock | None = None,
        speed: float = 1.0,
        faults: str | FaultPlan | None = None,
        debug: bool = False,
    ) -> Sandbox:
        """Build a sandbox.

        Args:
            seed: a seed dict or JSON file (SEED.md); None for the demo seed.
            clock: the time source (default: the system clock).
            speed: how many times faster than real time reports and orders progress
                (throttle rates always stay real).
            faults: a fault spec (faults.py) or plan; added to the seed's ``faults``.
            debug: let unexpected exceptions escape the MWS app instead of a 500 (tests).

        Raises:
            ConfigError: an unreadable or invalid seed, a bad fault spec, a bad speed.
        """
        if not speed > 0:
            raise ConfigError(f"speed must be positive, not {speed}")
        clock = clock or SystemClock()
        data = seeds.read_seed(seed)
        loaded = seeds.load(data, now=clock.time(), speed=speed)
        try:
            plan = faults if isinstance(faults, FaultPlan) else FaultPlan(seed=loaded.rng_seed)
            if loaded.faults:
                plan.add(loaded.faults)
            if isinstance(faults, str):
                plan.add(faults)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        sc = SellerCenterState.from_seed(loaded.sellercenter, clock, rng_seed=loaded.rng_seed)
        spapi = load_section(data.get("spapi"), clock=clock, speed=speed, rng_seed=loaded.rng_seed)
        return cls(
            clock=clock,
            speed=speed,
            loaded=loaded,
            faults=plan,
            sellercenter=sc,
            spapi=spapi,
            debug=debug,
        )

    def seller(self, seller_id: str | None = None) -> SellerState:
        """A seller's state (the demo seller by default), for tests and inspection."""
        return self.sellers[seller_id or self.credentials.seller_id]
