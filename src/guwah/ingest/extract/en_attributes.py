"""Attributes and roles read around a person's mention: ethnicity, age, birth year,
gender, profession (written before a name: "Uyghur scholar Ilham Tohti"), official
titles ("police officer Li Wei", "X, the camp director,") and who speaks ("she said",
"said Gulnar Serikqyzy").
"""

from __future__ import annotations

import re

from guwah.ingest.extract.en_lexicon import ETHNICITIES, OFFICIAL_WORDS, PROFESSIONS
from guwah.ingest.extract.people import Mention, People
from guwah.ingest.extract.places import PlaceMention

_ETHNIC = "|".join(sorted(ETHNICITIES, key=len, reverse=True))
_ETHNIC_AFTER = re.compile(
    rf"\b(?:ethnic(?:ally)?\s+(?P<a>{_ETHNIC})|(?:an?|the)\s+(?:\w+\s+)?(?P<b>{_ETHNIC})\s+"
    r"(?:woman|man|mother|father|wife|husband|girl|boy|Muslim|citizen|national|poet|scholar|"
    r"teacher|writer|farmer|herder|businessman|businesswoman|student|doctor|trader|singer|"
    r"\w+er|\w+ist))\b",
    re.I,
)
_ETHNIC_BEFORE = re.compile(rf"\b(?:ethnic\s+)?(?P<e>{_ETHNIC})\s+(?:[a-z\-]+\s+){{0,3}}$", re.I)
_AGE_BEFORE = re.compile(r"\b(?P<age>\d{1,3})-year-old\s+(?:[\w\-]+\s+){0,3}$")
_AGE_AFTER = re.compile(
    r"^,?\s+(?:a|an|the)?\s*(?P<age>\d{1,3})-year-old\b|^,?\s+aged\s+(?P<aged>\d{1,3})\b"
)
_BORN = re.compile(r"\bborn\s+in\s+(?P<year>(?:19|20)\d\d)\b")
_FEMALE = re.compile(
    r"^,?\s+(?:a|an|the)\s+(?:[\w\-]+\s+){0,3}?(?:woman|mother|wife|girl|grandmother|widow)\b"
)
_MALE = re.compile(
    r"^,?\s+(?:a|an|the)\s+(?:[\w\-]+\s+){0,3}?(?:man|father|husband|boy|grandfather)\b"
)
_PROFESSION_BEFORE = re.compile(
    r"\b(?P<prof>" + "|".join(re.escape(p) for p in PROFESSIONS) + r")\s+$"
)
_OFFICIAL = (
    r"(?:police\s+officer|police\s+chief|party\s+secretary|party\s+chief|camp\s+director|"
    r"camp\s+guard|" + "|".join(sorted(OFFICIAL_WORDS, key=len, reverse=True)) + ")"
)
_OFFICIAL_BEFORE = re.compile(rf"\b{_OFFICIAL}\s+$", re.I)
_OFFICIAL_AFTER = re.compile(
    r"^,?\s+(?:a|an|the)\s+(?:(?:former|deputy|local|camp|county|village|regional|party|senior|"
    rf"township|prison|police)\s+)*{_OFFICIAL}\b|^,?\s+who\s+(?:oversaw|ran|led|ordered|supervised|"
    r"commanded|guarded|interrogated|tortured|beat)\b",
    re.I,
)
_SPEECH_BEFORE = re.compile(
    r"^(?:,[^.;\"“”]{0,160}?,)?\s*,?\s*(?:\w+ly\s+)?(?:said|says|told|tells|recalled|recalls|testified|recounted|"
    r"explained|described|added|wrote|writes)\b"
)
_SPEECH_AFTER = re.compile(r"\b(?:said|says|recalled|added|explained)\s*$")


def read_attributes(
    people: People, start: int, end: int, mentions: list[Mention], places: list[PlaceMention]
) -> None:
    text = people.text
    for index, mention in enumerate(mentions):
        if mention.kind not in ("name", "relative"):
            continue
        limit = mentions[index + 1].start if index + 1 < len(mentions) else end
        after = text[mention.end : min(limit, mention.end + 140)]
        before = text[max(start, mention.start - 50) : mention.start]
        for ref in mention.refs[:1] if len(mention.refs) > 1 else mention.refs:
            _read(people, ref, mention, before, after)


def _read(people: People, ref: str, mention: Mention, before: str, after: str) -> None:
    person = people.persons[ref]
    attributes = person.proposal.attributes
    ethnic = _ETHNIC_AFTER.search(after[:90])
    if ethnic and not re.search(r"[.;]", after[: ethnic.start()]):
        word = ethnic["a"] or ethnic["b"]
        attributes.setdefault("ethnicity", ETHNICITIES[word.lower()])
    elif mention.kind == "name" and (found := _ETHNIC_BEFORE.search(before)):
        attributes.setdefault("ethnicity", ETHNICITIES[found["e"].lower()])
    age = _AGE_AFTER.search(after) or (
        _AGE_BEFORE.search(before) if mention.kind == "name" else None
    )
    if age:
        attributes.setdefault("age", int(age.group("age") or age.group(2)))
    born = _BORN.search(after[:60])
    if born:
        attributes.setdefault("birth_year", int(born["year"]))
    if not person.gender:
        if _FEMALE.search(after):
            person.gender = "female"
        elif _MALE.search(after):
            person.gender = "male"
    if mention.kind == "name":
        profession = _PROFESSION_BEFORE.search(before)
        if profession:
            attributes.setdefault("profession", profession["prof"].lower())
        if _OFFICIAL_BEFORE.search(before) or _OFFICIAL_AFTER.search(after):
            people.add_role(ref, "official")


def read_witnesses(people: People, start: int, end: int, mentions: list[Mention]) -> None:
    """Who speaks in this sentence ("she said", "said Gulnar") is a witness."""
    text = people.text
    for index, mention in enumerate(mentions):
        if mention.kind == "family" or len(mention.refs) != 1:
            continue
        limit = mentions[index + 1].start if index + 1 < len(mentions) else end
        if _SPEECH_BEFORE.match(text[mention.end : limit]) or _SPEECH_AFTER.search(
            text[max(start, mention.start - 20) : mention.start]
        ):
            people.add_role(mention.refs[0], "witness")
