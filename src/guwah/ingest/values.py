"""Cell values of foreign spreadsheets turned into Guwah values (docs/formats.md, section 3).

Pure functions used by the CSV/XLSX importer after the mapping file has named the
columns: dates (ISO, Chinese, day-first, approximate) to EDTF, Chinese and other sentence
texts to a ``sentenced`` claim value, and genders, ethnicities and detention reasons to
the archive's words. Each raises :class:`ValueParseError` (both a ``ValueError`` and
Guwah's ``InvalidInput``) with a short message naming the bad text.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from typing import Any

from guwah.model.errors import InvalidInput


class ValueParseError(InvalidInput, ValueError):
    """A cell value that cannot be understood; the message quotes it."""


def _clean(text: str) -> str:
    """NFKC (full-width digits and letters become ASCII), single spaces, stripped."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).split())


# --- numbers ------------------------------------------------------------------------

_CN_DIGITS = dict(
    zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True)
)
_NUMBER = r"\d+|[零〇一二两三四五六七八九十]+"


def _number(text: str) -> int:
    """Arabic digits, Chinese digit strings (一九六五) or Chinese numbers up to 99 (九十九)."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        if not all(c in _CN_DIGITS for c in text):
            raise ValueParseError(f"not a number: {text!r}")
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        raise ValueParseError(f"not a number: {text!r}")
    try:
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    except KeyError:
        raise ValueParseError(f"not a number: {text!r}") from None


# --- dates --------------------------------------------------------------------------

_APPROX_PREFIX = re.compile(
    r"^(?:~|约|大约|circa|ca\.?|c\.|about|approx\.?|около|примерно)\s*", re.IGNORECASE
)
_APPROX_SUFFIX = re.compile(r"\s*(?:~|左右|前后)$")
_UNCERTAIN_SUFFIX = re.compile(r"\s*\?$")
_TIME = re.compile(r"[ T]00:00(?::00)?(?:\.0+)?$")  # what str() of a spreadsheet datetime adds
_YMD = re.compile(r"(\d{4})(?:([-./])(\d{1,2})(?:\2(\d{1,2}))?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DAY_FIRST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_CHINESE = re.compile(rf"({_NUMBER})年(?:({_NUMBER})月(?:({_NUMBER})[日号])?)?")
_YEAR_RANGE = re.compile(r"(\d{4})\s*(?:-|/|–|—|to|до)\s*(\d{4})")
_RUSSIAN_YEAR = re.compile(r"\s*(?:г\.?|года?)$")


def parse_date(text: str) -> str:
    """A date cell as an EDTF string: ``1965-02-14``, ``1965-02``, ``1965``, ``1965~``.

    Understands ISO, ``1965.02.14``, ``1965/2/14``, ``19650214``, ``1965年2月14日`` (also
    with Chinese numerals), ``14.02.1965`` (day first), a year range ``1965-1966`` and the
    approximate forms ``~1965``, ``c. 1965``, ``about 1965``, ``1965左右`` (EDTF ``~``) and
    ``1965?`` (EDTF ``?``).
    """
    cleaned = _clean(text)
    value, qualifier = cleaned, ""
    if _UNCERTAIN_SUFFIX.search(value):
        value, qualifier = _UNCERTAIN_SUFFIX.sub("", value), "?"
    approx = False
    for pattern in (_APPROX_PREFIX, _APPROX_SUFFIX):
        if pattern.search(value):
            value, approx = pattern.sub("", value), True
    if approx:
        qualifier = "%" if qualifier == "?" else "~"
    value = _RUSSIAN_YEAR.sub("", _TIME.sub("", value)).strip()
    span = _YEAR_RANGE.fullmatch(value)
    if span and not qualifier:
        start, end = (_edtf(cleaned, int(span.group(i)), None, None) for i in (1, 2))
        if start >= end:
            raise ValueParseError(f"date range ends before it starts: {cleaned!r}")
        return f"{start}/{end}"
    parts: tuple[str | None, ...]
    if match := _YMD.fullmatch(value):
        parts = (match.group(1), match.group(3), match.group(4))
    elif match := _COMPACT.fullmatch(value):
        parts = match.groups()
    elif match := _DAY_FIRST.fullmatch(value):
        parts = (match.group(3), match.group(2), match.group(1))
    elif match := _CHINESE.fullmatch(value):
        parts = match.groups()
    else:
        raise ValueParseError(f"not a date: {cleaned!r}")
    month, day = (_number(p) if p else None for p in parts[1:])
    return _edtf(cleaned, _number(parts[0] or ""), month, day) + qualifier


def _edtf(original: str, year: int, month: int | None, day: int | None) -> str:
    if not 1800 <= year <= 2100:
        raise ValueParseError(f"year out of range in date {original!r}")
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise ValueParseError(f"impossible date {original!r}: there is no month {month}")
    if day is None:
        return f"{year:04d}-{month:02d}"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueParseError(
            f"impossible date {original!r}: {calendar.month_name[month]} {year} has {last} days"
        )
    return f"{year:04d}-{month:02d}-{day:02d}"


# --- sentences ----------------------------------------------------------------------

_DEATH = re.compile(r"死刑|死缓|death|смерт|өлім|ئۆلۈم")
_SUSPENDED = re.compile(r"缓期|死缓|suspend|reprieve|отсрочк|кейінге қалдыр|كېچىكتۈرۈپ")
_LIFE = re.compile(r"无期|^life|life (?:imprisonment|sentence)|пожизнен|өмір бойы|مۇددەتسىز")
_FILLER = re.compile(
    r"被?判处?|有期徒刑|徒刑|\b(?:sentenced to|imprisonment|in prison|of|лишение свободы|на|"
    r"бас бостандығынан айыру|қамау|قاماق جازاسىغا|قاماق جازاسى|قاماق|كېسىلگەن)\b",
    re.IGNORECASE,
)
# with the Kazakh and Uyghur endings of "to N years" and "of N years" (12 жылға, 12 يىللىق)
_YEARS = r"years?|yrs?|y|лет|года?|г|жыл(?:ға)?|yil|yıl|jyl|يىل(?:لىق|غا)?|年"
_MONTHS = r"months?|mos?|m|месяц(?:а|ев)?|мес|ай(?:ға)?|ay|ئاي(?:لىق|غا)?|个?月"
_TERM = re.compile(
    rf"(?:(?P<y>{_NUMBER})\s*(?:{_YEARS})\.?)?\s*(?:and|и|,|零|又)?\s*"
    rf"(?:(?P<m>{_NUMBER})\s*(?:{_MONTHS})\.?)?"
)


def parse_sentence(text: str) -> dict[str, Any]:
    """A sentence cell as a ``sentenced`` claim value.

    ``有期徒刑十二年`` -> ``{"years": 12}``, ``有期徒刑十年六个月`` -> ``{"years": 10,
    "months": 6}``, ``无期徒刑`` -> ``{"life": True}``, ``死刑`` -> ``{"death": True}``,
    ``死刑缓期二年执行`` -> ``{"death": True, "suspended": True}``; also ``12``, ``12 years``,
    ``10 years 6 months``, ``15 лет``, ``life``. Eighteen months become 1 year 6 months.
    """
    cleaned = _clean(text)
    lowered = cleaned.casefold()
    if _DEATH.search(lowered):
        return {"death": True, "suspended": True} if _SUSPENDED.search(lowered) else {"death": True}
    if _LIFE.search(lowered):
        return {"life": True}
    term = " ".join(_FILLER.sub(" ", lowered).split())
    if re.fullmatch(r"\d{1,2}", term):
        years, months = int(term), 0
    else:
        match = _TERM.fullmatch(term)
        if not term or not match or not (match.group("y") or match.group("m")):
            raise ValueParseError(f"not a sentence: {cleaned!r}")
        years = _number(match.group("y")) if match.group("y") else 0
        months = _number(match.group("m")) if match.group("m") else 0
    extra_years, months = divmod(months, 12)
    years += extra_years
    if years == 0 and months == 0:
        raise ValueParseError(f"sentence of no length: {cleaned!r}")
    if years > 99:
        raise ValueParseError(f"sentence too long to be a term of years: {cleaned!r}")
    return {"years": years, "months": months} if months else {"years": years}


# --- gender, ethnicity, reason -----------------------------------------------------------

# Words per value, separated by "|" (Chinese, Russian, Kazakh, Uyghur, Turkish, English).
_GENDERS = {
    "male": "男|男性|м|муж|мужской|мужчина|ер|ер адам|er|erkek|m|male|man|ئەر",
    "female": "女|女性|ж|жен|женский|женщина|әйел|ayal|kadın|kadin|f|female|woman|ئايال",
    "other": "other|другой|其他|diğer",
}
_GENDER_OF = {w.casefold(): gender for gender, words in _GENDERS.items() for w in words.split("|")}


def parse_gender(text: str) -> str:
    """``male``, ``female`` or ``other`` from Chinese, Russian, Kazakh, Uyghur, Turkish or
    English words and the usual one-letter codes (M/F, м/ж)."""
    cleaned = _clean(text)
    gender = _GENDER_OF.get(cleaned.casefold().rstrip("."))
    if gender is None:
        raise ValueParseError(f"not a gender: {cleaned!r} (expected e.g. male/female, 男/女, м/ж)")
    return gender


_ETHNICITIES = {
    "Uyghur": "维吾尔族|维吾尔|维族|uyghur|uighur|uygur|uigur|уйгур|уйгурка|ұйғыр|ئۇيغۇر",
    "Kazakh": "哈萨克族|哈萨克|哈族|kazakh|qazaq|kazak|казах|казашка|қазақ",
    "Kyrgyz": "柯尔克孜族|柯尔克孜|kyrgyz|kirghiz|kirgiz|qirghiz|киргиз|кыргыз|қырғыз",
    "Hui": "回族|hui|dungan|дунган|дүнген",
    "Uzbek": "乌孜别克族|乌兹别克族|uzbek|özbek|узбек|өзбек",
    "Tajik": "塔吉克族|tajik|таджик|тәжік",
    "Han": "汉族|han|хань",
}
_ETHNICITY_OF = {
    w.casefold(): name for name, words in _ETHNICITIES.items() for w in words.split("|")
}


def parse_ethnicity(text: str) -> str:
    """The English name of a known ethnicity (``维吾尔族`` -> ``Uyghur``); any other value
    is kept, title-cased (``mongol`` -> ``Mongol``)."""
    cleaned = _clean(text)
    if not cleaned:
        raise ValueParseError("empty ethnicity")
    return _ETHNICITY_OF.get(cleaned.casefold(), cleaned.title())


# Where someone was held, in the words documenters write in each of their languages
# (English, Russian, Kazakh, Uyghur, Chinese), the state's euphemisms included: a
# "vocational skills education and training centre" is a camp.
_FACILITIES = {
    "camp": (
        "camp|re-education camp|reeducation camp|concentration camp|internment camp|"
        "political education camp|training centre|training center|"
        "лагерь|лагерь перевоспитания|концлагерь|концентрационный лагерь|"
        "центр профессионального обучения|қайта тәрбиелеу лагері|лагері|"
        "لاگېر|يىغىۋېلىش لاگېرى|جازا لاگېرى|تەربىيەلەش مەركىزى|"
        "集中营|再教育营|拘押营|教培中心|职业技能教育培训中心|教育转化培训中心|转化中心|培训中心"
    ),
    "detention_centre": (
        "detention centre|detention center|pre-trial detention|jail|"
        "сизо|следственный изолятор|изолятор|тергеу изоляторы|изолятор уақытша ұстау|"
        "قاماقخانا|تۇتۇپ تۇرۇش ئورنى|"
        "看守所|拘留所"
    ),
    "prison": (
        "prison|penitentiary|labour camp|labor camp|"
        "тюрьма|колония|исправительная колония|түрме|колониясы|"
        "تۈرمە|ئەمگەك بىلەن ئۆزگەرتىش لاگېرى|"
        "监狱|劳改营|劳改"
    ),
    "police_custody": (
        "police custody|police station|police|"
        "полиция|полицейский участок|отделение полиции|полиция бөлімі|"
        "ساقچىخانا|ساقچى|"
        "派出所|公安局"
    ),
}
_FACILITY_OF = {w.casefold(): code for code, words in _FACILITIES.items() for w in words.split("|")}


def parse_facility(text: str) -> str | None:
    """The facility type (``camp``, ``detention_centre``, ``prison``, ``police_custody``)
    a word or phrase names in any of the five languages (``лагерь``, ``看守所``, ``تۈرمە``,
    ``detention centre``), or None."""
    cleaned = _clean(text).strip("\"'“”«»「」").casefold().replace("_", " ")
    return _FACILITY_OF.get(cleaned)


REASON_TAGS: dict[str, str] = {
    "宗教极端": "religious extremism",
    "去过敏感国家": "travel to a sensitive country",
    "去过26国": "travel to a sensitive country",
    "26个国家": "travel to a sensitive country",
    "whatsapp": "WhatsApp",
    "非法宗教活动": "illegal religious activity",
    "祈祷": "praying",
    "做礼拜": "praying",
    "戴面纱": "wearing a veil",
    "有亲属在国外": "relatives abroad",
    "亲属在国外": "relatives abroad",
}


def parse_reason(text: str) -> str:
    """A stated detention reason, kept as written; official Chinese reasons found in it
    are named in English first: ``使用WhatsApp`` -> ``WhatsApp (使用WhatsApp)``."""
    cleaned = " ".join(str(text).split())  # kept as written, full-width commas and all
    if not cleaned:
        raise ValueParseError("empty reason")
    lowered = _clean(cleaned).casefold()
    found = sorted((lowered.find(key), tag) for key, tag in REASON_TAGS.items() if key in lowered)
    tags = list(dict.fromkeys(tag for _, tag in found))
    return f"{'; '.join(tags)} ({cleaned})" if tags else cleaned
