"""Injected time: the real clock for the app, a virtual one for tests and the sandbox."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Source of wall time and of waiting; everything time-dependent takes one."""

    def time(self) -> float:
        """Seconds since the Unix epoch."""
        ...

    def now(self) -> datetime:
        """The current instant as an aware UTC datetime."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` of this clock's time."""
        ...


class SystemClock:
    """The machine's clock."""

    def time(self) -> float:
        return time.time()

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class FakeClock:
    """Virtual time that only moves when told to, or when every task is asleep.

    `sleep()` parks the caller on a heap of deadlines; once the event loop has run
    everything else that was ready, time jumps to the earliest deadline and those
    sleepers wake. Concurrent sleepers therefore see consistent time, and a test
    of a 35-second throttle schedule runs in milliseconds.

    Args:
        start: epoch seconds the clock starts at (default 2026-01-01T00:00:00Z).
    """

    def __init__(self, start: float = 1_767_225_600.0) -> None:
        self._t = float(start)
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._driving = False

    def time(self) -> float:
        return self._t

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._t, UTC)

    def advance(self, seconds: float) -> None:
        """Move time forward by hand and wake every sleeper now due."""
        self._t += max(0.0, seconds)
        self._wake_due()

    def set(self, epoch: float) -> None:
        """Jump to an absolute time (forward or back: skew tests need both)."""
        self._t = float(epoch)
        self._wake_due()

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._sleepers, (self._t + seconds, next(self._seq), fut))
        if not self._driving:
            self._driving = True
            loop.call_soon(self._drive, loop, 3)
        await fut

    def _drive(self, loop: asyncio.AbstractEventLoop, settle: int) -> None:
        # Let the loop run what is already ready a few times before jumping, so
        # tasks that are about to sleep register first.
        if settle > 0:
            loop.call_soon(self._drive, loop, settle - 1)
            return
        while self._sleepers and self._sleepers[0][2].done():
            heapq.heappop(self._sleepers)
        if not self._sleepers:
            self._driving = False
            return
        self._t = max(self._t, self._sleepers[0][0])
        self._wake_due()
        loop.call_soon(self._drive, loop, 3)

    def _wake_due(self) -> None:
        while self._sleepers and self._sleepers[0][0] <= self._t:
            _, _, fut = heapq.heappop(self._sleepers)
            if not fut.done():
                fut.set_result(None)
