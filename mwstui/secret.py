"""A value that never shows itself: repr, str, format and pickling all refuse.

Every value wrapped in a ``Secret`` is also remembered here, so that ``mask_secrets`` can
blank it out of text that came from elsewhere — a server that echoes the API key back in
an error message, a body shown in the inspector — before that text is shown or stored.
"""

from __future__ import annotations

import hmac
import threading
from html import escape
from typing import Any, NoReturn
from urllib.parse import quote, quote_plus

MASK = "••••••"

MIN_MASKED_LENGTH = 8
"""Shorter values are not hunted in text: masking every "abc" would mangle messages (and
point at the secret). Real keys and tokens are 20–40 characters."""

_known: set[str] = set()
_lock = threading.Lock()


def _remember(value: str) -> None:
    if len(value) < MIN_MASKED_LENGTH or value in _known:
        return
    # The forms a server may echo: as sent in a query or form, and XML/HTML-escaped.
    forms = {value, quote(value, safe=""), quote_plus(value), escape(value, quote=True)}
    with _lock:
        _known.update(f for f in forms if len(f) >= MIN_MASKED_LENGTH)


def mask_secrets(text: str) -> str:
    """``text`` with every occurrence of every loaded secret replaced by the mask.

    Applied where errors, messages, call records and journal entries are built, so a
    secret a server echoes back never reaches the screen, a log or the journal.
    """
    if not text or not _known:
        return text
    with _lock:
        known = sorted(_known, key=len, reverse=True)  # longest first: no half-masked value
    for value in known:
        if value in text:
            text = text.replace(value, MASK)
    return text


class Secret:
    """Wraps a credential so tracebacks, logs and screens cannot print it.

    Only `reveal()` gives the value back; call it at the last moment (signing).
    """

    __slots__ = ("_value",)

    def __init__(self, value: str | Secret) -> None:
        self._value = value.reveal() if isinstance(value, Secret) else str(value)
        _remember(self._value)

    def reveal(self) -> str:
        """The plain value. Never log or display what this returns."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret('{MASK}')"

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return MASK

    def __bool__(self) -> bool:
        return bool(self._value)

    def __len__(self) -> int:
        return len(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self) -> NoReturn:
        raise TypeError("Secret values cannot be pickled")

    def __deepcopy__(self, memo: dict[int, Any]) -> Secret:
        return self

    def __copy__(self) -> Secret:
        return self
