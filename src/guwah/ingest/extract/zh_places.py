"""Xinjiang places named in Chinese text ("户籍所在地新疆特克斯县喀拉托海乡"), and
known facilities ("伊宁县看守所"): the gazetteer's Chinese names, longest first."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from guwah.model.gazetteer import load_gazetteer

_CJK = re.compile(r"^[\u3400-\u9fff]+$")


@dataclass(frozen=True)
class ZhPlace:
    start: int
    end: int
    text: str
    code: str


@functools.cache
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    gazetteer = load_gazetteer()
    codes: dict[str, str] = {}
    for place in gazetteer:
        for name in (place.names.get("zh", ""), *place.aliases):
            if len(name) >= 2 and _CJK.match(name):
                resolved = gazetteer.resolve(name)
                if resolved is not None and not place.former:
                    codes.setdefault(name, resolved.code if len(name) <= 2 else place.code)
    alternation = "|".join(re.escape(n) for n in sorted(codes, key=len, reverse=True))
    return re.compile(alternation), codes


def find_zh_places(text: str, start: int = 0, end: int | None = None) -> list[ZhPlace]:
    pattern, codes = _pattern()
    stop = len(text) if end is None else end
    return [
        ZhPlace(m.start(), m.end(), m.group(), codes[m.group()])
        for m in pattern.finditer(text, start, stop)
    ]


def most_specific(places: list[ZhPlace]) -> ZhPlace | None:
    """The deepest unit among places named together (a county over its prefecture)."""
    if not places:
        return None
    gazetteer = load_gazetteer()
    return max(places, key=lambda p: (len(gazetteer.ancestors(p.code)), p.end))
