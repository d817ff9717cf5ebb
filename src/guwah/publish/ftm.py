"""FollowTheMoney (FtM) export, so Guwah records open in Aleph and OpenSanctions tooling.

Input: the records of the JSON Lines export (docs/formats.md, section 4) as dicts, in any
order (the exporter writes places, persons, sources, claims, cases, evidence). Output: FtM
entity dicts ``{"id", "schema", "properties": {name: [text, ...]}}``, one per JSON line.

What becomes what:

- person -> ``Person`` (id ``guwah-P-000001``): ``name`` is the first full name, other full
  names ``alias``, name kind ``alias`` ``weakAlias`` (or ``alias`` when it has several words),
  given / patronymic / surname ``firstName`` / ``fatherName`` / ``lastName``. Accepted claims
  add ``birthDate``, ``deathDate``, ``gender``, ``ethnicity``, ``idNumber`` (with
  ``nationality`` cn: a resident ID is only issued to citizens), ``address``, ``profession``;
  victims get ``country`` cn; ``notes`` summarises status and events; ``sourceUrl`` lists
  the URLs of the person's sources. No ``topics``: FtM topics are risk flags read by
  screening tools, and marking victims or their relatives ``poi`` would get them flagged.
- source -> ``Article`` (news_article) or ``Document`` (every other kind), plus one
  ``Documentation`` (role ``subject``) per person it speaks of, and role ``testifier``
  for its testifier when that may be shown.
- accepted claims: detained, sentenced, released, died, disappeared, transferred,
  forced_labour, fled -> ``Event`` (``involved`` the person, ``proof`` the source);
  relation -> ``Family`` (mother, father, child, sibling, spouse, other_relative) or
  ``Associate`` (neighbour, cellmate, colleague), the subject being the ``relative`` /
  ``associate`` of the claim's ``person``. Other kinds only feed the person's properties.
- place lines only give English names (with their parents) for address and location text.
- case and evidence lines are internal working records and are never exported.

Protection: persons and sources above ``max_sensitivity`` are left out, and so is every
entity that needs one of them (a claim needs its person and its source, so no fact goes out
without a source that goes out too). The testifier of a restricted source is never
exported, whatever ``max_sensitivity`` says; a restricted source that is exported loses its
title, URL and testifier. Quotes go out only from public sources.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from guwah.model.claimvalues import describe_value
from guwah.model.dates import parse_date
from guwah.model.errors import InvalidInput
from guwah.model.vocab import STATUS_OF_EVENT, ClaimKind, Sensitivity

Record = Mapping[str, Any]
Entity = dict[str, Any]
Props = defaultdict[str, list[str]]

PREFIX = "guwah-"
_RANK = {s.value: s.rank for s in Sensitivity}
_RESTRICTED = Sensitivity.RESTRICTED.rank
_EVENTS = {"detained", "sentenced", "released", "died", "disappeared", "transferred", "fled"}
_EVENTS.add("forced_labour")
_FAMILY = {"mother", "father", "child", "sibling", "spouse", "other_relative"}
_ASSOCIATES = {"neighbour", "cellmate", "colleague"}
_NAME_PARTS = {"given": "firstName", "patronymic": "fatherName", "surname": "lastName"}
# ISO 639-1 -> the ISO 639-3 codes FtM accepts. FtM has no Uyghur, so it is named in text.
_LANGUAGES = {"en": "eng", "ru": "rus", "kk": "kaz", "zh": "zho", "ky": "kir", "tr": "tur"}
_LANGUAGES.update({"uz": "uzb", "de": "deu", "fr": "fra", "ar": "ara", "ja": "jpn", "es": "spa"})
_LANGUAGE_NAMES = {"ug": "Uyghur", "uig": "Uyghur"}
_EDTF_DAY = re.compile(r"(\d{4}|\d{3}X|\d{2}XX)(?:-(\d{2}|XX))?(?:-(\d{2}|XX))?")


def eid(guwah_id: str) -> str:
    """The FtM id of a Guwah record id (``P-000001`` -> ``guwah-P-000001``)."""
    return PREFIX + guwah_id


def export_ftm(records: Iterable[Record], max_sensitivity: str = "internal") -> Iterator[Entity]:
    """FtM entities for the records that may be shown at ``max_sensitivity``."""
    if max_sensitivity not in _RANK:
        raise ValueError(f"unknown sensitivity {max_sensitivity!r} (public, internal, restricted)")
    limit = _RANK[max_sensitivity]
    by_type: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_type[str(record.get("type"))].append(record)
    withheld = {
        s["testifier"] for s in by_type["source"] if s.get("testifier") and _level(s) >= _RESTRICTED
    }
    persons = {
        p["id"]: p for p in by_type["person"] if _level(p) <= limit and p["id"] not in withheld
    }
    sources = {
        s["id"]: s for s in by_type["source"] if _level(s) <= limit and _speaks_of(s, persons)
    }
    ctx = _Context(_place_names(by_type["place"]), persons, sources)
    claims = [c for c in by_type["claim"] if c.get("status") == "accepted"]
    claims = [c for c in claims if c.get("person") in persons and c.get("source") in sources]
    for claim in claims:
        ctx.claims_of[claim["person"]].append(claim)
    for person in persons.values():
        yield _person(person, ctx)
    for source in sources.values():
        yield from _source(source, ctx)
    for claim in claims:
        entity = _claim(claim, ctx)
        if entity is not None:
            yield entity


@dataclass
class _Context:
    places: dict[str, str]
    persons: dict[str, Record]
    sources: dict[str, Record]
    claims_of: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))

    def place(self, claim: Record) -> str | None:
        code = claim.get("place")
        return self.places.get(code, code) if code else claim.get("place_text")

    def url(self, source_id: str | None) -> str | None:
        source = self.sources.get(source_id or "")
        return source.get("url") if source and _level(source) < _RESTRICTED else None

    def name(self, person_id: str) -> str:
        return _names(self.persons[person_id])[0]


def _level(record: Record) -> int:
    """The rank of a record's sensitivity; a missing or unknown one counts as restricted."""
    return _RANK.get(str(record.get("sensitivity")), _RESTRICTED)


def _speaks_of(source: Record, persons: Mapping[str, Record]) -> bool:
    subjects = [s.get("person") for s in source.get("subjects") or []]
    return not subjects or any(p in persons for p in subjects)


def _entity(entity_id: str, schema: str, props: Props) -> Entity:
    cleaned = {k: list(dict.fromkeys(v for v in values if v)) for k, values in props.items()}
    return {
        "id": entity_id,
        "schema": schema,
        "properties": {k: v for k, v in cleaned.items() if v},
    }


def _place_names(places: list[Record]) -> dict[str, str]:
    """Each place code's English name followed by its parents' (``Gulja, Ili, Xinjiang``)."""
    own = {p["code"]: (p.get("names") or {}) for p in places}
    parent = {p["code"]: p.get("parent") for p in places}
    result = {}
    for code in own:
        chain: list[str] = []
        here = code
        while here in own and len(chain) < 8:
            found = own[here].get("en") or next(iter(own[here].values()), None)
            if found and found not in chain:
                chain.append(found)
            here = parent[here]
        result[code] = ", ".join(chain) or code
    return result


def _names(person: Record) -> tuple[str, Props]:
    """The main name and the other name properties of a person."""
    props: Props = defaultdict(list)
    names = [n for n in person.get("names") or [] if n.get("text")]
    full = [n["text"] for n in names if n.get("kind", "full") == "full"]
    main = full[0] if full else (names[0]["text"] if names else f"Guwah {person['id']}")
    props["alias"].extend(full[1:])
    for name in names:
        kind, text = name.get("kind"), name["text"]
        if kind in _NAME_PARTS:
            props[_NAME_PARTS[kind]].append(text)
        elif kind == "alias":
            props["alias" if len(re.split(r"[\s·.]+", text)) > 1 else "weakAlias"].append(text)
    return main, props


def _iso(edtf: str) -> str | None:
    """The most precise ISO prefix of one EDTF date that FtM accepts, markers dropped."""
    match = _EDTF_DAY.fullmatch(re.sub(r"[~?%]", "", edtf.strip()))
    if not match or "X" in match.group(1):
        return None
    year, month, day = match.groups()
    if not month or "X" in month or not 1 <= int(month) <= 12:  # 21-24 are EDTF seasons
        return year
    last = calendar.monthrange(int(year), int(month))[1]
    if not day or "X" in day or not 1 <= int(day) <= last:
        return f"{year}-{month}"
    return f"{year}-{month}-{day}"


def _span(edtf: str | None) -> tuple[list[str], str | None, str | None]:
    """(dates, start, end) of an EDTF value: a set gives several dates, an interval its
    ends (and, as its date, the common prefix of both ends)."""
    if not edtf:
        return [], None, None
    text = str(edtf).strip()
    if text[:1] in "[{":
        return [d for d in map(_iso, text.strip("[]{}").split(",")) if d], None, None
    if "/" in text:
        start, end = (_iso(part) if part not in ("", "..") else None for part in text.split("/", 1))
        common = []
        for a, b in zip((start or "").split("-"), (end or "").split("-"), strict=False):
            if a != b:
                break
            common.append(a)
        prefix = "-".join(common) if common and common[0] else None
        return ([prefix] if prefix else []), start, end
    single = _iso(text)
    return ([single] if single else []), None, None


def _sort_key(claim: Record) -> str:
    try:
        return parse_date(claim["date"]).sort_key if claim.get("date") else ""
    except InvalidInput:
        return ""


def _describe(claim: Record) -> str:
    try:
        return describe_value(ClaimKind(claim["kind"]), dict(claim.get("value") or {}))
    except (ValueError, TypeError):
        return ""


def _person(person: Record, ctx: _Context) -> Entity:
    main, props = _names(person)
    props["name"].append(main)
    kinds = list(person.get("kinds") or [])
    if "victim" in kinds:
        props["country"].append("cn")
    claims = sorted(ctx.claims_of[person["id"]], key=_sort_key)
    events, last_contact = [], []
    for claim in claims:
        kind, value, date = claim["kind"], claim.get("value") or {}, claim.get("date")
        text = str(value.get("text") or "")
        if kind == "born":
            year = [str(value["year"])] if "year" in value else []
            props["birthDate"].extend(_span(date)[0] or year)
        elif kind == "died":
            props["deathDate"].extend(_span(date)[0])
        elif kind == "gender" and text in ("male", "female", "other"):
            props["gender"].append(text)
        elif kind == "ethnicity":
            props["ethnicity"].append(text)
        elif kind == "id_number":
            props["idNumber"].append(text)
            props["nationality"].append("cn")
        elif kind == "resident_of":
            props["address"].append(ctx.place(claim) or text)
        elif kind == "profession":
            props["profession"].append(text)
        elif kind == "last_contact" and date:
            last_contact.append(str(date))
        if kind in _EVENTS:
            detail = _describe(claim)
            events.append(" ".join(p for p in (kind, date, f"({detail})" if detail else "") if p))
        props["sourceUrl"].append(ctx.url(claim.get("source")) or "")
    for source in ctx.sources.values():
        if any(s.get("person") == person["id"] for s in source.get("subjects") or []):
            props["sourceUrl"].append(ctx.url(source["id"]) or "")
    statuses = [c for c in claims if c["kind"] in {k.value for k in STATUS_OF_EVENT}]
    notes = [f"Guwah record {person['id']} ({', '.join(kinds) or 'person'})."]
    if statuses:
        status = STATUS_OF_EVENT[ClaimKind(statuses[-1]["kind"])].value.replace("_", " ")
        notes.append(f"Latest reported status: {status}.")
    if events:
        notes.append(f"Reported: {'; '.join(events)}.")
    if last_contact:
        notes.append(f"Last contact: {last_contact[-1]}.")
    props["notes"].append(" ".join(notes))
    return _entity(eid(person["id"]), "Person", props)


def _source(source: Record, ctx: _Context) -> Iterator[Entity]:
    props: Props = defaultdict(list)
    kind = str(source.get("kind") or "other")
    restricted = _level(source) >= _RESTRICTED
    medium = kind.removeprefix("testimony_")
    label = (
        f"{medium.capitalize()} testimony"
        if medium != kind
        else kind.replace("_", " ").capitalize()
    )
    props["title"].append(label if restricted else str(source.get("title") or label))
    props["publishedAt" if kind == "news_article" else "date"].extend(_span(source.get("date"))[0])
    language = str(source.get("language") or "")
    props["language"].append(_LANGUAGES.get(language, ""))
    in_words = _LANGUAGE_NAMES.get(language)
    props["description"].append(f"{label}, in {in_words}." if in_words else f"{label}.")
    props["sourceUrl"].append(ctx.url(source["id"]) or "")
    source_id = eid(source["id"])
    yield _entity(source_id, "Article" if kind == "news_article" else "Document", props)
    links = [(s.get("person"), "subject") for s in source.get("subjects") or []]
    if not restricted:
        links.append((source.get("testifier"), "testifier"))
    for person_id, role in links:
        if person_id in ctx.persons:
            link: Props = defaultdict(list)
            link.update(document=[source_id], entity=[eid(person_id)], role=[role])
            yield _entity(f"{PREFIX}doc-{source['id']}-{person_id}-{role}", "Documentation", link)


def _claim(claim: Record, ctx: _Context) -> Entity | None:
    props: Props = defaultdict(list)
    kind, value = claim["kind"], claim.get("value") or {}
    props["recordId"].append(claim["id"])
    props["proof"].append(eid(claim["source"]))
    props["sourceUrl"].append(ctx.url(claim["source"]) or "")
    subject = eid(claim["person"])
    if kind == "relation":
        other, relation = value.get("person"), value.get("relation")
        if other not in ctx.persons:
            return None
        if relation in _FAMILY:
            relationship = "relative" if relation == "other_relative" else relation
            props.update(person=[eid(other)], relative=[subject], relationship=[relationship])
            return _entity(eid(claim["id"]), "Family", props)
        if relation in _ASSOCIATES:
            props.update(person=[eid(other)], associate=[subject], relationship=[relation])
            return _entity(eid(claim["id"]), "Associate", props)
        return None
    if kind not in _EVENTS:
        return None
    dates, start, end = _span(claim.get("date"))
    label = kind.replace("_", " ").capitalize()
    props["name"].append(f"{label}: {ctx.name(claim['person'])}")
    props["involved"].append(subject)
    detail = _describe(claim)
    props["summary"].append(f"{label} ({detail})" if detail else label)
    props["date"].extend([] if start or end else dates)
    props["startDate"].append(start or "")
    props["endDate"].append(end or "")
    props["location"].append(ctx.place(claim) or "")
    if _level(ctx.sources[claim["source"]]) == Sensitivity.PUBLIC.rank and claim.get("quote"):
        props["description"].append(str(claim["quote"]))
    return _entity(eid(claim["id"]), "Event", props)
