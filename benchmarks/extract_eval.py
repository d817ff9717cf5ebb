"""Precision and recall of extraction on the labelled cases, beside a keyword baseline.

    .venv/bin/python benchmarks/extract_eval.py [--only en-] [--errors] [--freeze] [--smoke]
        [--articles 200]

Runs ``guwah.ingest.extract.extract`` (the dispatcher: every language whose rules exist)
over every case in ``tests/data/extraction/`` (format and scoring: its README.md) and a
simple BASELINE measured in the same run: keyword matching per sentence ("sentenced" in a
sentence gives a sentenced claim on the first capitalised name of that sentence, with
the first "N years" as its length; "detained"/"camp" a detention; "fled"/"left China" a
flight to the first country named; ...).

Predicted people are matched to expected ones by their names, unnamed people through
their relations to people already matched (and the narrator of a testimony by that
description). A claim is right when its subject, kind and key value agree (length for
sentenced, destination for fled); a relation when its two people and type agree.

Prints precision/recall per claim kind and for relations and people, the frozen figures
of ``benchmarks/extract_baseline.json`` (``--freeze`` writes the current ones), whether
each target is met (precision >= 0.9 and recall >= 0.8 for detained, sentenced,
relation, fled, threatened) and the throughput: articles of ~1,000 words (made by
joining case texts) extracted per second on one core (target >= 20/s).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from guwah.ingest.document import Document  # noqa: E402
from guwah.ingest.extract.dates import NUMBER_WORDS  # noqa: E402

CASES = ROOT / "tests" / "data" / "extraction"
FROZEN = HERE / "extract_baseline.json"
TARGET_KINDS = ("detained", "sentenced", "relation", "fled", "threatened")
TARGET_PRECISION, TARGET_RECALL, TARGET_RATE = 0.9, 0.8, 20.0
KINDS = (
    "detained",
    "sentenced",
    "released",
    "died",
    "disappeared",
    "transferred",
    "forced_labour",
    "fled",
    "threatened",
    "surveilled",
    "family_separated",
    "birth_control",
    "profession",
    "resident_of",
)
SYMMETRIC = {"sibling", "spouse", "cellmate", "neighbour", "colleague", "other_relative"}
DATA_SUFFIXES = (".txt", ".csv", ".xlsx", ".html", ".htm", ".pdf", ".docx", ".eml", ".md")

Extracted = dict[str, Any]  # the shape of Extraction.as_json()


@dataclass
class Case:
    name: str
    path: Path
    expected: dict[str, Any]


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, other: Tally) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


@dataclass
class Scores:
    kinds: dict[str, Tally] = field(
        default_factory=lambda: {k: Tally() for k in (*KINDS, "relation", "person")}
    )
    dates: Counter[str] = field(default_factory=Counter)  # right / asked
    reasons: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def add(self, other: Scores) -> None:
        for kind, tally in other.kinds.items():
            self.kinds.setdefault(kind, Tally()).add(tally)
        self.dates.update(other.dates)
        self.reasons.update(other.reasons)
        self.errors.extend(other.errors)

    def figures(self) -> dict[str, dict[str, float]]:
        return {
            kind: {
                "precision": round(t.precision, 3),
                "recall": round(t.recall, 3),
                "tp": t.tp,
                "fp": t.fp,
                "fn": t.fn,
            }
            for kind, t in self.kinds.items()
            if t.tp + t.fp + t.fn
        }

    def targets(self) -> dict[str, bool]:
        return {
            kind: self.kinds[kind].precision >= TARGET_PRECISION
            and self.kinds[kind].recall >= TARGET_RECALL
            for kind in TARGET_KINDS
        }


# --- cases -------------------------------------------------------------------------------


def load_cases(directory: Path = CASES, only: str = "") -> list[Case]:
    cases = []
    for expected_path in sorted(directory.glob(f"{only}*.expected.json")):
        name = expected_path.name.removesuffix(".expected.json")
        data = [
            p
            for p in directory.glob(f"{name}.*")
            if p.suffix in DATA_SUFFIXES and p != expected_path
        ]
        if data:
            cases.append(Case(name, data[0], json.loads(expected_path.read_text(encoding="utf-8"))))
    return cases


def read_case(path: Path) -> Document:
    from guwah.ingest.readers import read_document

    return read_document(path)


def run_ours(document: Document) -> Extracted:
    from guwah.ingest.extract import extract

    return extract(document).as_json()


# --- matching and scoring ----------------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _name_score(a: list[str], b: list[str]) -> float:
    best = 0.0
    for x in a:
        for y in b:
            fx, fy = _fold(x), _fold(y)
            if fx == fy:
                return 1.0
            tx, ty = set(fx.split()), set(fy.split())
            if tx and ty and (tx <= ty or ty <= tx):
                best = max(best, 0.8)
            elif tx & ty:
                best = max(best, len(tx & ty) / len(tx | ty))
    return best


def match_people(expected: dict[str, Any], predicted: Extracted) -> dict[str, str]:
    """predicted ref -> expected ref."""
    exp_persons = {p["ref"]: p for p in expected.get("persons", [])}
    pred_persons = {p["ref"]: p for p in predicted.get("persons", [])}
    pairs = []
    for e_ref, e in exp_persons.items():
        if not e.get("names"):
            continue
        for p_ref, p in pred_persons.items():
            score = _name_score(e["names"], p.get("names", []))
            if score >= 0.5:
                pairs.append((score, e_ref, p_ref))
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for _, e_ref, p_ref in sorted(pairs, reverse=True):
        if e_ref not in used and p_ref not in mapping:
            mapping[p_ref] = e_ref
            used.add(e_ref)
    for e_ref, e in exp_persons.items():  # the narrator of a testimony
        if e_ref not in used and (e.get("description") or "") == "narrator":
            for p_ref, p in pred_persons.items():
                if p_ref not in mapping and p.get("description") == "narrator":
                    mapping[p_ref] = e_ref
                    used.add(e_ref)
                    break
    changed = True
    while changed:  # unnamed people through relations to people already matched
        changed = False
        reverse = {v: k for k, v in mapping.items()}
        for rel in expected.get("relations", []):
            if rel["from"] in used or rel["to"] not in reverse:
                continue
            target = reverse[rel["to"]]
            word = _description_word(exp_persons.get(rel["from"], {}))
            options = [
                p_rel["from"]
                for p_rel in predicted.get("relations", [])
                if p_rel["to"] == target
                and p_rel["type"] == rel["type"]
                and p_rel["from"] not in mapping
            ]
            if options:  # the same relative noun first ("brother of" before "sister of")
                options.sort(key=lambda ref: _description_word(pred_persons[ref]) != word)
                mapping[options[0]] = rel["from"]
                used.add(rel["from"])
                changed = True
    return mapping


def _description_word(person: dict[str, Any]) -> str:
    words = (person.get("description") or "").split()
    return words[0] if words else ""


def claim_key(claim: dict[str, Any]) -> str:
    value = claim.get("value") or {}
    if claim["kind"] == "sentenced":
        if value.get("death"):
            return "death"
        if value.get("life"):
            return "life"
        if "years" in value or "months" in value:
            return str(int(value.get("years", 0)) * 12 + int(value.get("months", 0)))
        return ""
    if claim["kind"] == "fled":
        return _fold(str(value.get("destination") or "")).removeprefix("the ")
    return ""


def score_case(case: Case, predicted: Extracted) -> Scores:
    scores = Scores()
    expected = case.expected
    mapping = match_people(expected, predicted)

    def subject(ref: str) -> str:
        return mapping.get(ref, "?" + ref)

    exp_claims = {(c["subject"], c["kind"], claim_key(c)): c for c in expected.get("claims", [])}
    pred_claims: dict[tuple[str, str, str], dict[str, Any]] = {}
    for claim in predicted.get("claims", []):
        pred_claims.setdefault((subject(claim["subject"]), claim["kind"], claim_key(claim)), claim)
    for kind in {k for _, k, _ in (*exp_claims, *pred_claims)}:
        tally = scores.kinds.setdefault(kind, Tally())
        exp = {k for k in exp_claims if k[1] == kind}
        pred = {k for k in pred_claims if k[1] == kind}
        tally.tp, tally.fp, tally.fn = len(exp & pred), len(pred - exp), len(exp - pred)
        for key in sorted(pred - exp):
            scores.errors.append(f"{case.name}: extra {key} <- {pred_claims[key].get('rule')}")
        for key in sorted(exp - pred):
            scores.errors.append(f"{case.name}: missed {key}")
        for key in exp & pred:
            want, got = exp_claims[key], pred_claims[key]
            if want.get("date"):
                scores.dates["asked"] += 1
                scores.dates["right"] += want["date"] == got.get("date")
            if want.get("reason"):
                scores.reasons["asked"] += 1
                scores.reasons["right"] += want["reason"] == got.get("reason")
    exp_rel = {_relation(r["from"], r["type"], r["to"]) for r in expected.get("relations", [])}
    pred_rel = {
        _relation(subject(r["from"]), r["type"], subject(r["to"]))
        for r in predicted.get("relations", [])
    }
    scores.kinds["relation"] = Tally(
        len(exp_rel & pred_rel), len(pred_rel - exp_rel), len(exp_rel - pred_rel)
    )
    for rel in sorted(pred_rel - exp_rel):
        scores.errors.append(f"{case.name}: extra relation {rel}")
    for rel in sorted(exp_rel - pred_rel):
        scores.errors.append(f"{case.name}: missed relation {rel}")
    n_exp, n_pred = len(expected.get("persons", [])), len(predicted.get("persons", []))
    scores.kinds["person"] = Tally(len(mapping), n_pred - len(mapping), n_exp - len(mapping))
    return scores


def _relation(source: str, kind: str, target: str) -> tuple[str, str, str]:
    if kind in SYMMETRIC and target < source:
        source, target = target, source
    return source, kind, target


# --- the baseline ------------------------------------------------------------------------

_B_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_B_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2}\b")
_B_YEARS = re.compile(
    r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty)[\s-]+years?\b",
    re.I,
)
_B_COUNTRY = re.compile(
    r"\b(Kazakhstan|Turkey|Kyrgyzstan|Germany|Netherlands|Sweden|Canada|"
    r"United States|Egypt|Norway|Japan|Australia)\b"
)
_B_KEYWORDS: list[tuple[str, re.Pattern[str]]] = [
    ("sentenced", re.compile(r"\bsentenced?\b", re.I)),
    ("detained", re.compile(r"\b(?:detained|arrested|camp)\b", re.I)),
    ("released", re.compile(r"\b(?:released|freed)\b", re.I)),
    ("died", re.compile(r"\bdied\b", re.I)),
    ("disappeared", re.compile(r"\b(?:disappeared|missing)\b", re.I)),
    ("transferred", re.compile(r"\btransferred\b", re.I)),
    ("forced_labour", re.compile(r"\bforced\s+(?:labou?r|to\s+work)\b", re.I)),
    ("fled", re.compile(r"\b(?:fled|left\s+China|escaped)\b", re.I)),
    ("threatened", re.compile(r"\b(?:threat\w*|harass\w*|warned)\b", re.I)),
    ("surveilled", re.compile(r"\b(?:surveillance|monitored)\b", re.I)),
    ("family_separated", re.compile(r"\b(?:boarding\s+school|separated)\b", re.I)),
    ("birth_control", re.compile(r"\b(?:IUD|sterili[sz]ed)\b", re.I)),
    ("profession", re.compile(r"\bworked\s+as\b", re.I)),
]
_B_RELATIVE = re.compile(
    r"\b(?P<a>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})['’]s\s+(?P<noun>mother|father|son|daughter|"
    r"brother|sister|husband|wife)\b|\b(?:her|his)\s+(?P<noun2>mother|father|son|daughter|brother|"
    r"sister|husband|wife),?\s+(?P<b>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})"
)
_B_TYPES = {
    "mother": "mother",
    "father": "father",
    "son": "child",
    "daughter": "child",
    "brother": "sibling",
    "sister": "sibling",
    "husband": "spouse",
    "wife": "spouse",
}


def run_baseline(document: Document) -> Extracted:
    """Keyword matching per sentence (see the module's docstring)."""
    refs: dict[str, str] = {}

    def ref(name: str) -> str:
        return refs.setdefault(name, f"p{len(refs) + 1}")

    claims: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for sentence in _B_SENTENCE.split(document.text):
        names = _B_NAME.findall(sentence)
        for match in _B_RELATIVE.finditer(sentence):
            noun = match["noun"] or match["noun2"]
            if match["a"] and names:
                continue  # an unnamed relative: the baseline has no person for it
            if match["b"] and names and names[0] != match["b"]:
                relations.append(
                    {"from": ref(match["b"]), "type": _B_TYPES[noun], "to": ref(names[0])}
                )
        if not names:
            continue
        for kind, pattern in _B_KEYWORDS:
            if not pattern.search(sentence):
                continue
            value: dict[str, Any] = {}
            if kind == "sentenced":
                years = _B_YEARS.search(sentence)
                if "life" in sentence.lower():
                    value = {"life": True}
                elif years:
                    word = years.group(1).lower()
                    value = {"years": int(word) if word.isdigit() else NUMBER_WORDS[word]}
            if kind == "fled":
                country = _B_COUNTRY.search(sentence)
                value = {"destination": country.group()} if country else {}
            claims.append({"subject": ref(names[0]), "kind": kind, "value": value})
    persons = [{"ref": r, "names": [n], "roles": []} for n, r in refs.items()]
    return {"persons": persons, "relations": relations, "claims": claims}


# --- running -----------------------------------------------------------------------------


def evaluate(
    cases: Iterable[Case],
    system: Callable[[Document], Extracted],
    notes: list[str] | None = None,
    groups: dict[str, Scores] | None = None,
) -> Scores:
    """The scores of ``system`` on the cases; ``groups`` gets them by name prefix too."""
    total = Scores()
    for case in cases:
        document = read_case(case.path)
        try:
            predicted = system(document)
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith("guwah.ingest.extract"):
                raise
            if notes is not None:
                notes.append(f"skipped {case.name}: {exc.name} does not exist yet")
            continue
        except Exception as exc:  # another helper's extractor may be half-written: say so
            if notes is not None:
                notes.append(f"skipped {case.name}: {type(exc).__name__}: {exc}")
            continue
        scores = score_case(case, predicted)
        total.add(scores)
        if groups is not None:
            groups.setdefault(case.name.split("-")[0], Scores()).add(scores)
    return total


def throughput(cases: list[Case], articles: int) -> tuple[float, int]:
    """Articles of ~1,000 words per second (one core), and the words per article."""
    texts = []
    for case in cases:
        if case.name.startswith("en-"):
            text = read_case(case.path).text
            texts.append(re.sub(r"^date [^\n]*\n", "", text))
    if not texts:
        return 0.0, 0
    documents: list[Document] = []
    buffer: list[str] = []
    words, index = 0, 0
    while len(documents) < articles:
        buffer.append(texts[index % len(texts)])
        index += 1
        if sum(len(t.split()) for t in buffer) >= 1000:
            body = "\n\n".join(buffer)
            words = len(body.split())
            documents.append(
                Document(
                    body,
                    "0" * 64,
                    "text/plain",
                    "bench.txt",
                    date="2022-01-01",
                    language="en",
                    kind="news_article",
                )
            )
            buffer = []
    started = time.perf_counter()
    for document in documents:
        run_ours(document)
    return len(documents) / (time.perf_counter() - started), words


def _row(name: str, ours: Tally | None, base: Tally | None, frozen: dict[str, Any] | None) -> str:
    def pr(t: Tally | None) -> str:
        return (
            f"{t.precision:5.2f} {t.recall:5.2f}" if t and (t.tp + t.fp + t.fn) else "    -     -"
        )

    fz = f"{frozen['precision']:5.2f} {frozen['recall']:5.2f}" if frozen else "    -     -"
    n = (ours.tp + ours.fn) if ours else 0
    target = ""
    if name in TARGET_KINDS and ours is not None:
        met = ours.precision >= TARGET_PRECISION and ours.recall >= TARGET_RECALL
        target = "met" if met else "NOT MET"
    return f"{name:17} {n:4} | {pr(ours)} | {pr(base)} | {fz} | {target}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="case name prefix (en-, ru-, zh-, table-)")
    parser.add_argument("--errors", action="store_true", help="list every miss and extra")
    parser.add_argument("--freeze", action="store_true", help=f"write the figures to {FROZEN.name}")
    parser.add_argument(
        "--smoke", action="store_true", help="a quick run (English cases, 5 articles)"
    )
    parser.add_argument("--articles", type=int, default=200, help="articles for the throughput run")
    args = parser.parse_args(argv)
    only = args.only or ("en-" if args.smoke else "")
    cases = load_cases(CASES, only)
    notes: list[str] = []
    groups: dict[str, Scores] = {}
    ours = evaluate(cases, run_ours, notes, groups)
    base = evaluate(cases, run_baseline)
    group = only.rstrip("-") or "all"
    frozen = json.loads(FROZEN.read_text(encoding="utf-8")) if FROZEN.exists() else {}
    frozen_kinds = frozen.get("groups", {}).get(group, {})
    for note in notes:
        print(note)
    print(f"{len(cases)} cases ({only or 'all'})")
    print(f"{'kind':17} {'n':>4} | ours P     R | base P     R | frozen P   R | target")
    for kind in (*KINDS, "relation", "person"):
        if kind in ours.kinds or kind in base.kinds:
            print(_row(kind, ours.kinds.get(kind), base.kinds.get(kind), frozen_kinds.get(kind)))
    all_ours, all_base = Tally(), Tally()
    for kind in KINDS:
        all_ours.add(ours.kinds.get(kind, Tally()))
        all_base.add(base.kinds.get(kind, Tally()))
    print(_row("all claims", all_ours, all_base, frozen_kinds.get("all claims")))
    for label, counter in (("dates", ours.dates), ("reasons", ours.reasons)):
        asked = counter["asked"]
        print(
            f"{label} right on matched claims: {counter['right']}/{asked}"
            + (f" ({counter['right'] / asked:.2f})" if asked else "")
        )
    if len(groups) > 1:
        print("by language (precision/recall):")
        for name, scores in sorted(groups.items()):
            cells = [
                f"{kind} {scores.kinds[kind].precision:.2f}/{scores.kinds[kind].recall:.2f}"
                for kind in TARGET_KINDS
                if kind in scores.kinds and sum(vars(scores.kinds[kind]).values())
            ]
            print(f"  {name:6} " + ", ".join(cells))
    targets = ours.targets()
    print(
        "targets (precision >= 0.9, recall >= 0.8): "
        + ", ".join(f"{k} {'met' if v else 'NOT MET'}" for k, v in targets.items())
    )
    rate, words = throughput(cases or load_cases(CASES, "en-"), 5 if args.smoke else args.articles)
    print(
        f"throughput: {rate:.1f} articles/s of ~{words} words on one core "
        f"(target >= {TARGET_RATE:.0f}/s: {'met' if rate >= TARGET_RATE else 'NOT MET'})"
    )
    if args.errors:
        for error in ours.errors:
            print("  " + error)
    if args.freeze:
        stored = frozen.get("groups", {})
        for name, scores in [(group, ours), *(() if only else groups.items())]:
            figures = scores.figures()
            total = Tally()
            for kind in KINDS:
                total.add(scores.kinds.get(kind, Tally()))
            figures["all claims"] = {
                "precision": round(total.precision, 3),
                "recall": round(total.recall, 3),
                "tp": total.tp,
                "fp": total.fp,
                "fn": total.fn,
            }
            stored[name] = figures
        frozen["groups"] = stored
        frozen["throughput_articles_per_s"] = round(rate, 1)
        FROZEN.write_text(json.dumps(frozen, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {FROZEN}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
