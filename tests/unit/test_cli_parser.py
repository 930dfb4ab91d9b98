"""The command line: subcommands imported only when used, help unchanged by the laziness."""

from __future__ import annotations

import argparse
import subprocess
import sys
from importlib import import_module

import pytest

from mwstui import cli


def subcommands(parser: argparse.ArgumentParser) -> cli._LazySubcommands:
    found = [a for a in parser._actions if isinstance(a, cli._LazySubcommands)]
    assert len(found) == 1
    return found[0]


def eager_parser() -> argparse.ArgumentParser:
    """The parser with every command's real subparser built, as before the laziness."""
    parser = cli._parser()
    sub = subcommands(parser)
    for name in cli.SUBCOMMANDS:
        sub.load(name)
    return parser


def test_top_level_help_is_what_the_commands_themselves_say() -> None:
    lazy, eager = cli._parser(), eager_parser()
    assert lazy.format_help() == eager.format_help()
    assert lazy.format_usage() == eager.format_usage()
    listed = {a.dest: a.help for a in subcommands(eager)._choices_actions}
    assert listed == {name: text for name, (_, text) in cli.SUBCOMMANDS.items()}


def test_the_dashboard_imports_no_command_module() -> None:
    code = (
        "import sys\n"
        "from mwstui.cli import _parser\n"
        "args = _parser().parse_args(['--sandbox', '--read-only'])\n"
        "assert args.sandbox and args.read_only and args.command is None\n"
        "mods = [m for m in cli_mods if m in sys.modules]\n"
        "print(mods)\n"
    )
    mods = [module for module, _ in cli.SUBCOMMANDS.values()] + ["keyring"]
    done = subprocess.run(
        [sys.executable, "-c", f"cli_mods = {mods!r}\n{code}"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("argv", "module", "expected"),
    [
        (["journal", "--limit", "5", "--unknown"], "mwstui.commands.journal_cmd", {"limit": 5}),
        (["doctor", "--offline"], "mwstui.commands.doctor", {"offline": True}),
        (["profile", "list"], "mwstui.commands.profile", {"profile_command": "list"}),
        (["sandbox", "--port", "0"], "mwstui.sandbox.command", {"port": 0}),
    ],
)
def test_a_command_gets_its_real_parser_and_handler(
    argv: list[str], module: str, expected: dict[str, object]
) -> None:
    args = cli._parser().parse_args(argv)
    assert args.command == argv[0]
    assert args.handler is import_module(module).run
    assert {k: getattr(args, k) for k in expected} == expected


def test_a_command_s_own_errors_and_help_still_come_from_its_parser(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as done:
        cli._parser().parse_args(["journal", "--limit", "x"])
    assert done.value.code == 2
    assert "mwstui journal: error: argument --limit" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli._parser().parse_args(["doctor", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: mwstui doctor") and "--offline" in out


def test_an_unknown_command_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli._parser().parse_args(["bogus"])
    err = capsys.readouterr().err
    assert "invalid choice: 'bogus'" in err
    assert "'sandbox', 'profile', 'doctor', 'journal'" in err
