"""Batch deduplication (``guwah.match.linkage.link``) of N synthetic records.

    .venv/bin/python benchmarks/bench_dedupe.py --n 100000
    .venv/bin/python benchmarks/bench_dedupe.py --n 1000000
    .venv/bin/python benchmarks/bench_dedupe.py --smoke          (3,000 records)

Records come from ``guwah.synthetic.generate_people(n, seed, duplicate_rate=0.3)``: 30 %
of them re-describe an earlier person the way another source would (another script or
romanisation, the given name alone, a birth year off by one, no ID number), and keep
the person's ``identity``, the ground truth. Each record keeps all its name forms (one
to three scripts), or one form drawn at random with ``--one-name`` (a list row).
Chinese-character forms are dropped while ``guwah.names.hanzi`` does not exist yet.

Each system runs in a child process of its own; its peak memory is that process's
peak RSS (``resource.getrusage``), the records it holds included. Figures: seconds of
the call alone (making the records is not counted), records/s, pairs linked, clusters,
and pairwise precision / recall / F1 of the clusters against the identities.

Baselines, measured in the same run on the same records:

* exact name: records that share a name string (case folded) are one person;
* plain Splink: the same blocked pairs, scored by Splink on the raw name string
  (default Jaro-Winkler thresholds 0.9 / 0.7), birth year, gender, place and ID number,
  trained the same way (u by sampling, m by EM on the same name), clustered at 0.5 by
  Splink's own connected components.
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import re
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from pathlib import Path
from random import Random
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from versioning import code_version

from guwah.match.linkage import LinkRecord

DUPLICATE_RATE = 0.3
SEED = 11
SMOKE_N = 3000
TARGET_SECONDS, TARGET_MB, TARGET_N = 300.0, 8000.0, 1_000_000
_HAN = re.compile(r"[\u3400-\u9fff]")
_YEAR = re.compile(r"\d{4}")


def synthetic_records(n: int, one_name: bool) -> Iterator[tuple[LinkRecord, int]]:
    """(record, identity) for n synthetic people."""
    from guwah.synthetic import generate_people

    han = importlib.util.find_spec("guwah.names.hanzi") is not None
    pick = Random(SEED + 1)
    for person in generate_people(n, seed=SEED, duplicate_rate=DUPLICATE_RATE):
        record = person.record
        names = [name["text"] for name in record["names"] if han or not _HAN.search(name["text"])]
        if one_name and names:
            names = [pick.choice(names)]
        year = gender = place = number = None
        for claim in record["claims"]:
            kind = claim["kind"]
            if kind == "born":
                found = _YEAR.match(claim["date"])
                year = int(found.group()) if found else None
            elif kind == "gender":
                gender = claim["value"]["text"]
            elif kind == "resident_of":
                place = claim["place"]
            elif kind == "id_number":
                number = claim["value"]["text"]
        ref = record["external_refs"][0]["ref"]
        yield LinkRecord(ref, tuple(names), year, gender, place, number), person.identity


def pairwise(
    labels: Sequence[Hashable], identities: Sequence[Hashable]
) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of clusters (labels) against identities."""

    def pairs(counts: Counter[Any]) -> int:
        return sum(c * (c - 1) // 2 for c in counts.values())

    predicted = pairs(Counter(labels))
    true = pairs(Counter(identities))
    both = pairs(Counter(zip(labels, identities, strict=True)))
    precision = both / predicted if predicted else 1.0
    recall = both / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# --- the systems, each run in a child process -----------------------------------------


def run_guwah(records: list[LinkRecord]) -> tuple[list[int], int]:
    from guwah.match.linkage import link

    result = link(records)
    index = {record.id: n for n, record in enumerate(records)}
    labels = [0] * len(records)
    for number, members in enumerate(result.clusters):
        for member in members:
            labels[index[member]] = number
    return labels, len(result.pairs)


def run_exact(records: list[LinkRecord]) -> tuple[list[int], int]:
    parent = list(range(len(records)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first: dict[str, int] = {}
    links = 0
    for n, record in enumerate(records):
        for name in record.names:
            key = " ".join(name.casefold().split())
            other = first.setdefault(key, n)
            if other != n and find(other) != find(n):
                parent[find(n)] = find(other)
                links += 1
    return [find(n) for n in range(len(records))], links


def run_plain_splink(records: list[LinkRecord]) -> tuple[list[int], int]:
    import tempfile

    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from guwah.match.blocking import blocked_pairs_sql
    from guwah.match.features import FeatureBuilder

    con = duckdb.connect()
    con.execute(
        f"SET memory_limit = '3GB'; SET threads = 2; SET temp_directory = '{tempfile.mkdtemp()}'"
    )
    builder = FeatureBuilder()
    for number, (batch, keys) in enumerate(builder.batches(records)):
        con.register("feature_batch", batch)
        con.register("key_batch", keys)
        if number == 0:
            con.execute("CREATE TABLE features AS SELECT * FROM feature_batch")
            con.execute("CREATE TABLE name_keys AS SELECT * FROM key_batch")
        else:
            con.execute("INSERT INTO features SELECT * FROM feature_batch")
            con.execute("INSERT INTO name_keys SELECT * FROM key_batch")
    raw = pa.table(
        {
            "rid": list(range(len(records))),
            "name": [r.names[0] if r.names else None for r in records],
            "birth_year": [r.birth_year for r in records],
            "gender": [r.gender for r in records],
            "place": [r.place for r in records],
            "id_number": [r.id_number for r in records],
        }
    )
    con.register("raw_rows", raw)
    con.execute("CREATE TABLE raw AS SELECT * FROM raw_rows")
    con.execute("CREATE TABLE blocked AS " + blocked_pairs_sql("features", "name_keys"))
    api = DuckDBAPI(con)
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="rid",
        comparisons=[
            cl.JaroWinklerAtThresholds("name"),
            cl.ExactMatch("birth_year"),
            cl.ExactMatch("gender"),
            cl.ExactMatch("place"),
            cl.ExactMatch("id_number"),
        ],
        retain_matching_columns=False,
    )
    linker = Linker(api.register("raw"), settings, log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in (block_on("name", "birth_year"), block_on("birth_year")):
        try:  # the first rule that gives pairs (a list may have no name twice)
            linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=1e6)
            break
        except Exception:  # Splink raises when a rule finds no pairs
            continue
    linker.table_management.register_blocked_pairs_for_predict(api.register("blocked"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    links = con.execute(f"SELECT count(*) FROM {predictions.physical_name}").fetchone()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.5)
    labels = [0] * len(records)
    for rid, cluster in con.execute(
        f"SELECT rid, cluster_id FROM {clusters.physical_name}"
    ).fetchall():
        labels[rid] = hash(cluster)
    return labels, int(links[0]) if links else 0


SYSTEMS: dict[str, Callable[[list[LinkRecord]], tuple[list[int], int]]] = {
    "guwah link": run_guwah,
    "baseline: plain Splink": run_plain_splink,
    "baseline: exact name": run_exact,
}


def _child(send: Any, system: str, n: int, one_name: bool) -> None:
    import logging
    import warnings

    logging.getLogger("splink").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    made = list(synthetic_records(n, one_name))
    records = [record for record, _ in made]
    identities = [identity for _, identity in made]
    del made
    started = time.perf_counter()
    labels, links = SYSTEMS[system](records)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    send.send((seconds, peak_mb, links, len(set(labels)), pairwise(labels, identities)))


def measure(system: str, n: int, one_name: bool) -> tuple[Any, ...]:
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, system, n, one_name))
    process.start()
    send.close()  # the child holds the only sending end: its death ends recv()
    try:
        result = receive.recv()
    except EOFError:
        process.join()
        raise SystemExit(f"{system} failed (exit code {process.exitcode}); see above") from None
    process.join()
    return tuple(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="records (default 100000)")
    parser.add_argument("--one-name", action="store_true", help="one name form per record")
    parser.add_argument("--smoke", action="store_true", help=f"a quick check: {SMOKE_N:,} records")
    parser.add_argument("--no-baselines", action="store_true", help="guwah only")
    args = parser.parse_args()
    n = SMOKE_N if args.smoke else args.n
    print(code_version())
    han = importlib.util.find_spec("guwah.names.hanzi") is not None
    print(
        f"{n:,} synthetic records, duplicate rate {DUPLICATE_RATE}, seed {SEED}, "
        f"{'one name form' if args.one_name else 'all name forms'} per record"
        + ("" if han else "; Chinese-character forms left out (guwah.names.hanzi missing)")
    )
    systems = list(SYSTEMS)[:1] if args.no_baselines else list(SYSTEMS)
    print(
        f"{'system':<24} {'seconds':>8} {'records/s':>10} {'peak MB':>8} {'links':>9} "
        f"{'clusters':>9} {'precision':>9} {'recall':>7} {'F1':>6}"
    )
    guwah: tuple[Any, ...] | None = None
    for system in systems:
        seconds, peak, links, clusters, (p, r, f1) = measure(system, n, args.one_name)
        guwah = guwah or (seconds, peak)
        print(
            f"{system:<24} {seconds:>8.1f} {n / seconds:>10,.0f} {peak:>8,.0f} {links:>9,} "
            f"{clusters:>9,} {p:>9.3f} {r:>7.3f} {f1:>6.3f}",
            flush=True,
        )
    assert guwah is not None
    met = guwah[0] < TARGET_SECONDS * n / TARGET_N and guwah[1] < TARGET_MB
    print(
        f"target: {TARGET_N:,} records in < {TARGET_SECONDS:.0f} s with < {TARGET_MB:,.0f} MB "
        f"peak (scaled to {n:,}: {TARGET_SECONDS * n / TARGET_N:.1f} s): "
        + ("met" if met else "not met")
    )


if __name__ == "__main__":
    main()
