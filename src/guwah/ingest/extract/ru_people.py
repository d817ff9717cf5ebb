"""The people of a Russian text: named, described by kinship, or spoken of as "я",
"она"; one record each however often and in whatever case they are mentioned.

``Registry`` holds them: a name in any case finds its person (``named``), a kinship word
and its possessor find theirs (``relative``), and a pronoun or possessive ("её мать")
finds the person meant by the order of mention (``last_of_gender``): a subject of the
same sentence first, else the last person of that gender. The narrator is the person a
first-person text introduces ("Меня зовут ...", "Я, Сәуле ..."), else the person a report
quotes most ("— рассказывает ...", "По словам ..."), else the person its first sentence
names. ``ru_mentions.People`` reads the mentions of each sentence into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from guwah.ingest.extract.ru_names import find_names, name_gender, name_key, nominative
from guwah.ingest.proposals import Evidence, PersonProposal, RelationProposal

WORD = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+(?:-[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+)?")
_SPEECH = (
    r"(?:говорит|рассказ\w*|вспоминает|сказал\w*|отмечает|поясняет|добавляет|призна\w*|"
    r"утверждает|сообщ\w*|пишет|плачет)"
)
_INTRO_FILLER = r"(?:(?:э+|м+|ну|вот|значит)(?:-э+)?[,.…\s]+)*"
APPOSITION = re.compile(r",\s*(?:\d+-летн\w+\s+|[—–-]\s*)?")  # "Отец Айжан, 70-летний ..."
_QUOTE = re.compile(r"«[^»]*»|\"[^\"\n]*\"|“[^”]*”")
_FIRST_PERSON = re.compile(r"\b(?:я|меня|мне|мой|моя|мою|моего|моей|мои|моих|мы|нас|наш\w*)\b")


# (the possessor's relation to someone, the relative named): that someone is meant.
# "his nephew Мурат" ... "Мурат's uncle"; "her husband" ... "his wife".
_INVERSE = {
    *((child, parent) for child in ("son", "daughter", "child") for parent in ("father", "mother")),
    *((young, old) for young in ("nephew", "niece") for old in ("uncle", "aunt")),
    *(
        (young, old)
        for young in ("grandson", "granddaughter")
        for old in ("grandfather", "grandmother")
    ),
    ("husband", "wife"),
    ("wife", "husband"),
}


# (the possessor's relation to someone, the relative named): that someone's relative.
_PARENTS = {("mother", "husband"): "father", ("father", "wife"): "mother"}


@dataclass
class Person:
    ref: str
    forms: list[tuple[tuple[str, ...], str]] = field(default_factory=list)  # (key, as read)
    keys: set[tuple[str, ...]] = field(default_factory=set)
    gender: str | None = None
    relation: tuple[str, str, str] | None = None  # (type, label, possessor ref)
    narrator: bool = False
    plural: bool = False
    roles: set[str] = field(default_factory=set)
    attributes: dict[str, Any] = field(default_factory=dict)
    mentions: list[Evidence] = field(default_factory=list)


@dataclass
class Mention:
    start: int
    end: int
    ref: str
    oblique: bool  # after a preposition: a poor subject
    generic_family: bool = False
    nominative: bool = True  # may be the subject ("она", "мать"), not "её", "матери"


class Registry:
    """The people of one text, and how to find the one a word refers to."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = text.lower()
        self.persons: list[Person] = []
        self.relations: list[RelationProposal] = []
        self.recent: list[tuple[str, bool, int]] = []  # (ref, subject?, sentence), newest last
        self.sentence_number = 0
        self._last_kin: tuple[int, str, int] | None = None  # (end, possessor, sentence)
        self.narrator_ref: str | None = None
        self.main_speaker: str | None = None  # of a report: the person quoted most
        self.quotes = [m.span() for m in _QUOTE.finditer(text)]
        self.first_person = self._is_first_person()
        if self.first_person:
            self._introduced()
        else:
            speakers = self._speakers()
            for ref in speakers:
                self.person(ref).roles.add("witness")
            if speakers:
                self.main_speaker = max(speakers, key=lambda r: speakers[r])
            else:
                self.main_speaker = self._lead_person()

    def _is_first_person(self) -> bool:
        unquoted = _QUOTE.sub(" ", self.lower)
        return len(_FIRST_PERSON.findall(unquoted)) >= 2

    def quoted(self, position: int) -> bool:
        """Inside a quotation: in a report, the words of the person quoted."""
        return any(start < position < end for start, end in self.quotes)

    def person(self, ref: str) -> Person:
        return next(p for p in self.persons if p.ref == ref)

    def new_person(self) -> Person:
        person = Person(f"p{len(self.persons) + 1}")
        self.persons.append(person)
        return person

    def narrator(self) -> str:
        if self.narrator_ref is None:
            speaker = None if self.first_person else self.main_speaker
            person = self.person(speaker) if speaker else self.new_person()
            person.narrator = True
            person.roles.add("witness")
            self.narrator_ref = person.ref
        return self.narrator_ref

    def _lead_person(self) -> str | None:
        """A report that quotes nobody by name ("— говорит он"): the person its first
        sentence names, who is then the one quoted."""
        lead = re.match(r"[^.!?\n]*", self.text)
        names = find_names(self.text, 0, lead.end()) if lead else []
        if not names:
            return None
        name = names[0]
        return self.named(name.text, None, None, Evidence(name.start, name.end, name.text))

    def _speakers(self) -> dict[str, int]:
        """The people a report quotes ("говорит Гульнар"), with how often."""
        counts: dict[str, int] = {}
        after_quote = rf"[—–»,]\s*{_SPEECH}\s+((?:[\w-]+ ){{0,2}}[\w-]+)"  # "— говорит Анар"
        spans: list[tuple[tuple[int, int], str | None]] = [
            (m.span(1), None) for m in re.finditer(after_quote, self.text)
        ]
        spans += [  # "По словам Айгерим Бековой": the genitive
            (m.span(1), "g") for m in re.finditer(r"[Пп]о словам ([\w-]+(?: [\w-]+)?)", self.text)
        ]
        spans += [
            (m.span(1), None) for m in re.finditer(rf"([\w-]+(?: [\w-]+)?) {_SPEECH}", self.text)
        ]
        for (start, end), case in spans:
            for name in find_names(self.text, start, end):
                evidence = Evidence(name.start, name.end, name.text)
                ref = self.named(name.text, case, None, evidence)
                counts[ref] = counts.get(ref, 0) + 1
        return counts

    def named(
        self,
        text: str,
        case: str | None,
        gender: str | None,
        evidence: Evidence,
        subject: bool = False,
    ) -> str:
        """The person of this name (any case of it), made on first mention. A name that
        opens its sentence (``subject``) is likely in the nominative: its form counts
        double when the forms of a name are weighed."""
        key = name_key(text)
        form = nominative(text, case, gender)
        found = next((p for p in self.persons if key in p.keys), None)
        partial = found is None
        if found is None:
            found = self._partial_match(key, gender or name_gender(text))
        person = found or self.new_person()
        person.forms.extend([(key, form)] * (2 if subject and case is None else 1))
        if not (partial and found is not None and len(key) == 1):
            person.keys.add(key)  # "Тлеубаевым" must not join Айгерим to Зауреш Тлеубаева
        person.gender = person.gender or gender
        person.mentions.append(evidence)
        return person.ref

    def known(self, text: str) -> bool:
        """Is someone of this name (in any case, or part of it) known already?"""
        key = name_key(text)
        return any(
            key in p.keys or any(contains(k, key) or contains(key, k) for k in p.keys)
            for p in self.persons
        )

    def _partial_match(self, key: tuple[str, ...], gender: str | None) -> Person | None:
        """The person a part of a name ("Касымова") or a fuller one points to: of the
        same gender when known, else the one mentioned last."""
        found = [
            p for p in self.persons if any(contains(k, key) or contains(key, k) for k in p.keys)
        ]
        if len(found) > 1 and gender is not None:
            found = [p for p in found if p.gender in (gender, None)] or found
        if len(found) > 1:
            order = {ref: i for i, (ref, _, _) in enumerate(self.recent)}
            found.sort(key=lambda p: order.get(p.ref, -1), reverse=True)
        return found[0] if found else None

    def relative(
        self, relation: str, label: str, gender: str | None, possessor: str, evidence: Evidence
    ) -> str:
        owner = self.person(possessor).relation
        if owner and (owner[1], label) in _INVERSE:
            other = self.person(owner[2])  # "his daughter Madina" ... "(her) father"
            if other.gender in (gender, None):
                other.mentions.append(evidence)
                other.gender = other.gender or gender
                return other.ref
        for person in self.persons:
            if person.relation and person.relation[1] == label and person.relation[2] == possessor:
                person.mentions.append(evidence)
                return person.ref
        if owner and (owner[1], label) in _PARENTS:  # the mother's husband: the father
            parent = next(
                (
                    p
                    for p in self.persons
                    if p.relation and p.relation[1:] == (_PARENTS[owner[1], label], owner[2])
                ),
                None,
            )
            if parent is not None and parent.ref != possessor:
                parent.mentions.append(evidence)
                self.relations.append(
                    RelationProposal(
                        parent.ref, relation, possessor, evidence, 0.8, "ru.relation.kin_word"
                    )
                )
                return parent.ref
        person = self.new_person()
        person.gender = gender
        person.plural = label.endswith(("s", "children", "relatives"))
        self._relate(person, relation, label, possessor, evidence)
        return person.ref

    def _relate(
        self, person: Person, relation: str, label: str, possessor: str, evidence: Evidence
    ) -> None:
        if person.relation or person.ref == possessor:
            return
        person.relation = (relation, label, possessor)
        person.mentions.append(evidence)
        if "witness" not in person.roles:
            person.roles.add("relative")
        self.relations.append(
            RelationProposal(
                person.ref, relation, possessor, evidence, 0.85, "ru.relation.kin_word"
            )
        )

    def last_of_gender(
        self, gender: str | None, exclude: str | None = None, named: bool = False
    ) -> str | None:
        """The person a pronoun or possessive of this gender points to: among the last
        few mentions a subject ("жена поехала к своей матери... её увезли": the wife)
        before an object, else the latest; with ``named``, a named person if any."""
        candidates: list[tuple[str, bool, int]] = []
        for ref, is_subject, sentence in reversed(self.recent):
            person = self.person(ref)
            if (person.narrator and self.first_person) or person.plural or ref == exclude:
                continue
            if gender is None or person.gender in (gender, None):
                candidates.append((ref, is_subject, sentence))
        if named:
            candidates = [c for c in candidates if self.person(c[0]).forms] or candidates
        if not candidates:
            return None
        here = [c for c in candidates if c[2] == self.sentence_number]
        window = here or candidates[:4]
        subject = next((ref for ref, is_subject, _ in window if is_subject), None)
        return subject or window[0][0]

    def _pronoun(self, who: str) -> str | None:
        if who in ("1", "1pl"):
            return self.narrator()
        return self.last_of_gender(who)

    def _introduced(self) -> None:
        """ "Меня зовут Гульнар", "Я, Гульнар Серикқызы,": the narrator's own name."""
        match = re.search(
            rf"(?:меня зовут|мо[её] имя|(?:^|(?<=[.!?…]))\s*я(?:,|\s*[—–-])?)\s*{_INTRO_FILLER}",
            self.text,
            re.IGNORECASE | re.MULTILINE,
        )
        if match:
            names = find_names(self.text, match.end(), min(len(self.text), match.end() + 60))
            if names and names[0].start == match.end():
                name = names[0]
                ref = self.named(name.text, None, None, Evidence(name.start, name.end, name.text))
                self.person(ref).narrator = True
                self.person(ref).roles.add("witness")
                self.narrator_ref = ref

    def proposals(self) -> list[PersonProposal]:
        out: list[PersonProposal] = []
        for person in self.persons:
            attributes = dict(person.attributes)
            if person.gender and "gender" not in attributes:
                attributes["gender"] = "female" if person.gender == "f" else "male"
            description = None
            if person.relation:
                description = f"{person.relation[1]} of {person.relation[2]}"
            elif person.narrator and not person.forms:
                description = "narrator"
            out.append(
                PersonProposal(
                    person.ref,
                    _names(person),
                    sorted(person.roles) or ["other"],
                    attributes,
                    description,
                    person.mentions[:20],
                )
            )
        return out


def _names(person: Person) -> list[str]:
    """The fullest name first (its most frequent form), then names not part of it."""
    counts: dict[tuple[str, ...], dict[str, int]] = {}
    for key, form in person.forms:
        forms = counts.setdefault(key, {})
        forms[form] = forms.get(form, 0) + 1
    keys = sorted(counts, key=lambda k: -len(k))
    kept: list[tuple[str, ...]] = []
    for key in keys:
        if not any(contains(longer, key) for longer in kept):
            kept.append(key)
    names = [max(counts[k], key=lambda f: counts[k][f]) for k in kept]
    singles = [form for key, form in person.forms if len(key) == 1]
    if names and singles:
        names[0] = _as_later_named(names[0], singles)
    return list(dict.fromkeys(names))


_SURNAME_CASES = {"а": "g", "у": "d", "ым": "i", "ом": "i"}


def _as_later_named(name: str, singles: list[str]) -> str:
    """ "по делу Эмилбека Токтосунова ... Токтосунов находится": the full name was
    read in the genitive; the surname as written alone gives its nominative."""
    words = name.split()
    if len(words) < 2:
        return name
    last = words[-1]
    for single in singles:
        ending = last[len(single) :]
        if (
            last.startswith(single)
            and ending in _SURNAME_CASES
            and single.lower().endswith(("ов", "ев", "ин", "ын"))
        ):
            case = _SURNAME_CASES[ending]
            first = [nominative(word, case, "m") for word in words[:-1]]
            return " ".join([*first, single])
    return name


def contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    return len(shorter) < len(longer) and all(word in longer for word in shorter)
