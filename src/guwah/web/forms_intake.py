"""The intake form as typed, and the testimony document it becomes.

One form records one testimony: the source, its testifier (or "anonymous") with their
consent, the victims (names in any script, or a recorded person chosen from the live
matches) and what the testimony says of each. The form is kept exactly as typed so that
a refused submission comes back with the user's input, and it is turned into the same
document ``guwah add`` reads (docs/formats.md), so one service records both.

Every value is checked here, before anything is written, and an error names the field as
the form shows it ("Victim 2, claim 1, date: ..."); the service checks everything again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from guwah.ingest.values import parse_ethnicity
from guwah.model.claimvalues import check_value
from guwah.model.dates import normalise_date
from guwah.model.errors import InvalidInput
from guwah.model.gazetteer import load_gazetteer
from guwah.model.vocab import ClaimKind, RelationType, Sensitivity, SourceKind
from guwah.secure.consent import How
from guwah.services.drafts import existing_person_number, make_name
from guwah.services.testimony import build_batch
from guwah.web import i18n
from guwah.web.intake_values import claim_value

MAX_VICTIMS = 20
MAX_CLAIMS = 30  # claim rows of one victim
DEFAULT_CLAIMS = 3  # rows shown for a new victim (the form works without JavaScript)
MAX_NAMES = 20  # other spellings of one name
MAX_PARTNERS = 50
SELF = "self"  # relation: the victim is the testifier (a survivor's own account)
GENDERS = ("female", "male", "other")
CLAIM_KINDS = tuple(k for k in ClaimKind if k is not ClaimKind.RELATION)

_VICTIM_FIELD = re.compile(r"victim-(\d{1,3})-(\w+)")
_CLAIM_FIELD = re.compile(r"victim-(\d{1,3})-claim-(\d{1,3})-(kind|value|date|place|quote)")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)


class FormProblem(InvalidInput):
    """A value of the form that cannot be recorded; ``field`` is the input's name."""

    def __init__(self, where: str, message: str, field: str) -> None:
        super().__init__(f"{where}: {message}")
        self.field = field


@dataclass
class ClaimRow:
    kind: str = ""
    value: str = ""
    date: str = ""
    place: str = ""
    quote: str = ""

    def blank(self) -> bool:
        return not any((self.kind, self.value, self.date, self.place, self.quote))


def _rows(count: int = DEFAULT_CLAIMS) -> list[ClaimRow]:
    return [ClaimRow() for _ in range(count)]


@dataclass
class VictimForm:
    n: int
    name: str = ""
    other_names: str = ""  # one spelling per line
    existing: str = ""  # P-000123: the victim is this recorded person
    relation: str = ""  # the testifier is the victim's ... (RelationType, or SELF)
    gender: str = ""
    born: str = ""
    ethnicity: str = ""
    hometown: str = ""
    claims: list[ClaimRow] = field(default_factory=_rows)

    @property
    def ref(self) -> str:
        return f"v{self.n}"

    def blank(self) -> bool:
        own = (self.name, self.other_names, self.existing, self.relation, self.gender,
               self.born, self.ethnicity, self.hometown)  # fmt: skip
        return not any(own) and all(row.blank() for row in self.claims)

    def key(self, name: str) -> str:
        return f"victim-{self.n}-{name}"

    def where(self, *parts: str) -> str:
        return ", ".join([f"{i18n._('Victim')} {self.n}", *parts])


@dataclass
class Consent:
    """What the testifier agreed to, checked (``services.consent.record`` arguments)."""

    how: str
    publish_name: bool
    publish_testimony_text: bool
    publish_victim_identity: bool
    share_with: list[str]
    given_on: str | None
    note: str | None


@dataclass
class IntakeForm:
    source_kind: str = SourceKind.TESTIMONY_ORAL.value
    source_title: str = ""
    source_date: str = ""
    source_language: str = ""
    source_sensitivity: str = Sensitivity.RESTRICTED.value
    source_archive_ref: str = ""
    source_url: str = ""
    source_reliability: str = ""
    source_text: str = ""
    testifier_name: str = ""
    testifier_other_names: str = ""
    testifier_anonymous: bool = False
    consent_how: str = ""
    consent_name: bool = False
    consent_text: bool = False
    consent_victim: bool = False
    consent_share_with: str = ""
    consent_date: str = ""
    consent_note: str = ""
    evidence_how: str = ""
    victims: list[VictimForm] = field(default_factory=lambda: [VictimForm(1)])

    # --- reading the submitted form ---------------------------------------------------

    @classmethod
    def parse(cls, form: FormData) -> IntakeForm:
        """The form as typed (nothing checked yet: ``document`` does that)."""

        def text(key: str) -> str:
            value = form.get(key)
            return value.strip() if isinstance(value, str) else ""

        return cls(
            source_kind=text("source_kind") or cls.source_kind,
            source_title=text("source_title"),
            source_date=text("source_date"),
            source_language=text("source_language"),
            source_sensitivity=text("source_sensitivity") or cls.source_sensitivity,
            source_archive_ref=text("source_archive_ref"),
            source_url=text("source_url"),
            source_reliability=text("source_reliability"),
            source_text=text("source_text"),
            testifier_name=text("testifier_name"),
            testifier_other_names=text("testifier_other_names"),
            testifier_anonymous=bool(text("testifier_anonymous")),
            consent_how=text("consent_how"),
            consent_name=bool(text("consent_name")),
            consent_text=bool(text("consent_text")),
            consent_victim=bool(text("consent_victim")),
            consent_share_with=text("consent_share_with"),
            consent_date=text("consent_date"),
            consent_note=text("consent_note"),
            evidence_how=text("evidence_how"),
            victims=_victims(form, text),
        )

    # --- the document for ``guwah add`` -------------------------------------------------

    def document(self) -> dict[str, Any]:
        """The testimony as ``add_document`` takes it; FormProblem names a bad field."""
        if len(self.victims) > MAX_VICTIMS:
            last = self.victims[-1]
            raise FormProblem(last.where(), _too_many_victims(), last.key("name"))
        victims = [v for v in self.victims if not v.blank()]
        if not victims:
            first = self.victims[0] if self.victims else VictimForm(1)
            message = i18n._("give the victim's name, or choose a recorded person")
            raise FormProblem(first.where(i18n._("name")), message, first.key("name"))
        testifier, testifier_ref = self._testifier(victims)
        persons = [testifier] if testifier else []
        claims: list[dict[str, Any]] = []
        for victim in victims:
            persons.append(_person(victim, testifier_ref))
            claims.extend(_victim_claims(victim))
            if testifier is not None and victim.relation and victim.relation != SELF:
                relation = {"relation": victim.relation, "person": victim.ref}
                claims.append({"subject": "t", "kind": "relation", "value": relation})
        data = {"source": self._source(testifier_ref), "persons": persons, "claims": claims}
        try:
            build_batch(data)  # the service's own rules, in case one was missed here
        except InvalidInput as exc:
            raise FormProblem(i18n._("Testimony"), str(exc), "source_title") from None
        return data

    def _source(self, testifier: str | None) -> dict[str, Any]:
        where = i18n._("Source")
        kind = _choice(SourceKind, self.source_kind, f"{where}, {i18n._('kind')}", "source_kind")
        if not self.source_title:
            message = i18n._("give the source a title")
            raise FormProblem(f"{where}, {i18n._('title')}", message, "source_title")
        sensitivity = _choice(
            Sensitivity, self.source_sensitivity, f"{where}, {i18n._('sensitivity')}",
            "source_sensitivity",
        )  # fmt: skip
        if self.source_url and not _URL.fullmatch(self.source_url):
            message = i18n._("a web address starts with https:// or http://")
            raise FormProblem(f"{where}, {i18n._('web address')}", message, "source_url")
        source = {
            "kind": kind.value,
            "title": _limited(
                self.source_title, 1000, f"{where}, {i18n._('title')}", "source_title"
            ),
            "date": _date(self.source_date, f"{where}, {i18n._('date')}", "source_date"),
            "language": _limited(
                self.source_language, 16, f"{where}, {i18n._('language')}", "source_language"
            ),
            "sensitivity": sensitivity.value,
            "archive_ref": self.source_archive_ref or None,
            "url": self.source_url or None,
            "reliability": self.source_reliability or None,
            "original_text": self.source_text or None,
            "testifier": testifier,
        }
        return {key: value for key, value in source.items() if value is not None}

    def _testifier(self, victims: list[VictimForm]) -> tuple[dict[str, Any] | None, str | None]:
        """The testifier's person entry (None when anonymous or a victim) and their ref."""
        where = i18n._("Testifier")
        selves = [v for v in victims if v.relation == SELF]
        named = bool(self.testifier_name or self.testifier_other_names)
        if len(selves) > 1:
            message = i18n._("only one victim can be the testifier")
            raise FormProblem(
                selves[1].where(i18n._("relation")), message, selves[1].key("relation")
            )
        if self.testifier_anonymous and named:
            message = i18n._("'anonymous' is ticked but a name is given: clear one of them")
            raise FormProblem(where, message, "testifier_name")
        if selves:
            if named or self.testifier_anonymous:
                message = i18n._(
                    "victim {n} is the testifier: leave the testifier's name empty"
                ).format(n=selves[0].n)
                raise FormProblem(where, message, "testifier_name")
            return None, selves[0].ref
        if not named:
            if not self.testifier_anonymous and self.source_kind.startswith("testimony_"):
                message = i18n._("give the testifier's name, or tick 'anonymous'")
                raise FormProblem(where, message, "testifier_name")
            return None, None
        names = _names(self.testifier_name, self.testifier_other_names, where, "testifier_name")
        return {"ref": "t", "kinds": ["testifier"], "names": names}, "t"

    # --- consent -------------------------------------------------------------------------

    def consent(self) -> Consent | None:
        """The consent to record with the source (None: none was given in the form)."""
        where = i18n._("Consent")
        partners = [p.strip() for p in re.split(r"[,\n]", self.consent_share_with) if p.strip()]
        grants = self.consent_name or self.consent_text or self.consent_victim or partners
        if not self.consent_how:
            if grants or self.consent_date or self.consent_note:
                message = i18n._("say how the consent was given (oral, written or recorded)")
                raise FormProblem(f"{where}, {i18n._('how')}", message, "consent_how")
            return None
        how = _choice(How, self.consent_how, f"{where}, {i18n._('how')}", "consent_how")
        named = self.testifier_name and not self.testifier_anonymous
        if self.consent_name and not named and not any(v.relation == SELF for v in self.victims):
            message = i18n._("no testifier is named, so no name can be published")
            raise FormProblem(where, message, "consent_name")
        if len(partners) > MAX_PARTNERS or any(len(p) > 200 for p in partners):
            message = i18n._("at most 50 partners, of 200 characters each")
            raise FormProblem(f"{where}, {i18n._('share with')}", message, "consent_share_with")
        note = _limited(self.consent_note, 2000, f"{where}, {i18n._('note')}", "consent_note")
        return Consent(
            how=how.value,
            publish_name=self.consent_name,
            publish_testimony_text=self.consent_text,
            publish_victim_identity=self.consent_victim,
            share_with=partners,
            given_on=_date(self.consent_date, f"{where}, {i18n._('date')}", "consent_date"),
            note=note,
        )


def _too_many_victims() -> str:
    return i18n._("at most {n} victims in one testimony").format(n=MAX_VICTIMS)


def _victims(form: FormData, text: Any) -> list[VictimForm]:
    numbers: set[int] = set()
    rows: dict[int, set[int]] = {}
    for key in form:
        claim = _CLAIM_FIELD.fullmatch(key)
        if claim:
            rows.setdefault(int(claim.group(1)), set()).add(int(claim.group(2)))
        found = _VICTIM_FIELD.fullmatch(key)
        if found:
            numbers.add(int(found.group(1)))
    victims = []
    for n in sorted(numbers | set(rows)):
        prefix = f"victim-{n}-"
        claims = [
            ClaimRow(
                *(
                    text(f"{prefix}claim-{m}-{part}")
                    for part in ("kind", "value", "date", "place", "quote")
                )
            )
            for m in sorted(rows.get(n, ()))
        ]
        victims.append(
            VictimForm(
                n,
                name=text(prefix + "name"),
                other_names=text(prefix + "other_names"),
                existing=text(prefix + "existing").upper(),
                relation=text(prefix + "relation"),
                gender=text(prefix + "gender"),
                born=text(prefix + "born"),
                ethnicity=text(prefix + "ethnicity"),
                hometown=text(prefix + "hometown"),
                claims=claims,
            )
        )
    return victims or [VictimForm(1)]


# --- checking one value, with the field named -------------------------------------------


def _choice(enum: Any, raw: str, where: str, name: str) -> Any:
    try:
        return enum(raw)
    except ValueError:
        message = i18n._("choose one of the listed values, not {value!r}").format(value=raw)
        raise FormProblem(where, message, name) from None


def _limited(raw: str, limit: int, where: str, name: str) -> str | None:
    if len(raw) > limit:
        message = i18n._("too long ({limit} characters at most)").format(limit=limit)
        raise FormProblem(where, message, name)
    return raw or None


def _date(raw: str, where: str, name: str) -> str | None:
    try:
        return normalise_date(raw)
    except InvalidInput as exc:
        raise FormProblem(where, str(exc), name) from None


def place_of(raw: str, where: str, name: str) -> str | None:
    """A place the gazetteer knows (by name in any language, or code), as typed."""
    if not raw:
        return None
    gazetteer = load_gazetteer()
    if gazetteer.resolve(raw) is not None:
        return raw
    found = gazetteer.lookup(raw)
    if len(found) > 1:
        choices = ", ".join(f"{p.display_name(i18n.current())} ({p.code})" for p in found[:4])
        message = i18n._("{place!r} may be {choices}: give the code").format(
            place=raw, choices=choices
        )
    else:
        message = i18n._(
            "unknown place {place!r} (give a county, city, prefecture or facility in "
            "Xinjiang, in any language, or its code such as CN-654021; a place elsewhere "
            "goes into the claim's text)"
        ).format(place=raw)
    raise FormProblem(where, message, name)


def _names(first: str, others: str, where: str, name: str) -> list[dict[str, str]]:
    texts = [first, *others.splitlines()]
    texts = [t.strip() for t in texts if t.strip()]
    if len(texts) > MAX_NAMES:
        message = i18n._("at most {n} spellings of a name").format(n=MAX_NAMES)
        raise FormProblem(where, message, name)
    for text in texts:
        try:
            make_name(text)
        except InvalidInput as exc:
            raise FormProblem(where, str(exc), name) from None
    return [{"text": text} for text in dict.fromkeys(texts)]


def _person(victim: VictimForm, testifier: str | None) -> dict[str, Any]:
    where = victim.where(i18n._("name"))
    person: dict[str, Any] = {"ref": victim.ref, "kinds": ["victim"]}
    if victim.existing:
        try:
            person["id"] = f"P-{existing_person_number(victim.existing):06d}"
        except InvalidInput as exc:
            raise FormProblem(victim.where(i18n._("recorded person")), str(exc),
                              victim.key("existing")) from None  # fmt: skip
    elif not victim.name:
        message = i18n._("give the victim's name, or choose a recorded person")
        raise FormProblem(where, message, victim.key("name"))
    names = _names(victim.name, victim.other_names, where, victim.key("name"))
    if names:
        person["names"] = names
    if victim.relation == SELF:
        person["kinds"] = ["victim", "testifier"]
    elif victim.relation:
        where = victim.where(i18n._("relation"))
        person["relation"] = _choice(RelationType, victim.relation, where,
                                     victim.key("relation")).value  # fmt: skip
    return person


def _victim_claims(victim: VictimForm) -> list[dict[str, Any]]:
    claims: list[dict[str, Any]] = []

    def add(kind: ClaimKind, value: dict[str, Any], **extra: Any) -> None:
        claims.append({"subject": victim.ref, "kind": kind.value, "value": value, **extra})

    if victim.gender:
        if victim.gender not in GENDERS:
            message = i18n._("choose female, male or other")
            raise FormProblem(victim.where(i18n._("gender")), message, victim.key("gender"))
        add(ClaimKind.GENDER, {"text": victim.gender})
    if victim.born:
        where = victim.where(i18n._("born"))
        add(ClaimKind.BORN, {}, date=_date(victim.born, where, victim.key("born")))
    if victim.ethnicity:
        where = victim.where(i18n._("ethnicity"))
        text = _limited(victim.ethnicity, 100, where, victim.key("ethnicity"))
        add(ClaimKind.ETHNICITY, {"text": parse_ethnicity(text or "")})
    if victim.hometown:
        where = victim.where(i18n._("home town"))
        add(ClaimKind.RESIDENT_OF, {}, place=place_of(victim.hometown, where,
                                                       victim.key("hometown")))  # fmt: skip
    rows = [(m, row) for m, row in enumerate(victim.claims, 1) if not row.blank()]
    if len(rows) > MAX_CLAIMS:
        message = i18n._("at most {n} claims for one victim").format(n=MAX_CLAIMS)
        raise FormProblem(victim.where(), message, victim.key("name"))
    for m, row in rows:
        claims.append(_claim(victim, m, row))
    return claims


def _claim(victim: VictimForm, m: int, row: ClaimRow) -> dict[str, Any]:
    def where(part: str) -> str:
        return victim.where(f"{i18n._('claim')} {m}", part)

    def key(part: str) -> str:
        return victim.key(f"claim-{m}-{part}")

    if not row.kind:
        message = i18n._("choose what the claim is about")
        raise FormProblem(where(i18n._("kind")), message, key("kind"))
    kind = _choice(ClaimKind, row.kind, where(i18n._("kind")), key("kind"))
    if kind is ClaimKind.RELATION:
        message = i18n._("give the testifier's relation in the victim's 'relation' field")
        raise FormProblem(where(i18n._("kind")), message, key("kind"))
    date = _date(row.date, where(i18n._("date")), key("date"))
    try:
        value, value_date = claim_value(kind, row.value)
        check_value(kind, value)
    except InvalidInput as exc:
        raise FormProblem(where(i18n._("value")), str(exc), key("value")) from None
    claim: dict[str, Any] = {"subject": victim.ref, "kind": kind.value, "value": value}
    if date or value_date:
        claim["date"] = date or value_date
    place = place_of(row.place, where(i18n._("place")), key("place"))
    if place:
        claim["place"] = place
    quote = _limited(row.quote, 20_000, where(i18n._("passage")), key("quote"))
    if quote:
        claim["quote"] = quote
    return claim
