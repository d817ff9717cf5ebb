"""The end of an English extraction: claims read twice merged into one, roles from the
claims, relations from the people's relatives, and refs numbered p1, p2... in order."""

from __future__ import annotations

import re

from guwah.ingest.document import Document
from guwah.ingest.extract.en_rules import VICTIM_KINDS
from guwah.ingest.extract.people import People
from guwah.ingest.proposals import (
    ClaimProposal,
    Evidence,
    Extraction,
    PersonProposal,
    RelationProposal,
)

_RICHNESS_KEYS = ("years", "months", "life", "death", "destination", "facility_type", "text")


def best_of_sentence(found: list[tuple[ClaimProposal, tuple[int, int]]]) -> list[ClaimProposal]:
    """One claim per subject and kind in a sentence; a sentence or transfer overrides a
    detention read from the same words ("jailed for 10 years")."""
    best: dict[tuple[str, str, str], tuple[ClaimProposal, tuple[int, int]]] = {}
    for claim, span in found:
        key = (claim.subject, claim.kind, _key(claim)[2] if claim.kind == "fled" else "")
        current = best.get(key)
        if current is None or _rank(claim) > _rank(current[0]):
            best[key] = (claim, span)
    kept: list[ClaimProposal] = []
    for (subject, kind, _), (claim, span) in best.items():
        if kind == "detained":
            stronger = [best.get((subject, k, "")) for k in ("sentenced", "transferred")]
            if any(s is not None and s[1][0] < span[1] and span[0] < s[1][1] for s in stronger):
                continue
        kept.append(claim)
    return kept


def _rank(claim: ClaimProposal) -> tuple[int, int, float]:
    keys = sum(1 for k in _RICHNESS_KEYS if k in claim.value)
    filled = sum(1 for v in (claim.date, claim.place, claim.reason) if v)
    return keys, filled, claim.confidence


# --- the end of the document ---------------------------------------------------------------


def assemble(
    document: Document,
    people: People,
    found: list[ClaimProposal],
    relation_evidence: dict[str, tuple[int, int, bool]],
) -> Extraction:
    """The Extraction of a document once every sentence has been read."""
    claims = _merge(found)
    for claim in claims:
        if claim.kind in VICTIM_KINDS:
            people.add_role(claim.subject, "victim")
    relations: list[RelationProposal] = []
    for ref, person in people.persons.items():
        if person.anchor is None or person.relation is None or person.anchor not in people.persons:
            continue
        first = person.proposal.evidence[0] if person.proposal.evidence else Evidence(0, 0, "")
        s, e, via_pronoun = relation_evidence.get(ref, (first.start, first.end, True))
        evidence = Evidence(s, e, document.text[s:e])
        relations.append(
            RelationProposal(
                ref,
                person.relation,
                person.anchor,
                evidence,
                0.8 if via_pronoun else 0.9,
                "relation.possessive",
            )
        )
        if not person.proposal.roles:
            person.proposal.roles.append("relative")
        if person.gender:
            person.proposal.attributes.setdefault("gender", person.gender)
    renumber = {ref: f"p{index}" for index, ref in enumerate(people.persons, start=1)}
    persons: list[PersonProposal] = []
    for ref, person in people.persons.items():
        proposal = person.proposal
        proposal.ref = renumber[ref]
        if proposal.description:
            proposal.description = _renumber_text(proposal.description, renumber)
        persons.append(proposal)
    for relation in relations:
        relation.source, relation.target = renumber[relation.source], renumber[relation.target]
    kept = [c for c in claims if c.subject in renumber]
    for claim in kept:
        claim.subject = renumber[claim.subject]
    language = document.language or "en"
    return Extraction(document.title, document.date, language, persons, relations, kept)


def _renumber_text(description: str, renumber: dict[str, str]) -> str:
    return re.sub(r"\bp\d+\b", lambda m: renumber.get(m.group(), m.group()), description)


def _key(claim: ClaimProposal) -> tuple[str, str, str]:
    value = claim.value
    if claim.kind == "sentenced":
        detail = (
            f"{value.get('years')}/{value.get('months')}/{value.get('life')}/{value.get('death')}"
        )
    elif claim.kind == "fled":
        detail = str(value.get("destination"))
    elif claim.kind in ("profession", "resident_of"):
        detail = str(value.get("text", "")).lower()
    else:
        detail = ""
    return claim.subject, claim.kind, detail


def _merge(claims: list[ClaimProposal]) -> list[ClaimProposal]:
    """The same claim read in several sentences is proposed once (the fullest reading);
    a sentence of unknown length or a flight without a destination gives way to a fuller
    one about the same person."""
    valued = {
        (c.subject, c.kind) for c in claims if c.kind in ("sentenced", "fled") and _rank(c)[0]
    }
    kept: list[ClaimProposal] = []
    for claim in claims:
        if (
            claim.kind in ("sentenced", "fled")
            and not _rank(claim)[0]
            and (claim.subject, claim.kind) in valued
        ):
            fuller = [
                c
                for c in claims
                if (c.subject, c.kind) == (claim.subject, claim.kind) and _rank(c)[0]
            ]
            if len(fuller) == 1:  # "had been sentenced in 2018" dates "given 15 years"
                _fill(fuller[0], claim)
            continue
        twin = next(
            (k for k in kept if _key(k) == _key(claim) and _same_date(k.date, claim.date)),
            None,
        )
        if twin is None:
            kept.append(claim)
            continue
        if _rank(claim)[:2] > _rank(twin)[:2]:
            kept[kept.index(twin)] = claim
            _fill(claim, twin)
        else:
            _fill(twin, claim)
    return kept


def _same_date(a: str | None, b: str | None) -> bool:
    """Unknown, equal, or one the more precise form of the other (2017, 2017-22)."""
    return not a or not b or a == b or a.startswith(b + "-") or b.startswith(a + "-")


def _fill(claim: ClaimProposal, other: ClaimProposal) -> None:
    """What ``claim`` lacks (date, place, reason) taken from another reading of it; a
    more precise form of its date too."""
    if not claim.date or (other.date and other.date.startswith(claim.date + "-")):
        claim.date = other.date
    if claim.place is None and claim.place_text is None:
        claim.place, claim.place_text = other.place, other.place_text
    claim.reason = claim.reason or other.reason
