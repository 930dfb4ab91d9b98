"""Switching profile from the dashboard: the switcher, then what the choice reopens.

Imported when ``P`` is pressed: the switcher and the add-profile form (which brings the
keyring) are never needed to open the dashboard.
"""

from __future__ import annotations

from textual.app import App

from mwstui.session import OpenSandbox, Session, SessionExit, SwitchProfile
from mwstui.ui.profiles.profile_switcher import ADD_PROFILE, ProfileSwitcherModal, chosen_sandbox


def open_switcher(app: App[SessionExit], session: Session, *, listed: bool = True) -> None:
    """Push the profile switcher; a choice ends the app with what the CLI reopens.

    Args:
        app: the dashboard.
        session: the session shown (its profiles, sandbox accounts, current profile).
        listed: list the profiles (False: no profile yet, only "add one" is offered).
    """

    def chosen(choice: str | None) -> None:
        sandbox = chosen_sandbox(choice)
        if sandbox is not None:
            app.exit(OpenSandbox(sandbox))
        elif choice == ADD_PROFILE:
            from mwstui.ui.profiles.profile_form_modal import ProfileFormModal

            app.push_screen(ProfileFormModal(session.profiles), chosen)
        elif choice:
            app.exit(SwitchProfile(choice))

    switcher = (
        ProfileSwitcherModal.for_session(session)
        if listed
        else ProfileSwitcherModal([], session.profile)
    )
    app.push_screen(switcher, chosen)
