"""Secrets never show: not in reprs, call records, the journal, logs, nor tracebacks with locals.

The secrets hunted: the MWS secret key, the MWS auth token, the SellerCenter API key
(right and wrong ones), and every Signature actually sent. Tracebacks are formatted
with ``capture_locals=True`` (as Rich's ``show_locals`` would print them), after
exceptions forced deep in the send path: in the transport after signing, in the clock
while signing, in a parser after the answer, and on the ordinary error paths.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import sys
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

import mwstui.mws.reports
import mwstui.sellercenter.parsing
from mwstui.calls import CallRecord
from mwstui.errors import (
    OutcomeUnknownError,
    ServiceError,
    SignatureMismatchError,
)
from mwstui.sandbox.sellercenter.seed import DEMO_API_KEY
from mwstui.secret import MASK, Secret
from mwstui.settings.credentials import ResolvedCredentials
from mwstui.settings.profile import Profile, Service
from mwstui.wiring import sandbox_targets
from tests.hardening.rig import (
    CANCEL_REQUEST,
    ORDER_ID,
    REPORT_ID,
    SC_ITEM_BASE,
    SC_ORDER_BASE,
    SECRET_KEY,
    WRONG_API_KEY,
    WRONG_SECRET_KEY,
    Rig,
    matrix_seed,
    open_rig,
)

TOKEN = "amzn.mws.4ea38b7b-f563-7709-4bae-hardening0001"
STATIC_SECRETS = (SECRET_KEY, WRONG_SECRET_KEY, TOKEN, DEMO_API_KEY, WRONG_API_KEY)
"""Module-level on purpose: a test's locals appear in the tracebacks it formats."""


def _seed() -> dict[str, Any]:
    seed = matrix_seed()
    seed["mws"]["sellers"][0]["auth_token"] = TOKEN
    return seed


def _hunted(rig: Rig | None = None) -> list[str]:
    """Every secret, and every Signature the rig sent, raw and percent-encoded."""
    values = list(STATIC_SECRETS)
    if rig is not None:
        values += [s for s in rig.wire.signatures + rig.sc_wire.signatures if s]
    return values + [quote(v, safe="") for v in values]


def assert_clean(text: str, rig: Rig | None = None) -> None:
    found = [v for v in _hunted(rig) if v in text]
    assert not found, f"secret material in output: {len(found)} value(s)"


def with_locals(exc: BaseException) -> str:
    return "".join(traceback.TracebackException.from_exception(exc, capture_locals=True).format())


async def caught(call: Awaitable[object]) -> BaseException:
    try:
        await call
    except BaseException as exc:  # what a worker would meet
        return exc
    raise AssertionError("the call did not fail")


# -- reprs -------------------------------------------------------------------------------------


async def test_reprs_of_targets_clients_auth_session_and_credentials(tmp_path: Path) -> None:
    async with open_rig(tmp_path, seed=_seed(), auth_token=TOKEN) as rig:
        mws, sc = sandbox_targets(
            rig.sandbox,
            mws_endpoint="http://mws.sandbox.test",
            sellercenter_endpoint="http://sc.sandbox.test",
        )
        mws = dataclasses.replace(mws, auth_token=Secret(TOKEN))
        resolved = ResolvedCredentials(
            profile=Profile(name="p", service=Service.MWS, endpoint="https://mws.example"),
            access_key_id="AKIA",
            secret_key=Secret(SECRET_KEY),
            auth_token=Secret(TOKEN),
            seller_id="A1",
            api_key=Secret(DEMO_API_KEY),
            sources={"secret_key": "keyring"},
        )
        objects: list[object] = [
            mws,
            sc,
            dataclasses.asdict(mws),
            dataclasses.asdict(sc),
            rig.session,
            rig.mws,
            rig.sc,
            rig.mws._http.auth,
            rig.sc._http.auth,
            rig.mws._http,
            resolved,
            rig.sandbox.credentials,
            rig.session.mws_account,
            rig.session.sellercenter_account,
        ]
        for obj in objects:
            for text in (repr(obj), str(obj), f"{obj}", "%r" % (obj,)):  # noqa: UP031
                assert_clean(text)
        assert MASK in repr(mws) and MASK in repr(resolved)


# -- call records, the journal, logs -----------------------------------------------------------


async def _traffic(rig: Rig) -> None:
    """Calls of every kind, successes and failures, on both services."""
    await rig.mws.reports.report_request_count()
    await rig.mws.fulfillment.get_order(ORDER_ID)
    await rig.mws.reports.download_report(REPORT_ID, rig.downloads / "r.txt")
    await rig.mws.reports.cancel_report_requests([CANCEL_REQUEST])
    rig.inject("GetReportCount:internal")
    assert isinstance(await caught(rig.mws.reports.report_count()), ServiceError)
    await rig.sc.failure_reasons()
    await rig.sc.order_items(SC_ORDER_BASE)
    await rig.sc.cancel_item(SC_ITEM_BASE, "Out of stock", "customer called")
    await caught(rig.sc.cancel_item(SC_ITEM_BASE + 1, "No such reason"))


async def test_call_records_journal_and_logs_hold_no_secret(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    def broken_observer(record: CallRecord) -> None:
        raise RuntimeError(f"observer bug while showing {record!r}")

    async with open_rig(tmp_path, seed=_seed(), auth_token=TOKEN) as rig:
        rig.mws.add_observer(broken_observer)  # logged with its traceback, never raised
        rig.sc.add_observer(broken_observer)
        await _traffic(rig)
        assert len(rig.records) >= 10
        assert_clean(repr(rig.records), rig)
        for rec in rig.records:
            assert rec.params["Signature"] == MASK
            if rec.service == "mws":
                assert rec.params["MWSAuthToken"] == MASK
        assert_clean(repr(rig.journal.entries()), rig)
        out = io.StringIO()
        assert rig.journal.to_csv(out) == 3
        assert_clean(out.getvalue(), rig)
        logged = "\n".join(
            f"{r.getMessage()}\n{r.exc_text or ''}" for r in caplog.records
        ) + "".join(
            "".join(traceback.format_exception(*r.exc_info)) for r in caplog.records if r.exc_info
        )
        assert "observer bug" in logged and "HTTP Request" in logged  # the logs were seen
        assert "Signature=" + MASK in logged  # httpx's request line, masked
        assert_clean(logged, rig)


# -- tracebacks with locals ----------------------------------------------------------------------


class Exploding(httpx.AsyncBaseTransport):
    """A transport that fails after the request was signed, with an unexpected error."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise RuntimeError("the link exploded")


def _explode_when_signing(clock: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    real = clock.now

    def now() -> Any:
        if sys._getframe(1).f_code.co_name == "sign_params":
            raise RuntimeError("the clock broke while signing")
        return real()

    monkeypatch.setattr(clock, "now", now)


def _broken_parser(*args: object) -> object:
    raise RuntimeError("parser bug")


Scenario = Callable[[Rig, pytest.MonkeyPatch], Awaitable[BaseException]]


async def _mws_transport(rig: Rig, mp: pytest.MonkeyPatch) -> BaseException:
    rig.wire.inner = Exploding()
    return await caught(rig.mws.reports.cancel_report_requests([CANCEL_REQUEST]))


async def _sc_transport(rig: Rig, mp: pytest.MonkeyPatch) -> BaseException:
    rig.sc_wire.inner = Exploding()
    return await caught(rig.sc.cancel_item(SC_ITEM_BASE, "Out of stock"))


async def _mws_clock(rig: Rig, mp: pytest.MonkeyPatch) -> BaseException:
    _explode_when_signing(rig.clock, mp)
    return await caught(rig.mws.fulfillment.cancel_order(ORDER_ID))


async def _sc_clock(rig: Rig, mp: pytest.MonkeyPatch) -> BaseException:
    _explode_when_signing(rig.clock, mp)
    return await caught(rig.sc.order_items(SC_ORDER_BASE))


async def _mws_parser(rig: Rig, mp: pytest.MonkeyPatch) -> BaseException:
    mp.setattr(mwstui.mws.reports, "_count", _broken_parser)
    return await caught(rig.mws.reports.report_request_count())


async def _sc_parser(rig: Rig, mp: pytest.MonkeyPatch) -> BaseException:
    mp.setattr(mwstui.sellercenter.parsing, "failure_reasons", _broken_parser)
    return await caught(rig.sc.failure_reasons())


async def _mws_lost(rig: Rig, mp: pytest.MonkeyPatch) -> BaseException:
    rig.inject("CancelReportRequests:drop-after")
    exc = await caught(rig.mws.reports.cancel_report_requests([CANCEL_REQUEST]))
    assert isinstance(exc, OutcomeUnknownError)
    return exc


async def _sc_lost(rig: Rig, mp: pytest.MonkeyPatch) -> BaseException:
    rig.inject("SetStatusToCanceled:drop-after")
    exc = await caught(rig.sc.cancel_item(SC_ITEM_BASE, "Out of stock"))
    assert isinstance(exc, OutcomeUnknownError)
    return exc


SCENARIOS: dict[str, Scenario] = {
    "mws-transport-after-signing": _mws_transport,
    "sc-transport-after-signing": _sc_transport,
    "mws-clock-while-signing": _mws_clock,
    "sc-clock-while-signing": _sc_clock,
    "mws-parser-after-answer": _mws_parser,
    "sc-parser-after-answer": _sc_parser,
    "mws-answer-lost": _mws_lost,
    "sc-answer-lost": _sc_lost,
}


@pytest.mark.parametrize("name", list(SCENARIOS))
async def test_forced_exception_traceback_with_locals_shows_no_secret(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with open_rig(tmp_path, seed=_seed(), auth_token=TOKEN) as rig:
        await rig.mws.reports.report_request_count()  # something signed and sent first
        await rig.sc.failure_reasons()
        exc = await SCENARIOS[name](rig, monkeypatch)
        text = with_locals(exc)
        assert "Traceback" in text and len(text.splitlines()) > 20  # the locals are there
        assert_clean(text, rig)


async def test_wrong_keys_fail_without_showing_any_key(tmp_path: Path) -> None:
    async with open_rig(tmp_path, seed=_seed(), auth_token=TOKEN, bad_key=True) as rig:
        for exc in (
            await caught(rig.mws.reports.report_request_count()),
            await caught(rig.sc.failure_reasons()),
        ):
            assert isinstance(exc, SignatureMismatchError)
            assert_clean(with_locals(exc) + str(exc) + repr(exc) + (exc.hint or ""), rig)


async def test_a_real_socket_failure_shows_no_secret(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # httpcore traces every step of a real connection
    async with open_rig(tmp_path, mode="loopback", seed=_seed(), auth_token=TOKEN) as rig:
        rig.inject("CancelReportRequests:truncate,SetStatusToCanceled:truncate")
        for exc in (
            await caught(rig.mws.reports.cancel_report_requests([CANCEL_REQUEST])),
            await caught(rig.sc.cancel_item(SC_ITEM_BASE, "Out of stock")),
        ):
            assert isinstance(exc, OutcomeUnknownError)
            assert_clean(with_locals(exc), rig)
        assert any(r.name.startswith("httpcore") for r in caplog.records)
        assert_clean("\n".join(r.getMessage() for r in caplog.records), rig)
