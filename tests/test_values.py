"""Spreadsheet cell parsers: dates, sentences, genders, ethnicities, reasons."""

from __future__ import annotations

from typing import Any

import pytest

from guwah.ingest.values import (
    ValueParseError,
    parse_date,
    parse_ethnicity,
    parse_facility,
    parse_gender,
    parse_reason,
    parse_sentence,
)
from guwah.model.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1965-02-14", "1965-02-14"),
        ("1965.02.14", "1965-02-14"),
        ("1965/2/14", "1965-02-14"),
        ("19650214", "1965-02-14"),
        ("1965年2月14日", "1965-02-14"),
        ("1965年2月14号", "1965-02-14"),
        ("1965年2月", "1965-02"),
        ("1965年", "1965"),
        ("一九六五年二月十四日", "1965-02-14"),
        ("１９６５年２月", "1965-02"),  # full-width digits
        ("1965", "1965"),
        ("1965-02", "1965-02"),
        ("14.02.1965", "1965-02-14"),
        ("4.2.1965", "1965-02-04"),
        ("1965 г.", "1965"),
        ("1965-02-14 00:00:00", "1965-02-14"),  # str() of a spreadsheet datetime
        ("  1965  ", "1965"),
        ("~1965", "1965~"),
        ("1965~", "1965~"),
        ("c. 1965", "1965~"),
        ("ca. 1965", "1965~"),
        ("circa 1965", "1965~"),
        ("about 1965", "1965~"),
        ("About 1965-06", "1965-06~"),
        ("1965左右", "1965~"),
        ("1965年左右", "1965~"),
        ("约1965年", "1965~"),
        ("1965?", "1965?"),
        ("1965-02-14?", "1965-02-14?"),
        ("~1965?", "1965%"),
        ("1965-1966", "1965/1966"),
        ("1965/1966", "1965/1966"),
        ("2000-02-29", "2000-02-29"),
    ],
)
def test_parse_date(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1965-02-30", "February 1965 has 28 days"),
        ("1900-02-29", "February 1900 has 28 days"),
        ("30.02.1965", "February 1965 has 28 days"),
        ("1965年2月30日", "February 1965 has 28 days"),
        ("1965-13", "no month 13"),
        ("1965-13-01", "no month 13"),
        ("19651301", "no month 13"),
        ("0000", "year out of range"),
        ("3065", "year out of range"),
        ("1966-1965", "ends before it starts"),
        ("", "not a date"),
        ("unknown", "not a date"),
        ("12", "not a date"),
        ("02/14/1965", "not a date"),  # month-first is ambiguous: not guessed
        ("1965年二", "not a date"),
    ],
)
def test_parse_date_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(text)


def test_errors_are_both_value_errors_and_guwah_input_errors() -> None:
    with pytest.raises(InvalidInput):
        parse_date("garbage")
    assert issubclass(ValueParseError, ValueError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("有期徒刑十二年", {"years": 12}),
        ("12 يىللىق قاماق جازاسى", {"years": 12}),  # Uyghur: a 12-year prison sentence
        ("10 يىل 6 ئاي", {"years": 10, "months": 6}),
        ("مۇددەتسىز قاماق جازاسى", {"life": True}),
        ("ئۆلۈم جازاسى", {"death": True}),
        ("12 жылға бас бостандығынан айыру", {"years": 12}),  # Kazakh: "to 12 years"
        ("10 жыл 6 ай", {"years": 10, "months": 6}),
        ("有期徒刑十年六个月", {"years": 10, "months": 6}),
        ("有期徒刑十年零六个月", {"years": 10, "months": 6}),
        ("判处有期徒刑12年", {"years": 12}),
        ("被判处有期徒刑二十五年", {"years": 25}),
        ("有期徒刑九十九年", {"years": 99}),
        ("两年", {"years": 2}),
        ("有期徒刑十一年", {"years": 11}),
        ("有期徒刑二十年", {"years": 20}),
        ("六个月", {"years": 0, "months": 6}),
        ("无期徒刑", {"life": True}),
        ("无期", {"life": True}),
        ("死刑", {"death": True}),
        ("死刑缓期二年执行", {"death": True, "suspended": True}),
        ("死缓", {"death": True, "suspended": True}),
        ("12 years", {"years": 12}),
        ("12", {"years": 12}),
        ("1 year", {"years": 1}),
        ("10 years 6 months", {"years": 10, "months": 6}),
        ("10 years and 6 months", {"years": 10, "months": 6}),
        ("sentenced to 7 years", {"years": 7}),
        ("18 months", {"years": 1, "months": 6}),
        ("15 лет", {"years": 15}),
        ("10 лет 6 месяцев", {"years": 10, "months": 6}),
        ("3 года", {"years": 3}),
        ("15 жыл", {"years": 15}),
        ("life", {"life": True}),
        ("Life imprisonment", {"life": True}),
        ("пожизненное", {"life": True}),
        ("death", {"death": True}),
        ("１２年", {"years": 12}),
    ],
)
def test_parse_sentence(text: str, expected: dict[str, Any]) -> None:
    assert parse_sentence(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not a sentence"),
        ("有期徒刑", "not a sentence"),
        ("released", "not a sentence"),
        ("twelve years", "not a sentence"),
        ("三百年", "not a sentence"),
        ("0", "no length"),
        ("0 years", "no length"),
        ("120 years", "too long"),
    ],
)
def test_parse_sentence_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_sentence(text)


@pytest.mark.parametrize(
    "text",
    ["男", "男性", "м", "М", "муж", "муж.", "ер", "er", "M", "male", "Male", "man", "erkek"],
)
def test_parse_gender_male(text: str) -> None:
    assert parse_gender(text) == "male"


@pytest.mark.parametrize(
    "text",
    ["女", "ж", "жен", "жен.", "әйел", "ayal", "F", "female", "woman", "kadın", "Kadın"],
)
def test_parse_gender_female(text: str) -> None:
    assert parse_gender(text) == "female"


def test_parse_gender_other_and_errors() -> None:
    assert parse_gender("other") == "other"
    for bad in ("", "x", "unknown", "男女"):
        with pytest.raises(ValueError, match="not a gender"):
            parse_gender(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("维吾尔族", "Uyghur"),
        ("维族", "Uyghur"),
        ("Uighur", "Uyghur"),
        ("uyghur", "Uyghur"),
        ("Уйгур", "Uyghur"),
        ("ئۇيغۇر", "Uyghur"),
        ("哈萨克族", "Kazakh"),
        ("Qazaq", "Kazakh"),
        ("Казах", "Kazakh"),
        ("Қазақ", "Kazakh"),
        ("柯尔克孜族", "Kyrgyz"),
        ("Kyrgyz", "Kyrgyz"),
        ("Kirghiz", "Kyrgyz"),
        ("Қырғыз", "Kyrgyz"),
        ("回族", "Hui"),
        ("Hui", "Hui"),
        ("Dungan", "Hui"),
        ("乌孜别克族", "Uzbek"),
        ("Uzbek", "Uzbek"),
        ("塔吉克族", "Tajik"),
        ("Tajik", "Tajik"),
        ("汉族", "Han"),
        ("Han", "Han"),
        (" KAZAKH ", "Kazakh"),
        ("mongol", "Mongol"),  # unknown: kept, title-cased
        ("xibe people", "Xibe People"),
        ("蒙古族", "蒙古族"),
    ],
)
def test_parse_ethnicity(text: str, expected: str) -> None:
    assert parse_ethnicity(text) == expected


def test_parse_ethnicity_empty() -> None:
    with pytest.raises(ValueError, match="empty"):
        parse_ethnicity("  ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("宗教极端", "religious extremism (宗教极端)"),
        ("宗教极端思想", "religious extremism (宗教极端思想)"),
        ("去过敏感国家", "travel to a sensitive country (去过敏感国家)"),
        ("去过26国", "travel to a sensitive country (去过26国)"),
        ("使用WhatsApp", "WhatsApp (使用WhatsApp)"),
        ("非法宗教活动", "illegal religious activity (非法宗教活动)"),
        ("祈祷", "praying (祈祷)"),
        ("做礼拜", "praying (做礼拜)"),
        ("戴面纱", "wearing a veil (戴面纱)"),
        ("有亲属在国外", "relatives abroad (有亲属在国外)"),
        (
            "去过26国，使用WhatsApp",
            "travel to a sensitive country; WhatsApp (去过26国，使用WhatsApp)",
        ),
        (
            "使用ＷｈａｔｓＡｐｐ",
            "WhatsApp (使用ＷｈａｔｓＡｐｐ)",
        ),  # matched after NFKC, kept as written
        ("no reason given", "no reason given"),
        ("  praying   at home ", "praying at home"),
    ],
)
def test_parse_reason(text: str, expected: str) -> None:
    assert parse_reason(text) == expected


def test_parse_reason_empty() -> None:
    with pytest.raises(ValueError, match="empty"):
        parse_reason("")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("camp", "camp"),
        ("Re-education camp", "camp"),
        ("职业技能教育培训中心", "camp"),  # the state's name for the camps
        ("лагерь", "camp"),
        ("қайта тәрбиелеу лагері", "camp"),
        ("يىغىۋېلىش لاگېرى", "camp"),
        ("看守所", "detention_centre"),
        ("СИЗО", "detention_centre"),
        ("detention_centre", "detention_centre"),
        ("قاماقخانا", "detention_centre"),
        ("监狱", "prison"),
        ("түрме", "prison"),
        ("تۈرمە", "prison"),
        ("«тюрьма»", "prison"),
        ("派出所", "police_custody"),
        ("ساقچىخانا", "police_custody"),
        ("a farm", None),
        ("", None),
    ],
)
def test_parse_facility(text: str, expected: str | None) -> None:
    assert parse_facility(text) == expected
