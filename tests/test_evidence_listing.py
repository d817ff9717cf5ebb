"""The evidence a person's page lists: the files of its sources, read at once, and only for
a role that may list evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from guwah.model.errors import AccessDenied
from guwah.secure.policy import Principal, Role
from guwah.services import evidence
from guwah.services.archive import Archive
from guwah.services.testimony import add_document, read_document
from tests.conftest import SAMPLE
from tests.ingest_helpers import use_evidence_folder

CASES = SAMPLE / "cases"


@pytest.fixture
def three_sources(
    archive: Archive, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Archive:
    use_evidence_folder(backend, tmp_path, monkeypatch)
    for name in ("001-ilham-tohti-sentenced", "002-ilham-tohti-jewher-statement"):
        add_document(archive, read_document(CASES / f"{name}.yaml"))
    add_document(archive, read_document(CASES / "004-rahile-dawut-missing.yaml"))
    files = [
        ("S-000002", "letter.txt"),
        ("S-000001", "video-notes.txt"),
        ("S-000003", "other.txt"),
        ("S-000001", "photo-notes.txt"),
        (None, "loose.txt"),
    ]
    for number, (source, name) in enumerate(files):
        path = tmp_path / name
        path.write_text(f"file {number}: {name}\n", encoding="utf-8")
        evidence.add_file(archive, path, source=source)
    return archive


def test_the_files_of_several_sources_come_in_source_then_file_order(
    three_sources: Archive,
) -> None:
    found = evidence.files_of_sources(three_sources, ["S-000002", "S-000001", "S-000404"])

    assert [(f.id, f.source_id, f.problem) for f in found] == [
        ("E-000002", 1, None),
        ("E-000004", 1, None),
        ("E-000001", 2, None),
    ]
    assert evidence.files_of_sources(three_sources, []) == []
    assert evidence.files_of_sources(three_sources, ["not an id"]) == []


def test_a_role_that_may_not_list_evidence_is_refused(three_sources: Archive) -> None:
    three_sources.principal = Principal("vali", Role.VIEWER)

    with pytest.raises(AccessDenied):
        evidence.files_of_sources(three_sources, ["S-000001"])
