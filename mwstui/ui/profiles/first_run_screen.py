"""The first start, before any profile exists: the sandbox demo, adding a profile, or quitting."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from mwstui.session import OpenSandbox, SwitchProfile
from mwstui.ui.profiles.profile_form_modal import ProfileFormModal

WELCOME = (
    "No profile is configured yet.\n\n"
    "A profile is one seller account on one service: an Amazon Selling Partner API "
    "(SP-API) seller (region, marketplaces and the LWA client id of your app), an Amazon "
    "MWS seller (seller id, access key id and marketplace), or a SellerCenter marketplace "
    "account (API host and user id). Its name, ids and endpoint are saved in mwstui's "
    "config.toml. Its secrets (LWA client secret and refresh token, MWS secret key and "
    "auth token, SellerCenter API key) go to the OS keyring, or, where there is none (the "
    "usual case over SSH), to an encrypted file protected by a passphrase; never to the "
    "config file.\n\n"
    "Not ready yet? The sandbox demo runs every service locally with made-up data "
    "(P there switches between its MWS and SP-API accounts): nothing leaves this machine "
    "and no credentials are needed."
)


class FirstRunScreen(ModalScreen[None]):
    """Shown instead of the dashboard when no profile is configured.

    Its choices end the app with what the CLI reopens: ``OpenSandbox()``, or
    ``SwitchProfile(name)`` once the add-profile form has saved one; ``None`` quits.
    Modal, so the dashboard's keys (tabs, export, copy id) are off while it is shown.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sandbox", "Sandbox demo"),
        Binding("a", "add_profile", "Add profile"),
        Binding("q", "quit_app", "Quit"),
        # A modal screen hides the app's own ctrl+c: pass it on (it exits with status 130).
        Binding("ctrl+c", "app.interrupt", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="first-run")

    def compose(self) -> ComposeResult:
        with Vertical(id="first-run-dialog"):
            yield Static(Text("Welcome to mwstui", style="bold"), classes="dialog-title")
            yield Static(Text(WELCOME), id="first-run-text")
            with Horizontal(id="first-run-buttons"):
                yield Button(
                    "Open the sandbox demo (s)", id="fr-sandbox", variant="primary", compact=True
                )
                yield Button("Add a profile (a)", id="fr-add", compact=True)
                yield Button("Quit (q)", id="fr-quit", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#fr-sandbox", Button).focus()

    @on(Button.Pressed, "#fr-sandbox")
    def action_sandbox(self) -> None:
        """Reopen on the embedded sandbox with its demo accounts."""
        self.app.exit(OpenSandbox())

    @on(Button.Pressed, "#fr-add")
    def action_add_profile(self) -> None:
        """Open the add-profile form; once it has saved, reopen on the new profile."""

        def saved(name: str | None) -> None:
            if name:
                self.app.exit(SwitchProfile(name))

        self.app.push_screen(ProfileFormModal(), saved)

    @on(Button.Pressed, "#fr-quit")
    def action_quit_app(self) -> None:
        """Leave mwstui."""
        self.app.exit(None)
