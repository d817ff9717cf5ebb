"""``guwah evidence verify`` catches every way a stored file or its record can be changed,
and names the evidence id: a flipped byte, a deleted or swapped blob, an unknown file,
an edited hash in the database, a removed or edited custody entry."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from guwah.secure import evidence as store
from guwah.services.archive import Archive, open_archive
from guwah.store import tables
from tests.conftest import PASSPHRASE, Cli
from tests.evidence_helpers import add, blobs_in, evidence_folder, write
from tests.helpers import error_line, json_of, ok


@pytest.fixture
def two(
    cli_archive: Cli, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Cli, Path, dict[str, Path]]:
    """An archive with two stored files of the same size; their blobs by evidence id."""
    folder = evidence_folder(cli_archive, backend, tmp_path, monkeypatch)
    blobs = {}
    for n, text in (
        (1, b"first file, thirty-two bytes!!\n"),
        (2, b"other file, thirty-two bytes!!\n"),
    ):
        before = set(blobs_in(folder))
        added = add(cli_archive, write(tmp_path / f"f{n}.txt", text))
        (blobs[added["id"]],) = set(blobs_in(folder)) - before
    assert json_of(cli_archive, "evidence", "verify")["ok"] is True
    return cli_archive, folder, blobs


@pytest.fixture
def opened(two: tuple[Cli, Path, dict[str, Path]]) -> Iterator[Archive]:
    archive = open_archive(two[0].location, PASSPHRASE, "tester")
    yield archive
    archive.close()


def problems(cli: Cli) -> list[str]:
    result = cli("evidence", "verify", "--json")
    assert result.exit_code == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is False
    found: list[str] = report["problems"]
    text = cli("evidence", "verify")
    assert text.exit_code == 1 and "Traceback" not in text.stderr
    assert all(line in text.stderr for line in found)
    return found


def test_a_flipped_byte_is_reported(two: tuple[Cli, Path, dict[str, Path]]) -> None:
    cli, _folder, blobs = two
    raw = bytearray(blobs["E-000001"].read_bytes())
    raw[len(raw) // 2] ^= 0x01
    blobs["E-000001"].write_bytes(bytes(raw))

    assert problems(cli) == [
        "E-000001: the stored file does not authenticate (altered, or another file's blob)"
    ]


def test_a_truncated_blob_is_reported(two: tuple[Cli, Path, dict[str, Path]]) -> None:
    cli, _folder, blobs = two
    blobs["E-000002"].write_bytes(blobs["E-000002"].read_bytes()[:-5])

    (line,) = problems(cli)
    assert line.startswith("E-000002: ") and "wrong size" in line


def test_a_deleted_blob_is_reported(two: tuple[Cli, Path, dict[str, Path]]) -> None:
    cli, _folder, blobs = two
    blobs["E-000002"].unlink()

    assert problems(cli) == ["E-000002: its stored file is missing"]


def test_swapped_blobs_are_reported(two: tuple[Cli, Path, dict[str, Path]]) -> None:
    cli, folder, blobs = two
    one, other = blobs["E-000001"], blobs["E-000002"]
    swap = folder / "swap"
    one.rename(swap)
    other.rename(one)
    swap.rename(other)

    found = problems(cli)

    assert [line.split(":")[0] for line in found] == ["E-000001", "E-000002"]
    assert all("does not authenticate" in line for line in found)


def test_a_blob_copied_over_another_is_reported(two: tuple[Cli, Path, dict[str, Path]]) -> None:
    cli, _folder, blobs = two
    blobs["E-000002"].write_bytes(blobs["E-000001"].read_bytes())

    assert problems(cli) == [
        "E-000002: the stored file does not authenticate (altered, or another file's blob)"
    ]


def test_an_unknown_file_in_the_folder_is_reported(two: tuple[Cli, Path, dict[str, Path]]) -> None:
    cli, folder, _blobs = two
    write(folder / ("ab" * 32), b"planted")

    assert problems(cli) == [f"a file that belongs to no evidence record: {'ab' * 32}"]


def test_edited_sealed_metadata_is_reported(
    two: tuple[Cli, Path, dict[str, Path]], opened: Archive
) -> None:
    table = tables.evidence_files
    with opened.engine.begin() as conn:
        sealed = bytearray(conn.execute(select(table.c.sealed).where(table.c.id == 1)).scalar_one())
        sealed[-3] ^= 0x40
        conn.execute(update(table).where(table.c.id == 1).values(sealed=bytes(sealed)))

    assert problems(two[0]) == ["E-000001: its sealed metadata does not open (altered)"]


def test_a_recorded_hash_changed_by_a_key_holder_is_reported(
    two: tuple[Cli, Path, dict[str, Path]], opened: Archive
) -> None:
    """Someone with the keys re-seals E-000001's metadata with another SHA-256."""
    table = tables.evidence_files
    keyring = opened.keyring()
    with opened.engine.begin() as conn:
        row = conn.execute(select(table).where(table.c.id == 1)).one()
        record = store.decode(row, keyring)
        assert record.meta is not None and record.key is not None
        forged = store.Sealed(record.meta.filename, "0" * 64, record.meta.sha512)
        conn.execute(
            update(table)
            .where(table.c.id == 1)
            .values(sealed=store.seal_meta(record.key, 1, forged))
        )

    found = problems(two[0])

    assert found[0] == "E-000001: its recorded SHA-256 does not match its storage name"
    assert all(line.startswith("E-000001: ") for line in found)


def test_keys_and_metadata_moved_between_records_are_reported(
    two: tuple[Cli, Path, dict[str, Path]], opened: Archive
) -> None:
    """E-000001 and E-000002 exchange their wrapped keys and sealed metadata."""
    table = tables.evidence_files
    columns = (table.c.wrapped_key, table.c.sealed)
    with opened.engine.begin() as conn:
        first = conn.execute(select(*columns).where(table.c.id == 1)).one()
        second = conn.execute(select(*columns).where(table.c.id == 2)).one()
        for number, row in ((1, second), (2, first)):
            conn.execute(
                update(table)
                .where(table.c.id == number)
                .values(wrapped_key=row.wrapped_key, sealed=row.sealed)
            )

    assert problems(two[0]) == [
        "E-000001: its sealed metadata does not open (altered)",
        "E-000002: its sealed metadata does not open (altered)",
    ]


def test_a_record_stripped_of_its_storage_name_is_reported(
    two: tuple[Cli, Path, dict[str, Path]], opened: Archive
) -> None:
    table = tables.evidence_files
    with opened.engine.begin() as conn:
        conn.execute(update(table).where(table.c.id == 2).values(storage_name=None))

    found = problems(two[0])

    assert found[0] == "E-000002: its storage name, key or metadata is missing from the database"
    assert found[1].startswith("a file that belongs to no evidence record: ")


def test_a_removed_custody_entry_is_reported(
    two: tuple[Cli, Path, dict[str, Path]], opened: Archive
) -> None:
    custody = tables.evidence_custody
    with opened.engine.begin() as conn:
        conn.execute(delete(custody).where(custody.c.evidence_id == 1, custody.c.seq == 2))

    assert problems(two[0]) == ["E-000001: custody entry 2 is missing"]


def test_a_removed_last_custody_entry_is_reported(
    two: tuple[Cli, Path, dict[str, Path]], opened: Archive
) -> None:
    custody = tables.evidence_custody
    with opened.engine.begin() as conn:
        last = (
            conn.execute(
                select(custody.c.seq)
                .where(custody.c.evidence_id == 2)
                .order_by(custody.c.seq.desc())
            )
            .scalars()
            .first()
        )
        conn.execute(delete(custody).where(custody.c.evidence_id == 2, custody.c.seq == last))

    (line,) = problems(two[0])
    assert line.startswith("E-000002: its custody log does not end at entry")


def test_an_edited_custody_entry_is_reported(
    two: tuple[Cli, Path, dict[str, Path]], opened: Archive
) -> None:
    custody = tables.evidence_custody
    with opened.engine.begin() as conn:
        conn.execute(
            update(custody)
            .where(custody.c.evidence_id == 1, custody.c.seq == 1)
            .values(actor="someone else")
        )

    found = problems(two[0])

    assert found[0] == "E-000001: custody entry 1 does not open (altered or moved)"


def test_after_a_problem_verify_goes_on_logging(two: tuple[Cli, Path, dict[str, Path]]) -> None:
    cli, _folder, blobs = two
    blobs["E-000001"].unlink()
    problems(cli)

    custody = json_of(cli, "evidence", "show", "E-000001")["custody"]

    assert custody[-1]["action"] == "verified"
    assert custody[-1]["details"] == {"result": "failed"}
    ok(cli("evidence", "show", "E-000002"))


def test_a_cut_custody_log_stops_further_access(
    two: tuple[Cli, Path, dict[str, Path]], opened: Archive, tmp_path: Path
) -> None:
    """Taking a file out would chain on from the cut and hide it: refused instead."""
    custody = tables.evidence_custody
    with opened.engine.begin() as conn:
        last = conn.execute(
            select(func.max(custody.c.seq)).where(custody.c.evidence_id == 1)
        ).scalar_one()
        conn.execute(delete(custody).where(custody.c.evidence_id == 1, custody.c.seq == last))
    out = tmp_path / "out.txt"

    line = error_line(two[0]("evidence", "get", "E-000001", "-o", str(out), "--purpose", "x"))

    # the audit log, which covered the custody log, sees the cut before the chain is read
    assert "E-000001 was changed outside Guwah since audit entry" in line
    assert not out.exists() and not list(tmp_path.glob(".out.txt*"))


def test_a_cut_log_with_a_rewritten_head_is_caught_by_the_audit_log(
    two: tuple[Cli, Path, dict[str, Path]], opened: Archive
) -> None:
    """A key holder removes E-000001's last custody entry and points its record at the
    new last one: the chain holds, but the record no longer matches what the audit log
    covered at the last logged write."""
    custody, files = tables.evidence_custody, tables.evidence_files
    with opened.engine.begin() as conn:
        record = store.decode(
            conn.execute(select(files).where(files.c.id == 1)).one(), opened.keyring()
        )
        assert record.key is not None
        entries = store.read_custody(conn, 1, record.key)
        kept = entries[-2]
        assert isinstance(kept, store.CustodyEntry)
        conn.execute(
            delete(custody).where(custody.c.evidence_id == 1, custody.c.seq == len(entries))
        )
        conn.execute(update(files).where(files.c.id == 1).values(custody_head=kept.digest()))
    cli = two[0]

    result = cli("audit", "verify")

    assert result.exit_code == 1
    assert "E-000001" in result.stdout + result.stderr
    # the chain itself holds: the audit log, which covered the record, sees the cut, and
    # verify names it instead of logging the forged record as verified
    found = problems(cli)
    assert len(found) == 1 and found[0].startswith("E-000001: its record was changed outside")
    assert "since audit entry" in found[0]
    assert problems(cli) == found  # still reported: the failed verify logged nothing over it


def test_a_tampered_record_gets_no_custody_entry(
    two: tuple[Cli, Path, dict[str, Path]], opened: Archive, tmp_path: Path
) -> None:
    """Taking out, linking or exporting a record changed behind the log's back would log
    its forged rows as if Guwah wrote them: each is refused and adds nothing."""
    files, custody = tables.evidence_files, tables.evidence_custody
    with opened.engine.begin() as conn:
        conn.execute(update(files).where(files.c.id == 1).values(media_type="text/html"))
        entries = conn.execute(select(func.count()).select_from(custody)).scalar_one()
    cli = two[0]
    out = tmp_path / "out.txt"
    taken = error_line(cli("evidence", "get", "E-000001", "-o", str(out), "--purpose", "court"))
    assert "E-000001 was changed outside Guwah since audit entry" in taken
    assert not out.exists()
    package = tmp_path / "package"
    exported = error_line(cli("evidence", "export", "E-000001", "--out", str(package)))
    assert "E-000001 was changed outside Guwah" in exported
    assert not package.exists()
    with opened.engine.begin() as conn:
        assert conn.execute(select(func.count()).select_from(custody)).scalar_one() == entries
