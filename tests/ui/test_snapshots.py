"""SVG snapshots of every panel and of the confirmation dialog, from the screenshot harness.

Deterministic: a FakeClock at a fixed instant, the sandbox's seeded demo data, and ages
rendered from the injected clock. Update with ``pytest tests/ui/test_snapshots.py
--snapshot-update`` after checking the new SVGs by eye.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.ui.harness import SCENES, SIZE, make_app, sandbox_session, scene_session, settle


@pytest.mark.parametrize("scene", sorted(SCENES))
def test_scene(scene: str, tmp_path: Path, snap_compare: Callable[..., bool]) -> None:
    h = scene_session(scene, tmp_path)
    assert snap_compare(make_app(h.session), terminal_size=SIZE, run_before=SCENES[scene])


def test_read_only_reports(tmp_path: Path, snap_compare: Callable[..., bool]) -> None:
    h = sandbox_session(tmp_path, read_only=True)
    assert snap_compare(make_app(h.session), terminal_size=SIZE, run_before=settle)


def test_too_small(tmp_path: Path, snap_compare: Callable[..., bool]) -> None:
    h = sandbox_session(tmp_path)
    assert snap_compare(make_app(h.session), terminal_size=(70, 20), run_before=settle)


def test_minimum_size(tmp_path: Path, snap_compare: Callable[..., bool]) -> None:
    h = sandbox_session(tmp_path)
    assert snap_compare(make_app(h.session), terminal_size=(80, 24), run_before=settle)
