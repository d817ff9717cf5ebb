"""A person's current view, as ``guwah show --json`` gives it: conflicting claims side by side
with their sources, corroboration by independent testifiers, corrections and rejections
that keep the old claim, and the status taken from the latest dated event."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.helpers import error_line, json_of, ok, write_yaml


class Story:
    """Testimony files about one victim, written and added one by one."""

    def __init__(self, cli: Cli, folder: Path) -> None:
        self.cli, self.folder = cli, folder
        self.victim = ""
        self.people: dict[str, str] = {}
        self.files = 0

    def add(self, data: dict[str, Any]) -> dict[str, Any]:
        self.files += 1
        path = write_yaml(self.folder / f"file-{self.files}.yaml", data)
        added: dict[str, Any] = json_of(self.cli, "add", str(path))[0]
        self.people.update(added["persons"])
        self.victim = self.victim or added["persons"]["v1"]
        return added

    def testimony(
        self, testifier: dict[str, Any], claims: list[dict[str, Any]], title: str
    ) -> dict[str, Any]:
        """A testimony by ``testifier`` (new: a name; known: an id) about the victim."""
        victim = {"id": self.victim} if self.victim else {
            "ref": "v1", "kinds": ["victim"], "names": [{"text": "Bakhytzhan Viewtest"}]
        }  # fmt: skip
        return self.add(
            {
                "source": {"kind": "testimony_oral", "title": title, "testifier": "t"},
                "persons": [{"ref": "t", "kinds": ["testifier"], **testifier}, victim],
                "claims": [{"subject": self.victim or "v1", **c} for c in claims],
            }
        )

    def article(self, claims: list[dict[str, Any]], title: str) -> dict[str, Any]:
        return self.add(
            {
                "source": {"kind": "news_article", "title": title},
                "persons": [{"id": self.victim}],
                "claims": [{"subject": self.victim, **c} for c in claims],
            }
        )

    def show(self) -> dict[str, Any]:
        shown: dict[str, Any] = json_of(self.cli, "show", self.victim)
        return shown


def _sentence(years: int, date: str = "2019") -> dict[str, Any]:
    return {"kind": "sentenced", "date": date, "value": {"years": years}}


def _values(shown: dict[str, Any], field: str) -> dict[str, dict[str, Any]]:
    """Every value of a view field (the best and the conflicting ones) by its text."""
    data = shown["view"]["fields"][field]
    best = {k: data[k] for k in ("claims", "sources", "corroboration")}
    return {data["value"]: best, **{v["value"]: v for v in data["conflicting"]}}


def _claim(shown: dict[str, Any], claim_id: str) -> dict[str, Any]:
    claim: dict[str, Any] = next(c for c in shown["claims"] if c["id"] == claim_id)
    return claim


@pytest.fixture
def story(cli_archive: Cli, tmp_path: Path) -> Story:
    """Two testifiers disagree: twelve years (first testimony) against ten (second)."""
    story = Story(cli_archive, tmp_path)
    story.testimony(
        {"names": [{"text": "Aygul Firstwitness"}]},
        [{"kind": "detained", "date": "2017-10", "value": {"reason": "prayer"}}, _sentence(12)],
        "Testimony of the daughter",
    )
    story.testimony(
        {"names": [{"text": "Marat Secondwitness"}]}, [_sentence(10)], "Testimony of a neighbour"
    )
    return story


def test_conflicting_claims_are_both_in_the_view_with_their_sources(story: Story) -> None:
    shown = story.show()
    sources = {s["title"]: sid for sid, s in shown["sources"].items()}

    values = _values(shown, "sentence")

    assert set(values) == {"12 years", "10 years"}
    assert values["12 years"]["sources"] == [sources["Testimony of the daughter"]]
    assert values["10 years"]["sources"] == [sources["Testimony of a neighbour"]]
    assert values["12 years"]["corroboration"] == values["10 years"]["corroboration"] == 1
    for value in values.values():
        (claim_id,) = value["claims"]
        assert _claim(shown, claim_id)["source"] in value["sources"]


def test_a_life_sentence_and_a_death_sentence_conflict(story: Story) -> None:
    story.article([{"kind": "sentenced", "date": "2020", "value": {"life": True}}], "Report A")
    story.article([{"kind": "sentenced", "date": "2020", "value": {"death": True}}], "Report B")
    story.article([{"kind": "sentenced", "date": "2020", "value": {"life": True}}], "Report C")
    values = _values(story.show(), "sentence")
    assert {"life", "death", "12 years", "10 years"} <= set(values)
    assert len(values["life"]["sources"]) == 2 and len(values["death"]["sources"]) == 1


def test_corroboration_counts_distinct_testifiers(story: Story) -> None:
    shown = story.show()
    daughter = next(s["testifier"] for s in shown["sources"].values() if "daughter" in s["title"])

    story.testimony({"id": daughter}, [_sentence(12)], "Second interview with the daughter")
    again = _values(story.show(), "sentence")

    assert len(again["12 years"]["sources"]) == 2
    assert len(again["12 years"]["claims"]) == 2
    assert again["12 years"]["corroboration"] == 1  # the same testifier, told twice

    story.testimony({"names": [{"text": "Serik Thirdwitness"}]}, [_sentence(12)], "A cellmate")
    story.article([_sentence(12)], "Press report of the verdict")
    view = story.show()["view"]["fields"]["sentence"]

    assert view["value"] == "12 years"
    assert view["corroboration"] == 3  # the daughter, the cellmate, the article
    assert [v["value"] for v in view["conflicting"]] == ["10 years"]


def test_a_correction_supersedes_and_keeps_the_old_claim(story: Story) -> None:
    before = story.show()
    (old_id,) = _values(before, "sentence")["10 years"]["claims"]

    result = ok(story.cli("claim", "correct", old_id, "--value", '{"years": 12}'))

    printed = " ".join(result.stdout.split())  # however the terminal wrapped it
    match = re.search(r"(C-\d+) sentenced 12 years .*supersedes (C-\d+)", printed)
    assert match and match.group(2) == old_id, result.stdout
    new_id = match.group(1)
    after = story.show()
    old, new = _claim(after, old_id), _claim(after, new_id)
    assert old["status"] == "superseded"
    assert old["value"] == {"years": 10}
    assert (new["status"], new["supersedes"], new["value"]) == ("accepted", old_id, {"years": 12})
    assert new["source"] == old["source"]
    assert len(after["claims"]) == len(before["claims"]) + 1
    values = _values(after, "sentence")
    assert set(values) == {"12 years"}
    assert new_id in values["12 years"]["claims"]
    assert values["12 years"]["corroboration"] == 2

    line = error_line(story.cli("claim", "correct", old_id, "--value", '{"years": 11}'))
    assert "superseded" in line
    assert "JSON" in error_line(story.cli("claim", "correct", new_id, "--value", "{years: 11"))
    assert "nothing to correct" in error_line(story.cli("claim", "correct", new_id))
    assert "C-999999" in error_line(story.cli("claim", "correct", "C-999999", "--date", "2019"))


def test_rejecting_removes_from_the_view_and_keeps_the_claim(story: Story) -> None:
    (ten,) = _values(story.show(), "sentence")["10 years"]["claims"]

    ok(story.cli("claim", "reject", ten))

    shown = story.show()
    assert set(_values(shown, "sentence")) == {"12 years"}
    assert _claim(shown, ten)["status"] == "rejected"
    assert "rejected" in error_line(story.cli("claim", "reject", ten))

    ok(story.cli("claim", "accept", ten))
    assert set(_values(story.show(), "sentence")) == {"12 years", "10 years"}


def test_status_follows_the_latest_dated_event(cli_archive: Cli, tmp_path: Path) -> None:
    story = Story(cli_archive, tmp_path)
    story.testimony(
        {"names": [{"text": "Aygul Firstwitness"}]},
        [{"kind": "detained", "date": "2017-04"}, _sentence(7, "2019-02")],
        "Testimony of the sister",
    )
    assert story.show()["view"]["status"] == "sentenced"

    story.article([{"kind": "released", "date": "2021-06"}], "Report of a release")
    assert story.show()["view"]["status"] == "released"
    found = json_of(cli_archive, "search", "Viewtest", "--status", "released")
    assert [r["id"] for r in found] == [story.victim]

    # recorded later, but an earlier event: the status stays "released"
    story.article([{"kind": "transferred", "date": "2018-01"}], "Report of a transfer")
    assert story.show()["view"]["status"] == "released"
