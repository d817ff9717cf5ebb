"""A large JSON Lines import parses its short-form lines in a helper process that starts
while the file's exported (full-form) records are restored: both kinds land, bad lines
are reported by their own line numbers, and a failed restore leaves no helper running
and nothing written."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.helpers import error_line, json_of, ok, person_ids_named, stats, write_yaml


@pytest.fixture
def in_a_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUWAH_IMPORT_WORKERS", "1")
    monkeypatch.setattr("guwah.services.importing.PARALLEL_BYTES", 0)
    monkeypatch.setattr("guwah.services.importing.FIRST_BATCHES", (2, 3))
    monkeypatch.setattr("guwah.services.importing.BATCH_ROWS", 4)


def _person(name: str, ref: str) -> str:
    return json.dumps(
        {
            "type": "person",
            "names": [name],
            "external_refs": [{"namespace": "relatives", "ref": ref}],
            "claims": [{"kind": "detained", "date": "2018", "place": "Ghulja"}],
        },
        ensure_ascii=False,
    )


def _exported(cli: Cli, tmp_path: Path) -> list[str]:
    case = write_yaml(
        tmp_path / "case.yaml",
        {
            "source": {"kind": "news_article", "title": "Sentenced for travel"},
            "persons": [{"ref": "v", "names": ["Ekpar Asat"]}],
            "claims": [{"subject": "v", "kind": "sentenced", "value": {"years": 15}}],
        },
    )
    ok(cli("add", str(case)))
    export = tmp_path / "export.jsonl"
    ok(cli("export", "-o", str(export)))
    return export.read_text(encoding="utf-8").splitlines()


def test_exported_records_and_short_form_people_are_both_imported(
    cli_archive: Cli, second_cli: Cli, tmp_path: Path, in_a_helper: None
) -> None:
    exported = _exported(cli_archive, tmp_path)
    people = [_person(f"Person {n}", f"R-{n}") for n in range(1, 11)]
    lines = people[:3] + exported + people[3:6] + ["{not json"] + people[6:]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad_line = lines.index("{not json") + 1
    rejects = tmp_path / "rejects.csv"
    ok(second_cli("init"))

    report = json_of(
        second_cli, "import", str(path), "--on-error", "skip", "--reject-file", str(rejects)
    )

    assert report["restored"]["person"] == 1
    assert (report["persons_created"], report["rejected"]) == (10, 1)
    assert f"\n{bad_line},not valid JSON" in rejects.read_text(encoding="utf-8")
    assert stats(second_cli)["persons"] == 11
    assert len(person_ids_named(second_cli, "Ekpar Asat")) == 1
    assert len(person_ids_named(second_cli, "Person")) == 10
    ok(second_cli("audit", "verify"))


def test_a_bad_exported_record_stops_the_import_and_its_helper(
    cli_archive: Cli, second_cli: Cli, tmp_path: Path, in_a_helper: None
) -> None:
    exported = _exported(cli_archive, tmp_path)
    broken = json.loads(next(line for line in exported if '"type": "claim"' in line))
    broken["kind"] = "arrested"
    people = [_person(f"Person {n}", f"R-{n}") for n in range(1, 21)]
    path = tmp_path / "broken.jsonl"
    lines = [*people, *exported, json.dumps(broken, ensure_ascii=False)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ok(second_cli("init"))
    before = stats(second_cli)

    result = second_cli("import", str(path))

    assert result.exit_code != 0
    assert f"line {len(lines)}" in error_line(result)
    assert stats(second_cli) == before
    assert multiprocessing.active_children() == []
