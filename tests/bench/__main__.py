"""Run the benches: ``.venv/bin/python -m tests.bench [NAME ...] [--quick] [--no-write]``.

NAME is any of throttle, biglist, download, startup, idle, spapi (default: all, ~20 minutes).
Each bench runs in its own process and prints its figures beside their targets; the
table is then written between the markers of tests/bench/RESULTS.md (the analysis
around it is kept). ``--quick`` shrinks every workload for a smoke test (its figures
are not comparable and are never written). Not part of ``pytest``: nothing here is
named ``test_*`` and pyproject's ``norecursedirs`` skips this folder.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.common import PYTHON, ROOT, Figure, load, machine, save

BENCHES = {
    "throttle": ("tests.bench.throttle_bench", "1. Throttle efficiency at the real quotas"),
    "biglist": ("tests.bench.biglist_bench", "2. Big lists: 10,000 fulfillment orders"),
    "download": ("tests.bench.download_bench", "3. Large report: 1 GiB GetReport to disk"),
    "startup": ("tests.bench.startup_bench", "4. Start-up to first report rows"),
    "idle": ("tests.bench.idle_bench", "5. Idle cost"),
    "spapi": ("tests.bench.spapi_bench", "6. SP-API at the default rates"),
}
RESULTS = Path(__file__).parent / "RESULTS.md"
FIGURES = Path(__file__).parent / "results.json"
"""The figures behind RESULTS.md, so running one bench keeps the others' last figures."""
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
COMMAND = ".venv/bin/python -m tests.bench"


def table(figures: list[Figure]) -> str:
    lines = []
    for name, (_module, title) in BENCHES.items():
        rows = [f for f in figures if f.bench == name]
        if not rows:
            continue
        lines += [
            f"**{title}**",
            "",
            "| figure | value | target | | notes |",
            "|---|---:|---|---|---|",
        ]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in f.cells()) + " |" for f in rows]
        lines.append("")
    return "\n".join(lines)


def section(figures: list[Figure], elapsed: float, names: list[str]) -> str:
    m = machine()
    missed = sum(1 for f in figures if f.ok is False)
    met = sum(1 for f in figures if f.ok)
    which = "" if len(names) == len(BENCHES) else " " + " ".join(names)
    partial = "" if not which else " (the other benches' figures are from an earlier run)"
    return "\n".join(
        [
            BEGIN,
            f"Command: `{COMMAND}{which}` (took {elapsed / 60:.1f} min){partial}. "
            f"Targets met: {met}, missed: {missed}.",
            "",
            f"Machine: {m['cpus']} × {m['cpu']}, {m['memory']}, {m['os']}; Python {m['python']}, "
            f"Textual {m['textual']}, httpx {m['httpx']}, uvicorn {m['uvicorn']}; {m['date']}; "
            f"load average at the end {m['load']} (1, 5, 15 min).",
            "",
            table(figures),
            END,
        ]
    )


def write(text: str) -> None:
    old = RESULTS.read_text("utf-8") if RESULTS.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    head, _, rest = old.partition(BEGIN)
    _, _, tail = rest.partition(END)
    RESULTS.write_text(head + text + tail, "utf-8")


def main() -> int:
    p = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    p.add_argument("names", nargs="*", choices=[[], *BENCHES], metavar="NAME")
    p.add_argument("--quick", action="store_true", help="small workloads (smoke test)")
    p.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = p.parse_args()
    names = args.names or list(BENCHES)
    figures: list[Figure] = []
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mwstui-bench-") as tmp:
        for name in names:
            module, title = BENCHES[name]
            print(f"\n== {title}", flush=True)
            out = Path(tmp) / f"{name}.json"
            cmd = [PYTHON, "-m", module, "--json", str(out), *(["--quick"] if args.quick else [])]
            done = subprocess.run(cmd, cwd=ROOT, check=False)
            if done.returncode != 0 or not out.exists():
                print(f"{name}: failed (exit {done.returncode})", file=sys.stderr)
                figures.append(Figure(name, f"{title}: bench failed", None, "", "runs", False))
                continue
            figures += load(out)
    elapsed = time.monotonic() - start
    text = section(figures, elapsed, names)
    print("\n" + text)
    if not args.quick and not args.no_write:
        kept = [f for f in load(FIGURES) if f.bench not in names] if FIGURES.exists() else []
        merged = sorted(kept + figures, key=lambda f: list(BENCHES).index(f.bench))
        save(merged, FIGURES)
        write(section(merged, elapsed, names))
    return 1 if any(f.ok is False for f in figures) else 0


if __name__ == "__main__":
    raise SystemExit(main())
