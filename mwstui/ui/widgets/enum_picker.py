"""Pick one value of a long enumeration (report types) by typing any part of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from mwstui.ui.text.safe_text import clean


def matches(value: str, query: str) -> bool:
    """Every word of ``query`` occurs in ``value`` (case and underscores ignored)."""
    hay = value.casefold().replace("_", " ")
    return all(word in hay for word in query.casefold().replace("_", " ").split())


class EnumPicker(Widget):
    """A search box over a list: type to narrow, Enter or click to pick.

    Args:
        values: the enumeration, in the order to list it.
        value: the value picked at the start.
        placeholder: the search box hint.
    """

    DEFAULT_CSS = """
    EnumPicker { height: auto; }
    EnumPicker > OptionList { height: 6; }
    EnumPicker > .picked { height: 1; color: $text-muted; }
    """

    @dataclass
    class Picked(Message):
        """A value was picked."""

        picker: EnumPicker
        value: str

    def __init__(
        self,
        values: Sequence[str],
        *,
        value: str | None = None,
        placeholder: str = "type to search",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.values = list(values)
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self.placeholder, compact=True)
        yield OptionList(*self._options(""))
        yield Static(self._picked_text(), classes="picked")

    def _options(self, query: str) -> list[Option]:
        return [Option(Text(clean(v)), id=v) for v in self.values if matches(v, query)]

    def _picked_text(self) -> Text:
        if self.value is None:
            return Text("nothing picked yet", style="italic")
        return Text.assemble(("picked ", "dim"), (clean(self.value), "bold"))

    def pick(self, value: str) -> None:
        """Pick ``value`` (must be one of ``values``)."""
        self.value = value
        self.query_one(".picked", Static).update(self._picked_text())
        self.post_message(self.Picked(self, value))

    @on(Input.Changed)
    def _narrow(self, event: Input.Changed) -> None:
        event.stop()
        options = self._options(event.value)
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(options)
        if options:
            listing.highlighted = 0
        exact = [v for v in self.values if v.casefold() == event.value.strip().casefold()]
        if exact or len(options) == 1:
            self.pick(exact[0] if exact else str(options[0].id))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        listing = self.query_one(OptionList)
        if listing.highlighted is not None and listing.option_count:
            option = listing.get_option_at_index(listing.highlighted)
            self.pick(str(option.id))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick(str(event.option.id))

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.query_one(Input).has_focus:
            event.stop()
            self.query_one(OptionList).focus()
