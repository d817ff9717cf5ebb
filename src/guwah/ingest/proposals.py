"""What extraction proposes from one document, for a human to accept or reject.

Nothing here is a fact of the archive: a proposal becomes a claim only when a reviewer
accepts it. Each relation and claim carries the passage it rests on (character offsets
into ``Document.text`` and the quoted text), a confidence and the rule that produced it.
``Extraction.as_json()`` is the shape ``guwah ingest --dry-run --json`` prints
(docs/ingest.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str  # == document.text[start:end]

    def as_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class PersonProposal:
    ref: str  # "p1", "p2"... unique within the extraction
    names: list[str] = field(default_factory=list)  # every form found, first the fullest
    roles: list[str] = field(default_factory=list)  # victim, witness, official, relative
    attributes: dict[str, Any] = field(default_factory=dict)  # ethnicity, profession,
    # birth_year, age, gender, home (place text or gazetteer code)
    description: str | None = None  # for unnamed people: "mother of p1"
    evidence: list[Evidence] = field(default_factory=list)  # where they are mentioned

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"ref": self.ref, "names": self.names, "roles": self.roles}
        if self.attributes:
            data["attributes"] = self.attributes
        if self.description:
            data["description"] = self.description
        if self.evidence:
            data["mentions"] = [e.as_json() for e in self.evidence]
        return data


@dataclass
class RelationProposal:
    source: str  # the relative: {"from": "p2", "type": "mother", "to": "p1"} reads
    type: str  # "p2 is the mother of p1"; type from model.vocab.RelationType
    target: str
    evidence: Evidence
    confidence: float
    rule: str

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "type": self.type,
            "to": self.target,
            "evidence": self.evidence.as_json(),
            "confidence": round(self.confidence, 2),
            "rule": self.rule,
        }


@dataclass
class ClaimProposal:
    subject: str  # a PersonProposal ref
    kind: str  # a model.vocab.ClaimKind value (or birth_control)
    value: dict[str, Any]  # keys as in model.claimvalues (years, months, life,
    # facility_type, destination, text...)
    evidence: Evidence
    confidence: float
    rule: str
    date: str | None = None  # EDTF: 2017, 2017-06, 2018/2019, 2019~
    place: str | None = None  # a gazetteer code (CN-654000) when recognised
    place_text: str | None = None  # the place as written
    reason: str | None = None  # stated reason: "religious faith", "travel abroad"...

    def as_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "kind": self.kind,
            "value": self.value,
            "date": self.date,
            "place": self.place,
            "place_text": self.place_text,
            "reason": self.reason,
            "evidence": self.evidence.as_json(),
            "confidence": round(self.confidence, 2),
            "rule": self.rule,
        }


@dataclass
class Extraction:
    title: str | None
    date: str | None
    language: str | None
    persons: list[PersonProposal] = field(default_factory=list)
    relations: list[RelationProposal] = field(default_factory=list)
    claims: list[ClaimProposal] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "source": {"title": self.title, "date": self.date, "language": self.language},
            "persons": [p.as_json() for p in self.persons],
            "relations": [r.as_json() for r in self.relations],
            "claims": [c.as_json() for c in self.claims],
        }
