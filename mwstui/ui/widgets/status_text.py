"""A status line's text put on screen with the least work: a repaint, rarely a layout."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static


def show_status(line: Static, text: Text, shown: str) -> str:
    """Show ``text`` in ``line`` (which shows ``shown`` now); returns the new plain text.

    "updated N s ago" changes every second. A relayout (what ``update`` does by default)
    re-renders the panel's table and re-sends its scrollbars each time; a line whose size
    does not follow its text, or whose text keeps its width, only needs a repaint.
    """
    styles = line.styles
    follows_text = styles.height is None or styles.height.is_auto
    follows_text = follows_text or (styles.width is not None and styles.width.is_auto)
    line.update(text, layout=follows_text and text.cell_len != cell_len(shown))
    return text.plain
