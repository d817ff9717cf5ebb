"""`guwah ingest`: a document becomes a source with its original kept and its proposals
filed for review; a dry run stores nothing; the same file twice adds nothing; a bad file
is one line and the others go on."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import select, text

from guwah.model.errors import ArchiveError, InvalidInput
from guwah.services import evidence
from guwah.services.archive import Archive
from guwah.store import tables, writer
from tests.conftest import Cli
from tests.helpers import error_line, ok, stats
from tests.ingest_helpers import (
    TEXT,
    article,
    counts,
    document_of,
    extraction_of,
    ingest,
    use_evidence_folder,
)

# --- the service, with a document and extraction built by hand (the public contract) ----


def test_a_dry_run_stores_nothing_and_returns_the_extraction(
    archive: Archive, tmp_path: Path
) -> None:
    before = counts(archive)
    (result,) = ingest(archive, article(tmp_path), dry_run=True)  # no evidence folder needed

    assert counts(archive) == before
    data = result.as_json()
    assert data["file"] == "article.txt"
    assert data["source"]["title"] == "A daughter's testimony"
    assert data["source"]["date"] == "2024-01-06"
    assert data["source"]["sensitivity"] == "restricted"  # kind unknown: may be a testimony
    assert [p["ref"] for p in data["persons"]] == ["p1", "p2"]
    assert data["relations"][0] == {
        "from": "p2", "type": "mother", "to": "p1", "confidence": 0.9, "rule": "test.relative",
        "evidence": {"start": TEXT.index("her mother"), "end": TEXT.index("her mother") + 10,
                     "text": "her mother"},
    }  # fmt: skip
    assert data["claims"][0]["value"] == {"years": 12}
    assert data["claims"][0]["reason"] == "religious faith"


def test_ingest_keeps_the_source_its_original_and_its_proposals(
    archive: Archive, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_evidence_folder(backend, tmp_path, monkeypatch)
    path = article(tmp_path)
    (result,) = ingest(archive, path)

    assert result.ok and not result.duplicate
    assert (result.source, result.evidence, result.first_proposal) == ("S-000001", "E-000001",
                                                                       "X-000001")  # fmt: skip
    assert result.counts == {"persons": 2, "relations": 1, "claims": 3}
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with archive.engine.connect() as conn:
        assert writer.find_source_by_hash(conn, digest) == 1
        source = conn.execute(select(tables.sources)).one()
        rows = conn.execute(select(tables.proposals).order_by(tables.proposals.c.id)).all()
        original = evidence.load(conn, archive, 1)
    assert source.original_text == TEXT
    assert source.sensitivity == "restricted" and source.kind == "other"
    assert original.source_id == 1 and original.meta is not None
    assert original.meta.sha256 == digest  # the hash of the file's exact bytes
    assert original.meta.filename == "article.txt"
    assert [(r.kind, r.ref, r.status) for r in rows] == [
        ("person", "p1", "proposed"), ("person", "p2", "proposed"),
        ("relation", "p2", "proposed"), ("claim", "p2", "proposed"),
        ("claim", "p2", "proposed"), ("claim", "p1", "proposed"),
    ]  # fmt: skip
    for row in rows:  # each passage is where the document says it is
        assert TEXT[row.evidence_start : row.evidence_end] == row.evidence_text
    assert json.loads(rows[3].payload)["value"] == {"years": 12}
    with archive.engine.connect() as conn:
        assert conn.execute(select(tables.claims)).first() is None  # nothing accepted


def test_the_same_file_again_adds_nothing(
    archive: Archive, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_evidence_folder(backend, tmp_path, monkeypatch)
    path = article(tmp_path)
    ingest(archive, path)
    before = counts(archive)

    (again,) = ingest(archive, path)
    (renamed,) = ingest(archive, article(tmp_path, "copy.txt"))

    assert counts(archive) == before
    assert again.ok and again.duplicate and again.source == "S-000001"
    assert renamed.duplicate and renamed.notes == ["already ingested as S-000001"]


def test_an_original_already_kept_as_evidence_is_linked_not_stored_twice(
    archive: Archive, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_evidence_folder(backend, tmp_path, monkeypatch)
    path = article(tmp_path)
    added = evidence.add_file(archive, path)

    (result,) = ingest(archive, path)

    assert result.evidence == added.id == "E-000001"
    assert result.notes == ["the original was already stored as E-000001; linked to it"]
    with archive.engine.connect() as conn:
        assert evidence.load(conn, archive, 1).source_id == 1
    assert counts(archive)["evidence_files"] == 1


def test_a_bad_file_is_reported_and_the_others_are_stored(
    archive: Archive, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_evidence_folder(backend, tmp_path, monkeypatch)
    good, other = article(tmp_path), article(tmp_path, "other.txt", "Another short text.")
    bad = article(tmp_path, "bad.txt", "unreadable")

    def reader(path: Path):  # type: ignore[no-untyped-def]  # a reader's signature
        if path.name == "bad.txt":
            raise InvalidInput("bad.txt: not a document Guwah can read")
        return document_of(path)

    from guwah.services.ingest import ingest_files

    results = ingest_files(archive, [good, bad, other], reader=reader, extractor=extraction_of)

    assert [r.ok for r in results] == [True, False, True]
    assert results[1].error == "bad.txt: not a document Guwah can read"  # named once
    assert [r.source for r in results] == ["S-000001", None, "S-000002"]
    assert counts(archive)["evidence_files"] == 2


def test_a_failing_write_leaves_no_source_and_no_blob(
    archive: Archive, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_evidence_folder(backend, tmp_path, monkeypatch)
    before = counts(archive)
    from guwah.services import ingest as service

    def broken(*args: object, **kw: object) -> None:
        raise ArchiveError("disk full (simulated)")

    monkeypatch.setattr(service, "record", broken)  # the audit entry, the transaction's last

    (result,) = ingest(archive, article(tmp_path))

    assert result.error == "article.txt: disk full (simulated)"
    after = counts(archive)
    after.pop("archive_secrets"), before.pop("archive_secrets")  # evidence names: made once
    assert after == before
    folder = Path(archive.location + ".evidence") if backend == "sqlite" else tmp_path / (
        "evidence-store")  # fmt: skip
    assert [p.name for p in folder.iterdir() if not p.name.startswith(".")] == []


def test_postgres_needs_an_evidence_folder_to_keep_originals(
    archive: Archive, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "postgres":
        pytest.skip("an embedded archive keeps its evidence beside it")
    monkeypatch.delenv("GUWAH_EVIDENCE_DIR", raising=False)
    before = counts(archive)
    with pytest.raises(ArchiveError, match="GUWAH_EVIDENCE_DIR"):
        ingest(archive, article(tmp_path))
    assert counts(archive) == before
    ingest(archive, article(tmp_path), dry_run=True)  # a dry run keeps nothing: it works


def test_restricted_proposals_are_sealed_on_postgres(
    archive: Archive, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "postgres":
        pytest.skip("an embedded archive is encrypted whole")
    use_evidence_folder(backend, tmp_path, monkeypatch)
    ingest(archive, article(tmp_path))
    with archive.engine.connect() as conn:
        raw = conn.execute(text("SELECT payload, evidence_text FROM proposals")).all()
        opened = conn.execute(select(tables.proposals.c.evidence_text)).scalars().all()
    stored = " ".join(str(value) for row in raw for value in row)
    assert "Серикқызы" not in stored and "sentenced" not in stored
    assert "Гульнар Серикқызы" in opened  # read through the table: opened with the keys
    from guwah.services import proposal_review

    proposal_review.reject(archive, "X-000006", "Серикқызы said it was her brother")
    with archive.engine.connect() as conn:
        note = conn.execute(text("SELECT note FROM proposals WHERE id = 6")).scalar_one()
    assert "Серикқызы" not in note


def test_a_news_article_is_public_unless_told_otherwise(
    archive: Archive, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_evidence_folder(backend, tmp_path, monkeypatch)
    from guwah.model.vocab import Sensitivity
    from guwah.services.ingest import ingest_files

    def news(path: Path):  # type: ignore[no-untyped-def]  # a reader's signature
        return document_of(path, kind="news_article")

    first = article(tmp_path, "one.txt", "First article.")
    second = article(tmp_path, "two.txt", "Second article.")
    ingest_files(archive, [first], reader=news, extractor=extraction_of)
    ingest_files(archive, [second], reader=news, extractor=extraction_of,
                 sensitivity=Sensitivity.INTERNAL)  # fmt: skip
    with archive.engine.connect() as conn:
        rows = conn.execute(select(tables.sources.c.kind, tables.sources.c.sensitivity)).all()
    assert sorted(tuple(r) for r in rows) == [("news_article", "internal"),
                                              ("news_article", "public")]  # fmt: skip


# --- the command line, with real files read by the readers and the extractors ----------

ARTICLE = (
    "date 2024-01-06 en English\n"
    "World\n"
    "A Kazakh woman's mother was sentenced for her faith\n"
    "By a staff reporter\n"
    "Gulnar Serikqyzy, an ethnic Kazakh, worked for the local government in Xinjiang. "
    "Her mother was detained in 2017 and sentenced to 12 years in prison for practising "
    "her faith. The family fled to Kazakhstan in 2019.\n"
)


def test_cli_dry_run_prints_one_json_object_per_file_and_stores_nothing(
    cli_archive: Cli, tmp_path: Path
) -> None:
    one = article(tmp_path, "one.txt", ARTICLE)
    two = article(tmp_path, "two.txt", "A second, short note about nobody in particular.\n")
    before = stats(cli_archive)

    result = ok(cli_archive("ingest", str(one), str(two), "--dry-run", "--json"))

    assert stats(cli_archive) == before
    objects = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [o["file"] for o in objects] == ["one.txt", "two.txt"]
    for data in objects:
        assert {"source", "persons", "relations", "claims"} <= set(data)
    assert objects[0]["source"]["date"] == "2024-01-06"
    assert objects[0]["source"]["language"] == "en"


def test_cli_ingest_stores_once_and_a_bad_file_is_one_line(
    cli_archive: Cli, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_evidence_folder(backend, tmp_path, monkeypatch)
    good = article(tmp_path, "article.txt", ARTICLE)
    empty = article(tmp_path, "empty.txt", "")

    result = cli_archive("ingest", str(good), str(empty))

    assert result.exit_code == 1
    line = error_line(result)
    assert line.startswith("error: empty.txt:")
    assert "S-000001" in result.stdout and "E-000001" in result.stdout
    assert stats(cli_archive)["sources"] == 1
    digest = hashlib.sha256(good.read_bytes()).hexdigest()
    shown = json.loads(ok(cli_archive("evidence", "show", "E-000001", "--json")).stdout)
    assert digest in json.dumps(shown)

    again = ok(cli_archive("ingest", str(good)))
    assert "already ingested as S-000001" in again.stdout
    assert stats(cli_archive)["sources"] == 1
    ok(cli_archive("audit", "verify"))


def test_cli_ingest_refuses_a_missing_file_in_one_line(
    cli_archive: Cli, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_evidence_folder(backend, tmp_path, monkeypatch)
    line = error_line(cli_archive("ingest", str(tmp_path / "nowhere.txt")))
    assert "nowhere.txt" in line
