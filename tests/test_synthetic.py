"""The synthetic data generator: reproducible, valid, varied, streaming."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import tracemalloc
from collections import Counter
from pathlib import Path
from random import Random
from typing import Any

import pytest
from stdnum.cn import ric

from guwah.synthetic import (
    COUNTIES,
    GIVEN_NAMES,
    SyntheticPerson,
    generate_people,
    respell,
    write_jsonl,
)


def script_of(text: str) -> str:
    """The one script of all the letters of ``text`` (fails on a mix)."""
    scripts = set()
    for char in text:
        if not char.isalpha():
            continue
        point = ord(char)
        if point < 0x250 or 0x1E00 <= point <= 0x1EFF:
            scripts.add("Latn")
        elif 0x400 <= point <= 0x52F:
            scripts.add("Cyrl")
        elif 0x600 <= point <= 0x6FF:
            scripts.add("Arab")
        elif 0x4E00 <= point <= 0x9FFF:
            scripts.add("Hani")
        else:
            scripts.add(f"U+{point:04X}")
    assert len(scripts) == 1, (text, scripts)
    return scripts.pop()


def claims_of(record: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [claim for claim in record["claims"] if claim["kind"] == kind]


@pytest.fixture(scope="module")
def sample() -> list[SyntheticPerson]:
    return list(generate_people(2000, seed=11))


@pytest.fixture(scope="module")
def with_duplicates() -> list[SyntheticPerson]:
    return list(generate_people(2000, seed=12, duplicate_rate=0.25))


# --- reproducibility and streaming ------------------------------------------------------


def test_same_seed_gives_the_same_records() -> None:
    first = list(generate_people(300, seed=5, duplicate_rate=0.2))
    again = list(generate_people(300, seed=5, duplicate_rate=0.2))
    assert first == again
    assert json.dumps([p.record for p in first]) == json.dumps([p.record for p in again])


def test_another_seed_gives_other_records() -> None:
    one = [p.record for p in generate_people(100, seed=1)]
    two = [p.record for p in generate_people(100, seed=2)]
    assert sum(a["names"] != b["names"] for a, b in zip(one, two, strict=True)) > 80


def test_a_longer_run_starts_with_the_shorter_one() -> None:
    short = list(generate_people(200, seed=9, duplicate_rate=0.3))
    long = list(itertools.islice(generate_people(5000, seed=9, duplicate_rate=0.3), 200))
    assert short == long


def test_records_are_made_one_at_a_time() -> None:
    people = generate_people(10**9, seed=1)  # would never fit in memory if built at once
    first = list(itertools.islice(people, 3))
    assert [p.record["external_refs"][0]["ref"] for p in first] == [
        "SYN-0000001",
        "SYN-0000002",
        "SYN-0000003",
    ]


@pytest.mark.parametrize(
    "kwargs", [{"n": -1}, {"n": 5, "duplicate_rate": 1.0}, {"n": 5, "claims_per_person": -1}]
)
def test_bad_arguments_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        generate_people(**kwargs)


# --- the records --------------------------------------------------------------------------


def test_records_have_the_short_person_form(sample: list[SyntheticPerson]) -> None:
    refs = set()
    for person in sample:
        record = person.record
        assert record["type"] == "person"
        assert record["kinds"] == ["victim"]
        assert record["sensitivity"] == "internal"
        (ref,) = record["external_refs"]
        assert ref["namespace"] == "synthetic"
        refs.add(ref["ref"])
        assert 1 <= len(record["names"]) <= 3
        for name in record["names"]:
            assert set(name) == {"text", "lang", "kind"}
            assert name["kind"] == "full"
    assert len(refs) == len(sample)
    assert [p.identity for p in sample] == list(range(1, len(sample) + 1))


def test_id_numbers_are_valid_and_agree_with_birth_and_gender(
    sample: list[SyntheticPerson], with_duplicates: list[SyntheticPerson]
) -> None:
    checked = 0
    for person in sample + with_duplicates:
        for claim in claims_of(person.record, "id_number"):
            number = claim["value"]["text"]
            assert ric.validate(number) == number  # checksum, birth date and region code
            assert number[:2] == "65"  # Xinjiang
            (born,) = claims_of(person.record, "born")
            birth = ric.get_birth_date(number)
            if len(born["date"]) == 10:
                assert born["date"] == birth.isoformat()
            else:
                assert born["date"] == str(birth.year)
            for gender in claims_of(person.record, "gender"):
                assert gender["value"]["text"] == ("male" if int(number[16]) % 2 else "female")
            checked += 1
    with_id = sum(bool(claims_of(p.record, "id_number")) for p in sample)
    assert 0.25 < with_id / len(sample) < 0.35
    assert checked > 1000


def test_every_county_code_is_valid_for_every_birth_year() -> None:
    for county, year in itertools.product(COUNTIES, range(1930, 2004)):
        body = f"{county.code_for(year)}{year}0101001"
        assert ric.is_valid(body + ric.calc_check_digit(body + "0")), (county.name, year)


def test_dates_are_valid_edtf(
    sample: list[SyntheticPerson], with_duplicates: list[SyntheticPerson]
) -> None:
    edtf = pytest.importorskip("edtf")
    dates = {
        claim["date"]
        for person in sample[:400] + with_duplicates[:200]  # the EDTF parser is slow
        for claim in person.record["claims"]
        if "date" in claim
    }
    for date in dates:
        edtf.parse_edtf(date)
        if len(date) == 10 and "X" not in date:
            dt.date.fromisoformat(date)
    assert any(d.endswith("~") for d in dates)
    assert any(d.endswith("?") for d in dates)
    assert any("/" in d for d in dates)
    assert any(d.endswith("-XX") for d in dates)


def _year_month(date: str) -> tuple[int, int | None]:
    month = date[5:7]
    return int(date[:4]), int(month) if date[4:5] == "-" and month.isdigit() else None


def test_events_follow_the_detention(sample: list[SyntheticPerson]) -> None:
    for person in sample:
        (detained,) = claims_of(person.record, "detained")
        year, month = _year_month(detained["date"])
        assert 2017 <= year <= 2019
        for kind in ("sentenced", "released", "died", "fled"):
            for claim in claims_of(person.record, kind):
                later_year, later_month = _year_month(claim["date"])
                assert later_year >= year
                if later_year == year and month and later_month:
                    assert later_month > month, (detained, claim)


@pytest.mark.parametrize("wanted", [0, 3, 5, 8])
def test_each_original_has_the_claims_asked_for(wanted: int) -> None:
    for person in generate_people(300, seed=4, claims_per_person=wanted):
        kinds = [claim["kind"] for claim in person.record["claims"]]
        assert len(kinds) == wanted
        assert len(set(kinds)) == len(kinds)
        if wanted:
            assert kinds[0] == "born"


def test_claim_kinds_and_values(sample: list[SyntheticPerson]) -> None:
    kinds = Counter(claim["kind"] for p in sample for claim in p.record["claims"])
    for kind in ("born", "gender", "ethnicity", "resident_of", "id_number", "detained",
                 "sentenced", "released", "died", "disappeared", "fled"):  # fmt: skip
        assert kinds[kind] > 0, kind
    reasons = Counter(
        c["value"].get("reason") for p in sample for c in claims_of(p.record, "detained")
    )
    for reason in ("praying", "WhatsApp", "relatives in Kazakhstan", "no reason given"):
        assert reasons[reason] > 0
    for person in sample:
        for claim in claims_of(person.record, "sentenced"):
            value = claim["value"]
            assert value.get("life") is True or 5 <= value["years"] <= 20


# --- names -------------------------------------------------------------------------------


def test_names_come_in_all_four_scripts(sample: list[SyntheticPerson]) -> None:
    scripts = Counter(script_of(n["text"]) for p in sample for n in p.record["names"])
    assert set(scripts) == {"Latn", "Cyrl", "Arab", "Hani"}
    latin = sum(any(script_of(n["text"]) == "Latn" for n in p.record["names"]) for p in sample)
    assert 0.65 < latin / len(sample) < 0.75
    langs = Counter(n["lang"] for p in sample for n in p.record["names"])
    assert {"en", "ug", "kk", "ru", "zh"} <= set(langs)


def test_second_name_is_the_fathers(sample: list[SyntheticPerson]) -> None:
    male_chinese = {form for name in GIVEN_NAMES if name.sex == "m" for form in name.chinese}
    father_of: dict[int, str] = {}
    for person in sample:
        for name in person.record["names"]:
            if script_of(name["text"]) == "Hani" and "·" in name["text"]:
                _given, father = name["text"].split("·")
                assert father in male_chinese  # daughters too carry their father's name
                father_of[person.identity] = father

    # Families come together: neighbours share the father's name far more than strangers.
    def sharing(gap: int) -> int:
        return sum(father_of.get(i + gap) == f for i, f in father_of.items())

    assert sharing(1) > 50
    assert sharing(1) > 3 * sharing(500)


def test_kazakh_and_russian_patronymic_endings_appear(sample: list[SyntheticPerson]) -> None:
    cyrillic = [n["text"] for p in sample for n in p.record["names"] if n["lang"] in "kk ky ru"]
    assert any(t.endswith(("ұлы", "қызы")) for t in cyrillic)
    assert any(t.endswith(("ов", "ова", "ев", "ева")) for t in cyrillic)


def test_common_names_dominate(sample: list[SyntheticPerson]) -> None:
    given = Counter(
        n["text"].split("·")[0] for p in sample for n in p.record["names"] if "·" in n["text"]
    )
    total = sum(given.values())
    assert given.most_common(1)[0][1] / total > 0.05  # 买买提 or 古丽娜尔
    assert len(given) > 40  # and a long tail of rarer names


def test_name_bank_forms_are_in_their_scripts() -> None:
    assert 140 <= len(GIVEN_NAMES) <= 170
    assert {n.sex for n in GIVEN_NAMES} == {"m", "f"}
    for name in GIVEN_NAMES:
        assert script_of(name.latin) == "Latn"
        assert all(script_of(p) == "Latn" for p in name.press)
        assert script_of(name.arabic) == "Arab"
        assert all(script_of(c) == "Hani" for c in name.chinese)
        assert all(script_of(text) == "Cyrl" for text, _lang in name.cyrillic)
        langs = {lang for _text, lang in name.cyrillic}
        needed = {"U": "ug", "K": "kk", "G": "ky", "H": "ru"}
        assert {needed[g] for g in name.groups} <= langs, name.latin


def test_respell_makes_real_world_variants() -> None:
    seen = {respell("Qazybek Toxti", Random(s)) for s in range(200)}
    assert {"Kazybek Toxti", "Qazybek Tokhti", "Qazybek Tohti"} <= seen
    assert "Muhemet Tursun" in {respell("Muhemmet Tursun", Random(s)) for s in range(200)}
    assert "Ahmetjan" in {respell("Ahmetcan", Random(s)) for s in range(50)}


# --- duplicates -------------------------------------------------------------------------


def test_duplicates_share_identity_and_differ_in_spelling(
    with_duplicates: list[SyntheticPerson],
) -> None:
    first: dict[int, dict[str, Any]] = {}
    duplicates = 0
    given_only = off_by_one = 0
    for person in with_duplicates:
        original = first.setdefault(person.identity, person.record)
        if original is person.record:
            continue
        duplicates += 1
        known = {n["text"] for n in original["names"]}
        texts = {n["text"] for n in person.record["names"]}
        assert texts and not texts & known
        given_only += any(n["kind"] == "given" for n in person.record["names"])
        assert person.record["external_refs"] != original["external_refs"]
        for claim in claims_of(person.record, "id_number"):
            assert claim in claims_of(original, "id_number")
        born, (born_then,) = claims_of(person.record, "born"), claims_of(original, "born")
        if born and born[0] != born_then:
            assert abs(int(born[0]["date"][:4]) - int(born_then["date"][:4])) == 1
            off_by_one += 1
    assert duplicates == 500  # floor(2000 * 0.25)
    assert max(Counter(p.identity for p in with_duplicates).values()) <= 4  # spread out
    assert given_only > 20 and off_by_one > 20


# --- writing ------------------------------------------------------------------------------


def test_write_jsonl_writes_the_generated_records(tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    assert write_jsonl(path, 1500, seed=3, duplicate_rate=0.1) == 1500
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1500
    expected = [p.record for p in generate_people(1500, seed=3, duplicate_rate=0.1)]
    assert [json.loads(line) for line in lines] == expected


def test_write_jsonl_streams(tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    tracemalloc.start()
    try:
        assert write_jsonl(path, 5000, seed=1) == 5000
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = path.stat().st_size
    assert peak < size / 20, f"peak {peak} bytes for a {size}-byte file"


def test_records_pass_the_archive_checks(with_duplicates: list[SyntheticPerson]) -> None:
    from guwah.model.claimvalues import check_value
    from guwah.model.dates import parse_date
    from guwah.model.idnumber import parse_resident_id
    from guwah.model.vocab import ClaimKind, NameKind

    for person in with_duplicates[:500]:
        for name in person.record["names"]:
            NameKind(name["kind"])
        for claim in person.record["claims"]:
            value = check_value(ClaimKind(claim["kind"]), claim.get("value"))
            if "date" in claim:
                parse_date(claim["date"])
            if claim["kind"] == "id_number":  # the check the archive itself applies
                assert parse_resident_id(value["text"]).region_code.startswith("65")
