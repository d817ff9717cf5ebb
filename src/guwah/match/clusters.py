"""Clusters from linked pairs: connected components that never join what must stay apart.

Links are added strongest first (a spanning forest, as in Kruskal's algorithm). A link
is refused when the cluster it would make breaks a rule that holds for pairs, now for
the whole cluster (a chain of links must not do what one link may not):

* two records with different valid ID numbers;
* two records a person judged different;
* birth years more than ``YEAR_SPAN`` apart, or both genders, except through a link
  of the same ID number (the number is stronger evidence than a typed year).

Of the links that would chain such records together, the weakest are the ones refused.
Pairs a person confirmed are joined before anything else and cannot be refused;
confirmations that contradict a rejection are an error in the judgements.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from guwah.model.errors import InvalidInput

YEAR_SPAN = 2
_GENDER_BITS = {"male": 1, "female": 2}
JUDGED_DIFFERENT = "would join records a person judged different"


@dataclass(frozen=True, slots=True)
class Edge:
    a: int  # row numbers
    b: int
    strength: float  # higher joins first
    same_id: bool = False  # a link by the same ID number: years and genders may differ


class Components:
    """Union-find over row numbers, with what each component holds."""

    def __init__(
        self,
        size: int,
        *,
        id_keys: Sequence[str | None],
        years: Sequence[int | None],
        genders: Sequence[str | None],
        cannot: dict[int, set[int]],
    ) -> None:
        self.parent = array("q", range(size))
        self.ids: dict[int, set[str]] = {
            row: {key} for row, key in enumerate(id_keys) if key is not None
        }
        self.low = array("h", (year or 0 for year in years))  # 0: unknown
        self.high = array("h", self.low)
        self.genders = array("b", (_GENDER_BITS.get(g or "", 0) for g in genders))
        self.cannot = cannot
        # the members of each component that have a rejection, to check merges quickly
        self.watched: dict[int, list[int]] = {row: [row] for row in cannot}

    def find(self, row: int) -> int:
        parent = self.parent
        root = row
        while parent[root] != root:
            root = parent[root]
        while parent[row] != root:
            parent[row], row = root, parent[row]
        return root

    def conflict(self, a: int, b: int, same_id: bool = False) -> str | None:
        """Why components ``a`` and ``b`` (roots) may not be joined, or None."""
        ids_a, ids_b = self.ids.get(a), self.ids.get(b)
        if ids_a and ids_b and not ids_a & ids_b:
            return "would join records with different Chinese ID numbers"
        if not same_id:
            lows = [y for y in (self.low[a], self.low[b]) if y]
            highs = [y for y in (self.high[a], self.high[b]) if y]
            if lows and max(highs) - min(lows) > YEAR_SPAN:
                return f"would join records born more than {YEAR_SPAN} years apart"
            if self.genders[a] | self.genders[b] == 3:
                return "would join records of both genders"
        return JUDGED_DIFFERENT if self.rejected(a, b) else None

    def rejected(self, a: int, b: int) -> bool:
        """Whether a person judged a record of component ``a`` and one of ``b`` different."""
        watched_a, watched_b = self.watched.get(a, []), self.watched.get(b, [])
        small, other = (watched_a, b) if len(watched_a) <= len(watched_b) else (watched_b, a)
        return any(self.find(x) == other for row in small for x in self.cannot[row])

    def union(self, a: int, b: int) -> None:
        """Join the components of roots ``a`` and ``b``."""
        if a == b:
            return
        self.parent[b] = a
        if b in self.ids:
            self.ids.setdefault(a, set()).update(self.ids.pop(b))
        if b in self.watched:
            self.watched.setdefault(a, []).extend(self.watched.pop(b))
        lows = [y for y in (self.low[a], self.low[b]) if y]
        highs = [y for y in (self.high[a], self.high[b]) if y]
        if lows:
            self.low[a], self.high[a] = min(lows), max(highs)
        self.genders[a] |= self.genders[b]

    def groups(self) -> list[list[int]]:
        """Every row in exactly one group; groups in the order of their first row."""
        found: dict[int, list[int]] = {}
        for row in range(len(self.parent)):
            found.setdefault(self.find(row), []).append(row)
        return list(found.values())


def cluster(
    size: int,
    edges: Iterable[Edge],
    *,
    id_keys: Sequence[str | None],
    years: Sequence[int | None],
    genders: Sequence[str | None],
    must: Iterable[tuple[int, int]],
    cannot: Iterable[tuple[int, int]],
) -> tuple[Components, list[tuple[Edge, str]]]:
    """The components, and the edges refused with the reason."""
    rejected: dict[int, set[int]] = {}
    for a, b in cannot:
        rejected.setdefault(a, set()).add(b)
        rejected.setdefault(b, set()).add(a)
    components = Components(size, id_keys=id_keys, years=years, genders=genders, cannot=rejected)
    for a, b in must:
        ra, rb = components.find(a), components.find(b)
        if ra != rb and components.rejected(ra, rb):
            raise InvalidInput(
                "the judgements contradict each other: confirmed pairs join records "
                "that were judged different"
            )
        components.union(ra, rb)
    refused: list[tuple[Edge, str]] = []
    for edge in sorted(edges, key=lambda e: -e.strength):
        ra, rb = components.find(edge.a), components.find(edge.b)
        if ra == rb:
            continue
        why = components.conflict(ra, rb, edge.same_id)
        if why is None:
            components.union(ra, rb)
        else:
            refused.append((edge, why))
    return components, refused
