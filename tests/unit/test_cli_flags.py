"""Flags that do not combine are usage errors; the dashboard needs a terminal."""

from __future__ import annotations

import pytest

from mwstui import cli


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--seed", "/nonexistent"], "--seed only works with --sandbox"),
        (["--faults", "x"], "--faults only works with --sandbox"),
        (["--sandbox", "--profile", "us"], "--sandbox and --profile do not combine"),
        (["--sandbox", "doctor"], "--sandbox does not apply to 'doctor'"),
        (["--sandbox", "profile", "list"], "--sandbox does not apply to 'profile'"),
    ],
)
def test_flags_that_do_not_combine_are_usage_errors(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("mwstui: error: ") and fragment in err


def test_the_sandbox_subcommand_keeps_its_own_seed() -> None:
    args = cli._parser().parse_args(["sandbox", "--seed", "s.json"])
    assert cli.flag_conflict(args) is None
    assert args.dashboard_seed is None


def test_the_dashboard_refuses_a_pipe(capsys: pytest.CaptureFixture[str]) -> None:
    # Under pytest stdout is captured: not a terminal, as in `mwstui --sandbox | tail`.
    assert cli.main(["--sandbox"]) == 1
    assert "mwstui needs a terminal" in capsys.readouterr().err


def test_sellercenter_user_agent_is_seller_language_version() -> None:
    import sys

    from mwstui.sellercenter.http import seller_user_agent

    lang = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert seller_user_agent("SELLER123") == f"SELLER123/Python/{lang}"
    assert seller_user_agent(None) is None and seller_user_agent("  ") is None
