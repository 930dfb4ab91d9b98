"""First start without a profile: the sandbox demo, adding a profile, or quitting."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static, TabbedContent

from mwstui.clock import FakeClock
from mwstui.session import OpenSandbox, Session
from mwstui.throttle.governor import Governor
from mwstui.ui.app import MwstuiApp
from mwstui.ui.profiles.first_run_screen import FirstRunScreen
from mwstui.ui.profiles.profile_form_modal import ProfileFormModal
from tests.ui.harness import SIZE, START, settle
from tests.unit.test_profiles import keyring_env

__all__ = ["first_run_app", "keyring_env"]


def first_run_app() -> MwstuiApp:
    """The app as the CLI opens it when no profile is configured."""
    clock = FakeClock(START)
    return MwstuiApp(Session(clock=clock, governor=Governor(clock), first_run=True))


async def test_the_first_run_screen_explains_profiles_and_where_secrets_go() -> None:
    app = first_run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        text = str(app.screen.query_one("#first-run-text", Static).render())
        assert "No profile is configured yet" in text
        assert "OS keyring" in text and "encrypted file" in text and "passphrase" in text
        assert "sandbox demo" in text
        # SP-API is offered, with what it needs and where its secrets go.
        assert "Selling Partner API" in text and "LWA client secret and refresh token" in text
        assert "SP-API accounts" in text  # the sandbox has both Amazon demos
        # Every choice is on screen at the minimum size.
        for button in ("#fr-sandbox", "#fr-add", "#fr-quit"):
            region = app.screen.query_one(button).region
            assert region.bottom <= 24 and region.right <= 80, button


async def test_choosing_the_sandbox_demo_returns_open_sandbox() -> None:
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
    assert app.return_value == OpenSandbox()


async def test_the_sandbox_button_returns_open_sandbox() -> None:
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#fr-sandbox")
        await pilot.pause()
    assert app.return_value == OpenSandbox()


async def test_quit_returns_nothing() -> None:
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value is None and not app.is_running
    assert (app.return_code or 0) == 0


async def test_dashboard_keys_are_off_while_it_is_shown() -> None:
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3", "E", "y", "b", "P", "question_mark")
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        assert len(app.screen_stack) == 2  # nothing opened on top
        assert app.query_one(TabbedContent).active == "tab-reports"  # "3" did not switch
        assert app._active is None  # no panel was activated: nothing loads without a profile
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert not any(t.startswith("Go to") for t in titles)


async def test_add_profile_opens_the_form_and_back_returns_here(keyring_env: Path) -> None:
    app = first_run_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ProfileFormModal)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        assert app.is_running
