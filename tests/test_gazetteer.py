"""The shipped Xinjiang gazetteer: data integrity, multilingual lookup, ID-number decoding."""

from __future__ import annotations

import re

import pytest

from guwah.model.gazetteer import (
    Gazetteer,
    Place,
    PlaceKind,
    load_gazetteer,
    name_keys,
    parse_places,
)

ADMIN_KINDS = {
    PlaceKind.REGION,
    PlaceKind.PREFECTURE,
    PlaceKind.COUNTY,
    PlaceKind.CITY,
    PlaceKind.DISTRICT,
}
FACILITY_KINDS = {
    PlaceKind.FACILITY_CAMP,
    PlaceKind.FACILITY_DETENTION_CENTRE,
    PlaceKind.FACILITY_PRISON,
}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def code_of(place: Place | None) -> str | None:
    return None if place is None else place.code


# --- the data -------------------------------------------------------------------------


def test_loaded_once_and_sized(gaz: Gazetteer) -> None:
    assert load_gazetteer() is gaz
    current_admin = [p for p in gaz if p.kind in ADMIN_KINDS and not p.former]
    assert 110 <= len(current_admin) <= 140
    assert len([p for p in gaz if p.kind in FACILITY_KINDS]) >= 10


def test_codes_unique_and_well_formed(gaz: Gazetteer) -> None:
    codes = [p.code for p in gaz]
    assert len(codes) == len(set(codes)) == len(gaz)
    for place in gaz:
        if place.kind in ADMIN_KINDS:
            assert place.admin_code is not None and re.fullmatch(r"65\d{4}", place.admin_code)
            assert place.code == "CN-" + place.admin_code
        else:
            assert place.code.startswith("FAC-") and place.admin_code is None


def test_every_parent_exists_and_no_cycles(gaz: Gazetteer) -> None:
    for place in gaz:
        if place.kind is PlaceKind.REGION:
            assert place.parent is None
            continue
        assert place.parent is not None and gaz.get(place.parent) is not None, place.code
        assert gaz.ancestors(place.code)[-1].code == "CN-650000", place.code


def test_admin_codes_nest_in_their_parent(gaz: Gazetteer) -> None:
    for place in gaz:
        parent = gaz.get(place.parent) if place.parent else None
        if place.admin_code and parent is not None and parent.admin_code:
            assert place.admin_code[:2] == parent.admin_code[:2], place.code


def test_every_admin_unit_has_english_and_chinese_names(gaz: Gazetteer) -> None:
    for place in gaz:
        if place.kind in ADMIN_KINDS:
            assert place.names.get("en") and place.names.get("zh"), place.code
            assert re.search(r"[\u4e00-\u9fff]", place.names["zh"]), place.code


def test_former_units_point_to_current_successors(gaz: Gazetteer) -> None:
    for place in gaz:
        if place.successor is not None:
            assert place.former
            successor = gaz.get(place.successor)
            assert successor is not None and not successor.former, place.code
    assert not any(p.former for p in gaz if p.kind in FACILITY_KINDS)


def test_facilities_sit_in_a_county_or_prefecture(gaz: Gazetteer) -> None:
    for place in gaz:
        if place.kind in FACILITY_KINDS:
            parent = gaz.get(str(place.parent))
            assert parent is not None and parent.kind in ADMIN_KINDS - {PlaceKind.REGION}
            assert place.names.get("en")


def test_all_prefecture_level_units_present(gaz: Gazetteer) -> None:
    prefectures = {p.admin_code for p in gaz if p.kind is PlaceKind.PREFECTURE and not p.former}
    assert prefectures == {
        "650100", "650200", "650400", "650500", "652300", "652700", "652800",
        "652900", "653000", "653100", "653200", "654000", "654200", "654300",
    }  # fmt: skip
    xpcc = [p for p in gaz if p.admin_code and p.admin_code.startswith("6590")]
    assert {p.names["zh"] for p in xpcc} >= {"石河子市", "阿拉尔市", "图木舒克市", "新星市"}
    assert all(p.parent == "CN-650000" for p in xpcc)


# --- lookup and resolve ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Yining City", "CN-654002"),  # en
        ("غۇلجا شەھىرى", "CN-654002"),  # ug
        ("伊宁市", "CN-654002"),  # zh
        ("Құлжа қаласы", "CN-654002"),  # kk
        ("Кульджа", "CN-654002"),  # ru
        ("Ghulja City", "CN-654002"),  # alias with a generic word
        ("Ghulja County", "CN-654021"),
        ("伊宁县", "CN-654021"),
        ("غۇلجا ناھىيىسى", "CN-654021"),
        ("уезд Инин", "CN-654021"),
        ("Karakax", "CN-653222"),
        ("墨玉县", "CN-653222"),
        ("Moyu", "CN-653222"),
        ("قاراقاش", "CN-653222"),  # ug without its generic word
        ("Atush", "CN-653001"),
        ("Artux", "CN-653001"),
        ("Mongolkure County", "CN-654026"),
        ("Моңғолкүре ауданы", "CN-654026"),
        ("Xinjiang", "CN-650000"),
        ("新疆", "CN-650000"),
        ("East Turkistan", "CN-650000"),
        ("Синьцзян-Уйгурский автономный район", "CN-650000"),
        ("Ili", "CN-654000"),
        ("Іле Қазақ автономиялық облысы", "CN-654000"),
        ("ئىلى قازاق ئاپتونوم ئوبلاستى", "CN-654000"),
        ("伊犁哈萨克自治州", "CN-654000"),
        ("Kashgar City", "CN-653101"),
        ("Kaxgar", "CN-653101"),  # Pinyin-style Latin alias
        ("Yarkand", "CN-653125"),
        ("Bayin'gholin", "CN-652800"),
        ("Dabancheng", "CN-650107"),
    ],
)
def test_resolve_names(gaz: Gazetteer, name: str, code: str) -> None:
    assert code_of(gaz.resolve(name)) == code


@pytest.mark.parametrize(
    ("variant", "code"),
    [
        ("  GHULJA city ", "CN-654002"),
        ("ghulja-city", "CN-654002"),
        ("Ürümqi", "CN-650100"),
        ("Urumqi", "CN-650100"),
        ("Uch Turfan", "CN-652927"),
        ("Uch-Turfan", "CN-652927"),
        ("Bayingolin", "CN-652800"),
        ("Barköl", "CN-650521"),
        ("Barkol", "CN-650521"),
        ("Kasgar", "CN-653101"),  # Turkish "Kaşgar" without its cedilla
        ("Yéngisar", "CN-653123"),  # ULY é
        ("ＫＡＳＨＧＡＲ ＣＩＴＹ", "CN-653101"),  # full-width forms
    ],
)
def test_folding_case_space_hyphen_diacritics(gaz: Gazetteer, variant: str, code: str) -> None:
    assert code_of(gaz.resolve(variant)) == code


def test_folding_is_not_transliteration(gaz: Gazetteer) -> None:
    assert name_keys("Gulja") != name_keys("Ghulja")
    assert gaz.lookup("Ghuljah") == []
    assert gaz.resolve("Beijing") is None
    assert gaz.resolve("") is None


def test_name_shared_by_city_and_county_is_ambiguous(gaz: Gazetteer) -> None:
    for name in ("Ghulja", "Yining", "伊宁", "غۇلجا", "Құлжа"):
        current = [p.code for p in gaz.lookup(name) if not p.former]
        assert sorted(current) == ["CN-654002", "CN-654021"], name
        assert gaz.resolve(name) is None, name


def test_name_shared_by_unrelated_units_is_ambiguous(gaz: Gazetteer) -> None:
    # Yengisheher: Shule County (Kashgar) and Xinshi District (Urumqi)
    assert {p.code for p in gaz.lookup("Yengisheher")} == {"CN-653122", "CN-650104"}
    assert gaz.resolve("Yengisheher") is None


def test_nested_candidates_resolve_to_the_outer_unit(gaz: Gazetteer) -> None:
    found = gaz.lookup("Kashgar")
    assert [p.code for p in found] == ["CN-653101", "CN-653100"]  # most specific first
    assert code_of(gaz.resolve("Kashgar")) == "CN-653100"
    assert code_of(gaz.resolve("Hotan")) == "CN-653200"  # city, county and prefecture
    assert code_of(gaz.resolve("Urumqi")) == "CN-650100"  # city and Urumqi County


def test_current_units_win_over_former_ones(gaz: Gazetteer) -> None:
    found = gaz.lookup("吐鲁番市")
    assert found[0].code == "CN-650400" and {p.code for p in found[1:]} == {"CN-652101"}
    assert code_of(gaz.resolve("Turpan")) == "CN-650400"
    assert code_of(gaz.resolve("Tekes")) == "CN-654027"
    # a name only former units carry resolves to what replaced them
    assert code_of(gaz.resolve("沙湾县")) == "CN-654203"
    assert code_of(gaz.resolve("Turpan Prefecture")) == "CN-650400"
    assert code_of(gaz.resolve("米泉市")) == "CN-650109"


def test_resolve_by_code(gaz: Gazetteer) -> None:
    assert code_of(gaz.resolve("CN-654002")) == "CN-654002"
    assert code_of(gaz.resolve(" cn-654002 ")) == "CN-654002"
    assert code_of(gaz.resolve("654101")) == "CN-654101"  # a former unit, by its own code
    assert code_of(gaz.resolve("FAC-dabancheng-vocational")) == "FAC-dabancheng-vocational"
    assert gaz.get("CN-999999") is None


def test_facilities_by_name(gaz: Gazetteer) -> None:
    camp = gaz.resolve("Dabancheng Vocational Skills Education and Training Centre")
    assert camp is not None and camp.kind is PlaceKind.FACILITY_CAMP
    assert code_of(gaz.resolve("乌鲁木齐市第三看守所")) == "FAC-urumqi-no3-detention"


def test_display_name(gaz: Gazetteer) -> None:
    place = gaz.get("CN-654002")
    assert place is not None
    assert place.display_name() == "Yining City"
    assert place.display_name("zh") == "伊宁市"
    assert place.display_name("ug") == "غۇلجا شەھىرى"
    assert place.display_name("de") == "Yining City"  # falls back to English
    assert Place("X", PlaceKind.VILLAGE, None, None, {"ug": "كەنت"}).display_name() == "كەنت"
    assert Place("X", PlaceKind.VILLAGE, None, None, {}).display_name() == "X"


# --- ID numbers -----------------------------------------------------------------------


def test_by_admin_code_exact(gaz: Gazetteer) -> None:
    assert code_of(gaz.by_admin_code("653222")) == "CN-653222"  # Karakax
    assert code_of(gaz.by_admin_code("65010219650214002X")) == "CN-650102"  # a whole ID number


def test_by_admin_code_old_codes_still_in_id_numbers(gaz: Gazetteer) -> None:
    old = gaz.by_admin_code("654101")  # Yining City before 2001
    assert old is not None and old.former and old.successor == "CN-654002"
    assert code_of(gaz.by_admin_code("652101")) == "CN-652101"  # Turpan City before 2015
    assert code_of(gaz.by_admin_code("652201")) == "CN-652201"  # Hami City before 2016
    assert code_of(gaz.by_admin_code("652923")) == "CN-652923"  # Kuqa County before 2019


def test_by_admin_code_falls_back_to_prefecture_then_region(gaz: Gazetteer) -> None:
    assert code_of(gaz.by_admin_code("653299")) == "CN-653200"  # unknown county of Hotan
    assert code_of(gaz.by_admin_code("659099")) == "CN-650000"  # no 659000 row: the region


def test_by_admin_code_outside_xinjiang_or_malformed(gaz: Gazetteer) -> None:
    assert gaz.by_admin_code("110101") is None  # Beijing, Dongcheng
    assert gaz.by_admin_code("6501") is None
    assert gaz.by_admin_code("65A102") is None


# --- hierarchy ------------------------------------------------------------------------


def test_ancestors(gaz: Gazetteer) -> None:
    assert [p.code for p in gaz.ancestors("FAC-kunes-camp")] == [
        "CN-654025",
        "CN-654000",
        "CN-650000",
    ]
    assert [p.code for p in gaz.ancestors("CN-654201")] == ["CN-654200", "CN-654000", "CN-650000"]
    assert gaz.ancestors("CN-650000") == []
    assert gaz.ancestors("CN-nothing") == []


def test_prefecture_of(gaz: Gazetteer) -> None:
    assert code_of(gaz.prefecture_of("CN-653222")) == "CN-653200"
    assert code_of(gaz.prefecture_of("FAC-urumqi-no3-detention")) == "CN-650100"
    assert code_of(gaz.prefecture_of("CN-654201")) == "CN-654200"  # Tacheng, not Ili
    assert code_of(gaz.prefecture_of("CN-653100")) == "CN-653100"  # itself
    assert code_of(gaz.prefecture_of("CN-654101")) == "CN-654000"  # former Ili Prefecture
    assert code_of(gaz.prefecture_of("CN-652101")) == "CN-650400"  # former Turpan Prefecture
    assert gaz.prefecture_of("CN-659001") is None  # XPCC city under the region
    assert gaz.prefecture_of("CN-650000") is None
    assert gaz.prefecture_of("CN-nothing") is None


# --- building a gazetteer -------------------------------------------------------------


def test_parse_places_and_duplicates() -> None:
    text = (
        "code,kind,parent,admin_code,en,ug,zh,kk,ru,aliases\n"
        "CN-650000,region,,650000,Xinjiang,,新疆维吾尔自治区,,,\n"
        "CN-650100,prefecture,CN-650000,650100,Urumqi,,乌鲁木齐市,,,Urumchi|Tihwa\n"
        "CN-650108,district,CN-650100,650108,Dongshan District,,东山区,,,former:CN-650100\n"
    )
    places = parse_places(text)
    assert places[1].aliases == ("Urumchi", "Tihwa") and places[1].parent == "CN-650000"
    assert places[0].parent is None
    assert places[0].names == {"en": "Xinjiang", "zh": "新疆维吾尔自治区"}
    assert places[2].former and places[2].successor == "CN-650100" and places[2].aliases == ()
    small = Gazetteer(places)
    assert len(small) == 3 and code_of(small.resolve("Tihwa")) == "CN-650100"
    with pytest.raises(ValueError, match="duplicate"):
        Gazetteer([*places, places[0]])
