"""Names across scripts: reading, keys and comparison, through the public functions."""

from __future__ import annotations

import pytest

from guwah.names import compare, name_keys, pair_keys, parse
from guwah.names.cyrillic import cyrillic_to_latin
from guwah.names.keys import fold, id_key, skeleton
from guwah.names.uyghur import arabic_to_latin


@pytest.mark.parametrize(
    ("arabic", "uly"),
    [
        ("ئىلھام توختى", "ilham toxti"),
        ("گۈلباھار ھەيتىۋاجى", "gülbahar heytiwaji"),
        ("ئابدۇرېھىم ھېيت", "abduréhim héyt"),
        ("راھىلە داۋۇت", "rahile dawut"),
        ("شۆھرەت زاكىر", "shöhret zakir"),
        ("مەسئۇل", "mes'ul"),
    ],
)
def test_uyghur_arabic_reads_by_the_letter_table(arabic: str, uly: str) -> None:
    assert arabic_to_latin(arabic) == uly


def test_uyghur_arabic_agrees_with_the_reference_converter() -> None:
    umsc = pytest.importorskip("umsc")
    convert = umsc.UgMultiScriptConverter("UAS", "ULS")
    words = ["ئىلھام", "گۈلباھار", "مىھرىگۈل", "تۇرسۇن", "سايراگۈل", "قۇربان", "ئەخمەت", "جەۋھەر"]
    for word in words:
        assert fold(arabic_to_latin(word)) == fold(convert(word)), word


@pytest.mark.parametrize(
    ("cyrillic", "reading"),
    [
        ("Сайрагүл Сауытбай", "sayragül sawitbay"),
        ("Қазыбек", "qazibek"),
        ("Ерлан", "yerlan"),
        ("Ильхам Тохти", "ilxam toxti"),
        ("Ғалымжан Ұлы", "ghalimjan uli"),
    ],
)
def test_cyrillic_reads_kazakh_letters(cyrillic: str, reading: str) -> None:
    assert cyrillic_to_latin(cyrillic) == reading


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Гульпия Казыбек", "Gulpiya Qazybek"),
        ("ئىلھام توختى", "Ilham Tohti"),
        ("Ильхам Тохти", "Ilham Tohti"),
        ("Mihrigul Tursun", "Mehrigul Tursun"),
        ("Gülbahar Haytiwaji", "Gulbahar Haitiwaji"),
        ("Sayragul Sauytbay", "Сайрагүл Сауытбай"),
        ("Rahile Dawut", "Rahila Davut"),
        ("راھىلە داۋۇت", "Dr. Rahile Dawut"),
        ("TOHTI Ilham", "Ilham Tohti"),
        ("Tohti, Ilham", "Ilham Tohti"),
        ("Mihrigul Tursunova", "Mihrigul Tursun"),
        ("Memet Tursun", "Muhammad Tursun"),
        ("Gul Bahar Haitiwaji", "Gulbahar Haitiwaji"),
        ("Abdurehim Heyit", "Abdurahim Heyit"),
        ("Serikzhan Bilash", "Серікжан Біләш"),
        ("Cevher İlham", "Jewher Ilham"),
    ],
)
def test_same_person_across_scripts_and_spellings(a: str, b: str) -> None:
    result = compare(a, b)
    assert result.same, result.explain()
    assert compare(b, a).same


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Gulnar Tursun", "Mihrigul Tursun"),  # sisters: same father's name
        ("Gulnar Tursun", "Gulnur Tursun"),  # one vowel, but two different names
        ("Ilham Tohti", "Jewher Ilham"),  # father and daughter
        ("Abdurehim Heyit", "Abdukerim Heyit"),  # shared common element Abdu-
        ("Mihrigul Tursun", "Mihrigul Ablet"),  # same given name, other fathers
        ("Memet Tursun", "Memet Ablet"),
    ],
)
def test_different_people_stay_apart(a: str, b: str) -> None:
    result = compare(a, b)
    assert not result.same, result.explain()
    assert not compare(b, a).same


def test_a_given_name_alone_agrees_but_scores_below_a_full_match() -> None:
    partial = compare("Rahile", "Rahile Dawut")
    assert partial.same
    assert partial.partial
    assert partial.score < compare("Rahile Dawut", "Rahila Davut").score
    assert any("given name alone" in note for note in partial.notes)


def test_a_shared_fathers_name_alone_never_reaches_half() -> None:
    assert compare("Gulnar Tursun", "Mihrigul Tursun").score <= 0.5
    assert compare("Гүлнар Тұрсын", "Mihrigul Tursun").score <= 0.5


def test_common_elements_weigh_less_than_rare_ones() -> None:
    common = compare("Memet Tursun", "Memet Ablet").score
    rare = compare("Perhat Tursun", "Perhat Ablet").score
    assert common < rare


def test_explanation_names_the_conversion_and_the_parts() -> None:
    result = compare("ئىلھام توختى", "Ilham Tohti")
    text = "\n".join(result.explain())
    assert "Uyghur Arabic letter table" in text
    assert "ilham toxti" in text
    assert "same person" in text


def test_titles_and_order_are_reported() -> None:
    parsed = parse("Dr. TURSUN Mihrigul")
    assert [p.fold for p in parsed.parts] == ["mihrigul", "tursun"]
    assert parsed.reordered
    assert parsed.dropped == ("Dr",)


def test_keys_meet_across_scripts() -> None:
    assert pair_keys("Ilham Tohti") & pair_keys("ئىلھام توختى") & pair_keys("Ильхам Тохти")
    assert name_keys("Gulpiya Qazybek") & name_keys("Гульпия Казыбек")
    assert skeleton(fold("gulbahar")) == "glbhr"


def test_id_key_needs_a_valid_number() -> None:
    assert id_key("11010519491231002X") == "11010519491231002X"
    assert id_key("110105194912310021") is None
    assert id_key("not a number") is None


@pytest.mark.parametrize("empty", ["", "   ", "...", "123"])
def test_names_without_letters_score_zero(empty: str) -> None:
    result = compare(empty, "Ilham Tohti")
    assert result.score == 0.0
    assert not result.same
