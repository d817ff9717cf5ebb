"""The labelled data of the name-matcher benchmark (benchmarks/data/names) is sound."""

from __future__ import annotations

import csv
import filecmp
import subprocess
import sys
from collections import Counter, defaultdict
from functools import cache
from itertools import combinations_with_replacement
from pathlib import Path

import pytest
from stdnum.cn import ric

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "names"
SCRIPTS = ("Arab", "Cyrl", "Hani", "Latn")
GENERATED = ("clusters.tsv", "pairs.tsv", "list_people.csv", "list_truth.csv")
LANGS = {"ug", "kk", "ky", "ru", "zh", "en", "tr", "de", "uz"}


def detect_script(text: str) -> str:
    """The one script of a name's letters, by Unicode block (punctuation is ignored)."""
    found = set()
    for ch in text:
        if not ch.isalpha():
            continue
        code = ord(ch)
        if 0x0400 <= code <= 0x04FF:
            found.add("Cyrl")
        elif 0x0600 <= code <= 0x06FF or 0xFB50 <= code <= 0xFEFF:
            found.add("Arab")
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            found.add("Hani")
        elif code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
            found.add("Latn")
        else:
            found.add(f"U+{code:04X}")
    return found.pop() if len(found) == 1 else "mixed:" + ",".join(sorted(found))


def read_tsv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@cache
def clusters() -> tuple[dict[str, str], ...]:
    return tuple(read_tsv("clusters.tsv"))


@cache
def pairs() -> tuple[dict[str, str], ...]:
    return tuple(read_tsv("pairs.tsv"))


def unordered(a: str, b: str) -> str:
    return "-".join(sorted((a, b)))


def test_counts() -> None:
    assert len({row["cluster"] for row in clusters()}) >= 500
    assert len(pairs()) >= 3000
    public = {row["cluster"] for row in clusters() if row["origin"] == "public"}
    assert len(public) >= 150
    share = sum(row["same"] == "1" for row in pairs()) / len(pairs())
    assert 0.40 <= share <= 0.50


def test_every_name_belongs_to_one_cluster() -> None:
    owner: dict[str, str] = {}
    for row in clusters():
        assert row["name"] == row["name"].strip() and row["name"]
        assert owner.setdefault(row["name"], row["cluster"]) == row["cluster"], row
        assert row["origin"] in {"public", "synthetic"}
        assert row["lang"] in LANGS, row


def test_pairs_name_known_people_and_labels_agree_with_clusters() -> None:
    owner = {row["name"]: row["cluster"] for row in clusters()}
    for row in pairs():
        assert row["a"] in owner and row["b"] in owner, row
        assert row["same"] in {"0", "1"}
        assert (owner[row["a"]] == owner[row["b"]]) == (row["same"] == "1"), row


def test_scripts_are_labelled_right() -> None:
    for row in clusters():
        assert detect_script(row["name"]) == row["script"], row
    for row in read_tsv("public_people.tsv"):
        assert detect_script(row["name"]) == row["script"], row
        assert row["lang"] in LANGS and row["note"], row
    for row in pairs():
        assert detect_script(row["a"]) == row["script_a"], row
        assert detect_script(row["b"]) == row["script_b"], row


def test_no_duplicate_pair() -> None:
    keys = Counter(tuple(sorted((row["a"], row["b"]))) for row in pairs())
    assert max(keys.values()) == 1
    assert all(row["a"] != row["b"] for row in pairs())


def test_every_script_pair_has_positives_and_negatives() -> None:
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for row in pairs():
        seen[unordered(row["script_a"], row["script_b"])][row["same"]] += 1
    for a, b in combinations_with_replacement(SCRIPTS, 2):
        got = seen[unordered(a, b)]
        assert got["1"] >= 100 and got["0"] >= 100, (a, b, got)


def test_no_negative_is_the_same_two_names_swapped() -> None:
    """Ilham Tohti vs Tohti Ilham cannot be told apart by name when the order is unknown."""
    for row in pairs():
        if row["same"] == "0" and row["script_a"] == row["script_b"]:
            a, b = row["a"].casefold().split(), row["b"].casefold().split()
            assert not (len(a) == len(b) == 2 and a == b[::-1]), row


def test_kinds() -> None:
    kinds = Counter((row["kind"], row["same"]) for row in pairs())
    assert {k for k, same in kinds if same == "1"} == {"variant", "cross_script"}
    hard = {"sibling", "father_child", "common_element", "same_given_other_father"}
    for kind in hard:
        assert kinds[(kind, "0")] >= 200, kind
    assert 0 < kinds[("random", "0")] < min(kinds[(kind, "0")] for kind in hard)


def test_hand_written_hard_negatives_are_public_people() -> None:
    owner = {row["name"]: row["cluster"] for row in read_tsv("public_people.tsv")}
    listed = {tuple(sorted((row["a"], row["b"]))) for row in pairs() if row["same"] == "0"}
    for row in read_tsv("hard_negatives.tsv"):
        assert owner[row["a"]] != owner[row["b"]], row
        assert tuple(sorted((row["a"], row["b"]))) in listed, row


def test_leaked_list() -> None:
    with open(DATA / "list_people.csv", encoding="utf-8", newline="") as fh:
        people = list(csv.DictReader(fh))
    with open(DATA / "list_truth.csv", encoding="utf-8", newline="") as fh:
        truth = {row["id"]: row["person"] for row in csv.DictReader(fh)}
    assert list(people[0]) == ["id", "name", "birth_year", "gender", "place", "id_number"]
    assert 1800 <= len(people) <= 2500
    assert len({row["id"] for row in people}) == len(people) == len(truth)
    rows_of = Counter(truth.values())
    assert 300 <= len(rows_of) <= 1000
    assert sum(n >= 2 for n in rows_of.values()) >= 300 and max(rows_of.values()) <= 5
    ids_of: dict[str, set[str]] = defaultdict(set)
    for row in people:
        assert row["gender"] in {"", "m", "f"} and row["name"]
        assert row["birth_year"] == "" or 1940 <= int(row["birth_year"]) <= 2010
        if row["id_number"]:
            assert ric.is_valid(row["id_number"]), row
            assert row["id_number"][14] == "9", row  # the invented 9xx sequences
            ids_of[truth[row["id"]]].add(row["id_number"])
    assert all(len(ids) == 1 for ids in ids_of.values())  # one person, one number
    assert len(ids_of) >= 50


@pytest.mark.parametrize("name", GENERATED)
def test_committed_files_are_fresh_and_build_is_deterministic(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = built(tmp_path_factory)
    assert filecmp.cmp(out / name, DATA / name, shallow=False), f"{name}: run build.py"


@cache
def _build_into(folder: Path) -> Path:
    done = subprocess.run(
        [sys.executable, str(DATA / "build.py"), "--out", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


def built(factory: pytest.TempPathFactory) -> Path:
    return _build_into(factory.getbasetemp() / "names-build")
