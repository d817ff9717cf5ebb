"""``guwah export``: the JSON Lines backup restores into a new archive that exports the very
same bytes; CSV has one row per person; FollowTheMoney output is valid and withholds what
is above the chosen sensitivity; ``-o`` never leaves a half-written file."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import IO, Any

import pytest

from guwah.model.errors import InvalidInput
from tests.conftest import Cli
from tests.helpers import error_line, json_of, ok, stats, write_yaml


def _export(cli: Cli, path: Path, *options: str) -> int:
    """Export to ``path``; the number of records the command says it wrote."""
    result = ok(cli("export", "-o", str(path), *options))
    match = re.search(r"wrote (\d+) (?:records|rows)", result.stderr)
    assert match, result.stderr
    return int(match.group(1))


def _records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_jsonl_export_restores_into_a_new_archive_byte_for_byte(
    demo_cli: Cli, second_cli: Cli, tmp_path: Path
) -> None:
    counts = stats(demo_cli)
    assert counts["sources"] == 62  # 60 sample cases and the 2 sample lists
    first = tmp_path / "first.jsonl"
    written = _export(demo_cli, first)
    ok(second_cli("init"))

    report = json_of(second_cli, "import", str(first))

    assert report["rejected"] == 0
    assert report["restored"]["person"] == counts["persons"]
    assert report["restored"]["claim"] == counts["claims"]
    assert stats(second_cli) == counts
    second = tmp_path / "second.jsonl"
    assert _export(second_cli, second) == written
    assert second.read_bytes() == first.read_bytes()
    assert len(first.read_bytes().splitlines()) == written


def test_jsonl_export_holds_every_record_and_reimports_as_nothing_new(
    demo_cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "backup.jsonl"
    _export(demo_cli, path)
    records = _records(path)
    counts = stats(demo_cli)
    kinds = [r["type"] for r in records]
    assert kinds.count("person") == counts["persons"]
    assert kinds.count("source") == counts["sources"]
    assert kinds.count("claim") == counts["claims"]
    assert kinds.count("case") == counts["cases"]
    person_ids = [r["id"] for r in records if r["type"] == "person"]
    assert person_ids == sorted(person_ids)
    assert ok(demo_cli("export")).stdout == path.read_text(encoding="utf-8")

    report = json_of(demo_cli, "import", str(path))

    assert report["restored"] == {}
    assert (report["persons_created"], report["claims_added"]) == (0, 0)
    assert stats(demo_cli) == counts


def test_a_later_export_brings_a_restored_archive_up_to_date(
    cli_archive: Cli, second_cli: Cli, tmp_path: Path
) -> None:
    first = {
        "source": {"kind": "news_article", "title": "Report of a detention", "date": "2018"},
        "persons": [{"ref": "v1", "names": [{"text": "Tursun Roundtrip"}]}],
        "claims": [{"subject": "v1", "kind": "detained", "date": "2017-06"}],
    }
    added = json_of(cli_archive, "add", str(write_yaml(tmp_path / "first.yaml", first)))[0]
    person = added["persons"]["v1"]
    _export(cli_archive, tmp_path / "old.jsonl")
    ok(second_cli("init"))
    json_of(second_cli, "import", str(tmp_path / "old.jsonl"))
    later = {
        "source": {"kind": "news_article", "title": "Report of a release", "date": "2021"},
        "persons": [{"id": person}],
        "claims": [{"subject": person, "kind": "released", "date": "2021-03"}],
    }
    ok(cli_archive("add", str(write_yaml(tmp_path / "later.yaml", later))))
    _export(cli_archive, tmp_path / "new.jsonl")

    report = json_of(second_cli, "import", str(tmp_path / "new.jsonl"))

    assert report["restored"] == {"source": 1, "claim": 1}
    assert json_of(second_cli, "show", person)["view"]["status"] == "released"
    found = json_of(second_cli, "search", "Roundtrip", "--status", "released")
    assert [row["id"] for row in found] == [person]


def test_csv_export_has_one_row_per_person(demo_cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    written = _export(demo_cli, path, "--format", "csv", "--max-sensitivity", "restricted")
    backup = tmp_path / "backup.jsonl"
    _export(demo_cli, backup)
    people = {r["id"]: r for r in _records(backup) if r["type"] == "person"}

    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        rows = list(reader)

    assert header[:2] == ["id", "name"]
    for column in ("status", "ethnicity", "gender", "birth_year", "place", "sources"):
        assert column in header
    assert len(rows) == written == len(people)
    assert [r["id"] for r in rows] == sorted(people)
    for row in rows:
        texts = {n["text"] for n in people[row["id"]]["names"]}
        assert row["name"] in texts
        assert row["status"]
    tohti = next(r for r in rows if r["name"] == "Ilham Tohti")
    assert (tohti["status"], tohti["ethnicity"], tohti["birth_year"]) == (
        "sentenced",
        "Uyghur",
        "1969",
    )


def _restricted_names(records: list[dict[str, Any]]) -> set[str]:
    """Names of restricted people and of the testifiers of restricted sources."""
    restricted = [r for r in records if r.get("sensitivity") == "restricted"]
    testifiers = {r["testifier"] for r in restricted if r["type"] == "source"}
    return {
        name["text"]
        for r in records
        if r["type"] == "person" and (r["sensitivity"] == "restricted" or r["id"] in testifiers)
        for name in r["names"]
    }


def test_ftm_export_is_valid_and_withholds_restricted_testifiers(
    demo_cli: Cli, tmp_path: Path
) -> None:
    model = pytest.importorskip("followthemoney").model
    backup = tmp_path / "backup.jsonl"
    _export(demo_cli, backup)
    hidden = _restricted_names(_records(backup))
    assert "Гүлнұр Бекболатқызы" in hidden  # the testifier of sample case 041
    path = tmp_path / "internal.ftm.json"

    written = _export(demo_cli, path, "--format", "ftm", "--max-sensitivity", "internal")

    text = path.read_text(encoding="utf-8")
    entities = [json.loads(line) for line in text.splitlines()]
    assert len(entities) == written
    assert {"Person", "Event"} <= {e["schema"] for e in entities}
    for entity in entities:
        schema = model.get(entity["schema"])
        assert schema is not None, entity["schema"]
        proxy = model.get_proxy(entity)
        assert proxy.to_dict()["properties"] == entity["properties"], entity["id"]
    assert len({e["id"] for e in entities}) == len(entities)
    assert [name for name in hidden if name in text] == []
    assert "Ilham Tohti" in text

    everything = tmp_path / "restricted.ftm.json"
    assert _export(demo_cli, everything, "--format", "ftm") == written  # internal by default
    everything_asked = _export(
        demo_cli, everything, "--format", "ftm", "--max-sensitivity", "restricted"
    )
    assert everything_asked > written


def test_output_file_appears_only_when_complete(
    cli_archive: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.jsonl"
    written = _export(cli_archive, target)
    assert len(target.read_text(encoding="utf-8").splitlines()) == written > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
    before = target.read_bytes()

    def export_then_fail(archive: Any, fmt: str, out: IO[str], **options: Any) -> int:
        out.write('{"type": "place", "code": "XJ"}\n')
        out.flush()
        raise InvalidInput("the disk is full")

    monkeypatch.setattr("guwah.cli.records.export", export_then_fail)
    line = error_line(cli_archive("export", "-o", str(target)))

    assert "disk is full" in line
    assert target.read_bytes() == before  # the old file is untouched
    fresh = tmp_path / "never.jsonl"
    error_line(cli_archive("export", "-o", str(fresh)))
    assert not fresh.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_export_options_and_paths_are_checked(cli_archive: Cli, tmp_path: Path) -> None:
    assert "xml" in error_line(cli_archive("export", "--format", "xml"))
    assert "--max-sensitivity" in error_line(cli_archive("export", "--max-sensitivity", "secret"))
    line = error_line(cli_archive("export", "-o", str(tmp_path / "missing" / "out.jsonl")))
    assert "missing" in line
    line = error_line(cli_archive("export", "-o", str(tmp_path)))
    assert "directory" in line
    assert not (tmp_path / "missing").exists()


def test_an_export_of_another_archive_is_refused_where_ids_collide(
    cli_archive: Cli, second_cli: Cli, tmp_path: Path
) -> None:
    """Restoring archive A's export into a different, non-empty archive B would attach
    A's claims to B's people with the same ids: it is refused and nothing is written."""
    case = write_yaml(
        tmp_path / "a.yaml",
        {
            "source": {"kind": "news_article", "title": "A"},
            "persons": [{"ref": "v", "names": ["Ayjan Tursun"]}],
            "claims": [{"subject": "v", "kind": "detained", "date": "2018"}],
        },
    )
    assert cli_archive("add", str(case)).exit_code == 0
    export_file = tmp_path / "a.jsonl"
    assert cli_archive("export", "-o", str(export_file)).exit_code == 0

    assert second_cli("init").exit_code == 0
    other = tmp_path / "b.yaml"
    other.write_text(
        "source: {kind: news_article, title: B}\npersons: [{ref: v, names: [Berik Serik]}]\n",
        encoding="utf-8",
    )
    assert second_cli("add", str(other)).exit_code == 0
    before = second_cli("stats", "--json").stdout
    result = second_cli("import", str(export_file))
    assert result.exit_code == 1
    assert "already used in this archive" in result.stderr
    assert second_cli("stats", "--json").stdout == before


def test_csv_and_ftm_leave_out_restricted_people_unless_asked(
    demo_cli: Cli, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.jsonl"
    _export(demo_cli, backup)
    restricted = {
        r["id"]
        for r in _records(backup)
        if r["type"] == "person" and r["sensitivity"] == "restricted"
    }
    assert restricted, "the demo has restricted testifiers"
    path = tmp_path / "people.csv"
    _export(demo_cli, path, "--format", "csv")
    with path.open(encoding="utf-8", newline="") as handle:
        ids = {row["id"] for row in csv.DictReader(handle)}
    assert ids and not ids & restricted
    ftm = tmp_path / "people.ftm.json"
    _export(demo_cli, ftm, "--format", "ftm")
    exported = {json.loads(line)["id"] for line in ftm.read_text(encoding="utf-8").splitlines()}
    assert not {f"guwah-{pid}" for pid in restricted} & exported


DUPLICATES = """id,name,gender,birth_year,ethnicity,hometown
R-1,Gulbahar Haitiwaji,female,1966,Uyghur,Karamay
R-2,古丽巴哈尔·海提瓦吉,female,1966,Uyghur,Karamay
"""
TESTIMONY_TEXT = (
    "Statement of Aynur Tohti, recorded in Almaty.\n"
    "My brother Ablikim Tohti was taken to a camp in Kashgar in 2017. "
    "He was sentenced to 10 years in prison in 2019.\n"
)
DECISIONS = ("consent", "merge", "judgement", "proposal", "correction")


def _decisions(cli: Cli, tmp_path: Path) -> None:
    """Give the archive one of each decision a full export carries."""
    from guwah.services import corrections
    from guwah.services.archive import open_archive
    from tests.conftest import PASSPHRASE

    people = tmp_path / "duplicates.csv"
    people.write_text(DUPLICATES, encoding="utf-8")
    ok(cli("import", str(people), "--list", "roundtrip-duplicates"))
    ok(cli("dedupe"))
    items = json_of(cli, "review", "list")
    pair = next(
        i for i in items if {"古丽巴哈尔·海提瓦吉"} <= {n for p in i["people"] for n in p["names"]}
    )
    ok(cli("review", "merge", str(pair["item"]), "--note", "same woman, two scripts"))
    testimony = "S-000002"  # a sample testimony with its testifier
    ok(
        cli(
            "consent", "record", testimony, "--publish-name", "--how", "written", "--note", "tape 3"
        )
    )
    text = tmp_path / "statement.txt"
    text.write_text(TESTIMONY_TEXT, encoding="utf-8")
    ok(cli("ingest", str(text)))
    archive = open_archive(cli.location, PASSPHRASE, "tester")
    try:
        token = corrections.form_token(archive, now=1_800_000_000.0)
        form = corrections.Submission("error", "The year of detention is 2018.", "P-000001",
                                      "reader@example.org", token)  # fmt: skip
        corrections.submit(archive, form, now=1_800_000_060.0)
    finally:
        archive.close()


def test_a_full_export_carries_consents_merges_judgements_proposals_and_corrections(
    demo_cli: Cli, second_cli: Cli, tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("guwah.match.linkage")
    if backend != "sqlite":  # ingest keeps the document as evidence: in a folder there
        monkeypatch.setenv("GUWAH_EVIDENCE_DIR", str(tmp_path / "evidence"))
    _decisions(demo_cli, tmp_path)
    first = tmp_path / "first.jsonl"
    _export(demo_cli, first)
    kinds = [r["type"] for r in _records(first)]
    assert all(kinds.count(kind) >= 1 for kind in DECISIONS), sorted(set(kinds))
    merge = next(r for r in _records(first) if r["type"] == "merge")
    assert merge["kept"].startswith("P-") and merge["absorbed"].startswith("P-")
    ok(second_cli("init"))

    report = json_of(second_cli, "import", str(first))

    assert report["rejected"] == 0
    assert {k: report["restored"][k] for k in DECISIONS} == {k: kinds.count(k) for k in DECISIONS}
    second = tmp_path / "second.jsonl"
    _export(second_cli, second)
    assert second.read_bytes() == first.read_bytes()
    absorbed = json_of(second_cli, "show", merge["absorbed"])
    assert absorbed["id"] == merge["kept"]  # the merge stands in the new archive
    again = json_of(second_cli, "import", str(first))
    assert not any(again["restored"].get(k) for k in DECISIONS)  # nothing new the second time
    lower = tmp_path / "internal.jsonl"
    _export(demo_cli, lower, "--max-sensitivity", "internal")
    assert not {r["type"] for r in _records(lower)} & set(DECISIONS)


def test_a_decision_pointing_nowhere_is_one_error_and_imports_nothing(
    second_cli: Cli, tmp_path: Path
) -> None:
    ok(second_cli("init"))
    path = tmp_path / "bad.jsonl"
    merge = {"type": "merge", "id": 1, "kept": "P-000001", "absorbed": "P-000002",
             "merged_by": "x", "merged_at": "2026-01-01T00:00:00+00:00",
             "undone_by": None, "undone_at": None}  # fmt: skip
    path.write_text(json.dumps(merge) + "\n", encoding="utf-8")
    line = error_line(second_cli("import", str(path)))
    assert line == (
        "error: merge 1 points to P-000001, which is neither in the file nor in the archive"
    )
    merge["merged_at"] = 7
    path.write_text(json.dumps(merge) + "\n", encoding="utf-8")
    assert "'merged_at' has the wrong type: 7" in error_line(second_cli("import", str(path)))
    assert stats(second_cli)["persons"] == 0
