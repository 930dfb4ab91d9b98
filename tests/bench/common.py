"""Shared bench plumbing: figures, the sandbox as a separate process, sessions, the machine."""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from mwstui.catalog import Throttle
from mwstui.clock import Clock
from mwstui.secret import Secret
from mwstui.session import Session
from mwstui.targets import MWSTarget
from mwstui.throttle.governor import Governor
from mwstui.wiring import build_session

PYTHON = sys.executable
ROOT = Path(__file__).resolve().parents[2]
"""The checkout (benches run from it so ``python -m mwstui`` finds the package)."""

UNLIMITED = Throttle(capacity=10**9, restore_seconds=1e-9, hourly_quota=None)
"""A governor override that never waits: the naive client, or a lifted throttle."""


@dataclass
class Figure:
    """One measured figure and its target.

    Attributes:
        bench: which bench (``throttle``, ``biglist`` ...).
        name: what was measured.
        value: the figure (None when it could not be measured).
        unit: its unit (``s``, ``ms``, ``MB``, ``×`` ...).
        target: the target as text (``≤ 1.03``), or ``""`` for a context figure.
        ok: whether the target is met (None: no target).
        note: anything the reader needs (floor, counts, how it was measured).
    """

    bench: str
    name: str
    value: float | None
    unit: str
    target: str = ""
    ok: bool | None = None
    note: str = ""

    def cells(self) -> list[str]:
        shown = "—" if self.value is None else _fmt(self.value)
        verdict = "" if self.ok is None else ("pass" if self.ok else "**MISS**")
        return [self.name, f"{shown} {self.unit}".strip(), self.target, verdict, self.note]


def _fmt(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def target(bench: str, name: str, value: float | None, unit: str, op: str, limit: float,
           note: str = "") -> Figure:  # fmt: skip
    """A figure with a target ``value op limit`` (op: ``<``, ``<=``, ``>=``)."""
    if value is None:
        ok = False
    elif op == "<":
        ok = value < limit
    elif op == "<=":
        ok = value <= limit
    else:
        ok = value >= limit
    sign = {"<": "<", "<=": "≤", ">=": "≥"}[op]
    return Figure(bench, name, value, unit, f"{sign} {_fmt(limit)} {unit}".strip(), ok, note)


def info(bench: str, name: str, value: float | None, unit: str, note: str = "") -> Figure:
    """A context figure without a target."""
    return Figure(bench, name, value, unit, "", None, note)


def dump(figures: list[Figure], path: Path | None) -> None:
    """Print the figures; write them as JSON to ``path`` for the runner."""
    for f in figures:
        print(" | ".join(f.cells()), flush=True)
    if path is not None:
        save(figures, path)


def save(figures: list[Figure], path: Path) -> None:
    path.write_text(json.dumps([asdict(f) for f in figures], ensure_ascii=False, indent=1), "utf-8")


def load(path: Path) -> list[Figure]:
    return [Figure(**d) for d in json.loads(path.read_text("utf-8"))]


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank, as latency targets are usually meant)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Resident set size of this process now, in MB."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024**2


def write_seed(directory: Path, name: str, seed: dict[str, Any]) -> Path:
    path = directory / name
    path.write_text(json.dumps(seed), "utf-8")
    return path


def bench_env(home: Path) -> dict[str, str]:
    """The environment for a child mwstui: private config/data dirs, a real terminal type."""
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        TERM="xterm-256color",
        COLORTERM="truecolor",
        PYTHONPATH=str(ROOT),
    )
    # PYTHONDONTWRITEBYTECODE (set in some dev shells) made every launch compile mwstui's
    # ~200 modules from source (~0.1 s) while the bare app's Textual had its .pyc files
    # from pip: an install has them, so the warm-up run writes them here too.
    for key in ("TEXTUAL", "TEXTUAL_DEVTOOLS_PORT", "NO_COLOR", "PYTHONDONTWRITEBYTECODE"):
        env.pop(key, None)
    return env


@contextmanager
def sandbox_process(
    seed: Path, *, speed: float = 1.0, unthrottled: bool = False
) -> Iterator[dict[str, Any]]:
    """Run the sandbox as its own process and yield its ready line.

    ``python -m mwstui sandbox`` at the real quotas; with ``unthrottled`` the bench's
    ``tests.bench.serve`` (the same sandbox with its server-side throttle lifted).
    """
    module = ["tests.bench.serve", "--unthrottled"] if unthrottled else ["mwstui", "sandbox"]
    cmd = [PYTHON, "-m", *module, "--seed", str(seed), "--speed", str(speed)]
    with tempfile.TemporaryDirectory(prefix="mwstui-bench-") as home:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=bench_env(Path(home)), stdout=subprocess.PIPE, text=True
        )
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError(f"sandbox did not start: {' '.join(cmd)}")
            yield json.loads(line)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def mws_session(
    ready: dict[str, Any],
    clock: Clock,
    *,
    governor: Governor | None = None,
    journal: Any = None,
) -> Session:
    """A session on a served sandbox, from its ready line, through the one factory."""
    target = MWSTarget(
        endpoint=ready["mws_endpoint"],
        access_key=ready["access_key"],
        secret_key=Secret(ready["secret_key"]),
        seller_id=ready["seller_id"],
        marketplace_id=ready["marketplace_id"],
        credential_source="sandbox demo",
    )
    return build_session(
        clock=clock,
        profile="bench",
        mws=target,
        governor=governor,
        journal=journal,
        sandbox=True,
    )


def machine() -> dict[str, str]:
    """Where the figures were taken."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024**2:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpus": str(os.cpu_count()),
        "cpu": model,
        "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "textual": version("textual"),
        "httpx": version("httpx"),
        "uvicorn": version("uvicorn"),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def profile_top(path: Path, limit: int = 15, sort: str = "tottime") -> str:
    """The top entries of a cProfile dump, as text for RESULTS.md."""
    import io
    import pstats

    out = io.StringIO()
    stats = pstats.Stats(str(path), stream=out)
    stats.strip_dirs().sort_stats(sort).print_stats(limit)
    text = out.getvalue()
    # Keep the table only (from the column header on).
    start = text.find("   ncalls")
    return text[start:].rstrip() if start >= 0 else text.rstrip()


def write_profile(name: str, text: str) -> Path:
    """Save a profile excerpt under tests/bench/profiles/ (linked from RESULTS.md)."""
    directory = Path(__file__).parent / "profiles"
    directory.mkdir(exist_ok=True)
    path = directory / f"{name}.txt"
    path.write_text(text + "\n", "utf-8")
    return path
