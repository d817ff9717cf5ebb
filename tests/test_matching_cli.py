"""Candidate search, cross-script search and the duplicate review queue, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli
from tests.helpers import error_line, json_of, ok

PEOPLE = """id,name,gender,birth_year,ethnicity,hometown,names
A-1,Gulpiya Qazybek,female,1971,Kazakh,Tekes County,
A-2,Ilham Tohti,male,1969,Uyghur,Atush,ئىلھام توختى
A-3,Jewher Ilham,female,1994,Uyghur,Atush,
A-4,Gulnar Tursun,female,1980,Uyghur,Kashgar,
A-5,Mihrigul Tursun,female,1989,Uyghur,Kashgar,
A-6,Memet Ablet,male,1975,Uyghur,Hotan,
"""


def _archive_with_people(cli: Cli, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE, encoding="utf-8")
    ok(cli("import", str(path), "--list", "people"))
    found = {}
    for row in json_of(cli, "search", "", "--limit", "50"):
        found[row["name"]] = row["id"]
    return found


def test_match_finds_a_kazakh_name_typed_in_cyrillic(cli_archive: Cli, tmp_path: Path) -> None:
    ids = _archive_with_people(cli_archive, tmp_path)
    found = json_of(cli_archive, "match", "Гульпия Казыбек")
    assert found[0]["id"] == ids["Gulpiya Qazybek"]
    assert found[0]["score"] >= 0.8
    assert found[0]["reasons"]


def test_match_in_uyghur_arabic_and_with_facts(cli_archive: Cli, tmp_path: Path) -> None:
    ids = _archive_with_people(cli_archive, tmp_path)
    found = json_of(cli_archive, "match", "ئىلھام توختى", "--birth-year", "1969")
    assert found[0]["id"] == ids["Ilham Tohti"]
    assert ids["Jewher Ilham"] not in [c["id"] for c in found if c["score"] >= 0.8]
    far = json_of(cli_archive, "match", "Ilham Tohti", "--birth-year", "1999")
    assert far[0]["score"] < found[0]["score"]


def test_sisters_are_not_proposed_as_the_same(cli_archive: Cli, tmp_path: Path) -> None:
    ids = _archive_with_people(cli_archive, tmp_path)
    found = json_of(cli_archive, "match", "Gulnar Tursun")
    assert found[0]["id"] == ids["Gulnar Tursun"]
    sister = [c for c in found if c["id"] == ids["Mihrigul Tursun"]]
    assert not sister or sister[0]["score"] < 0.8


def test_search_finds_names_in_another_script(cli_archive: Cli, tmp_path: Path) -> None:
    ids = _archive_with_people(cli_archive, tmp_path)
    rows = json_of(cli_archive, "search", "Гульпия Казыбек")
    assert rows[0]["id"] == ids["Gulpiya Qazybek"]
    rows = json_of(cli_archive, "search", "Ильхам Тохти", "--ethnicity", "Uyghur")
    assert rows[0]["id"] == ids["Ilham Tohti"]
    assert json_of(cli_archive, "search", "Ильхам Тохти", "--ethnicity", "Kazakh") == []


def test_match_bad_input_is_one_line(cli_archive: Cli, tmp_path: Path) -> None:
    _archive_with_people(cli_archive, tmp_path)
    assert "ID number" in error_line(cli_archive("match", "Ilham", "--id-number", "123"))
    assert "gender" in error_line(cli_archive("match", "Ilham", "--gender", "x"))
    assert "birth year" in error_line(cli_archive("match", "Ilham", "--birth-year", "3020"))
    assert "name" in error_line(cli_archive("match", "  "))


def test_names_commands_need_no_archive(cli: Cli) -> None:
    data = json.loads(ok(cli("names", "keys", "ئىلھام توختى", "--json", db=False)).stdout)
    assert [p["reading"] for p in data["parts"]] == ["ilham", "toxti"]
    assert data["pair_keys"]
    args = ("names", "compare", "Гульпия Казыбек", "Gulpiya Qazybek", "--json")
    compared = json.loads(ok(cli(*args, db=False)).stdout)
    assert compared["same"] is True
    assert compared["explanation"]
    text = ok(cli("names", "compare", "Gulnar Tursun", "Mihrigul Tursun", db=False)).stdout
    assert "not the same" in text


def _valid_id(region: str, birth: str, sequence: str) -> str:
    from stdnum.cn import ric

    body = region + birth + sequence
    return body + ric.calc_check_digit(body + "0")  # it skips the last character


def test_match_by_id_number_finds_the_holder_under_any_spelling(
    cli_archive: Cli, tmp_path: Path
) -> None:
    number = _valid_id("653001", "19710304", "902")
    other = _valid_id("653001", "19710304", "904")
    path = tmp_path / "ids.csv"
    path.write_text(
        "id,name,gender,birth_year,id_number\n"
        f"I-1,Qurban Mamut,male,1971,{number}\n"
        f"I-2,Kurban Mamut,male,1971,{other}\n",
        encoding="utf-8",
    )
    ok(cli_archive("import", str(path), "--list", "ids"))
    found = json_of(cli_archive, "match", "库尔班·马木提", "--id-number", number)
    assert found[0]["score"] >= 0.99
    assert "same Chinese ID number" in found[0]["reasons"]
    assert found[1]["score"] < found[0]["score"] - 0.3
    assert "a different Chinese ID number" in found[1]["reasons"]
