"""Russian extraction, through ``guwah.ingest.extract.extract`` on the labelled cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from guwah.ingest.document import Document
from guwah.ingest.extract import extract
from guwah.ingest.proposals import Extraction
from tests.extract_case_scoring import CASES, document_of, rates, report, score_files

FILES = sorted(p for p in CASES.glob("ru-*.txt"))


def test_there_are_enough_russian_cases() -> None:
    assert len(FILES) >= 9


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_evidence_quotes_the_document(path: Path) -> None:
    document = document_of(path, "ru")
    result = extract(document)
    evidence = [r.evidence for r in result.relations] + [c.evidence for c in result.claims]
    evidence += [e for p in result.persons for e in p.evidence]
    for ev in evidence:
        assert ev.text == document.text[ev.start : ev.end]


def test_targets_on_the_russian_cases() -> None:
    counts, _ = score_files("ru-*.txt")
    for kind in ("detained", "sentenced", "relation"):
        precision, recall = rates(counts, kind)
        assert precision >= 0.9 and recall >= 0.8, report(counts)


def test_hard_negatives_propose_no_event() -> None:
    result = extract(document_of(CASES / "ru-news-negatives.txt", "ru"))
    assert [c for c in result.claims if c.kind in ("detained", "sentenced", "fled")] == []


def _extract(text: str) -> Extraction:
    return extract(
        Document(
            text=text, sha256="0" * 64, media_type="text/plain", filename="t.txt", language="ru"
        )
    )


def test_inflected_forms_are_one_person() -> None:
    result = _extract(
        "Меня зовут Айгуль. У моей матери больное сердце. В 2018 году мою маму забрали "
        "в лагерь. Маму приговорили к 10 годам. Я ничего не знаю о матери."
    )
    mothers = [p for p in result.persons if p.description and p.description.startswith("mother")]
    assert len(mothers) == 1
    kinds = {c.kind for c in result.claims if c.subject == mothers[0].ref}
    assert {"detained", "sentenced"} <= kinds


def test_names_in_oblique_cases_get_their_dictionary_form() -> None:
    result = _extract(
        "Моя сестра Гульнара живёт в Урумчи. Я давно не видела Гульнару. "
        "У Гульнары трое детей. Мой брат Ерлан работал водителем. "
        "Брата Ерлана арестовали в 2017 году."
    )
    names = sorted(n for p in result.persons for n in p.names)
    assert names == ["Гульнара", "Ерлан"]


def test_pronouns_and_relative_dates() -> None:
    result = _extract(
        "Мой отец Серик был задержан в марте 2018 года. Через два года его приговорили к 15 годам. "
        "Мы не можем связаться с ним."
    )
    by_kind = {c.kind: c for c in result.claims}
    assert by_kind["detained"].date == "2018-03"
    assert by_kind["sentenced"].date == "2020"
    assert by_kind["sentenced"].value == {"years": 15}
    father = next(p for p in result.persons if p.names == ["Серик"])
    assert by_kind["disappeared"].subject == father.ref


def test_fear_questions_and_denials_are_not_events() -> None:
    result = _extract(
        "Я боюсь, что если вернусь, меня арестуют. Меня не задерживали. "
        "Арестован ли мой брат, я не знаю. У нас забрали паспорта."
    )
    assert [c for c in result.claims if c.kind == "detained"] == []


def test_rules_are_named() -> None:
    result = _extract("Мою маму задержали в 2017 году и отправили в лагерь за молитву.")
    claim = next(c for c in result.claims if c.kind == "detained")
    assert claim.rule.startswith("ru.detained")
    assert claim.value == {"facility_type": "camp"} and claim.reason == "praying"
