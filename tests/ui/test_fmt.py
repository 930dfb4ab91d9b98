"""Short renderings used by the budget and status lines."""

from __future__ import annotations

import pytest

from mwstui.ui.text import fmt


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, ""),
        (0, "0s"),
        (0.2, "1s"),
        (45, "45s"),
        (185, "3m05s"),
        (7500, "2h05m"),
        (273600, "3d04h"),
    ],
)
def test_duration(seconds: float | None, text: str) -> None:
    assert fmt.duration(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "never"),
        (0, "just now"),
        (9.9, "just now"),
        (10, "10 s ago"),
        (12, "10 s ago"),
        (59, "50 s ago"),
        (125, "2 min ago"),
        (7300, "2 h ago"),
    ],
)
def test_ago(seconds: float | None, text: str) -> None:
    assert fmt.ago(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"), [(38, "38 s"), (185, "3 min 05 s"), (7500, "2 h 05 min")]
)
def test_spoken(seconds: float, text: str) -> None:
    assert fmt.spoken(seconds) == text


@pytest.mark.parametrize(("seconds", "text"), [(30, "<1m"), (2700, "45m"), (11130, "3h05m")])
def test_coarse(seconds: float, text: str) -> None:
    assert fmt.coarse(seconds) == text


def test_token_bar_never_rounds_away_a_difference() -> None:
    assert fmt.token_bar(10, 10, 8) == "█" * 8
    assert fmt.token_bar(0, 10, 8) == "░" * 8
    assert fmt.token_bar(9.9, 10, 8).count("░") == 1
    assert fmt.token_bar(0.1, 10, 8).count("█") == 1
    assert len(fmt.token_bar(3.3, 10, 6)) == 6


def test_tokens_figure() -> None:
    assert fmt.tokens_figure(7, 10) == "7/10"
    assert fmt.tokens_figure(7.46, 10) == "7.4/10"
    assert fmt.tokens_figure(10, 10) == "10/10"
