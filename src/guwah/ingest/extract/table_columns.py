"""Column headers of victim lists in Chinese, English and Russian, mapped to the archive's
simple columns (``ingest.mapping.SIMPLE_COLUMNS``) so that ``tables`` reads them with the
same value parsers as ``guwah import``."""

from __future__ import annotations

import re

from guwah.ingest.mapping import SIMPLE_COLUMNS

_HEADERS: dict[str, str] = {
    "name": "姓名|名字|name|full name|name (english)|фио|ф.и.о.|имя|аты-жөні",
    "names": "曾用名|别名|other names|aliases|name variants|другие имена",
    "gender": "性别|sex|gender|пол|жынысы",
    "ethnicity": "民族|ethnicity|ethnic group|национальность|ұлты",
    "birth_date": "出生日期|出生年月|出生年月日|date of birth|birth date|dob|дата рождения|"
    "туған күні",
    "birth_year": "出生年份|出生年|birth year|year of birth|год рождения",
    "id_number": "身份证号|身份证号码|公民身份号码|身份证|id number|id no|id card number|"
    "chinese id|resident id|номер удостоверения|номер id",
    "hometown": "住址|户籍地址|家庭住址|现住址|户籍所在地|户籍地|籍贯|address|home|hometown|"
    "home town|residence|адрес|место жительства|мекенжайы",
    "reason": "拘留原因|收押原因|原因|收容原因|reason|reason for detention|detention reason|"
    "причина|причина задержания",
    "sentence": "判决|判决结果|刑期|判处|sentence|sentence length|приговор|срок",
    "sentence_years": "刑期(年)|sentence (years)|sentence years|срок (лет)",
    "detained": "拘留日期|收押日期|收押时间|关押时间|入所时间|date detained|detention date|"
    "detained|дата задержания",
    "place_held": "关押地点|羁押场所|收押单位|关押场所|place held|facility|place of detention|"
    "место содержания",
    "status": "状态|现状|处置情况|处理情况|处理结果|处置结果|处置|status|disposition|outcome|"
    "статус|мера",
    "profession": "职业|工作单位|occupation|profession|job|профессия|род занятий",
    "id": "序号|编号|no|no.|#|id|№",
}
_OF_HEADER = {word: column for column, words in _HEADERS.items() for word in words.split("|")}


def _fold(header: str) -> str:
    return re.sub(r"\s+", " ", header.replace("\ufeff", "")).strip().casefold()


def _within(folded: str) -> str | None:
    """The column of the longest known header inside this one ("身份证号码（18位）",
    "name of detainee"): Chinese headers of two characters, others of four letters."""
    found = [
        (len(word), column)
        for word, column in _OF_HEADER.items()
        if (len(word) >= 4 or (len(word) >= 2 and not word.isascii())) and word in folded
    ]
    return max(found)[1] if found else None


def map_header(header: list[str]) -> dict[str, str]:
    """Each recognised header -> its simple column (the first header wins a column):
    exact names first, then headers that contain a known name."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for exact in (True, False):
        for name in header:
            if name in out:
                continue
            folded = _fold(name)
            if exact:
                column = _OF_HEADER.get(folded) or (folded if folded in SIMPLE_COLUMNS else None)
            else:
                column = _within(folded)
            if column and column not in taken:
                out[name] = column
                taken.add(column)
    return out
