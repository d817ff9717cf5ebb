"""Chinese resident identity numbers (居民身份证号码): validation and decoding.

The 18-character number encodes the region of first registration (6 digits), the
birth date (8), a sequence whose last digit's parity gives the sex, and an ISO 7064
MOD 11-2 check character. ``python-stdnum`` computes the check character and decodes
the parts.

We do not use stdnum's full ``validate``: it also rejects a region code that did not
exist in the person's *birth* year, but the code is that of first registration, which
can be decades later (someone born in 1965 and registered in Yining City after 2001
carries 654002). Real numbers would be refused. We check the province instead and
decode the county when the code is known.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from guwah.model.errors import InvalidInput


@dataclass(frozen=True)
class ResidentId:
    number: str
    region_code: str
    birth_date: dt.date
    sex: str  # "male" or "female"
    province: str | None
    county: str | None


def parse_resident_id(text: str) -> ResidentId:
    """Validate and decode; raise InvalidInput naming what is wrong."""
    number = ric.compact(str(text)).upper()
    shown = str(text).strip()
    if len(number) != 18:
        raise InvalidInput(f"invalid Chinese ID number {shown!r}: must have 18 characters")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidInput(f"invalid Chinese ID number {shown!r}: must be 17 digits and 0-9 or X")
    if number[17] != ric.calc_check_digit(number):
        raise InvalidInput(f"invalid Chinese ID number {shown!r}: check digit does not match")
    try:
        birth = ric.get_birth_date(number)
    except ValidationError as exc:
        raise InvalidInput(f"invalid Chinese ID number {shown!r}: impossible birth date") from exc
    if birth > dt.date.today() or birth.year < 1880:
        raise InvalidInput(f"invalid Chinese ID number {shown!r}: impossible birth date")
    province, county = _region(number[:6])
    if province is None:
        raise InvalidInput(f"invalid Chinese ID number {shown!r}: unknown province code")
    sex = "male" if int(number[16]) % 2 else "female"
    return ResidentId(number, number[:6], birth, sex, province, county)


@lru_cache(maxsize=4096)
def _region(code: str) -> tuple[str | None, str | None]:
    info: dict[str, str] = {}
    for _part, props in numdb.get("cn/loc").info(code):
        info.update(props)
    county = info.get("county")
    if county:  # "[2001-]伊宁市,[1983-2000]..." -> the names without validity periods
        county = ",".join(part.split("]")[-1] for part in county.split(","))
    return info.get("province"), county
