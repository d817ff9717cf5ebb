"""Extraction from Russian text: testimony transcripts (first person) and news reports.

Sentence by sentence, the people mentioned are found (``ru_mentions``: names, kinship
words with their possessor, pronouns), then the phrases that state an event
(``ru_claims``); each event goes to the nearest person in its clause (a name after a
preposition, "с детьми", is a poor subject), else to the person the text was last about.
Dates (``ru_dates``), places (``ru_places``) and stated reasons are read from the same
sentence. Denials ("не задерживали"), fears and conditions ("боюсь, что арестуют"),
questions and infinitives ("требуют освободить") state no event.

In a first-person text, "я", "мы", "моя мама" refer to the narrator; in a news report a
quoted "я" is the person the report quotes ("— рассказывает Гульнар").
"""

from __future__ import annotations

import re
from typing import Any

from guwah.ingest.document import Document
from guwah.ingest.extract.ru_claims import reasons, sentence_triggers, triggers
from guwah.ingest.extract.ru_dates import DateMention, find_dates
from guwah.ingest.extract.ru_mentions import People
from guwah.ingest.extract.ru_people import Mention
from guwah.ingest.extract.ru_places import find_places
from guwah.ingest.proposals import (
    ClaimProposal,
    Evidence,
    Extraction,
    PersonProposal,
    RelationProposal,
)

_SENTENCE_END = re.compile(r"(?<=[.!?…])[»\"”)]?\s+(?=[«\"„(—–-]?\s*[А-ЯЁA-Z0-9ӘҒҚҢӨҰҮҺІ])|\n+")
_CLAUSE_BREAK = re.compile(r"[,;:()]|(?<!срок)\s[—–-]\s|\bа\b|\bно\b|\bчто\b|\bкогда\b|\bпотому\b")
_HEDGE = re.compile(
    r"\bесли\b|\bбою(?:сь|тся)\b|\bбоимся\b|\bмогут\b|\bможет\b|\bгрозит\b|\bчтобы\b|"
    r"\bвдруг\b|\bесли бы\b|опаса\w*|\bмогл[иа]? бы\b"
)
_FEAR = re.compile(r"\bбою(?:сь|тся)\b|\bбоимся\b|\bбоится\b|опаса\w*|\bесли\b")
_EVENT_KINDS = {
    "detained",
    "sentenced",
    "released",
    "died",
    "disappeared",
    "forced_labour",
    "surveilled",
    "family_separated",
    "transferred",
}
_OBJECT_OF_PURPOSE = re.compile(r"\bчтобы\b|\b\w+(?:ить|ать|ять|еть)\s+(?:\w+\s+)?$")
_ETHNIC = re.compile(
    r"\b(?:этническ\w+ )?(казах|казашк\w*|уйгур\w*|кыргыз\w*|киргиз\w*|дунган\w*|хуэй)\b"
)
_ETHNIC_NAME = {
    "каз": "Kazakh",
    "уйг": "Uyghur",
    "кыр": "Kyrgyz",
    "кир": "Kyrgyz",
    "дун": "Hui",
    "хуэ": "Hui",
}
_RESIDENT = re.compile(
    r"жител\w*|уроже\w*|родом из|проживал\w* в|жил[аи]? в|из (?:села|деревни|аула)"
)


class _Reader:
    def __init__(self, document: Document) -> None:
        self.text = document.text
        self.lower = self.text.lower()
        self.people = People(self.text)
        self.claims: list[ClaimProposal] = []
        self.topic: str | None = None  # the last subject of a claim
        self.dates = find_dates(self.text)

    # --- one sentence ----------------------------------------------------------------

    def sentence(self, start: int, end: int) -> None:
        mentions = self.people.mentions(start, end)
        if self.lower[start:end].rstrip().endswith("?"):
            return
        lowered = self.lower[start:end]
        clauses = _clauses(lowered)
        sentence_reasons = reasons(lowered)
        made = len(self.claims)
        found = [
            (trigger, clause_start, clause_end)
            for clause_start, clause_end in clauses
            for trigger in triggers(lowered[clause_start:clause_end], start + clause_start)
        ]
        for trigger in sentence_triggers(lowered, start):
            if not any(t.kind == trigger.kind for t, _, _ in found):
                inside = (c for c in clauses if c[0] <= trigger.start - start < c[1])
                span = next(inside, (0, len(lowered)))
                found.append((trigger, *span))
        for trigger, clause_start, clause_end in found:
            self.claim(
                trigger,
                mentions,
                start,
                end,
                start + clause_start,
                start + clause_end,
                sentence_reasons,
            )
        if sentence_reasons and len(self.claims) == made and self.claims:
            last = self.claims[-1]  # "Причина — ...": the reason of the claim just before
            reasonless = last.kind in ("detained", "sentenced") and last.reason is None
            if reasonless and start - last.evidence.end < 3:
                last.reason = "; ".join(sentence_reasons)
        self.attributes(start, end, mentions)

    # --- claims ----------------------------------------------------------------------

    def claim(
        self,
        trigger: Any,
        mentions: list[Mention],
        start: int,
        end: int,
        clause_start: int,
        clause_end: int,
        sentence_reasons: list[str],
    ) -> None:
        window = self.lower[max(clause_start, trigger.start - 30) : trigger.start]
        if trigger.kind != "disappeared" and re.search(r"\bне\b|\bни\b|\bникогда\b", window[-20:]):
            return
        hedged = _HEDGE.search(self.lower[clause_start : trigger.start]) or _FEAR.search(
            self.lower[start : trigger.start]
        )
        if hedged and trigger.kind != "threatened":  # a threat is conditional by nature
            return
        if re.match(r"\s+ли\b|(?:\s+\w+){0,2}\s+или нет\b", self.lower[trigger.end : end]):
            return  # "арестован ли её брат", "задержали его или нет": a question
        verb = self.lower[trigger.start : trigger.end].split(" ", 1)[0]
        before = self.lower[clause_start : trigger.start].split()[-1:]
        if re.fullmatch(r"\w+(?:ить|ать|ять|еть|ыть)", verb) or before in (["будет"], ["будут"]):
            return  # "требует освободить", "будут арестованы": not an event that happened
        subject = self._subject(trigger, mentions, clause_start, clause_end)
        if subject is None:
            return
        value = dict(trigger.value)
        if trigger.kind == "threatened":
            mention = next((m for m in mentions if m.ref == subject), None)
            if mention is not None and mention.generic_family:
                owner = self.people.person(subject).relation
                subject = owner[2] if owner else subject
                value["text"] = "reprisal against family"
        date = self._date(trigger.start, start, end)
        reason = (
            "; ".join(sentence_reasons)
            if trigger.kind in ("detained", "sentenced") and sentence_reasons
            else None
        )
        place = next(
            iter(
                sorted(
                    find_places(self.text, start, end), key=lambda p: abs(p.start - trigger.start)
                )
            ),
            None,
        )
        if trigger.kind in ("fled", "threatened", "surveilled", "family_separated"):
            place = None
        evidence = Evidence(start, end, self.text[start:end])
        if trigger.kind == "detained" and self._merge_detention(subject, value, date, reason):
            return
        for existing in self.claims:
            same = existing.subject == subject and existing.kind == trigger.kind
            if not same or not _same_value(existing.value, value):
                continue
            if existing.evidence.start == start or date is None or existing.date in (None, date):
                existing.date = existing.date or date
                existing.reason = existing.reason or reason
                return
        self.claims.append(
            ClaimProposal(
                subject,
                trigger.kind,
                value,
                evidence,
                trigger.confidence,
                trigger.rule,
                date=date,
                place=place.code if place else None,
                place_text=place.text if place else None,
                reason=reason,
            )
        )
        self.topic = subject
        person = self.people.person(subject)
        if trigger.kind in _EVENT_KINDS or (trigger.kind == "threatened" and not person.narrator):
            person.roles.add("victim")
            person.roles.discard("relative")

    def _fold_bare_sentences(self) -> None:
        """ "В 2019 году брата осудили. Срок — 10 лет.": a sentence of unknown length
        and one with its length, of the same person, are one claim."""
        for bare in [c for c in self.claims if c.kind == "sentenced" and not c.value]:
            full = next(
                (
                    c
                    for c in self.claims
                    if c.kind == "sentenced" and c.value and c.subject == bare.subject
                ),
                None,
            )
            if full is not None:
                full.date = full.date or bare.date
                full.reason = full.reason or bare.reason
                self.claims.remove(bare)

    def _merge_detention(
        self, subject: str, value: dict[str, Any], date: str | None, reason: str | None
    ) -> bool:
        """A second phrase about the same detention ("арестован..., увезли в лагерь")
        fills in the first claim instead of making another."""
        for existing in self.claims:
            if existing.subject != subject or existing.kind != "detained":
                continue
            facility, new = existing.value.get("facility_type"), value.get("facility_type")
            if facility is None or new is None or facility == new:
                if new and not facility:
                    existing.value["facility_type"] = new
                existing.date = existing.date or date
                existing.reason = existing.reason or reason
                return True
        return False

    def _subject(
        self, trigger: Any, mentions: list[Mention], clause_start: int, clause_end: int
    ) -> str | None:
        scored: list[tuple[float, str]] = []
        for mention in mentions:
            inside = clause_start <= mention.start < clause_end
            distance = (
                (trigger.start - mention.end)
                if mention.end <= trigger.start
                else (mention.start - trigger.end) * (0.8 if trigger.object_after else 1.5)
            )
            score = abs(distance) + (0 if inside else 200) + (120 if mention.oblique else 0)
            if not inside and _OBJECT_OF_PURPOSE.search(
                re.split(r"[,;]", self.lower[max(0, mention.start - 40) : mention.start])[-1]
            ):
                score += 150  # "поехал, чтобы навестить мать, и был задержан": not the mother
            narrator = self.people.person(mention.ref).narrator
            if trigger.kind == "fled" and narrator:
                score -= 20
            if trigger.kind in ("disappeared", "died") and narrator and len(mentions) > 1:
                continue
            scored.append((score, mention.ref))
        if scored:
            best = min(scored)
            if best[0] < 300:
                return best[1]
            if not any(clause_start <= m.start < clause_end for m in mentions):
                # "её супруг Ерлан..., поехал в Синьцзян, чтобы..., и был задержан": a
                # clause without its own subject continues the sentence's subject
                subjects = [
                    m for m in mentions if m.end <= trigger.start and m.nominative and not m.oblique
                ]
                if subjects and re.match(r"\s*и\b", self.lower[clause_start:clause_end]):
                    return subjects[0].ref
        if trigger.needs_person:
            return None
        if re.search(
            r"\b(?:люд\w*|тысяч\w*|миллион\w*|многи\w*|все|казах(?:и|ов)|уйгур(?:ы|ов)|мусульман\w*)\b",
            self.lower[clause_start:clause_end],
        ):
            return None
        return self.topic

    def _date(self, position: int, start: int, end: int) -> str | None:
        inside: list[DateMention] = [
            d for d in self.dates if start <= d.start < end and not d.birth
        ]
        if not inside:
            return None
        return min(inside, key=lambda d: abs(d.start - position)).edtf

    def attributes(self, start: int, end: int, mentions: list[Mention]) -> None:
        lowered = self.lower[start:end]
        for date in self.dates:
            if date.birth and start <= date.start < end:
                before = [m for m in mentions if m.start < date.start]
                if before:
                    self.people.person(before[-1].ref).attributes.setdefault(
                        "birth_year", int(date.edtf[:4])
                    )
        for match in re.finditer(r"(\d{2})-летн\w+|(?:,\s*|\()(\d{2}) (?:лет|года)\b", lowered):
            after = [m for m in mentions if m.start >= start + match.start()]
            before = [m for m in mentions if m.end <= start + match.start()]
            target = after[0] if match.group(1) and after else before[-1] if before else None
            if target is not None:
                self.people.person(target.ref).attributes.setdefault(
                    "age", int(match.group(1) or match.group(2))
                )
        for match in _ETHNIC.finditer(lowered):
            near = sorted(mentions, key=lambda m: abs(m.start - start - match.start()))
            if near and abs(near[0].start - start - match.start()) < 40:
                name = _ETHNIC_NAME.get(match.group(1)[:3])
                if name:
                    self.people.person(near[0].ref).attributes.setdefault("ethnicity", name)
        resident = _RESIDENT.search(lowered)
        if resident and mentions:
            places = find_places(
                self.text, start + resident.end(), min(end, start + resident.end() + 60)
            )
            if places:
                subject = min(mentions, key=lambda m: abs(m.start - start - resident.start()))
                self.people.person(subject.ref).attributes.setdefault("home", places[0].code)

    # --- result ----------------------------------------------------------------------

    def extraction(self, document: Document) -> Extraction:
        for sentence_start, sentence_end in _sentences(self.text):
            self.sentence(sentence_start, sentence_end)
        self._fold_bare_sentences()
        persons, relations, claims = _pruned(
            self.people.proposals(), self.people.relations, self.claims
        )
        return Extraction(
            document.title, document.date, document.language or "ru", persons, relations, claims
        )


def _pruned(
    persons: list[PersonProposal], relations: list[RelationProposal], claims: list[ClaimProposal]
) -> tuple[list[PersonProposal], list[RelationProposal], list[ClaimProposal]]:
    """Only the people a documenter would record: named ones, witnesses, those something
    is claimed of, relatives mentioned more than once, and those their relations lead to.
    A relative named once in passing ("мы с мужем и детьми переехали") or "родственники"
    make no record. Refs are renumbered p1, p2... in order."""
    keep = {p.ref for p in persons if p.names or "witness" in p.roles}
    keep |= {c.subject for c in claims}
    keep |= {  # "двое наших детей остались в Китае ... Детей забрала её мать"
        p.ref
        for p in persons
        if len(p.evidence) >= 2 and not (p.description or "").startswith("relatives")
    }
    changed = True
    while changed:
        reached = {r.target for r in relations if r.source in keep} - keep
        keep |= reached
        changed = bool(reached)
    renamed = {p.ref: f"p{i}" for i, p in enumerate((p for p in persons if p.ref in keep), 1)}
    kept: list[PersonProposal] = []
    for person in persons:
        if person.ref not in renamed:
            continue
        person.ref = renamed[person.ref]
        if person.description:
            label, _, owner = person.description.rpartition(" of ")
            if label and owner in renamed:
                person.description = f"{label} of {renamed[owner]}"
        kept.append(person)
    kept_relations = [r for r in relations if r.source in renamed and r.target in renamed]
    for relation in kept_relations:
        relation.source, relation.target = renamed[relation.source], renamed[relation.target]
    for claim in claims:
        claim.subject = renamed[claim.subject]
    return kept, kept_relations, claims


def _same_value(a: dict[str, Any], b: dict[str, Any]) -> bool:
    keys = ("years", "months", "life", "death", "destination")
    return all(a.get(k) == b.get(k) for k in keys)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        if text[position : match.start()].strip():
            spans.append(_trim(text, position, match.start()))
        position = match.end()
    if text[position:].strip():
        spans.append(_trim(text, position, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _clauses(sentence: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        if match.start() > position:
            spans.append((position, match.start()))
        position = match.start() if match.group().strip().isalpha() else match.end()
    spans.append((position, len(sentence)))
    return [s for s in spans if sentence[s[0] : s[1]].strip()]


def extract_russian(document: Document) -> Extraction:
    """People, relations and claims proposed from a Russian text."""
    return _Reader(document).extraction(document)
