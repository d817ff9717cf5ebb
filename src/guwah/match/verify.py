"""Verification: Splink's evidence on the facts, our name comparison on the names.

Splink scores names with SQL string distances on one form per record; across scripts
(a Latin form against Chinese characters, a Kazakh ``-қызы`` ending) those
distances say little, while :func:`guwah.names.compare` reads every form. So the
decision takes Splink's match weight *without its two name comparisons* (the prior, the
birth year, gender, place and ID number: ``facts``) and adds the weight of the names as
``compare`` sees them, on the best pair of name forms:

    weight = facts + log2(m / u)

``m`` is the share of one person's record pairs whose names agree that well (``M_SAME``
for a score of at least ``SAME_NAME``, ``M_CLOSE`` from ``MATCH_THRESHOLD``, only
``M_REVERSED`` when the given names agree only with the order reversed); ``u`` is
the chance that two records of different people do: ``U_SAME`` or ``U_CLOSE`` times
the share of records whose given + second name has the same consonant skeletons
(``name_skel``; the more common of the two records', counted over the whole input;
counted as a pair, since given and father's names go together by people: Nurlan with
Baqytzhan, Jianguo with Ma). A record with a given name alone gets ``M_SOLO`` over the
share of its given name's block key. Shares leave the pair's own two records out and
are smoothed towards ``NAME_SHARE`` / ``GIVEN_SHARE``, so that a list of ten rows,
where one person's three rows make their name look common, still counts.

Facts are not independent of names: a Uyghur name comes with southern counties, and in
a million records a common name has namesakes born the same year in the same county.
So an equal birth year or an equal place is weighed by how many of the *name's* other
records share it (``m / share``), smoothed towards Splink's u over all records with a
prior worth ``PSEUDO`` agreements: for a rare name this is Splink's weight, for Muhammad
Abdurehim it is much less.

Only pairs whose best possible weight (their names agreeing fully) could reach the
threshold are read into Python at all; the rest cannot link whatever the names say.
Names are compared once per pair of name strings (cached), with word weights counted
over the input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from guwah.match.blocking import RULES
from guwah.match.features import FeatureBuilder
from guwah.match.model import exact_level
from guwah.names import MATCH_THRESHOLD, compare, parse

SAME_NAME = 0.95
M_SAME, U_SAME = 0.75, 0.5
M_CLOSE, U_CLOSE = 0.2, 1.0
M_REVERSED = 0.03  # one person's records rarely swap given and father's name
M_SOLO = 0.9
ID_NAME_FLOOR = 0.3  # the same ID number with names scoring below this is flagged
SOLO_NAME = 0.9
SOLO_PROBABILITY = 0.99
# Before counting: a full name (given + second) is shared by about 1 record in 2,000,
# a given name by 1 in 50 (the fixed u of the exact levels of the model).
NAME_SHARE, GIVEN_SHARE = 0.0006, 0.02
NAME_PSEUDO = 1.0  # records with the name the prior share is worth
PSEUDO = 5.0  # agreements the overall year and place shares are worth in a name's own

_FACTS = ("birth year", "gender", "place")


def logit(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return math.log2(p / (1 - p))


def probability(weight: float) -> float:
    if weight > 60:
        return 1.0
    odds = math.pow(2.0, weight)
    return odds / (1 + odds)


def _share(count: str, records: float, prior: float) -> str:
    """The share of records with a name, the pair's own two left out, smoothed towards
    ``prior`` (a Beta prior worth NAME_PSEUDO records with the name): a list of ten
    says little."""
    share = f"(greatest({count}, 2) - 2 + {NAME_PSEUDO}) / ({records - 2 + NAME_PSEUDO / prior})"
    return f"CAST({share} AS DOUBLE)"


def verify_sql(
    predictions: str, records: int, frequencies: bool, threshold: float, model: dict[str, Any]
) -> str:
    """The scored pairs worth verifying, with what the decision needs."""
    tf = " + coalesce(p.mw_tf_adj_given, 0) + coalesce(p.mw_tf_adj_second, 0)"
    names = "coalesce(p.mw_given, 0) + coalesce(p.mw_second, 0)" + (tf if frequencies else "")
    n = float(records)
    bar = logit(threshold)
    solo_bar = logit(max(threshold, SOLO_PROBABILITY))
    year_m, year_u = exact_level(model, "birth_year")
    place_m, place_u = exact_level(model, "place")

    # the share of a name's other records born the same year / living in the same place,
    # smoothed towards the share among all records: a Beta prior worth PSEUDO agreements
    def share(count: str, u: float) -> str:
        others = f"(greatest(a.pn, b.pn, 2) - 2 + {PSEUDO / u})"
        return f"((greatest({count}, 2) - 2 + {PSEUDO}) / {others})"

    year_share = share("a.yn, b.yn", year_u)
    place_share = share("a.qn, b.qn", place_u)
    return f"""
WITH gc AS (
    SELECT given_block, count(*) AS n FROM records
    WHERE given_block IS NOT NULL GROUP BY given_block
),
pc AS (
    SELECT name_skel, count(*) AS n FROM records WHERE name_skel IS NOT NULL GROUP BY name_skel
),
yc AS (
    SELECT name_skel, birth_year, count(*) AS n FROM records
    WHERE name_skel IS NOT NULL AND birth_year IS NOT NULL GROUP BY name_skel, birth_year
),
qc AS (
    SELECT name_skel, place_key, count(*) AS n FROM records
    WHERE name_skel IS NOT NULL AND place_key IS NOT NULL GROUP BY name_skel, place_key
),
f AS (
    SELECT r.rid, r.id_key, r.birth_year, r.gender, r.place_key, r.nparts,
           coalesce(gc.n, 1) AS gn, coalesce(pc.n, 1) AS pn,
           coalesce(yc.n, 1) AS yn, coalesce(qc.n, 1) AS qn
    FROM records AS r
    LEFT JOIN gc ON gc.given_block = r.given_block
    LEFT JOIN pc ON pc.name_skel = r.name_skel
    LEFT JOIN yc ON yc.name_skel = r.name_skel AND yc.birth_year = r.birth_year
    LEFT JOIN qc ON qc.name_skel = r.name_skel AND qc.place_key = r.place_key
),
s AS (
    SELECT p.rid_l, p.rid_r, p.match_weight, p.match_key,
           p.match_weight - ({names})
             - coalesce(p.mw_birth_year, 0) - coalesce(p.mw_place, 0) AS base,
           CASE WHEN a.birth_year = b.birth_year
                THEN log2({year_m} / {year_share})
                ELSE coalesce(p.mw_birth_year, 0) END AS year_w,
           CASE WHEN a.place_key = b.place_key
                THEN log2({place_m} / {place_share})
                ELSE coalesce(p.mw_place, 0) END AS place_w,
           p.mw_gender,
           a.id_key IS NOT NULL AND a.id_key = b.id_key AS same_id,
           a.birth_year IS NOT NULL AND a.birth_year = b.birth_year AS same_year,
           least(a.nparts, b.nparts) AS parts,
           {_share("greatest(a.gn, b.gn)", n, GIVEN_SHARE)} AS given_share,
           {_share("greatest(a.pn, b.pn)", n, NAME_SHARE)} AS name_share
    FROM {predictions} AS p
    JOIN f AS a ON a.rid = p.rid_l
    JOIN f AS b ON b.rid = p.rid_r
    WHERE NOT (a.id_key IS NOT NULL AND b.id_key IS NOT NULL AND a.id_key <> b.id_key)
      AND ((a.id_key IS NOT NULL AND a.id_key = b.id_key)
           OR ((a.birth_year IS NULL OR b.birth_year IS NULL
                OR abs(a.birth_year - b.birth_year) <= 2)
               AND (a.gender IS NULL OR b.gender IS NULL OR a.gender = b.gender)))
)
SELECT rid_l, rid_r, match_weight, match_key, base + year_w + place_w AS facts,
       year_w, mw_gender, place_w, same_id, same_year, parts, given_share, name_share
FROM s
WHERE same_id
   OR (parts >= 2 AND base + year_w + place_w + log2({M_SAME / U_SAME} / name_share) >= {bar})
   OR (parts = 1 AND same_year
       AND base + year_w + place_w + log2({M_SOLO} / given_share) >= {solo_bar})
"""


@dataclass(frozen=True, slots=True)
class Decision:
    left: int
    right: int
    linked: bool  # False: flagged for review
    probability: float
    name_score: float
    reason: str
    strength: float
    same_id: bool = False


class Verifier:
    """Decides the pairs Splink scored, comparing names with a cache."""

    def __init__(
        self, features: FeatureBuilder, threshold: float, cannot: set[frozenset[int]]
    ) -> None:
        self.names = features.names
        self.records = float(len(features.ids))
        self.weights: Mapping[str, float] | None = features.tf_weights()
        self.threshold = threshold
        self.cannot = cannot
        self.cache: dict[tuple[str, str], float] = {}
        self.seen = 0

    def score(self, a: str, b: str) -> float:
        if a == b:
            return 1.0
        key = (a, b) if a < b else (b, a)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = compare(key[0], key[1], self.weights).score
        return found

    def best(self, left: int, right: int) -> float:
        names = self.names
        return max((self.score(a, b) for a in names[left] for b in names[right]), default=0.0)

    def given_names_agree(self, left: int, right: int) -> bool:
        """Whether some form of each record has the same given name, first word to first
        word: names that agree only read in reverse (Ali Nurlan, Nurlan Ali) are a
        father and son as often as a list that put the father's name first."""
        for a in self.names[left]:
            first_a = parse(a).parts[:1]
            for b in self.names[right]:
                first_b = parse(b).parts[:1]
                if first_a and first_b and self.score(first_a[0].text, first_b[0].text) >= 0.8:
                    return True
        return False

    def given_alone(self, left: int, right: int) -> float:
        """The best score of a one-word name against the other record's given names."""
        best = 0.0
        for solo, other in ((left, right), (right, left)):
            for a in self.names[solo]:
                if len(parse(a).parts) != 1:
                    continue
                for b in self.names[other]:
                    parts = parse(b).parts
                    if parts:
                        best = max(best, self.score(a, parts[0].text))
        return best

    def decide(self, row: tuple[Any, ...]) -> Decision | None:
        left, right, weight, match_key, facts, *mw, same_id, same_year, parts, given, full = row
        self.seen += 1
        if self.cannot and frozenset((left, right)) in self.cannot:
            return None
        if same_id:
            name = self.best(left, right)
            p = probability(weight)
            if name < ID_NAME_FLOOR:
                why = f"same Chinese ID number but names disagree ({name:.2f})"
                return Decision(left, right, False, p, name, why, 0.0)
            why = f"same Chinese ID number; names {name:.2f}"
            return Decision(left, right, True, p, name, why, 2.0 + p, same_id=True)
        if parts >= 2:
            name = self.best(left, right)
            if name < MATCH_THRESHOLD:
                return None
            m, u = (M_SAME, U_SAME) if name >= SAME_NAME else (M_CLOSE, U_CLOSE)
            agree = "names agree"
            if not self.given_names_agree(left, right):
                m, agree = M_REVERSED, "names agree in reverse order"
            p = probability(facts + math.log2(m / (u * full)))
            if p < self.threshold:
                return None
            why = (
                f"{agree} ({name:.2f}; a name 1 in {1 / full:,.0f}){_facts(mw)}; "
                f"probability {p:.3f}"
                f" [{RULES[int(match_key)]}]"
            )
            return Decision(left, right, True, p, name, why, p + name / 10)
        alone = self.given_alone(left, right)
        p = probability(facts + math.log2(M_SOLO / given))
        if alone < SOLO_NAME or not same_year or p < max(self.threshold, SOLO_PROBABILITY):
            return None
        why = (
            f"given name alone agrees ({alone:.2f}; 1 in {1 / given:,.0f}), same birth year"
            f"{_facts(mw)}; probability {p:.3f}"
        )
        return Decision(left, right, True, p, self.best(left, right), why, p)


def _facts(weights: list[float | None]) -> str:
    said = [
        f"{label} {w:+.1f}"
        for label, w in zip(_FACTS, weights, strict=True)
        if w is not None and abs(w) >= 0.05
    ]
    return f"; {', '.join(said)}" if said else ""
