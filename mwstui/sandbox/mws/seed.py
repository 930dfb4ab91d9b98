"""Seed files: accounts and initial data of the sandbox (format in ../SEED.md).

Times in a seed are either ISO 8601 strings (absolute) or numbers: seconds relative to
the moment the sandbox starts (negative is the past), so a seed stays fresh forever.
A seller entry may ask for generated demo data (``"generate": {...}``); the default
seed is exactly that, for one demo seller with fixed demo credentials.
"""

from __future__ import annotations

import json
import random
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mwstui.catalog import load_catalog
from mwstui.errors import ConfigError
from mwstui.sandbox import fulfillment_model as fm
from mwstui.sandbox.mws import demo
from mwstui.sandbox.mws.auth import Developer, SellerAccount
from mwstui.sandbox.mws.call import SellerState
from mwstui.sandbox.mws.fulfillment_state import (
    HOLD_SECONDS,
    ON_CANCEL,
    FulfillmentState,
    InventoryItem,
)
from mwstui.sandbox.mws.paging import TokenStore
from mwstui.sandbox.mws.params import parse_iso8601
from mwstui.sandbox.mws.reports_state import CANCELLED, DONE, IN_PROGRESS, SUBMITTED, ReportsState
from mwstui.secret import Secret

SEED_VERSION = 1


def default_seed() -> dict[str, Any]:
    """The demo seed shipped with the package (generated data, fixed demo credentials)."""
    return demo.demo_seed()


def read_seed(source: dict[str, Any] | Path | str | None) -> dict[str, Any]:
    """The seed as a dict: the default for None, else the given dict or JSON file.

    Raises:
        ConfigError: unreadable file, invalid JSON or wrong version.
    """
    if source is None:
        return default_seed()
    if isinstance(source, dict):
        data = source
    else:
        try:
            data = json.loads(Path(source).read_text("utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read seed file {source}: {exc.strerror}") from None
        except ValueError as exc:
            raise ConfigError(f"seed file {source} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("version", SEED_VERSION) != SEED_VERSION:
        raise ConfigError(f"seed must be a JSON object with version {SEED_VERSION}")
    return data


@dataclass(slots=True)
class LoadedSeed:
    """What a seed becomes: developers, per-seller state and the SellerCenter section."""

    developers: dict[str, Developer]
    sellers: dict[str, SellerState]
    sellercenter: dict[str, Any] | None
    faults: str | None
    options: dict[str, Any]
    rng_seed: int


def _when(value: Any, base: float, what: str) -> float:
    if isinstance(value, bool) or value is None:
        raise ConfigError(f"seed: {what} must be a time")
    if isinstance(value, int | float):
        return base + float(value)
    t = parse_iso8601(str(value))
    if t is None:
        raise ConfigError(f"seed: {what} {value!r} is not an ISO 8601 time or a number")
    return t


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key) or []
    if not isinstance(value, list):
        raise ConfigError(f"seed: {key} must be a list")
    return value


def load(seed: dict[str, Any], *, now: float, speed: float) -> LoadedSeed:
    """Build the sandbox's accounts and state from a seed read by ``read_seed``.

    Raises:
        ConfigError: anything in the seed that does not make sense, in one line.
    """
    rng_seed = int(seed.get("rng_seed", 0))
    mws = seed.get("mws") or {}
    if not isinstance(mws, dict):
        raise ConfigError("seed: mws must be an object")
    catalog = load_catalog()
    sellers: dict[str, SellerState] = {}
    for entry in _list(mws, "sellers"):
        try:
            seller_id = str(entry["seller_id"])
            markets = tuple(str(m) for m in entry.get("marketplaces") or ("ATVPDKIKX0DER",))
        except (KeyError, TypeError):
            raise ConfigError("seed: every seller needs a seller_id") from None
        for m in markets:
            if catalog.marketplace(m) is None:
                raise ConfigError(f"seed: seller {seller_id}: unknown marketplace {m}")
        if "generate" in entry:
            entry = demo.expand_seller(entry, rng_seed)
        token = entry.get("auth_token")
        account = SellerAccount(seller_id, markets, None if token is None else str(token))
        rng = random.Random(f"{rng_seed}:{seller_id}")
        sellers[seller_id] = _seller(account, entry, rng, now, speed)
    developers: dict[str, Developer] = {}
    for dev in _list(mws, "developers"):
        try:
            key, secret = str(dev["access_key"]), str(dev["secret_key"])
        except (KeyError, TypeError):
            raise ConfigError("seed: every developer needs access_key and secret_key") from None
        allowed = frozenset(str(s) for s in dev.get("sellers") or sellers)
        unknown = allowed - set(sellers)
        if unknown:
            raise ConfigError(f"seed: developer {key}: unknown seller {sorted(unknown)[0]}")
        developers[key] = Developer(key, Secret(secret), allowed)
    if not developers or not sellers:
        raise ConfigError("seed: mws needs at least one developer and one seller")
    sc = seed.get("sellercenter")
    faults = seed.get("faults")
    return LoadedSeed(
        developers=developers,
        sellers=sellers,
        sellercenter=sc if isinstance(sc, dict) else None,
        faults=None if faults is None else str(faults),
        options=dict(seed.get("options") or {}),
        rng_seed=rng_seed,
    )


def _seller(
    account: SellerAccount, entry: dict[str, Any], rng: random.Random, now: float, speed: float
) -> SellerState:
    inventory = [
        InventoryItem(
            sku=str(i["sku"]),
            fnsku=str(i.get("fnsku") or f"X00{zlib.crc32(str(i['sku']).encode()) % 10**7:07d}"),
            name=str(i.get("name") or i["sku"]),
            quantity=int(i.get("quantity", 0)),
            weight_lb=float(i.get("weight_lb", 1.0)),
            price=str(i.get("price", "19.99")),
        )
        for i in _list(entry, "inventory")
    ]
    reasons = [(str(r["code"]), str(r["description"])) for r in _list(entry, "return_reason_codes")]
    reports = ReportsState(random.Random(rng.random()), speed)
    fulfillment = FulfillmentState(
        random.Random(rng.random()), speed, inventory, reasons or demo.RETURN_REASONS
    )
    state = SellerState(account, reports, fulfillment, TokenStore(random.Random(rng.random())))
    try:
        _load_requests(reports, _list(entry, "report_requests"), now)
        for s in _list(entry, "schedules"):
            sched = str(s["schedule"])
            if sched not in reports.intervals or sched == "_NEVER_":
                raise ConfigError(f"seed: unknown schedule {sched}")
            reports.manage_schedule(
                str(s["report_type"]), sched, _when(s.get("scheduled_date", 0), now, "date"), now
            )
        for o in _list(entry, "fulfillment_orders"):
            fulfillment.add(_order(fulfillment, o, account, now))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"seed: seller {account.seller_id}: bad entry ({exc})") from None
    return state


def _load_requests(reports: ReportsState, entries: list[dict[str, Any]], now: float) -> None:
    acks: list[tuple[str, Any]] = []
    statuses = set(load_catalog().enum("report_processing_status"))
    for e in entries:
        rtype = str(e["report_type"])
        if rtype not in reports.report_types:
            raise ConfigError(f"seed: unknown report type {rtype}")
        status = e.get("status")
        if status is not None and status not in statuses:
            raise ConfigError(f"seed: unknown report status {status}")
        submitted = min(_when(e.get("submitted", 0), now, "submitted"), now)
        r = reports.rng
        starts = completes = None
        if status == SUBMITTED:
            drawn = r.uniform(5, 90) / reports.speed  # drawn anyway: later ids stay the same
            wait = e.get("starts_in")
            starts = now + (drawn if wait is None else float(wait))
        elif status == IN_PROGRESS:
            starts = min(now, submitted + r.uniform(2, 10))
            completes = now + r.uniform(10, 180) / reports.speed
        elif status in (DONE, "_DONE_NO_DATA_"):
            completes = min(now, submitted + r.uniform(8, 60))
            starts = min(completes, submitted + r.uniform(2, 8))
        elif status == CANCELLED:
            starts = now + 3600.0
        req = reports.add_request(
            rtype,
            submitted=submitted,
            start_date=None if e.get("start_date") is None else _when(e["start_date"], now, "date"),
            end_date=None if e.get("end_date") is None else _when(e["end_date"], now, "date"),
            scheduled=bool(e.get("scheduled", False)),
            options=e.get("options"),
            request_id=e.get("request_id"),
            report_id=e.get("report_id"),
            starts=starts,
            completes=completes,
            outcome=status if status in (DONE, "_DONE_NO_DATA_") else None,
        )
        if e.get("generated_report_id") is False:
            req.lists_report_id = False
        if status == CANCELLED:
            req.cancelled_at = min(now, submitted + r.uniform(1, 5))
        if e.get("acknowledged"):
            acks.append((req.request_id, e.get("acknowledged_date")))
    reports.advance(now)
    for rid, when in acks:
        report_id = reports.requests[rid].report_id
        if report_id in reports.reports:
            rep = reports.reports[report_id]
            rep.acknowledged = True
            rep.acknowledged_date = now if when is None else _when(when, now, "acknowledged_date")


def _order(
    state: FulfillmentState, o: dict[str, Any], account: SellerAccount, now: float
) -> fm.FulfillmentOrder:
    statuses = set(load_catalog().enum("fulfillment_order_status"))
    status = o.get("status")
    if status is not None and status not in statuses:
        raise ConfigError(f"seed: unknown fulfillment order status {status}")
    received = min(_when(o.get("received", 0), now, "received"), now)
    items = [
        fm.OrderItem(
            sku=str(i["sku"]),
            item_id=str(i.get("item_id") or f"{o['order_id']}-{n}"),
            quantity=int(i["quantity"]),
            gift_message=i.get("gift_message"),
            comment=i.get("comment"),
            fnsku=state.inventory[i["sku"]].fnsku if i["sku"] in state.inventory else None,
            unfulfillable=int(i.get("unfulfillable", 0)),
        )
        for n, i in enumerate(o["items"], 1)
    ]
    if status == fm.UNFULFILLABLE:
        for i in items:
            i.unfulfillable = i.quantity
    elif status == fm.PARTIAL and not any(i.unfulfillable for i in items):
        # A partial order must have something it could not ship.
        big = next((i for i in items if i.quantity > 1), None)
        if big is not None:
            big.unfulfillable = big.quantity // 2
        elif len(items) > 1:
            items[-1].unfulfillable = items[-1].quantity
    order = fm.FulfillmentOrder(
        order_id=str(o["order_id"]),
        displayable_id=str(o.get("displayable_id") or o["order_id"]),
        displayable_date=_when(o.get("displayable_date", o.get("received", 0)), now, "date"),
        comment=str(o.get("comment", "")),
        speed=str(o.get("speed", "Standard")),
        address={str(k): str(v) for k, v in (o.get("address") or {}).items()},
        policy=str(o.get("policy", "FillOrKill")),
        action=str(o.get("action", "Ship")),
        marketplace_id=str(o.get("marketplace_id") or account.marketplaces[0]),
        emails=[str(e) for e in o.get("emails") or []],
        items=items,
        received=received,
        phases=[],
    )
    if order.action == "Hold" and status in (None, fm.RECEIVED):
        order.phases = [
            (fm.RECEIVED, received),
            (fm.CANCELLED, received + HOLD_SECONDS / state.speed),
        ]
    else:
        final = (
            status
            if status in (fm.COMPLETE, fm.PARTIAL, fm.CANCELLED, fm.INVALID, fm.UNFULFILLABLE)
            else state.final_status(order)
        )
        order.phases = state.timeline(received, final, now, status)
        order.cancelled_at = next((t for s, t in order.phases if s == fm.CANCELLED), None)
        if order.cancelled_at is not None and order.cancelled_at > now:
            order.cancelled_at = None
    on_cancel = str(o.get("on_cancel", ON_CANCEL[0]))
    if on_cancel not in ON_CANCEL:
        raise ConfigError(f"seed: order {order.order_id}: on_cancel must be one of {ON_CANCEL}")
    order.on_cancel = on_cancel
    if o.get("next_phase_in") is not None:
        _hold_phase(order, float(o["next_phase_in"]), now)
    if status != fm.INVALID:
        state.plan_shipments(order)
    return order


def _hold_phase(order: fm.FulfillmentOrder, seconds: float, now: float) -> None:
    """Move the rest of the plan so the order keeps its status ``seconds`` from now."""
    future = [t for _, t in order.phases if t > now]
    if not future:
        return
    shift = now + max(seconds, 0.0) - future[0]
    order.phases = [(s, t + shift if t > now else t) for s, t in order.phases]
