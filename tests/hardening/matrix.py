"""The fault catalogue both matrices share, and checks every cell makes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from mwstui.errors import ApiError

LOOPBACK_TIMEOUT = 0.5
"""Client timeout (seconds) for the latency cells: ample for a loopback answer, a third
of the injected latency (``LATENCY``)."""
LATENCY = 1.5


@dataclass(frozen=True)
class Fault:
    """How to produce one column of the matrix.

    ``rule`` is a sandbox fault spec with ``{op}`` for the operation under test; the
    other fields change the rig instead (a skewed clock, a wrong key, a newer service).
    """

    rule: str | None = None
    mode: str = "asgi"
    skew: float = 0.0
    bad_key: bool = False
    future: bool = False
    timeout: float | None = None


FAULTS: dict[str, Fault] = {
    "throttle-once": Fault("{op}:throttle:next=1"),
    "throttle-always": Fault("{op}:throttle"),
    "quota": Fault("{op}:quota:next=1"),
    "internal-once": Fault("{op}:internal:next=1"),
    "internal-always": Fault("{op}:internal"),
    "unavailable-once": Fault("{op}:unavailable:next=1"),
    "unavailable-always": Fault("{op}:unavailable"),
    "latency": Fault(
        f"{{op}}:latency={LATENCY:g}:next=1", mode="loopback", timeout=LOOPBACK_TIMEOUT
    ),
    "malformed": Fault("{op}:malformed:next=1"),
    "truncate": Fault("{op}:truncate:next=1", mode="loopback"),
    "drop-before": Fault("{op}:drop-before:next=1"),
    "drop-after": Fault("{op}:drop-after:next=1"),
    "refused": Fault(mode="refused"),
    "bad-md5-once": Fault("{op}:bad-md5:next=1"),
    "bad-md5-always": Fault("{op}:bad-md5"),
    "skew": Fault(skew=1200.0),
    "bad-key": Fault(bad_key=True),
    "future": Fault(future=True),
}
"""Column id → how to cause it. ``*-once`` is a transient fault, ``*-always`` a lasting one;
``latency`` and ``truncate`` run over real loopback HTTP (timeouts and a body cut off
mid-stream need a socket); ``refused`` targets a port nothing listens on; ``skew`` runs
the clients' clock 20 minutes ahead; ``bad-key`` signs with a wrong secret / API key;
``future`` answers with unknown enum values and extra elements."""

SESSION_WIDE = frozenset({"refused", "skew", "bad-key", "future"})
"""Columns that affect every call, so a listing fails (or changes) from its first page."""
BROKEN_SESSION = frozenset({"refused", "skew", "bad-key"})
"""Columns after which no call can succeed until the user fixes something."""


@dataclass(frozen=True)
class Expect:
    """What one cell must show."""

    error: type[ApiError] | None
    """The exact exception class, or None for success."""
    attempts: int
    """CallRecords of the faulted call (1 + retries)."""
    journal: str | None = None
    """Mutations: the journal entry's status (ok / error / unknown)."""
    executed: bool | None = None
    """Mutations: whether the sandbox's state shows it happened."""
    reached: int | None = None
    """Mutations: requests that got past the fault layer to the service."""


def check_error(exc: BaseException | None, expected: Expect, request_id: str | None) -> None:
    """The error class, its request id (when an answer came) and a one-line message."""
    if expected.error is None:
        assert exc is None, f"unexpected {exc!r}"
        return
    assert exc is not None, f"expected {expected.error.__name__}, the call succeeded"
    assert type(exc) is expected.error, f"expected {expected.error.__name__}, got {exc!r}"
    assert isinstance(exc, ApiError)
    assert exc.request_id == request_id
    text = str(exc)
    assert "\n" not in text and exc.code in text
    assert exc.operation is not None and exc.operation in text
    if request_id is not None:
        assert request_id in text


async def eventually(predicate: Callable[[], bool], seconds: float = 5.0) -> bool:
    """Wait (real time, bounded) until the loopback server thread makes ``predicate`` true."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True
