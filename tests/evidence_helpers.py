"""What the evidence tests share: where the blobs are, and adding a file from the CLI."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.helpers import json_of

MARKER = ".guwah-archive"


def evidence_folder(
    cli: Cli, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The archive's evidence folder; a PostgreSQL archive gets one by GUWAH_EVIDENCE_DIR."""
    if backend == "postgres":
        folder = tmp_path / "evidence-store"
        monkeypatch.setenv("GUWAH_EVIDENCE_DIR", str(folder))
        return folder
    return Path(cli.location + ".evidence")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def add(cli: Cli, path: Path, *options: str) -> dict[str, Any]:
    data: dict[str, Any] = json_of(cli, "evidence", "add", str(path), *options)
    return data


def blobs_in(folder: Path) -> list[Path]:
    """The stored blobs (not the marker)."""
    if not folder.exists():
        return []
    return sorted(p for p in folder.iterdir() if p.name != MARKER)


def forms(canary: str) -> list[bytes]:
    """A text as it could appear in a file: UTF-8, UTF-16 (both orders), base64."""
    raw = canary.encode("utf-8")
    return [
        raw,
        canary.encode("utf-16-le"),
        canary.encode("utf-16-be"),
        base64.b64encode(raw),
    ]


def custody_actions(cli: Cli, evidence_id: str) -> list[str]:
    shown = json_of(cli, "evidence", "show", evidence_id)
    return [entry["action"] for entry in shown["custody"]]
