"""A panel's auto-refresh: its interval, whether the user paused it, and when it is due."""

from __future__ import annotations

AUTO_REFRESH_CHOICES = (30.0, 60.0, 120.0, 300.0, 600.0)
"""Auto-refresh intervals the ``i`` key cycles through (seconds)."""


class AutoRefresh:
    """When a panel reloads by itself; ``p`` pauses it and ``i`` cycles the interval.

    Args:
        interval: the panel's default interval in seconds, or None: it never reloads by
            itself (and the status line says nothing about it).
    """

    def __init__(self, interval: float | None) -> None:
        self.enabled = interval is not None
        self.interval = interval
        self.paused = False

    def toggle_pause(self) -> None:
        """Pause or resume."""
        self.paused = not self.paused

    def cycle(self) -> None:
        """The next longer interval of ``AUTO_REFRESH_CHOICES``, after the longest the first."""
        current = self.interval or AUTO_REFRESH_CHOICES[-1]
        later = [c for c in AUTO_REFRESH_CHOICES if c > current]
        self.interval = later[0] if later else AUTO_REFRESH_CHOICES[0]

    def due(self, now: float, loaded_at: float | None) -> bool:
        """Whether a reload is due at ``now`` for a list loaded at ``loaded_at`` (None: not
        loaded yet, so not an auto-refresh's to start)."""
        if not self.enabled or self.interval is None or self.paused or loaded_at is None:
            return False
        return now - loaded_at >= self.interval

    def label(self) -> str | None:
        """What the status line says (``auto 1 min (p)``), or None for a panel without one."""
        if not self.enabled or self.interval is None:
            return None
        if self.paused:
            return "auto-refresh paused (p)"
        every = self.interval
        return f"auto {every / 60:g} min (p)" if every % 60 == 0 else f"auto {every:g} s (p)"
