"""``guwah backup``: an encrypted, consistent copy that opens with the same passphrase."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, Cli
from tests.helpers import error_line, ok, stats

ILHAM = SAMPLE / "cases" / "001-ilham-tohti-sentenced.yaml"


def test_a_backup_opens_with_the_passphrase_and_holds_no_plaintext(
    cli_archive: Cli, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "sqlite":
        assert "pg_dump" in error_line(cli_archive("backup", "--out", str(tmp_path / "b.db")))
        return
    ok(cli_archive("add", str(ILHAM)))
    before = stats(cli_archive)
    out = tmp_path / "backups" / "copy.db"
    out.parent.mkdir()

    ok(cli_archive("backup", "--out", str(out)))

    files = sorted(p.name for p in out.parent.iterdir())
    assert files == ["copy.db", "copy.db.keys"]
    for path in out.parent.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        body = path.read_bytes()
        for word in ("Ilham", "Tohti", "Beijing", "SQLite format"):
            assert word.encode() not in body, (path.name, word)
    copy = Cli(str(out), monkeypatch)
    assert stats(copy) == before
    monkeypatch.setenv("GUWAH_PASSPHRASE", "not the passphrase")
    assert "wrong passphrase" in error_line(copy("stats"))


def test_a_backup_never_overwrites(cli_archive: Cli, backend: str, tmp_path: Path) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL archives are backed up with pg_dump")
    out = tmp_path / "copy.db"
    (tmp_path / "copy.db.keys").write_text("someone else's key file")
    assert "already exists" in error_line(cli_archive("backup", "--out", str(out)))
    assert not out.exists()
    assert (tmp_path / "copy.db.keys").read_text() == "someone else's key file"
