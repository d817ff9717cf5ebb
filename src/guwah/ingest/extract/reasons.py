"""Stated reasons for a detention or sentence, as a short normalised phrase.

Each pattern maps wording seen in reporting and testimony to one reason ("praying",
"religious faith", "wearing a veil", "travel abroad", "relatives abroad", "WhatsApp",
"religious extremism", "separatism", "no reason given"...). ``find_reasons`` returns
every reason in a span with its offsets, so that a rule can take the one nearest to its
trigger word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FOREIGN = (
    r"(?:Kazakhstan|Turkey|T[üu]rkiye|Kyrgyzstan|Egypt|Saudi Arabia|Malaysia|Indonesia|"
    r"Pakistan|Uzbekistan|Dubai|the (?:United Arab )?Emirates|abroad|overseas|foreign countries)"
)
_REASONS: list[tuple[str, str]] = [
    (
        "no reason given",
        r"\b(?:no|without (?:any|a)|never (?:given|told) (?:a|any)) "
        r"(?:stated |official |clear )?(?:reason|explanation|charges?)\b(?: (?:given|was given))?"
        r"|\bwithout (?:being )?(?:charged|explanation|trial)\b|\bno reason\b",
    ),
    ("praying", r"\bpray(?:ing|ed|s|er|ers)?\b|\bnamaz\b|\bsalat\b"),
    (
        "wearing a veil",
        r"\b(?:wearing|wore|wear) (?:a |the )?(?:veil|headscarf|hijab|niqab)"
        r"|\bveil(?:ed)?\b",
    ),
    ("growing a beard", r"\b(?:growing|grew|grow|having) (?:a |his )?(?:long )?beard\b"),
    ("fasting", r"\bfast(?:ing|ed) (?:during|for|in) Ramadan\b|\bfasting\b"),
    (
        "reading the Quran",
        r"\b(?:reading|read|owning|having|possessing|teaching) (?:the |a )?"
        r"(?:Quran|Koran|religious (?:books?|texts?|materials?))",
    ),
    (
        "religious faith",
        r"\b(?:practi[cs]ing|practi[cs]ed|practice of|keeping) (?:her |his |their )?"
        r"(?:Muslim |Islamic )?(?:faith|religion|Islam)\b|\breligious (?:faith|beliefs?|practices?|"
        r"activities)\b"
        r"|\b(?:being|was) (?:too |a )?(?:religious|devout)\b|\bhis faith\b|\bher faith\b|\btheir "
        r"faith\b",
    ),
    ("WhatsApp", r"\bWhatsApp\b|\bforeign (?:messaging )?apps?\b|\bVPN\b"),
    (
        "travel abroad",
        r"\b(?:travel(?:l?ing|l?ed|s)?|trips?|visit(?:ing|ed|s)?|went|going|been|studying|"
        rf"studied) (?:(?:to|in|abroad|overseas)\s*)?(?:{_FOREIGN})"
        r"|\btravel(?:l?ing)? abroad\b|\bpassport\b",
    ),
    (
        "relatives abroad",
        rf"\b(?:relatives|family|family members|children|sons?|daughters?|contacts?|"
        rf"links|ties|friends|connections?|phone calls?|calls?) (?:living |who live |)"
        rf"(?:in|with|to) (?:{_FOREIGN})",
    ),
    ("preaching", r"\bpreach(?:ing|ed|es)?\b|\bsermons?\b"),
    ("religious extremism", r"\b(?:religious )?extremis[mt]\b|\bradicali[sz]"),
    ("separatism", r"\bseparatis[mt]\b|\bsplitting the (?:country|state)\b"),
    ("terrorism", r"\bterroris[mt]\b"),
    ("inciting ethnic hatred", r"\binciting ethnic hatred\b|\bethnic hatred\b"),
    (
        "speaking to the media",
        r"\b(?:speaking|spoke|talking|talked) (?:out |publicly )?(?:to|with) "
        r"(?:the )?(?:media|journalists|reporters|foreign media)",
    ),
    (
        "his writing",
        r"\b(?:his|her) (?:writings?|books?|poems?|songs?|articles?|lectures?|teaching)\b",
    ),
]
_COMPILED = [(name, re.compile(pattern, re.I)) for name, pattern in _REASONS]


@dataclass(frozen=True)
class ReasonMention:
    start: int
    end: int
    reason: str


def find_reasons(text: str, start: int, end: int) -> list[ReasonMention]:
    """The reasons stated in ``text[start:end]``, in order of position."""
    found: list[ReasonMention] = []
    for name, pattern in _COMPILED:
        for match in pattern.finditer(text, start, end):
            if any(r.start <= match.start() < r.end for r in found):
                continue
            found.append(ReasonMention(match.start(), match.end(), name))
    found.sort(key=lambda r: r.start)
    return found
