"""Scoring of labelled extraction cases (tests/data/extraction/README.md), shared by the
Russian, Chinese and table extraction tests.

Predicted people are matched to expected ones by a shared name (case-folded; a name
whose words are all in the other counts), then unnamed ones through a relation to a
person already matched, then a narrator to a narrator. A claim is right when its
subject, kind and key value agree (years/months/life/death for sentenced, destination
for fled); a relation when its two people and its type agree.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from guwah.ingest.document import Document
from guwah.ingest.extract import extract
from guwah.ingest.readers import read_document

CASES = Path(__file__).parent / "data" / "extraction"
KINDS = ("detained", "sentenced", "fled", "threatened")


def document_of(path: Path, language: str | None = None) -> Document:
    """The Document the readers make of a case file, with the case's language when the
    reader cannot tell it."""
    document = read_document(path)
    if language and not document.language and not document.rows:
        document = replace(document, language=language)
    return document


def _names_agree(a: str, b: str) -> bool:
    x, y = set(a.casefold().split()), set(b.casefold().split())
    return bool(x) and bool(y) and (x <= y or y <= x)


def match_people(expected: dict[str, Any], predicted: dict[str, Any]) -> dict[str, str]:
    """expected ref -> predicted ref."""
    pairs: dict[str, str] = {}
    for person in expected["persons"]:
        for candidate in predicted["persons"]:
            if candidate["ref"] in pairs.values():
                continue
            if any(_names_agree(a, b) for a in person["names"] for b in candidate["names"]):
                pairs[person["ref"]] = candidate["ref"]
                break
    changed = True
    while changed:
        changed = False
        for rel in expected["relations"]:
            for mine, other, side, far in (
                ("from", "to", "to", "from"),
                ("to", "from", "from", "to"),
            ):
                if rel[other] in pairs and rel[mine] not in pairs:
                    for got in predicted["relations"]:
                        same = got["type"] == rel["type"] and got[side] == pairs[rel[other]]
                        if same and got[far] not in pairs.values():
                            pairs[rel[mine]] = got[far]
                            changed = True
                            break
    for person in expected["persons"]:
        if person["ref"] not in pairs and person.get("description") == "narrator":
            for candidate in predicted["persons"]:
                if candidate.get("description") == "narrator":
                    pairs[person["ref"]] = candidate["ref"]
    return pairs


def _key(claim: dict[str, Any]) -> tuple[Any, ...]:
    value = claim.get("value") or {}
    if claim["kind"] == "sentenced":
        return tuple(value.get(k) or None for k in ("years", "months", "life", "death"))
    if claim["kind"] == "fled":
        return (value.get("destination"),)
    return ()


def score_case(expected: dict[str, Any], predicted: dict[str, Any]) -> Counter[str]:
    """Counts ``<kind>.tp``, ``<kind>.fp``, ``<kind>.fn`` for KINDS and relations."""
    pairs = match_people(expected, predicted)
    counts: Counter[str] = Counter()
    for kind in KINDS:
        want = Counter(
            (pairs.get(c["subject"], "?" + c["subject"]), _key(c))
            for c in expected["claims"]
            if c["kind"] == kind
        )
        got = Counter((c["subject"], _key(c)) for c in predicted["claims"] if c["kind"] == kind)
        hit = sum((want & got).values())
        counts[f"{kind}.tp"] += hit
        counts[f"{kind}.fn"] += sum(want.values()) - hit
        counts[f"{kind}.fp"] += sum(got.values()) - hit
    want_rel = Counter(
        (pairs.get(r["from"], "?"), r["type"], pairs.get(r["to"], "?"))
        for r in expected["relations"]
    )
    got_rel = Counter((r["from"], r["type"], r["to"]) for r in predicted["relations"])
    hit = sum((want_rel & got_rel).values())
    counts["relation.tp"] += hit
    counts["relation.fn"] += sum(want_rel.values()) - hit
    # a relation to someone the case does not list (children, relatives) is not wrong
    listed = set(pairs.values())
    extra = got_rel - want_rel
    counts["relation.fp"] += sum(n for (a, _, b), n in extra.items() if a in listed and b in listed)
    return counts


def score_files(pattern: str) -> tuple[Counter[str], list[str]]:
    total: Counter[str] = Counter()
    names: list[str] = []
    for path in sorted(CASES.glob(pattern)):
        if path.name.endswith(".expected.json"):
            continue
        expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
        predicted = extract(document_of(path, expected.get("language"))).as_json()
        total.update(score_case(expected, predicted))
        names.append(path.name)
    return total, names


def rates(counts: Counter[str], kind: str) -> tuple[float, float]:
    tp, fp, fn = counts[f"{kind}.tp"], counts[f"{kind}.fp"], counts[f"{kind}.fn"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def report(counts: Counter[str]) -> str:
    out = []
    for kind in (*KINDS, "relation"):
        p, r = rates(counts, kind)
        support = counts[f"{kind}.tp"] + counts[f"{kind}.fn"]
        out.append(f"{kind}: P={p:.2f} R={r:.2f} (n={support})")
    return "; ".join(out)
