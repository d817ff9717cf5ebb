"""FollowTheMoney export: mapping, sensitivity, testifier protection, FtM validity."""

from __future__ import annotations

import json
from typing import Any

import pytest

from guwah.publish.ftm import export_ftm

NEWS_URL = "https://news.example.org/2019/05/kazakh-woman-sentenced"
TESTIMONY_URL = "https://video.example.org/testimony/4455"
TESTIFIER_NAME = "Айгүл Серікқызы"


Record = dict[str, Any]


def _person(pid: str, kinds: list[str], sensitivity: str, *names: tuple[str, str]) -> Record:
    return {
        "type": "person",
        "id": pid,
        "kinds": kinds,
        "sensitivity": sensitivity,
        "external_refs": [],
        "names": [{"text": text, "kind": kind, "source": "S-000001"} for text, kind in names],
    }


def _source(sid: str, kind: str, sensitivity: str, **extra: Any) -> Record:
    record: Record = {"type": "source", "id": sid, "kind": kind, "title": f"Title of {sid}",
              "date": None, "language": "en", "url": None, "testifier": None, "subjects": [],
              "sensitivity": sensitivity}  # fmt: skip
    record.update(extra)
    return record


def _claim(cid: str, person: str, source: str, kind: str, **extra: Any) -> Record:
    record: Record = {"type": "claim", "id": cid, "person": person, "source": source, "kind": kind,
              "value": {}, "date": None, "place": None, "place_text": None, "quote": None,
              "status": "accepted"}  # fmt: skip
    record.update(extra)
    return record


def _records() -> list[dict[str, Any]]:
    places: list[Record] = [
        {"type": "place", "code": "XJ", "kind": "region", "parent": None,
         "names": {"en": "Xinjiang", "zh": "新疆"}},
        {"type": "place", "code": "XJ-ILI", "kind": "prefecture", "parent": "XJ",
         "names": {"en": "Ili Kazakh Autonomous Prefecture", "zh": "伊犁哈萨克自治州"}},
        {"type": "place", "code": "XJ-ILI-GULJA-C", "kind": "county", "parent": "XJ-ILI",
         "names": {"en": "Ghulja County", "zh": "伊宁县"}},
    ]  # fmt: skip
    persons: list[Record] = [
        _person("P-000001", ["victim"], "internal",
                ("Bakhytgul Mukhamet", "full"), ("Бақытгүл Мұхаметқызы", "full"),
                ("باختىگۈل مۇھەممەت", "full"), ("巴合提古丽·木哈买提", "full"),
                ("Bakhytgul", "given"), ("Mukhamet", "patronymic"), ("Baqyt", "alias")),
        _person("P-000002", ["testifier"], "internal", (TESTIFIER_NAME, "full")),
        _person("P-000003", ["testifier"], "internal", ("Nurlan Mukhamet", "full")),
        _person("P-000004", ["victim"], "restricted", ("Hidden Victim", "full")),
        _person("P-000005", ["other"], "public", ("Erlan Neighbour", "full")),
    ]  # fmt: skip
    sources: list[Record] = [
        _source("S-000001", "news_article", "public", url=NEWS_URL, date="2019-05-21",
                title="Kazakh woman sentenced to 12 years",
                subjects=[{"person": "P-000001", "relation": None}]),
        _source("S-000002", "testimony_video", "restricted", url=TESTIMONY_URL, language="kk",
                title=f"Testimony of {TESTIFIER_NAME}", testifier="P-000002", date="2019-05",
                subjects=[{"person": "P-000001", "relation": "mother"}]),
        _source("S-000003", "news_article", "public", url="https://news.example.org/hidden",
                subjects=[{"person": "P-000004", "relation": None}]),
        _source("S-000004", "testimony_written", "internal", language="ug", testifier="P-000003",
                subjects=[{"person": "P-000001", "relation": "sibling"}]),
    ]  # fmt: skip
    claims: list[Record] = [
        _claim("C-000001", "P-000001", "S-000001", "born", date="1965-02?"),
        _claim("C-000002", "P-000001", "S-000001", "ethnicity", value={"text": "Kazakh"}),
        _claim("C-000003", "P-000001", "S-000001", "id_number",
               value={"text": "654021196502140021"}),
        _claim("C-000004", "P-000001", "S-000001", "detained", date="2017-10",
               place="XJ-ILI-GULJA-C", quote="She was taken in October 2017.",
               value={"facility_type": "camp", "reason": "practising her faith"}),
        _claim("C-000005", "P-000001", "S-000001", "sentenced", date="2018/2019",
               value={"years": 12}),
        _claim("C-000006", "P-000001", "S-000002", "relation",
               value={"relation": "mother", "person": "P-000002"}),
        _claim("C-000007", "P-000003", "S-000004", "relation",
               value={"relation": "sibling", "person": "P-000001"}),
        _claim("C-000008", "P-000001", "S-000001", "born", date="1970", status="rejected"),
        _claim("C-000009", "P-000001", "S-000002", "gender", value={"text": "female"}),
        _claim("C-000010", "P-000005", "S-000001", "relation",
               value={"relation": "neighbour", "person": "P-000001"}),
        _claim("C-000011", "P-000001", "S-000004", "transferred", date="2019-03-XX",
               place_text="Nilka prison", quote="They moved her to a prison.",
               value={"facility_type": "prison"}),
        _claim("C-000012", "P-000004", "S-000003", "detained", date="2018"),
    ]  # fmt: skip
    other: list[Record] = [
        {"type": "case", "id": "K-000001", "person": "P-000001", "status": "active",
         "owner": "documenter-1", "next_steps": "Submit to the UN", "actions": []},
        {"type": "evidence", "id": "E-000001", "source": "S-000002", "filename": "id-card.jpg",
         "media_type": "image/jpeg", "size": 1, "sha256": "00", "added_by": "x", "added_at": "y"},
    ]  # fmt: skip
    return places + persons + sources + claims + other


def _by_id(max_sensitivity: str = "internal") -> dict[str, Record]:
    entities = list(export_ftm(_records(), max_sensitivity=max_sensitivity))
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids)), "entity ids must be unique"
    return {e["id"]: e for e in entities}


def test_person_names_and_facts() -> None:
    props = _by_id()["guwah-P-000001"]["properties"]
    assert props["name"] == ["Bakhytgul Mukhamet"]
    assert props["alias"] == ["Бақытгүл Мұхаметқызы", "باختىگۈل مۇھەممەت", "巴合提古丽·木哈买提"]
    assert props["weakAlias"] == ["Baqyt"]
    assert props["firstName"] == ["Bakhytgul"]
    assert props["fatherName"] == ["Mukhamet"]
    assert props["birthDate"] == ["1965-02"]  # the rejected 1970 claim is not exported
    assert props["ethnicity"] == ["Kazakh"]
    assert props["idNumber"] == ["654021196502140021"]
    assert props["nationality"] == ["cn"]
    assert props["country"] == ["cn"]
    assert props["sourceUrl"] == [NEWS_URL]
    assert "gender" not in props  # its only source is a restricted testimony
    assert "topics" not in props
    notes = props["notes"][0]
    # ordered by the latest day a date can mean, as the person's view does: 2018/2019 > 2019-03
    assert "Latest reported status: sentenced." in notes
    assert "detained 2017-10 (camp: practising her faith); transferred 2019-03-XX" in notes
    assert "sentenced 2018/2019 (12 years)" in notes


def test_events_from_accepted_claims() -> None:
    entities = _by_id()
    detained = entities["guwah-C-000004"]
    assert detained["schema"] == "Event"
    props = detained["properties"]
    assert props["name"] == ["Detained: Bakhytgul Mukhamet"]
    assert props["involved"] == ["guwah-P-000001"]
    assert props["date"] == ["2017-10"]
    assert props["location"] == ["Ghulja County, Ili Kazakh Autonomous Prefecture, Xinjiang"]
    assert props["summary"] == ["Detained (camp: practising her faith)"]
    assert props["description"] == ["She was taken in October 2017."]
    assert props["proof"] == ["guwah-S-000001"]
    assert props["recordId"] == ["C-000004"]
    sentenced = entities["guwah-C-000005"]["properties"]
    assert (sentenced["startDate"], sentenced["endDate"]) == (["2018"], ["2019"])
    assert "date" not in sentenced
    transferred = entities["guwah-C-000011"]["properties"]
    assert transferred["date"] == ["2019-03"]
    assert transferred["location"] == ["Nilka prison"]
    assert "description" not in transferred  # quotes only from public sources
    assert "guwah-C-000008" not in entities  # rejected


def test_relations_become_family_and_associate() -> None:
    entities = _by_id()
    family = entities["guwah-C-000007"]
    assert family["schema"] == "Family"
    assert family["properties"]["person"] == ["guwah-P-000001"]
    assert family["properties"]["relative"] == ["guwah-P-000003"]
    assert family["properties"]["relationship"] == ["sibling"]
    associate = entities["guwah-C-000010"]
    assert associate["schema"] == "Associate"
    assert associate["properties"]["associate"] == ["guwah-P-000005"]
    assert associate["properties"]["relationship"] == ["neighbour"]


def test_sources_and_documentation() -> None:
    entities = _by_id()
    article = entities["guwah-S-000001"]
    assert article["schema"] == "Article"
    assert article["properties"]["title"] == ["Kazakh woman sentenced to 12 years"]
    assert article["properties"]["publishedAt"] == ["2019-05-21"]
    assert article["properties"]["language"] == ["eng"]
    assert article["properties"]["sourceUrl"] == [NEWS_URL]
    written = entities["guwah-S-000004"]
    assert written["schema"] == "Document"
    assert written["properties"]["description"] == ["Written testimony, in Uyghur."]
    assert "language" not in written["properties"]  # FtM has no code for Uyghur
    links = {
        (e["properties"]["document"][0], e["properties"]["entity"][0], e["properties"]["role"][0])
        for e in entities.values()
        if e["schema"] == "Documentation"
    }
    assert links == {
        ("guwah-S-000001", "guwah-P-000001", "subject"),
        ("guwah-S-000004", "guwah-P-000001", "subject"),
        ("guwah-S-000004", "guwah-P-000003", "testifier"),
    }


def test_restricted_testimony_and_its_testifier_never_leak() -> None:
    for level in ("public", "internal", "restricted"):
        text = json.dumps(list(export_ftm(_records(), max_sensitivity=level)), ensure_ascii=False)
        assert TESTIFIER_NAME not in text
        assert "P-000002" not in text
        assert TESTIMONY_URL not in text
        assert "Testimony of" not in text
        assert "K-000001" not in text and "E-000001" not in text  # cases, evidence: internal


def test_restricted_level_shows_restricted_source_without_identity() -> None:
    entities = _by_id("restricted")
    video = entities["guwah-S-000002"]
    assert video["schema"] == "Document"
    assert video["properties"]["title"] == ["Video testimony"]
    assert "sourceUrl" not in video["properties"]
    assert entities["guwah-P-000001"]["properties"]["gender"] == ["female"]
    assert "guwah-P-000004" in entities and "guwah-C-000012" in entities
    assert "guwah-C-000006" not in entities  # mother of the withheld testifier


def test_skipped_persons_take_their_links_with_them() -> None:
    internal = _by_id()
    assert "guwah-P-000004" not in internal
    assert "guwah-S-000003" not in internal  # speaks only of a restricted person
    assert "guwah-C-000012" not in internal
    public = _by_id("public")
    assert set(public) == {"guwah-P-000005"}  # its news source speaks only of P-000001


def test_unknown_sensitivity_counts_as_restricted() -> None:
    records = [_person("P-000009", ["victim"], "secret-ish", ("X Y", "full"))]
    assert list(export_ftm(records)) == []
    with pytest.raises(ValueError, match="unknown sensitivity"):
        list(export_ftm(records, max_sensitivity="everything"))


def test_every_entity_is_valid_followthemoney() -> None:
    pytest.importorskip("followthemoney")
    from followthemoney import model

    entities = list(export_ftm(_records(), max_sensitivity="restricted"))
    schemata = {e["id"]: e["schema"] for e in entities}
    wanted = {"Person", "Article", "Document", "Documentation", "Event", "Family", "Associate"}
    assert wanted <= set(schemata.values())
    for entity in entities:
        schema = model.get(entity["schema"])
        assert schema is not None and not schema.abstract, entity["schema"]
        for name, values in entity["properties"].items():
            prop = schema.properties.get(name)
            assert prop is not None and not prop.stub, f"{schema.name} has no property {name}"
            for value in values:
                if prop.type.name == "entity":
                    target = model.get(schemata[value])
                    assert target is not None and target.is_a(prop.range), (name, value)
                else:
                    assert prop.type.clean(value) == value, (schema.name, name, value)
        # Document lists fileName as required; Guwah sources are records, not files.
        missing = set(schema.required) - set(entity["properties"]) - {"fileName"}
        assert not missing, (entity["id"], missing)
        data: Any = model.get_proxy(entity).to_dict()
        assert data["properties"] == entity["properties"]  # nothing dropped or changed
        schema.validate(data)
