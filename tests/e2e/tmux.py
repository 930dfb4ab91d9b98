"""Drive a program in a real tmux pane: type keys, read the screen, wait for text."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Sequence


class Tmux:
    """One detached tmux session on a private server socket (never the user's own tmux)."""

    def __init__(self, width: int = 120, height: int = 40) -> None:
        if shutil.which("tmux") is None:
            raise RuntimeError("tmux is not installed")
        self.socket = f"mwstui-test-{uuid.uuid4().hex[:8]}"
        self.name = "t"
        self.width = width
        self.height = height

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check
        )

    def start(self, command: Sequence[str], env: dict[str, str] | None = None) -> None:
        """Run ``command`` in a fresh session; ``env`` is exported in the pane's shell."""
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        line = f"env {exports} {shlex.join(command)}" if exports else shlex.join(command)
        self._tmux(
            "new-session", "-d", "-s", self.name,
            "-x", str(self.width), "-y", str(self.height),
            # Keep the pane after exit so the test can read the exit status.
            f"{line}; echo __EXIT__$?; sleep 30",
        )  # fmt: skip

    def keys(self, *keys: str) -> None:
        """Send tmux key names (``Enter``, ``Tab``, ``Escape``) or literal text."""
        for key in keys:
            self._tmux("send-keys", "-t", self.name, key)

    def text(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.name, "-l", text)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name).stdout

    def wait_for(
        self, predicate: str | Callable[[str], bool], timeout: float = 30.0, interval: float = 0.2
    ) -> str:
        """Poll the screen until it contains ``predicate`` (or the callable says yes)."""
        check = predicate if callable(predicate) else (lambda s: predicate in s)
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(interval)
        raise AssertionError(f"timed out waiting for {predicate!r}; screen was:\n{screen}")

    def close(self) -> None:
        self._tmux("kill-server", check=False)
