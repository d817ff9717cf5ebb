"""What the ingest and proposal-review tests share: a document and the extraction the
extractors would make of it (built by hand through the public contract, so that these
tests hold the interfaces whatever the rules propose), and ingesting it."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from guwah.ingest.document import Document
from guwah.ingest.proposals import (
    ClaimProposal,
    Evidence,
    Extraction,
    PersonProposal,
    RelationProposal,
)
from guwah.services.archive import Archive
from guwah.services.ingest import FileResult, ingest_files
from guwah.store import tables

TEXT = (
    "Гульнар Серикқызы, an ethnic Kazakh who worked for the local government, said her "
    "mother was detained in 2017 for practising her faith. Her mother was sentenced to 12 "
    "years in prison. The family fled to Kazakhstan in 2019."
)
TITLE = "A daughter's testimony"


def span(text: str, part: str) -> Evidence:
    start = text.index(part)
    return Evidence(start, start + len(part), part)


def document_of(path: Path, title: str = TITLE, kind: str | None = None) -> Document:
    """What a reader makes of a UTF-8 text file (its hash is of the file's bytes)."""
    data = path.read_bytes()
    return Document(
        text=data.decode("utf-8"),
        sha256=hashlib.sha256(data).hexdigest(),
        media_type="text/plain",
        filename=path.name,
        title=title,
        date="2024-01-06",
        language="en",
        kind=kind,
    )


def extraction_of(document: Document) -> Extraction:
    """The proposals of TEXT: the witness, her mother (unnamed), their relation, the
    mother's detention and sentence, the family's flight. Another text: no proposals."""
    text = document.text
    if text != TEXT:
        return Extraction(document.title, document.date, document.language)
    witness = PersonProposal(
        "p1", ["Гульнар Серикқызы"], ["witness"], {"ethnicity": "Kazakh"},
        evidence=[span(text, "Гульнар Серикқызы")],
    )  # fmt: skip
    mother = PersonProposal(
        "p2", [], ["victim"], description="mother of p1", evidence=[span(text, "her mother")]
    )
    return Extraction(
        document.title,
        document.date,
        document.language,
        [witness, mother],
        [RelationProposal("p2", "mother", "p1", span(text, "her mother"), 0.9, "test.relative")],
        [
            ClaimProposal(
                "p2", "sentenced", {"years": 12}, span(text, "sentenced to 12 years in prison"),
                0.9, "test.sentenced", reason="religious faith",
            ),
            ClaimProposal(
                "p2", "detained", {}, span(text, "detained in 2017"), 0.8, "test.detained",
                date="2017", reason="religious faith",
            ),
            ClaimProposal(
                "p1", "fled", {"destination": "Kazakhstan"},
                span(text, "fled to Kazakhstan in 2019"), 0.85, "test.fled", date="2019",
            ),
        ],
    )  # fmt: skip


def article(folder: Path, name: str = "article.txt", text: str = TEXT) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def ingest(archive: Archive, *paths: Path, dry_run: bool = False, **kw: Any) -> list[FileResult]:
    return ingest_files(
        archive, list(paths), dry_run=dry_run, reader=document_of, extractor=extraction_of, **kw
    )


def use_evidence_folder(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PostgreSQL archive keeps originals in GUWAH_EVIDENCE_DIR."""
    if backend == "postgres":
        monkeypatch.setenv("GUWAH_EVIDENCE_DIR", str(tmp_path / "evidence-store"))


def counts(archive: Archive) -> dict[str, int]:
    """How many rows each table holds (but the audit log's own tables)."""
    found = {}
    with archive.engine.connect() as conn:
        for table in tables.metadata.sorted_tables:
            if table.name.startswith(("audit_", "person_fts", "person_search")):
                continue
            found[table.name] = int(
                conn.execute(select(func.count()).select_from(table)).scalar_one()
            )
    return found
