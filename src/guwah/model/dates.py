"""Approximate dates as EDTF strings (``2017``, ``2017-06``, ``2017~``, ``2018/2019``).

The ``edtf`` library parses and checks them; we keep the string as given and derive the
earliest and latest year it can mean, for filtering and ordering.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

from guwah.model.errors import InvalidInput


@dataclass(frozen=True)
class DateRange:
    """The span an EDTF date can mean, as ISO days (``lower`` <= ``upper``)."""

    edtf: str
    lower: dt.date
    upper: dt.date
    sort_key: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        # Orders dates by their latest possible day, then earliest.
        object.__setattr__(self, "sort_key", f"{self.upper.isoformat()}|{self.lower.isoformat()}")

    @property
    def year_min(self) -> int:
        return self.lower.year

    @property
    def year_max(self) -> int:
        return self.upper.year


# Exact or qualified (``?`` uncertain, ``~`` approximate, ``%`` both) years, months and
# days: the qualifier does not change the span, so these skip the full EDTF grammar.
_PLAIN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?[?~%]?")


def parse_date(text: str) -> DateRange:
    """Parse an EDTF string; raise InvalidInput with a short reason when it is not a date."""
    return _parse_cached(text.strip())


@lru_cache(maxsize=65536)
def _parse_cached(cleaned: str) -> DateRange:
    if not cleaned:
        raise InvalidInput("empty date")
    plain = _PLAIN.fullmatch(cleaned)
    if plain:  # fast path for the common exact forms; same answers as the edtf parser
        return _plain_range(cleaned, plain)
    try:
        parsed = parse_edtf(cleaned)
    except (EDTFParseException, ValueError, TypeError) as exc:
        raise InvalidInput(
            f"not a valid date: {cleaned!r} (use EDTF, e.g. 2017, 2017-06, 2017~)"
        ) from exc
    try:
        lower = _to_date(parsed.lower_strict())
        upper = _to_date(parsed.upper_strict())
    except (ValueError, OverflowError, TypeError, AttributeError) as exc:
        raise InvalidInput(f"not a valid date: {cleaned!r}") from exc
    if lower > upper:
        raise InvalidInput(f"date range ends before it starts: {cleaned!r}")
    if lower.year < 1850 or upper.year > 2200:
        raise InvalidInput(f"date out of range: {cleaned!r}")
    return DateRange(cleaned, lower, upper)


def _plain_range(cleaned: str, match: re.Match[str]) -> DateRange:
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    try:
        if month is None:
            lower, upper = dt.date(year, 1, 1), dt.date(year, 12, 31)
        elif day is None:
            last = calendar.monthrange(year, month)[1]
            lower, upper = dt.date(year, month, 1), dt.date(year, month, last)
        else:
            lower = upper = dt.date(year, month, day)
    except ValueError as exc:
        raise InvalidInput(
            f"not a valid date: {cleaned!r} (use EDTF, e.g. 2017, 2017-06, 2017~)"
        ) from exc
    if year < 1850 or year > 2200:
        raise InvalidInput(f"date out of range: {cleaned!r}")
    return DateRange(cleaned, lower, upper)


def normalise_date(text: str | int | None) -> str | None:
    """Return the EDTF string for a stored value (None stays None); validates it."""
    if text is None:
        return None
    as_text = str(text).strip()
    if not as_text:
        return None
    return parse_date(as_text).edtf


def _to_date(struct: object) -> dt.date:
    import time

    if not isinstance(struct, time.struct_time):
        raise TypeError("not a date")
    return dt.date(struct.tm_year, struct.tm_mon, struct.tm_mday)
