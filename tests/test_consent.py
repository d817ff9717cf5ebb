"""Consent: recorded, shown and withdrawn through ``guwah consent``; publication (the public
export in every format) and what a researcher sees obey the latest consent, both ways."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from guwah.secure import accounts as secure_accounts
from tests.conftest import Cli
from tests.helpers import error_line, json_of, ok, write_yaml

TESTIFIER = "Aigerim Sapargalikyzy"
VICTIM = "Gulnar Toktasynkyzy"
TEXT = "In March 2018 four policemen took my mother from our house in Tekes."
QUOTE = "They came at night and did not say where they were taking her."
FORMATS = ("jsonl", "csv", "ftm")


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with low cost, so that signing in is quick in tests."""
    monkeypatch.setattr(secure_accounts, "hasher", PasswordHasher(time_cost=1, memory_cost=1024,
                                                                  parallelism=1))  # fmt: skip


@pytest.fixture
def testimony(cli_archive: Cli, tmp_path: Path) -> dict[str, Any]:
    """A public testimony by a public testifier about a public victim: only consent can keep
    the testifier's name, the text and the victim out of a public export."""
    path = write_yaml(
        tmp_path / "testimony.yaml",
        {
            "source": {
                "kind": "testimony_oral",
                "title": "A daughter's account",
                "date": "2019-04",
                "testifier": "t1",
                "original_text": TEXT,
                "sensitivity": "public",
            },
            "persons": [
                {
                    "ref": "t1",
                    "kinds": ["testifier"],
                    "sensitivity": "public",
                    "names": [{"text": TESTIFIER, "lang": "kk"}],
                },
                {
                    "ref": "v1",
                    "kinds": ["victim"],
                    "sensitivity": "public",
                    "names": [{"text": VICTIM, "lang": "kk"}],
                },
            ],
            "claims": [
                {"subject": "v1", "kind": "detained", "date": "2018-03", "quote": QUOTE},
                {
                    "subject": "t1",
                    "kind": "relation",
                    "value": {"relation": "child", "person": "v1"},
                },
            ],
        },
    )
    [added] = json_of(cli_archive, "add", str(path))
    return {
        "source": added["source"],
        "testifier": added["persons"]["t1"],
        "victim": added["persons"]["v1"],
    }


def public_exports(cli: Cli) -> dict[str, str]:
    return {
        fmt: ok(cli("export", "--format", fmt, "--max-sensitivity", "public")).stdout
        for fmt in FORMATS
    }


def published(cli: Cli) -> dict[str, set[str]]:
    """What of the testimony each public export format holds."""
    found: dict[str, set[str]] = {}
    for fmt, text in public_exports(cli).items():
        found[fmt] = {
            name for name, value in
            (("testifier", TESTIFIER), ("victim", VICTIM), ("text", TEXT), ("quote", QUOTE))
            if value in text
        }  # fmt: skip
    return found


def test_nothing_is_published_without_consent(cli_archive: Cli, testimony: dict[str, Any]) -> None:
    assert published(cli_archive) == {fmt: set() for fmt in FORMATS}
    internal = ok(cli_archive("export", "--format", "jsonl", "--max-sensitivity", "internal"))
    assert VICTIM in internal.stdout and TEXT in internal.stdout  # internal data
    assert TESTIFIER not in internal.stdout  # a testifier's identity is restricted
    everything = ok(cli_archive("export", "--format", "jsonl")).stdout
    assert TESTIFIER in everything and TEXT in everything


def test_publication_follows_the_latest_consent_both_ways(
    cli_archive: Cli, testimony: dict[str, Any]
) -> None:
    source = testimony["source"]
    ok(cli_archive("consent", "record", source, "--publish-name", "--how", "written"))
    assert published(cli_archive) == {"jsonl": {"testifier"}, "csv": {"testifier"},
                                      "ftm": {"testifier"}}  # fmt: skip
    ftm = [json.loads(line) for line in public_exports(cli_archive)["ftm"].splitlines()]
    roles = {e["properties"]["role"][0] for e in ftm if e["schema"] == "Documentation"}
    assert "testifier" in roles

    ok(cli_archive("consent", "record", source, "--publish-name", "--publish-text",
                   "--publish-victim", "--how", "recorded", "--date", "2019-04-02",
                   "--note", "video consent, tape 7"))  # fmt: skip
    every = published(cli_archive)
    assert every["jsonl"] == {"testifier", "victim", "text", "quote"}
    assert every["csv"] == {"testifier", "victim"}  # a list of people: no text
    assert every["ftm"] == {"testifier", "victim", "quote"}  # FtM carries quotes, not the text

    withdrawn = ok(cli_archive("consent", "withdraw", source, "--how", "oral",
                               "--note", "asked by phone"))  # fmt: skip
    assert "withdrawn: nothing" in withdrawn.stdout
    assert published(cli_archive) == {fmt: set() for fmt in FORMATS}

    report = json_of(cli_archive, "consent", "show", source)
    assert report["testifier"] == testimony["testifier"]
    assert report["in_force"]["withdrawal"] is True
    history = report["history"]
    assert [(h["publish_name"], h["publish_testimony_text"], h["how"]) for h in history] == [
        (True, False, "written"),
        (True, True, "recorded"),
        (False, False, "oral"),
    ]
    assert report["history"][1]["note"] == "video consent, tape 7"
    assert report["history"][1]["given_on"] == "2019-04-02"
    assert all(h["recorded_by"] == "tester" for h in report["history"])


def test_a_testifiers_general_consent_and_a_later_source_withdrawal(
    cli_archive: Cli, testimony: dict[str, Any]
) -> None:
    testifier, source = testimony["testifier"], testimony["source"]
    ok(cli_archive("consent", "record", testifier, "--publish-name", "--publish-text",
                   "--how", "written"))  # fmt: skip
    # the quote is in a claim about the victim, whose identity is not agreed to
    assert published(cli_archive)["jsonl"] == {"testifier", "text"}
    text = ok(cli_archive("consent", "show", testifier)).stdout
    assert "publish_name, publish_testimony_text" in text and "all testimony of" in text
    ok(cli_archive("consent", "withdraw", source, "--how", "written"))
    assert published(cli_archive)["jsonl"] == set()


def test_researchers_see_a_testifier_only_with_consent(
    cli_archive: Cli, testimony: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUWAH_NEW_PASSWORD", "plum orchard 1947")
    ok(cli_archive("user", "add", "tester", "--role", "admin"))
    monkeypatch.setenv("GUWAH_PASSWORD", "plum orchard 1947")
    ok(cli_archive("user", "add", "rana", "--role", "researcher"))

    def as_researcher(*args: str) -> Any:
        monkeypatch.setenv("GUWAH_USER", "rana")
        try:
            return cli_archive(*args)
        finally:
            monkeypatch.setenv("GUWAH_USER", "tester")

    victim = json.loads(ok(as_researcher("show", testimony["victim"], "--json")).stdout)
    assert victim["sources"][testimony["source"]]["testifier"] is None
    assert victim["related_by_others"] == []
    line = error_line(as_researcher("show", testimony["testifier"]))
    assert line == f"error: no person {testimony['testifier']} in the archive"
    assert TESTIFIER not in ok(as_researcher("search", "Aigerim", "--json")).stdout
    assert "guwah consent record is not allowed for role researcher" in error_line(
        as_researcher("consent", "record", testimony["source"], "--publish-name", "--how", "oral")
    )

    ok(cli_archive("consent", "record", testimony["source"], "--publish-name", "--how", "oral"))
    victim = json.loads(ok(as_researcher("show", testimony["victim"], "--json")).stdout)
    assert victim["sources"][testimony["source"]]["testifier"] == testimony["testifier"]
    assert TESTIFIER in ok(as_researcher("show", testimony["testifier"])).stdout
    assert TESTIFIER in ok(as_researcher("search", "Aigerim", "--json")).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("record", "S-000001", "--testifier", "P-000002", "--how", "oral"), "not the testifier"),
        (("record", "S-000001", "--how", "email"), "--how must be one of oral, written, recorded"),
        (("record", "S-000099", "--how", "oral"), "no source S-000099"),
        (("record", "P-000099", "--how", "oral"), "no person P-000099"),
        (("show", "C-000001"), "not a source or person id"),
        (("record", "S-000001", "--how", "oral", "--date", "2019-02-30"), "2019-02-30"),
    ],
)
def test_bad_consent_input_is_one_clear_line(
    cli_archive: Cli, testimony: dict[str, Any], args: tuple[str, ...], message: str
) -> None:
    assert testimony["source"] == "S-000001" and testimony["testifier"] == "P-000001"
    before = ok(cli_archive("consent", "show", "S-000001", "--json")).stdout
    assert message in error_line(cli_archive("consent", *args))
    assert ok(cli_archive("consent", "show", "S-000001", "--json")).stdout == before
