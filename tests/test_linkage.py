"""Batch linkage: which records are one person, across scripts, with the rules that must hold."""

from __future__ import annotations

import importlib.util
import itertools
import shutil
from collections import Counter
from pathlib import Path

import pytest
from stdnum.cn import ric

from guwah.match.linkage import LinkRecord, LinkResult, link
from guwah.model.errors import InvalidInput


def resident_id(birth: str, sequence: int, region: str = "650102") -> str:
    """A valid Chinese resident ID number (odd sequence: male, even: female)."""
    body = f"{region}{birth}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def together(result: LinkResult, *ids: str) -> bool:
    return len({result.cluster_of(i) for i in ids}) == 1


def every_id_once(result: LinkResult, records: list[LinkRecord]) -> None:
    members = Counter(m for cluster in result.clusters for m in cluster)
    assert set(members) == {r.id for r in records}
    assert set(members.values()) == {1}


def test_one_person_in_three_scripts_is_one_cluster() -> None:
    records = [
        LinkRecord("a", ("Gulbahar Haitiwaji",), 1966, "female", "Ghulja"),
        LinkRecord("b", ("Гүлбаһар Һайтиваҗи",), 1966, "female"),
        LinkRecord("c", ("گۈلباھار ھەيتىۋاجى",), 1967),
        LinkRecord("d", ("Abdurehim Heyit",), 1962, "male"),
    ]
    result = link(records)
    assert together(result, "a", "b", "c")
    assert not together(result, "a", "d")
    every_id_once(result, records)
    assert all(pair.reason for pair in result.pairs)
    assert result.cluster_of("c") == "a"  # the smallest id names the cluster


def test_chinese_characters_join_the_same_person() -> None:
    pytest.importorskip("guwah.names.hanzi")
    records = [
        LinkRecord("a", ("Ilham Tohti",), 1969, "male", "Urumqi"),
        LinkRecord("b", ("伊力哈木·土赫提",), 1969, "male", "Urumqi"),
        LinkRecord("c", ("Rahile Dawut",), 1966, "female"),
    ]
    result = link(records)
    assert together(result, "a", "b")
    assert not together(result, "a", "c")


def test_siblings_sharing_a_fathers_name_stay_apart() -> None:
    records = [
        LinkRecord("s1", ("Gulnar Tursun",), 1980, "female", "Kashgar"),
        LinkRecord("s2", ("Mihrigul Tursun",), 1980, "female", "Kashgar"),
        LinkRecord("s3", ("Gulnar Tursun",), 1980, "female", "Kashgar"),
    ]
    result = link(records)
    assert not together(result, "s1", "s2")
    assert not together(result, "s2", "s3")
    assert together(result, "s1", "s3")


def test_father_and_child_stay_apart() -> None:
    records = [
        LinkRecord("father", ("Ilham Tohti",), 1969, None, "Urumqi"),
        LinkRecord("daughter", ("Jewher Ilham",), None, None, "Urumqi"),
        LinkRecord("again", ("Ilham Toxti",), 1969, None, "Urumqi"),
    ]
    result = link(records)
    assert not together(result, "father", "daughter")
    assert not together(result, "again", "daughter")


def test_the_same_id_number_links_different_spellings() -> None:
    number = resident_id("19751103", 121)
    records = [
        LinkRecord("x", ("Ekpar Asat",), 1975, "male", None, number),
        LinkRecord("y", ("Экпар Асатов",), None, None, None, f" {number} "),
        LinkRecord("z", ("Ekber Esat",), 1975, "male"),
    ]
    result = link(records)
    assert together(result, "x", "y")
    linked = {frozenset((p.id_a, p.id_b)): p for p in result.pairs}
    assert "same Chinese ID number" in linked[frozenset(("x", "y"))].reason


def test_different_id_numbers_split_one_name_and_stop_chains() -> None:
    first, second = resident_id("19800101", 111), resident_id("19800101", 113)
    records = [
        LinkRecord("p", ("Abdulla Memet",), 1980, "male", "Kashgar", first),
        LinkRecord("q", ("Abdulla Memet",), 1980, "male", "Kashgar", second),
        LinkRecord("r", ("Abdulla Memet",), 1980, "male", "Kashgar"),
    ]
    result = link(records)
    assert not together(result, "p", "q")
    every_id_once(result, records)


def test_the_same_id_number_with_names_that_disagree_is_flagged_not_linked() -> None:
    number = resident_id("19690101", 131)
    records = [
        LinkRecord("m", ("Gulbahar Haitiwaji",), None, None, None, number),
        LinkRecord("n", ("Abdurehim Heyit",), None, None, None, number),
    ]
    result = link(records)
    assert not together(result, "m", "n")
    assert [frozenset((p.id_a, p.id_b)) for p in result.flagged] == [frozenset(("m", "n"))]


def test_a_birth_year_gap_or_another_gender_blocks_a_link() -> None:
    records = [
        LinkRecord("a", ("Zumrat Dawut",), 1983, "female"),
        LinkRecord("b", ("Zumrat Dawut",), 1990, "female"),
        LinkRecord("c", ("Zumrat Dawut",), 1983, "male"),
    ]
    result = link(records)
    assert len(result.clusters) == 3


def test_judgements_of_people_are_kept() -> None:
    records = [
        LinkRecord("a", ("Gulbahar Haitiwaji",), 1966, "female"),
        LinkRecord("b", ("Gulbahar Haitiwaji",), 1966, "female"),
        LinkRecord("c", ("Sayragul Sauytbay",), 1977, "female"),
        LinkRecord("d", ("Sairagul Sauytbai",), None, "female"),
    ]
    result = link(
        records,
        cannot_link={frozenset(("a", "b"))},
        must_link={frozenset(("a", "c"))},
    )
    assert not together(result, "a", "b")
    assert together(result, "a", "c")
    assert frozenset(("a", "b")) not in {frozenset((p.id_a, p.id_b)) for p in result.pairs}
    assert "confirmed by a person" in {p.reason for p in result.pairs}
    every_id_once(result, records)


def test_a_chain_through_a_rejected_pair_is_cut() -> None:
    records = [LinkRecord(i, ("Mihrigul Tursun",), 1972, "female", "Cherchen") for i in "abc"]
    result = link(records, cannot_link={frozenset(("a", "c"))})
    assert not together(result, "a", "c")
    assert any("judged different" in p.reason for p in result.flagged)
    every_id_once(result, records)


def test_judgements_that_contradict_each_other_are_an_error() -> None:
    records = [LinkRecord(i, ("Ekpar Asat",)) for i in "abc"]
    with pytest.raises(InvalidInput, match="contradict"):
        link(
            records,
            must_link={frozenset(("a", "b")), frozenset(("b", "c"))},
            cannot_link={frozenset(("a", "c"))},
        )
    with pytest.raises(InvalidInput, match="no record with id 'zz'"):
        link(records, must_link={frozenset(("a", "zz"))})


def test_an_empty_list_and_a_single_record() -> None:
    assert link([]).clusters == []
    result = link([LinkRecord("only", ("Rahile Dawut",), 1966)])
    assert result.clusters == [["only"]]
    assert result.pairs == []


def test_bad_records_are_refused_with_one_line() -> None:
    with pytest.raises(InvalidInput, match="record 2: duplicate id 'a'"):
        link([LinkRecord("a", ("X Y",)), LinkRecord("a", ("Z W",))])
    with pytest.raises(InvalidInput, match="gender must be male or female"):
        link([LinkRecord("a", ("X Y",), gender="f")])
    with pytest.raises(InvalidInput, match="empty id"):
        link([LinkRecord(" ", ("X Y",))])
    with pytest.raises(InvalidInput, match="unknown linkage backend"):
        link([LinkRecord("a", ("X Y",)), LinkRecord("b", ("X Y",))], backend="oracle")
    with pytest.raises(InvalidInput, match="threshold"):
        link([], threshold=1.5)


def test_invalid_id_numbers_are_counted_not_used() -> None:
    records = [
        LinkRecord("a", ("Tashpolat Tiyip",), 1958, "male", None, "650102195801011234"),
        LinkRecord("b", ("Tashpolat Tiyip",), 1958, "male", None, resident_id("19580101", 123)),
    ]
    result = link(records)
    assert result.invalid_id_numbers == ["a"]
    assert together(result, "a", "b")


def test_progress_is_reported_by_stage() -> None:
    seen: list[str] = []
    records = [LinkRecord(str(i), ("Gulnar Tursun",), 1980 + i % 2) for i in range(4)]
    link(records, progress=lambda stage, done, total: seen.append(stage))
    assert seen[0] == "features" and seen[-1] == "clustering"
    assert {"blocking", "scoring", "verifying"} <= set(seen)


def test_a_synthetic_list_trains_the_model_and_finds_its_duplicates() -> None:
    from guwah.synthetic import generate_people

    records, identity = [], {}
    for person in generate_people(6000, seed=5, duplicate_rate=0.3):
        ref = person.record["external_refs"][0]["ref"]
        names = tuple(n["text"] for n in person.record["names"] if not _han(n["text"]))
        facts = {c["kind"]: c for c in person.record["claims"]}
        born = facts.get("born", {}).get("date")
        gender = facts.get("gender", {}).get("value", {}).get("text")
        place = facts.get("resident_of", {}).get("place")
        number = facts.get("id_number", {}).get("value", {}).get("text")
        year = int(born[:4]) if born else None
        records.append(LinkRecord(ref, names, year, gender, place, number))
        identity[ref] = person.identity
    # the generator's small name bank makes namesakes born in the same year and county
    # common: a strict threshold keeps precision, the default trades some for recall
    for threshold, precision in ((0.9, 0.8), (None, 0.7)):
        result = link(records) if threshold is None else link(records, threshold=threshold)
        assert result.model.startswith("trained u, m by 2 EM session(s)")
        every_id_once(result, records)
        linked = list(result.pairs)
        right = sum(identity[p.id_a] == identity[p.id_b] for p in linked)
        assert len(linked) > 300
        assert right / len(linked) > precision


def _han(text: str) -> bool:
    return importlib.util.find_spec("guwah.names.hanzi") is None and any(
        "\u3400" <= ch <= "\u9fff" for ch in text
    )


@pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
    reason="the spark backend needs pyspark and Java",
)
def test_the_spark_backend_gives_the_same_clusters() -> None:
    records = [
        LinkRecord("a", ("Gulbahar Haitiwaji",), 1966, "female", "Ghulja"),
        LinkRecord("b", ("Гүлбаһар Һайтиваҗи",), 1966, "female"),
        LinkRecord("c", ("Gulnar Tursun",), 1980, "female", "Kashgar"),
        LinkRecord("d", ("Mihrigul Tursun",), 1980, "female", "Kashgar"),
        LinkRecord("e", ("Ekpar Asat",), 1975, "male", None, resident_id("19751103", 121)),
        LinkRecord("f", ("Экпар Асатов",), None, None, None, resident_id("19751103", 121)),
    ]
    spark = link(records, backend="spark")
    duckdb = link(records)
    assert sorted(spark.clusters) == sorted(duckdb.clusters)
    assert together(spark, "a", "b") and together(spark, "e", "f")


def test_clusters_are_in_input_order() -> None:
    records = [
        LinkRecord(i, (name,), 1970) for i, name in zip("zyx", itertools.repeat("Omir Bekali"))
    ]
    result = link(records)
    assert result.clusters == [["z", "y", "x"]]
    assert result.cluster_of("z") == "x"


def test_linkage_writes_no_name_to_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The DuckDB backend keeps every table in memory: nothing a name could sit in is
    written outside the encrypted archive, even while it runs."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    canary = "Qanarybek Zhelkuyrykovich"
    records = [
        LinkRecord("1", (canary,), 1970, "male", None, None),
        LinkRecord("2", (canary,), 1970, "male", None, None),
        LinkRecord("3", ("Ilham Tohti",), 1969, "male", None, None),
    ]
    written: list[Path] = []
    real_rmtree = shutil.rmtree

    def keep_listing(path: str | Path, *args: object, **kw: object) -> None:
        written.extend(p for p in Path(path).rglob("*") if p.is_file())
        real_rmtree(path, ignore_errors=True)

    monkeypatch.setattr(shutil, "rmtree", keep_listing)
    result = link(records)
    assert result.cluster_of("1") == result.cluster_of("2")
    assert written == []
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
