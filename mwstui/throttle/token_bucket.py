"""A continuous token bucket, the model of one throttle (the sandbox serves with it too)."""

from __future__ import annotations

import math
from dataclasses import dataclass

RESOLUTION = 1e-6
"""Waits shorter than this count as none: epoch floats resolve ~0.24 µs, so a shorter sleep
may not move the clock at all and the wait would never end."""


@dataclass(slots=True)
class TokenBucket:
    """A continuous token bucket: ``capacity`` tokens, one back every ``restore_seconds``."""

    capacity: int
    restore_seconds: float
    tokens: float
    updated: float

    def refill(self, now: float) -> None:
        """Add the tokens restored since the last update (time never runs backwards here)."""
        if now > self.updated:
            self.tokens = min(
                self.capacity, self.tokens + (now - self.updated) / self.restore_seconds
            )
        self.updated = max(self.updated, now)

    def seconds_until(self, now: float, n: float = 1.0) -> float:
        """Seconds until ``n`` tokens are available (0 when they are now)."""
        self.refill(now)
        wait = (n - self.tokens) * self.restore_seconds
        return 0.0 if wait <= RESOLUTION else wait

    def seconds_to_next(self, now: float) -> float:
        """Seconds until the token count reaches its next whole number (0 when full)."""
        self.refill(now)
        if self.tokens >= self.capacity:
            return 0.0
        whole = math.floor(self.tokens + RESOLUTION / self.restore_seconds)
        return self.seconds_until(now, whole + 1.0)

    def take(self, now: float) -> None:
        self.refill(now)
        self.tokens = max(0.0, self.tokens - 1.0)

    def drain(self, now: float) -> None:
        self.refill(now)
        self.tokens = 0.0
