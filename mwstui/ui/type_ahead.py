"""Keys typed ahead reach what the keys before them opened, in order.

Over SSH a fast typist's keys arrive in bursts (``3/PLAN``, ``/SBX-FO-1``). Textual
hands each key to the widget focused when the app reads it, but a key's binding runs
turns later, once the key has bubbled back up to the app. So in ``/PLAN`` the ``P``,
``L``, ``A``, ``N`` are all delivered to the table before ``/`` has opened the filter;
they bubble back unhandled and their bindings are looked up in the new focus chain:
``P`` opened the profile switcher and a digit switched the tab, while the filter got
nothing. The same happens to a key read while nothing has the keyboard (a tab just
shown, its table not yet focused). This class watches where each key was delivered
and, when it comes back unhandled, gives it to what has the keyboard now.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input

if TYPE_CHECKING:
    from mwstui.ui.app import MwstuiApp

REMEMBERED = 256
"""Keys whose first target is remembered (a key an input consumed never comes back)."""

NOT_RECORDED = object()


class TypeAhead:
    """Where each key went, and what to do with one that comes back unhandled.

    Args:
        app: the dashboard.
    """

    def __init__(self, app: MwstuiApp) -> None:
        self.app = app
        self._targets: OrderedDict[int, tuple[events.Key, object]] = OrderedDict()

    def delivered(self, event: events.Key) -> None:
        """``event`` was just read from the terminal: note who will receive it."""
        self._targets[id(event)] = (event, self.app.focused)
        while len(self._targets) > REMEMBERED:
            self._targets.popitem(last=False)

    def redirect(self, event: events.Key) -> bool:
        """``event`` bubbled back to the app unhandled: give a typed-ahead character to
        the field that has the keyboard now.

        Returns:
            True when the key was handed on (the app must not look up its bindings).
        """
        kept = self._targets.pop(id(event), None)
        target = NOT_RECORDED if kept is None or kept[0] is not event else kept[1]
        focused = self.app.focused
        if (
            target is NOT_RECORDED
            or focused is None
            or focused is target
            or not isinstance(focused, Input)
            or not event.is_printable
            or focused.screen is not self.app.screen
            or (target is not None and getattr(target, "screen", None) is not focused.screen)
        ):
            return False
        # A fresh event: the field sees it as typed, and it never comes back here.
        focused.post_message(events.Key(event.key, event.character))
        return True

    async def to_panel(self, event: events.Key) -> bool:
        """A key no binding took while nothing had the keyboard: the shown panel's table
        takes it now and the key runs its binding there, before the next key is read.

        Returns:
            True when the panel took the key.
        """
        app = self.app
        panel = app.active_panel_or_none
        if (
            app.focused is not None
            or panel is None
            or app.screen is not app.screen_stack[0]
            or event.key in ("P", "tab", "shift+tab")
            or not event.is_printable
        ):
            return False
        table = panel.main_table()
        if table is None or not panel.is_shown() or not table.focusable:
            return False
        event.stop()
        # Focus now, not a turn later (``focus()``): the keys behind this one find it.
        app.set_focus(table)
        if app.screen.focused is table:
            await app.run_key_bindings(event.key)
        return True
