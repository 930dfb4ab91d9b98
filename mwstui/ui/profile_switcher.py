"""Switch profile: the configured profiles (the current one marked), and adding another."""

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

from mwstui.ui.safe_text import clean

ADD_PROFILE = ":add"
"""The choice that opens the add-profile form (a colon never occurs in a profile name)."""


class ProfileSwitcherModal(ModalScreen[str | None]):
    """Pick a profile to reopen the dashboard on, or ``ADD_PROFILE``; None changes nothing.

    Choosing the current profile just closes the list.

    Args:
        profiles: the configured profile names.
        current: the profile the dashboard shows now.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back")]

    def __init__(self, profiles: Sequence[str], current: str) -> None:
        super().__init__(classes="form-modal", id="profile-switcher")
        self.profiles = list(profiles)
        self.current = current

    def compose(self) -> ComposeResult:
        options: list[Option] = []
        for name in self.profiles:
            label = Text(clean(name), style="bold" if name == self.current else "")
            label = Text.assemble("● " if name == self.current else "  ", label)
            if name == self.current:
                label.append("  (current)", style="dim")
            options.append(Option(label, id=name))
        options.append(Option(Text("+ Add profile…"), id=ADD_PROFILE))
        with Vertical(classes="dialog", id="switcher-dialog"):
            yield Static(Text("Switch profile", style="bold"), classes="dialog-title")
            note = (
                "The dashboard reopens on the chosen profile (its clients are rebuilt)."
                if self.profiles
                else "No profile yet. Add one here (Enter), or from a shell with "
                "'mwstui profile add NAME --help'; the dashboard then reopens on it."
            )
            yield Static(Text(note, style="dim"), classes="form-note", id="switcher-note")
            yield OptionList(*options, id="switcher-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in self.profiles:
            options.highlighted = self.profiles.index(self.current)
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        self.dismiss(None if choice == self.current else choice)

    def action_cancel(self) -> None:
        """Close without switching."""
        self.dismiss(None)
