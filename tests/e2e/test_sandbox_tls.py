"""End to end: ``mwstui sandbox --tls --port 0`` in a real process, spoken to over HTTPS."""

from __future__ import annotations

import json
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mwstui.clock import SystemClock
from mwstui.mws.signing import MWSAuth
from mwstui.secret import Secret

pytestmark = pytest.mark.e2e

READY_KEYS = {
    "mws_endpoint", "sellercenter_endpoint", "access_key", "secret_key", "seller_id",
    "marketplace_id", "sellercenter_user", "sellercenter_api_key", "ca_bundle",
}  # fmt: skip
USER_AGENT = "mwstui-e2e/1.0 (Language=Python)"


class Running:
    def __init__(self, proc: subprocess.Popen[str], ready: dict[str, Any]) -> None:
        self.proc = proc
        self.ready = ready


def start(*args: str) -> Running:
    proc = subprocess.Popen(
        [sys.executable, "-m", "mwstui", "sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent.parent,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # blocks until the ready line (or the process dies)
    if not line:
        proc.kill()
        _, err = proc.communicate(timeout=10)
        raise AssertionError(f"sandbox did not start: {err}")
    return Running(proc, json.loads(line))


def stop(run: Running, sig: int) -> tuple[int, str, str]:
    run.proc.send_signal(sig)
    out, err = run.proc.communicate(timeout=20)
    return run.proc.returncode, out, err


@pytest.fixture
def tls_sandbox() -> Iterator[Running]:
    run = start("--tls", "--port", "0")
    try:
        yield run
    finally:
        if run.proc.poll() is None:
            run.proc.kill()
            run.proc.communicate(timeout=10)


def mws_client(ready: dict[str, Any], verify: ssl.SSLContext) -> httpx.Client:
    auth = MWSAuth(ready["access_key"], Secret(ready["secret_key"]), SystemClock())
    return httpx.Client(
        base_url=ready["mws_endpoint"],
        auth=auth,
        verify=verify,
        headers={"User-Agent": USER_AGENT},
        timeout=15,
    )


def test_ready_line_then_https_with_the_printed_ca(tls_sandbox: Running) -> None:
    ready = tls_sandbox.ready
    assert set(ready) >= READY_KEYS
    assert ready["mws_endpoint"].startswith("https://127.0.0.1:")
    assert ready["sellercenter_endpoint"].startswith("https://127.0.0.1:")
    assert Path(ready["ca_bundle"]).is_file()
    verify = ssl.create_default_context(cafile=ready["ca_bundle"])
    with mws_client(ready, verify) as c:
        r = c.post(
            "/Reports/2009-01-01",
            data={
                "Action": "GetReportRequestCount",
                "Version": "2009-01-01",
                "SellerId": ready["seller_id"],
            },
        )
        assert r.status_code == 200, r.text
        assert int(r.text.split("<Count>")[1].split("<")[0]) > 100
        r = c.post(
            "/FulfillmentOutboundShipment/2010-10-01",
            data={
                "Action": "GetServiceStatus",
                "Version": "2010-10-01",
                "SellerId": ready["seller_id"],
            },
        )
        assert "<Status>GREEN</Status>" in r.text
    sc = httpx.get(
        ready["sellercenter_endpoint"] + "/", params={"Action": "GetOrders"}, verify=verify
    )
    assert "ErrorResponse" in sc.text


def test_the_certificate_is_not_trusted_without_the_ca(tls_sandbox: Running) -> None:
    with pytest.raises(httpx.ConnectError):
        httpx.get(tls_sandbox.ready["mws_endpoint"] + "/", verify=ssl.create_default_context())


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signals_stop_it_cleanly(sig: int) -> None:
    run = start("--tls", "--port", "0")
    ca = Path(run.ready["ca_bundle"])
    code, out, err = stop(run, sig)
    assert code == 0
    assert "Traceback" not in err and out == ""
    deadline = time.monotonic() + 5
    while ca.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not ca.exists()  # the temporary CA directory is removed on exit


def test_faults_and_speed_flags(tmp_path: Path) -> None:
    run = start("--port", "0", "--faults", "GetServiceStatus:503", "--speed", "60")
    try:
        ready = run.ready
        assert ready["ca_bundle"] is None and ready["mws_endpoint"].startswith("http://")
        with httpx.Client(
            base_url=ready["mws_endpoint"],
            auth=MWSAuth(ready["access_key"], Secret(ready["secret_key"]), SystemClock()),
            headers={"User-Agent": USER_AGENT},
        ) as c:
            r = c.post(
                "/FulfillmentOutboundShipment/2010-10-01",
                data={
                    "Action": "GetServiceStatus",
                    "Version": "2010-10-01",
                    "SellerId": ready["seller_id"],
                },
            )
        assert r.status_code == 503
    finally:
        assert stop(run, signal.SIGTERM)[0] == 0


def test_usage_errors_exit_2() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mwstui", "sandbox", "--faults", "Nope:boom"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 2 and "unknown operation" in proc.stderr


def test_bad_seed_exits_1_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "seed.json"
    bad.write_text("{broken")
    proc = subprocess.run(
        [sys.executable, "-m", "mwstui", "sandbox", "--seed", str(bad)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_dump_seed_prints_an_editable_seed() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mwstui", "sandbox", "--dump-seed"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0
    seed = json.loads(proc.stdout)
    seller = seed["mws"]["sellers"][0]
    assert "generate" not in seller and len(seller["report_requests"]) > 300
