"""The mentions of people in one English sentence, resolved to persons (see people.py for
what counts as a mention), and who speaks each quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guwah.ingest.extract.en_names import (
    age_after,
    count_of,
    is_first_person,
    is_plural_pronoun,
    name_gender,
    name_runs,
    title_before,
    title_gender,
)
from guwah.ingest.extract.people import (
    FAMILY,
    MODIFIERS,
    PRONOUN,
    RELATIVE,
    RELATIVE_NOUNS,
    Mention,
    People,
)

_QUOTE = re.compile(r"“[^”]{2,3000}”|\"[^\"\n]{2,3000}\"")
_SPEECH = (
    r"(?:said|says|told|tells|recalled|recalls|added|adds|explained|wrote|writes|testified|"
    r"recounted|remembered|asked|continued)"
)
_WHO = (
    r"(?P<who>[Ss]he|[Hh]e|I|(?:[Hh]er|[Hh]is|[Mm]y)\s+\w+|"
    r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3})"
)
_WHO2 = _WHO.replace("who", "who2")
_AFTER = re.compile(rf"\s*,?\s*(?:{_WHO}\s+{_SPEECH}\b|{_SPEECH}\s+{_WHO2})")
_BEFORE = re.compile(rf"{_WHO}\s+{_SPEECH}(?:\s+\w+){{0,6}}?\s*[:,]?\s*$")
_GENERIC_SPEAKER = re.compile(
    r"\b(?:a|an|the|another)\s+(?:\w+\s+)?(?:man|woman|officer|official|policeman|person|caller|"
    r"guard|stranger|neighbou?r)\s+who\s+(?:said|told\s+\w+|claimed)\s+(?:that\s+)?$"
)
_SAID_AFTER = re.compile(rf"\s*,?\s*{_SPEECH}\b[^.;]{{0,60}}?\bthat\b")
_SPEAKS = re.compile(
    rf"^\s*(?:\w+ly\s+)?{_SPEECH}(?:\s+(?:RFA|Reuters|AP|AFP|the\s+[A-Z]\w*|reporters|journalists|"
    r"(?:a|the)\s+(?:reporter|journalist|news\s+agency)))?\s*(?:[.,;:]|$)"
)
_NOUN_AFTER = re.compile(
    r"\s+(?!(?:and|or|to|in|into|for|on|at|that|because|with|from|after|before|when|was|were|"
    r"is|had|has|as|by|of|about|again|away|back|up|out|off|once|twice|if|but|since|until|"
    r"while|there|here|where|so|then|now|too|also)\b)[a-z]"
)
_GROUP_MEMBER = re.compile(
    r"\b(?:(?P<one>[Oo]ne)\s+of\s+(?:them|the\s+(?:two\s+|three\s+)?(?:brothers|sisters|sons|"
    r"daughters|men|women))"
    r"|(?P<other>[Tt]he\s+other)(?:\s+(?:one|brother|sister|son|daughter))?)\b"
)
HAS_RELATIVE = re.compile(
    rf"\b(?P<pos>[Ss]he|[Hh]e|I|[Ww]e)\s+(?:has|had|have)\s+(?:also\s+)?"
    rf"(?P<mods>(?:{MODIFIERS}[\s,]+){{1,3}})(?P<noun>children|sons|daughters|brothers|sisters)\b"
)
_CHAINED = re.compile(
    rf"['’]s\s+(?P<mods>(?:{MODIFIERS}[\s,]+){{0,3}})(?P<noun>{RELATIVE_NOUNS})\b"
)
_AND_RELATIVE = re.compile(
    rf"\s+and\s+(?P<mods>(?:{MODIFIERS}[\s,]+){{0,3}})(?P<noun>{RELATIVE_NOUNS})\b(?!['’])"
)
_RELATIVE_APPOSITION = re.compile(
    rf",\s+(?:[A-Z][\w\-]+|[Hh]er|[Hh]is|[Mm]y|[Oo]ur|[Tt]heir)(?:['’]s)?\s+(?:{MODIFIERS}\s+)?"
    rf"(?:{RELATIVE_NOUNS}),"
)
_APPOSITION_NAME = re.compile(r"(?:,?\s+|\s+(?:is|was)\s+)(?=[A-Z])")


@dataclass
class Quote:
    start: int
    end: int
    who: tuple[int, int] | None  # the attribution's speaker span
    speaker: str | None = None
    resolved: bool = False


def find_quotes(text: str, start: int) -> list[Quote]:
    quotes: list[Quote] = []
    for match in _QUOTE.finditer(text, start):
        who: tuple[int, int] | None = None
        after = _AFTER.match(text, match.end())
        before = _BEFORE.search(text, max(0, match.start() - 120), match.start())
        if after:
            who = after.span("who") if after.group("who") else after.span("who2")
        elif before:
            who = before.span("who")
        quotes.append(Quote(match.start(), match.end(), who))
    return quotes


def quote_at(quotes: list[Quote], position: int) -> Quote | None:
    for quote in quotes:
        if quote.start <= position < quote.end:
            return quote
        if quote.start > position:
            break
    return None


def speaker(people: People, quote: Quote) -> str | None:
    if not quote.resolved:
        quote.resolved = True
        if quote.who is not None:
            start, end = quote.who
            word = people.text[start:end]
            lower = word.lower()
            if lower in ("she", "he"):
                quote.speaker = people.pronoun(lower, speaking=True)
            elif lower == "i":
                quote.speaker = people.narrator
            elif " " in word and lower.split()[0] in ("her", "his", "my"):
                found = resolve(people, start, end, [])
                quote.speaker = found[0].refs[0] if found and found[0].refs else None
            else:
                quote.speaker = people.named(word, start, end)
        if quote.speaker is None:
            quote.speaker = people.main_witness()
        if quote.speaker is not None:
            people.add_role(quote.speaker, "witness")
    return quote.speaker


def _first_person(people: People, position: int, quotes: list[Quote]) -> str | None:
    quote = quote_at(quotes, position)
    if quote is not None:
        return speaker(people, quote)
    if people.testimony:
        return people.ensure_narrator()
    return people.main_witness()


def resolve(people: People, start: int, end: int, quotes: list[Quote]) -> list[Mention]:
    """The mentions of ``text[start:end]`` in order, each resolved to person refs."""
    text = people.text
    candidates: list[tuple[int, int, str, re.Match[str] | tuple[int, int, str, bool]]] = []
    for match in HAS_RELATIVE.finditer(text, start, end):
        candidates.append((match.start(), match.end(), "relative", match))
    for match in RELATIVE.finditer(text, start, end):
        if re.match(
            r"\s+of\s+(?:one|two|three|four|five|six|\d)\b", text[match.end() : match.end() + 12]
        ):
            continue  # "a mother of two"
        candidates.append((match.start(), match.end(), "relative", match))
    for match in FAMILY.finditer(text, start, end):
        candidates.append((match.start(), match.end(), "family", match))
    for run in name_runs(text, start, end):
        candidates.append((run[0], run[1], "name", run))
    for match in PRONOUN.finditer(text, start, end):
        candidates.append((match.start(), match.end(), "pronoun", match))
    for match in _GROUP_MEMBER.finditer(text, start, end):
        candidates.append((match.start(), match.end(), "member", match))
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    mentions: list[Mention] = []
    taken_until = -1
    people.sentence_pronouns = {}
    people.sentence_refs = []
    for begin, finish, kind, item in candidates:
        if begin < taken_until:
            continue
        mention = _resolve_one(people, begin, finish, kind, item, mentions, quotes)
        if mention is None:
            continue
        mentions.append(mention)
        taken_until = mention.end
    _set_topic(people, mentions, end, quotes)
    return mentions


def _set_topic(people: People, mentions: list[Mention], end: int, quotes: list[Quote]) -> None:
    """The sentence's topic: its first person (a group or the narrator does not count;
    people quoted count only when no one outside the quotation is mentioned), or after
    "X said (that)" the first person of what X said."""
    outside = [m for m in mentions if quote_at(quotes, m.start) is None]
    mentions = [
        m
        for m in (outside or mentions)
        if len(m.refs) == 1
        and not people.persons[m.refs[0]].group_key
        and not is_first_person(m.word or m.text)
    ]
    if not mentions:
        return
    first = mentions[0]
    speech = _SAID_AFTER.match(people.text, first.end, end)
    if speech:
        later = [m for m in mentions if m.start >= speech.end()]
        if later:
            people.topic = later[0].refs[0]
            return
    people.topic = first.refs[0]


def _resolve_one(
    people: People,
    begin: int,
    finish: int,
    kind: str,
    item: re.Match[str] | tuple[int, int, str, bool],
    previous: list[Mention],
    quotes: list[Quote],
) -> Mention | None:
    text = people.text
    if kind == "name":
        assert isinstance(item, tuple)
        name = item[2]
        single = " " not in name
        ref = people.find_named(name)
        surname = (  # "Ms Ekber": a surname, of that gender
            people.find_surname(name, title_gender(text, begin))
            if single and title_before(text, begin)
            else None
        )
        if ref is None and single and not (title_before(text, begin) or age_after(text, finish)):
            return None
        if surname is not None and surname != ref:
            ref = surname
            people.mentioned(ref, begin, finish)
        else:
            ref = people.named(name, begin, finish)
        if ref is None:
            return None
        person = people.persons[ref]
        person.gender = person.gender or title_gender(text, begin)
        age = age_after(text, finish)
        if age is not None:
            person.proposal.attributes.setdefault("age", age)
        return Mention(begin, finish, "name", [ref], name, possessive=item[3])
    assert isinstance(item, re.Match)
    if kind == "member":  # "one of them", "the other brother"
        group = people.plural()
        index = 0 if item["one"] else 1
        if len(group) <= index:
            return None
        people.touch(group[index])
        return Mention(begin, finish, "pronoun", [group[index]], item.group(), True, word="one")
    if kind == "pronoun":
        word = item.group().lower()
        refs: list[str] = []
        if is_first_person(word):
            first = _first_person(people, begin, quotes)
            refs = [first] if first else []
        elif is_plural_pronoun(word):
            refs = people.plural()
        elif word == "who":
            named = [m for m in previous if m.kind in ("name", "relative")]
            if named and begin - named[-1].end <= 80 and named[-1] is previous[-1]:
                refs = list(named[-1].refs)
        elif _GENERIC_SPEAKER.search(text[max(0, begin - 60) : begin]):
            return None  # "a man who said he was a police officer"
        else:
            speaking = (
                word in ("she", "he")
                and bool(_SPEAKS.match(text[finish : finish + 30]))
                and bool(re.search(r"[,”\"]\s*$", text[max(0, begin - 4) : begin]))
            )
            quote = quote_at(quotes, begin)  # in X's words, "he" is not X
            exclude = speaker(people, quote) if quote is not None and not speaking else None
            found = people.pronoun(word, exclude=exclude, speaking=speaking)
            refs = [found] if found else []
        if not refs:
            return None
        for ref in refs:
            people.touch(ref)
        following = text[finish : finish + 20]
        possessive = word in ("my", "our", "their", "his") or (
            word == "her" and bool(_NOUN_AFTER.match(following))
        )
        return Mention(
            begin, finish, "pronoun", refs, item.group(), True, word=word, possessive=possessive
        )
    if kind == "relative" and _RELATIVE_APPOSITION.match(text, finish):
        return None  # "my daughter-in-law, Nurzhan's wife,": the second says whose
    anchor, via_pronoun = _possessor(people, item, previous, quotes)
    if anchor is None:
        return None
    if kind == "family":
        people.touch(anchor)
        return Mention(
            begin, finish, "family", [anchor], item.group(), via_pronoun, word=item["noun"]
        )
    noun = item["noun"].lower()
    refs = people.relatives(
        anchor, noun, count_of(item["mods"].lower()), begin, finish, _rank(item["mods"])
    )
    chained = _CHAINED.match(text, finish)
    while chained and len(refs) == 1:  # "my wife's brother"
        finish = chained.end()
        refs = people.relatives(
            refs[0], chained["noun"].lower(), count_of(chained["mods"].lower()), begin, finish
        )
        chained = _CHAINED.match(text, finish)
    finish = _apposition(people, refs, finish)
    joined = _AND_RELATIVE.match(text, finish)
    if joined:  # "his wife and three children": his children too
        more = people.relatives(
            anchor, joined["noun"].lower(), count_of(joined["mods"].lower()), begin, joined.end()
        )
        refs = [*refs, *(r for r in more if r not in refs)]
        finish = joined.end()
    owner = text[finish : finish + 2] in ("'s", "’s")
    return Mention(
        begin,
        finish,
        "relative",
        refs,
        text[begin:finish],
        via_pronoun,
        word=noun,
        possessive=owner,
    )


def _rank(mods: str) -> str:
    """ "younger"/"elder" (and the like) among a relative's modifiers, else ""."""
    for word in mods.lower().replace(",", " ").split():
        if word in ("younger", "youngest", "little"):
            return "younger"
        if word in ("elder", "older", "eldest", "oldest", "big"):
            return "elder"
    return ""


def _possessor(
    people: People, match: re.Match[str], previous: list[Mention], quotes: list[Quote]
) -> tuple[str | None, bool]:
    word = match["pos"]
    lower = {"she": "her", "he": "his", "i": "my", "we": "our"}.get(word.lower(), word.lower())
    if lower.startswith("the "):  # "the poet's wife": the person the text is about
        return (people.topic or people.main_witness()), True
    if match.groupdict().get("name"):
        return people.named(match["name"], match.start(), match.start() + len(match["name"])), False
    if lower in ("my", "our"):
        return _first_person(people, match.start(), quotes), False
    if lower == "whose":
        return (previous[-1].refs[0] if previous and previous[-1].refs else None), True
    if lower in ("her", "his"):
        return people.pronoun("she" if lower == "her" else "he"), True
    if lower == "their":
        spouses = [
            m
            for m in previous
            if m.kind == "relative"
            and len(m.refs) == 1
            and people.persons[m.refs[0]].relation == "spouse"
        ]
        if spouses:
            return people.persons[spouses[-1].refs[0]].anchor, True
        group = people.plural()
        return (group[0] if group else people.main_witness()), True
    # "the family"
    return people.main_witness(), True


def _apposition(people: People, refs: list[str], finish: int) -> int:
    """``her brother, Erlan Serikuly,`` or ``her husband Erlan``: the relative's name;
    ``my parents, Rahman Haji and Horiyet Ismayil,``: a name for each, by gender."""
    text = people.text
    gap = _APPOSITION_NAME.match(text, finish)
    if not gap or not refs:
        return finish
    runs = name_runs(text, gap.end(), min(len(text), gap.end() + 120))
    if not runs or runs[0][0] != gap.end() or runs[0][3]:
        return finish
    chosen = [runs[0]]
    for run in runs[1 : len(refs)]:
        joint = text[chosen[-1][1] : run[0]]
        if not re.fullmatch(r"\s*(?:,|,?\s+and)\s+", joint):
            break
        chosen.append(run)
    if len(chosen) != len(refs):
        return finish
    free = list(refs)
    for start, end, name, _ in chosen:
        gender = name_gender(name)
        ref = next((r for r in free if gender and people.persons[r].gender == gender), free[0])
        free.remove(ref)
        merged = people.name_relative(ref, name)
        refs[refs.index(ref)] = merged
        people.mentioned(merged, start, end)
    return chosen[-1][1]
