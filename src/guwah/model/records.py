"""The records of the archive as plain typed dataclasses.

Public ids are a letter and a number (``P-000123``); inside the store they are integers.
A claim is one fact about one person from one source, never overwritten: a correction
is a new claim that supersedes the old one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

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

# X-: a proposal extracted from an ingested source, waiting for a reviewer (not a record)
ID_PREFIXES = {
    "person": "P",
    "source": "S",
    "claim": "C",
    "case": "K",
    "evidence": "E",
    "proposal": "X",
}


def format_id(kind: str, number: int) -> str:
    return f"{ID_PREFIXES[kind]}-{number:06d}"


def parse_id(kind: str, public_id: str) -> int | None:
    """The number inside a public id of that kind, or None if it is not one."""
    prefix = ID_PREFIXES[kind] + "-"
    text = public_id.strip().upper()
    digits = text[len(prefix) :]
    # ASCII digits, and few enough for a 64-bit column (a longer number crashed the query)
    if not text.startswith(prefix) or not (digits.isascii() and digits.isdigit()):
        return None
    if len(digits) > 18:
        return None
    return int(text[len(prefix) :])


@dataclass(frozen=True)
class NameForm:
    text: str
    script: Script
    lang: str | None = None
    kind: NameKind = NameKind.FULL
    source_id: str | None = None


@dataclass(frozen=True)
class ExternalRef:
    """An identifier a list or partner database gives the person (e.g. a list's row id)."""

    namespace: str
    ref: str


@dataclass
class Person:
    id: str
    kinds: tuple[PersonKind, ...]
    sensitivity: Sensitivity
    names: list[NameForm] = field(default_factory=list)
    external_refs: list[ExternalRef] = field(default_factory=list)
    created_at: dt.datetime | None = None
    created_by: str | None = None


@dataclass(frozen=True)
class SourceSubject:
    """A person a source speaks of, and the testifier's relation to them (``daughter``)."""

    person_id: str
    relation: str | None = None


@dataclass
class Source:
    id: str
    kind: SourceKind
    title: str
    sensitivity: Sensitivity
    date: str | None = None
    language: str | None = None
    url: str | None = None
    archive_ref: str | None = None
    testifier_id: str | None = None
    subjects: list[SourceSubject] = field(default_factory=list)
    original_text: str | None = None
    reliability: str | None = None
    list_name: str | None = None  # for an imported list: its name, the namespace of its row ids
    created_at: dt.datetime | None = None
    created_by: str | None = None


@dataclass
class Claim:
    id: str
    person_id: str
    source_id: str
    kind: ClaimKind
    value: dict[str, Any]
    status: ClaimStatus
    date: str | None = None
    place_code: str | None = None
    place_text: str | None = None
    quote: str | None = None
    supersedes: str | None = None
    recorded_by: str | None = None
    recorded_at: dt.datetime | None = None

    @property
    def related_person(self) -> str | None:
        """For a relation claim, the person the subject is related to."""
        other = self.value.get("person") if self.kind is ClaimKind.RELATION else None
        return str(other) if other else None


@dataclass
class CaseAction:
    kind: ActionKind
    description: str
    date: str | None = None
    due: str | None = None
    done: bool = False
    recorded_by: str | None = None
    recorded_at: dt.datetime | None = None


@dataclass
class Case:
    """The advocacy file for one victim."""

    id: str
    person_id: str
    status: CaseStatus
    owner: str | None = None
    next_steps: str | None = None
    actions: list[CaseAction] = field(default_factory=list)
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


@dataclass
class EvidenceFile:
    """Metadata of a file that supports a source; storage and custody come later."""

    id: str
    filename: str
    media_type: str
    size: int
    sha256: str
    source_id: str | None = None
    added_by: str | None = None
    added_at: dt.datetime | None = None
