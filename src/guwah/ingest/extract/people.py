"""People in English text: who is mentioned, and which person each mention refers to.

Mentions are found sentence by sentence in reading order and resolved at once, so that a
pronoun can look back at the people mentioned before it:

- **names**: runs of two to four capitalised words that are not listed as other things
  (``en_lexicon.NOT_NAMES``, gazetteer places), Uyghur and Kazakh names included
  (``Gulnar Serikqyzy``, ``Erlan Serikuly``, ``Ilham Tohti``); a single word only when
  it repeats a word of a person already named (``Serikqyzy said``), follows a title
  (``Ms Aigerim``), ``named``/``name is``, a relative (``her husband, Erlan``), or is
  followed by an age (``Aynur, 34,``);
- **relatives**: ``her mother``, ``his two brothers``, ``my father``, ``Tohti's
  daughter``, ``whose son``: an unnamed person with a record of their own, related to
  the possessor (one person per counted relative; ``her parents`` are a mother and a
  father); a name in apposition (``her brother, Erlan Serikuly,``) names that person;
- **pronouns**: she/her, he/him/his go to the most recent person of that gender (or of
  unknown gender, who then takes it); I/me/my/we/our to the narrator of a testimony or
  to the speaker of the quotation they stand in; ``who`` after a name to that name;
- **family**: ``her family``, ``his relatives``: not a person, but the possessor, for the
  rules that speak of reprisals against a family.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from guwah.ingest.extract.en_lexicon import RELATIVES
from guwah.ingest.extract.en_names import NAME_WORD, fold, name_gender
from guwah.ingest.proposals import Evidence, PersonProposal

MODIFIERS = (
    r"(?:younger|older|elder|eldest|oldest|youngest|late|elderly|ailing|only|adult|teenage|"
    r"little|baby|infant|grown|beloved|own|former|then|first|second|third|\d{1,3}-year-old|"
    r"disabled|sick|widowed|retired|two|three|four|five|six|seven|eight|nine|ten|\d)"
)
RELATIVE_NOUNS = "|".join(sorted((re.escape(n) for n in RELATIVES), key=len, reverse=True))
RELATIVE = re.compile(
    rf"\b(?P<pos>[Hh]er|[Hh]is|[Mm]y|[Oo]ur|[Tt]heir|[Ww]hose|[Tt]he\s+[a-z]+(?=['’]s)|(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)['’]s)"
    rf"\s+(?P<mods>(?:{MODIFIERS}[\s,]+){{0,3}})(?P<noun>{RELATIVE_NOUNS})\b(?!['’]s?\s+(?:family|relatives))"
)
FAMILY = re.compile(
    r"\b(?P<pos>[Hh]er|[Hh]is|[Mm]y|[Oo]ur|[Tt]heir|[Tt]he|[Ww]hose)\s+(?:(?:extended|whole|entire|"
    r"immediate|remaining|own)\s+)?(?P<noun>family|families|relatives|family\s+members|loved\s+ones|"
    r"kin|household)\b"
)
PRONOUN = re.compile(
    r"\b(?:[Ss]he|[Hh]er|[Hh]ers|[Hh]e|[Hh]im|[Hh]is|I|[Mm]e|[Mm]y|[Ww]e|[Uu]s|[Oo]ur|[Tt]hey|[Tt]hem|who)\b"
)


@dataclass
class Mention:
    start: int
    end: int
    kind: str  # name, relative, pronoun, family
    refs: list[str]
    text: str
    via_pronoun: bool = False  # resolved through a pronoun (lower confidence)
    possessive: bool = False  # "her faith", "his arrest": not a subject on its own
    word: str = ""  # the pronoun or relative noun, lower case


@dataclass
class Person:
    proposal: PersonProposal
    gender: str = ""  # female, male or "" when unknown
    tokens: set[str] = field(default_factory=set)
    anchor: str | None = None  # for relatives: whose relative
    relation: str | None = None  # RelationType value (or "parent")
    noun: str | None = None  # the relative noun as written ("mother", "brothers")
    group: bool = False  # an uncounted group ("her children")
    group_key: str | None = None  # the plural noun that introduced it ("brothers", "parents")


class People:
    """The persons of one document and the state pronouns are resolved against."""

    def __init__(self, text: str, testimony: bool) -> None:
        self.text = text
        self.testimony = testimony
        self.persons: dict[str, Person] = {}
        self.recent: list[str] = []  # refs, most recent last
        self.narrator: str | None = None
        self.topic: str | None = None  # who the last sentence was about (its first subject)
        self.sentence_refs: list[str] = []  # people named or described in this sentence
        self.placeholder: str | None = None  # a lede's "he" before anyone is named
        self.sentence_pronouns: dict[str, str] = {}  # gender -> ref, in the current sentence
        self.witnesses: list[str] = []  # speakers and narrators, the last to speak last
        self._first_witness: str | None = None
        self._relatives: dict[tuple[str, str], list[str]] = {}
        self._count = 0  # refs made so far (a person absorbed into another leaves a gap)

    # --- persons -----------------------------------------------------------------------

    def _new(self, names: list[str], description: str | None = None) -> Person:
        self._count += 1
        ref = f"p{self._count}"
        person = Person(PersonProposal(ref=ref, names=names, description=description))
        for name in names:
            person.tokens.update(fold(w) for w in name.split())
            person.gender = person.gender or name_gender(name)
        self.persons[ref] = person
        return person

    def find_named(self, name: str) -> str | None:
        key = fold(name)
        words = set(key.split())
        best: str | None = None
        for ref in reversed(self.recent + [r for r in self.persons if r not in self.recent]):
            person = self.persons[ref]
            known = {fold(n) for n in person.proposal.names}
            if key in known:
                return ref
            single = len(person.proposal.names) == 1 and " " not in person.proposal.names[0]
            if (
                best is None
                and person.tokens
                and (
                    words <= person.tokens
                    or (
                        len(words) >= 2
                        and person.tokens <= words
                        and (len(person.tokens) >= 2 or single)
                    )
                )
            ):
                best = ref
        return best

    def find_surname(self, word: str, gender: str) -> str | None:
        """The person whose last name is ``word`` (after a title: "Ms Ekber"), of that
        gender when known; the most recent first."""
        key = fold(word)
        for ref in reversed(self.recent + [r for r in self.persons if r not in self.recent]):
            person = self.persons[ref]
            full = [n for n in person.proposal.names if " " in n]
            if not full or fold(full[0].split()[-1]) != key:
                continue
            if not gender or person.gender in ("", gender):
                return ref
        return None

    def named(self, name: str, start: int, end: int, create: bool = True) -> str | None:
        ref = self.find_named(name)
        if ref is None:
            if not create:
                return None
            stand_in = self.persons.get(self.placeholder or "")
            if stand_in is not None and name_gender(name) in ("", stand_in.gender):
                ref, self.placeholder = stand_in.proposal.ref, None
                stand_in.proposal.description = None
                stand_in.proposal.names.append(name)
                stand_in.tokens.update(fold(w) for w in name.split())
            else:
                ref = self._new([name]).proposal.ref
        person = self.persons[ref]
        if name not in person.proposal.names:
            if len(name.split()) > max(len(n.split()) for n in person.proposal.names or [""]):
                person.proposal.names.insert(0, name)
            else:
                person.proposal.names.append(name)
            person.tokens.update(fold(w) for w in name.split())
            person.gender = person.gender or name_gender(name)
        self.mentioned(ref, start, end)
        return ref

    def mentioned(self, ref: str, start: int, end: int) -> None:
        person = self.persons[ref]
        if ref not in self.sentence_refs:
            self.sentence_refs.append(ref)
        if len(person.proposal.evidence) < 5:
            person.proposal.evidence.append(Evidence(start, end, self.text[start:end]))
        if ref in self.recent:
            self.recent.remove(ref)
        self.recent.append(ref)

    def touch(self, ref: str) -> None:
        """A pronoun spoke of ``ref``: it becomes the most recent person."""
        if ref in self.recent:
            self.recent.remove(ref)
        self.recent.append(ref)

    def relatives(
        self, anchor: str, noun: str, count: int | None, start: int, end: int, rank: str = ""
    ) -> list[str]:
        """The unnamed relatives of ``anchor`` this noun speaks of (created when new);
        ``rank`` tells one of several apart ("my younger son", "my elder son")."""
        relation, gender, plural = RELATIVES[noun]
        if rank and not plural:
            key = (anchor, f"{noun}/{rank}")
            ranked_refs = self._relatives.get(key)
            if ranked_refs is None:
                other = self._relatives.get((anchor, noun))
                ranked = [
                    k for k in self._relatives if k[0] == anchor and k[1].startswith(noun + "/")
                ]
                if other and not ranked:
                    ranked_refs = other  # "my son" ... "my elder son": the same one
                elif other or ranked:  # another one than the one ranked before
                    person = self._new([], description=f"{noun} of {anchor}")
                    person.anchor, person.relation, person.noun = anchor, relation, noun
                    person.gender = gender
                    ranked_refs = [person.proposal.ref]
            if ranked_refs is not None:
                self._relatives[key] = ranked_refs
                self._relatives[(anchor, noun)] = ranked_refs  # "my son" next: the last ranked
                for ref in ranked_refs:
                    self.mentioned(ref, start, end)
                return list(ranked_refs)
        singular = {"children": "child", "parents": "parents"}.get(
            noun, noun[:-1] if plural else noun
        )
        key = (anchor, singular if not plural else noun)
        refs = self._relatives.get(key)
        if refs is None and plural:  # "her brothers" after "her brother"
            refs = self._relatives.get((anchor, singular))
        if refs is None and not plural:  # "her brother" after "her two brothers": the first
            group = self._relatives.get((anchor, noun + "s"))
            if not group and relation == "child":  # "his youngest daughter" of "his children"
                group = [
                    r
                    for r in self._relatives.get((anchor, "children"), [])
                    if self.persons[r].gender in ("", gender)
                ][:1]
                if group and gender:
                    self.persons[group[0]].gender = gender
            if group:  # "her elder brother...; her younger brother": another one
                refs = [r for r in group if r not in self.sentence_refs][:1] or group[:1]
            else:
                refs = None
        if refs is None and not plural:
            inverse = self._inverse(anchor, relation, gender)
            if inverse is not None:
                self.mentioned(inverse, start, end)
                return [inverse]
        if refs is None and noun == "children":  # "his children", of the narrator's father
            parent = self.persons.get(anchor)
            if parent is not None and parent.relation in ("mother", "father") and parent.anchor:
                child = parent.anchor
                siblings = [
                    r
                    for r, p in self.persons.items()
                    if p.anchor == child and p.relation == "sibling"
                ]
                for ref in (child, *siblings):
                    self.mentioned(ref, start, end)
                return [child, *siblings]
        if refs is None:
            refs = []
            if noun == "parents":
                plan = [("mother", "mother", "female"), ("father", "father", "male")]
                known = (
                    self._inverse(anchor, "mother", "female"),
                    self._inverse(anchor, "father", "male"),
                )
                for index, found in enumerate(known):
                    if found is not None:  # "his parents" of a son whose father is known
                        self._relatives.setdefault((anchor, plan[index][0]), [found])
                        refs.append(found)
                plan = [step for step, found in zip(plan, known, strict=True) if found is None]
            elif plural and count and count <= 6:
                plan = [(singular, relation, gender)] * count
            else:
                plan = [(noun if plural else singular, relation, gender)]
            for word, rel, sex in plan:
                described = f"{word} of {anchor}"
                person = self._new([], description=described)
                person.anchor, person.relation, person.noun = anchor, rel, word
                person.gender, person.group = sex, plural and not count and noun != "parents"
                person.group_key = noun if plural else None
                refs.append(person.proposal.ref)
                if noun == "parents":
                    self._relatives.setdefault((anchor, word), [person.proposal.ref])
            self._relatives[key] = refs
            if rank and not plural:
                self._relatives[(anchor, f"{noun}/{rank}")] = refs
        for ref in refs:
            self.mentioned(ref, start, end)
        return list(refs)

    def _inverse(self, anchor: str, relation: str, gender: str) -> str | None:
        """ "his mother" of someone already known as the child of a woman is that woman."""
        person = self.persons.get(anchor)
        if person is None or person.anchor is None:
            return None
        other = self.persons.get(person.anchor)
        if other is None or (gender and other.gender and other.gender != gender):
            return None
        pairs = {
            ("mother", "child"),
            ("father", "child"),
            ("child", "mother"),
            ("child", "father"),
            ("spouse", "spouse"),
            ("sibling", "sibling"),
        }
        return person.anchor if (relation, person.relation) in pairs else None

    def name_relative(self, ref: str, name: str) -> str:
        """A relative gets a name (``her brother, Erlan Serikuly``): merge into an existing
        person of that name when there is one, else name this one."""
        existing = self.find_named(name)
        person = self.persons[ref]
        if existing is not None and existing != ref and not self.persons[existing].anchor:
            target = self.persons[existing]
            target.anchor, target.relation, target.noun = (
                person.anchor,
                person.relation,
                person.noun,
            )
            del self.persons[ref]
            self._relatives = {
                k: [existing if r == ref else r for r in v] for k, v in self._relatives.items()
            }
            self.recent = [existing if r == ref else r for r in self.recent]
            return existing
        person.proposal.names.append(name)
        person.proposal.description = None
        person.tokens.update(fold(w) for w in name.split())
        return ref

    def absorb(self, relative: str, named: str) -> None:
        """A relative spoken of in one sentence is named in the next ("her husband's
        voice... Two weeks later, Nurlan Toleubekov, a 52-year-old trader, was detained"):
        the named person takes the relative's place (its anchor, relation, mentions)."""
        old, new = self.persons[relative], self.persons[named]
        new.anchor, new.relation, new.noun = old.anchor, old.relation, old.noun
        new.gender = new.gender or old.gender
        new.proposal.evidence = (old.proposal.evidence + new.proposal.evidence)[:5]
        for role in old.proposal.roles:
            if role not in new.proposal.roles:
                new.proposal.roles.append(role)
        for key, value in old.proposal.attributes.items():
            new.proposal.attributes.setdefault(key, value)
        del self.persons[relative]

        def swap(ref: str | None) -> str | None:
            return named if ref == relative else ref

        self._relatives = {
            k: [named if r == relative else r for r in v] for k, v in self._relatives.items()
        }
        for person in self.persons.values():
            person.anchor = swap(person.anchor)
            if person.proposal.description:
                person.proposal.description = re.sub(
                    rf"\b{relative}\b", named, person.proposal.description
                )
        self.recent = [r for r in self.recent if r != relative]
        self.sentence_refs = [r for r in self.sentence_refs if r != relative]
        self.witnesses = [r for r in self.witnesses if r != relative]
        self.topic, self.placeholder = swap(self.topic), swap(self.placeholder)
        self._first_witness = swap(self._first_witness)
        self.sentence_pronouns = {
            g: named if r == relative else r for g, r in self.sentence_pronouns.items()
        }

    def ensure_narrator(self) -> str:
        if self.narrator is None:
            person = self._new([], description="narrator")
            self.narrator = person.proposal.ref
            self.add_role(self.narrator, "witness")
        return self.narrator

    def add_role(self, ref: str, role: str) -> None:
        roles = self.persons[ref].proposal.roles
        if role not in roles:
            roles.append(role)
        if role == "witness":  # the one who spoke last comes last
            self._first_witness = self._first_witness or ref
            if ref in self.witnesses:
                self.witnesses.remove(ref)
            self.witnesses.append(ref)

    # --- resolution ----------------------------------------------------------------------

    def pronoun(self, word: str, exclude: str | None = None, speaking: bool = False) -> str | None:
        """The person a third-person singular pronoun refers to (gender learnt on the way).

        A pronoun that speaks ("she said") prefers someone who has spoken before, or whose
        relatives were just spoken of; the first pronoun of a sentence prefers the last
        sentence's topic; a later one repeats an earlier pronoun of the sentence ("he told
        his parents that he..."); otherwise the most recent person of that gender is taken,
        and only then one of unknown gender. The narrator of a testimony is "I", never
        "she"."""
        gender = "female" if word in ("she", "her", "hers") else "male"
        preferred: list[str] = []
        if speaking:
            preferred.extend(reversed(self.witnesses))
            anchors = [self.persons[r].anchor for r in reversed(self.recent) if r in self.persons]
            preferred.extend(a for a in anchors if a is not None)
        if gender in self.sentence_pronouns:
            preferred.append(self.sentence_pronouns[gender])
        else:
            preferred.extend(reversed(self.sentence_refs))
            if self.topic is not None:
                preferred.append(self.topic)
        recent = list(reversed(self.recent))
        passes = ((preferred, True), (recent, True), (preferred, False), (recent, False))
        for candidates, known_only in passes:
            for ref in candidates:
                person = self.persons.get(ref)
                if person is None or ref == exclude or person.group or person.group_key:
                    continue
                if ref == self.narrator and self.testimony:
                    continue
                if person.gender == gender or (not known_only and not person.gender):
                    if not person.gender and not person.anchor:
                        person.gender = gender
                    self.sentence_pronouns.setdefault(gender, ref)
                    return ref
        if not self.persons or all(
            p.anchor is None and not p.proposal.names
            for p in self.persons.values()
            if p.proposal.ref != self.narrator
        ):
            # a lede names its subject after speaking of them ("A Uyghur man says his two
            # brothers..."): a stand-in that the next person named of that gender becomes
            if self.placeholder is None:
                person = self._new([], description="unnamed")
                person.gender = gender
                self.placeholder = person.proposal.ref
            return self.placeholder if self.persons[self.placeholder].gender == gender else None
        return None

    def plural(self) -> list[str]:
        """They/them: the most recent group of relatives ("her two brothers", "his parents")."""
        for ref in reversed(self.recent[-4:]):
            person = self.persons[ref]
            if person.anchor is not None and person.group_key:
                return [
                    r
                    for r, p in self.persons.items()
                    if p.anchor == person.anchor and p.group_key == person.group_key
                ]
        return []

    def main_witness(self) -> str | None:
        if self.narrator is not None:
            return self.narrator
        if self.witnesses:
            return self._first_witness or self.witnesses[0]
        named = [r for r, p in self.persons.items() if p.proposal.names]
        return named[0] if named else None
