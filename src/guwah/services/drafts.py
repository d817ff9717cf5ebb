"""Validated records waiting to be written, built from user files (YAML, CSV, JSONL).

Everything a user wrote is checked here, before any write: vocabulary words, dates,
ID numbers, claim values, references between people. An error names the field and,
through the caller, the file line; nothing is written when there is one.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from guwah.model.claimvalues import check_value, describe_value
from guwah.model.dates import normalise_date, parse_date
from guwah.model.errors import InvalidInput
from guwah.model.gazetteer import Gazetteer
from guwah.model.records import Claim, ExternalRef, NameForm, Person, format_id, parse_id
from guwah.model.vocab import (
    ActionKind,
    CaseStatus,
    ClaimKind,
    ClaimStatus,
    NameKind,
    PersonKind,
    Script,
    Sensitivity,
    SourceKind,
)
from guwah.names.script import detect_script, guess_language
from guwah.store.writer import content_digest

MAX_TEXT = 1_000_000
_VALUE_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # = json.dumps(...)
_NAME_KEYS = frozenset({"text", "lang", "kind", "script"})
_CLAIM_KEYS = frozenset({"subject", "kind", "value", "date", "place", "quote", "status"})


@dataclass
class DraftName:
    text: str
    script: Script
    lang: str
    kind: NameKind


@dataclass
class Precomputed:
    """A new person's summary row (without its id) and search text, worked out where the
    draft was parsed: valid while the person is new and all their claims are in the batch."""

    summary: dict[str, Any]
    names: str
    body: str
    keys: tuple[str, ...] = ()
    secret: tuple[str, ...] = ()  # text of ``body`` blinded on PostgreSQL (SearchDoc.secret)


@dataclass
class DraftPerson:
    ref: str
    existing_id: int | None = None
    kinds: list[PersonKind] = field(default_factory=list)
    sensitivity: Sensitivity = Sensitivity.INTERNAL
    names: list[DraftName] = field(default_factory=list)
    external_refs: list[tuple[str, str]] = field(default_factory=list)
    relation_to_testifier: str | None = None
    precomputed: Precomputed | None = None


@dataclass
class DraftClaim:
    subject: str  # a person ref
    kind: ClaimKind
    value: dict[str, Any]
    status: ClaimStatus
    date: str | None = None
    place_code: str | None = None
    place_text: str | None = None
    quote: str | None = None
    related: str | None = None  # a person ref, for relation claims
    # Derived once, where the draft is made (a helper process during big imports):
    value_json: str = field(init=False)
    value_text: str = field(init=False)
    year_min: int | None = field(init=False)
    year_max: int | None = field(init=False)
    content: str = field(init=False)

    def __post_init__(self) -> None:
        self.value_json = _VALUE_JSON(self.value)
        self.value_text = describe_value(self.kind, self.value)
        span = parse_date(self.date) if self.date else None
        self.year_min = span.year_min if span else None
        self.year_max = span.year_max if span else None
        self.content = content_digest(
            {
                "kind": self.kind.value,
                "value_json": self.value_json,
                "date_edtf": self.date,
                "place_code": self.place_code,
                "place_text": self.place_text,
                "quote": self.quote,
            }
        )


@dataclass
class DraftAction:
    kind: ActionKind
    description: str
    date: str | None = None
    due: str | None = None
    done: bool = False


@dataclass
class DraftCase:
    subject: str
    status: CaseStatus
    owner: str | None = None
    next_steps: str | None = None
    actions: list[DraftAction] = field(default_factory=list)


@dataclass
class DraftSource:
    kind: SourceKind
    title: str
    sensitivity: Sensitivity
    date: str | None = None
    language: str | None = None
    url: str | None = None
    archive_ref: str | None = None
    testifier: str | None = None  # a person ref
    original_text: str | None = None
    reliability: str | None = None
    list_name: str | None = None


def enum_value(enum: Any, raw: object, what: str) -> Any:
    """The member of a vocabulary named by ``raw`` (exact, then case-insensitive)."""
    if isinstance(raw, str):  # the usual case, looked up without calling the enum
        member = enum._value2member_map_.get(raw)
        if member is not None:
            return member
    if isinstance(raw, enum):
        return raw
    text = str(raw).strip()
    for candidate in (text, text.lower()):
        try:
            return enum(candidate)
        except ValueError:
            continue
    choices = ", ".join(member.value for member in enum)
    raise InvalidInput(f"unknown {what} {raw!r} (one of: {choices})")


def text_or_none(raw: object, what: str, limit: int = 10_000) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, (dict, list)):
        raise InvalidInput(f"{what} must be text")
    value = str(raw).strip()
    if len(value) > limit:
        raise InvalidInput(f"{what} is too long ({limit} characters at most)")
    return value or None


def make_name(raw: object) -> DraftName:
    if isinstance(raw, str):
        raw = {"text": raw}
    if not isinstance(raw, dict):
        raise InvalidInput(f"a name must be text or an object with 'text', not {raw!r}")
    if not raw.keys() <= _NAME_KEYS:
        unknown = set(raw) - _NAME_KEYS
        raise InvalidInput(f"unknown key {sorted(unknown)[0]!r} in a name")
    text = " ".join(str(raw.get("text") or "").split())
    if not text:
        raise InvalidInput("a name is empty")
    if len(text) > 300:
        raise InvalidInput(f"a name is too long: {text[:40]!r}...")
    script = enum_value(Script, raw["script"], "script") if raw.get("script") else None
    script = script or detect_script(text)
    lang = str(raw.get("lang") or guess_language(text, script) or "").strip().lower()
    kind = enum_value(NameKind, raw.get("kind") or "full", "name kind")
    return DraftName(text, script, lang, kind)


def resolve_place(gazetteer: Gazetteer, raw: object) -> tuple[str | None, str | None]:
    """A gazetteer code when the place is known (by code or name), else the text kept."""
    place = text_or_none(raw, "place", 300)
    if place is None:
        return None, None
    return _resolve_cached(gazetteer, place)


@lru_cache(maxsize=16384)
def _resolve_cached(gazetteer: Gazetteer, place: str) -> tuple[str | None, str | None]:
    found = gazetteer.resolve(place)
    return (found.code, None) if found is not None else (None, place)


def make_claim(
    raw: dict[str, Any], gazetteer: Gazetteer, default_status: ClaimStatus, subject: str
) -> DraftClaim:
    if not raw.keys() <= _CLAIM_KEYS:
        unknown = set(raw) - _CLAIM_KEYS
        raise InvalidInput(f"unknown key {sorted(unknown)[0]!r} in a claim")
    kind = enum_value(ClaimKind, raw.get("kind"), "claim kind")
    value = check_value(kind, raw.get("value"))
    status = enum_value(ClaimStatus, raw.get("status") or default_status.value, "claim status")
    if status is ClaimStatus.SUPERSEDED:
        raise InvalidInput("a new claim cannot be recorded as superseded")
    date = normalise_date(raw.get("date"))
    place_code, place_text = resolve_place(gazetteer, raw.get("place"))
    related = value.pop("person", None) if kind is ClaimKind.RELATION else None
    quote = text_or_none(raw.get("quote"), "quote", 20_000)
    return DraftClaim(subject, kind, value, status, date, place_code, place_text, quote, related)


def make_case(raw: dict[str, Any], subject: str) -> DraftCase:
    unknown = set(raw) - {"subject", "status", "owner", "next_steps", "actions"}
    if unknown:
        raise InvalidInput(f"unknown key {sorted(unknown)[0]!r} in a case")
    actions = []
    for item in raw.get("actions") or []:
        if not isinstance(item, dict):
            raise InvalidInput("a case action must be an object")
        actions.append(
            DraftAction(
                kind=enum_value(ActionKind, item.get("kind") or "other", "action kind"),
                description=text_or_none(item.get("description"), "action description") or "",
                date=normalise_date(item.get("date")),
                due=normalise_date(item.get("due")),
                done=bool(item.get("done", item.get("date") is not None)),
            )
        )
    return DraftCase(
        subject=subject,
        status=enum_value(CaseStatus, raw.get("status") or "open", "case status"),
        owner=text_or_none(raw.get("owner"), "owner", 128),
        next_steps=text_or_none(raw.get("next_steps"), "next_steps"),
        actions=actions,
    )


def existing_person_number(raw: object) -> int:
    number = parse_id("person", str(raw))
    if number is None:
        raise InvalidInput(f"not a person id: {raw!r} (expected P-000123)")
    return number


def person_record(
    draft: DraftPerson, number: int, source: str, recorded: dt.datetime, actor: str
) -> Person:
    """The record a new person's draft becomes once written."""
    return Person(
        id=format_id("person", number),
        kinds=tuple(sorted(set(draft.kinds) or {PersonKind.OTHER}, key=lambda k: k.value)),
        sensitivity=draft.sensitivity,
        names=[NameForm(n.text, n.script, n.lang or None, n.kind, source) for n in draft.names],
        external_refs=[ExternalRef(ns, ref) for ns, ref in draft.external_refs],
        created_at=recorded,
        created_by=actor,
    )


def claim_record(
    draft: DraftClaim,
    number: int,
    person: int,
    source: str,
    related: int | None,
    recorded: dt.datetime,
    actor: str,
) -> Claim:
    """The record a claim's draft becomes once written."""
    value = dict(draft.value)
    if related is not None:
        value["person"] = format_id("person", related)
    return Claim(
        id=format_id("claim", number),
        person_id=format_id("person", person),
        source_id=source,
        kind=draft.kind,
        value=value,
        status=draft.status,
        date=draft.date,
        place_code=draft.place_code,
        place_text=draft.place_text,
        quote=draft.quote,
        recorded_by=actor,
        recorded_at=recorded,
    )
