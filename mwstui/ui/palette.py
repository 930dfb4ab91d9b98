"""The command palette's own commands: every active binding, then one per panel."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

from mwstui.ui.panel_slots import SLOTS

if TYPE_CHECKING:
    from mwstui.ui.app import MwstuiApp


def palette_commands(app: MwstuiApp, screen: Screen[object]) -> Iterable[SystemCommand]:
    """What ctrl+p offers beside Textual's defaults: each enabled binding once (with its
    key), and "Go to" each panel once a session is open."""
    titles: set[str] = set()
    for key, active in screen.active_bindings.items():
        b = active.binding
        if not b.description or not active.enabled or key.isdigit():
            continue
        title = f"{b.description} ({app.get_key_display(b)})"
        if title in titles:
            continue
        titles.add(title)
        yield SystemCommand(title, f"key {key}", partial(app.run_action, b.action, active.node))
    if app.session.first_run:
        return
    for n, slot in enumerate(SLOTS):  # a panel not mounted yet is mounted when chosen
        title = slot.panel_class().title
        yield SystemCommand(f"Go to {title}", f"key {n + 1}", partial(app.action_show_tab, n))
