"""``mwstui doctor`` on an SP-API profile, against the in-process SP-API sandbox."""

from __future__ import annotations

import argparse
import dataclasses

import httpx
import pytest

from mwstui.clock import FakeClock
from mwstui.commands import doctor
from mwstui.journal.store import Journal
from mwstui.sandbox.sandbox import Sandbox
from mwstui.secret import Secret
from mwstui.settings.config import Settings
from mwstui.settings.config_file import save_settings
from mwstui.settings.credentials import ResolvedCredentials
from mwstui.settings.profile import Profile, Service, StoreKind
from tests.unit.test_doctor import isolated

__all__ = ["isolated"]  # the autouse fixture: tmp dirs, no OS keyring

HOST = "https://sellingpartnerapi-na.sandbox.test"


def sandbox_creds(sandbox: Sandbox, **kw: object) -> ResolvedCredentials:
    demo = sandbox.credentials
    profile = Profile(
        name="us",
        service=Service.SPAPI,
        endpoint=HOST,
        region=demo.spapi_region,
        marketplace_ids=(demo.spapi_marketplace_id,),
        seller_id=demo.spapi_seller_id,
        lwa_client_id=demo.spapi_client_id,
        lwa_endpoint=HOST,
        secret_store=StoreKind.KEYRING,
    )
    fields: dict[str, object] = {
        "profile": profile,
        "lwa_client_id": demo.spapi_client_id,
        "lwa_client_secret": demo.spapi_client_secret,
        "refresh_token": demo.spapi_refresh_token,
        "sources": {"refresh_token": "env MWSTUI_SPAPI_REFRESH_TOKEN"},
    }
    fields.update(kw)
    return ResolvedCredentials(**fields)  # type: ignore[arg-type]


async def test_doctor_checks_token_call_and_clock_of_an_spapi_profile() -> None:
    clock = FakeClock()
    sandbox = Sandbox.create(clock=clock)
    creds = sandbox_creds(sandbox)
    transport = httpx.ASGITransport(app=sandbox.spapi_app)
    with Journal(clock=clock) as journal:
        checks = await doctor.probe(
            creds.profile, creds, clock, journal=journal, transport=transport
        )
        saved = journal.load_throttle_state()
    assert [(c.name, c.status) for c in checks] == [
        ("LWA token", "ok"),
        ("SP-API call", "ok"),
        ("clock", "ok"),
    ]
    assert "listAllFulfillmentOrders answered" in checks[1].detail
    assert saved is not None and saved.state["buckets"]  # the budget spent is remembered
    secret = sandbox.credentials.spapi_refresh_token.reveal()
    assert all(secret not in c.line() and "\n" not in c.line() for c in checks)


async def test_a_revoked_refresh_token_is_one_failing_line() -> None:
    clock = FakeClock()
    sandbox = Sandbox.create(clock=clock)
    creds = sandbox_creds(sandbox, refresh_token=Secret("Atzr|wrong-token"))
    transport = httpx.ASGITransport(app=sandbox.spapi_app)
    (check,) = await doctor.probe(creds.profile, creds, clock, transport=transport)
    assert (check.name, check.status) == ("LWA token", "FAIL")
    assert "revoked the app" in check.detail and "Atzr|wrong-token" not in check.line()


async def test_a_clock_far_off_fails_like_for_the_other_services() -> None:
    sandbox = Sandbox.create(clock=FakeClock())
    clock = FakeClock(sandbox.clock.time() + 3600)
    creds = sandbox_creds(sandbox)
    transport = httpx.ASGITransport(app=sandbox.spapi_app)
    checks = await doctor.probe(creds.profile, creds, clock, transport=transport)
    assert checks[-1].name == "clock" and checks[-1].status == "FAIL"
    assert "3600 s ahead of the server" in checks[-1].detail


def test_run_offline_resolves_spapi_secrets_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = Sandbox.create(clock=FakeClock())
    profile = dataclasses.replace(sandbox_creds(sandbox).profile, secret_store=StoreKind.KEYRING)
    save_settings(Settings().with_profile(profile))
    monkeypatch.setenv("MWSTUI_SPAPI_CLIENT_SECRET", "amzn1.oa2-cs.v1.secret")
    monkeypatch.setenv("MWSTUI_SPAPI_REFRESH_TOKEN", "Atzr|from-env")
    assert doctor.run(argparse.Namespace(doctor_profile=None, offline=True)) == 0
    out = capsys.readouterr().out
    assert "ok    us profile: spapi, sellingpartnerapi-na.sandbox.test" in out
    assert (
        "ok    us credentials: env MWSTUI_SPAPI_CLIENT_SECRET + env MWSTUI_SPAPI_REFRESH_TOKEN"
        in out
    )
    assert "Atzr|from-env" not in out and "amzn1.oa2-cs.v1.secret" not in out
