"""What the API answers and accepts, as Pydantic models: the OpenAPI document is made from
them, and every answer is checked against them before it leaves (a mismatch is a bug,
never a half-valid answer).

The documents are those the services build (``services.person_json`` for a person, the
same as ``guwah show --json``); nothing here decides what is shown.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

# No NUL in text sent to the archive (PostgreSQL cannot store it, and no name has one).
NO_NUL = r"^[^\x00]*$"
PERSON_ID = r"^[Pp]-[0-9]{1,9}$"
SOURCE_ID = r"^[Ss]-[0-9]{1,9}$"
PROPOSAL_ID = r"^[Xx]-[0-9]{1,9}$"
MAX_ID = 2_147_483_647  # review items are numbered by the database (32-bit everywhere)

Text = Annotated[str, Field(max_length=2000, pattern=NO_NUL)]
Short = Annotated[str, Field(max_length=200, pattern=NO_NUL)]
PersonId = Annotated[str, Field(pattern=PERSON_ID, examples=["P-000001"])]
Scalar = Short | int | float | bool | None
Key = Annotated[str, Field(max_length=50, pattern=NO_NUL)]
Group = Annotated[list[PersonId], Field(max_length=100)]


class Out(BaseModel):
    """An answer: fields a service adds later are left out until they are described here."""


class ApiError(Out):
    """Every refusal: one line saying what was wrong (nothing was changed)."""

    error: str


# --- people ------------------------------------------------------------------------------


class PersonRow(Out):
    id: str
    name: str | None
    status: str | None
    ethnicity: str | None
    birth_year: int | None
    place: str | None = Field(description="gazetteer code of the home (or detention) place")
    detained_year: int | None
    sentence_months: int | None = None
    sources: int | None


class PersonPage(Out):
    """One page of people; a page may hold fewer than ``limit`` people (those the role may
    not see are left out), so ask for ``offset + limit`` next until a page is empty."""

    items: list[PersonRow]
    limit: int
    offset: int


class NameOut(Out):
    text: str
    script: str
    lang: str | None
    kind: str
    source: str | None


class ViewValue(Out):
    value: str
    claims: list[str]
    sources: list[str]
    corroboration: int


class ViewField(ViewValue):
    conflicting: list[ViewValue]


class ViewOut(Out):
    best_name: str
    status: str
    fields: dict[str, ViewField]


class ClaimOut(Out):
    id: str
    kind: str
    value: dict[str, Any]
    date: str | None
    place: str | None
    quote: str | None
    status: str
    source: str
    supersedes: str | None
    recorded_by: str | None
    recorded_at: str | None


class RelatedBy(Out):
    id: str
    person: str
    relation: str | None


class SourceBrief(Out):
    kind: str
    title: str
    date: str | None
    testifier: str | None
    sensitivity: str


class CaseActionOut(Out):
    kind: str
    date: str | None
    description: str
    done: bool


class CaseOut(Out):
    id: str
    status: str
    owner: str | None
    next_steps: str | None
    actions: list[CaseActionOut]


class PersonDocument(Out):
    """A person as ``guwah show --json`` prints them, cut to what the role may see."""

    id: str
    merged: list[str]
    asked_for: str | None
    kinds: list[str]
    sensitivity: str
    names: list[NameOut]
    external_refs: list[str]
    view: ViewOut
    claims: list[ClaimOut]
    related_by_others: list[RelatedBy]
    sources: dict[str, SourceBrief]
    cases: list[CaseOut]


class ClaimList(Out):
    person: str
    claims: list[ClaimOut]


# --- sources -----------------------------------------------------------------------------


class SubjectOut(Out):
    person: str
    relation: str | None


class SourceClaim(ClaimOut):
    person: str


class SourcePerson(Out):
    id: str
    name: str | None
    kinds: list[str]


class SourceDocument(Out):
    """A source as the role may see it: the testifier only with consent below the
    restricted level, free text with ID and phone numbers masked."""

    id: str
    kind: str
    title: str
    date: str | None
    language: str | None
    url: str | None
    archive_ref: str | None
    testifier: str | None
    subjects: list[SubjectOut]
    original_text: str | None
    reliability: str | None
    sensitivity: str
    list_name: str | None
    people: list[SourcePerson]
    claims: list[SourceClaim]
    more_claims: bool = Field(description="the source holds more claims than listed")


# --- matching ----------------------------------------------------------------------------


class Candidate(Out):
    id: str
    score: float
    name_score: float
    name: str
    matched_name: str
    birth_year: int | None
    gender: str | None
    place: str | None
    status: str | None
    reasons: list[str] = Field(description="why the candidate matched, in words")


class Matches(Out):
    candidates: list[Candidate]


# --- review ------------------------------------------------------------------------------


class NameText(Out):
    text: str
    script: str


class ReviewPerson(Out):
    id: str
    name: str | None
    names: list[str]
    forms: list[NameText] = Field(default=[], description="the names with their scripts")
    birth_year: int | None
    status: str | None
    place: str | None
    sources: int | None


class ReviewItem(Out):
    item: int
    status: str
    probability: float
    people: list[ReviewPerson]
    pairs: list[Any]
    groups: list[list[str]] = Field(default=[], description="a split item's groups")
    decided_by: str | None
    decided_at: str | None


class ReviewItems(Out):
    items: list[ReviewItem]


class ReviewOutcome(Out):
    item: int
    status: str
    people: list[str]
    decided_by: str | None
    decided_at: str | None


class DuplicateDecision(BaseModel):
    """Options of a decision: ``keep`` (merge: the record kept; default the oldest),
    ``groups`` (split: every person of the item in exactly one group), ``note``."""

    model_config = ConfigDict(extra="forbid")

    note: Text | None = None
    keep: PersonId | None = None
    groups: Annotated[
        list[Annotated[list[PersonId], Field(max_length=100)]], Field(max_length=100)
    ] = []


class Proposal(Out):
    id: str
    source: str
    source_title: str | None
    kind: str
    status: str
    ref: str | None
    payload: dict[str, Any]
    confidence: float | None
    rule: str | None
    evidence: dict[str, Any] | None
    passage: dict[str, Any] | None
    summary: str
    subject: dict[str, Any] | None = None
    target: dict[str, Any] | None = None
    decided_by: str | None
    decided_at: str | None
    note: str | None
    person: str | None
    claim: str | None
    history: list[Any]


class Proposals(Out):
    items: list[Proposal]


class ProposalDecision(Out):
    proposal: str
    status: str
    message: str
    person: str | None
    claim: str | None
    created: bool
    candidates: list[dict[str, Any]]
    notes: list[str]


class RejectProposal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Text | None = None


class AcceptProposal(BaseModel):
    """A person proposal: ``person`` (someone in the archive) or ``new``; neither gives the
    candidates to choose from. A claim: optional ``value``, ``date``, ``place`` overrides."""

    model_config = ConfigDict(extra="forbid")

    person: PersonId | None = None
    new: bool = False
    names: Annotated[list[Short], Field(max_length=20)] = []
    attributes: bool = True
    value: (
        Annotated[
            dict[Annotated[str, Field(max_length=50, pattern=NO_NUL)], Scalar], Field(max_length=20)
        ]
        | None
    ) = None
    date: Short | None = None
    place: Short | None = None
    note: Text | None = None
