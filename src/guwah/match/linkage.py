"""Batch deduplication: which records of a list, or of many lists, are one person.

``link(records)`` runs in five steps:

1. **features** (:mod:`guwah.match.features`): every name form is parsed once with the
   names API into values the four scripts of one name share, chunk by chunk, into
   Parquet files in a private temporary directory;
2. **blocking** (:mod:`guwah.match.blocking`): the pairs worth scoring, in SQL;
3. **scoring** (:mod:`guwah.match.model`): Splink's Fellegi-Sunter model weighs each
   pair's evidence (term-frequency adjusted names, birth year, gender, place, ID);
4. **verification** (:mod:`guwah.match.verify`): the names of every pair that could
   link are compared with :func:`guwah.names.compare` on their best pair of forms, and
   that comparison replaces Splink's string distances in the weight;
5. **clusters** (:mod:`guwah.match.clusters`): connected components of the links,
   strongest first, never joining different ID numbers, a rejected pair, birth years
   more than 2 apart or both genders (a chain of links may not do what one may not).

Rules of the decision, in order:

* a pair a person rejected (``cannot_link``) is never linked nor reported;
* different valid ID numbers never link;
* the same valid ID number links, unless the names completely disagree (score below
  ``verify.ID_NAME_FLOOR``): that pair is flagged for review instead;
* otherwise birth years more than 2 apart, or different genders, never link;
* names must agree (score of at least :data:`guwah.names.MATCH_THRESHOLD`):
  ``compare`` caps two names whose given names differ at 0.5, so a shared father's
  name alone (siblings) or a child's second name that is the parent's given name never
  links;
* and the probability from the facts and the names together must reach ``threshold``;
* a record with a given name alone links only on a given name that agrees, the same
  birth year and a probability of at least ``verify.SOLO_PROBABILITY``.

Pairs a person confirmed (``must_link``) are always in one cluster.

``threshold`` (default ``DEFAULT_THRESHOLD``, 0.9) trades recall for precision; on the
labelled leaked list (``benchmarks/list_eval.py``) and on synthetic lists
(``benchmarks/bench_dedupe.py``) 0.9 keeps pairwise precision above 0.9. ``backend``
is ``duckdb`` (in-process, the default) or ``spark`` (a local Spark session; needs
pyspark), which the caller reads from the setting ``GUWAH_LINKAGE_BACKEND``.

Memory stays bounded: features are written in chunks, DuckDB has a memory limit and a
spill directory, and Python holds one small tuple per record plus the pairs that link.
A million records take about a minute and a half and 4 GB on two cores.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from guwah.match.backends import Backend, open_backend
from guwah.match.blocking import blocked_pairs_sql
from guwah.match.clusters import Edge, cluster
from guwah.match.features import KEY_SCHEMA, SCHEMA, TF_MIN_RECORDS, FeatureBuilder, LinkRecord
from guwah.match.model import (
    Caught,
    duplicate_share,
    quietly,
    settings,
    train,
)
from guwah.match.verify import Decision, Verifier, verify_sql
from guwah.model.errors import InvalidInput
from guwah.names import compare

__all__ = ["DEFAULT_THRESHOLD", "LinkPair", "LinkRecord", "LinkResult", "link"]

DEFAULT_THRESHOLD = 0.7

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class LinkPair:
    id_a: str
    id_b: str
    probability: float | None  # None: confirmed by a person, not scored
    name_score: float
    reason: str


@dataclass
class LinkResult:
    pairs: list[LinkPair]  # the links the clusters are made of
    clusters: list[list[str]]  # every input id in exactly one, in input order
    flagged: list[LinkPair] = field(default_factory=list)  # for a person to review
    invalid_id_numbers: list[str] = field(default_factory=list)  # ids of those records
    model: str = ""  # which m/u values were used
    messages: list[str] = field(default_factory=list)  # Splink's warnings
    _label: dict[str, str] = field(default_factory=dict, repr=False)

    def cluster_of(self, record_id: str) -> str:
        """The cluster's label: the smallest id in it (a singleton's is its own id)."""
        if not self._label:
            self._label = {member: min(c) for c in self.clusters for member in c}
        try:
            return self._label[record_id]
        except KeyError:
            raise InvalidInput(f"no record with id {record_id!r} was linked") from None


def _silent(stage: str, done: int, total: int) -> None:
    return None


def link(
    records: Iterable[LinkRecord],
    *,
    must_link: set[frozenset[str]] | None = None,
    cannot_link: set[frozenset[str]] | None = None,
    backend: str = "duckdb",
    threshold: float = DEFAULT_THRESHOLD,
    progress: Progress | None = None,
) -> LinkResult:
    """Cluster ``records`` into people (see the module docstring for the rules).

    ``progress(stage, done, total)`` is called as the work goes on (``total`` 0 when
    unknown); the stages are features, blocking, training, scoring, verifying and
    clustering."""
    if not 0.0 < threshold < 1.0:
        raise InvalidInput(f"threshold must be between 0 and 1, not {threshold}")
    report = progress or _silent
    total = len(records) if isinstance(records, (list, tuple)) else 0
    workdir = Path(tempfile.mkdtemp(prefix="guwah-link-"))  # mode 0700; used by Spark only
    found = _Found()
    try:
        features, tables = _build_features(records, report, total)
        must = _judged(must_link, features.ids, "must_link")
        cannot = _judged(cannot_link, features.ids, "cannot_link")
        if len(features.ids) > 1:
            engine = open_backend(backend, workdir)
            try:
                _score_and_verify(engine, tables, features, cannot, threshold, report, found)
            finally:
                engine.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return _clusters(features, found, must, cannot, report)


@dataclass
class _Found:
    decisions: list[Decision] = field(default_factory=list)
    model: str = ""
    caught: Caught = field(default_factory=Caught)


@dataclass
class _Tables:
    records: pa.Table
    keys: pa.Table


def _build_features(
    records: Iterable[LinkRecord], report: Progress, total: int
) -> tuple[FeatureBuilder, _Tables]:
    """The feature tables, in memory: names never reach a plaintext file."""
    features = FeatureBuilder()
    rows: list[pa.RecordBatch] = []
    keys: list[pa.RecordBatch] = []
    for batch, key_batch in features.batches(records):
        rows.append(batch)
        keys.append(key_batch)
        report("features", len(features.ids), total)
    tables = _Tables(
        pa.Table.from_batches(rows, schema=SCHEMA), pa.Table.from_batches(keys, schema=KEY_SCHEMA)
    )
    return features, tables


def _judged(pairs: set[frozenset[str]] | None, ids: list[str], what: str) -> list[tuple[int, int]]:
    if not pairs:
        return []
    row = {record_id: n for n, record_id in enumerate(ids)}
    found = []
    for pair in pairs:
        members = sorted(pair)
        if len(members) != 2:
            raise InvalidInput(f"{what}: a judgement names two different ids, not {members}")
        missing = [m for m in members if m not in row]
        if missing:
            raise InvalidInput(f"{what}: no record with id {missing[0]!r}")
        found.append((row[members[0]], row[members[1]]))
    return found


_ID_PAIRS = """
SELECT count(*) FROM records AS a JOIN records AS b ON a.id_key = b.id_key WHERE a.rid < b.rid
"""


def _score_and_verify(
    engine: Backend,
    tables: _Tables,
    features: FeatureBuilder,
    cannot: list[tuple[int, int]],
    threshold: float,
    report: Progress,
    found: _Found,
) -> None:
    from splink import Linker

    count = len(features.ids)
    engine.load("records", tables.records)
    engine.load("name_keys", tables.keys)
    report("blocking", 0, 1)
    engine.create("blocked_pairs", blocked_pairs_sql("records", "name_keys"))
    report("blocking", 1, 1)
    id_pairs = next(engine.rows(_ID_PAIRS))[0]
    id_records = sum(1 for key in features.id_keys if key is not None)
    share = duplicate_share(count, id_records, id_pairs)
    model = settings(count, share)
    records = engine.db_api.register("records")
    linker: Any = quietly(found.caught, lambda: Linker(records, model, log_level=None))
    report("training", 0, 1)
    linker, found.model = train(
        linker,
        lambda trained: Linker(records, trained, log_level=None),
        count,
        id_pairs,
        found.caught,
    )
    found.model += f"; prior: {share:.0%} of records have another record of their person"
    report("training", 1, 1)
    linker.table_management.register_blocked_pairs_for_predict(
        engine.db_api.register("blocked_pairs")
    )
    report("scoring", 0, 1)
    predictions = quietly(found.caught, lambda: linker.inference.predict(warning_mode="never"))
    report("scoring", 1, 1)
    verifier = Verifier(features, threshold, {frozenset(p) for p in cannot})
    sql = verify_sql(
        predictions.physical_name,
        count,
        count >= TF_MIN_RECORDS,
        threshold,
        linker.misc.save_model_to_json(),
    )
    for row in engine.rows(sql):
        decision = verifier.decide(row)
        if decision is not None:
            found.decisions.append(decision)
        if verifier.seen % 10_000 == 0:
            report("verifying", verifier.seen, 0)
    report("verifying", verifier.seen, verifier.seen)


def _pair(features: FeatureBuilder, decision: Decision, reason: str | None = None) -> LinkPair:
    ids = features.ids
    return LinkPair(
        ids[decision.left],
        ids[decision.right],
        decision.probability,
        decision.name_score,
        reason or decision.reason,
    )


def _clusters(
    features: FeatureBuilder,
    found: _Found,
    must: list[tuple[int, int]],
    cannot: list[tuple[int, int]],
    report: Progress,
) -> LinkResult:
    report("clustering", 0, 1)
    ids = features.ids
    links = {(d.left, d.right): d for d in found.decisions if d.linked}
    edges = [Edge(d.left, d.right, d.strength, d.same_id) for d in links.values()]
    components, refused = cluster(
        len(ids),
        edges,
        id_keys=features.id_keys,
        years=features.years,
        genders=features.genders,
        must=must,
        cannot=cannot,
    )
    refused_edges = {(edge.a, edge.b) for edge, _ in refused}
    kept = [_pair(features, d) for edge, d in links.items() if edge not in refused_edges]
    flagged = [_pair(features, d) for d in found.decisions if not d.linked]
    flagged += [_pair(features, links[e.a, e.b], f"not linked: {why}") for e, why in refused]
    for a, b in must:
        if (a, b) not in links and (b, a) not in links:
            names = features.names
            score = max((compare(x, y).score for x in names[a] for y in names[b]), default=0.0)
            kept.append(LinkPair(ids[a], ids[b], None, score, "confirmed by a person"))
    groups = [[ids[row] for row in group] for group in components.groups()]
    report("clustering", 1, 1)
    return LinkResult(
        kept,
        groups,
        flagged,
        list(features.invalid_id_numbers),
        found.model,
        found.caught.messages,
    )
