"""A person's current view, derived from their accepted claims.

Nothing here is stored by hand: the view is computed from the claims, and every value
it shows carries the claims that support it, the claims that disagree, and how many
independent origins say it (distinct testifiers; a source without a testifier is its
own origin). Conflicting values are kept side by side, never overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from guwah.model.claimvalues import describe_value, sentence_months
from guwah.model.dates import DateRange, parse_date
from guwah.model.records import Claim, NameForm, Source
from guwah.model.vocab import (
    ATTRIBUTE_KINDS,
    STATUS_OF_EVENT,
    ClaimKind,
    ClaimStatus,
    NameKind,
    Script,
    VictimStatus,
)


@dataclass
class ViewValue:
    """One value of a field, with the claims behind it."""

    text: str
    claims: list[Claim]
    corroboration: int

    @property
    def claim_ids(self) -> list[str]:
        return [c.id for c in self.claims]

    @property
    def source_ids(self) -> list[str]:
        return sorted({c.source_id for c in self.claims})


@dataclass
class ViewField:
    """The best-supported value of a field and the values that conflict with it."""

    name: str
    best: ViewValue
    conflicting: list[ViewValue] = field(default_factory=list)


@dataclass
class CurrentView:
    best_name: str
    status: VictimStatus
    fields: dict[str, ViewField]
    sentence_months: int | None
    detained_year: int | None


def best_name(names: Iterable[NameForm]) -> str:
    """Prefer a full Latin name, then any full name, then any name."""
    ordered = list(names)
    for name in ordered:
        if name.kind is NameKind.FULL and name.script is Script.LATIN:
            return name.text
    for name in ordered:
        if name.kind is NameKind.FULL:
            return name.text
    return ordered[0].text if ordered else "(unnamed)"


Testifiers = Mapping[str, "str | None"]


def testifiers_of(sources: Iterable[Source]) -> dict[str, str | None]:
    """Source id -> its testifier's person id (what independence is judged by)."""
    return {s.id: s.testifier_id for s in sources}


def origin_of(claim: Claim, testifiers: Testifiers) -> str:
    testifier = testifiers.get(claim.source_id)
    if testifier:
        return "testifier:" + testifier
    return "source:" + claim.source_id


def derive_view(
    names: Iterable[NameForm], claims: Iterable[Claim], sources: Testifiers
) -> CurrentView:
    accepted = [c for c in claims if c.status is ClaimStatus.ACCEPTED]
    by_kind: dict[ClaimKind, list[Claim]] = {}
    for claim in accepted:
        by_kind.setdefault(claim.kind, []).append(claim)
    fields: dict[str, ViewField] = {}
    for kind in ATTRIBUTE_KINDS:
        found = _field(kind.value, by_kind.get(kind, []), sources, _attr_key)
        if found:
            fields[kind.value] = found
    status_field = _status_field(accepted, sources)
    if status_field:
        fields["status"] = status_field
    detentions = by_kind.get(ClaimKind.DETAINED, [])
    latest = _latest(detentions)
    if latest is not None:
        fields["latest_detention"] = _field(
            "latest_detention", detentions, sources, _event_key, prefer=latest
        ) or ViewField("latest_detention", ViewValue(_event_key(latest), [latest], 1))
    sentences = by_kind.get(ClaimKind.SENTENCED, [])
    sentence = _field("sentence", sentences, sources, _sentence_key)
    if sentence:
        fields["sentence"] = sentence
    status = (
        VictimStatus(fields["status"].best.text) if "status" in fields else VictimStatus.UNKNOWN
    )
    months = sentence_months(sentence.best.claims[0].value) if sentence else None
    detained_year = _year(latest) if latest is not None else None
    return CurrentView(best_name(names), status, fields, months, detained_year)


def _attr_key(claim: Claim) -> str:
    if claim.kind is ClaimKind.BORN:
        return claim.date or describe_value(claim.kind, claim.value)
    if claim.kind is ClaimKind.RESIDENT_OF:
        return claim.place_code or claim.place_text or describe_value(claim.kind, claim.value)
    return describe_value(claim.kind, claim.value)


def _event_key(claim: Claim) -> str:
    where = claim.place_code or claim.place_text or ""
    parts = [claim.date or "date unknown", where, describe_value(claim.kind, claim.value)]
    return ", ".join(p for p in parts if p)


def _sentence_key(claim: Claim) -> str:
    """What sources must say alike to agree: the same term, or life, or death (a life
    sentence and a death sentence are conflicting accounts, not one)."""
    value = claim.value
    if value.get("death"):
        return "death (suspended)" if value.get("suspended") else "death"
    if value.get("life"):
        return "life"
    months = sentence_months(value)
    return describe_value(claim.kind, value) if months is None else _months_text(months)


def _months_text(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years} years {rest} months" if rest else f"{years} years"


def _field(
    name: str,
    claims: list[Claim],
    sources: Testifiers,
    key: object,
    prefer: Claim | None = None,
) -> ViewField | None:
    if not claims:
        return None
    keyfn = key if callable(key) else _attr_key
    if len(claims) == 1:  # most fields of most people: one claim, one origin
        return ViewField(name, ViewValue(str(keyfn(claims[0])), [claims[0]], 1))
    groups: dict[str, list[Claim]] = {}
    for claim in claims:
        groups.setdefault(str(keyfn(claim)), []).append(claim)
    values = [
        ViewValue(text, group, len({origin_of(c, sources) for c in group}))
        for text, group in groups.items()
    ]
    values.sort(key=lambda v: (-v.corroboration, -len(v.claims), v.text))
    if prefer is not None:
        values.sort(key=lambda v: 0 if prefer in v.claims else 1)
    return ViewField(name, values[0], values[1:])


# Where events stand in the course of a detention: an undated event of a later stage
# (a sentence, a release) must have come after a dated event of an earlier one.
_STAGE = {
    ClaimKind.DETAINED: 1,
    ClaimKind.TRANSFERRED: 1,
    ClaimKind.DISAPPEARED: 1,
    ClaimKind.SENTENCED: 2,
    ClaimKind.FORCED_LABOUR: 2,
    ClaimKind.RELEASED: 3,
    ClaimKind.SURVEILLED: 3,
    ClaimKind.FLED: 4,
    ClaimKind.DIED: 5,
}


def _current_event(events: list[Claim]) -> Claim | None:
    """The event that decides the status: the latest dated one, unless an undated event
    belongs to a later stage (a sentence given without a date, after a dated detention)."""
    dated = [c for c in events if c.date]
    undated = [c for c in events if not c.date]
    current = _latest(dated)
    later = [
        c for c in undated if current is None or _STAGE.get(c.kind, 0) > _STAGE.get(current.kind, 0)
    ]
    if later:
        current = max(later, key=lambda c: (_STAGE.get(c.kind, 0), c.id))
    return current


def _status_field(accepted: list[Claim], sources: Testifiers) -> ViewField | None:
    events = [c for c in accepted if c.kind in STATUS_OF_EVENT]
    if not events:
        return None
    latest = _current_event(events)
    groups: dict[str, list[Claim]] = {}
    for claim in events:
        groups.setdefault(STATUS_OF_EVENT[claim.kind].value, []).append(claim)
    values = [
        ViewValue(text, group, len({origin_of(c, sources) for c in group}))
        for text, group in groups.items()
    ]
    values.sort(key=lambda v: (0 if latest in v.claims else 1, -v.corroboration, v.text))
    # Another status conflicts only if some claim of it is not earlier than the current
    # event: a detention before the sentence is the story, not a contradiction.
    conflicting = [
        v for v in values[1:] if any(_not_earlier(c, values[0].claims) for c in v.claims)
    ]
    return ViewField("status", values[0], conflicting)


def _not_earlier(claim: Claim, current: list[Claim]) -> bool:
    """Whether an event may have happened at or after every claim of the current status."""
    mine = _range(claim)
    for other in current:
        theirs = _range(other)
        if mine is not None and theirs is not None:
            if mine.upper < theirs.lower:
                return False
        elif _STAGE.get(claim.kind, 0) < _STAGE.get(other.kind, 0):
            return False
    return True


def _range(claim: Claim) -> DateRange | None:
    if not claim.date:
        return None
    return parse_date(claim.date)


def _latest(claims: list[Claim]) -> Claim | None:
    """The claim whose event is latest; undated events count as oldest."""
    if not claims:
        return None

    def order(claim: Claim) -> tuple[str, str]:
        rng = _range(claim)
        recorded = claim.recorded_at.isoformat() if claim.recorded_at else ""
        return (rng.sort_key if rng else "", recorded)

    return max(claims, key=order)


def _year(claim: Claim) -> int | None:
    rng = _range(claim)
    return rng.year_max if rng and rng.year_min == rng.year_max else (rng.year_min if rng else None)
