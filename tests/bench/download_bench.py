"""Bench 3: GetReport of a 1 GiB report from the sandbox to disk, MD5-verified.

The sandbox runs as ``python -m mwstui sandbox`` (its own process) and streams a sized
report (ReportOptions ``SandboxReportBytes``); every download runs in a fresh client
process (``download_client``) so its peak RSS is the client's alone. mwstui's download
is compared with a bare ``httpx`` streaming download of the same bytes to disk.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from tests.bench import seeds
from tests.bench.common import (
    PYTHON,
    ROOT,
    Figure,
    bench_env,
    dump,
    info,
    median,
    profile_top,
    sandbox_process,
    target,
    write_profile,
    write_seed,
)

BENCH = "download"
GIB = 1024**3


def _client(mode: str, ready: dict[str, Any], directory: Path, home: Path,
            profile: Path | None = None) -> dict[str, Any]:  # fmt: skip
    prefix = ["-m", "cProfile", "-o", str(profile)] if profile else []
    cmd = [PYTHON, *prefix, "-m", "tests.bench.download_client", mode, json.dumps(ready),
           seeds.LARGE_REPORT_ID, str(directory)]  # fmt: skip
    done = subprocess.run(
        cmd, cwd=ROOT, env=bench_env(home), capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run(quick: bool) -> list[Figure]:
    size = GIB // 8 if quick else GIB
    rounds = 1 if quick else 3
    mb = size / 1e6
    with tempfile.TemporaryDirectory(prefix="mwstui-bench-") as tmp:
        home = Path(tmp)
        seed = write_seed(home, "large.json", seeds.large_report(size))
        with sandbox_process(seed) as ready:
            _client("bare", ready, home, home)  # warm-up: the server hashes the body once
            runs: dict[str, list[dict[str, Any]]] = {"bare": [], "mwstui": []}
            for _ in range(rounds):
                for mode in ("bare", "mwstui"):
                    runs[mode].append(_client(mode, ready, home, home))
            hashed = _client("bare-md5-fsync", ready, home, home)
            speed = {m: median([mb / r["seconds"] for r in rs]) for m, rs in runs.items()}
            ratio = speed["mwstui"] / speed["bare"]
            cpu = {m: median([r["cpu_seconds"] * GIB / size for r in rs]) for m, rs in runs.items()}
            peak = max(r["peak_rss_mb"] for r in runs["mwstui"])
            base = median([r["rss_start_mb"] for r in runs["mwstui"]])
            figures = [
                target(
                    BENCH,
                    f"{size / GIB:g} GiB GetReport: throughput vs bare httpx",
                    ratio,
                    "×",
                    ">=",
                    0.9,
                    f"mwstui {speed['mwstui']:.0f} MB/s, bare {speed['bare']:.0f} MB/s "
                    f"(median of {rounds})",
                ),
                target(
                    BENCH,
                    "peak RSS of the downloading process",
                    peak,
                    "MB",
                    "<=",
                    100,
                    f"{base:.0f} MB of it before the download (imports)",
                ),
                info(
                    BENCH,
                    "bare httpx + MD5 + fsync (diagnostic)",
                    mb / hashed["seconds"],
                    "MB/s",
                    "the bare loop doing mwstui's extra work inline",
                ),
                info(
                    BENCH, "peak RSS, bare httpx", max(r["peak_rss_mb"] for r in runs["bare"]), "MB"
                ),
                info(
                    BENCH,
                    "client CPU per GiB, mwstui / bare (diagnostic)",
                    cpu["mwstui"] / cpu["bare"],
                    "×",
                    f"mwstui {cpu['mwstui']:.2f} s, bare {cpu['bare']:.2f} s (user + sys, all "
                    "threads, request to rename; median): on a busy machine the rate follows it",
                ),
            ]
            if ratio < 0.9:
                prof = home / "download.prof"
                _client("mwstui", ready, home, home, profile=prof)
                text = profile_top(prof)
                path = write_profile("download", text)
                figures[0].note += f"; profile: {path.relative_to(ROOT)}"
    return figures


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.download_bench")
    p.add_argument("--json", type=Path)
    p.add_argument("--quick", action="store_true", help="a 128 MiB report (smoke test)")
    args = p.parse_args()
    dump(run(args.quick), args.json)


if __name__ == "__main__":
    main()
