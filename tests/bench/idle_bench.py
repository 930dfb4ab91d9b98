"""Bench 5: idle cost of ``mwstui --sandbox`` — CPU and bytes written to the terminal.

The dashboard runs on a pseudo-terminal we own (120×40, xterm-256color); a reader
counts every byte it writes. Once the first rows are on screen and a few seconds have
passed, nothing is typed for the measured window: CPU comes from /proc/<pid>/stat
(utime + stime, all threads, the in-process sandbox included), bytes from the reader.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import signal
import struct
import tempfile
import termios
import threading
import time
from pathlib import Path

from tests.bench.common import PYTHON, ROOT, Figure, bench_env, dump, info, profile_top, target
from tests.bench.common import write_profile as save_profile

BENCH = "idle"
ROW = re.compile(rb"\d{11}")
SETTLE = 5.0
CPU_PCT = 1.0
"""Target: CPU of one core while idle (issue 14)."""
RATE_BPS = 500
"""Target: bytes a second written to the terminal while idle (issue 14)."""


class Terminal:
    """A child process on a pty, with a thread that counts (and keeps a tail of) its output."""

    def __init__(
        self,
        argv: list[str],
        env: dict[str, str],
        cols: int = 120,
        rows: int = 40,
        keep_raw: bool = False,
    ) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, become the program
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.chdir(ROOT)
            os.execve(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        self.events: list[tuple[float, int]] = []
        self.keep_raw = keep_raw
        self.raw: list[tuple[float, bytes]] = []
        self.seen_row = threading.Event()
        self._tail = b""
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            now = time.monotonic()
            self.events.append((now, len(data)))
            if self.keep_raw:
                self.raw.append((now, data))
            if not self.seen_row.is_set():
                self._tail = (self._tail + data)[-4096:]
                if ROW.search(self._tail):
                    self.seen_row.set()

    def bytes_between(self, start: float, end: float) -> int:
        return sum(n for t, n in list(self.events) if start <= t < end)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
        return ticks / os.sysconf("SC_CLK_TCK")

    def quit(self) -> None:
        os.write(self.fd, b"q")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                return
            time.sleep(0.1)
        os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)


CURSOR = re.compile(rb"\x1b\[(\d+);(\d+)H")
SGR = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def repaints(raw: bytes, seconds: float) -> str:
    """Which screen rows the idle output repaints: bytes/s per cursor position, with text."""
    parts = CURSOR.split(raw)
    total: dict[tuple[int, int], int] = {}
    text: dict[tuple[int, int], str] = {}
    for i in range(1, len(parts) - 2, 3):
        at = (int(parts[i]), int(parts[i + 1]))
        total[at] = total.get(at, 0) + len(parts[i + 2])
        plain = SGR.sub(b"", parts[i + 2]).decode("utf-8", "replace").strip()
        text.setdefault(at, plain[:48])
    lines = ["| row | col | bytes/s | text there |", "|---:|---:|---:|---|"]
    for (row, col), n in sorted(total.items()):
        if n:
            shown = text[(row, col)].replace("|", "\\|") or "(blank cells)"
            lines.append(f"| {row} | {col} | {n / seconds:.0f} | {shown} |")
    return "\n".join(lines)


def measure(
    window: float, profile: Path | None = None, raw: list[bytes] | None = None
) -> tuple[float, float, float]:
    """(CPU % of one core, bytes/s, seconds to first rows) over ``window`` idle seconds.

    With ``raw``, the bytes written during the window are appended to it.
    """
    with tempfile.TemporaryDirectory(prefix="mwstui-bench-") as home:
        prefix = ["-m", "cProfile", "-o", str(profile)] if profile else []
        argv = [PYTHON, *prefix, "-m", "mwstui", "--sandbox"]
        start = time.monotonic()
        term = Terminal(argv, bench_env(Path(home)), keep_raw=raw is not None)
        try:
            if not term.seen_row.wait(60):
                raise RuntimeError("mwstui --sandbox showed no rows within 60 s")
            loaded = time.monotonic() - start
            time.sleep(SETTLE)
            t0, cpu0 = time.monotonic(), term.cpu_seconds()
            time.sleep(window)
            t1, cpu1 = time.monotonic(), term.cpu_seconds()
            sent = term.bytes_between(t0, t1)
            if raw is not None:
                raw.append(b"".join(d for t, d in list(term.raw) if t0 <= t < t1))
        finally:
            term.quit()
    return 100 * (cpu1 - cpu0) / (t1 - t0), sent / (t1 - t0), loaded


def run(quick: bool) -> list[Figure]:
    window = 10.0 if quick else 30.0
    cpu, rate, _loaded = measure(window)
    note = f"{window:.0f} s window, starting {SETTLE:.0f} s after the first rows"
    figures = [
        target(BENCH, "CPU while idle (budgets ticking)", cpu, "% of a core", "<=", CPU_PCT, note),
        target(
            BENCH,
            "bytes written to the terminal while idle",
            rate / 1000,
            "KB/s",
            "<=",
            RATE_BPS / 1000,
            f"{rate:.0f} B/s; {note}",
        ),
    ]
    if cpu > CPU_PCT or rate > RATE_BPS:
        text = ""
        if rate > RATE_BPS:
            raw: list[bytes] = []
            measure(10.0, raw=raw)
            text += "Idle repaints of mwstui --sandbox (10 s, 120×40), by cursor position:\n\n"
            text += repaints(raw[0], 10.0) + "\n\n"
        with tempfile.TemporaryDirectory(prefix="mwstui-bench-") as tmp:
            prof = Path(tmp) / "idle.prof"
            measure(window, profile=prof)
            if prof.exists():
                text += "cProfile of mwstui --sandbox: start, first rows, idle, quit (own time)\n\n"
                text += profile_top(prof, 25)
        path = save_profile("idle", text)
        for f in figures:
            if f.ok is False:
                f.note += f"; profile: {path.relative_to(ROOT)}"
    figures.append(info(BENCH, "idle window measured", window, "s"))
    return figures


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.idle_bench")
    p.add_argument("--json", type=Path)
    p.add_argument("--quick", action="store_true", help="a 10 s window (smoke test)")
    args = p.parse_args()
    dump(run(args.quick), args.json)


if __name__ == "__main__":
    main()
