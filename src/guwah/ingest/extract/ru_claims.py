"""Russian phrases that state an event (a claim kind), and the values they carry.

Each rule is a regular expression over the lower-cased sentence with a name the proposal
shows (``ru.detained.verb``...). Some need a second word nearby (a facility for "отправили
в ...", a country for "переехали в ..."); sentences that only fear or deny the event
("боюсь, что задержат", "не был арестован") are left to the caller's negation check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from guwah.ingest.extract.ru_lexicon import DESTINATIONS, NUMBER_WORDS, NUMBERS, REASONS


@dataclass(frozen=True)
class Trigger:
    kind: str
    rule: str
    start: int
    end: int
    value: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.8
    object_after: bool = False  # the victim usually follows the verb ("забрали маму")
    needs_person: bool = False  # only with a person in the clause (never the topic)


_FACILITY = re.compile(
    r"(?P<camp>лагер|перевоспитан|политическ\w* школ|учебн\w* центр|профессионал\w* "
    r"(?:обучени|подготовк)|профобучени|центр\w* (?:\w+ )?(?:обучени|образовани)|трансформац|"
    r"«школ|концлагер)"
    r"|(?P<detention_centre>сизо|следственн\w* изолятор|изолятор|следственн\w* тюрьм)"
    r"|(?P<prison>тюрьм|тюремн|колони|\bв заключени)"
    r"|(?P<police_custody>полици|участ[оке]|отделени\w* полиции|полицейск)"
)

_N = rf"(?:(?<![\d.,-])\d{{1,2}}|\b(?:{NUMBER_WORDS}))"
TERM = re.compile(
    rf"(?P<y>{_N})(?P<half> с половиной)?\s+(?:год\w*|лет)(?:\s+и\s+(?P<m>{_N})\s+месяц\w*)?"
    rf"|(?<![\d.,-])(?P<y2>\d{{1,2}})-(?:х\s*)?летн\w*"
    rf"|(?P<m2>{_N})\s+месяц\w*"
    r"|(?P<life>пожизненн\w*)"
    r"|(?P<death>смертн\w* казн\w*|расстрел\w*)"
)

_SIMPLE: tuple[tuple[str, str, str, float, bool], ...] = (
    # kind, rule, pattern, confidence, object after the verb
    (
        "detained",
        "ru.detained.verb",
        r"\bзадержа(?:н|на|ны|ли|ло|л)\b|\bарестова(?:н|на|ны|ли|ло|л)\b|"
        r"взял[иа]? под стражу|заключ[её]н\w* под стражу|\bарестовали\b",
        0.85,
        True,
    ),
    (
        "released",
        "ru.released.verb",
        r"\bосвобо(?:ждён|жден|ждена|ждены|дили|дил|дилась|дился)\b|\bотпустил[иа]?\b|"
        r"\bвыпустил[иа]?\b|\bвыш(?:ел|ла|ли) из (?:лагер|тюрьм|сизо|заключени)\w*|"
        r"вернул(?:ся|ась|ись) (?:домой )?из (?:лагер|тюрьм|сизо)\w*|"
        r"\bпосле (?:\w+ )?освобождени[яи]\b",
        0.8,
        True,
    ),
    (
        "died",
        "ru.died.verb",
        r"\bумер(?:ла|ли)?\b|\bскончал(?:ся|ась)\b|\bпогиб(?:ла|ли)?\b|\bсмерт[ьи] (?:в|от)\b",
        0.85,
        False,
    ),
    (
        "disappeared",
        "ru.disappeared.no_contact",
        r"\bпропал[аи]?\b|\bисчез(?:ла|ли)?\b|нет (?:никакой |больше )?связи|"
        r"нет (?:никаких |больше )?(?:вестей|известий)|"
        r"связь (?:с \w+ )?(?:прервалась|оборвалась|пропала)|связи (?:с \w+ )?(?:\w+ )?нет\b|"
        r"не (?:можем|могу|могут|может|смогли|смогла|смог) (?:с \w+ )?(?:связаться|дозвониться)|"
        r"ничего не (?:знаю|знаем|известно) о|ничего о \w+ не (?:знаю|знаем|известно)|"
        r"(?:судьба|местонахождение) \w*\s?(?:неизвестн|не известн)|"
        r"не выход\w* на связь|потерял[аи]? (?:с \w+ )?связь|"
        r"перестал[аи]? (?:\w+ )?(?:выходить на связь|отвечать|звонить|писать)|"
        r"\bо (?:нём|нем|ней|них) (?:\w+ )?ничего не (?:известно|знаем|знаю|слышно)|"
        r"\bне (?:разговарива|общал|созванива)\w* с (?:\w+ )?(?:с )?(?:\d{4}|тех пор|того)",
        0.75,
        True,
    ),
    (
        "transferred",
        "ru.transferred.verb",
        r"\bпереве(?:ли|л|ла|з(?:ли|ла)?|дён|ден|дена|дены) (?:\w+ ){0,2}в "
        r"(?=(?:\w+ )?(?:тюрьм|колони|сизо|следственн|изолятор|лагер|другой лагер))",
        0.8,
        True,
    ),
    (
        "threatened",
        "ru.threatened.threat",
        r"угрожа\w*|\bугроз(?:ы|ами|у)\b|запугива\w*|запугал\w*|шантаж\w*|"
        r"давлени\w* на|давят на|оказыва\w* давлени\w*|преследу\w*|"
        r"треб(?:у|ова)\w*,? (?:\w+ ){0,3}(?:замолчать|прекратить|удалить|не выступать|не давать|"
        r"вернуться|чтобы (?:я|он|она|мы|они) (?:вернул|замолч|удалил|прекратил)\w*)|"
        r"заставля\w* (?:\w+ ){0,3}(?:записать|записывать|позвонить|отказаться|замолчать)|"
        r"\bпригрозил\w*|будут (?:большие |серьёзные |серьезные )?проблемы",
        0.8,
        True,
    ),
    (
        "forced_labour",
        "ru.forced_labour",
        r"принудительн\w* (?:труд|работ)\w*|"
        r"(?:отправил[иа]?|отправлен[аы]?|направил[иа]?|заставля\w*|заставил[иа]?|вывезл[иа]?) "
        r"(?:\w+ ){0,3}(?:работать|на (?:фабрик|завод)\w*)|"
        r"работа\w* на (?:фабрик|завод)\w* (?:\w+ ){0,3}(?:бесплатно|за копейки|без зарплат\w*|"
        r"против (?:своей )?воли)",
        0.75,
        True,
    ),
    (
        "surveilled",
        "ru.surveilled",
        r"под (?:постоянным |круглосуточным )?(?:наблюдением|надзором|домашним арестом)|"
        r"под домашний арест|"
        r"следят за|установил[иа]? (?:\w+ ){0,2}камер\w*|"
        r"(?:поселил\w*|живут|жил[иа]?) (?:\w+ ){0,3}(?:чиновник|кадр)\w*|"
        r"отмечаться в полици\w*|"
        r"(?:ежедневно|каждый день|каждую неделю|постоянно) (?:\w+ ){0,5}провер\w*",
        0.7,
        False,
    ),
    (
        "family_separated",
        "ru.family_separated",
        r"(?:интернат|детск\w* дом|приют)\w*|\bразлучил\w*|\bразлуч[её]н\w*|"
        r"остал(?:ись|ся|ась) без (?:родителей|матери|отца|мамы|папы)",
        0.7,
        True,
    ),
)
_SIMPLE_RE = [(k, r, re.compile(p), c, o) for k, r, p, c, o in _SIMPLE]

# Verbs that mean detention only with a facility in the clause ("отправили в лагерь").
_TAKEN = re.compile(
    r"\b(?:забрал[иа]?|увезл[иа]?|увез|увели|отправил[иа]?|отправлен[аы]?|поместил[иа]?|"
    r"помещ[её]н[аы]?|направил[иа]?|направлен[аы]?|посадил[иа]?|посажен[аы]?|отвезл[иа]?|"
    r"определил[иа]?|содерж(?:ится|атся|алась|ался|ат|али|ат)|находи(?:тся|лась|лся|лись)|"
    r"был[аи]? |оказал(?:ся|ась|ись)|попал[аи]?|сид(?:ит|ел|ела|ели|ят)|пров[её]л[аи]?|"
    r"держат|держали|отбыва\w*)"
)
_FRONTED_FACILITY = re.compile(
    r"\bв (?:\w+ )?(?:лагерь|тюрьму|сизо|колонию|«школу»|следственный изолятор)"
    r"(?:\s+\S+){0,3}\s*$"
)
_TAKEN_AWAY = re.compile(r"забрали|увезли|увели|посадили")  # "they took": the police
_NOT_PEOPLE = re.compile(r"паспорт|телефон|документ|вещ|деньг|книг|коран|удостоверени")
_SENTENCE_VERB = re.compile(
    r"приговор\w*|осужд[её]н\w*|осудил\w*|\bдали\b|\bдал\b|получил[аи]?|присудил\w*|"
    r"назначил\w*|\bсрок\w*|лишени\w* свободы|посадил\w* (?:\w+ ){0,2}на\b"
)
_BARE_SENTENCE = re.compile(
    r"\b(?:осудил[иа]?|осужд[её]н[аы]?|приговорил[иа]?|приговор[её]н[аы]?)\b|"
    r"\b(?:дали|дал|получил[аи]?|присудил[иа]?) (?:\w+ )?срок\b"
)
_FLED_VERB = re.compile(
    r"\b(?:пере|у|вы)ехал[аи]?\b|переселил(?:ся|ась|ись)|перебрал(?:ся|ась|ись)|\bбежал[аи]?\b|"
    r"\bсбежал[аи]?\b|эмигрировал[аи]?|вернул(?:ся|ась|ись) (?:на родину )?в казахстан|"
    r"покинул[аи]? (?:китай|кнр|синьцзян)|\bвыехать\b (?:\w+ ){0,3}удалось|\bприехал[аи]?\b|"
    r"(?:сумел[аи]?|смогл?[аи]?|удалось) (?:\w+ )?выехать"
)
# "В Казахстан я переехал": the country before the verb, in the accusative.
_DESTINATION_BEFORE = re.compile(
    r"\bв (казахстан|кыргызстан|турцию|германию|сша|америку|канаду|австралию|норвегию|"
    r"швецию|японию|францию|нидерланды|голландию|узбекистан)\s+(?:\w+\s+){0,2}$"
)
_REASON_CUE = re.compile(
    r"\bза\b|из-за|обвин|потому что|так как|причин|якобы|поскольку|после того,? как|вмени"
)
_CHARGE = re.compile(r"по обвинени\w* в ((?:[\w«»\"-]+ ?){1,6}?)(?=[,.;:]|\s+и\s+приговор|$)")


def facility_type(text: str) -> str | None:
    match = _FACILITY.search(text)
    return match.lastgroup if match else None


def triggers(clause: str, offset: int) -> list[Trigger]:
    """The claim phrases of one lower-cased clause (offsets shifted by ``offset``)."""
    found: list[Trigger] = []
    for kind, rule, pattern, confidence, after in _SIMPLE_RE:
        for match in pattern.finditer(clause):
            if kind == "threatened" and re.search(
                r"террор|экстрем", clause[match.end() : match.end() + 25]
            ):
                continue
            value: dict[str, Any] = {}
            if kind == "transferred":
                facility = facility_type(clause[match.end() : match.end() + 40])
                if facility:
                    value["facility_type"] = facility
            if kind == "detained":
                facility = facility_type(clause)
                if facility:
                    value["facility_type"] = facility
            if kind == "threatened" and re.search(r"родствен|семь|родн", clause):
                value["text"] = "reprisal against family"
            found.append(
                Trigger(
                    kind,
                    rule,
                    offset + match.start(),
                    offset + match.end(),
                    value,
                    confidence,
                    after,
                )
            )
    for match in _TAKEN.finditer(clause):
        rest = clause[match.end() : match.end() + 60]
        facility = facility_type(rest)
        fronted = _FRONTED_FACILITY.search(clause[max(0, match.start() - 45) : match.start()])
        if facility is None and fronted is not None:  # "В лагерь его отправили"
            facility = facility_type(fronted.group())
        if _NOT_PEOPLE.search(clause[max(0, match.start() - 30) : match.end() + 30]):
            continue
        if facility is None:
            if _TAKEN_AWAY.fullmatch(match.group()):  # "маму забрали": taken away
                found.append(
                    Trigger(
                        "detained",
                        "ru.detained.taken_away",
                        offset + match.start(),
                        offset + match.end(),
                        {},
                        0.7,
                        True,
                        needs_person=True,
                    )
                )
            continue
        if facility == "police_custody" and not re.search(
            r"забрал|увез|увел|отвез|посадил|держ", match.group()
        ):
            continue  # "был в полиции" is a visit, not custody
        found.append(
            Trigger(
                "detained",
                "ru.detained.taken_to_facility",
                offset + match.start(),
                offset + match.end(),
                {"facility_type": facility},
                0.85,
                True,
            )
        )
    bare = _BARE_SENTENCE.search(clause)
    if bare is not None and not TERM.search(clause):  # "брата осудили": length unknown
        found.append(
            Trigger(
                "sentenced",
                "ru.sentenced.bare",
                offset + bare.start(),
                offset + bare.end(),
                {},
                0.7,
                True,
                needs_person=True,
            )
        )
    for match in _SENTENCE_VERB.finditer(clause):
        term = TERM.search(clause, match.end(), match.end() + 60) or TERM.search(
            clause, max(0, match.start() - 40), match.start()
        )
        if term is None or re.search(r"\bдо\s*$", clause[: term.start()]):
            continue  # "грозит срок до 10 лет": the law's maximum, not a sentence
        value = sentence_value(term)
        if not value:
            continue
        if re.search(r"отсрочк|условн", clause):
            value["suspended"] = True
        charge = _CHARGE.search(clause)
        if charge:
            value["charge"] = charge.group(1).strip()
        start = min(match.start(), term.start())
        end = max(match.end(), term.end())
        found.append(
            Trigger(
                "sentenced", "ru.sentenced.term", offset + start, offset + end, value, 0.9, True
            )
        )
        break
    for match in _FLED_VERB.finditer(clause):
        destination = _destination(clause[match.start() : match.end() + 50])
        before = _DESTINATION_BEFORE.search(clause[max(0, match.start() - 40) : match.start()])
        if destination is None and before is not None:
            destination = _destination(before.group(1))
        if destination is None and "покинул" not in match.group():
            continue
        value = {"destination": destination} if destination else {}
        found.append(
            Trigger(
                "fled",
                "ru.fled.moved_abroad",
                offset + match.start(),
                offset + match.end(),
                value,
                0.85,
                False,
            )
        )
    return found


# Phrases that run over a comma, looked for in the whole sentence.
_SENTENCE_WIDE = (
    (
        "disappeared",
        "ru.disappeared.whereabouts",
        re.compile(r"никто не знает,? где (?:он|она|они|сейчас|находится)"),
    ),
    (
        "threatened",
        "ru.threatened.told",
        re.compile(
            r"(?:говор(?:ят|ил[аи]?)|сказал[аи]?|предупредил[аи]?|пригрозил[аи]?),? что "
            r"(?:если [^.!?]{0,60}?,\s*(?:то )?)?(?:[\w-]+ ){0,3}"
            r"(?:посадят|арестуют|задержат|заберут|отправят в лагерь)"
            r"|(?:звонил[аи]?|позвонил[аи]?) (?:\w+ ){0,2}(?:из (?:\w+ )?полиции|полицейск\w*)"
            r"(?: [\w ]{0,20})? (?:и )?(?:сказал|предупредил|угрожа|пригрозил)\w*"
        ),
    ),
    (
        "threatened",
        "ru.threatened.demand",
        re.compile(
            r"треб(?:у|ова)\w*,? чтобы (?:я|он|она|мы|они) (?:не )?"
            r"(?:вернул|замолч|удалил|прекратил|молчал|выступал)\w*"
        ),
    ),
)


def sentence_triggers(sentence: str, offset: int) -> list[Trigger]:
    """The claim phrases of a lower-cased sentence that cross clause boundaries."""
    found = []
    for kind, rule, pattern in _SENTENCE_WIDE:
        for m in pattern.finditer(sentence):
            # the one told is named around "сказали" (or is the speaker), not the one
            # the threat names ("…, то жену посадят")
            end = m.start() + len(m.group().split(" ", 1)[0]) if rule == _TOLD else m.end()
            found.append(
                Trigger(kind, rule, offset + m.start(), offset + end, {}, 0.75, rule != _TOLD)
            )
    return found


_TOLD = "ru.threatened.told"


def sentence_value(term: re.Match[str]) -> dict[str, Any]:
    if term.group("life"):
        return {"life": True}
    if term.group("death"):
        return {"death": True}
    years = _number(term.group("y") or term.group("y2"))
    months = _number(term.group("m") or term.group("m2"))
    if term.group("half"):
        months += 6
    extra, months = divmod(months, 12)
    years += extra
    if (not years and not months) or years > 30:
        return {}
    return {"years": years, "months": months} if months else {"years": years}


def _number(text: str | None) -> int:
    if not text:
        return 0
    return int(text) if text.isdigit() else NUMBERS.get(text, 0)


def _destination(text: str) -> str | None:
    for word in re.findall(r"[\w-]+", text):
        for stem, country in DESTINATIONS.items():
            if word.startswith(stem):
                return country
    return None


def reasons(sentence: str) -> list[str]:
    """Stated reasons in a lower-cased sentence that gives one ("за молитву", "из-за")."""
    cue = _REASON_CUE.search(sentence)
    if cue is None:
        return []
    tail = sentence[max(0, cue.start() - 40) :]
    found: list[tuple[int, str]] = []
    for pattern, reason in REASONS:
        for match in re.finditer(pattern, tail):
            if not re.search(r"\bне (?:за|из-за)\s+(?:\w+\s+){0,2}$", tail[: match.start()]):
                found.append((match.start(), reason))  # "не за молитву, а за ...": not it
                break
    return list(dict.fromkeys(reason for _, reason in sorted(found)))
