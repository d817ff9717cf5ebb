"""English extraction: people, relations and claims proposed from an article or testimony.

Reads the text sentence by sentence in order (sentences.py), resolves the people each
sentence mentions (people.py, en_mentions.py), reads its dates (dates.py), then runs the
claim rules (en_rules.py) and fills each claim's subject, value, date, place and reason
from the words around its trigger (en_assemble.py merges and numbers the result). Every
proposal carries the sentence it rests on as evidence (offsets into ``Document.text``), a
confidence and the name of its rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from guwah.ingest.document import Document
from guwah.ingest.extract.dates import DateMention, DateReader
from guwah.ingest.extract.en_assemble import assemble, best_of_sentence
from guwah.ingest.extract.en_attributes import read_attributes, read_witnesses
from guwah.ingest.extract.en_lexicon import COUNTRIES, DEMONYMS, PROFESSIONS
from guwah.ingest.extract.en_mentions import find_quotes, resolve
from guwah.ingest.extract.en_names import name_gender
from guwah.ingest.extract.en_rules import (
    HEDGE,
    NEGATION,
    RULES,
    Rule,
    is_passive_before,
    sentence_value,
)
from guwah.ingest.extract.people import Mention, People
from guwah.ingest.extract.places import (
    PlaceMention,
    facility_of_place,
    find_facilities,
    find_places,
)
from guwah.ingest.extract.reasons import find_reasons
from guwah.ingest.extract.sentences import split_sentences
from guwah.ingest.proposals import (
    ClaimProposal,
    Evidence,
    Extraction,
)

_HEADER = re.compile(r"date\s+\d{4}-\d{2}-\d{2}\s+\w+\s+\w+[^\n]*\n")
_PARENTHETICAL = re.compile(
    r",\s+(?:who|whose|which|where|when|a|an|the|now|then|aged|\d{1,3}|both|herself|himself|"
    r"including|like|as)\b[^,;]*(?=,)"
)
_MY_NAME = re.compile(
    r"\b(?:[Mm]y\s+name\s+is|I\s+am|I'm)\s+(?P<name>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){1,3})"
)
_FIRST_PERSON = re.compile(r"\b(?:I|[Mm]y|[Mm]e|[Ww]e|[Oo]ur)\b")
_BORN = re.compile(r"\bborn\s+(?:in|on)\s+$", re.I)
_AND = re.compile(r"\s+and\s+")
_BLOCKER = re.compile(
    r"\b(?:people|detainees|prisoners|inmates|others|men|women|those|many|thousands|hundreds|"
    r"dozens|Uyghurs|Kazakhs|Muslims|villagers|residents|families|someone|anyone|everyone|"
    r"nobody|students|officials|neighbours)\s+(?:who|that|were|had|have|are|was)\b"
)
_FRONTED = re.compile(r"(?:[A-Z][\w'’\- ]{0,40},\s+)?")
_APPOSITIVE = re.compile(r",\s+(?:a|an|the|\d{1,3}\b|who\b|now\b|then\b|aged\b)")
_EVENT = re.compile(
    r"\b(?:detained|arrested|sentenced|jailed|imprisoned|taken|sent|held|disappeared|died|"
    r"convicted|interned|seized)\b"
)
_REASON_CUE = re.compile(
    r"\b(?:(?:they|police|officials|authorities|officers|the\s+(?:police|officials|court|"
    r"authorities|village\s+head))\s+(?:said|say|says|told\s+\w+|claimed|claim)|[Rr]eason\s+"
    r"(?:is|was)|because|the\s+charges?\s+(?:is|was|were)|(?:his|her|my|their)\s+crime\s+"
    r"(?:is|was)|accused\s+of|charged\s+with)\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"[,;]|\bthen\b")
_ATTRIBUTE_KINDS = frozenset(["profession", "resident_of"])
_JOINED = re.compile(r"\b(?:and|before\s+being|after\s+being|then|later)\b", re.I)
_CONDITION = re.compile(r"\b(?:if|whether|unless)\s+$", re.I)
_PROFESSION_SET = frozenset(PROFESSIONS)
_DEMONYM = re.compile(
    r"\b(?P<d>" + "|".join(DEMONYMS) + r")\s+(?:government|authorities|citizenship|passport|"
    r"visa|residency|officials)",
    re.I,
)


@dataclass
class _Sentence:
    start: int
    end: int
    mentions: list[Mention]
    dates: list[DateMention]
    places: list[PlaceMention]
    parentheticals: list[tuple[int, int]]
    hedged_until: int = -1  # a hedge word before this offset lowers confidence


@dataclass
class _State:
    people: People
    claims: list[ClaimProposal] = field(default_factory=list)
    relation_evidence: dict[str, tuple[int, int, bool]] = field(default_factory=dict)
    ocr: bool = False


def extract_english(document: Document) -> Extraction:
    text = document.text
    header = _HEADER.match(text)
    start = header.end() if header else 0
    people = People(text, _is_testimony(document, text, start))
    state = _State(people, ocr=document.ocr)
    reader = DateReader(document.date)
    quotes = find_quotes(text, start)
    previous: list[str] = []  # unnamed relatives spoken of in the sentence before
    starts: list[int] = []  # where the sentences read so far begin
    for s, e in split_sentences(text, start):
        if _is_heading(text, s, e):
            continue
        _narrator_name(people, s, e)
        mentions = resolve(people, s, e, quotes)
        dates = [
            d
            for d in reader.read(text, s, e)
            if not _BORN.search(text[max(s, d.start - 12) : d.start])
        ]
        sentence = _Sentence(
            s,
            e,
            mentions,
            dates,
            find_places(text, s, e),
            [m.span() for m in _PARENTHETICAL.finditer(text, s, e)],
        )
        _delayed_name(state, s, e, mentions, previous)
        previous = [
            r
            for m in mentions
            if m.kind == "relative"
            for r in m.refs
            if r in people.persons
            and not people.persons[r].proposal.names
            and not people.persons[r].group_key
        ]
        for mention in mentions:
            if mention.kind == "relative":
                for ref in mention.refs:
                    state.relation_evidence.setdefault(ref, (s, e, mention.via_pronoun))
        read_witnesses(people, s, e, mentions)
        before = len(state.claims)
        _claims(state, sentence)
        _stated_reason(state, sentence, before, starts[-3:])
        starts.append(s)
        read_attributes(people, s, e, mentions, sentence.places)
    return assemble(document, people, state.claims, state.relation_evidence)


def _delayed_name(
    state: _State, start: int, end: int, mentions: list[Mention], previous: list[str]
) -> None:
    """A relative spoken of without a name in one sentence and named at the head of the
    next, in apposition and as the subject of an event ("...heard her husband's voice...
    Two weeks later, Nurlan Toleubekov, a 52-year-old livestock trader, was detained") is
    one person: the named one takes the relative's place and claims."""
    people, text = state.people, state.people.text
    names = [m for m in mentions if m.kind == "name"]
    if not previous or not names or names[0] is not mentions[0] or len(names[0].refs) != 1:
        return
    first = names[0]
    ref = first.refs[0]
    person = people.persons[ref]
    if (
        person.anchor is not None
        or len(first.text.split()) < 2
        or (person.proposal.evidence and person.proposal.evidence[0].start < start)
        or not _FRONTED.fullmatch(text[start : first.start])
        or not _APPOSITIVE.match(text, first.end)
        or not _EVENT.search(text, first.end, end)
    ):
        return
    gender = person.gender or name_gender(first.text)
    fits = [
        r
        for r in previous
        if r in people.persons
        and people.persons[r].anchor != ref
        and r != people.narrator
        and (not gender or people.persons[r].gender in ("", gender))
    ]
    if len(fits) != 1:
        return
    people.absorb(fits[0], ref)
    for claim in state.claims:
        if claim.subject == fits[0]:
            claim.subject = ref
    if fits[0] in state.relation_evidence:
        state.relation_evidence.setdefault(ref, state.relation_evidence.pop(fits[0]))


def _stated_reason(state: _State, sentence: _Sentence, first: int, recent: list[int]) -> None:
    """A reason given in a sentence of its own, often quoted ("They said he had installed
    WhatsApp on his phone", "Reason is he travelled to Kazakhstan"), goes to the latest
    detention or sentence of the person it speaks of, read in the last few sentences."""
    text = state.people.text
    cue = _REASON_CUE.search(text, sentence.start, sentence.end)
    if cue is None or not recent:
        return
    if any(c.reason for c in state.claims[first:]):
        return
    reasons = find_reasons(text, cue.start(), sentence.end)
    if not reasons:
        return
    about = [
        m
        for m in sentence.mentions
        if m.start >= cue.start() and m.kind != "family" and len(m.refs) == 1
    ]
    subject = about[0].refs[0] if about else state.people.topic
    for claim in reversed(state.claims):
        if claim.evidence.start < recent[0]:
            break
        if claim.subject == subject and claim.kind in ("detained", "sentenced"):
            if claim.reason is None:
                claim.reason = reasons[0].reason
            return


def _is_testimony(document: Document, text: str, start: int) -> bool:
    if document.kind and document.kind.startswith("testimony"):
        return True
    if document.kind == "news_article":
        return False
    body = re.sub(r"“[^”]*”|\"[^\"\n]*\"", " ", text[start : start + 20_000])
    return len(_FIRST_PERSON.findall(body)) >= 4


def _is_heading(text: str, start: int, end: int) -> bool:
    line = text[start:end]
    return "\n" not in line and line[-1:] not in '.!?"”’)' and len(line.split()) < 16


def _narrator_name(people: People, start: int, end: int) -> None:
    if not people.testimony:
        return
    match = _MY_NAME.search(people.text, start, end)
    if not match:
        return
    name = match["name"]
    if people.narrator is None:
        ref = people.named(name, match.start("name"), match.end("name"))
        if ref is not None:
            people.narrator = ref
            people.add_role(ref, "witness")
    else:
        person = people.persons[people.narrator].proposal
        if name not in person.names:
            person.names.insert(0, name)
            person.description = None
            people.persons[people.narrator].tokens.update(w.casefold() for w in name.split())


# --- claims ------------------------------------------------------------------------------


def _claims(state: _State, sentence: _Sentence) -> None:
    text = state.people.text
    triggers: list[tuple[Rule, re.Match[str]]] = []
    lower = text[sentence.start : sentence.end].lower()
    for rule in RULES:
        if rule.needs and not any(word in lower for word in rule.needs):
            continue
        if rule.requires is not None and not rule.requires.search(
            text, sentence.start, sentence.end
        ):
            continue
        for match in rule.pattern.finditer(text, sentence.start, sentence.end):
            triggers.append((rule, match))
    triggers.sort(key=lambda t: t[1].start())
    hedge = HEDGE.search(text, sentence.start, sentence.end)
    found: list[tuple[ClaimProposal, tuple[int, int]]] = []
    carry: tuple[Mention, int] | None = None  # the last subject, and where its trigger ended
    for index, (rule, match) in enumerate(triggers):
        later = [
            m.start()
            for r, m in triggers[index + 1 :]
            if m.start() >= match.end() or (r.kind != rule.kind and m.start() > match.start())
        ]
        forward = min(later, default=sentence.end)
        earlier = [m.end() for r, m in triggers[:index] if m.end() <= match.start()]
        backward = max(earlier, default=sentence.start)
        first = not any(  # a person's profession or home is no event before it
            r.kind != rule.kind and r.kind not in _ATTRIBUTE_KINDS and m.start() < match.start()
            for r, m in triggers[:index]
        )
        subject = _subject(state.people, rule, match, sentence)
        if subject is None and carry is not None and rule.subject in ("before", "auto"):
            subject = _carried(text, carry, match, sentence)
        if subject is None:
            continue
        carry = (subject[0], match.end())
        mention, mode = subject
        if mention.kind == "family" and not rule.family:
            continue
        if rule.negatable and _negated(text, rule, match, mention, mode, sentence):
            continue
        value = _value(rule, match, text, forward)
        if value is None:
            continue
        confidence = rule.confidence
        if mention.via_pronoun:
            confidence -= 0.05
        if mention.kind == "family":
            confidence -= 0.05
            if rule.kind == "threatened":
                value = {"text": "reprisal against family"}
        if hedge and hedge.start() < match.start():
            confidence -= 0.2
        if state.ocr:
            confidence -= 0.1
        span = (match.start(), forward)
        date = (
            _date(sentence.dates, span, sentence.start if first else match.start())
            if rule.dated
            else None
        )
        if date is None and rule.dated and not first:  # "..., then in 2018 they gave him"
            date = next(
                (
                    d.edtf
                    for d in reversed(sentence.dates)
                    if backward <= d.start < match.start()
                    and _CLAUSE_BREAK.search(text, backward, d.start)
                ),
                None,
            )
        place, place_text = _place(
            rule, sentence.places, match, forward, sentence.start if first else match.start()
        )
        reason = _reason(rule, text, span, backward)
        evidence = Evidence(sentence.start, sentence.end, text[sentence.start : sentence.end])
        for ref in mention.refs:
            claim = ClaimProposal(
                ref,
                rule.kind,
                dict(value),
                evidence,
                max(0.1, min(0.99, confidence)),
                rule.name,
                date,
                place,
                place_text,
                reason,
            )
            if rule.kind == "profession":
                state.people.persons[ref].proposal.attributes.setdefault(
                    "profession", value["text"]
                )
            if rule.kind == "resident_of":
                state.people.persons[ref].proposal.attributes.setdefault(
                    "home", place or place_text
                )
            found.append((claim, match.span()))
    state.claims.extend(best_of_sentence(found))


def _subject(
    people: People, rule: Rule, match: re.Match[str], sentence: _Sentence
) -> tuple[Mention, str] | None:
    text = people.text
    mentions = sentence.mentions
    mode = rule.subject
    verb_start = (
        match.start("v") if "v" in rule.pattern.groupindex and match.group("v") else match.start()
    )
    if mode == "inside":
        inside = [m for m in mentions if match.start() <= m.start and m.end <= match.end()]
        return (inside[-1], mode) if inside else None
    if mode == "auto":
        first_word = re.match(r"\w+", text[match.start() :])
        word_end = match.start() + (first_word.end() if first_word else 0)
        follows = any(word_end < m.start <= word_end + 3 for m in mentions)
        mode = "after" if follows and not is_passive_before(text, match.start()) else "before"
    modal = next((g for g in ("modal", "modal2") if match.groupdict().get(g)), None)
    if mode == "after" and modal is not None:
        told = [
            m
            for m in mentions
            if match.end() <= m.start and m.end <= match.start(modal) and not m.possessive
        ]
        return (told[-1], mode) if told else None
    if mode == "after":
        word = re.match(r"[\w\s]+?\b(?=\s|$)", text[verb_start : match.end()])
        after = verb_start + (word.end() if word else 0)
        for mention in mentions:
            if mention.start >= after and mention.start - after <= rule.near:
                return mention, mode
        return None
    candidates = [
        m for m in mentions if m.end <= match.start() and match.start() - m.end <= rule.near
    ]
    if rule.gap is not None:
        candidates = [m for m in candidates if rule.gap.match(text[m.end : match.start()])]
    else:
        candidates = [m for m in candidates if not m.possessive]
    if rule.skip is not None:  # "X, the daughter of a teacher from Ghulja": the teacher's
        candidates = [m for m in candidates if not rule.skip.search(text, m.end, match.start())]
    blockers = [b.end() for b in _BLOCKER.finditer(text, sentence.start, match.start())]
    if blockers:  # "she saw people who had been detained": the people, not her
        candidates = [m for m in candidates if m.start >= blockers[-1]]
    outside = [
        m for m in candidates if not _inside_other(m, match.start(), sentence.parentheticals)
    ]
    chosen = (outside or candidates)[-1:] if candidates else []
    if not chosen:
        return None
    mention = chosen[0]
    index = mentions.index(mention)
    if index > 0 and _AND.fullmatch(text[mentions[index - 1].end : mention.start]):
        other = mentions[index - 1]  # "my brother and I left for Egypt"
        if other.kind != "family" and not other.possessive:
            mention = Mention(
                other.start,
                mention.end,
                mention.kind,
                [*other.refs, *mention.refs],
                text[other.start : mention.end],
                mention.via_pronoun,
            )
    return mention, mode


def _carried(
    text: str, carry: tuple[Mention, int], match: re.Match[str], sentence: _Sentence
) -> tuple[Mention, str] | None:
    """A later verb of one long sentence, too far from its subject but joined to the
    verb before it ("was arrested ... and held at a detention centre in Khorgos for five
    months before being sentenced to eight years"): the earlier verb's subject, when no
    one else is named in between."""
    mention, after = carry
    if after > match.start() or not _JOINED.search(text, after, match.start()):
        return None
    between = [
        m
        for m in sentence.mentions
        if after <= m.start < match.start() and not m.possessive and m.kind != "family"
    ]
    return (mention, "before") if not between else None


def _inside_other(mention: Mention, trigger: int, parentheticals: list[tuple[int, int]]) -> bool:
    """The mention stands in a parenthetical clause that closes before the trigger."""
    return any(a <= mention.start and mention.end <= b <= trigger for a, b in parentheticals)


def _negated(
    text: str, rule: Rule, match: re.Match[str], mention: Mention, mode: str, sentence: _Sentence
) -> bool:
    if mode == "before":
        begin = mention.end
        if _CONDITION.search(text[max(sentence.start, mention.start - 25) : mention.start]):
            return True
    else:
        begin = max(sentence.start, match.start() - 50)
    window = list(text[begin : match.start()])
    for a, b in sentence.parentheticals:
        for index in range(max(a, begin), min(b, match.start())):
            window[index - begin] = " "
    before = "".join(window)
    if rule.negate_inside:
        before += " " + match.group()
    elif mode == "after" and re.search(r"\b(?:not|never|n['’]t)\b", before):
        return True
    return bool(NEGATION.search(before))


def _value(rule: Rule, match: re.Match[str], text: str, forward: int) -> dict[str, Any] | None:
    if rule.value == "sentence":
        return sentence_value(match)
    if rule.value == "facility":
        return _facility(text, match.start(), max(forward, match.end()))
    if rule.value == "destination":
        if match.groupdict().get("here"):  # "came here": the country named last before
            abroad = [p for p in find_places(text, max(0, match.start() - 400), match.start())]
            countries = [p.country for p in abroad if p.country]
            return {"destination": countries[-1]} if countries else None
        destination = match.groupdict().get("dest")
        if destination:
            return {"destination": COUNTRIES.get(destination.lower()) or destination}
        for place in find_places(text, match.end(), max(forward, match.end())):
            if place.country:
                return {"destination": place.country}
        demonym = _DEMONYM.search(text, match.end(), max(forward, match.end()))
        return {"destination": DEMONYMS[demonym["d"].lower()]} if demonym else {}
    if rule.value == "profession":
        profession = match["prof"].lower()
        return {"text": profession} if profession in _PROFESSION_SET else None
    if rule.value == "government":
        return {"text": "local government worker"}
    if rule.value == "residence":
        places = find_places(text, match.end(), min(len(text), match.end() + 80))
        if not places or places[0].start > match.end() + 1 or places[0].facility:
            return None
        return {"text": places[0].text}
    return {}


def _facility(text: str, start: int, end: int) -> dict[str, Any]:
    for place in find_places(text, start, end):
        if place.code and place.facility:
            facility = facility_of_place(place.code)
            if facility is not None:
                return {"facility_type": facility.value}
    facilities = find_facilities(text, start, end)
    return {"facility_type": facilities[0].type.value} if facilities else {}


def _date(dates: list[DateMention], span: tuple[int, int], backward: int) -> str | None:
    for date in dates:
        if span[0] <= date.start < span[1]:
            return date.edtf
    before = [d for d in dates if backward <= d.start < span[0]]
    return before[-1].edtf if before else None


def _place(
    rule: Rule, places: list[PlaceMention], match: re.Match[str], forward: int, backward: int
) -> tuple[str | None, str | None]:
    if rule.kind in ("fled", "profession"):
        return None, None
    if rule.kind == "resident_of":
        for place in places:
            if place.start >= match.end() - 1:
                return place.code, place.text
        return None, None
    inside = [p for p in places if match.start() <= p.start < max(forward, match.end()) and p.code]
    if not inside:
        inside = [p for p in places if backward <= p.start < match.start() and p.code][-1:]
    return (inside[0].code, inside[0].text) if inside else (None, None)


def _reason(rule: Rule, text: str, span: tuple[int, int], backward: int) -> str | None:
    if rule.kind not in ("detained", "sentenced", "transferred"):
        return None
    ahead = find_reasons(text, span[0], span[1])
    if ahead:
        return ahead[0].reason
    behind = find_reasons(text, backward, span[0])
    return behind[-1].reason if behind else None
