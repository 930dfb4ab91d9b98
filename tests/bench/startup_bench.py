"""Bench 4: launch to first report rows on screen, in a real tmux pane.

``python -m mwstui --sandbox`` against ``python -m tests.bench.bare_app`` (tabs and a
100-row table), each started in a fresh detached tmux server; the pane is captured every
10 ms until a report request id (11 digits) is on screen. One warm-up run each, then
the median of the rest.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shlex
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from tests.bench.common import (
    PYTHON,
    ROOT,
    Figure,
    bench_env,
    dump,
    info,
    median,
    profile_top,
    target,
    write_profile,
)

BENCH = "startup"
ROW = re.compile(r"\b\d{11}\b")
"""A report request id: the first row is on screen."""
POLL = 0.010
EXITED = "__EXITED__"
TIMEOUT = 60.0


def _cpu_seconds(tmux: list[str], env: dict[str, str]) -> float:
    """CPU (user + sys, every thread) the pane's python has used so far; NaN if unknown.

    Unlike the wall time, this does not grow when other processes share the cores: the
    ratio of two launches' CPU is the start-up ratio on an idle machine, near enough.
    """
    shell = subprocess.run(
        [*tmux, "list-panes", "-F", "#{pane_pid}"], env=env, capture_output=True, text=True
    ).stdout.split()
    children = Path(f"/proc/{shell[0]}/task/{shell[0]}/children") if shell else None
    try:
        pids = children.read_text().split() if children else []
        fields = Path(f"/proc/{pids[0]}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def launch_to_rows(
    module: list[str], *, profile: Path | None = None, cpu: list[float] | None = None
) -> tuple[float, float]:
    """Seconds from starting ``python -m MODULE`` in a tmux pane to a row on screen.

    Args:
        module: what ``python -m`` runs.
        profile: run it under cProfile, writing here (and quit after the rows).
        cpu: gets the CPU seconds the process had used when the rows were seen.

    Returns:
        The seconds, and the epoch time of the launch (to place a trace's marks).
    """
    socket = f"mwstui-bench-{uuid.uuid4().hex[:8]}"
    prefix = ["-m", "cProfile", "-o", str(profile)] if profile else []
    cmd = shlex.join([PYTHON, *prefix, "-m", *module])
    with tempfile.TemporaryDirectory(prefix="mwstui-bench-") as home:
        env = bench_env(Path(home))
        tmux = ["tmux", "-L", socket]
        # The pane stays after an exit, so a crash shows its message instead of a timeout.
        line = f"cd {shlex.quote(str(ROOT))} && {cmd}; echo {EXITED}$?; sleep 60"
        start = time.monotonic()
        launched = time.time()
        subprocess.run(
            [*tmux, "new-session", "-d", "-x", "120", "-y", "40", line],
            env=env,
            check=True,
        )
        try:
            while True:
                screen = subprocess.run(
                    [*tmux, "capture-pane", "-p"], env=env, capture_output=True, text=True
                ).stdout
                if ROW.search(screen):
                    elapsed = time.monotonic() - start
                    if cpu is not None:
                        cpu.append(_cpu_seconds(tmux, env))
                    break
                if EXITED in screen or time.monotonic() - start > TIMEOUT:
                    raise RuntimeError(f"no rows on screen:\n{screen}")
                time.sleep(POLL)
            if profile is not None:  # quit cleanly so cProfile writes its file
                subprocess.run([*tmux, "send-keys", "q"], env=env, check=False)
                deadline = time.monotonic() + 30
                # The shell prints the marker once python has exited: the file is complete
                # (a file that merely exists may still be half written on a busy machine).
                while time.monotonic() < deadline:
                    shown = subprocess.run(
                        [*tmux, "capture-pane", "-p"], env=env, capture_output=True, text=True
                    ).stdout
                    if EXITED in shown:
                        break
                    time.sleep(0.1)
        finally:
            subprocess.run([*tmux, "kill-server"], env=env, capture_output=True, check=False)
    return elapsed, launched


def trace() -> str:
    """Where the time goes: one traced launch of ``mwstui --sandbox``, phase by phase.

    Wall time from the launch, and the CPU the process (every thread) had used: on a
    loaded machine the CPU column is the one to compare.
    """
    with tempfile.TemporaryDirectory(prefix="mwstui-bench-") as tmp:
        marks = Path(tmp) / "marks.txt"
        cpu: list[float] = []
        elapsed, launched = launch_to_rows(["tests.bench.startup_trace", str(marks)], cpu=cpu)
        lines = [ln.split(" ", 2) for ln in marks.read_text().splitlines()]
    rows = ["| at (s) | step (s) | CPU (s) | CPU step (s) | phase |", "|---:|---:|---:|---:|---|"]
    previous = previous_cpu = 0.0
    events = [
        (float(t) - launched, float(c), what)
        for t, c, what in lines
        if float(t) - launched <= elapsed
    ]
    events.append((elapsed, cpu[0], "first rows on screen (tmux capture)"))
    for at, used, what in events:
        rows.append(
            f"| {at:.3f} | {at - previous:.3f} | {used:.3f} | {used - previous_cpu:.3f} | {what} |"
        )
        previous, previous_cpu = at, used
    return "\n".join(rows)


def run(quick: bool) -> list[Figure]:
    rounds = 2 if quick else 5
    apps = {"mwstui": ["mwstui", "--sandbox"], "bare": ["tests.bench.bare_app"]}
    times: dict[str, list[float]] = {name: [] for name in apps}
    cpu: dict[str, list[float]] = {name: [] for name in apps}
    for module in apps.values():
        launch_to_rows(module)  # warm-up: disk cache, .pyc files
    for _ in range(rounds):  # interleaved, so a noisy moment hits both
        for name, module in apps.items():
            times[name].append(launch_to_rows(module, cpu=cpu[name])[0])
    mws, bare = median(times["mwstui"]), median(times["bare"])
    ratio = mws / bare
    spread = ", ".join(f"{t:.2f}" for t in times["mwstui"])
    figures = [
        target(
            BENCH,
            "launch to first report rows, vs bare Textual app",
            ratio,
            "×",
            "<=",
            1.5,
            f"mwstui --sandbox {mws:.2f} s (runs: {spread}), bare {bare:.2f} s; median of {rounds}",
        ),
        info(BENCH, "mwstui --sandbox: launch to first rows", mws, "s"),
        info(BENCH, "bare app: launch to first rows", bare, "s"),
        info(
            BENCH,
            "CPU to first rows, mwstui / bare (diagnostic)",
            median(cpu["mwstui"]) / median(cpu["bare"]),
            "×",
            f"mwstui {median(cpu['mwstui']):.2f} s, bare {median(cpu['bare']):.2f} s of CPU "
            "(user + sys, all threads; median): what the ratio would be on an idle machine",
        ),
    ]
    if ratio > 1.5:
        text = "Traced launch of mwstui --sandbox (phase marks):\n\n" + trace()
        with tempfile.TemporaryDirectory(prefix="mwstui-bench-") as tmp:
            prof = Path(tmp) / "startup.prof"
            launch_to_rows(apps["mwstui"], profile=prof)
            if prof.exists():
                text += "\n\ncProfile of one launch (quit right after the rows), by own time:\n\n"
                text += profile_top(prof, 20)
        path = write_profile("startup", text)
        figures[0].note += f"; profile: {path.relative_to(ROOT)}"
    return figures


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.startup_bench")
    p.add_argument("--json", type=Path)
    p.add_argument("--quick", action="store_true", help="two runs each (smoke test)")
    args = p.parse_args()
    dump(run(args.quick), args.json)


if __name__ == "__main__":
    main()
