"""``guwah init`` and ``guwah add`` through the real command line: archives are created once,
opened only with the right passphrase, and a testimony file is recorded whole or not at all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSPHRASE, SAMPLE, Cli
from tests.helpers import CASES, error_line, json_of, ok, sha256_files, stats, write_yaml

ILHAM = SAMPLE / "cases" / "001-ilham-tohti-sentenced.yaml"


def test_init_creates_an_empty_archive(cli: Cli, backend: str) -> None:
    result = ok(cli("init"))
    assert "Created" in result.stdout
    if backend == "sqlite":
        assert Path(cli.location).is_file()
    counts = stats(cli)
    assert (counts["persons"], counts["sources"], counts["claims"]) == (0, 0, 0)


def test_second_init_fails_and_leaves_the_archive_intact(cli_archive: Cli, backend: str) -> None:
    added = json_of(cli_archive, "add", str(ILHAM))[0]
    person = added["persons"]["v1"]
    before = stats(cli_archive)
    hashes = sha256_files(Path(cli_archive.location).parent) if backend == "sqlite" else None

    line = error_line(cli_archive("init"))

    assert "already" in line
    if hashes is not None:
        assert sha256_files(Path(cli_archive.location).parent) == hashes
    assert stats(cli_archive) == before
    shown = json_of(cli_archive, "show", person)
    assert shown["view"]["best_name"] == "Ilham Tohti"
    assert shown["view"]["status"] == "sentenced"


@pytest.mark.parametrize("command", [("show", "P-000001"), ("stats",), ("add", str(ILHAM))])
def test_wrong_passphrase_is_one_clear_line_and_changes_no_byte(
    cli_archive: Cli, backend: str, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    ok(cli_archive("add", str(ILHAM)))
    before = stats(cli_archive)
    folder = Path(cli_archive.location).parent
    files = sha256_files(folder) if backend == "sqlite" else {}
    monkeypatch.setenv("GUWAH_PASSPHRASE", "not the right passphrase")

    line = error_line(cli_archive(*command))

    assert "passphrase" in line
    if backend == "sqlite":
        assert sha256_files(folder) == files
    monkeypatch.setenv("GUWAH_PASSPHRASE", PASSPHRASE)
    assert stats(cli_archive) == before


def test_missing_archive_is_a_clear_error_and_creates_nothing(cli: Cli, backend: str) -> None:
    line = error_line(cli("show", "P-000001"))
    if backend == "sqlite":
        assert "no archive" in line
        assert "guwah init" in line
        assert list(Path(cli.location).parent.iterdir()) == []
    else:
        assert "not a Guwah archive" in line
    ok(cli("init"))  # the location was left as it was: an archive can still be made there


def test_unknown_person_id_is_one_line(cli_archive: Cli) -> None:
    line = error_line(cli_archive("show", "P-000999"))
    assert "P-000999" in line
    line = error_line(cli_archive("show", "not-an-id"))
    assert "not-an-id" in line


def test_every_sample_case_is_recorded_once(cli_archive: Cli) -> None:
    results = json_of(cli_archive, "add", *map(str, CASES))

    assert len(results) == len(CASES) == 60
    assert all("source" in item and item["claims_added"] > 0 for item in results)
    assert len({item["source"] for item in results}) == len(CASES)
    counts = stats(cli_archive)
    assert counts["sources"] == len(CASES)
    assert counts["claims"] == sum(item["claims_added"] for item in results)
    assert counts["cases"] == sum(len(item["cases"]) for item in results)

    again = json_of(cli_archive, "add", *map(str, CASES))

    assert [item["duplicate_of"] for item in again] == [item["source"] for item in results]
    assert stats(cli_archive) == counts


def test_adding_the_same_file_twice_adds_nothing(cli_archive: Cli) -> None:
    first = ok(cli_archive("add", str(ILHAM)))
    assert "claims" in first.stdout
    before = stats(cli_archive)

    second = ok(cli_archive("add", str(ILHAM)))

    assert "already recorded" in " ".join(second.stdout.split())
    assert stats(cli_archive) == before


def test_a_json_testimony_file_is_recorded_like_yaml(cli_archive: Cli, tmp_path: Path) -> None:
    path = tmp_path / "testimony.json"
    path.write_text(json.dumps(_testimony(), ensure_ascii=False), encoding="utf-8")

    added = json_of(cli_archive, "add", str(path))[0]

    assert added["claims_added"] == 2
    shown = json_of(cli_archive, "show", added["persons"]["v1"])
    assert shown["view"]["status"] == "detained"


def test_user_text_in_brackets_is_shown_as_written(cli_archive: Cli, tmp_path: Path) -> None:
    """A documenter's "[unclear]" or "[bold]" is their text, not terminal styling."""
    data = _testimony()
    data["persons"][1]["names"].append({"text": "Nurlan [unclear] Testov"})
    data["persons"][1]["names"].append({"text": "[bold]Nurik[/bold]"})
    data["claims"][0]["place"] = "[withheld]"  # short: a table cell never wraps it
    path = write_yaml(tmp_path / "brackets.yaml", data)
    person = json_of(cli_archive, "add", str(path))[0]["persons"]["v1"]

    shown = ok(cli_archive("show", person)).stdout

    assert "Nurlan [unclear] Testov" in shown
    assert "[bold]Nurik[/bold]" in shown and "[withheld]" in shown


def _testimony(*bad_claims: dict[str, Any]) -> dict[str, Any]:
    return {
        "source": {
            "kind": "testimony_written",
            "title": "Written testimony of a brother",
            "date": "2020-01",
            "testifier": "t1",
        },
        "persons": [
            {"ref": "t1", "kinds": ["testifier"], "names": [{"text": "Aybek Testov"}]},
            {"ref": "v1", "kinds": ["victim"], "names": [{"text": "Nurlan Testov", "lang": "en"}]},
        ],
        "claims": [
            {"subject": "v1", "kind": "detained", "date": "2018-03", "value": {"reason": "prayer"}},
            *bad_claims,
            {"subject": "v1", "kind": "ethnicity", "value": {"text": "Kazakh"}},
        ],
    }


BAD_CLAIMS = {
    "unknown kind": ({"subject": "v1", "kind": "abducted"}, "unknown claim kind 'abducted'"),
    "text that looks like markup": (  # shown as written, not eaten as terminal styling
        {"subject": "v1", "kind": "[red]abducted[/red]"},
        "'[red]abducted[/red]'",
    ),
    "impossible date": (
        {"subject": "v1", "kind": "sentenced", "date": "2019-02-30", "value": {"years": 5}},
        "2019-02-30",
    ),
    "invalid Chinese ID": (
        {"subject": "v1", "kind": "id_number", "value": {"text": "650102196502140021"}},
        "650102196502140021",
    ),
    "unknown subject ref": (
        {"subject": "v9", "kind": "gender", "value": {"text": "male"}},
        "unknown person ref 'v9'",
    ),
    "unknown related ref": (
        {"subject": "v1", "kind": "relation", "value": {"relation": "sibling", "person": "v9"}},
        "'v9'",
    ),
    "unknown relation": (
        {"subject": "v1", "kind": "relation", "value": {"relation": "aunt", "person": "t1"}},
        "unknown relation 'aunt'",
    ),
    "bad sentence": (
        {"subject": "v1", "kind": "sentenced", "value": {"years": "twelve"}},
        "years",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CLAIMS))
def test_one_bad_claim_stores_nothing_from_the_file(
    cli_archive: Cli, tmp_path: Path, case: str
) -> None:
    ok(cli_archive("add", str(ILHAM)))
    before = stats(cli_archive)
    bad, problem = BAD_CLAIMS[case]
    path = write_yaml(tmp_path / "bad.yaml", _testimony(bad))

    line = error_line(cli_archive("add", str(path)))

    assert problem in line
    assert "claims[1]" in line
    assert "bad.yaml" in line
    assert stats(cli_archive) == before


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [
        (lambda d: d["persons"][1]["names"].append({"text": "  "}), "persons[1]", "empty"),
        (lambda d: d["persons"][1].update(kinds=["hostage"]), "persons[1]", "'hostage'"),
        (lambda d: d["source"].update(date="2020-13"), "source", "2020-13"),
        (lambda d: d["source"].update(testifier="t7"), "source", "'t7'"),
        (lambda d: d.update(cases=[{"subject": "v1", "status": "won"}]), "cases[0]", "'won'"),
    ],
    ids=["empty name", "unknown person kind", "bad source date", "unknown testifier", "bad case"],
)
def test_other_bad_parts_name_their_place(
    cli_archive: Cli, tmp_path: Path, change: Any, where: str, problem: str
) -> None:
    data = _testimony()
    change(data)
    path = write_yaml(tmp_path / "bad.yaml", data)
    before = stats(cli_archive)

    line = error_line(cli_archive("add", str(path)))

    assert where in line
    assert problem in line
    assert stats(cli_archive) == before


def test_linking_a_person_who_is_not_there_stores_nothing(cli_archive: Cli, tmp_path: Path) -> None:
    data = _testimony()
    data["persons"].append({"id": "P-000777"})
    data["claims"].append({"subject": "P-000777", "kind": "released", "date": "2020"})
    path = write_yaml(tmp_path / "link.yaml", data)
    before = stats(cli_archive)

    line = error_line(cli_archive("add", str(path)))

    assert "P-000777" in line
    assert stats(cli_archive) == before


def test_unreadable_testimony_files_are_one_line(cli_archive: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("source: {kind: news_article\npersons: [", encoding="utf-8")
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("source: {title: Gülbahar}\n".encode("latin-1"))
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("just text\n", encoding="utf-8")

    assert "not valid YAML" in error_line(cli_archive("add", str(broken)))
    assert "UTF-8" in error_line(cli_archive("add", str(latin1)))
    assert "mapping" in error_line(cli_archive("add", str(scalar)))
    assert "no such file" in error_line(cli_archive("add", str(tmp_path / "missing.yaml")))
    assert stats(cli_archive)["sources"] == 0


def test_demo_builds_the_sample_archive_once(cli: Cli, backend: str) -> None:
    result = ok(cli("demo"))

    assert "60 testimony and article files" in " ".join(result.stdout.split())
    counts = stats(cli)
    assert counts["sources"] == len(CASES) + 2  # and the two sample lists
    assert json_of(cli, "search", "Tohti")
    assert "already" in error_line(cli("demo"))
    if backend == "sqlite":
        ok(cli("demo", "--fresh"))
        assert stats(cli) == counts


def test_usage_errors_exit_2_with_a_message_not_a_traceback(cli: Cli) -> None:
    unknown = cli("frobnicate", db=False)
    assert unknown.exit_code == 2
    assert "No such command" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    missing = cli("show", db=False)
    assert missing.exit_code == 2
    assert "Missing argument" in missing.stderr
