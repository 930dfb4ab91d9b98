"""Read-only mode, said out loud: a mutating key explains why it is off.

In a read-only session the panels hide their mutating keys from the footer and refuse
those actions; a key that silently does nothing looks broken. ``explain_read_only_key``
runs for every panel, view and dialog that declares ``mutating_actions``: pressing one of
those keys shows one line ("read-only profile: cancelling is disabled") instead.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from textual import events
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea

from mwstui.errors import ReadOnlyError

if TYPE_CHECKING:
    from mwstui.session import Session

VERBS = {
    "cancel_selected": "cancelling",
    "cancel_order": "cancelling",
    "cancel_items": "cancelling",
    "request_report": "requesting reports",
    "new_schedule": "creating schedules",
    "edit_schedule": "changing schedules",
    "delete_selected": "deleting schedules",
    "acknowledge": "acknowledging reports",
    "unacknowledge": "un-acknowledging reports",
}
"""What each mutating action does, as the notice names it."""


def read_only_message(action: str) -> str:
    """``read-only profile: cancelling is disabled (mwstui --read-only or the profile's
    read_only setting)``."""
    verb = VERBS.get(action, "changing anything")
    return f"read-only profile: {verb} is disabled (--read-only or the profile's read_only)"


def read_only_error(action: str) -> ReadOnlyError:
    """The error a refused mutating action reports (the panels' ``refuse_if_read_only``)."""
    return ReadOnlyError(read_only_message(action))


def explain_read_only_key(
    node: Widget | Screen[Any],
    session: Session,
    mutating_actions: Collection[str],
    event: events.Key,
) -> None:
    """Call from ``on_key``: in a read-only session, a key bound on ``node`` to one of
    its ``mutating_actions`` shows why it is off instead of doing nothing.

    The key is caught on its way up to the bindings, so the action never runs; a key
    typed into a text field is left to the field.
    """
    if not session.read_only or isinstance(node.app.focused, Input | TextArea):
        return
    for binding in node._bindings.key_to_bindings.get(event.key, ()):
        if binding.action in mutating_actions:
            event.stop()
            event.prevent_default()
            node.notify(
                read_only_message(binding.action),
                title="Read-only",
                severity="warning",
                markup=False,
            )
            return
