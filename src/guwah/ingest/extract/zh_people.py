"""Kinship and witnesses in Chinese official documents.

A verdict says how its parties are related in set phrases: ``系被告人某某之妻`` ("is the
wife of defendant X"), ``某某之子``; and it names witnesses as ``证人某某证实`` ("witness X
testified"). Each phrase gives the kinship as a ``RelationType`` value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = r"[\u4e00-\u9fff·•]{2,16}?"
_KIN: dict[str, str] = {
    **dict.fromkeys(("夫", "妻", "丈夫", "妻子", "配偶"), "spouse"),
    **dict.fromkeys(("子", "女", "儿子", "女儿", "长子", "次子", "长女", "次女"), "child"),
    **dict.fromkeys(("父", "父亲"), "father"),
    **dict.fromkeys(("母", "母亲"), "mother"),
    **dict.fromkeys(("兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹"), "sibling"),
}
_KIN_WORDS = "|".join(sorted(_KIN, key=len, reverse=True))
_RELATION = re.compile(rf"系(?:被告人|罪犯|学员)?(?P<name>{_NAME})之(?P<kin>{_KIN_WORDS})")
_WITNESS = re.compile(rf"证人(?P<name>{_NAME})(?:证实|的证言|证言|陈述|称)")


@dataclass(frozen=True)
class ZhRelation:
    start: int
    end: int
    other: str  # the name of the person this party is a relative of
    type: str  # RelationType value: this party is the <type> of ``other``


def find_relations(text: str, start: int, end: int) -> list[ZhRelation]:
    """Kinship phrases in ``text[start:end]`` (a party's paragraph)."""
    return [
        ZhRelation(m.start(), m.end(), m.group("name"), _KIN[m.group("kin")])
        for m in _RELATION.finditer(text, start, end)
    ]


def find_witnesses(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of every witness named."""
    return [(m.start("name"), m.end("name"), m.group("name")) for m in _WITNESS.finditer(text)]
