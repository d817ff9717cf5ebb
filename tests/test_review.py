"""Duplicates in the archive: `guwah dedupe` fills the review queue, reviewers judge, and
every judgement is kept, reversible and respected by later runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.helpers import error_line, json_of, ok

pytest.importorskip("guwah.match.linkage")

PEOPLE = """id,name,gender,birth_year,ethnicity,hometown
R-1,Gulbahar Haitiwaji,female,1966,Uyghur,Karamay
R-2,古丽巴哈尔·海提瓦吉,female,1966,Uyghur,Karamay
R-3,Gulnar Tursun,female,1980,Uyghur,Kashgar
R-4,Mihrigul Tursun,female,1982,Uyghur,Kashgar
R-5,Ilham Tohti,male,1969,Uyghur,Atush
R-6,Jewher Ilham,female,1994,Uyghur,Atush
R-7,Perhat Tursun,male,1969,Uyghur,Kashgar
"""


def _load(cli: Cli, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE, encoding="utf-8")
    ok(cli("import", str(path), "--list", "review-test"))
    return {row["name"]: row["id"] for row in json_of(cli, "search", "", "--limit", "50")}


def _items(cli: Cli, status: str = "open") -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json_of(cli, "review", "list", "--status", status)
    return items


def _people(item: dict[str, Any]) -> set[str]:
    return {p["id"] for p in item["people"]}


def test_dedupe_proposes_the_chinese_form_and_keeps_sisters_apart(
    cli_archive: Cli, tmp_path: Path
) -> None:
    ids = _load(cli_archive, tmp_path)
    report = json_of(cli_archive, "dedupe")
    assert report["new_items"] >= 1
    items = _items(cli_archive)
    groups = [_people(item) for item in items]
    gulbahar = {ids["Gulbahar Haitiwaji"], ids["古丽巴哈尔·海提瓦吉"]}
    assert gulbahar in groups
    for group in groups:
        assert not {ids["Gulnar Tursun"], ids["Mihrigul Tursun"]} <= group
        assert not {ids["Ilham Tohti"], ids["Jewher Ilham"]} <= group
    item = next(i for i in items if _people(i) == gulbahar)
    assert item["pairs"] and item["pairs"][0]["reason"]
    assert "古丽巴哈尔·海提瓦吉" in {n for p in item["people"] for n in p["names"]}


def test_merge_shows_one_record_and_undo_restores_both(cli_archive: Cli, tmp_path: Path) -> None:
    ids = _load(cli_archive, tmp_path)
    ok(cli_archive("dedupe"))
    gulbahar = {ids["Gulbahar Haitiwaji"], ids["古丽巴哈尔·海提瓦吉"]}
    item = next(i for i in _items(cli_archive) if _people(i) == gulbahar)["item"]
    kept, absorbed = sorted(gulbahar)
    ok(cli_archive("review", "merge", str(item), "--keep", kept))
    shown = json_of(cli_archive, "show", absorbed)
    assert shown["id"] == kept
    assert shown["asked_for"] == absorbed
    assert {n["text"] for n in shown["names"]} >= {"Gulbahar Haitiwaji", "古丽巴哈尔·海提瓦吉"}
    listed = [row["id"] for row in json_of(cli_archive, "search", "Gulbahar")]
    assert kept in listed and absorbed not in listed
    assert [i["item"] for i in _items(cli_archive, "merged")] == [item]
    ok(cli_archive("review", "undo", str(item)))
    assert json_of(cli_archive, "show", absorbed)["id"] == absorbed
    assert item in [i["item"] for i in _items(cli_archive)]
    listed = {row["id"] for row in json_of(cli_archive, "search", "Gulbahar")}
    assert gulbahar <= listed


def test_a_rejected_pair_is_not_proposed_again(cli_archive: Cli, tmp_path: Path) -> None:
    ids = _load(cli_archive, tmp_path)
    ok(cli_archive("dedupe"))
    gulbahar = {ids["Gulbahar Haitiwaji"], ids["古丽巴哈尔·海提瓦吉"]}
    item = next(i for i in _items(cli_archive) if _people(i) == gulbahar)["item"]
    ok(cli_archive("review", "reject", str(item), "--note", "different villages"))
    ok(cli_archive("dedupe"))
    assert all(_people(i) != gulbahar for i in _items(cli_archive))
    rejected = _items(cli_archive, "rejected")
    assert rejected[0]["decided_by"] == "tester"


def test_a_confirmed_pair_stays_together_and_leaves_the_queue(
    cli_archive: Cli, tmp_path: Path
) -> None:
    ids = _load(cli_archive, tmp_path)
    ok(cli_archive("dedupe"))
    gulbahar = {ids["Gulbahar Haitiwaji"], ids["古丽巴哈尔·海提瓦吉"]}
    item = next(i for i in _items(cli_archive) if _people(i) == gulbahar)["item"]
    ok(cli_archive("review", "confirm", str(item)))
    again = json_of(cli_archive, "dedupe")
    assert again["new_items"] == 0 or all(_people(i) != gulbahar for i in _items(cli_archive))


def test_review_errors_are_one_line_and_change_nothing(cli_archive: Cli, tmp_path: Path) -> None:
    ids = _load(cli_archive, tmp_path)
    ok(cli_archive("dedupe"))
    assert "no review item" in error_line(cli_archive("review", "confirm", "999"))
    gulbahar = {ids["Gulbahar Haitiwaji"], ids["古丽巴哈尔·海提瓦吉"]}
    item = next(i for i in _items(cli_archive) if _people(i) == gulbahar)["item"]
    one = sorted(gulbahar)[0]
    line = error_line(cli_archive("review", "split", str(item), "--group", one))
    assert "exactly one group" in line
    assert "not in review item" in error_line(
        cli_archive("review", "merge", str(item), "--keep", "P-999999")
    )
    assert item in [i["item"] for i in _items(cli_archive)]
    assert "nothing to undo" in error_line(cli_archive("review", "undo", str(item)))
    ok(cli_archive("review", "split", str(item), "--group", ",".join(sorted(gulbahar))))
    assert "not open" in error_line(cli_archive("review", "reject", str(item)))


def test_standalone_list_mode_needs_no_archive(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GUWAH_PASSPHRASE")
    people = tmp_path / "people.csv"
    people.write_text(
        "id,name,birth_year,gender,place\n"
        "1,Gulbahar Haitiwaji,1966,female,Karamay\n"
        "2,古丽巴哈尔·海提瓦吉,1966,female,克拉玛依市\n"
        "3,گۈلباھار ھەيتىۋاجى,1966,female,\n"
        "4,Gulnar Tursun,1980,female,Kashgar\n"
        "5,Mihrigul Tursun,1980,female,Kashgar\n"
        "6,Ильхам Тохти,1969,male,Atush\n"
        "7,Ilham Tohti,1969,male,Artux\n",
        encoding="utf-8",
    )
    out = tmp_path / "clusters.csv"
    report = json.loads(
        ok(cli("dedupe", "--in", str(people), "--out", str(out), "--json", db=False)).stdout
    )
    assert report["rows"] == 7
    rows = [line.split(",") for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == ["id", "cluster"]
    cluster = dict(rows[1:])
    assert list(cluster) == ["1", "2", "3", "4", "5", "6", "7"]
    assert cluster["1"] == cluster["2"] == cluster["3"]
    assert cluster["6"] == cluster["7"]
    assert cluster["4"] != cluster["5"]
    assert len({cluster["1"], cluster["4"], cluster["5"], cluster["6"]}) == 4
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_standalone_list_mode_errors_write_nothing(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "clusters.csv"
    bad = tmp_path / "bad.csv"
    bad.write_text("id,fullname\n1,Ilham Tohti\n", encoding="utf-8")
    assert "name" in error_line(cli("dedupe", "--in", str(bad), "--out", str(out), db=False))
    assert not out.exists()
    assert "both --in and --out" in error_line(cli("dedupe", "--in", str(bad), db=False))
