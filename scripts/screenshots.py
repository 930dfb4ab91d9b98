"""Write one SVG per panel, the confirmation dialog and the SP-API panel, to screenshots/.

Uses the same harness as the snapshot tests (tests/ui/harness.py): the in-process
sandbox on a fake clock at a fixed instant, so the images are reproducible.

Usage: .venv/bin/python scripts/screenshots.py [OUTPUT_DIR]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

# The harness lives with the tests; run from anywhere in the checkout.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.ui.harness import SCENES, SIZE, make_app, scene_session  # noqa: E402

TITLES = {
    "reports": "mwstui — Report requests",
    "schedules": "mwstui — Schedules",
    "fulfillment": "mwstui — Fulfillment orders",
    "sellercenter": "mwstui — SellerCenter orders",
    "activity": "mwstui — Activity",
    "confirm": "mwstui — confirming a cancellation",
    "spapi-fulfillment": "mwstui — Fulfillment orders on SP-API",
}


async def shoot(name: str, workdir: Path) -> str:
    """Run the app on a fresh sandbox, bring it to scene ``name``; return the SVG."""
    app = make_app(scene_session(name, workdir).session)
    async with app.run_test(size=SIZE) as pilot:
        await SCENES[name](pilot)
        return app.export_screenshot(title=TITLES.get(name, "mwstui"))


def main(out: Path) -> int:
    """Write every scene to ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name in SCENES:
        with tempfile.TemporaryDirectory() as work:
            svg = asyncio.run(shoot(name, Path(work)))
        path = out / f"{name}.svg"
        path.write_text(svg, encoding="utf-8")
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots"))
