"""``guwah search`` over the demo archive: names in every script, filters, paging limits,
and user text that looks like full-text query syntax."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from guwah.names import compare
from guwah.services.archive import open_archive
from guwah.services.query import find_people
from tests.conftest import PASSPHRASE, Cli
from tests.helpers import error_line, json_of, stats


def _search(cli: Cli, *args: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json_of(cli, "search", *args, "--limit", "500")
    return rows


def _names_of(cli: Cli, person_id: str) -> list[str]:
    return [n["text"] for n in json_of(cli, "show", person_id)["names"]]


SCRIPTS = [
    ("Tohti", "Ilham Tohti"),  # Latin
    ("tohti", "Ilham Tohti"),  # any case
    ("Гүлбаһар", "Гүлбаһар Жәлилова"),  # Cyrillic (Kazakh)
    ("جەۋھەر", "Jewher Ilham"),  # Uyghur Arabic script
    ("伊力哈木", "Ilham Tohti"),  # Chinese
]


def test_search_finds_names_in_every_script(demo_cli: Cli) -> None:
    for query, expected in SCRIPTS:
        rows = _search(demo_cli, query)

        assert 1 <= len(rows) <= 3, (query, rows)
        names = {row["id"]: _names_of(demo_cli, row["id"]) for row in rows}
        assert any(expected in found for found in names.values()), (query, names)
        for found in names.values():  # every hit has a name with the word, in any script
            assert any(
                query.lower() in name.lower() or compare(query, name).same for name in found
            ), (query, found)


def test_filters_narrow_and_agree(demo_cli: Cli) -> None:
    everyone = _search(demo_cli)
    assert len(everyone) == stats(demo_cli)["persons"]

    sentenced = _search(demo_cli, "--status", "sentenced")
    assert sentenced and {r["status"] for r in sentenced} == {"sentenced"}
    kazakh = _search(demo_cli, "--ethnicity", "Kazakh")
    assert kazakh and {r["ethnicity"] for r in kazakh} == {"Kazakh"}
    in_2017 = _search(demo_cli, "--year", "2017")
    assert in_2017 and {r["detained_year"] for r in in_2017} == {2017}

    kashgar = _search(demo_cli, "--place", "Kashgar")
    assert kashgar
    assert all(r["place"].startswith("CN-6531") for r in kashgar)  # Kashgar prefecture codes
    for other_name in ("喀什", "喀什地区", "قەشقەر"):
        assert _search(demo_cli, "--place", other_name) == kashgar

    both = _search(demo_cli, "--status", "sentenced", "--ethnicity", "Kazakh")
    assert both
    assert {r["id"] for r in both} == {r["id"] for r in sentenced} & {r["id"] for r in kazakh}

    tohti_sentenced = _search(demo_cli, "Tohti", "--status", "sentenced")
    assert [r["name"] for r in tohti_sentenced] == ["Ilham Tohti"]


def test_limit_and_paging(demo_cli: Cli) -> None:
    line = error_line(demo_cli("search", "--limit", "501"))
    assert "500" in line
    first = json_of(demo_cli, "search", "--limit", "4")
    assert len(first) == 4
    page_one = json_of(demo_cli, "search", "--limit", "2")
    page_two = json_of(demo_cli, "search", "--limit", "2", "--offset", "2")
    assert page_one + page_two == first
    assert "Atlantis" in error_line(demo_cli("search", "--place", "Atlantis"))


SYNTAX_ONLY = ['"', "*", "NEAR(", "-", ":", "'", "(", ")", "^", '""', "+", "{", "}"]
WITH_WORDS = [
    "Tohti*",
    '"Tohti"',
    'Tohti"',
    "Tohti:",
    "Tohti'",
    "(Tohti)",
    "Tohti OR Jewher",
    "Tohti -Ilham",
    "Tohti NOT Ilham",
    "Tohti AND",
    "NEAR(Tohti Ilham)",
    "names:Tohti",
    "Tohti^",
    "Tohti}",
]


def test_query_syntax_characters_are_plain_text(demo_cli: Cli) -> None:
    for query in ('"', "NEAR(", "*"):  # through the command line: no error, no match
        assert _search(demo_cli, query) == [], query
    assert _search(demo_cli, "Tohti OR Jewher") == []
    archive = open_archive(demo_cli.location, PASSPHRASE, "tester")
    try:
        total = stats(demo_cli)["persons"]
        tohti = {r["id"] for r in find_people(archive, "Tohti", limit=500)}
        assert len(tohti) >= 1
        for query in SYNTAX_ONLY:
            assert find_people(archive, query, limit=500) == [], query
        for query in WITH_WORDS:
            found = {r["id"] for r in find_people(archive, query, limit=500)}
            assert found <= tohti, query  # an OR or a NOT never widens the search
        for word in ("OR", "AND", "NOT", "NEAR"):
            assert len(find_people(archive, word, limit=500)) < total, word
    finally:
        archive.close()


def test_the_last_word_is_a_prefix_on_every_backend(cli_archive: Cli, tmp_path: Path) -> None:
    case = tmp_path / "prefix.yaml"
    case.write_text(
        "source: {kind: news_article, title: Prefix}\n"
        "persons: [{ref: v, names: [Ilham Tohti, 伊力哈木·土赫提]}]\n",
        encoding="utf-8",
    )
    assert cli_archive("add", str(case)).exit_code == 0
    for words in ("Ilh", "ilham toh", "伊力哈木", "Tohti it's"):
        found = json.loads(cli_archive("search", words, "--json").stdout)
        expected = [] if words == "Tohti it's" else ["Ilham Tohti"]
        assert [r["name"] for r in found] == expected, words
