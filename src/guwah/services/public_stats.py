"""The victims the public level shows, and the statistics drawn from them.

The public site's list, its statistics and the static copy written by ``guwah publish``
all start here, so they can never disagree. A victim counts when their record is public
and their identity may be published (``access.visible_people`` at the public level: a
public non-testimony source names them, or a testifier consented). Counts are made over
those victims only, whoever asks: a public chart must not reveal, even as a number, what
the public level withholds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from guwah.model.records import format_id
from guwah.model.vocab import ClaimKind, ClaimStatus, Sensitivity
from guwah.secure.policy import RESTRICTED_KINDS, Action
from guwah.services import access
from guwah.services.access import check
from guwah.services.archive import Archive
from guwah.store import matching, tables

CHUNK = 1000
LIFE = 1200  # sentence_months of a life (or death) sentence
# Sentence lengths in years: (label, lowest months, highest months); life apart.
SENTENCE_BINS: tuple[tuple[str, int, int], ...] = (
    ("under 5", 0, 59),
    ("5–9", 60, 119),
    ("10–14", 120, 179),
    ("15–19", 180, 239),
    ("20 or more", 240, LIFE - 1),
    ("life or death", LIFE, 10**6),
)
MOST_SOURCES = 5  # "5 or more" sources is the last bar
# Claims a public page does not cite: relations (they name other people), ID numbers.
_NOT_CITED = tuple(k.value for k in (ClaimKind.RELATION, *RESTRICTED_KINDS))


@dataclass(frozen=True)
class PublicVictim:
    """One victim as the public list shows them (derived summary, public sources)."""

    id: str
    name: str
    status: str
    ethnicity: str | None
    birth_year: int | None
    place_code: str | None
    prefecture_code: str | None
    detained_year: int | None
    sentence_months: int | None
    sources: int  # public sources cited by the accepted claims shown on their page


@dataclass
class PublicStats:
    victims: int
    by_status: dict[str, int] = field(default_factory=dict)  # most first
    by_ethnicity: dict[str, int] = field(default_factory=dict)  # most first; "unknown"
    by_prefecture: dict[str, int] = field(default_factory=dict)  # gazetteer code → count
    unknown_prefecture: int = 0
    by_year: dict[int, int] = field(default_factory=dict)  # year of detention, ascending
    unknown_year: int = 0
    sentences: dict[str, int] = field(default_factory=dict)  # SENTENCE_BINS order
    no_sentence: int = 0
    sources_per_entry: dict[str, int] = field(default_factory=dict)  # "1".."5+"


def public_victims(archive: Archive) -> list[PublicVictim]:
    """Every victim the public level shows, in record order (a few queries per thousand)."""
    check(archive, Action.STATS)
    summary = tables.person_summary
    query = (
        select(summary)
        .where(
            summary.c.is_victim.is_(True),
            summary.c.sensitivity == Sensitivity.PUBLIC.value,
        )
        .order_by(summary.c.person_id)
    )
    found: list[PublicVictim] = []
    with archive.engine.connect() as conn:
        rows = list(conn.execute(query))
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            numbers = [row.person_id for row in chunk]
            shown = access.visible_people(conn, archive, numbers, Sensitivity.PUBLIC)
            counts = _public_sources(conn, archive, [n for n in numbers if n in shown])
            found += [
                PublicVictim(
                    id=format_id("person", row.person_id),
                    name=row.display_name,
                    status=row.status,
                    ethnicity=row.ethnicity,
                    birth_year=row.birth_year,
                    place_code=row.place_code,
                    prefecture_code=row.prefecture_code,
                    detained_year=row.detained_year,
                    sentence_months=row.sentence_months,
                    sources=counts.get(row.person_id, 0),
                )
                for row in chunk
                if row.person_id in shown
            ]
    return found


def _public_sources(conn: Connection, archive: Archive, people: Sequence[int]) -> dict[int, int]:
    """For each person: the public sources of the accepted claims their page cites (theirs
    and those of the visible people merged into them)."""
    if not people:
        return {}
    groups = matching.members(conn, people)
    merged = sorted({m for ms in groups.values() for m in ms})
    visible = access.visible_people(conn, archive, merged, Sensitivity.PUBLIC) if merged else set()
    owner = {p: p for p in people}
    owner.update({m: kept for kept, ms in groups.items() for m in ms if m in visible})
    claims, sources = tables.claims, tables.sources
    public = select(sources.c.id).where(sources.c.sensitivity == Sensitivity.PUBLIC.value)
    query = (
        select(claims.c.person_id, claims.c.source_id)
        .where(
            claims.c.person_id.in_(sorted(owner)),
            claims.c.status == ClaimStatus.ACCEPTED.value,
            claims.c.kind.not_in(_NOT_CITED),
            claims.c.source_id.in_(public),
        )
        .distinct()
    )
    cited: dict[int, set[int]] = defaultdict(set)
    for row in conn.execute(query):
        cited[owner[row.person_id]].add(row.source_id)
    return {person: len(found) for person, found in cited.items()}


def public_statistics(victims: Iterable[PublicVictim]) -> PublicStats:
    """Counts over the victims the public level shows (from ``public_victims``)."""
    people = list(victims)
    stats = PublicStats(victims=len(people))
    stats.by_status = _most_first(Counter(v.status for v in people))
    stats.by_ethnicity = _most_first(Counter(v.ethnicity or "unknown" for v in people))
    places = Counter(v.prefecture_code for v in people if v.prefecture_code)
    stats.by_prefecture = _most_first(places)
    stats.unknown_prefecture = sum(1 for v in people if not v.prefecture_code)
    years = Counter(v.detained_year for v in people if v.detained_year is not None)
    stats.by_year = dict(sorted(years.items()))
    stats.unknown_year = sum(1 for v in people if v.detained_year is None)
    stats.sentences = {label: 0 for label, _low, _high in SENTENCE_BINS}
    for victim in people:
        months = victim.sentence_months
        if months is None:
            stats.no_sentence += 1
            continue
        label = next(label for label, low, high in SENTENCE_BINS if low <= months <= high)
        stats.sentences[label] += 1
    bars = {str(n): 0 for n in range(MOST_SOURCES)} | {f"{MOST_SOURCES}+": 0}
    for victim in people:
        bars[str(victim.sources) if victim.sources < MOST_SOURCES else f"{MOST_SOURCES}+"] += 1
    if not bars["0"]:  # a victim without a public source to cite is rare: no empty bar
        del bars["0"]
    stats.sources_per_entry = bars
    return stats


def _most_first(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
