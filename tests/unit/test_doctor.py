"""``mwstui doctor``: offline checks through ``run``, network checks against a mock MWS."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import pytest

from mwstui.clock import FakeClock
from mwstui.commands import doctor
from mwstui.journal.store import Journal
from mwstui.secret import Secret
from mwstui.settings import locations
from mwstui.settings.config import Settings
from mwstui.settings.config_file import save_settings
from mwstui.settings.credentials import ResolvedCredentials
from mwstui.settings.profile import Profile, Service, StoreKind

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
    assert "ok    ca credentials: env MWSTUI_MWS_SECRET_KEY" in out
    assert "keyring: no OS keyring found; secrets go to the encrypted file" in out
    assert "(fail)" not in out and SECRET not in out


def test_without_a_config_file_the_keyring_is_still_checked_and_nothing_is_ok(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert doctor.run(argparse.Namespace(doctor_profile=None, offline=True)) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("ok    keyring: no OS keyring found")
    assert lines[1].startswith("FAIL  config: ") and "does not exist yet" in lines[1]
    assert "ok    config" not in out and "Traceback" not in out


def test_every_profile_is_checked_or_only_the_one_asked_for(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dataclasses import replace

    other = replace(PROFILE, name="uk", endpoint="https://mws-eu.amazonservices.com")
    save_settings(Settings().with_profile(PROFILE).with_profile(other))
    monkeypatch.setenv("MWSTUI_MWS_SECRET_KEY", SECRET)
    assert doctor.run(argparse.Namespace(doctor_profile=None, offline=True)) == 0
    out = capsys.readouterr().out
    assert "ok    ca profile:" in out and "ok    uk profile:" in out
    assert doctor.run(argparse.Namespace(doctor_profile="uk", offline=True)) == 0
    out = capsys.readouterr().out
    assert "ca profile" not in out and "ok    uk credentials" in out


def test_run_without_secrets_fails_but_checks_the_rest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    save_settings(Settings().with_profile(PROFILE))
    assert doctor.run(argparse.Namespace(doctor_profile="ca", offline=False)) == 1
    out = capsys.readouterr().out
    assert "FAIL  ca credentials:" in out and "ok    journal:" in out


async def test_an_unreachable_endpoint_is_named_and_spends_no_quota(isolated: Path) -> None:
    from tests.hardening.wire_servers import closed_port

    clock = FakeClock()
    port = closed_port()
    unreachable = replace_endpoint(PROFILE, f"http://127.0.0.1:{port}")
    with Journal(clock=clock) as journal:
        for _ in range(3):  # the report's "no request quota for 298 s" came on the 2nd run
            checks = await doctor.probe(unreachable, CREDS, clock, journal=journal)
            (failure,) = checks
            assert failure.status == "FAIL"
            assert f"cannot reach 127.0.0.1:{port}: connection refused" in failure.detail
            assert "LocalThrottle" not in failure.detail
            assert "mwstui doctor" not in failure.line()  # no hint pointing at itself
        saved = journal.load_throttle_state()
    assert saved is not None
    for bucket in saved.state["buckets"]:
        assert bucket["tokens"] == bucket["capacity"]


def replace_endpoint(profile: Profile, endpoint: str) -> Profile:
    from dataclasses import replace

    return replace(profile, endpoint=endpoint)


async def test_a_deeply_nested_answer_is_a_malformed_response_line_not_a_traceback() -> None:
    clock = FakeClock()
    deep = b"<a>" * 100_000 + b"</a>" * 100_000
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=deep))
    (failure,) = await doctor.probe(PROFILE, CREDS, clock, transport=transport)
    assert failure.status == "FAIL" and "malformed response" in failure.detail
    assert "\n" not in failure.line() and "RecursionError" not in failure.line()
