"""Restricted fields on PostgreSQL are sealed by the application and searched through
blind indexes: the database holds none of them in clear, yet the owner still shows,
searches, matches (across scripts and by ID number) and exports them; the same data
re-imported adds nothing; a session without the passphrase sees a marker and never
crashes; a key rotation keeps everything readable.

An embedded archive is encrypted whole by SQLCipher, so these run on PostgreSQL only
(one test checks that SQLite stores its fields as before)."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, make_url

from guwah.store.protect import LOCKED
from tests.conftest import Cli
from tests.helpers import LISTS, error_line, json_of, ok, stats, write_yaml

ONLY_PG = "field encryption is for PostgreSQL: an embedded archive is encrypted whole (SQLCipher)"


def _valid_id(region: str, birth: str, sequence: str) -> str:
    from stdnum.cn import ric

    body = region + birth + sequence
    return body + ric.calc_check_digit(body + "0")  # it skips the last character


ID_NUMBER = _valid_id("653001", "19710304", "902")
# Words that occur only in restricted fields: none may reach the database in clear.
CANARIES = [
    "Qazybek", "Gulpiya",  # a restricted victim's name
    "Nurqizwan", "Ghojamberdi",  # the restricted testifier's name
    "Vexillumqz",  # the restricted source's title, text, URL, reliability
    "CANARY-4471-QZ",  # its archive reference
    "Quotaqzword",  # a quote in a restricted source
    "Qzprofession",  # what the restricted source says of an internal victim
    "Yengiqzstreet",  # an exact address
    "Refqz-88121",  # the restricted victim's external reference
    ID_NUMBER,
]  # fmt: skip
# Public and internal records stay in clear (so they stay prefix-searchable).
CLEAR = ["Ilham", "Tohti", "Memet", "Ablet"]

RESTRICTED_TESTIMONY: dict[str, Any] = {
    "source": {
        "kind": "testimony_written",
        "title": "Vexillumqz: a testimony about two relatives",
        "date": "2020-05-01",
        "language": "en",
        "url": "https://example.org/vexillumqz",
        "archive_ref": "CANARY-4471-QZ",
        "testifier": "t1",
        "original_text": "Vexillumqz. My sister Gulpiya Qazybek was taken in 2018.",
        "reliability": "Vexillumqz: first-hand",
        "sensitivity": "restricted",
    },
    "persons": [
        {"ref": "t1", "kinds": ["testifier"], "names": ["Nurqizwan Ghojamberdi"]},
        {
            "ref": "v1",
            "kinds": ["victim"],
            "sensitivity": "restricted",
            "names": [{"text": "Gulpiya Qazybek", "lang": "kk"}],
            "external_refs": [{"namespace": "canary-list", "ref": "Refqz-88121"}],
        },
        {"ref": "v2", "kinds": ["victim"], "sensitivity": "internal", "names": ["Memet Ablet"]},
    ],
    "claims": [
        {"subject": "v1", "kind": "relation", "value": {"relation": "sibling", "person": "t1"}},
        {"subject": "v1", "kind": "id_number", "value": {"text": ID_NUMBER}},
        {"subject": "v1", "kind": "gender", "value": {"text": "female"}},
        {"subject": "v1", "kind": "born", "date": "1971", "value": {}},
        {
            "subject": "v1",
            "kind": "detained",
            "date": "2018-03",
            "place": "Tekes",
            "value": {"facility_type": "camp"},
            "quote": "Quotaqzword: they took her at night.",
        },
        {"subject": "v1", "kind": "resident_of", "place": "12 Yengiqzstreet, Kashgar old town"},
        {"subject": "v2", "kind": "profession", "value": {"text": "Qzprofession"}},
    ],
}

PUBLIC_REPORT: dict[str, Any] = {
    "source": {
        "kind": "news_article",
        "title": "Economist sentenced to life",
        "date": "2014-09-23",
        "sensitivity": "public",
    },
    "persons": [
        {"ref": "v", "kinds": ["victim"], "sensitivity": "public", "names": ["Ilham Tohti"]}
    ],
    "claims": [
        {"subject": "v", "kind": "sentenced", "date": "2014-09-23", "value": {"life": True}}
    ],
}


@pytest.fixture
def pg_cli(backend: str, request: pytest.FixtureRequest) -> Cli:
    """The command line over a fresh PostgreSQL archive (skipped on SQLite, untouched)."""
    if backend != "postgres":
        pytest.skip(ONLY_PG)
    cli: Cli = request.getfixturevalue("cli_archive")
    return cli


@pytest.fixture
def recorded(pg_cli: Cli, tmp_path: Path) -> dict[str, str]:
    """The canary testimony and a public report recorded; the people's ids by name."""
    ok(pg_cli("add", str(write_yaml(tmp_path / "restricted.yaml", RESTRICTED_TESTIMONY))))
    ok(pg_cli("add", str(write_yaml(tmp_path / "public.yaml", PUBLIC_REPORT))))
    found = {row["name"]: row["id"] for row in json_of(pg_cli, "search", "", "--limit", "50")}
    assert {"Gulpiya Qazybek", "Memet Ablet", "Ilham Tohti", "Nurqizwan Ghojamberdi"} <= set(found)
    return found


def _raw_values(location: str) -> Iterator[tuple[str, str, Any]]:
    """(table, column, value) of every row of every table, read with plain SQL: no Guwah
    column types, so sealed values come out as stored; tsvectors as their text."""
    url = make_url(location).set(drivername="postgresql+psycopg")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            for table in inspect(conn).get_table_names():
                result = conn.exec_driver_sql(f'SELECT * FROM "{table}"')
                columns = list(result.keys())
                for row in result:
                    for column, value in zip(columns, row, strict=True):
                        if value is not None:
                            yield table, column, value
    finally:
        engine.dispose()


def _forms(word: str) -> list[bytes]:
    raw = word.encode("utf-8")
    return [raw.lower(), base64.b64encode(raw).lower(), word.encode("utf-16-le").lower()]


def _hits(location: str, words: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for table, column, value in _raw_values(location):
        stored = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        stored = stored.lower()
        for word in words:
            if any(form in stored for form in _forms(word)):
                found.setdefault(word, []).append(f"{table}.{column}")
    return found


def test_the_database_holds_no_restricted_value_in_clear(
    pg_cli: Cli, recorded: dict[str, str]
) -> None:
    assert _hits(pg_cli.location, CANARIES) == {}
    clear = _hits(pg_cli.location, CLEAR)
    for word in CLEAR:  # names of public and internal people, and their search words
        assert "names.text" in clear[word] and "person_search.document" in clear[word], word


def test_the_owner_still_sees_searches_and_matches_restricted_people(
    pg_cli: Cli, recorded: dict[str, str]
) -> None:
    victim = recorded["Gulpiya Qazybek"]
    shown = ok(pg_cli("show", victim, "--json")).stdout
    for word in ("Gulpiya Qazybek", ID_NUMBER, "Quotaqzword", "Yengiqzstreet", "Refqz-88121"):
        assert word in shown, word
    assert "Qzprofession" in ok(pg_cli("show", recorded["Memet Ablet"], "--json")).stdout

    for words in ("Qazybek", "qazybek gulpiya", "Гульпия Казыбек", ID_NUMBER, "Yengiqzstreet"):
        ids = [row["id"] for row in json_of(pg_cli, "search", words)]
        assert victim in ids, words
    assert recorded["Nurqizwan Ghojamberdi"] in [
        row["id"] for row in json_of(pg_cli, "search", "Ghojamberdi")
    ]
    assert recorded["Memet Ablet"] in [r["id"] for r in json_of(pg_cli, "search", "Qzprofession")]
    # clear words stay prefix-searchable; blind ones are found by whole words only
    assert recorded["Ilham Tohti"] in [r["id"] for r in json_of(pg_cli, "search", "Toh")]

    found = json_of(pg_cli, "match", "Гульпия Казыбек")
    assert found[0]["id"] == victim and found[0]["name"] == "Gulpiya Qazybek"
    by_id = json_of(pg_cli, "match", "Gulpiya Kazybek", "--id-number", ID_NUMBER)
    assert by_id[0]["id"] == victim
    assert "same Chinese ID number" in by_id[0]["reasons"]


def test_export_shows_the_owner_everything_and_reimports_as_nothing_new(
    pg_cli: Cli, recorded: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "all.jsonl"
    ok(pg_cli("export", "-o", str(path)))
    text = path.read_text(encoding="utf-8")
    for word in CANARIES:
        assert word in text, word
    counts = stats(pg_cli)

    report = json_of(pg_cli, "import", str(path))
    assert (report["persons_created"], report["claims_added"]) == (0, 0)
    again = pg_cli("add", str(tmp_path / "restricted.yaml"))
    assert again.exit_code == 0
    assert stats(pg_cli) == counts
    assert _hits(pg_cli.location, CANARIES) == {}


def test_a_list_with_id_numbers_imports_twice_as_once(pg_cli: Cli, tmp_path: Path) -> None:
    """ID-number claims are sealed and their fingerprints keyed, yet recognised."""
    number = _valid_id("650102", "19800101", "123")
    path = tmp_path / "ids.csv"
    path.write_text(
        f"id,name,gender,birth_year,id_number\nI-1,Abla Qadir,female,1980,{number}\n",
        encoding="utf-8",
    )
    first = json_of(pg_cli, "import", str(path), "--list", "ids")
    second = json_of(pg_cli, "import", str(path), "--list", "ids")
    assert first["claims_added"] > 0 and second["claims_added"] == 0
    assert _hits(pg_cli.location, [number]) == {}
    assert [c["id"] for c in json_of(pg_cli, "match", "Abla Qadir", "--id-number", number)]


def test_without_the_passphrase_restricted_values_read_as_a_marker(
    pg_cli: Cli, recorded: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GUWAH_PASSPHRASE")
    victim = recorded["Gulpiya Qazybek"]
    shown = ok(pg_cli("show", victim, "--json")).stdout
    assert LOCKED in shown
    assert not any(word in shown for word in CANARIES)
    listed = ok(pg_cli("search", "", "--limit", "50", "--json")).stdout
    assert LOCKED in listed and "Ilham Tohti" in listed
    assert not any(word in listed for word in CANARIES)
    assert json_of(pg_cli, "search", "Qazybek") == []  # blind words need the key
    ok(pg_cli("show", recorded["Ilham Tohti"]))
    ok(pg_cli("match", "Gulpiya Qazybek"))
    ok(pg_cli("stats"))
    # writing needs the keys: refused in one line, nothing written
    before = stats(pg_cli)
    other = write_yaml(tmp_path / "other.yaml", {**PUBLIC_REPORT, "claims": []})
    assert "locked" in error_line(pg_cli("add", str(other)))
    assert stats(pg_cli) == before
    # the table shows the marker as written (not swallowed as terminal markup)
    assert LOCKED in ok(pg_cli("show", victim)).stdout
    # an export or a dedupe run would carry markers in place of names: refused
    for fmt in ("jsonl", "csv", "ftm"):
        out = tmp_path / f"export.{fmt}"
        line = error_line(pg_cli("export", "--format", fmt, "-o", str(out)))
        assert "keys are locked" in line and "to export" in line
        assert not out.exists()
    assert "to look for duplicates" in error_line(pg_cli("dedupe"))
    assert stats(pg_cli) == before


def test_a_key_rotation_keeps_every_field_readable(pg_cli: Cli, recorded: dict[str, str]) -> None:
    victim = recorded["Gulpiya Qazybek"]
    before = ok(pg_cli("show", victim, "--json")).stdout
    ok(pg_cli("keys", "rotate"))
    assert ok(pg_cli("show", victim, "--json")).stdout == before
    assert victim in [row["id"] for row in json_of(pg_cli, "search", "Qazybek")]
    assert json_of(pg_cli, "match", "Гульпия Казыбек")[0]["id"] == victim
    assert _hits(pg_cli.location, CANARIES) == {}


def test_the_demo_archive_keeps_restricted_sample_values_sealed(
    backend: str, request: pytest.FixtureRequest
) -> None:
    if backend != "postgres":
        pytest.skip(ONLY_PG)
    demo: Cli = request.getfixturevalue("demo_cli")
    ids = sorted(
        {
            number
            for path in [*(LISTS.parent / "cases").glob("*.yaml"), *LISTS.glob("*.csv")]
            for number in re.findall(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9])", path.read_text())
        }
    )
    assert len(ids) >= 2
    refs = ["DEMO-TR-2019-0045", "مېھرىبان تۇرسۇن"]  # a restricted source's ref, its testifier
    assert _hits(demo.location, ids + refs) == {}
    shown = json.dumps(json_of(demo, "search", "مېھرىبان تۇرسۇن"), ensure_ascii=False)
    assert "مېھرىبان تۇرسۇن" in shown


def test_sqlite_stores_its_fields_as_before(backend: str, request: pytest.FixtureRequest) -> None:
    """Nothing is sealed inside the SQLCipher file: it is encrypted whole already."""
    if backend != "sqlite":
        pytest.skip("checks the embedded archive only")
    cli: Cli = request.getfixturevalue("cli_archive")
    tmp_path: Path = request.getfixturevalue("tmp_path")
    ok(cli("add", str(write_yaml(tmp_path / "restricted.yaml", RESTRICTED_TESTIMONY))))
    from guwah.services.archive import open_archive
    from tests.conftest import PASSPHRASE

    archive = open_archive(cli.location, PASSPHRASE, "tester")
    try:
        with archive.engine.connect() as conn:
            names = set(conn.exec_driver_sql("SELECT text FROM names").scalars())
            ids = list(conn.exec_driver_sql("SELECT key FROM name_keys WHERE key LIKE 'id:%'"))
    finally:
        archive.close()
    assert "Gulpiya Qazybek" in names
    assert ids == [(f"id:{ID_NUMBER}",)]


def test_a_restricted_person_merged_into_another_stays_sealed(
    pg_cli: Cli, recorded: dict[str, str], tmp_path: Path
) -> None:
    """The kept person's summary and index carry the absorbed person's names: sealed and
    blind as long as the merge stands."""
    internal = {
        "source": {"kind": "news_article", "title": "A report", "sensitivity": "internal"},
        "persons": [
            {
                "ref": "v",
                "kinds": ["victim"],
                "sensitivity": "internal",
                "names": [{"text": "Gülpiya Kazibek", "lang": "kk"}],
            }
        ],
        "claims": [
            {"subject": "v", "kind": "gender", "value": {"text": "female"}},
            {"subject": "v", "kind": "born", "date": "1971", "value": {}},
        ],
    }
    ok(pg_cli("add", str(write_yaml(tmp_path / "internal.yaml", internal))))
    kept = json_of(pg_cli, "search", "Kazibek")[0]["id"]
    absorbed = recorded["Gulpiya Qazybek"]
    ok(pg_cli("dedupe"))
    items = [
        item["item"]
        for item in json_of(pg_cli, "review", "list")
        if {kept, absorbed} <= {person["id"] for person in item["people"]}
    ]
    assert items, "the two records are proposed as one person"
    ok(pg_cli("review", "merge", str(items[0]), "--keep", kept))

    assert _hits(pg_cli.location, CANARIES) == {}
    assert kept in [row["id"] for row in json_of(pg_cli, "search", "Qazybek")]
    ok(pg_cli("review", "undo", str(items[0])))
    assert absorbed in [row["id"] for row in json_of(pg_cli, "search", "Qazybek")]
    assert _hits(pg_cli.location, CANARIES) == {}


def test_restricted_people_of_an_imported_list_are_sealed(pg_cli: Cli, tmp_path: Path) -> None:
    """Short-form JSON Lines: the people's summaries and index are worked out while the
    file is parsed, then stored sealed and blind like any other."""
    number = _valid_id("650102", "19800101", "123")
    lines = [
        {
            "type": "person",
            "sensitivity": "restricted",
            "names": ["Gulpiya Qazybek"],
            "claims": [
                {"kind": "id_number", "value": {"text": ID_NUMBER}},
                {"kind": "resident_of", "place": "12 Yengiqzstreet, Kashgar old town"},
            ],
        },
        {
            "type": "person",
            "names": ["Memet Ablet"],
            "claims": [{"kind": "id_number", "value": {"text": number}}],
        },
    ]
    path = tmp_path / "people.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    ok(pg_cli("import", str(path)))
    assert _hits(pg_cli.location, [*CANARIES, number]) == {}
    assert "names.text" in _hits(pg_cli.location, ["Ablet"])["Ablet"]
    found = {row["name"]: row["id"] for row in json_of(pg_cli, "search", "Qazybek")}
    assert list(found) == ["Gulpiya Qazybek"]
    assert json_of(pg_cli, "search", number)[0]["name"] == "Memet Ablet"
    assert json_of(pg_cli, "match", "Гульпия Казыбек")[0]["name"] == "Gulpiya Qazybek"


def test_a_process_that_drops_its_keys_stops_opening_fields(
    pg_cli: Cli, recorded: dict[str, str]
) -> None:
    """A server keeps the field keys as long as its keyring: a rotation keeps them, a
    lock (which drops the keyring) takes them away at once."""
    from sqlalchemy import select

    from guwah.services.archive import open_archive
    from guwah.services.keys import rotate
    from guwah.store import tables
    from tests.conftest import PASSPHRASE

    server = open_archive(pg_cli.location, PASSPHRASE, "server")
    try:

        def names() -> set[str]:
            with server.engine.connect() as conn:
                return set(conn.execute(select(tables.names.c.text)).scalars())

        assert "Gulpiya Qazybek" in names()
        rotate(server)
        assert "Gulpiya Qazybek" in names()
        assert server.keys is not None
        server.keys.drop()  # what `guwah lock` makes a running process do
        assert "Gulpiya Qazybek" not in names() and LOCKED in names()
    finally:
        server.close()
    assert "Gulpiya Qazybek" in ok(pg_cli("show", recorded["Gulpiya Qazybek"])).stdout


def test_notes_about_people_are_sealed_whatever_the_record(
    pg_cli: Cli, recorded: dict[str, str], tmp_path: Path
) -> None:
    """Case plans, action descriptions, consent notes and reviewers' notes are free text
    that can name a testifier or a relative in China even on an internal record."""
    words = ["Qznextstep", "Qzaction", "Qzconsentnote", "Qzjudgement"]
    case = {
        **PUBLIC_REPORT,
        "source": {**PUBLIC_REPORT["source"], "title": "Campaign file"},
        "cases": [
            {
                "subject": "v",
                "status": "active",
                "next_steps": "Qznextstep: call the daughter in Almaty",
                "actions": [{"kind": "letter", "description": "Qzaction: letter to the UN"}],
            }
        ],
    }
    added = json_of(pg_cli, "add", str(write_yaml(tmp_path / "case.yaml", case)))
    victim, other = added[0]["persons"]["v"], recorded["Memet Ablet"]
    testifier = recorded["Nurqizwan Ghojamberdi"]
    ok(pg_cli("consent", "record", testifier, "--how", "oral", "--note", "Qzconsentnote"))
    from guwah.services.archive import open_archive
    from guwah.store import matching
    from tests.conftest import PASSPHRASE

    archive = open_archive(pg_cli.location, PASSPHRASE, "tester")
    try:
        with archive.engine.begin() as conn:
            numbers = [int(p.split("-")[1]) for p in (victim, other)]
            matching.add_judgements(
                conn, [(numbers[0], numbers[1])], "different", "tester", "2026-11-27",
                "Qzjudgement: the sister says no",
            )  # fmt: skip
    finally:
        archive.close()

    assert _hits(pg_cli.location, words) == {}
    shown = ok(pg_cli("show", victim)).stdout
    assert "Qznextstep" in shown and "Qzaction" in shown  # the owner reads them
    exported = ok(pg_cli("export", "--format", "jsonl")).stdout
    assert all(word in exported for word in ("Qznextstep", "Qzaction"))
    assert "Qzconsentnote" in json.dumps(json_of(pg_cli, "consent", "show", testifier))


def test_an_evidence_file_recorded_by_name_only_keeps_its_name_sealed(
    pg_cli: Cli, recorded: dict[str, str], tmp_path: Path
) -> None:
    """Evidence lines of a JSON Lines file carry a file name, which may name a witness."""
    exported = ok(pg_cli("export", "--format", "jsonl")).stdout
    source = next(
        json.loads(line)["id"] for line in exported.splitlines() if '"type": "source"' in line
    )
    line = {"type": "evidence", "id": "E-000077", "source": source,
            "filename": "testimony-of-Qzwitnessname.mp4", "media_type": "video/mp4",
            "size": 10, "sha256": "ab" * 32, "added_by": "x", "added_at": "2020-01-01"}  # fmt: skip
    path = tmp_path / "evidence.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    ok(pg_cli("import", str(path)))

    assert _hits(pg_cli.location, ["Qzwitnessname"]) == {}
    listed = json.dumps(json_of(pg_cli, "evidence", "list"))
    assert "testimony-of-Qzwitnessname.mp4" in listed  # the owner still reads it
