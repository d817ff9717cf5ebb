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
    requires: re.Pattern[str] | None = None  # the sentence must also say this somewhere
    skip: re.Pattern[str] | None = None  # a subject is passed over when this stands between
    dated: bool = True  # False: the dates near the trigger are another event's
    needs: tuple[str, ...] = ()  # a quick test: the sentence (lower case) has one of these


AUX = (
    r"(?:was|were|is|are|been|being|be|got|get|gets|getting)"
    r"(?:\s+(?:\w+ly|later|also|then|again|first|eventually|soon|still|once|subsequently|"
    r"reportedly|allegedly|both|all|herself|himself|never|not|already|ever|just|since|"
    r"briefly|twice|repeatedly|herself|themselves|been)){0,3}"
)
# a second passive verb sharing the subject of the first: "was detained in 2017 and later
# released", "was taken to a camp and released in late 2019"
COORD = (
    r"(?:,\s+|\s+)and\s+"
    r"(?:(?:later|then|subsequently|eventually|finally|also|soon|was|were)\s+){0,2}"
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
APPOSITION_GAP = re.compile(r"^(?:,\s*\d{1,3})?,?\s*$")  # "Nurmemet Abla, 58, a former dean"


# words without one of which a rule cannot match (checked before its pattern, for speed)
NEEDS: dict[str, tuple[str, ...]] = {
    "fled.asylum_where": ("asylum", "refugee"),
    "fled.asylum": ("asylum", "refugee"),
    "detained.sent": ("taken", "sent", "put", "placed", "held", "kept", "locked", "thrown"),
    "detained.held": ("held", "kept", "detained"),
    "sentenced.term": ("year",),
    "sentenced.term_of": ("sentence", "term"),
    "sentenced.given": ("given", "gave", "give", "handed", "received", "got"),
    "sentenced.death": ("death",),
    "detained.released_from": ("released", "freed", "let out"),
    "detained.passive": (
        "detained",
        "arrested",
        "interned",
        "incarcerated",
        "abducted",
        "rounded",
        "locked",
        "picked",
        "seized",
        "taken",
        "imprisoned",
        "jailed",
    ),
    "released.passive": ("released", "freed", "let ", "allowed"),
    "released.active": ("released", "freed"),
    "detained.active": (
        "detain",
        "arrest",
        "took",
        "interned",
        "seized",
        "picked",
        "rounded",
        "locked",
        "abducted",
        "sent",
        "take",
        "send",
    ),
    "transferred.passive": ("transferred", "moved", "relocated"),
    "transferred.active": ("transferred", "moved"),
    "threatened.questioned": ("question", "interrogat", "summon", "called", "call", "phone"),
    "resident_of.from": (
        "from",
        "native",
        "resident",
        "live",
        "living",
        "grew",
        "settled",
        "based",
        "home",
    ),
}


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
    requires: str | None = None,
    skip: str | None = None,
    dated: bool = True,
    needs: tuple[str, ...] = (),
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
        re.compile(requires, re.I) if requires else None,
        re.compile(skip, re.I) if skip else None,
        dated,
        needs or NEEDS.get(name.split(".")[0] + "." + name.split(".")[1], ()),
    )
