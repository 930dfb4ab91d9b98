"""Switch profile: the sandbox's demo accounts (on the sandbox), the configured profiles
(the current one marked), and adding another."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from mwstui.session import SANDBOX_PROFILES, SandboxService, Session
from mwstui.ui.text.safe_text import clean

ADD_PROFILE = ":add"
"""The choice that opens the add-profile form (a colon never occurs in a profile name)."""

SANDBOX_CHOICE = ":sandbox:"
"""Prefix of a sandbox demo account's choice (``:sandbox:spapi``): never a profile name."""

SANDBOX_LABELS: dict[SandboxService, str] = {
    "mws": "Amazon MWS demo",
    "spapi": "Amazon SP-API demo",
}
"""What each sandbox demo account holds, shown beside its name."""


def sandbox_choice(service: SandboxService) -> str:
    """The switcher's choice for the sandbox demo account of ``service``."""
    return f"{SANDBOX_CHOICE}{service}"


def chosen_sandbox(choice: str | None) -> SandboxService | None:
    """The sandbox service a choice stands for, or None for a profile (or nothing)."""
    if choice is None or not choice.startswith(SANDBOX_CHOICE):
        return None
    service = choice.removeprefix(SANDBOX_CHOICE)
    return "spapi" if service == "spapi" else "mws"


class ProfileSwitcherModal(ModalScreen[str | None]):
    """Pick what to reopen the dashboard on; None changes nothing.

    Dismisses with a profile name, a ``sandbox_choice`` or ``ADD_PROFILE``. Choosing
    what is shown now just closes the list.

    Args:
        profiles: the configured profile names.
        current: the choice the dashboard shows now (a profile name, or on the sandbox
            the ``sandbox_choice`` of its service).
        sandboxes: the sandbox demo accounts to offer first (only on the sandbox: a
            session on a real account is not one key away from a demo).
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back")]

    def __init__(
        self, profiles: Sequence[str], current: str, sandboxes: Sequence[SandboxService] = ()
    ) -> None:
        super().__init__(classes="form-modal", id="profile-switcher")
        self.profiles = list(profiles)
        self.current = current
        self.sandboxes = list(sandboxes)

    @classmethod
    def for_session(cls, session: Session) -> ProfileSwitcherModal:
        """The switcher for ``session``: on the sandbox its demo accounts come first, and
        the one shown now is current."""
        service = session.sandbox_service
        if service is None:
            return cls(session.profiles, session.profile)
        return cls(session.profiles, sandbox_choice(service), tuple(SANDBOX_PROFILES))

    @property
    def choices(self) -> list[str]:
        """Every choice's id, in list order."""
        return [*map(sandbox_choice, self.sandboxes), *self.profiles, ADD_PROFILE]

    def _option(self, choice: str, name: str, what: str = "") -> Option:
        now = choice == self.current
        label = Text.assemble("● " if now else "  ", Text(clean(name), style="bold" if now else ""))
        if what:
            label.append(f"  {what}", style="dim")
        if now:
            label.append("  (current)", style="dim")
        return Option(label, id=choice)

    def compose(self) -> ComposeResult:
        options: list[Option] = [
            self._option(sandbox_choice(s), SANDBOX_PROFILES[s], SANDBOX_LABELS[s])
            for s in self.sandboxes
        ]
        options += [self._option(name, name) for name in self.profiles]
        options.append(Option(Text("+ Add profile…"), id=ADD_PROFILE))
        with Vertical(classes="dialog", id="switcher-dialog"):
            yield Static(Text("Switch profile", style="bold"), classes="dialog-title")
            note = (
                "The dashboard reopens on the chosen profile (its clients are rebuilt)."
                if self.profiles or self.sandboxes
                else "No profile yet. Add one here (Enter), or from a shell with "
                "'mwstui profile add NAME --help'; the dashboard then reopens on it."
            )
            yield Static(Text(note, style="dim"), classes="form-note", id="switcher-note")
            yield OptionList(*options, id="switcher-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in self.choices:
            options.highlighted = self.choices.index(self.current)
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        self.dismiss(None if choice == self.current else choice)

    def action_cancel(self) -> None:
        """Close without switching."""
        self.dismiss(None)
