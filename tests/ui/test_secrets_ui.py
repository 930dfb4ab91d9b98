"""Secrets never reach the screen, the inspector, the logs or the traceback Textual prints.

The session holds distinctive secrets (MWS secret key, MWS auth token, SellerCenter API
key) that the sandbox really checks, so the calls that succeed prove they were used. A
panel's worker is then made to fail with an unexpected ``RuntimeError`` deep in the send
path (in the transport, after signing; in the clock, while signing): Textual ends the
app and prints the worker's traceback **with locals** (``App._fatal_error`` renders
``rich.traceback.Traceback(show_locals=True)``). That output, the same exception
formatted again with locals, the Python log records, SVG screenshots and the Activity
inspector are searched for every secret and every Signature sent, raw and URL-encoded.
"""

from __future__ import annotations

import io
import logging
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import httpx
import pytest
from rich.console import Console
from rich.traceback import Traceback
from textual.pilot import Pilot
from textual.widgets import TextArea
from textual.worker import WorkerFailed

from mwstui.clock import FakeClock
from mwstui.journal.store import Journal
from mwstui.sandbox.sandbox import Sandbox
from mwstui.secret import MASK, Secret
from mwstui.targets import MWSTarget, SellerCenterTarget
from mwstui.throttle.governor import Governor
from mwstui.ui.activity.inspector_modal import InspectorModal
from mwstui.ui.app import MwstuiApp
from mwstui.wiring import build_session
from tests.ui.harness import SIZE, START, screen_text, settle

SECRET_KEY = "uiHunt/SecretKey+Q7w9E4r6T8y0U1i3O5p=="
AUTH_TOKEN = "amzn.mws.5e0c2a91-ui00-hunt-auth-0000c0ffee42"
API_KEY = "ui-hunt-sellercenter-api-key-5e4d3c2b1a0f9e8d7c6b"
ACCESS_KEY = "AKIAUIHUNT0000000001"
SELLER = "A1UIHUNTSELLER"
SC_USER = "hunt@sandbox.test"
SECRETS = (SECRET_KEY, AUTH_TOKEN, API_KEY)


def hunt_seed() -> dict[str, Any]:
    """One MWS seller that requires the auth token, one SellerCenter account: our secrets."""
    return {
        "version": 1,
        "rng_seed": 5,
        "mws": {
            "developers": [
                {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "sellers": [SELLER]}
            ],
            "sellers": [
                {
                    "seller_id": SELLER,
                    "marketplaces": ["ATVPDKIKX0DER"],
                    "auth_token": AUTH_TOKEN,
                    "inventory": [{"sku": "SKU-A", "quantity": 10}],
                    "report_requests": [
                        {
                            "report_type": "_GET_MERCHANT_LISTINGS_DATA_",
                            "status": "_DONE_",
                            "submitted": -7200,
                        },
                        {
                            "report_type": "_GET_AFN_INVENTORY_DATA_",
                            "status": "_SUBMITTED_",
                            "submitted": -5,
                        },
                    ],
                    "fulfillment_orders": [
                        {
                            "order_id": "HUNT-1",
                            "status": "RECEIVED",
                            "received": -600,
                            "items": [{"sku": "SKU-A", "quantity": 1}],
                        },
                    ],
                }
            ],
        },
        "sellercenter": {
            "accounts": {SC_USER: API_KEY},
            "orders": [
                {
                    "order_id": 4001,
                    "order_number": "HUNT4001",
                    "age_seconds": 3600,
                    "items": [{"order_item_id": 5001, "name": "Lamp", "status": "pending"}],
                },
            ],
        },
    }


class Wire(httpx.AsyncBaseTransport):
    """The real (ASGI) transport, noting every Signature sent; it raises an unexpected
    ``RuntimeError`` for the actions in ``explode``, after the request was signed."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.signatures: list[str] = []
        self.explode: set[str] = set()

    def _note(self, request: httpx.Request) -> str:
        # In its own frame: the parameters (token and signature) are gone before anything
        # raises, so this test transport adds nothing to the tracebacks it provokes.
        params = dict(request.url.params)
        params |= dict(parse_qsl(request.content.decode("utf-8", "replace")))
        self.signatures.append(params.get("Signature", ""))
        return params.get("Action", "")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        action = self._note(request)
        if action in self.explode:
            raise RuntimeError(f"the link exploded during {action}")
        return await self.inner.handle_async_request(request)


class Hunt:
    """The session under test and what to look for."""

    def __init__(self, workdir: Path) -> None:
        self.clock = FakeClock(START)
        self.sandbox = Sandbox.create(seed=hunt_seed(), clock=self.clock)
        self.mws_wire = Wire(httpx.ASGITransport(app=self.sandbox.mws_app))
        self.sc_wire = Wire(httpx.ASGITransport(app=self.sandbox.sellercenter_app))
        self.session = build_session(
            clock=self.clock,
            profile="hunt",
            mws=MWSTarget(
                endpoint="http://mws.sandbox.test",
                access_key=ACCESS_KEY,
                secret_key=Secret(SECRET_KEY),
                seller_id=SELLER,
                marketplace_id="ATVPDKIKX0DER",
                auth_token=Secret(AUTH_TOKEN),
                transport=self.mws_wire,
            ),
            sellercenter=SellerCenterTarget(
                endpoint="http://sc.sandbox.test",
                user_id=SC_USER,
                api_key=Secret(API_KEY),
                marketplace="Hunt market",
                transport=self.sc_wire,
            ),
            governor=Governor(self.clock),
            journal=Journal(workdir / "journal.db", self.clock),
            download_dir=str(workdir),
        )

    def hunted(self) -> list[str]:
        """Every secret and every Signature sent so far, raw and percent-encoded."""
        values = [*SECRETS, *(s for s in self.mws_wire.signatures + self.sc_wire.signatures if s)]
        return values + [quote(v, safe="") for v in values]

    def assert_clean(self, text: str, where: str) -> None:
        found = [v for v in self.hunted() if v in text]
        assert not found, f"{len(found)} secret value(s) in {where}"


def rendered(renderable: Any, width: int = 160) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


async def until(pilot: Pilot[None], cond: Callable[[], object], rounds: int = 400) -> None:
    for _ in range(rounds):
        if cond():
            return
        await pilot.pause()
    raise AssertionError("condition not reached")


async def inspect_first(pilot: Pilot[None], hunt: Hunt, operation: str) -> str:
    """Open the Activity inspector on the first ``operation`` call; its text on screen."""
    app = pilot.app
    assert isinstance(app, MwstuiApp)
    app.action_show_tab(4)
    await settle(pilot)
    seq = next(s for s, r in app.activity.records() if r.operation == operation)
    panel = app.active_panel
    assert panel.main_table() is not None
    panel.main_table().move_to_key(str(seq))  # type: ignore[union-attr]
    await pilot.press("enter")
    inspector = app.screen
    assert isinstance(inspector, InspectorModal)
    await settle(pilot)
    assert inspector.params["Signature"] == MASK
    if operation != "GetOrders":
        assert inspector.params["MWSAuthToken"] == MASK
    params = str(inspector.query_one("#inspector-params").render())
    assert re.search(rf"^Signature +=  ?{MASK}$", params, re.MULTILINE), params
    text = "\n".join(
        [screen_text(app), params, inspector.query_one(TextArea).text, app.export_screenshot()]
    )
    await pilot.press("escape")
    await settle(pilot)
    return text


def _explode_while_signing(clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock fails when the signer asks it the time: the signer holds the secret then."""
    real = clock.now

    def now() -> Any:
        if sys._getframe(1).f_code.co_name == "sign_params":
            raise RuntimeError("the clock broke while signing")
        return real()

    monkeypatch.setattr(clock, "now", now)


CRASHES = {
    "fulfillment-transport": (2, "ListAllFulfillmentOrders", "handle_async_request"),
    "sellercenter-transport": (3, "GetOrders", "handle_async_request"),
    "fulfillment-signing": (2, None, "sign_params"),
}


@pytest.mark.parametrize("crash", sorted(CRASHES))
async def test_a_crash_in_a_worker_shows_and_prints_no_secret(
    crash: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    tab, action, deepest = CRASHES[crash]
    hunt = Hunt(tmp_path)
    app = MwstuiApp(hunt.session)
    seen: list[str] = []
    exit_renderables: list[Any] = []
    with pytest.raises(WorkerFailed) as failed:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            # The secrets work: the sandbox accepted the signed, token-bearing calls.
            reports = app.panels[0]
            assert reports.loaded_at is not None and getattr(reports, "jobs", None)
            seen.append(app.export_screenshot())
            seen.append(await inspect_first(pilot, hunt, "GetReportRequestList"))
            if action is None:
                _explode_while_signing(hunt.clock, monkeypatch)
            elif action == "GetOrders":
                hunt.sc_wire.explode.add(action)
            else:
                hunt.mws_wire.explode.add(action)
            app.action_show_tab(tab)
            await until(pilot, lambda: app._exception is not None)
            seen.append(app.export_screenshot())
            # Textual's rendering of the traceback, kept to print when the app ends.
            exit_renderables = list(app._exit_renderables)
    error = failed.value.error
    assert type(error) is RuntimeError and str(error).startswith("the "), repr(error)
    # What Textual prints when the app ends: the worker's traceback, with locals.
    printed = "\n".join(rendered(r) for r in exit_renderables)
    assert "RuntimeError" in printed and deepest in printed
    out, err = capfd.readouterr()
    assert deepest in out + err  # and it was printed
    hunt.assert_clean(out + err, "the app's output")
    assert "locals" in printed.lower() or "│" in printed  # the locals panels were drawn
    hunt.assert_clean(printed, "the traceback Textual prints")
    again = rendered(
        Traceback.from_exception(type(error), error, error.__traceback__, show_locals=True)
    )
    assert deepest in again
    hunt.assert_clean(again, "a rich traceback with locals")
    plain = "".join(
        traceback.TracebackException.from_exception(error, capture_locals=True).format()
    )
    assert deepest in plain
    hunt.assert_clean(plain, "a Python traceback with locals")
    logged = "\n".join(
        [r.getMessage() for r in caplog.records]
        + ["".join(traceback.format_exception(*r.exc_info)) for r in caplog.records if r.exc_info]
    )
    assert "HTTP Request" in logged  # the client's requests were logged (and looked at)
    hunt.assert_clean(logged, "the log")
    for n, text in enumerate(seen):
        hunt.assert_clean(text, f"screen {n}")
    if action == "GetOrders":
        assert hunt.sc_wire.signatures[-1]  # signed before it exploded: hunted too


async def test_inspector_and_screens_of_both_services_hold_no_secret(tmp_path: Path) -> None:
    hunt = Hunt(tmp_path)
    app = MwstuiApp(hunt.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        texts = [app.export_screenshot()]
        for tab in (2, 3):
            app.action_show_tab(tab)
            await settle(pilot)
            texts.append(app.export_screenshot())
        for operation in ("GetReportRequestList", "ListAllFulfillmentOrders", "GetOrders"):
            texts.append(await inspect_first(pilot, hunt, operation))
        app.action_show_tab(4)
        await settle(pilot)
        await pilot.press("j")  # the journal view too (empty: nothing was changed)
        texts.append(app.export_screenshot())
    assert len(hunt.mws_wire.signatures) >= 2 and len(hunt.sc_wire.signatures) >= 1
    for n, text in enumerate(texts):
        hunt.assert_clean(text, f"screen {n}")
