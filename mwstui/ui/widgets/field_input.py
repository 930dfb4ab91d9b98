"""The one-line text field every panel and form uses: Escape leaves it, pastes arrive clean."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input

from mwstui.ui.text.safe_text import clean

FIELD_MAX = 200
"""Longest text a field takes (a filter or a date is far shorter; a pasted page is cut)."""


class FieldInput(Input):
    """An ``Input`` that gives the keyboard back on Escape and cleans what is pasted.

    A bracketed paste arrives as one event: its text is inserted at the cursor in its own
    order, line breaks and tabs as spaces, control characters (ESC, BEL, C1, bidi
    overrides) removed, and nothing of it is taken as a key. ``max_length`` defaults to
    ``FIELD_MAX``.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back to the table", show=False),
    ]

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """``Input`` sets its virtual size on every key; as the layout reactive it is on
    ``Widget``, each keystroke in a filter laid the whole screen out again (~10 ms at
    120×40). A field whose own size follows its text is still laid out (``Input`` asks
    for it when ``auto_dimensions``)."""

    class Left(Message):
        """Escape in the field: its owner gives the keyboard back (to its table)."""

        def __init__(self, field: FieldInput) -> None:
            super().__init__()
            self.field = field

        @property
        def control(self) -> FieldInput:
            """The field (``@on(FieldInput.Left, "#id")`` matches on it)."""
            return self.field

    def __init__(self, *args: object, max_length: int = FIELD_MAX, **kwargs: object) -> None:
        super().__init__(*args, max_length=max_length, **kwargs)  # type: ignore[arg-type]

    def action_leave(self) -> None:
        """Leave the field (its text and filter stay)."""
        self.post_message(self.Left(self))

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        text = clean(event.text)
        selection = self.selection
        if self.max_length:
            # Input refuses an insert that would pass max_length: keep what fits.
            room = self.max_length - len(self.value) + abs(selection.end - selection.start)
            text = text[: max(0, room)]
        if not text:
            return
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)
