"""A panel's auto-refresh: due only when loaded, not paused and old enough; ``i`` cycles."""

from __future__ import annotations

from mwstui.ui.auto_refresh import AUTO_REFRESH_CHOICES, AutoRefresh


def test_due_only_when_loaded_unpaused_and_old_enough() -> None:
    policy = AutoRefresh(60.0)
    assert not policy.due(100.0, None)  # never loaded: the first load is not its to start
    assert not policy.due(159.9, 100.0)
    assert policy.due(160.0, 100.0)
    policy.toggle_pause()
    assert not policy.due(1000.0, 100.0) and policy.label() == "auto-refresh paused (p)"
    policy.toggle_pause()
    assert policy.due(1000.0, 100.0) and policy.label() == "auto 1 min (p)"


def test_cycle_goes_to_the_next_longer_interval_then_wraps() -> None:
    policy = AutoRefresh(45.0)
    policy.cycle()
    assert policy.interval == 60.0
    seen = []
    for _ in AUTO_REFRESH_CHOICES:
        policy.cycle()
        seen.append(policy.interval)
    assert seen == [120.0, 300.0, 600.0, 30.0, 60.0]
    assert policy.label() == "auto 1 min (p)"
    policy.cycle()
    policy.cycle()
    policy.cycle()
    policy.cycle()
    assert policy.interval == 30.0 and policy.label() == "auto 30 s (p)"


def test_a_panel_without_auto_refresh_never_reloads_nor_says_so() -> None:
    policy = AutoRefresh(None)
    assert not policy.due(10_000.0, 0.0) and policy.label() is None
    policy.cycle()  # an interval, but the panel has no auto-refresh to run or show
    assert not policy.due(10_000.0, 0.0) and policy.label() is None
