"""Switching profile: P lists the profiles, choosing one ends the app and the CLI reopens on it."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import pytest
from textual.widgets import OptionList

from mwstui import cli, dashboard
from mwstui.secret import Secret
from mwstui.session import OpenSandbox, Session, SessionExit, SwitchProfile
from mwstui.settings.credential_store import CredentialStore
from mwstui.settings.new_profile import add_profile, draft_to_profile
from mwstui.ui.profiles.profile_form_modal import ProfileFormModal
from mwstui.ui.profiles.profile_switcher import ADD_PROFILE, ProfileSwitcherModal
from mwstui.ui.widgets.header import AccountHeader
from tests.ui.harness import SIZE, Harness, make_app, settle
from tests.unit.test_credentials import MemoryKeyring
from tests.unit.test_profiles import SECRET, keyring_env, mws_draft, sc_draft

__all__ = ["keyring_env"]


def with_profiles(harness: Harness, *names: str) -> Harness:
    harness.session.profiles = list(names)
    return harness


async def test_p_lists_the_profiles_with_the_current_one_marked(harness: Harness) -> None:
    harness.session.sandbox = False  # a session on a configured profile: no demo offered
    app = make_app(with_profiles(harness, "eu", "sandbox", "us").session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, ProfileSwitcherModal)
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels == ["  eu", "● sandbox  (current)", "  us", "+ Add profile…"]
        assert options.highlighted == 1  # starts on the current profile
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.return_value == SwitchProfile("us")


async def test_choosing_the_current_profile_or_escape_changes_nothing(harness: Harness) -> None:
    harness.session.sandbox = False
    app = make_app(with_profiles(harness, "eu", "sandbox").session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("enter")  # the current one
        await settle(pilot)
        assert app.is_running and not isinstance(app.screen, ProfileSwitcherModal)
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running and app.screen is app.screen_stack[0]


async def test_add_profile_from_the_switcher_opens_the_form(
    harness: Harness, keyring_env: Path
) -> None:
    app = make_app(with_profiles(harness, "eu", "sandbox").session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("end", "enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProfileFormModal)
        assert form.taken == {"eu", "sandbox"}
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running and app.screen is app.screen_stack[0]


async def test_p_is_in_the_palette_and_the_header_only_with_profiles(harness: Harness) -> None:
    harness.session.sandbox = False  # the sandbox always offers its demo accounts
    app = make_app(with_profiles(harness, "sandbox").session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Switch profile (P)" in titles
        assert "P profiles" in str(app.query_one(AccountHeader).render())
        harness.session.profiles = []
        app.query_one(AccountHeader).refresh(layout=True)
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Switch profile (P)" not in titles
        assert "P profiles" not in str(app.query_one(AccountHeader).render())
        await pilot.press("P")  # not silent: the switcher offers adding the first one
        await settle(pilot)
        switcher = app.screen
        assert isinstance(switcher, ProfileSwitcherModal)
        note = str(switcher.query_one("#switcher-note").render())
        assert "No profile yet" in note and "mwstui profile add" in note
        assert [o.id for o in switcher.query_one(OptionList).options] == [ADD_PROFILE]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]


def option_labels(switcher: ProfileSwitcherModal) -> list[str]:
    options = switcher.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_on_the_sandbox_p_offers_the_mws_and_the_spapi_demo(harness: Harness) -> None:
    app = make_app(with_profiles(harness, "eu").session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        switcher = app.screen
        assert isinstance(switcher, ProfileSwitcherModal)
        assert option_labels(switcher) == [
            "● sandbox  Amazon MWS demo  (current)",
            "  sandbox-spapi  Amazon SP-API demo",
            "  eu",
            "+ Add profile…",
        ]
        assert switcher.query_one(OptionList).highlighted == 0
        await pilot.press("enter")  # the demo shown now: nothing changes
        await settle(pilot)
        assert app.is_running and app.screen is app.screen_stack[0]
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.return_value == OpenSandbox("spapi")


async def test_on_the_spapi_sandbox_p_goes_back_to_the_mws_demo(spapi_harness: Harness) -> None:
    spapi_harness.session.profiles = []  # no configured profile: the demos are still offered
    app = make_app(spapi_harness.session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "P profiles" in str(app.query_one(AccountHeader).render())
        await pilot.press("P")
        await settle(pilot)
        switcher = app.screen
        assert isinstance(switcher, ProfileSwitcherModal)
        labels = option_labels(switcher)
        assert labels[1] == "● sandbox-spapi  Amazon SP-API demo  (current)"
        assert switcher.query_one(OptionList).highlighted == 1
        await pilot.press("up", "enter")
        await pilot.pause()
    assert app.return_value == OpenSandbox("mws")


async def test_the_header_says_where_the_credentials_came_from(harness: Harness) -> None:
    assert harness.session.mws_account is not None
    harness.session.mws_account.credential_source = (
        "encrypted file ~/.local/share/mwstui/secrets.cryptfile.cfg"
    )
    app = make_app(harness.session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header = app.query_one(AccountHeader)
        text = str(header.render())
        assert "secrets encrypted file" in text and ".cfg" not in text
        assert all(len(line) <= 78 for line in text.splitlines())  # wraps inside 80 columns
        # The switcher hint would take a third line here: left out (P works all the same).
        assert header.size.height == 2 and "P profiles" not in text
        await pilot.press("4")
        await settle(pilot)
        assert "secrets sandbox demo" in str(header.render())


async def test_leaving_the_app_closes_the_clients(harness: Harness) -> None:
    session = harness.session
    assert session.mws is not None and session.sellercenter is not None
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not session.mws._http.is_closed
        await pilot.press("q")
        await pilot.pause()
    assert session.mws._http.is_closed and session.sellercenter._http.is_closed


# -- the CLI loop ------------------------------------------------------------------------


def test_the_cli_reopens_on_the_profile_the_app_switched_to(
    keyring_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = CredentialStore(backend=MemoryKeyring())
    add_profile(draft_to_profile(mws_draft(name="a")), {"secret_key": Secret(SECRET)}, store=store)
    add_profile(
        draft_to_profile(mws_draft(name="b", seller_id="B2SELLER")),
        {"secret_key": Secret("b-secret")},
        store=store,
    )
    add_profile(draft_to_profile(sc_draft()), {"api_key": Secret("k")}, store=store)
    seen: list[Session] = []
    answers: list[SessionExit] = [SwitchProfile("b"), None]

    def fake_run_app(session: Session) -> tuple[int, SessionExit]:
        seen.append(session)
        asyncio.run(session.aclose())
        return 0, answers.pop(0)

    monkeypatch.setattr(dashboard, "run_app", fake_run_app)
    args = argparse.Namespace(sandbox=False, profile=None, read_only=False)
    assert dashboard.run_dashboard(args) == 0
    assert [s.profile for s in seen] == ["a", "b"]  # the default first, then the switch
    first, second = seen
    assert first.mws is not None and first.mws.seller_id == "A2SELLER"
    assert second.mws is not None and second.mws.seller_id == "B2SELLER"
    assert second.mws_account is not None and second.mws_account.profile == "b"
    assert second.sellercenter is not None  # the SellerCenter profile joins every session
    assert second.profiles == ["a", "b", "linio"]
    assert second.mws_account.credential_source.startswith("keyring")


def sandbox_loop(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], answers: list[SessionExit]
) -> list[Session]:
    """Run the CLI's dashboard loop with ``answers`` as what each app exits with."""
    seen: list[Session] = []

    def fake_run_app(session: Session) -> tuple[int, SessionExit]:
        seen.append(session)
        asyncio.run(session.aclose())
        return 0, answers.pop(0)

    monkeypatch.setattr(dashboard, "run_app", fake_run_app)
    args = cli._parser().parse_args(argv)
    assert cli.flag_conflict(args) is None
    assert dashboard.run_dashboard(args) == 0
    return seen


def test_the_sandbox_reopens_on_its_spapi_demo_and_back_on_one_sandbox(
    keyring_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers: list[SessionExit] = [OpenSandbox("spapi"), OpenSandbox("mws"), None]
    mws, spapi, back = sandbox_loop(monkeypatch, ["--sandbox"], answers)
    assert mws.mws is not None and mws.spapi is None and mws.profile == "sandbox"
    assert spapi.spapi is not None and spapi.mws is None and spapi.profile == "sandbox-spapi"
    assert spapi.sandbox and spapi.sellercenter is not None  # SellerCenter stays beside it
    assert spapi.spapi_account is not None and spapi.spapi_account.profile == "sandbox-spapi"
    assert spapi.spapi_account.credential_source == "sandbox demo"
    assert spapi.backends.fulfillment is not None and spapi.backends.reports is not None
    # One sandbox for the whole run: the same listeners, so what was done on one demo
    # is still there when the user comes back to it.
    assert back.mws is not None and back.mws.host == mws.mws.host
    assert spapi.sellercenter is not None and mws.sellercenter is not None
    assert spapi.sellercenter.host == mws.sellercenter.host


def test_sandbox_spapi_opens_the_spapi_demo_directly(
    keyring_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (session,) = sandbox_loop(monkeypatch, ["--sandbox", "--spapi"], [None])
    assert session.spapi is not None and session.mws is None
    assert session.profile == "sandbox-spapi" and session.sandbox_service == "spapi"


def test_spapi_needs_the_sandbox_and_is_in_the_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["--spapi"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mwstui: error: ") and "--spapi only works with --sandbox" in err
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--spapi with --sandbox: open on the SP-API demo account" in out
