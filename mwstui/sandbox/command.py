"""``mwstui sandbox``: serve the sandbox in the foreground and print one ready line of JSON."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from mwstui.errors import MwstuiError
from mwstui.sandbox.faults import parse_rules


def _fault_spec(text: str) -> str:
    try:
        parse_rules(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"not a port: {text!r}")
    return int(text)


def add_arguments(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``sandbox`` subcommand (its handler is ``run``)."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "sandbox",
        help="serve the MWS, SellerCenter and SP-API sandbox in the foreground",
        description=(
            "Serve the sandbox on loopback. When ready, print one line of JSON with the "
            "endpoints, the demo credentials and (with --tls) the CA bundle path."
        ),
    )
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default loopback)")
    p.add_argument("--port", type=_port, default=0, help="MWS port (0: a free port; default)")
    p.add_argument("--sc-port", type=_port, default=0, help="SellerCenter port (0: a free port)")
    p.add_argument(
        "--spapi-port", type=_port, default=0, help="SP-API and LWA port (0: a free port)"
    )
    p.add_argument("--tls", action="store_true", help="serve HTTPS with a generated local CA")
    p.add_argument("--seed", metavar="FILE", type=Path, help="seed file (JSON, see SEED.md)")
    p.add_argument(
        "--faults",
        metavar="SPEC",
        type=_fault_spec,
        help="faults to inject, e.g. GetReportRequestList:throttle:next=2,*:latency=3",
    )
    p.add_argument(
        "--speed", type=_speed, default=1.0, help="how fast reports and orders progress (x)"
    )
    p.add_argument(
        "--state-dir", metavar="DIR", type=Path, help="where the CA PEM goes (default: a temp dir)"
    )
    p.add_argument(
        "--dump-seed", action="store_true", help="print the expanded seed as JSON and exit"
    )
    p.set_defaults(handler=run)
    return p


def _dump_seed(seed: Path | None) -> int:
    from mwstui.sandbox.mws import demo as mws_demo
    from mwstui.sandbox.mws.seed import read_seed
    from mwstui.sandbox.spapi import demo as spapi_demo

    data = read_seed(seed)
    sellers = data.get("mws", {}).get("sellers", [])
    data.setdefault("mws", {})["sellers"] = [
        mws_demo.expand_seller(s, int(data.get("rng_seed", 0))) if "generate" in s else s
        for s in sellers
    ]
    data["spapi"] = spapi_demo.expand_section(data.get("spapi"), int(data.get("rng_seed", 0)))
    json.dump(data, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def run(args: argparse.Namespace) -> int:
    """Serve until SIGINT/SIGTERM; 0 on a clean stop.

    Raises:
        MwstuiError: a bad seed, a busy port, a server that would not start.
    """
    if args.dump_seed:
        return _dump_seed(args.seed)
    from mwstui.sandbox.sandbox import Sandbox
    from mwstui.sandbox.serve import serve_in_thread

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        sandbox = Sandbox.create(seed=args.seed, speed=args.speed, faults=args.faults)
        served = serve_in_thread(
            sandbox,
            host=args.host,
            port=args.port,
            sc_port=args.sc_port,
            tls=args.tls,
            state_dir=args.state_dir,
            spapi_port=args.spapi_port,
        )
        with served:
            if args.host not in ("127.0.0.1", "::1", "localhost"):
                print(f"mwstui: sandbox listening on {args.host}, not loopback", file=sys.stderr)
            print(json.dumps(served.ready_info()), flush=True)
            while not stop.wait(0.5):
                pass
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry point (``python -m mwstui.sandbox.command``)."""
    parser = argparse.ArgumentParser(prog="mwstui")
    sub = parser.add_subparsers(dest="command", required=True)
    add_arguments(sub)
    args = parser.parse_args(["sandbox", *(sys.argv[1:] if argv is None else argv)])
    try:
        return int(args.handler(args))
    except MwstuiError as exc:
        print(f"mwstui: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
