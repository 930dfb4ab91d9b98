"""The ``spapi`` section of a seed (SEED.md): applications, sellers and their data.

Absent (or null), the section is the demo one (``demo.demo_section``); a seller entry
may ask for generated data with ``"generate": {...}``. Times are ISO 8601 strings or
seconds relative to start, as everywhere in a seed.
"""

from __future__ import annotations

import random
from typing import Any

from mwstui.catalog import load_catalog
from mwstui.clock import Clock
from mwstui.errors import ConfigError
from mwstui.sandbox.fulfillment_model import FulfillmentOrder, Money
from mwstui.sandbox.mws import seed as seeds
from mwstui.sandbox.mws.auth import SellerAccount
from mwstui.sandbox.mws.fulfillment_state import FulfillmentState, InventoryItem
from mwstui.sandbox.spapi import demo
from mwstui.sandbox.spapi.call import SpSeller
from mwstui.sandbox.spapi.documents import DocumentSigner
from mwstui.sandbox.spapi.fulfillment_render import SP_TO_PLAN_ADDRESS
from mwstui.sandbox.spapi.fulfillment_state import (
    CANCEL_BEHAVIOURS,
    FROM_WORDS,
    STATUS_CASES,
    SpFulfillment,
)
from mwstui.sandbox.spapi.lwa import Application, Authorization, LoginWithAmazon
from mwstui.sandbox.spapi.paging import PageTokens
from mwstui.sandbox.spapi.reports_state import (
    CANCELLED,
    DONE,
    DRAW,
    FATAL,
    IN_PROGRESS,
    IN_QUEUE,
    ReportsState,
)
from mwstui.sandbox.spapi.returns import seed_returns
from mwstui.sandbox.spapi.service import SpapiDemo, SpapiService
from mwstui.sandbox.spapi.throttle import UsagePlans
from mwstui.secret import Secret


def load_section(
    section: dict[str, Any] | None, *, clock: Clock, speed: float, rng_seed: int
) -> SpapiService:
    """Build the SP-API service from a seed's ``spapi`` section.

    Raises:
        ConfigError: anything in the section that does not make sense, in one line.
    """
    if section is None:
        section = demo.demo_section()
    if not isinstance(section, dict):
        raise ConfigError("seed: spapi must be an object")
    now = clock.time()
    catalog = load_catalog().spapi
    apps = []
    for a in _list(section, "applications"):
        try:
            apps.append(Application(str(a["client_id"]), Secret(str(a["client_secret"]))))
        except (KeyError, TypeError):
            raise ConfigError(
                "seed: spapi: every application needs client_id and client_secret"
            ) from None
    if not apps:
        raise ConfigError("seed: spapi needs at least one application")
    sellers: dict[str, SpSeller] = {}
    auths: list[Authorization] = []
    for entry in _list(section, "sellers"):
        if not isinstance(entry, dict) or "seller_id" not in entry:
            raise ConfigError("seed: spapi: every seller needs a seller_id")
        if "generate" in entry:
            entry = demo.expand_seller(entry, rng_seed)
        sid = str(entry["seller_id"])
        region = str(entry.get("region", "NA")).upper()
        if region not in catalog.regions:
            raise ConfigError(f"seed: spapi seller {sid}: unknown region {region}")
        markets = tuple(str(m) for m in entry.get("marketplaces") or ())
        in_region = {m.marketplace_id for m in catalog.marketplaces_in(region)}
        if not markets or any(m not in in_region for m in markets):
            raise ConfigError(f"seed: spapi seller {sid}: needs marketplaces of region {region}")
        client = str(entry.get("client_id") or apps[0].client_id)
        if client not in {a.client_id for a in apps}:
            raise ConfigError(f"seed: spapi seller {sid}: unknown client_id {client}")
        token = entry.get("refresh_token")
        if not token:
            raise ConfigError(f"seed: spapi seller {sid}: needs a refresh_token")
        auths.append(Authorization(sid, client, Secret(str(token)), bool(entry.get("revoked"))))
        rng = random.Random(f"{rng_seed}:spapi:{sid}")
        case = str(section.get("status_case", "model"))
        if case not in STATUS_CASES:
            raise ConfigError(f"seed: spapi: status_case must be one of {STATUS_CASES}")
        try:
            sellers[sid] = _seller(sid, region, markets, entry, rng, now, speed)
            sellers[sid].fulfillment.status_case = case
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"seed: spapi seller {sid}: bad entry ({exc})") from None
    if not sellers:
        raise ConfigError("seed: spapi needs at least one seller")
    lifetime = float(section.get("token_lifetime", catalog.token_lifetime_seconds))
    rng = random.Random(f"{rng_seed}:spapi")
    lwa = LoginWithAmazon(apps, auths, clock, random.Random(rng.random()), lifetime)
    first = auths[0]
    app = next(a for a in apps if a.client_id == first.client_id)
    demo_creds = SpapiDemo(
        client_id=app.client_id,
        client_secret=app.client_secret.reveal(),
        refresh_token=first.refresh_token.reveal(),
        seller_id=first.seller_id,
        region=sellers[first.seller_id].region,
        marketplace_id=sellers[first.seller_id].marketplaces[0],
    )
    signer = DocumentSigner(rng.randbytes(32))
    return SpapiService(lwa, sellers, UsagePlans(clock), signer, demo_creds)


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key) or []
    if not isinstance(value, list):
        raise ConfigError(f"seed: spapi: {key} must be a list")
    return value


def _seller(
    sid: str,
    region: str,
    markets: tuple[str, ...],
    entry: dict[str, Any],
    rng: random.Random,
    now: float,
    speed: float,
) -> SpSeller:
    inventory = [
        InventoryItem(
            sku=str(i["sku"]),
            fnsku=str(i.get("fnsku") or f"X00{rng.randrange(10**7):07d}"),
            name=str(i.get("name") or i["sku"]),
            quantity=int(i.get("quantity", 0)),
            weight_lb=float(i.get("weight_lb", 1.0)),
            price=str(i.get("price", "19.99")),
        )
        for i in _list(entry, "inventory")
    ]
    reports = ReportsState(random.Random(rng.random()), speed, region)
    state = FulfillmentState(random.Random(rng.random()), speed, inventory, demo.RETURN_REASONS)
    fulfillment = SpFulfillment(state)
    seller = SpSeller(
        sid, region, markets, reports, fulfillment, PageTokens(random.Random(rng.random()))
    )
    for r in _list(entry, "reports"):
        _report(reports, r, markets, now)
    periods = set(load_catalog().spapi.periods())
    for s in _list(entry, "schedules"):
        if s["period"] not in periods:
            raise ConfigError(f"seed: spapi seller {sid}: unknown period {s['period']}")
        reports.add_schedule(
            _report_type(s),
            [str(m) for m in s.get("marketplaces") or markets[:1]],
            str(s["period"]),
            seeds._when(s.get("next", 0), now, "next"),
            s.get("options"),
            s.get("schedule_id"),
        )
    account = SellerAccount(sid, markets)
    for o in _list(entry, "fulfillment_orders"):
        _order(seller, o, account, now)
    return seller


def _report_type(e: dict[str, Any]) -> str:
    rtype = str(e["report_type"])
    if rtype not in {t.type for t in load_catalog().spapi.report_types}:
        raise ConfigError(f"seed: unknown report type {rtype}")
    return rtype


def _report(reports: ReportsState, e: dict[str, Any], markets: tuple[str, ...], now: float) -> None:
    rtype = _report_type(e)
    status = e.get("status")
    if status is not None and status not in load_catalog().spapi.enum("report_processing_status"):
        raise ConfigError(f"seed: unknown report status {status}")
    created = min(seeds._when(e.get("created", 0), now, "created"), now)
    r = reports.rng
    starts = completes = None
    outcome = None
    if status == IN_QUEUE:
        starts = now + r.uniform(5, 90) / reports.speed
    elif status == IN_PROGRESS:
        starts = min(now, created + r.uniform(2, 10))
        completes = now + r.uniform(10, 180) / reports.speed
    elif status in (DONE, FATAL) or (status == CANCELLED and not e.get("cancelled_by_seller")):
        completes = min(now, created + r.uniform(8, 60))
        starts = min(completes, created + r.uniform(2, 8))
        outcome = status
    elif status == CANCELLED:
        starts = now + 3600.0
    rep = reports.create(
        rtype,
        [str(m) for m in e.get("marketplaces") or markets[:1]],
        created=created,
        data_start=None
        if e.get("data_start") is None
        else seeds._when(e["data_start"], now, "date"),
        data_end=None if e.get("data_end") is None else seeds._when(e["data_end"], now, "date"),
        options=e.get("options"),
        report_id=e.get("report_id"),
        starts=starts,
        completes=completes,
        outcome=outcome,
        compression=e.get("compression", DRAW),
        charset=e.get("charset"),
    )
    if status == CANCELLED and e.get("cancelled_by_seller"):
        rep.cancelled_at = min(now, created + r.uniform(1, 5))


STALL = 7 * 86400.0
"""Seconds (before speed-up) a late- or partial-cancel order waits in its seeded status,
so a demo user can still try the cancel long after start."""


def _stall(state: FulfillmentState, order: FulfillmentOrder, now: float) -> None:
    delay = STALL / state.speed
    order.phases = [(s, t if t <= now else t + delay) for s, t in order.phases]
    for s in order.shipments:
        state.packages.pop(s.package.number, None)
    state.plan_shipments(order)


def _order(seller: SpSeller, o: dict[str, Any], account: SellerAccount, now: float) -> None:
    plan = dict(o)
    status = o.get("status")
    if status is not None:
        folded = str(status).replace("_", "").lower()
        if folded not in FROM_WORDS:
            raise ConfigError(f"seed: unknown fulfillment order status {status}")
        plan["status"] = FROM_WORDS[folded]
    plan["address"] = {
        SP_TO_PLAN_ADDRESS[k]: v
        for k, v in (o.get("address") or {}).items()
        if k in SP_TO_PLAN_ADDRESS
    }
    state = seller.fulfillment.state
    order = seeds._order(state, plan, account, now)
    currency = str(o.get("currency", "USD"))
    for item in order.items:
        inv = state.inventory.get(item.sku)
        if inv is not None:
            item.declared_value = Money(currency, inv.price)
    state.add(order)
    behaviour = str(o.get("cancel", "normal"))
    if behaviour not in CANCEL_BEHAVIOURS:
        raise ConfigError(
            f"seed: order {order.order_id}: cancel must be one of {CANCEL_BEHAVIOURS}"
        )
    seller.fulfillment.behaviour[order.order_id] = behaviour
    if behaviour != "normal":
        _stall(state, order, now)
    seed_returns(state, order, _list(o, "returns"), now)
