"""The documentation keeps up with the command line: every command and option has help
text, and every top-level command has its own section in docs/cli.md."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from guwah.cli.app import app
from tests.conftest import Cli

CLI_DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _commands() -> list[tuple[str, Any]]:
    """Every command and subcommand as (its full name, the click command)."""
    found: list[tuple[str, Any]] = []

    def walk(command: Any, path: str) -> None:
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            full = f"{path} {name}".strip()
            found.append((full, sub))
            walk(sub, full)

    walk(typer.main.get_command(app), "")
    return found


COMMANDS = _commands()
TOP_LEVEL = sorted(name for name, _ in COMMANDS if " " not in name)


def test_the_command_tree_is_found() -> None:
    names = {name for name, _ in COMMANDS}
    expected = {"init", "add", "import", "export", "show", "search", "stats", "claim"}
    assert expected <= names
    assert {"claim accept", "claim reject", "claim correct"} <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_has_help(name: str, command: Any) -> None:
    assert (command.help or "").strip(), f"guwah {name} has no help text"
    for param in command.params:
        if param.name == "help":
            continue
        assert (getattr(param, "help", None) or "").strip(), f"guwah {name}: {param.name}"


def test_help_is_shown_for_every_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli = Cli(str(tmp_path / "unused.db"), monkeypatch)
    for name, command in COMMANDS:
        result = cli(*name.split(), "--help", db=False)
        assert result.exit_code == 0, (name, result.stderr)
        first_line = command.help.strip().splitlines()[0]
        assert " ".join(first_line.split()[:3]) in " ".join(result.stdout.split()), name


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_every_top_level_command_has_a_section_in_docs_cli(name: str) -> None:
    assert CLI_DOC.is_file(), "docs/cli.md is missing"
    lines = CLI_DOC.read_text(encoding="utf-8").splitlines()
    headings = [line for line in lines if line.startswith("#")]
    pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")
    assert any(pattern.search(h) for h in headings), f"no heading for `guwah {name}` in docs/cli.md"


def test_every_subcommand_is_mentioned_in_docs_cli() -> None:
    assert CLI_DOC.is_file(), "docs/cli.md is missing"
    text = " ".join(CLI_DOC.read_text(encoding="utf-8").split())
    for name, _ in COMMANDS:
        if " " in name:
            assert name in text, f"`guwah {name}` is not in docs/cli.md"
