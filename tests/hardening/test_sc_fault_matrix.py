"""SellerCenter fault matrix: a paged GetOrders, a single read and SetStatusToCanceled.

SellerCenter's rules differ from MWS's: a read is retried (up to 5 attempts, backoff
1, 2, 4, 8 s) on E429, E006, HTTP 5xx and network failures, including a lost answer; a
mutation is sent once, whatever happens (a throttled SetStatusTo* is not retried), and
a lost answer is ``OutcomeUnknownError`` (journal ``unknown``). E003 (clock) and E007
(key) are never retried.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from mwstui.errors import (
    ApiError,
    MalformedResponseError,
    NotSentError,
    OutcomeUnknownError,
    RequestExpiredError,
    ServiceError,
    SignatureMismatchError,
    ThrottledError,
)
from tests.hardening.futurist import SC_STATUS_SWAP
from tests.hardening.matrix import (
    BROKEN_SESSION,
    FAULTS,
    SESSION_WIDE,
    Expect,
    check_error,
    eventually,
)
from tests.hardening.rig import (
    SC_ITEM_BASE,
    SC_ORDER_BASE,
    SC_ORDERS,
    Rig,
    open_rig,
)

KINDS = ("list", "read", "mutation")
OPERATION = {"list": "GetOrders", "read": "GetOrderItems", "mutation": "SetStatusToCanceled"}
REASON = "Out of stock"
PAGE = 3
"""GetOrders page size: the five seeded orders come in two pages."""
READ_ATTEMPTS = 5


def expect(kind: str, fault: str) -> Expect:
    """The documented behaviour of one cell (API.md, SellerCenter "Retries")."""
    mutation = kind == "mutation"
    if fault in ("throttle-once", "quota"):  # the sandbox answers both with E429
        return Expect(ThrottledError, 1, "error", False, 0) if mutation else Expect(None, 2)
    if fault == "throttle-always":
        if mutation:
            return Expect(ThrottledError, 1, "error", False, 0)
        return Expect(ThrottledError, READ_ATTEMPTS)
    if fault in ("internal-once", "unavailable-once"):
        return Expect(ServiceError, 1, "error", False, 0) if mutation else Expect(None, 2)
    if fault in ("internal-always", "unavailable-always"):
        if mutation:
            return Expect(ServiceError, 1, "error", False, 0)
        return Expect(ServiceError, READ_ATTEMPTS)
    if fault in ("latency", "truncate", "drop-before", "drop-after"):
        if mutation:
            happened = fault != "drop-before"
            return Expect(OutcomeUnknownError, 1, "unknown", happened, int(happened))
        return Expect(None, 2)  # a read whose answer was lost is simply asked again
    if fault == "malformed":
        if mutation:
            return Expect(OutcomeUnknownError, 1, "unknown", True, 1)
        return Expect(MalformedResponseError, 1)
    if fault == "refused":
        if mutation:
            return Expect(NotSentError, 1, "error", False, 0)
        return Expect(NotSentError, READ_ATTEMPTS)
    if fault in ("bad-md5-once", "bad-md5-always", "future"):
        return Expect(None, 1, "ok", True, 1)
    if fault == "skew":
        return Expect(RequestExpiredError, 1, "error", False, 1)
    assert fault == "bad-key"
    return Expect(SignatureMismatchError, 1, "error", False, 1)


async def _list(rig: Rig, rule: str | None) -> object:
    pages = []
    since = rig.clock.now() - timedelta(days=2)
    async for page in rig.sc.iter_orders(created_after=since, page_size=PAGE):
        pages.append(page)
        if rule and len(pages) == 1:
            rig.inject(rule.format(op=OPERATION["list"]))
    assert len(pages) == 2
    orders = [o for p in pages for o in p.data.orders]
    assert sorted(int(o.order_id) for o in orders) == [SC_ORDER_BASE + n for n in range(SC_ORDERS)]
    return orders


async def _read(rig: Rig, rule: str | None) -> object:
    if rule:
        rig.inject(rule.format(op=OPERATION["read"]))
    items = (await rig.sc.order_items(SC_ORDER_BASE)).data
    assert [int(i.order_item_id) for i in items] == [SC_ITEM_BASE]
    return items


async def _mutation(rig: Rig, rule: str | None) -> object:
    if rule:
        rig.inject(rule.format(op=OPERATION["mutation"]))
    return (await rig.sc.cancel_item(SC_ITEM_BASE, REASON)).data


RUN = {"list": _list, "read": _read, "mutation": _mutation}


def _cancelled(rig: Rig) -> bool:
    return rig.sandbox.sellercenter.items[SC_ITEM_BASE].status == "canceled"


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("kind", KINDS)
async def test_sellercenter_cell(kind: str, fault: str, tmp_path: Path) -> None:
    spec, expected = FAULTS[fault], expect(kind, fault)
    async with open_rig(
        tmp_path,
        mode=spec.mode,
        skew=spec.skew,
        bad_key=spec.bad_key,
        future=spec.future,
        wire_timeout=spec.timeout,
    ) as rig:
        data: object = None
        exc: ApiError | None = None
        started = rig.clock.time()
        try:
            data = await RUN[kind](rig, spec.rule)
        except ApiError as caught:
            exc = caught
        op = OPERATION[kind]
        # Records of the faulted call: a listing's first page only counts when it failed.
        first_page = kind == "list" and not (fault in SESSION_WIDE and exc is not None)
        attempts = rig.calls(op)[1:] if first_page else rig.calls(op)

        check_error(exc, expected, None)  # the sandbox's Head.RequestId is always empty
        assert len(attempts) == expected.attempts, [(r.attempt, r.error_code) for r in attempts]
        assert rig.sc_wire.sent.count(op) == expected.attempts + int(first_page)
        if expected.attempts > 1:
            # Backoff between read attempts: 1, 2, 4, 8 s on the clients' clock.
            assert rig.clock.time() - started >= sum(2**n for n in range(expected.attempts - 1))
        if kind == "mutation":
            await _check_mutation(rig, exc, expected)
        if fault == "future" and kind != "mutation":
            _check_future(kind, data)
        if fault not in BROKEN_SESSION:  # the same session goes on working
            rig.sandbox.faults.clear()
            rig.wire.timeout = rig.sc_wire.timeout = None
            assert (await rig.sc.failure_reasons()).data


async def _check_mutation(rig: Rig, exc: ApiError | None, expected: Expect) -> None:
    if expected.executed:
        assert await eventually(lambda: _cancelled(rig))
        assert await eventually(lambda: rig.sc_reached.count(OPERATION["mutation"]) >= 1)
    assert _cancelled(rig) is expected.executed
    assert rig.sc_reached.count(OPERATION["mutation"]) == expected.reached
    (entry,) = rig.journal.entries()
    assert entry.service == "sellercenter" and entry.items == (str(SC_ITEM_BASE),)
    assert entry.params["Reason"] == REASON and entry.status == expected.journal
    if exc is not None:
        assert entry.error_code == exc.code


def _check_future(kind: str, data: object) -> None:
    newer = SC_STATUS_SWAP[1]
    rows: list[Any] = list(data)  # type: ignore[call-overload]
    statuses = [s for o in rows for s in o.statuses] if kind == "list" else [i.status for i in rows]
    assert statuses and all(s == newer and not s.known and not s.cancellable for s in statuses)
