"""Reading the people mentioned in one Russian sentence (``People.mentions``).

Names, kinship words and pronouns are read in order. A kinship word gets its possessor
from a possessive ("моя мама": the narrator's; "её брат": the woman just mentioned), from
the name after it in a report when that name is already known or followed by the
relative's own ("мать Гульнар", "Отец Айжан, 70-летний Сайрамбек"), from another kinship
word ("брат мужа"), from the kinship word it is coordinated with ("его мать Күлпан и отец
Нұрбек"), else from the report's protagonist; a name right after it is the relative's
own ("мой брат Ерлан", "старший брат Абдуқадир").
"""

from __future__ import annotations

import re
from typing import Any

from guwah.ingest.extract.ru_lexicon import DISTANT, KIN, POSSESSIVE, PREPOSITION_CASE, PRONOUN
from guwah.ingest.extract.ru_names import (
    NameMention,
    context_gender,
    find_names,
    name_gender,
    name_key,
    nominative,
)
from guwah.ingest.extract.ru_people import APPOSITION, WORD, Mention, Registry, contains
from guwah.ingest.proposals import Evidence, RelationProposal


class People(Registry):
    def mentions(self, start: int, end: int) -> list[Mention]:
        """The people of one sentence in order; each joins ``recent`` as it is read, so
        that a pronoun finds the person named just before it."""
        out: list[Mention] = []
        consumed: list[tuple[int, int]] = []
        self.sentence_number += 1
        words = list(WORD.finditer(self.text, start, end))
        names = find_names(self.text, start, end)
        pending = list(names)
        for index, word in enumerate(words):
            while pending and pending[0].start <= word.start():
                self._name_mention(pending.pop(0), start, consumed, out)
            lower = word.group().lower()
            before = words[index - 1].group().lower() if index else ""
            kin = KIN.get(lower)
            if any(s <= word.start() < e for s, e in consumed):
                continue  # read with the word before ("брат мужа")
            if kin is not None:
                out.append(self._kin_mention(kin, index, words, names, consumed))
                self.recent.append((out[-1].ref, out[-1].nominative, self.sentence_number))
                continue
            possessive = (
                lower in POSSESSIVE
                and index + 1 < len(words)
                and (words[index + 1].group().lower() in KIN)
            )
            plural = lower in ("них", "ними") or (
                lower == "ним" and before not in ("с", "со", "за", "над", "под", "перед")
            )
            if plural and index:  # "живёт у родственников, полиция приходит к ним"
                ref = self._plural_antecedent()
                if ref:
                    out.append(Mention(word.start(), word.end(), ref, True, False, False))
                continue
            if lower in PRONOUN and not possessive:
                ref = self._pronoun(PRONOUN[lower])
                if ref:
                    subject = lower in ("я", "мы", "он", "она", "они")
                    oblique = before in PREPOSITION_CASE
                    out.append(Mention(word.start(), word.end(), ref, oblique, False, subject))
                    if not PRONOUN[lower].startswith("1"):  # "я" is no antecedent of "он"
                        self.recent.append((ref, subject, self.sentence_number))
        for name in pending:
            self._name_mention(name, start, consumed, out)
        out.sort(key=lambda m: m.start)
        return out

    def _name_mention(
        self, name: NameMention, start: int, consumed: list[tuple[int, int]], out: list[Mention]
    ) -> None:
        if any(s <= name.start < e for s, e in consumed):
            return
        prefix = self.lower[max(start, name.start - 12) : name.start].split()
        before = prefix[-1] if prefix else ""
        quoting = prefix[-2:] == ["по", "словам"]  # "По словам Мурата,": not a subject
        case = "g" if quoting else PREPOSITION_CASE.get(before)
        hint = context_gender(before) if before and case is None else None
        evidence = Evidence(name.start, name.end, name.text)
        ref = self._named_relative(name, case, hint, evidence) or self.named(
            name.text, case, hint, evidence, subject=name.start == start
        )
        # "Мурата", "Бекзата Нурбекова": the dictionary reads it in an oblique case
        subject = case is None and nominative(name.text, None, hint) == name.text
        out.append(Mention(name.start, name.end, ref, case is not None, False, subject))
        self.recent.append((ref, subject, self.sentence_number))

    def _plural_antecedent(self) -> str | None:
        """ "к ним", "у них": the subject of this sentence or the one before (who lives
        with the others), unless that is the narrator."""
        for ref, is_subject, sentence in reversed(self.recent):
            if sentence < self.sentence_number - 1:
                break
            if is_subject and not self.person(ref).narrator:
                return ref
        return None

    def _named_relative(
        self, name: NameMention, case: str | None, hint: str | None, evidence: Evidence
    ) -> str | None:
        """ "добивается освобождения своего отца. По её словам, 67-летнего Бекзата
        Нурбекова задержали": a new name of the gender of the one unnamed relative
        spoken of in this sentence or the one before is that relative's name."""
        if self.known(name.text):
            return None
        gender = hint or name_gender(name.text)
        if gender is None:
            return None
        recent = {ref for ref, _, n in self.recent if n >= self.sentence_number - 1}
        candidates = [
            p
            for p in self.persons
            if p.ref in recent
            and not p.forms
            and not p.plural
            and p.relation is not None
            and p.relation[1] not in ("relative", "relatives")
            and p.gender == gender
        ]
        if len(candidates) != 1:
            return None
        person = candidates[0]
        key = name_key(name.text)
        person.forms.append((key, nominative(name.text, case, gender)))
        person.keys.add(key)
        person.mentions.append(evidence)
        return person.ref

    def _kin_mention(
        self,
        kin: Any,
        index: int,
        words: list[re.Match[str]],
        names: list[NameMention],
        consumed: list[tuple[int, int]],
    ) -> Mention:
        word = words[index]
        lookback = [w.group().lower() for w in words[max(0, index - 3) : index]]
        relation, label = kin.relation, kin.label
        if any(w.startswith(DISTANT) for w in lookback):
            relation, label = "other_relative", "cousin"
        owner = next((POSSESSIVE[w] for w in reversed(lookback) if w in POSSESSIVE), None)
        anchor = word.end()
        of_kin = self._kin_of_kin(index, words, names, consumed)
        if of_kin is not None:
            anchor = words[index + 1].end()
        following = next((n for n in names if 0 <= n.start - anchor <= 2), None)
        apposition = following is not None and (
            owner is not None
            or of_kin is not None
            or (self.first_person and not self._other_known(following, label, anchor))
            or (not self.first_person and not self._possessor_name(following, names))
        )
        possessor: str | None
        co_possessor: str | None = None
        if of_kin is not None:
            possessor = of_kin  # "брат мужа": the husband's brother
        elif (
            owner in ("1", None)
            and (owner == "1" or self.first_person)
            and not (following and not apposition)
        ):
            possessor = self.narrator()
        elif owner in ("m", "f", "pl", "refl"):
            gender = owner if owner in ("m", "f") else None
            possessor = self.last_of_gender(gender, named=True) or (
                self.narrator() if self.first_person else None
            )
        elif following is not None and not apposition:
            possessor = self.named(
                following.text, "g", None, Evidence(following.start, following.end, following.text)
            )
            consumed.append((following.start, following.end))
            also = next(  # "Отец Анар и Мейрамбека": the father of both
                (n for n in names if self.text[following.end : n.start] == " и "),
                None,
            )
            if also is not None:
                co_possessor = self.named(
                    also.text, "g", None, Evidence(also.start, also.end, also.text)
                )
                consumed.append((also.start, also.end))
                following = also
            after = next(
                (
                    n
                    for n in names
                    if 0 < n.start - following.end <= 20
                    and APPOSITION.fullmatch(self.text[following.end : n.start])
                ),
                None,
            )
            if after is not None:
                following, apposition = after, True
        elif self.quoted(word.start()):
            possessor = self.narrator()  # «Я не видела дочь»: the speaker's daughter
        else:
            possessor = (
                self._coordinated(word.start())
                or self._spouse_of_subject(kin)
                or self.main_speaker  # a report tells of its protagonist's family
                or self.last_of_gender(None, named=True)
                or self.narrator()
            )
        evidence_end = following.end if following is not None else word.end()
        ev_start = (
            words[index - 1].start()
            if index and lookback and lookback[-1] in POSSESSIVE
            else word.start()
        )
        evidence = Evidence(ev_start, evidence_end, self.text[ev_start:evidence_end])
        if possessor is None:
            possessor = self.narrator()
        self._last_kin = (word.end(), possessor, self.sentence_number)
        unnamed = next(
            (
                p
                for p in self.persons
                if not p.forms and p.relation and p.relation[1:] == (label, possessor)
            ),
            None,
        )
        if apposition and following is not None and unnamed is not None:
            case = kin.cases[0] if kin.cases else None
            key = name_key(following.text)
            unnamed.forms.append((key, nominative(following.text, case, kin.gender)))
            unnamed.keys.add(key)
            unnamed.mentions.append(Evidence(following.start, following.end, following.text))
            consumed.append((following.start, following.end))
            ref = unnamed.ref
        elif apposition and following is not None:
            case = kin.cases[0] if kin.cases else None
            ref = self.named(
                following.text,
                case,
                kin.gender,
                Evidence(following.start, following.end, following.text),
            )
            consumed.append((following.start, following.end))
            person = self.person(ref)
            person.gender = person.gender or kin.gender
            self._relate(person, relation, label, possessor, evidence)
        elif (only := self._only_relative(label, owner, following)) is not None:
            ref = only  # a report's "отца задержали": the one father it has named
            self.person(ref).mentions.append(evidence)
        else:
            ref = self.relative(relation, label, kin.gender, possessor, evidence)
        if co_possessor is not None and co_possessor not in (possessor, ref):
            self.relations.append(
                RelationProposal(ref, relation, co_possessor, evidence, 0.8, "ru.relation.kin_word")
            )
        generic = relation == "other_relative" and kin.plural
        governed = any(w in PREPOSITION_CASE for w in lookback[-2:])
        is_subject = "n" in kin.cases and not governed
        return Mention(word.start(), word.end(), ref, governed, generic, is_subject)

    def _spouse_of_subject(self, kin: Any) -> str | None:
        """ "Её мать, Гульшат, после ареста мужа осталась одна": a bare "муж"/"жена" in
        a report is the spouse of the sentence's subject, when that is a relative of the
        other sex."""
        if kin.relation != "spouse" or kin.gender is None:
            return None
        other = "f" if kin.gender == "m" else "m"
        for ref, is_subject, sentence in self.recent:
            if sentence != self.sentence_number or not is_subject:
                continue
            person = self.person(ref)
            if person.relation and person.gender == other and not person.narrator:
                return ref
        return None

    def _only_relative(
        self, label: str, owner: str | None, following: NameMention | None
    ) -> str | None:
        if self.first_person or owner is not None or following is not None:
            return None
        if label not in ("mother", "father", "husband", "wife"):
            return None
        found = [p.ref for p in self.persons if p.relation and p.relation[1] == label]
        return found[0] if len(found) == 1 else None

    def _other_known(self, name: NameMention, label: str, anchor: int) -> bool:
        """ "Жена Ержана" after "сына Ержана": a name already known, right after the
        kinship word, of someone who is not that relative: the possessor."""
        if self.text[anchor : name.start] != " ":
            return False
        key = name_key(name.text)
        person = next((p for p in self.persons if key in p.keys), None)
        return person is not None and not (person.relation and person.relation[1] == label)

    def _possessor_name(self, name: NameMention, names: list[NameMention]) -> bool:
        """In a report, is the name after a kinship word its possessor ("мать Гульнар":
        Гульнар already known, or followed by the relative's own name: "Отец Айжан,
        70-летний Сайрамбек") rather than the relative's name ("брат Абдуқадир")?"""
        key = name_key(name.text)
        known = any(
            key in p.keys or any(contains(k, key) or contains(key, k) for k in p.keys)
            for p in self.persons
        )
        named_after = any(
            0 < n.start - name.end <= 20 and APPOSITION.fullmatch(self.text[name.end : n.start])
            for n in names
        )
        return known or named_after

    def _coordinated(self, position: int) -> str | None:
        """ "его мать Күлпан и отец Нұрбек": the possessor of the kinship word just before,
        joined by "и" or a comma in the same sentence."""
        if self._last_kin is None:
            return None
        end, possessor, sentence = self._last_kin
        between = self.text[end:position]
        joined = re.fullmatch(r"(?:\s*[А-ЯЁӘҒҚҢӨҰҮҺІ][\w-]*){0,3}\s*(?:,|\sи)\s*", between)
        if sentence == self.sentence_number and joined:
            return possessor
        return None

    def _kin_of_kin(
        self,
        index: int,
        words: list[re.Match[str]],
        names: list[NameMention],
        consumed: list[tuple[int, int]],
    ) -> str | None:
        """ "брат мужа", "мать отца": the relative whose relative this is, or None."""
        if index + 1 >= len(words):
            return None
        after = words[index + 1]
        kin = KIN.get(after.group().lower())
        if (
            kin is None
            or "g" not in kin.cases
            or self.text[words[index].end() : after.start()] != " "
        ):
            return None
        consumed.append(after.span())
        mention = self._kin_mention(kin, index + 1, words, [], consumed)
        self.recent.append((mention.ref, False, self.sentence_number))
        return mention.ref
