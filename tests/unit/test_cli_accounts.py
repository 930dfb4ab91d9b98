"""The dashboard opened on one profile names the other service by its own profile."""

from __future__ import annotations

import argparse
from pathlib import Path

from mwstui.clock import FakeClock
from mwstui.dashboard import ProfileLauncher
from mwstui.journal.store import Journal
from tests.unit.test_profile_cmd import MWS_ADD, SECRET, isolated, mwstui

__all__ = ["isolated"]  # the fixture: private config, data and keyring for each test

SC_ADD = ["profile", "add", "ng", "--service", "sellercenter", "--sc-host"]
SC_ADD += ["sellercenter-api.example.test", "--sc-user", "ops@example.com", "--read-only"]


def test_each_service_is_served_by_its_own_profile(tmp_path: Path) -> None:
    assert mwstui([*MWS_ADD, "--secret-stdin"], stdin=f"{SECRET}\n\n") == 0
    assert mwstui([*SC_ADD, "--secret-stdin"], stdin="sc-api-key\n") == 0
    args = argparse.Namespace(read_only=False, profile=None, sandbox=False)
    launcher = ProfileLauncher(args)
    for opened_on in ("eu", "ng"):
        with Journal(tmp_path / f"{opened_on}.db", FakeClock(0.0)) as journal:
            session = launcher._session(opened_on, FakeClock(0.0), journal)
            assert session.mws_account is not None and session.sellercenter_account is not None
            assert session.mws_account.profile == "eu"
            assert session.sellercenter_account.profile == "ng"
            assert session.mws is not None and session.mws.profile == "eu"
            # The SellerCenter profile is read-only: so is its client, whoever opened it.
            assert session.sellercenter is not None and session.sellercenter.read_only
            # Opened on the read-only profile, the whole dashboard is read-only.
            assert session.mws.read_only is (opened_on == "ng")
