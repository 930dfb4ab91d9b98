"""A skewed clock: the sandbox refuses like the real services, and the client measures by how much.

The clients' FakeClock is set apart from the sandbox's; past the 15-minute window MWS
answers ``RequestExpired`` and SellerCenter ``E003``, and ``RequestExpiredError``
carries the measured skew so the hint can say "N s ahead of / behind the server".
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import pytest

from mwstui.errors import RequestExpiredError
from tests.hardening.rig import START, open_rig

MINUTE = 60.0


@pytest.mark.parametrize(("skew", "word"), [(20 * MINUTE, "ahead of"), (-20 * MINUTE, "behind")])
async def test_mws_request_expired_carries_the_measured_skew(
    tmp_path: Path, skew: float, word: str
) -> None:
    async with open_rig(tmp_path, skew=skew) as rig:
        with pytest.raises(RequestExpiredError) as info:
            await rig.mws.reports.report_count()
        err = info.value
        assert err.code == "RequestExpired" and err.http_status == 400
        assert err.request_id == rig.wire.last_request_id is not None
        assert err.clock_skew == pytest.approx(skew, abs=1)
        assert word in err.hint and f"{abs(skew):.0f} s" in err.hint
        assert rig.mws.clock_skew == pytest.approx(skew, abs=1)
        assert len(rig.calls()) == 1  # a clock problem is not retried


@pytest.mark.parametrize("skew", [14 * MINUTE, -14 * MINUTE])
async def test_mws_within_the_window_works_and_the_skew_is_still_measured(
    tmp_path: Path, skew: float
) -> None:
    async with open_rig(tmp_path, skew=skew) as rig:
        assert (await rig.mws.reports.report_request_count()).data == 3
        assert rig.mws.clock_skew == pytest.approx(skew, abs=1)


@pytest.mark.parametrize("skew", [20 * MINUTE, -20 * MINUTE])
async def test_sellercenter_e003_is_request_expired(tmp_path: Path, skew: float) -> None:
    async with open_rig(tmp_path, skew=skew) as rig:
        with pytest.raises(RequestExpiredError) as info:
            await rig.sc.failure_reasons()
        assert info.value.code == "E003"
        assert len(rig.calls()) == 1  # E003 is never retried


async def test_sellercenter_e003_carries_the_measured_skew(tmp_path: Path) -> None:
    async with open_rig(tmp_path, skew=20 * MINUTE) as rig:
        with pytest.raises(RequestExpiredError) as info:
            await rig.sc.failure_reasons()
        assert info.value.clock_skew == pytest.approx(20 * MINUTE, abs=1)


async def test_sellercenter_within_the_window_works(tmp_path: Path) -> None:
    async with open_rig(tmp_path, skew=14 * MINUTE) as rig:
        assert (await rig.sc.failure_reasons()).data


async def test_injected_sellercenter_errors_are_dated_by_the_sandbox_clock(
    tmp_path: Path,
) -> None:
    async with open_rig(tmp_path) as rig:
        rig.inject("GetFailureReasons:internal:next=1")
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=rig.sandbox.sellercenter_app),
            base_url="http://sc.sandbox.test",
        ) as raw:
            answer = await raw.get("/", params={"Action": "GetFailureReasons"})
        assert answer.status_code == 500
        assert parsedate_to_datetime(answer.headers["date"]).timestamp() == START
