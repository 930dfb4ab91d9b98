"""A SelectionList whose ticks differ in text, not only in colour."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets._toggle_button import ToggleButton

TICKED = "X"
UNTICKED = " "


class TickList(SelectionList[str]):
    """``▐X▌ US`` for a ticked row and ``▐ ▌ CA`` for an unticked one.

    Textual's SelectionList draws the same ``X`` in every box and tells them apart by
    colour alone, which ``NO_COLOR``, a monochrome terminal or a screen reader loses.
    Borderless, so a short list fits a small form.
    """

    DEFAULT_CSS = """
    TickList { border: none; padding: 0; height: auto; max-height: 6; }
    TickList:focus { border: none; }
    """

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        # The box is BUTTON_LEFT, BUTTON_INNER, BUTTON_RIGHT, then a space and the prompt.
        if len(segments) < 4 or segments[1].text != ToggleButton.BUTTON_INNER:
            return line
        _, scroll_y = self.scroll_offset
        try:
            value = self.get_option_at_index(scroll_y + y).value
        except Exception:
            return line
        inner = TICKED if value in self.selected else UNTICKED
        segments[1] = Segment(inner, segments[1].style)
        return Strip(segments, line.cell_length)
