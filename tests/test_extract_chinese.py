"""Chinese official documents, through ``guwah.ingest.extract.extract``."""

from __future__ import annotations

from pathlib import Path

import pytest

from guwah.ingest.extract import extract
from tests.extract_case_scoring import CASES, document_of, rates, report, score_files

FILES = sorted(CASES.glob("zh-*.txt"))


def test_there_are_enough_chinese_cases() -> None:
    assert len(FILES) >= 6


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_evidence_quotes_the_document(path: Path) -> None:
    document = document_of(path)
    for claim in extract(document).claims:
        assert claim.evidence.text == document.text[claim.evidence.start : claim.evidence.end]


def test_targets_on_the_chinese_cases() -> None:
    counts, _ = score_files("zh-*.txt")
    for kind in ("detained", "sentenced"):
        precision, recall = rates(counts, kind)
        assert precision >= 0.9 and recall >= 0.8, report(counts)


def test_judges_are_officials_never_victims() -> None:
    result = extract(document_of(CASES / "zh-verdict-tekes-incitement.txt"))
    judge = next(p for p in result.persons if p.names == ["李建国"])
    assert judge.roles == ["official"]
    assert not [c for c in result.claims if c.subject == judge.ref]


def test_final_term_after_several_counts() -> None:
    result = extract(document_of(CASES / "zh-verdict-two-defendants.txt"))
    sentences = [c.value for c in result.claims if c.kind == "sentenced"]
    assert sentences[0]["years"] == 16


def test_id_numbers_are_restricted_and_invalid_ones_are_notes() -> None:
    result = extract(document_of(CASES / "zh-notice-police-list.txt"))
    ids = [c for c in result.claims if c.kind == "id_number"]
    assert [c.value["text"] for c in ids] == ["650121196809210578"]
    assert all("restricted" in c.rule for c in ids)
    notes = [c.value["text"] for c in result.claims if c.kind == "note"]
    assert any("invalid Chinese ID number" in n and "restricted" in n for n in notes)


def test_party_attributes_and_home() -> None:
    result = extract(document_of(CASES / "zh-verdict-tekes-incitement.txt"))
    victim = result.persons[0]
    assert victim.attributes["ethnicity"] == "Kazakh"
    assert victim.attributes["birth_date"] == "1965-03-12"
    assert victim.attributes["home"] == "CN-654027"  # 特克斯县
    detained = next(c for c in result.claims if c.kind == "detained")
    assert detained.value["facility_type"] == "detention_centre"
    assert detained.date == "2017-10-15"


def test_suspended_death_sentence() -> None:
    result = extract(document_of(CASES / "zh-verdict-death-suspended.txt"))
    sentence = next(c for c in result.claims if c.kind == "sentenced")
    assert sentence.value["death"] is True and sentence.value["suspended"] is True
    assert sentence.reason == "terrorism"
