"""Chinese-character transcriptions of Uyghur, Kazakh and Kyrgyz names, read back into Latin.

The real names below are public figures whose Chinese and Latin forms are both in print.
Chinese loses Uyghur contrasts (r/l, q/k/h, gh/h, vowels), so each reading is checked by
consonant skeleton: equal, or one edit away, from the person's own Latin spelling.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from guwah.names.hanzi import (
    SEPARATORS,
    element_table,
    is_han_chinese_name,
    romanize,
    romanize_part,
    split_parts,
    syllable_table,
)

ULY = re.compile(r"(?:ch|gh|ng|sh|zh|[abdefghijklmnopqrstuwxyzéöü])+")

REAL_NAMES = [
    ("伊力哈木·土赫提", "Ilham Tohti"),
    ("古丽巴哈尔·海提瓦吉", "Gulbahar Haitiwaji"),
    ("米日古丽·图尔逊", "Mihrigul Tursun"),
    ("热依拉·达吾提", "Rahile Dawut"),
    ("萨依拉古丽·沙吾提巴依", "Sayragul Sauytbay"),
    ("塔西甫拉提·特依拜", "Tashpolat Tiyip"),
    ("艾克拜尔·阿萨提", "Ekpar Asat"),
    ("努尔·白克力", "Nur Bekri"),
    ("雪克来提·扎克尔", "Shohrat Zakir"),
    ("艾尔肯·吐尼亚孜", "Erkin Tuniyaz"),
    ("哈力木拉提·吾甫尔", "Halmurat Ghopur"),
    ("帕尔哈提·吐尔逊", "Perhat Tursun"),
    ("赛努拜尔·吐尔逊", "Sanubar Tursun"),
    ("亚力坤·肉孜", "Yalqun Rozi"),
    ("迪丽热巴·迪力木拉提", "Dilraba Dilmurat"),
    ("古力娜扎尔·拜合提亚尔", "Gulnezer Bextiyar"),
    ("热比娅·卡德尔", "Rebiya Kadeer"),
    ("多里坤·艾沙", "Dolkun Isa"),
    ("吾尔开希·多莱特", "Orkesh Dolet"),
    ("铁木尔·达瓦买提", "Tomur Dawamat"),
    ("司马义·艾买提", "Ismail Amat"),
    ("阿不来提·阿不都热西提", "Ablet Abdureshit"),
    ("司马义·铁力瓦尔地", "Ismail Tiliwaldi"),
    ("赛福鼎·艾则孜", "Seypidin Azizi"),
    ("包尔汉·沙希迪", "Burhan Shahidi"),
    ("阿合买提江·哈斯木", "Ehmetjan Qasimi"),
    ("麻赫穆德·喀什噶里", "Mahmud Kashgari"),
    ("阿曼尼莎汗", "Amannisa Khan"),
    ("祖农·哈迪尔", "Zunun Qadiri"),
    ("阿不都哈力克·维吾尔", "Abduxaliq Uyghur"),
    ("克尤木·吐尔迪", "Qeyyum Turdi"),
    ("祖尔东·沙比尔", "Zordun Sabir"),
    ("穆罕默德·伊敏·布格拉", "Muhammad Emin Bughra"),
    ("艾沙·玉素甫·阿勒普特勤", "Isa Yusuf Alptekin"),
    ("鲁特夫拉·穆塔里甫", "Lutpulla Mutellip"),
    ("铁依甫江·艾里耶夫", "Teyipjan Eliyev"),
    ("努尔兰·阿不都满金", "Nurlan Abdumanjin"),
    ("阿不都克里木·阿巴索夫", "Abdukerim Abbasov"),
    ("沙塔尔·沙吾提", "Sattar Sawut"),
    ("库尔班·吐鲁木", "Qurban Tulum"),
    ("克里木·霍加", "Kerim Hoja"),
    ("尼格买提·热合曼", "Nigmet Rahman"),
    ("阿迪力·吾守尔", "Adil Hoshur"),
    ("纳斯尔丁·阿凡提", "Nasirdin Ependi"),
    ("乌斯满·巴图尔", "Osman Batur"),
    ("艾力汗·吐烈", "Elihan Tore"),
    ("吐尔贡·阿勒玛斯", "Turghun Almas"),
    ("肖开提·依明", "Shewket Imin"),
    ("阿不都沙拉木·阿不都热西提", "Abdusalam Abdureshit"),
    ("阿拜·库南巴耶夫", "Abay Kunanbayev"),
    ("居素普·玛玛依", "Jusup Mamay"),
    ("萨图克·布格拉汗", "Satuq Bughra Khan"),
    ("和加尼牙孜", "Hoja Niyaz"),
    ("沙比提大毛拉", "Sabit Damolla"),
    ("伊帕尔汗", "Iparhan"),
    ("阿帕克和卓", "Apaq Hoja"),
    ("阿古柏", "Yaqub"),
    ("尼米希依提", "Nimshehit"),
    ("阿不都热依木·乌铁库尔", "Abdurehim Otkur"),
    ("伊斯哈克伯克·穆努诺夫", "Ishaq Beg Munonov"),
]

# Two edits away, for reasons the script cannot recover: Chinese drops Jewher's h and w,
# writes Arabic f and b as 甫 p, and writes Kazakh zh and Russian v as 扎 z and 夫 f.
HARD_NAMES = [
    ("菊尔·伊力哈木", "Jewher Ilham"),
    ("玉素甫·哈斯·哈吉甫", "Yusuf Khass Hajib"),
    ("江布尔·扎巴耶夫", "Jambyl Jabayev"),
]

_FOLDS = (
    ("é", "e"), ("ö", "o"), ("ü", "u"), ("dzh", "j"), ("kh", "h"), ("gh", "g"),
    ("zh", "j"), ("ch", "c"), ("sh", "s"), ("ng", "n"), ("x", "h"), ("q", "k"),
    ("v", "w"), ("y", ""),
)  # fmt: skip


def skeleton(text: str) -> str:
    """Consonants only, with the letters Chinese cannot tell apart folded together.

    Words are folded one by one, so that "Khass Hajib" has no "sh" in it."""
    consonants = ""
    for word in text.lower().split():
        for letters, replacement in _FOLDS:
            word = word.replace(letters, replacement)
        consonants += re.sub(r"[^a-z]|[aeiou]", "", word)
    return re.sub(r"(.)\1+", r"\1", consonants)


def distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def skeleton_distance(chinese: str, latin: str) -> int:
    return distance(skeleton(" ".join(romanize(chinese))), skeleton(latin))


# --- real names -----------------------------------------------------------------------


def test_enough_real_names() -> None:
    assert len(REAL_NAMES) + len(HARD_NAMES) >= 60
    assert len({chinese for chinese, _ in REAL_NAMES + HARD_NAMES}) == len(REAL_NAMES + HARD_NAMES)


@pytest.mark.parametrize(("chinese", "latin"), REAL_NAMES)
def test_real_name_skeleton_within_one_edit(chinese: str, latin: str) -> None:
    reading = romanize(chinese)
    assert len(reading) == len(split_parts(chinese))
    assert skeleton_distance(chinese, latin) <= 1, (reading, latin)


@pytest.mark.parametrize(("chinese", "latin"), HARD_NAMES)
def test_hard_name_skeleton_within_two_edits(chinese: str, latin: str) -> None:
    assert skeleton_distance(chinese, latin) <= 2, (romanize(chinese), latin)


def test_most_real_names_match_exactly() -> None:
    counts = Counter(skeleton_distance(chinese, latin) for chinese, latin in REAL_NAMES)
    assert counts[0] >= 45, counts


@pytest.mark.parametrize(
    ("chinese", "expected"),
    [
        ("伊力哈木·土赫提", ["ilham", "toxti"]),
        ("古丽巴哈尔·海提瓦吉", ["gülbahar", "haytiwaj"]),
        ("热依拉·达吾提", ["rahile", "dawut"]),
        ("帕尔哈提·吐尔逊", ["perhat", "tursun"]),
        ("努尔·白克力", ["nur", "bekri"]),
        ("萨依拉古丽·沙吾提巴依", ["sayragül", "sawutbay"]),
    ],
)
def test_well_known_readings(chinese: str, expected: list[str]) -> None:
    assert romanize(chinese) == expected


def test_readings_are_lowercase_uyghur_latin() -> None:
    for chinese, _ in REAL_NAMES + HARD_NAMES:
        for part in romanize(chinese):
            assert ULY.fullmatch(part), (chinese, part)


# --- the syllable rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        ("哈木", "ham"),  # a closing letter at the end of the part
        ("哈力哈", "halha"),  # before a consonant: 力 closes ha
        ("哈力阿", "halia"),  # before a vowel: 力 opens the next syllable
        ("哈力木拉", "halmula"),  # 木 follows a closing l, so it opens a syllable
        ("阿不都", "abdu"),
        ("特依", "tey"),  # 依 after a vowel is the glide y
        ("江依", "jani"),  # ... and after a consonant the vowel i
        ("依", "i"),
        ("包尔汉", "borhan"),  # 尔 after a vowel closes with r; 汉 is read by pypinyin
        ("塔西甫", "tashpu"),  # 西 closes with sh
    ],
)
def test_syllable_readings(part: str, expected: str) -> None:
    assert romanize_part(part) == expected


def test_elements_win_over_syllables_longest_first() -> None:
    assert romanize_part("古丽") == "gül"
    assert romanize_part("阿依古丽") == "aygül"
    assert romanize_part("阿不都热依木") == "abdurehim"
    assert romanize_part("买买提江") == "memetjan"
    assert romanize_part("吐尔洪") == "turghun"
    assert romanize_part("迪力木拉提") == "dilmurat"


def test_unknown_characters_fall_back_to_pinyin() -> None:
    assert "龘" not in syllable_table()
    assert romanize_part("龘") == "da"
    assert romanize_part("熙") == "shi"  # pinyin x is Uyghur sh
    assert romanize_part("秦") == "chin"  # pinyin q is Uyghur ch
    assert romanize(" 龘·古丽 ") == ["da", "gül"]


# --- splitting, Han names, odd input ---------------------------------------------------


@pytest.mark.parametrize("dot", [*SEPARATORS, " ", "\u3000", " · "])
def test_split_on_every_dot(dot: str) -> None:
    assert split_parts(f"伊力哈木{dot}土赫提") == ["伊力哈木", "土赫提"]
    assert romanize(f"伊力哈木{dot}土赫提") == ["ilham", "toxti"]


def test_split_drops_empty_parts() -> None:
    assert split_parts(" ·伊力哈木··土赫提· ") == ["伊力哈木", "土赫提"]
    assert split_parts("") == []
    assert split_parts("·") == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("马建国", ["ma", "jianguo"]),
        ("王丽", ["wang", "li"]),
        ("李娜", ["li", "na"]),
        ("张伟", ["zhang", "wei"]),
        ("欧阳修", ["ouyang", "xiu"]),
        ("吕强", ["lü", "qiang"]),
    ],
)
def test_han_names_read_with_pinyin(name: str, expected: list[str]) -> None:
    assert is_han_chinese_name(name)
    assert romanize(name) == expected
    assert romanize(f" {name[0]} {name[1:]} ") == expected


@pytest.mark.parametrize(
    "name",
    [
        "马木提",  # Mamut: 木 and 提 belong to transcriptions
        "马合木提",
        "白克力",  # a whole element
        "古丽",
        "艾力",  # 艾 is not taken as a surname
        "伊力哈木·土赫提",
        "马",
        "马建国强大",
        "Ma Jianguo",
        "",
    ],
)
def test_not_han_names(name: str) -> None:
    assert not is_han_chinese_name(name)


def test_han_check_does_not_change_transcriptions() -> None:
    assert romanize("马木提") == ["mamut"]
    assert romanize("马合木提·吐尔逊") == ["maxmut", "tursun"]


@pytest.mark.parametrize("blank", ["", " ", "\u3000", "·", " · "])
def test_empty_input(blank: str) -> None:
    assert romanize(blank) == []
    assert romanize_part(blank.strip()) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ilham Tohti", ["ilham tohti"]),
        ("  Gülbahar   HAYTIWAJI ", ["gülbahar haytiwaji"]),
        ("ئىلھام توختى", ["ئىلھام توختى"]),
        ("Сайрагүл Сауытбай", ["сайрагүл сауытбай"]),
        ("12345", ["12345"]),
    ],
)
def test_non_chinese_input_comes_back_lowercased(text: str, expected: list[str]) -> None:
    assert romanize(text) == expected


def test_romanize_part_passes_other_letters_through() -> None:
    assert romanize_part("Ilham") == "ilham"
    assert romanize_part("古丽-Ay") == "gül-ay"


# --- the tables -----------------------------------------------------------------------


def test_syllable_table() -> None:
    table = syllable_table()
    assert len(table) >= 300
    for char, syllable in table.items():
        assert len(char) == 1 and "\u4e00" <= char <= "\u9fff", char
        assert ULY.fullmatch(syllable.initial) and ULY.fullmatch(syllable.medial), char
        assert syllable.final == "" or ULY.fullmatch(syllable.final), char
    closing = {char: table[char].final for char in "尔勒力木克提甫夫斯赫孜"}
    assert closing == {
        "尔": "r", "勒": "l", "力": "l", "木": "m", "克": "k", "提": "t",
        "甫": "p", "夫": "f", "斯": "s", "赫": "x", "孜": "z",
    }  # fmt: skip


def test_element_table() -> None:
    table = element_table()
    assert len(table) >= 300
    for chinese, latin in table.items():
        assert len(chinese) >= 2 and all("\u4e00" <= char <= "\u9fff" for char in chinese)
        assert ULY.fullmatch(latin), chinese
    assert table["古丽"] == "gül"
    assert table["阿不都"] == table["阿卜杜"] == table["阿布都"] == "abdu"
    assert table["买买提"] == "memet"
