"""The summaries and search documents an import works out in advance (for new people,
in the parsing process) are exactly what a full refresh from the stored claims gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from guwah.services.archive import Archive, open_archive
from guwah.services.importing import import_file
from guwah.services.indexing import refresh
from guwah.store import tables
from guwah.synthetic import generate_people
from tests.conftest import PASSPHRASE
from tests.helpers import write_yaml


def _snapshot(archive: Archive) -> tuple[list[Any], list[Any]]:
    summary = tables.person_summary
    with archive.engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(select(summary).order_by(summary.c.person_id))]
        if archive.engine.dialect.name == "postgresql":
            docs = conn.execute(
                text("SELECT person_id, document::text FROM person_search ORDER BY person_id")
            )
        else:
            docs = conn.execute(text("SELECT rowid, names, body FROM person_fts ORDER BY rowid"))
        return rows, [tuple(d) for d in docs]


@pytest.mark.parametrize("workers", ["0", "1"])
def test_precomputed_views_equal_a_full_refresh(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    monkeypatch.setenv("GUWAH_IMPORT_WORKERS", workers)
    monkeypatch.setattr("guwah.services.importing.PARALLEL_BYTES", 0)  # use the helper
    path = tmp_path / "people.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for person in generate_people(300, seed=11, duplicate_rate=0.1):
            out.write(json.dumps(person.record, ensure_ascii=False) + "\n")
        # the same fact twice in one line: stored once, counted once
        twice = {"kind": "sentenced", "value": {"years": 9}, "date": "2019"}
        out.write(
            json.dumps({"type": "person", "names": ["Ayjan Tursun"], "claims": [twice, twice]})
            + "\n"
        )
    report = import_file(archive, path)
    assert report.created == 301
    before = _snapshot(archive)
    assert len(before[0]) == 301
    with archive.engine.begin() as conn:
        refresh(conn, [row[0] for row in before[0]])
    assert _snapshot(archive) == before


def test_reindex_rebuilds_a_damaged_index(cli_archive: Any, tmp_path: Path) -> None:
    case = write_yaml(
        tmp_path / "case.yaml",
        {
            "source": {"kind": "news_article", "title": "T"},
            "persons": [{"ref": "v", "names": ["Gulbahar Jalilova"]}],
            "claims": [{"subject": "v", "kind": "detained", "date": "2017-05"}],
        },
    )
    assert cli_archive("add", str(case)).exit_code == 0
    archive = open_archive(cli_archive.location, PASSPHRASE, "tester")
    try:
        with archive.engine.begin() as conn:  # damage: the summary and search entry lost
            conn.execute(tables.person_summary.delete())
        assert json.loads(cli_archive("search", "Jalilova", "--json").stdout) == []
    finally:
        archive.close()
    result = cli_archive("reindex")
    assert result.exit_code == 0, result.stderr
    assert "1 people" in result.stdout
    found = json.loads(cli_archive("search", "Jalilova", "--status", "detained", "--json").stdout)
    assert [r["name"] for r in found] == ["Gulbahar Jalilova"]
