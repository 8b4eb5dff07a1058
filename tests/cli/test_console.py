"""The console entry (``pondstats`` / ``python -m pondstats``) in a real process:
it ends without the interpreter's teardown, so check it loses no output and
keeps the exit codes; and every command's help reads as printed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pondstats.cli import build_parser, main

COMMANDS = sorted(build_parser().commands)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pondstats", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_console_prints_what_main_prints_and_exits_0(capsys):
    args = ["zones", "--month", "2026-10", "--lang", "en"]
    assert main(args) == 0
    expected = capsys.readouterr().out
    done = _cli(*args)
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected  # every line reaches the pipe
    assert "北岭县" in done.stdout and "persistently weak" in done.stdout


def test_console_error_exit_code_and_message():
    done = _cli("zones", "--month", "2026-13")
    assert done.returncode == 2
    assert "argument --month: expected a month as YYYY-MM" in done.stderr
    assert "Traceback" not in done.stderr


def test_console_output_larger_than_a_pipe_buffer():
    """200 kB written before the command ends, well over the 64 KiB a pipe
    holds, arrive whole, then the command's own output."""
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys\n"
         "from pondstats.cli import console\n"
         "sys.stdout.write('x' * 200_000 + '\\n')\n"
         "console(['--version'])"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("x" * 200_000 + "\n")
    assert "pondstats" in done.stdout.splitlines()[-1]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_no_unformatted_percent(command, capsys):
    """A description is printed as written (argparse %-formats only the
    options' help): "95%%" there showed as "95%%"."""
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "%%" not in out
    assert "usage: pondstats " + command in out


@pytest.mark.parametrize("command", ["funnel", "report", "rates"])
def test_an_unknown_option_is_named_by_its_command(command, capsys):
    # the command's own usage, not the top level's: that is the --help that helps
    assert main([command, "--month-of", "2026-10"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"pondstats {command}: error: unrecognized arguments: --month-of 2026-10\n"
    )
    assert err.rstrip().endswith(f"see 'pondstats {command} --help'")
