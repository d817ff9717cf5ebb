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


def test_oblique_name_without_a_cue_gets_its_nominative() -> None:
    result = _extract(
        "Жительница Шымкента Мадина Ерланова рассказала о своём деде. "
        "По её словам, 80-летнего Нурлана Касымова арестовали в 2018 году."
    )
    names = {n for p in result.persons for n in p.names}
    assert "Нурлан Касымов" in names and "Нурлана Касымова" not in names


def test_unnamed_relative_is_named_in_the_next_sentence() -> None:
    result = _extract(
        "Жительница Алматы Айнур Садыкова добивается освобождения своего мужа. "
        "Марата Бекова задержали в Кульдже в 2017 году."
    )
    husband = next(p for p in result.persons if "Марат Беков" in p.names)
    assert husband.description is not None and husband.description.startswith("husband of")
    assert any(c.kind == "detained" and c.subject == husband.ref for c in result.claims)


def test_surname_alone_goes_to_the_person_of_its_gender() -> None:
    result = _extract(
        "Его дочь Асель Нурова рассказала, что Бахыт Нуров был задержан в 2018 году. "
        "Суд над Нуровым прошёл в закрытом режиме, Нурову дали 12 лет."
    )
    father = next(p for p in result.persons if "Бахыт Нуров" in p.names)
    daughter = next(p for p in result.persons if "Асель Нурова" in p.names)
    assert daughter.ref != father.ref
    sentenced = next(c for c in result.claims if c.kind == "sentenced")
    assert sentenced.subject == father.ref


def test_reasons_disappearance_and_transfer() -> None:
    result = _extract(
        "Меня зовут Жанна. Моего брата Серика арестовали после того, как он съездил в "
        "Турцию. Потом его перевели в тюрьму. С 2019 года он перестал выходить на связь."
    )
    claims = {c.kind: c for c in result.claims}
    assert claims["detained"].reason == "travel abroad"
    assert claims["transferred"].value == {"facility_type": "prison"}
    assert "disappeared" in claims


def test_known_name_after_a_kinship_word_is_its_possessor() -> None:
    result = _extract(
        "Меня зовут Айгуль. Моего сына Ержана задержали в 2018 году. "
        "Жена Ержана с детьми живёт у родственников, полиция каждый день к ним приходит "
        "и проверяет."
    )
    son = next(p for p in result.persons if p.names == ["Ержан"])
    wife = next(p for p in result.persons if (p.description or "").startswith("wife"))
    assert wife.description == f"wife of {son.ref}"
    assert any(c.kind == "surveilled" and c.subject == wife.ref for c in result.claims)


def test_bare_sentence_takes_the_length_given_after() -> None:
    result = _extract("Меня зовут Ерлан. В 2019 году моего брата осудили. Срок — 10 лет.")
    sentenced = [c for c in result.claims if c.kind == "sentenced"]
    assert len(sentenced) == 1
    assert sentenced[0].value == {"years": 10} and sentenced[0].date == "2019"


def test_full_name_in_the_genitive_takes_the_surname_read_alone() -> None:
    result = _extract(
        "Правозащитники обратились в МИД по делу Эмилбека Токтосунова. "
        "Его жена рассказала, что Токтосунов находится в лагере с 2018 года."
    )
    assert any(p.names[:1] == ["Эмилбек Токтосунов"] for p in result.persons)


def test_not_knowing_whether_is_no_event() -> None:
    result = _extract(
        "Жительница Актобе Райхан Жумабекова рассказала о брате. "
        "«Я не знаю, задержали его или нет», — говорит она."
    )
    assert [c for c in result.claims if c.kind == "detained"] == []


def test_in_laws_and_a_term_of_unknown_length() -> None:
    result = _extract(
        "Меня зовут Айнур. Мою свекровь забрали в лагерь в 2018 году. "
        "В 2019 году ей дали срок. С тех пор от неё нет никаких вестей."
    )
    relative = next(p for p in result.persons if p.description)
    assert relative.description.startswith("mother-in-law of")
    kinds = {c.kind for c in result.claims if c.subject == relative.ref}
    assert {"detained", "sentenced", "disappeared"} <= kinds
