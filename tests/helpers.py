"""Small helpers the behavioural tests share (no fixtures here: those live in conftest)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import SAMPLE, Cli, Result

CASES = sorted((SAMPLE / "cases").glob("*.yaml"))
LISTS = SAMPLE / "lists"


def ok(result: Result) -> Result:
    """The result, after checking the command succeeded (its stderr shown if not)."""
    assert result.exit_code == 0, result.stderr
    return result


def json_of(cli: Cli, *args: str) -> Any:
    return json.loads(ok(cli(*args, "--json")).stdout)


def stats(cli: Cli) -> dict[str, Any]:
    data: dict[str, Any] = json_of(cli, "stats")
    return data


def error_line(result: Result) -> str:
    """The one line a user-caused error prints; fails on a traceback or a wordy message."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def sha256_files(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def person_ids_named(cli: Cli, text: str) -> list[str]:
    return [row["id"] for row in json_of(cli, "search", text, "--limit", "500")]
