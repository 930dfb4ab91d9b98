"""The start-up bench's traced launch runs and names each phase (its wrappers follow the code)."""

from __future__ import annotations

import shutil

import pytest

from tests.bench.startup_bench import trace

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def test_the_traced_launch_marks_every_phase_up_to_the_first_rows() -> None:
    table = trace()
    phases = [row.split(" | ")[-1].rstrip(" |") for row in table.splitlines()[2:]]
    expected = [
        "imports done",
        "session built",
        "app constructed",
        "GetReportRequestList answered",
        "a page of",
        "first rows on screen",
    ]
    found = [next((i for i, p in enumerate(phases) if e in p), -1) for e in expected]
    assert -1 not in found, table
    assert found == sorted(found), table
