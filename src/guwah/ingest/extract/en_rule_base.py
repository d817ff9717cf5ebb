"""The shape of an English claim rule and the pattern pieces the rule tables share
(en_rules_custody.py, en_rules_life.py; the whole table is ``en_rules.RULES``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from guwah.ingest.extract.dates import NUMBER_WORDS
from guwah.ingest.extract.en_lexicon import AGENTS, COUNTRIES, PROFESSIONS


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    pattern: re.Pattern[str]
    subject: str  # before, after, auto
    confidence: float
    value: str = ""  # facility, sentence, destination, profession, residence, government
    family: bool = False  # "her family"/"his relatives" may stand as the subject
    negatable: bool = True
    near: int = 160  # the most characters between the subject and the trigger
    gap: re.Pattern[str] | None = None  # what may stand between subject and trigger
    negate_inside: bool = True  # a negation inside the trigger's own words counts


AUX = (
    r"(?:was|were|is|are|been|being|be|got|get|gets|getting)"
    r"(?:\s+(?:\w+ly|later|also|then|again|first|eventually|soon|still|once|subsequently|"
    r"reportedly|allegedly|both|all|herself|himself|never|not|already|ever|just|since|"
    r"briefly|twice|repeatedly|herself|themselves|been)){0,3}"
)
NUMWORDS = "|".join(
    sorted((w for w in NUMBER_WORDS if w not in ("a", "an")), key=len, reverse=True)
)
NUM = rf"(?:\d{{1,2}}|{NUMWORDS})"
LEN = (
    rf"(?P<n>{NUM})(?:\s+and\s+(?:a\s+(?P<half>half)|(?P<m2>{NUM})\s+months?))?"
    r"[\s\-]+years?(?:\s+and\s+(?P<m3>\d{1,2}|" + NUMWORDS + r")\s+months?)?"
)
MONTHS = rf"(?P<mo>\d{{1,3}}|{NUMWORDS})[\s\-]+months?"
LIFE = r"(?P<life>life(?:\s+(?:in\s+prison|imprisonment))?)"
DEATH = (
    r"(?P<death>death(?P<susp>\s+with\s+(?:a\s+)?(?:two|2)[\s\-]year\s+(?:reprieve|suspension)"
    r"|,?\s+suspended(?:\s+for\s+two\s+years)?)?)"
)
AGENT_RE = "|".join(sorted(AGENTS, key=len, reverse=True))
COUNTRY = "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True) if c != "abroad")
PROFS = "|".join(re.escape(p) for p in PROFESSIONS)
FACILITY_NOUN = (
    r"(?:camps?|cent(?:re|er)s?|prisons?|jail|custody|detention|(?:training|education|vocational)\s+schools?|facilit(?:y|ies)|"
    r"class(?:es)?|station|penitentiary)"
)
POSSESSIVE_GAP = re.compile(
    r"^(?:['’]s)?\s+(?:(?:19|20)\d\d\s+|(?:first|second|initial|latest|recent)\s+)?$"
)
APPOSITION_GAP = re.compile(r"^,?\s*$")


def rule(
    name: str,
    kind: str,
    pattern: str,
    subject: str,
    confidence: float,
    value: str = "",
    *,
    family: bool = False,
    negatable: bool = True,
    near: int = 160,
    gap: re.Pattern[str] | None = None,
    flags: int = re.I,
) -> Rule:
    inside = kind not in ("fled", "threatened")
    return Rule(
        name,
        kind,
        re.compile(pattern, flags),
        subject,
        confidence,
        value,
        family,
        negatable,
        near,
        gap,
        inside,
    )
