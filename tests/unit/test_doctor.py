"""``mwstui doctor``: offline checks through ``run``, network checks against a mock MWS."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import pytest

from mwstui import locations
from mwstui.clock import FakeClock
from mwstui.commands import doctor
from mwstui.config import Profile, Service, Settings, StoreKind, save_settings
from mwstui.credentials import ResolvedCredentials
from mwstui.journal import Journal
from mwstui.secret import Secret

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mws-recorded"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
PROFILE = Profile(
    name="ca",
    service=Service.MWS,
    endpoint="https://mws.amazonservices.ca",
    marketplace_ids=("A2EUQ1WTGCTBG2",),
    seller_id="A2SELLER",
    access_key_id="AKIAEXAMPLE",
    secret_store=StoreKind.KEYRING,
)
CREDS = ResolvedCredentials(
    profile=PROFILE,
    access_key_id="AKIAEXAMPLE",
    secret_key=Secret(SECRET),
    seller_id="A2SELLER",
    sources={"secret_key": "env MWSTUI_MWS_SECRET_KEY"},
)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(locations.ENV_CONFIG_DIR, str(tmp_path / "config"))
    monkeypatch.setenv(locations.ENV_DATA_DIR, str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    for var in ("MWSTUI_KEYRING_PASSPHRASE", "MWSTUI_MWS_ACCESS_KEY", "MWSTUI_MWS_SELLER_ID"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def recorded(name: str) -> str:
    return str(json.loads((FIXTURES / name).read_text())["response"]["body"])


def mock_mws(clock: FakeClock, *, skew: float = 0.0, deny: bool = False) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        action = dict(parse_qsl(request.content.decode()))["Action"]
        stamp = clock.now().timestamp() - skew
        headers = {
            "content-type": "text/xml",
            "x-mws-request-id": "rid",
            "x-mws-timestamp": FakeClock(stamp).now().strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        }
        if deny:
            body = (
                '<?xml version="1.0"?><ErrorResponse xmlns="http://mws.amazonaws.com/doc/'
                '2009-01-01/"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>'
                "<Message>The signature does not match</Message></Error>"
                "<RequestId>rid-x</RequestId></ErrorResponse>"
            )
            return httpx.Response(403, headers=headers, content=body.encode())
        name = {
            "GetServiceStatus": "fulfillmentoutboundshipment--should-be-able-to-query-"
            "service-status",
            "GetReportRequestCount": "reports--should-be-able-to-query-get-report-request-count",
        }[action]
        return httpx.Response(200, headers=headers, content=recorded(f"{name}.json").encode())

    return httpx.MockTransport(handler)


async def test_probe_reports_reach_auth_and_clock(isolated: Path) -> None:
    clock = FakeClock()
    with Journal(clock=clock) as journal:
        checks = await doctor.probe(
            PROFILE, CREDS, clock, journal=journal, transport=mock_mws(clock)
        )
        saved = journal.load_throttle_state()
    assert [(c.name, c.status) for c in checks] == [
        ("reach", "ok"),
        ("clock", "ok"),
        ("auth", "ok"),
    ]
    assert "GREEN" in checks[0].detail and "5 report request" in checks[2].detail
    assert saved is not None and saved.state["buckets"]  # the budget spent is remembered
    assert all(SECRET not in c.line() for c in checks)


async def test_probe_flags_skew_and_bad_credentials() -> None:
    clock = FakeClock()
    checks = await doctor.probe(PROFILE, CREDS, clock, transport=mock_mws(clock, skew=-3600))
    assert ("clock", "FAIL") in [(c.name, c.status) for c in checks]
    assert "behind the server" in next(c.detail for c in checks if c.name == "clock")
    checks = await doctor.probe(PROFILE, CREDS, clock, transport=mock_mws(clock, deny=True))
    (failure,) = checks
    assert failure.status == "FAIL" and "SignatureDoesNotMatch" in failure.detail
    assert "secret key" in failure.detail  # the hint says what to do
    assert "\n" not in failure.line()


def test_run_offline(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    save_settings(Settings().with_profile(PROFILE))
    monkeypatch.setenv("MWSTUI_MWS_SECRET_KEY", SECRET)
    args = argparse.Namespace(doctor_profile=None, offline=True)
    assert doctor.run(args) == 0
    out = capsys.readouterr().out
    assert "ok    credentials: env MWSTUI_MWS_SECRET_KEY" in out
    assert "keyring: none here" in out
    assert SECRET not in out


def test_run_without_config_fails_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    assert doctor.run(argparse.Namespace(doctor_profile=None, offline=True)) == 1
    out = capsys.readouterr().out
    assert "FAIL  config: no profile configured" in out and "Traceback" not in out


def test_run_without_secrets_fails_but_checks_the_rest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    save_settings(Settings().with_profile(PROFILE))
    assert doctor.run(argparse.Namespace(doctor_profile="ca", offline=False)) == 1
    out = capsys.readouterr().out
    assert "FAIL  credentials:" in out and "ok    journal:" in out
