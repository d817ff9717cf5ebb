"""The SQLite archive is encrypted at rest: no name or quote is readable in any of its files,
neither after the work is done nor while a write is in progress (the rollback journal)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from guwah.services.archive import Archive
from guwah.services.testimony import add_document, read_document
from tests.conftest import SAMPLE, Cli
from tests.helpers import CASES, ok

# Text from the sample cases, in each script, and a quote.
SECRETS = [
    "Ilham",
    "Tohti",
    "Гүлбаһар Жәлилова",  # Cyrillic (023)
    "جەۋھەر ئىلھام",  # Uyghur Arabic (002)
    "伊力哈木",  # Chinese (001)
    "Taken from his home in Beijing",  # a quote (001)
    "Қанымгүл Сәрсенбайқызы",  # a fictional victim (041)
    "Гүлнұр Бекболатқызы",  # a restricted testifier (041)
]


def _leaks(folder: Path) -> list[tuple[str, str]]:
    found = []
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        for secret in SECRETS:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                if secret.encode(encoding) in data:
                    found.append((path.name, secret))
    return found


def _skip_unless_sqlite(backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("encryption at rest is SQLCipher's; PostgreSQL is protected by its server")


def test_no_plaintext_in_any_archive_file(cli_archive: Cli, backend: str) -> None:
    _skip_unless_sqlite(backend)
    ok(cli_archive("add", *map(str, CASES)))
    ok(cli_archive("search", "Tohti"))
    folder = Path(cli_archive.location).parent

    files = sorted(p.name for p in folder.iterdir())
    assert "archive.db" in files
    head = (folder / "archive.db").read_bytes()[:16]
    assert head != b"SQLite format 3\x00"  # a plain SQLite file starts with this header
    assert _leaks(folder) == []


def test_no_plaintext_in_the_journal_during_a_write(archive: Archive, backend: str) -> None:
    _skip_unless_sqlite(backend)
    folder = Path(archive.location).parent
    for path in CASES[:3]:  # Ilham Tohti's files: names in Latin, Arabic and Chinese script
        add_document(archive, read_document(path))
    snapshots: list[dict[str, bytes]] = []

    def look_before_commit(conn: Any) -> None:  # the transaction is still open here
        snapshots.append({p.name: p.read_bytes() for p in folder.iterdir()})

    event.listen(archive.engine, "commit", look_before_commit)
    add_document(archive, read_document(SAMPLE / "cases" / "023-gulbahar-jalilova.yaml"))
    event.remove(archive.engine, "commit", look_before_commit)

    assert snapshots, "the write did not reach the point where the journal is open"
    in_flight = snapshots[0]
    assert any(name.endswith(("-journal", "-wal")) for name in in_flight), sorted(in_flight)
    for name, data in in_flight.items():
        for secret in SECRETS:
            assert secret.encode("utf-8") not in data, (name, secret)


def test_archive_and_exports_are_readable_by_the_owner_only(
    cli_archive: Cli, backend: str, tmp_path: Path
) -> None:
    out = tmp_path / "backup.jsonl"
    assert cli_archive("export", "-o", str(out)).exit_code == 0
    assert out.stat().st_mode & 0o077 == 0
    if backend == "sqlite":
        assert Path(cli_archive.location).stat().st_mode & 0o077 == 0


def test_database_errors_never_carry_record_text(archive: Archive) -> None:
    """A failing statement's message names the statement, not the values bound to it."""
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from guwah.store import tables

    row = {"namespace": "list", "ref": "Secret Witness Name", "person_id": 999}
    with pytest.raises(IntegrityError) as raised, archive.engine.begin() as conn:
        conn.execute(insert(tables.person_refs), [row, row])
    assert "Secret Witness Name" not in str(raised.value)
