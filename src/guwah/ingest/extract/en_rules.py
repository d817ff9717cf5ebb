"""The English claim rules: one named pattern per way reporting states an event.

A rule is a trigger pattern, the claim kind it proposes, where its subject stands
(``before`` the trigger as in the passive "her mother was detained"; ``after`` it as in
the active "police detained her mother"; ``auto``: after when no auxiliary verb precedes
the trigger and a person follows it), a base confidence and the value it reads
("facility", "sentence", "destination", "profession", "residence"). The rule name is
what a reviewer sees next to the proposal ("detained.passive", "sentenced.term"...).
"""

from __future__ import annotations

import re

from guwah.ingest.extract.dates import NUMBER_WORDS
from guwah.ingest.extract.en_rule_base import Rule
from guwah.ingest.extract.en_rules_custody import CUSTODY_RULES
from guwah.ingest.extract.en_rules_life import LIFE_RULES

__all__ = [
    "HEDGE",
    "NEGATION",
    "RULES",
    "VICTIM_KINDS",
    "Rule",
    "is_passive_before",
    "sentence_value",
]

RULES: list[Rule] = [*CUSTODY_RULES, *LIFE_RULES]

VICTIM_KINDS = frozenset(
    [
        "detained",
        "sentenced",
        "released",
        "died",
        "disappeared",
        "transferred",
        "forced_labour",
        "surveilled",
        "family_separated",
        "birth_control",
    ]
)
NEGATION = re.compile(
    r"\b(?:not|never|no\s+longer|would|could|might|(?<!in\s)may(?!\s+(?:\d|of\s+\d))|will|shall|should|if|unless|whether|"
    r"risk(?:ed|s|ing)?|fear(?:ed|s)?|afraid|avoid(?:ed|ing)?|threaten(?:ed|s|ing)?\s+to|warn(?:ed|"
    r"s|ing)?|"
    r"nearly|almost|escaped|tried|trying|attempt(?:ed|ing)?|barred|banned|prevented|unable|"
    r"refused|denied|deny|denies|wanted|want|wants|plan(?:ned|s)?|hope[sd]?|"
    r"instead\s+of|rather\s+than|to\s+be)\b|n['’]t\b",
    re.I,
)
HEDGE = re.compile(
    r"\b(?:reportedly|allegedly|believed|believes|thought|suspects?|suspected|may\s+have|"
    r"might\s+have|could\s+have|apparently|presumably|rumou?red)\b",
    re.I,
)
AUX_BEFORE = re.compile(
    r"\b(?:was|were|is|are|been|being|be|got|get|gets|had|has|have)(?:\s+\w+ly)?\s*$", re.I
)


def sentence_value(match: re.Match[str]) -> dict[str, object]:
    """years/months/life/death of a matched sentence length."""
    group = match.groupdict()
    value: dict[str, object] = {}
    if group.get("life"):
        return {"life": True}
    if group.get("death"):
        value = {"death": True}
        if group.get("susp"):
            value["suspended"] = True
        return value
    if group.get("n"):
        value["years"] = _number(group["n"])
        months = group.get("m2") or group.get("m3")
        if months:
            value["months"] = _number(months)
        elif group.get("half"):
            value["months"] = 6
    elif group.get("mo"):
        total = _number(group["mo"])
        if total >= 12 and total % 12 == 0:
            value["years"] = total // 12
        else:
            value["months"] = total
    return value


def _number(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word, 0)


def is_passive_before(text: str, start: int) -> bool:
    return bool(AUX_BEFORE.search(text[max(0, start - 30) : start]))
