"""The Splink model of batch linkage: comparisons, fixed m and u, training, the prior.

Comparisons (each level's SQL runs the same on DuckDB and Spark: equality, ``levenshtein``
and ``abs`` only):

=============  ===============================================================
given name     same vowel-class fold (term-frequency adjusted: a common name says
               less) / same consonant skeleton / folds 1 letter apart / skeletons 1
               letter apart / else
second name    the same levels on the father's name
birth year     equal / 1 year apart / 2 years apart / else
gender         equal / else
place          same gazetteer place / one contains the other / same prefecture / else
ID number      equal / else
=============  ===============================================================

``FIXED`` holds the m and u probabilities used when the data cannot train them (a list
of a few hundred rows has too few pairs), and for any level that training leaves
unobserved or gets backwards (an agreement level less likely among matches than among
non-matches). They are judgements, written down here: m from how sources re-spell
one person (a given name written the same way in 8 of 10 records, a birth year off
by one in 1 of 8), u from how often two different people agree by chance.

With at least ``TRAIN_MIN_RECORDS`` records, u is estimated by random sampling and m
by expectation maximisation on two blocking rules (the same full reading and birth
year; the same ID number, when at least ``ID_MIN_PAIRS`` pairs share one), each on at
most ``EM_MAX_PAIRS`` pairs. Splink's warnings are collected, not printed; a failure
stops training and keeps what was estimated. The trained values are then checked
(:func:`checked`): levels training did not observe keep their fixed values, each
comparison's m and u are scaled to add up to 1 again, and a comparison whose trained
values run backwards gets its fixed values back. EM moves the prior towards its own
blocked pairs; the prior is kept as configured (:func:`prior`), from how many records
have another record of their person (:func:`duplicate_share`).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from guwah.match.features import TF_MIN_RECORDS

FIXED: dict[str, tuple[list[float], list[float]]] = {
    # comparison: (m per non-null level, u per non-null level), best level first
    "given": ([0.80, 0.07, 0.06, 0.04, 0.03], [0.02, 0.006, 0.012, 0.03, 0.932]),
    "second": ([0.78, 0.08, 0.06, 0.04, 0.04], [0.03, 0.008, 0.015, 0.03, 0.917]),
    "birth_year": ([0.80, 0.12, 0.03, 0.05], [0.03, 0.06, 0.06, 0.85]),
    "gender": ([0.98, 0.02], [0.52, 0.48]),
    "place": ([0.70, 0.10, 0.08, 0.12], [0.04, 0.03, 0.07, 0.86]),
    "id_number": ([0.98, 0.02], [1e-7, 1 - 1e-7]),
}
TRAIN_MIN_RECORDS = 5000
U_MAX_PAIRS = 2e6
EM_MAX_PAIRS = 1e6
# The prior: how many records have another record of their person. Estimated from the
# ID numbers when enough records carry one, within these bounds; else the default.
DUPLICATE_SHARE = 0.1
SHARE_BOUNDS = (0.05, 1.0)
ID_MIN_RECORDS, ID_MIN_PAIRS = 100, 10


def _name_levels(cls: str, skel: str, frequencies: bool) -> list[Any]:
    import splink.comparison_level_library as cll

    return [
        cll.NullLevel(cls),
        cll.ExactMatchLevel(cls, term_frequency_adjustments=frequencies),
        cll.ExactMatchLevel(skel),
        cll.LevenshteinLevel(cls, 1),
        cll.LevenshteinLevel(skel, 1),
        cll.ElseLevel(),
    ]


_NO_PLACE = (
    "(place_key_l IS NULL AND area_key_l IS NULL) OR (place_key_r IS NULL AND area_key_r IS NULL)"
)
# "Kashgar" is the prefecture and its city: a county of Kashgar prefecture is not "else"
_CONTAINS = "place_key_l = area_key_r OR area_key_l = place_key_r"


def comparisons(records: int) -> list[Any]:
    """The comparisons; names are term-frequency adjusted from TF_MIN_RECORDS records on
    (in a list of ten, one person's three records make their name look common)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    frequencies = records >= TF_MIN_RECORDS
    levels: dict[str, list[Any]] = {
        "given": _name_levels("given_cls", "given_skel", frequencies),
        "second": _name_levels("second_cls", "second_skel", frequencies),
        "birth_year": [
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("birth_year"),
            cll.AbsoluteDifferenceLevel("birth_year", 1),
            cll.AbsoluteDifferenceLevel("birth_year", 2),
            cll.ElseLevel(),
        ],
        "gender": [cll.NullLevel("gender"), cll.ExactMatchLevel("gender"), cll.ElseLevel()],
        "place": [
            {
                "sql_condition": _NO_PLACE,
                "label_for_charts": "a place unknown",
                "is_null_level": True,
            },
            cll.ExactMatchLevel("place_key"),
            cll.CustomLevel(_CONTAINS, "one place contains the other"),
            cll.ExactMatchLevel("area_key"),
            cll.ElseLevel(),
        ],
        "id_number": [cll.NullLevel("id_key"), cll.ExactMatchLevel("id_key"), cll.ElseLevel()],
    }
    found = []
    for name, comparison_levels in levels.items():
        m, u = FIXED[name]
        comparison = cl.CustomComparison(comparison_levels, output_column_name=name)
        found.append(comparison.configure(m_probabilities=m, u_probabilities=u))
    return found


def duplicate_share(records: int, id_records: int, id_pairs: int) -> float:
    """About how many records have another record of their person.

    The ID number finds nearly every pair of one person's records that both carry it:
    ``id_pairs`` of the ``q²`` share of pairs where both do (``q`` the share of records
    with a valid ID number) estimates the pairs there are. When ID numbers are more
    often kept for the same people, this overestimates; hence the bounds."""
    if id_records < ID_MIN_RECORDS or id_pairs < ID_MIN_PAIRS:
        return DUPLICATE_SHARE
    q = id_records / records
    pairs = id_pairs / (q * q)
    low, high = SHARE_BOUNDS
    return min(high, max(low, pairs / records))


def prior(records: int, share: float = DUPLICATE_SHARE) -> float:
    """The probability that two records drawn at random are one person's: with ``share``
    of the records having one more record of their person, ``share * n`` pairs match of
    the ``n (n - 1) / 2`` there are."""
    if records < 2:
        return 0.5
    return min(0.5, 2 * share / (records - 1))


def settings(records: int, share: float = DUPLICATE_SHARE) -> Any:
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="rid",
        probability_two_random_records_match=prior(records, share),
        comparisons=comparisons(records),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,  # the names' share of the weight
    )


@dataclass
class Caught:
    """Splink's warnings and log messages while it trains and predicts."""

    messages: list[str] = field(default_factory=list)


class _Collect(logging.Handler):
    def __init__(self, caught: Caught) -> None:
        super().__init__(logging.WARNING)
        self.caught = caught

    def emit(self, record: logging.LogRecord) -> None:
        lines = [line.strip() for line in record.getMessage().splitlines()]
        text = " ".join(line for line in lines if line and line != "WARNING:")
        self.caught.messages.append(text[:300])


def quietly(caught: Caught, action: Callable[[], Any]) -> Any:
    """Run ``action`` with Splink's log and Python warnings collected, not printed."""
    logger = logging.getLogger("splink")
    handler = _Collect(caught)
    saved = logger.handlers[:], logger.propagate, logger.level
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            result = action()
        caught.messages.extend(str(w.message).splitlines()[0] for w in seen)
        return result
    finally:
        logger.handlers, logger.propagate = saved[0], saved[1]
        logger.setLevel(saved[2])


def train(
    linker: Any,
    rebuild: Callable[[dict[str, Any]], Any],
    records: int,
    id_pairs: int,
    caught: Caught,
) -> tuple[Any, str]:
    """Train m and u when there is enough data: the linker to predict with, and which
    values it uses. ``rebuild`` makes a linker from a settings dictionary."""
    if records < TRAIN_MIN_RECORDS:
        return linker, f"fixed m/u (fewer than {TRAIN_MIN_RECORDS:,} records to train on)"
    from splink import block_on

    untrained = linker.misc.save_model_to_json()
    training = linker.training
    before = len(caught.messages)
    rules = [block_on("name_cls", "birth_year")]
    if id_pairs >= ID_MIN_PAIRS:
        rules.append(block_on("id_key"))
    sessions = 0
    try:
        quietly(caught, lambda: training.estimate_u_using_random_sampling(U_MAX_PAIRS, seed=1))
        for rule in rules:
            em = partial(
                training.estimate_parameters_using_expectation_maximisation,
                rule,
                max_pairs=EM_MAX_PAIRS,
            )
            quietly(caught, em)
            sessions += 1
    except Exception as exc:  # training stops; what it estimated so far is kept
        caught.messages.append(f"training stopped: {type(exc).__name__}: {exc}")
    model = merged(untrained, linker.misc.save_model_to_json())
    reverted = checked(model)
    trained = quietly(caught, lambda: rebuild(model))
    warned = len(caught.messages) - before
    note = f"trained u, m by {sessions} EM session(s)"
    note += f", fixed values kept for {', '.join(reverted)}" if reverted else ""
    note += f"; {warned} Splink warning(s)" if warned else ""
    return trained, note


def merged(untrained: dict[str, Any], trained: dict[str, Any]) -> dict[str, Any]:
    """The untrained settings with the trained m and u values of each level.

    Everything else (the prior, which EM moves towards its blocked pairs, and the
    comparisons themselves) stays as configured."""
    found = {
        (c["output_column_name"], n): level
        for c in trained["comparisons"]
        for n, level in enumerate(c["comparison_levels"])
    }
    for comparison in untrained["comparisons"]:
        for n, level in enumerate(comparison["comparison_levels"]):
            new = found.get((comparison["output_column_name"], n))
            if new is None or level.get("is_null_level"):
                continue
            for key in ("m_probability", "u_probability"):
                if isinstance(new.get(key), float | int):
                    level[key] = new[key]
    return untrained


def checked(model: dict[str, Any]) -> list[str]:
    """Make a trained model's m and u usable, in place; the comparisons put back to FIXED.

    Levels training did not see keep their fixed values, so the m (and u) of a
    comparison may no longer add up to 1: they are scaled back. A comparison whose
    trained values run backwards (its best level less likely among matches than among
    non-matches, or its worst level more likely) gets its fixed values back."""
    reverted = []
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        levels = [
            level for level in comparison["comparison_levels"] if not level.get("is_null_level")
        ]
        m = [level.get("m_probability") for level in levels]
        u = [level.get("u_probability") for level in levels]
        if (
            any(not isinstance(v, float | int) or v <= 0 for v in m + u)
            or m[0] <= u[0]
            or m[-1] >= u[-1]
        ):
            m, u = FIXED[name]
            reverted.append(name)
        m_total, u_total = sum(m), sum(u)
        for level, mv, uv in zip(levels, m, u, strict=True):
            level["m_probability"] = mv / m_total
            level["u_probability"] = uv / u_total
    return reverted


def exact_level(model: dict[str, Any], name: str) -> tuple[float, float]:
    """The m and u probabilities of a comparison's first (exact) level."""
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] == name:
            level = next(
                lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")
            )
            return float(level["m_probability"]), float(level["u_probability"])
    raise KeyError(name)
