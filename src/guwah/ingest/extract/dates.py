"""Dates in English text, as EDTF: absolute ("in 2017", "in March 2018", "5 March 2018",
"between 2017 and 2019", "around 2016") and relative ("last year", "three years ago"
against the document's date; "two years later", "the following year" against the last
date mentioned before).

``DateReader`` is used once per document, sentence after sentence in reading order: it
remembers the last date it read so that "two years later" has something to count from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "twenty-one": 21,
    "twenty-two": 22,
    "twenty-three": 23,
    "twenty-four": 24,
    "twenty-five": 25,
    "thirty": 30,
}

_YEAR = r"(?:19[4-9]\d|20[0-4]\d)"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_NUMBER = r"(?:\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "range",
        re.compile(
            rf"\b(?:between|from)\s+(?P<y1>{_YEAR})\s+(?:and|to|until)\s+(?P<y2>{_YEAR})\b"
            rf"|\b(?P<y3>{_YEAR})\s*[-–]\s*(?P<y4>{_YEAR})\b",
            re.I,
        ),
    ),
    (
        "mdy",
        re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{_YEAR})\b"),
    ),
    (
        "dmy",
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})\b"
        ),
    ),
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>[01]\d)(?:-(?P<d>[0-3]\d))?\b")),
    (
        "ym",  # "in 2017, in October"
        re.compile(rf"\b(?P<y>{_YEAR}),?\s+in\s+(?P<m>{_MONTH})\b(?!\s+(?:of\s+)?\d)"),
    ),
    ("my", re.compile(rf"\b(?P<m>{_MONTH})\s+(?:of\s+)?(?P<y>{_YEAR})\b")),
    (
        "season",
        re.compile(
            rf"\b(?P<s>spring|summer|autumn|fall|winter)\s+(?:of\s+)?(?P<y>{_YEAR})\b", re.I
        ),
    ),
    (
        "approx",
        re.compile(rf"\b(?:around|about|circa|approximately|roughly|c\.)\s+(?P<y>{_YEAR})\b", re.I),
    ),
    (
        "year",
        re.compile(rf"(?<![\d,.#№])\b(?P<y>{_YEAR})\b(?!\d|,\d|-year|\s*(?:yuan|people|km)\b)"),
    ),
    ("ago", re.compile(rf"\b(?P<n>{_NUMBER}|a few|several)\s+years?\s+ago\b", re.I)),
    (
        "before",  # "in March 2019, a year after he was sent to a camp": March 2018
        re.compile(
            rf"(?<=,\s)(?P<n>{_NUMBER})\s+(?P<unit>years?|months?)\s+after\s+"
            r"(?=(?:he|she|they|I|we|his|her|their|[A-Z])\b)",
            re.I,
        ),
    ),
    (
        "later",
        re.compile(
            rf"\b(?P<n>{_NUMBER}|a few|several)\s+(?P<unit>years?|months?)\s+"
            r"(?:later|after(?:wards?)?)\b",
            re.I,
        ),
    ),
    (
        "weeks",
        re.compile(
            rf"\b(?P<n>{_NUMBER}|a few|several)\s+(?P<unit>weeks?|days?)\s+"
            r"(?:later|after(?:wards?)?)\b",
            re.I,
        ),
    ),
    (
        "span",  # "the next 18 months" (from the last date)
        re.compile(
            rf"\bthe\s+(?:next|following)\s+(?:{_NUMBER}|few|several)\s+(?:weeks|months|years)\b",
            re.I,
        ),
    ),
    ("month", re.compile(r"\b(?:that|the\s+same)\s+month\b", re.I)),
    (
        "next",
        re.compile(
            r"\b(?:the\s+(?:following|next)\s+year|a\s+year\s+later|the\s+year\s+after)\b", re.I
        ),
    ),
    ("same", re.compile(r"\b(?:that\s+(?:same\s+)?year|the\s+same\s+year)\b", re.I)),
    (
        "doc",
        re.compile(
            r"\b(?P<w>last\s+year|this\s+year|earlier\s+this\s+year|the\s+previous\s+year)\b", re.I
        ),
    ),
]


# words without one of which a pattern cannot match (a quick test before it, for speed)
_NEEDS: dict[str, tuple[str, ...]] = {
    "season": ("spring", "summer", "autumn", "fall", "winter"),
    "approx": ("around", "about", "circa", "approx", "roughly", "c."),
    "ago": ("ago",),
    "later": ("later", "after"),
    "before": ("after",),
    "weeks": ("week", "day"),
    "ym": (" in ",),
    "span": ("next", "following"),
    "month": ("month",),
    "next": ("following", "next", "later", "after"),
    "same": ("same", "that year"),
    "doc": ("year",),
}


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    edtf: str
    relative: bool = False


def _year_of(edtf: str | None) -> int | None:
    if edtf and len(edtf) >= 4 and edtf[:4].isdigit():
        return int(edtf[:4])
    return None


def _count(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    if word in ("a few", "several"):
        return None
    return NUMBER_WORDS.get(word)


class DateReader:
    def __init__(self, document_date: str | None) -> None:
        self.document_year = _year_of(document_date)
        self.last: str | None = None  # the last date read, for "two years later"
        self.last_month: str | None = None  # the last one with a month, for "that month"

    def read(self, text: str, start: int, end: int) -> list[DateMention]:
        """The dates in ``text[start:end]`` in order (overlaps resolved longest-first)."""
        matches: list[tuple[str, re.Match[str]]] = []
        lower = text[start:end].lower()
        for kind, pattern in _PATTERNS:
            needs = _NEEDS.get(kind)
            if needs and not any(word in lower for word in needs):
                continue
            for match in pattern.finditer(text, start, end):
                a, b = match.span()
                if not any(a < m.end() and m.start() < b for _, m in matches):
                    matches.append((kind, match))
        found: list[DateMention] = []
        for kind, match in sorted(matches, key=lambda km: km[1].start()):
            edtf, relative = self._value(kind, match)
            if edtf is None:
                continue
            found.append(DateMention(match.start(), match.end(), edtf, relative))
            self.last = edtf.split("/")[-1].rstrip("~")
            if len(self.last) >= 7 and self.last[5:7].isdigit() and int(self.last[5:7]) <= 12:
                self.last_month = self.last[:7]
        return found

    def _value(self, kind: str, match: re.Match[str]) -> tuple[str | None, bool]:
        group = match.groupdict()
        if kind == "range":
            first, second = group["y1"] or group["y3"], group["y2"] or group["y4"]
            return (f"{first}/{second}" if int(first) < int(second) else None), False
        if kind in ("mdy", "dmy", "iso", "my", "ym"):
            month = group["m"]
            number = int(month) if month.isdigit() else MONTHS[month[:3].lower()]
            if not 1 <= number <= 12:
                return None, False
            value = f"{group['y']}-{number:02d}"
            day = group.get("d")
            if day and 1 <= int(day) <= 31:
                value += f"-{int(day):02d}"
            return value, False
        if kind == "season":
            return f"{group['y']}-{SEASONS[group['s'].lower()]}", False
        if kind == "approx":
            return f"{group['y']}~", False
        if kind == "year":
            return group["y"], False
        return self._relative(kind, group)

    def _relative(self, kind: str, group: dict[str, str]) -> tuple[str | None, bool]:
        if kind in ("ago", "doc"):
            if self.document_year is None:
                return None, True
            if kind == "doc":
                words = group["w"].lower()
                offset = 1 if ("last" in words or "previous" in words) else 0
                return str(self.document_year - offset), True
            count = _count(group["n"])
            return (f"{self.document_year - count}~" if count else None), True
        last_year = _year_of(self.last)
        if last_year is None:
            return None, True
        if kind == "span":
            return self.last, True
        if kind == "month":
            return (self.last_month or str(last_year)), True
        if kind == "before":
            count = _count(group["n"]) or 1
            if group["unit"].lower().startswith("month"):
                return str(last_year), True
            month = (self.last or "")[4:7] if len(self.last or "") >= 7 else ""
            return f"{last_year - count}{month}", True
        if kind == "weeks":
            return _later(self.last or "", kind, group), True
        if kind == "same":
            return str(last_year), True
        if kind == "next":
            return str(last_year + 1), True
        count = _count(group["n"])
        if count is None:
            return None, True
        if group["unit"].lower().startswith("month"):
            return (str(last_year) if count < 12 else f"{last_year + count // 12}~"), True
        return str(last_year + count), True


def _later(last: str, kind: str, group: dict[str, str]) -> str:
    """ "that month" or "two weeks later" counted from the last date read (a month
    that could be either of two is given as both: 2018-02/2018-03)."""
    if kind == "month" or len(last) < 7:
        return last[:7] if kind == "month" else last[:4]
    count = _count(group["n"]) or 2
    days = count * (7 if group["unit"].lower().startswith("week") else 1)
    year, month = int(last[:4]), int(last[5:7])
    if len(last) >= 10:
        moved = date(year, month, int(last[8:10])) + timedelta(days=days)
        return f"{moved.year}-{moved.month:02d}"
    if days > 31:
        return f"{year}"
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{last[:7]}/{following[0]}-{following[1]:02d}"
