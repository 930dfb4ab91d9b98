"""The sandbox served like ``mwstui sandbox``, optionally with its server-side throttle lifted.

Only for benches that measure what the UI costs apart from the throttle's pacing:
``python -m tests.bench.serve --seed FILE [--speed X] [--unthrottled]``.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from pathlib import Path

from mwstui.catalog import Operation
from mwstui.sandbox.mws.throttle import QuotaHeaders
from mwstui.sandbox.sandbox import Sandbox
from mwstui.sandbox.serve import serve_in_thread


class NoThrottle:
    """Stands in for ServerThrottle: every call is accepted, nothing is spent."""

    def charge(self, seller: str, op: Operation) -> QuotaHeaders | None:
        return None


def main() -> int:
    p = argparse.ArgumentParser(prog="python -m tests.bench.serve")
    p.add_argument("--seed", type=Path, required=True)
    p.add_argument("--speed", type=float, default=1.0)
    p.add_argument("--unthrottled", action="store_true")
    args = p.parse_args()
    sandbox = Sandbox.create(seed=args.seed, speed=args.speed)
    if args.unthrottled:
        sandbox.mws.throttle = NoThrottle()  # type: ignore[assignment]
    stop = threading.Event()
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, lambda *_: stop.set())
    with serve_in_thread(sandbox) as served:
        print(json.dumps(served.ready_info()), flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
