"""Errors as notifications: code, message, request id and a hint, never parsed as markup."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.notifications import SeverityLevel

from mwstui.errors import ApiError, MwstuiError, ReadOnlyError
from mwstui.ui.text.safe_text import clean

ERROR_TIMEOUT = 12.0
"""Seconds an error stays on screen: long enough to read a request id."""


def describe_error(exc: BaseException) -> tuple[str, str]:
    """A notification title and body for ``exc``.

    Args:
        exc: the failure; ``ApiError`` gets code, message, request id and hint lines.

    Returns:
        ``(title, message)``, both cleaned of control characters.
    """
    if isinstance(exc, ApiError):
        title = f"{exc.operation} failed" if exc.operation else "Request failed"
        lines = [f"{exc.code}: {' '.join(exc.message.split())}"]
        if exc.http_status is not None:
            lines.append(f"HTTP {exc.http_status}")
        if exc.request_id:
            lines.append(f"request id {exc.request_id}")
        if exc.hint:
            lines.append(f"Hint: {exc.hint}")
        return clean(title), clean("\n".join(lines), multiline=True)
    if isinstance(exc, ReadOnlyError):
        return "Read-only", clean(str(exc))
    if isinstance(exc, MwstuiError):
        return "Error", clean(str(exc))
    return "Unexpected error", clean(f"{type(exc).__name__}: {exc}")


def notify_error(node: DOMNode, exc: BaseException, *, doing: str = "") -> None:
    """Show ``exc`` as an error notification from ``node``'s app.

    Args:
        node: any widget or the app.
        exc: the failure.
        doing: what was being attempted (``Refreshing report requests``), prefixed to the title.
    """
    title, message = describe_error(exc)
    if doing:
        title = f"{doing}: {title}"
    severity: SeverityLevel = "warning" if isinstance(exc, ReadOnlyError) else "error"
    node.app.notify(message, title=title, severity=severity, timeout=ERROR_TIMEOUT, markup=False)
