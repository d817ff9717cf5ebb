"""Build the labelled set of the cross-script name matcher (deterministic: fixed seed).

    .venv/bin/python benchmarks/data/names/build.py [--out DIR]

Reads, beside this file, ``public_people.tsv`` (real names entered by hand) and
``hard_negatives.tsv`` (hand-picked pairs of different real people), and writes to DIR
(default: beside this file):

* ``clusters.tsv``: every name form of every person (public ones and synthetic ones
  built from ``guwah.synthetic.namebank``); no name string belongs to two people.
* ``pairs.tsv``: labelled pairs; positives balanced over the ten script pairs, negatives
  mostly hard (siblings, father and child, same given name with another father, shared
  common elements) and written across scripts too, plus a smaller share of random ones.
* ``list_people.csv`` / ``list_truth.csv``: a mixed-script "leaked list" for the
  deduplication mode, with its ground truth.

Standard library, the project's name bank and python-stdnum only. Nothing here may use
``guwah.names`` (the matcher under test).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import NamedTuple

from stdnum.cn import ric

from guwah.synthetic.namebank import GIVEN_NAMES, HUI_SURNAMES, GivenName, Surname

HERE = Path(__file__).resolve().parent
SEED = 20260101
SCRIPTS = ("Latn", "Cyrl", "Arab", "Hani")
SCRIPT_PAIRS = tuple(itertools.combinations_with_replacement(SCRIPTS, 2))
SYNTHETIC_FAMILIES = 330  # about 570 synthetic people
LIST_FAMILIES = 480  # about 2,000 rows in the leaked list
POSITIVES_PER_SCRIPT_PAIR = 300
NEGATIVE_QUOTAS = {  # synthetic negatives by kind (hand-written ones come on top)
    "sibling": 700,
    "father_child": 450,
    "same_given_other_father": 650,
    "common_element": 600,
    "random": 420,
}
GROUP_WEIGHTS = {"U": 55, "K": 25, "G": 10, "H": 10}
NATIVE_LANG = {"U": "ug", "K": "kk", "G": "ky", "H": "zh"}
COMMON_ELEMENTS = ("abdu", "ab", "gül", "nur", "muhem", "mem", "ay", "ai", "tursun", "dil")
COMMON_ENDINGS = ("gül", "jan", "zhan", "bek", "nur", "at")


@dataclass
class Form:
    text: str
    script: str
    lang: str
    full: bool = True  # False: the given name alone (never used in negatives)


@dataclass
class Person:
    cluster: str
    origin: str  # public | synthetic
    forms: list[Form] = field(default_factory=list)
    group: str = ""
    female: bool = False
    given: GivenName | None = None
    father: GivenName | None = None
    surname: Surname | None = None


# --- equivalence of given names --------------------------------------------------------


def _name_classes() -> dict[int, int]:
    """Given names that share any written form are one name (Asan/Hesen share Hasan).

    Two people whose names are one name in this sense are never both generated, and never
    paired as different people.
    """
    parent = list(range(len(GIVEN_NAMES)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, name in enumerate(GIVEN_NAMES):
        texts = [name.latin, name.arabic, *name.press, *name.chinese]
        texts += [text for text, _ in name.cyrillic] + ([name.turkish] if name.turkish else [])
        for text in texts:
            key = strip_marks(text).lower()
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    # -jan/-zhan is also an endearing suffix (Ehmetjan may be called Ehmet): never let two
    # people differ only by it.
    for i, name in enumerate(GIVEN_NAMES):
        low = strip_marks(name.latin).lower()
        for suffix in ("jan", "zhan"):
            stem = low.removesuffix(suffix)
            if stem != low and stem in owner:
                parent[find(i)] = find(owner[stem])
    return {id(name): find(i) for i, name in enumerate(GIVEN_NAMES)}


def strip_marks(text: str) -> str:
    text = text.replace("ı", "i").replace("İ", "I")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


# --- writing a name in each script -----------------------------------------------------

_DE_LATIN = "a b w g d e jo sch s i i k l m n o p r s t u f ch z tsch sch schtsch - y - e ju ja"
_DE = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", _DE_LATIN.split(" "), strict=True))
_CYR_VOWELS = frozenset("аеёиоуыэюяәөүұі")


def german(cyrillic: str) -> str:
    """Russian Cyrillic to German (Duden) transliteration: Назарбаев -> Nasarbajew."""
    words = []
    for word in cyrillic.split():
        out, prev = [], ""
        for ch in word.lower():
            if ch == "е" and (not prev or prev in _CYR_VOWELS or prev in "ьъ"):
                out.append("je")
            elif ch == "с" and prev in _CYR_VOWELS and out:
                out.append("s")
            else:
                out.append(_DE.get(ch, ch).replace("-", ""))
            prev = ch
        text = "".join(out)
        words.append(text[:1].upper() + text[1:])
    return " ".join(words)


def russian_surname(father: str, female: bool) -> str:
    last = father[-1]
    if last == "ь":
        stem = father[:-1] + "ов"
    elif last == "й":
        stem = father[:-1] + "ев"
    elif last in _CYR_VOWELS:
        stem = father + "ев"
    else:
        stem = father + "ов"
    return stem + ("а" if female else "")


def latin_surname(father: str, female: bool) -> str:
    stem = father + ("yev" if father[-1] in "aeiouy" else "ov")
    return stem + ("a" if female else "")


def undouble_or_double(text: str, rng: Random) -> str:
    """Doubled letters written once (Abdulla -> Abdula), else one consonant doubled."""
    for i in range(1, len(text)):
        if text[i] == text[i - 1] and text[i].isalpha():
            return text[:i] + text[i + 1 :]
    spots = [
        i
        for i in range(1, len(text) - 1)
        if text[i] in "lmnrst" and text[i - 1] in "aeiou" and text[i + 1] in "aeiou"
    ]
    if not spots:
        return text
    i = rng.choice(spots)
    return text[: i + 1] + text[i] + text[i + 1 :]


_RESPELL = (("q", "k"), ("x", "kh"), ("x", "h"), ("gh", "g"), ("w", "v"), ("e", "a"), ("j", "zh"))


def respell(text: str, rng: Random) -> str:
    low = strip_marks(text).lower()
    rules = [rule for rule in _RESPELL if rule[0] in low]
    if not rules:
        return text
    old, new = rng.choice(rules)
    return " ".join(w[:1].upper() + w[1:] for w in low.replace(old, new).split())


_ARABIC_NOISE = (
    ("\u06d5", "\u0647"),  # ە typed as Arabic heh
    ("\u0649", "\u06cc"),  # ى typed as Farsi yeh
    ("\u0643", "\u06a9"),  # ك typed as keheh
)


def arabic_noise(text: str, rng: Random) -> str:
    options = [pair for pair in _ARABIC_NOISE if pair[0] in text]
    if any(a == b for a, b in itertools.pairwise(text)):
        options.append(("double", ""))
    if any(word.startswith("ئ") for word in text.split()):
        options.append(("hamza", ""))
    if not options:
        return text
    old, new = rng.choice(options)
    if old == "double":
        return "".join(c for i, c in enumerate(text) if i == 0 or c != text[i - 1])
    if old == "hamza":
        return " ".join(w[1:] if w.startswith("ئ") else w for w in text.split())
    return text.replace(old, new)


CHINESE_DOTS = ("·", "·", "·", "•", "・", "‧", ".", "")


def pick_zh(name: GivenName, rng: Random) -> str:
    return name.chinese[0] if rng.random() < 0.75 else rng.choice(name.chinese)


def turkic_forms(p: Person, rng: Random) -> dict[str, list[Form]]:
    """Every form the generator may use for a Uyghur, Kazakh or Kyrgyz person, by script."""
    g, f, fem, grp = p.given, p.father, p.female, p.group
    assert g is not None and f is not None
    lat: list[Form] = [Form(f"{g.latin} {f.latin}", "Latn", NATIVE_LANG[grp])]
    press = f"{rng.choice(g.press[:2])} {rng.choice(f.press[:2])}"
    lat.append(Form(press, "Latn", "en"))
    other = f"{rng.choice(g.press)} {rng.choice(f.press)}"
    lat.append(Form(other, "Latn", "en"))
    if g.turkish and f.turkish:
        lat.append(Form(f"{g.turkish} {f.turkish}", "Latn", "tr"))
    gp, fp = press.split(" ", 1)
    lat.append(Form(f"{fp.upper()} {gp}", "Latn", "en"))  # list order, family name first
    lat.append(Form(f"{gp} {latin_surname(fp, fem)}", "Latn", "en"))
    if grp == "K":
        lat.append(Form(f"{g.latin} {f.latin}{'qyzy' if fem else 'uly'}", "Latn", "kk"))
    if grp == "G":
        lat.append(Form(f"{g.latin} {f.latin} {'kyzy' if fem else 'uulu'}", "Latn", "ky"))
    lat.append(Form(strip_marks(f"{g.latin} {f.latin}"), "Latn", NATIVE_LANG[grp]))
    lat.append(Form(undouble_or_double(press, rng), "Latn", "en"))
    lat.append(Form(respell(f"{g.latin} {f.latin}", rng), "Latn", "en"))
    lat.append(Form(gp, "Latn", "en", full=False))
    ru_g, ru_f = g.cyrillic_for("ru"), f.cyrillic_for("ru")
    if grp in "KG":
        lat.append(Form(f"{german(ru_g)} {german(russian_surname(ru_f, fem))}", "Latn", "de"))

    native = NATIVE_LANG[grp]
    cg, cf = g.cyrillic_for(native), f.cyrillic_for(native)
    cyr = [Form(f"{cg} {cf}", "Cyrl", native), Form(f"{ru_g} {ru_f}", "Cyrl", "ru")]
    cyr.append(Form(f"{ru_g} {russian_surname(ru_f, fem)}", "Cyrl", "ru"))
    cyr.append(Form(f"{russian_surname(ru_f, fem).upper()} {ru_g}", "Cyrl", "ru"))
    if grp == "K":
        cyr.append(Form(f"{cg} {cf}{'қызы' if fem else 'ұлы'}", "Cyrl", "kk"))
    if grp == "G":
        cyr.append(Form(f"{cg} {cf} {'кызы' if fem else 'уулу'}", "Cyrl", "ky"))
    cyr.append(Form(cg, "Cyrl", native, full=False))

    arabic = f"{g.arabic} {f.arabic}"
    arab = [Form(arabic, "Arab", "ug"), Form(arabic_noise(arabic, rng), "Arab", "ug")]
    arab.append(Form(g.arabic, "Arab", "ug", full=False))

    zh_g, zh_f = pick_zh(g, rng), pick_zh(f, rng)
    hani = [Form(f"{zh_g}·{zh_f}", "Hani", "zh")]
    alt_g, alt_f = rng.choice(g.chinese), rng.choice(f.chinese)
    hani.append(Form(f"{alt_g}{rng.choice(CHINESE_DOTS)}{alt_f}", "Hani", "zh"))
    hani.append(Form(f"{zh_g}{rng.choice(CHINESE_DOTS[3:])}{zh_f}", "Hani", "zh"))
    hani.append(Form(zh_g, "Hani", "zh", full=False))
    return {"Latn": lat, "Cyrl": cyr, "Arab": arab, "Hani": hani}


def hui_forms(p: Person, rng: Random) -> dict[str, list[Form]]:
    g, s = p.given, p.surname
    assert g is not None and s is not None
    press = rng.choice(g.press)
    lat = [
        Form(f"{s.latin} {g.latin}", "Latn", "en"),
        Form(f"{g.latin} {s.latin}", "Latn", "en"),
        Form(f"{s.latin.upper()} {g.latin}", "Latn", "en"),
        Form(f"{s.latin} {press}", "Latn", "en"),
        Form(f"{s.latin}{g.latin.lower()}", "Latn", "en"),
    ]
    ru = g.cyrillic_for("ru")
    cyr = [
        Form(f"{s.cyrillic} {ru}", "Cyrl", "ru"),
        Form(f"{s.cyrillic.upper()} {ru}", "Cyrl", "ru"),
    ]
    cyr.append(Form(f"{ru} {s.cyrillic}", "Cyrl", "ru"))
    arab = [
        Form(f"{s.arabic} {g.arabic}", "Arab", "ug"),
        Form(f"{g.arabic} {s.arabic}", "Arab", "ug"),
    ]
    hani = [Form(f"{s.chinese}{g.chinese[0]}", "Hani", "zh")]
    hani.append(Form(f"{s.chinese} {g.chinese[0]}", "Hani", "zh"))
    return {"Latn": lat, "Cyrl": cyr, "Arab": arab, "Hani": hani}


# How many forms of each script a synthetic person keeps (weights of 1, 2, 3 forms).
KEEP = {"Latn": (1, 4, 4), "Cyrl": (3, 5, 2), "Arab": (3, 6, 1), "Hani": (3, 6, 1)}


def choose_forms(p: Person, rng: Random, taken: dict[str, str]) -> None:
    candidates = hui_forms(p, rng) if p.surname else turkic_forms(p, rng)
    for script in SCRIPTS:
        first, *rest = candidates[script]
        keep = rng.choices((1, 2, 3), KEEP[script])[0]
        picked = [first, *rng.sample(rest, min(keep - 1, len(rest)))]
        for form in picked:
            form.text = unicodedata.normalize("NFC", " ".join(form.text.split()))
            key = form.text.casefold()
            if key in taken or any(key == f.text.casefold() for f in p.forms):
                continue
            taken[key] = p.cluster
            p.forms.append(form)


# --- people ----------------------------------------------------------------------------


def pool(group: str, sex: str) -> tuple[list[GivenName], list[float]]:
    names = [n for n in GIVEN_NAMES if n.sex == sex and group in n.groups]
    weights = [(1.0 if n.groups[0] == group else 0.3) / n.rank for n in names]
    return names, weights


def synthetic_people(
    rng: Random, taken: dict[str, str], classes: dict[int, int], families: int
) -> tuple[list[Person], list[tuple[Person, Person, str]]]:
    """Families of synthetic people and the relations between them."""
    people: list[Person] = []
    relations: list[tuple[Person, Person, str]] = []
    keys: set[tuple[object, ...]] = set()
    groups = list(GROUP_WEIGHTS)
    n = 0

    def make(
        group: str,
        female: bool,
        given: GivenName,
        father: GivenName | None,
        surname: Surname | None,
    ) -> Person | None:
        nonlocal n
        if father is not None and classes[id(father)] == classes[id(given)]:
            return None
        fkey = surname.latin if surname else classes[id(father)]
        key = (classes[id(given)], fkey)
        if key in keys:
            return None
        n += 1
        p = Person(
            f"syn-{n:04d}",
            "synthetic",
            group=group,
            female=female,
            given=given,
            father=father,
            surname=surname,
        )
        choose_forms(p, rng, taken)
        if not any(f.full for f in p.forms) or len(p.forms) < 2:
            return None
        keys.add(key)
        people.append(p)
        return p

    for _ in range(families):
        group = rng.choices(groups, list(GROUP_WEIGHTS.values()))[0]
        males, male_w = pool(group, "m")
        females, female_w = pool(group, "f")
        surname = None
        if group == "H":
            surname = rng.choices(HUI_SURNAMES, [s.weight for s in HUI_SURNAMES])[0]
        father_name = rng.choices(males, male_w)[0]
        grandfather = rng.choices(males, male_w)[0]
        children: list[Person] = []
        for _ in range(rng.choices((1, 2, 3, 4), (3, 4, 3, 1))[0]):
            female = rng.random() < 0.5
            names, weights = (females, female_w) if female else (males, male_w)
            given = rng.choices(names, weights)[0]
            if any(classes[id(c.given)] == classes[id(given)] for c in children):
                continue
            child = make(group, female, given, None if surname else father_name, surname)
            if child:
                children.append(child)
        relations += [(a, b, "sibling") for a, b in itertools.combinations(children, 2)]
        if children and rng.random() < 0.45:
            father = make(group, False, father_name, None if surname else grandfather, surname)
            if father:
                relations += [(father, c, "father_child") for c in children]
    return people, relations


def read_public() -> list[Person]:
    people: dict[str, Person] = {}
    with open(HERE / "public_people.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            p = people.setdefault(row["cluster"], Person(row["cluster"], "public"))
            p.forms.append(Form(row["name"], row["script"], row["lang"]))
    return list(people.values())


# --- pairs -----------------------------------------------------------------------------

Pair = tuple[Form, Form, int, str]


def pair_key(a: Form, b: Form) -> tuple[str, str]:
    return (a.text, b.text) if a.text <= b.text else (b.text, a.text)


def script_pair(a: Form, b: Form) -> tuple[str, str]:
    first, second = sorted((a.script, b.script), key=SCRIPTS.index)
    return first, second


def positives(people: list[Person], rng: Random) -> list[Pair]:
    """All pairs within public clusters, then synthetic ones up to a quota per script pair."""
    chosen: list[Pair] = []
    counts: dict[tuple[str, str], int] = defaultdict(int)
    synthetic: dict[tuple[str, str], list[tuple[Form, Form]]] = defaultdict(list)
    for p in people:
        for a, b in itertools.combinations(p.forms, 2):
            if p.origin == "public":
                chosen.append((a, b, 1, "variant" if a.script == b.script else "cross_script"))
                counts[script_pair(a, b)] += 1
            else:
                synthetic[script_pair(a, b)].append((a, b))
    for sp in SCRIPT_PAIRS:
        pool_ = synthetic[sp]
        need = max(0, POSITIVES_PER_SCRIPT_PAIR - counts[sp])
        for a, b in rng.sample(pool_, min(need, len(pool_))):
            chosen.append((a, b, 1, "variant" if a.script == b.script else "cross_script"))
    return chosen


class NegativePicker:
    """Picks forms of two different people, cycling through the script pairs."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.used: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))

    def pick(self, a: Person, b: Person, kind: str) -> tuple[Form, Form] | None:
        full_a = [f for f in a.forms if f.full]
        full_b = [f for f in b.forms if f.full]
        options = []
        for fa in full_a:
            for fb in full_b:
                options.append((self.used[kind][script_pair(fa, fb)], self.rng.random(), fa, fb))
        if not options:
            return None
        _, _, fa, fb = min(options, key=lambda o: (o[0], o[1]))
        self.used[kind][script_pair(fa, fb)] += 1
        return (fa, fb) if self.rng.random() < 0.5 else (fb, fa)


def elements(name: GivenName) -> set[str]:
    low = strip_marks(name.latin).lower()
    found = {e for e in COMMON_ELEMENTS if low.startswith(e)}
    found |= {"-" + e for e in COMMON_ENDINGS if low.endswith(e)}
    return found


def swapped(a: Person, b: Person, classes: dict[int, int]) -> bool:
    """Kanybek Janybek vs Janybek Kanybek: with the order unknown (lists often put the
    father's name first), the name alone cannot tell them apart, so they are not paired."""
    if a.given is None or b.given is None or a.father is None or b.father is None:
        return False
    return (
        classes[id(a.given)] == classes[id(b.father)]
        and classes[id(a.father)] == classes[id(b.given)]
    )


def negatives(
    synth: list[Person],
    everyone: list[Person],
    relations: list[tuple[Person, Person, str]],
    rng: Random,
    classes: dict[int, int],
) -> list[Pair]:
    picker = NegativePicker(rng)
    out: list[Pair] = []

    def add(a: Person, b: Person, kind: str, times: int) -> None:
        if swapped(a, b, classes):
            return
        for _ in range(times):
            forms = picker.pick(a, b, kind)
            if forms:
                out.append((forms[0], forms[1], 0, kind))

    def spread(pairs: list[tuple[Person, Person]], kind: str) -> None:
        if not pairs:
            return
        quota = NEGATIVE_QUOTAS[kind]
        rng.shuffle(pairs)
        per = max(1, -(-quota // len(pairs)))
        for a, b in pairs:
            if sum(1 for p in out if p[3] == kind) >= quota:
                break
            add(a, b, kind, min(per, 4))

    for kind in ("sibling", "father_child"):
        spread([(a, b) for a, b, k in relations if k == kind], kind)

    turkic = [p for p in synth if p.father is not None]
    by_given: dict[int, list[Person]] = defaultdict(list)
    for p in turkic:
        by_given[classes[id(p.given)]].append(p)
    same_given = []
    for group in by_given.values():
        pairs = list(itertools.combinations(group, 2))
        same_given += rng.sample(pairs, min(len(pairs), 12))
    spread(same_given, "same_given_other_father")

    related = {frozenset((id(a), id(b))) for a, b, _ in relations}
    common = []
    for a, b in itertools.combinations(turkic, 2):
        if a.female != b.female or classes[id(a.given)] == classes[id(b.given)]:
            continue
        if frozenset((id(a), id(b))) in related:
            continue
        if a.given and b.given and elements(a.given) & elements(b.given):
            common.append((a, b))
    spread(rng.sample(common, min(len(common), 900)), "common_element")

    randoms: list[tuple[Person, Person]] = []
    while len(randoms) < NEGATIVE_QUOTAS["random"]:
        a, b = rng.sample(everyone, 2)
        if a.given is not None and b.given is not None:
            if classes[id(a.given)] == classes[id(b.given)]:
                continue
            if a.father and b.father and classes[id(a.father)] == classes[id(b.father)]:
                continue
        randoms.append((a, b))
    spread(randoms, "random")
    return out


def hand_negatives(public: list[Person], rng: Random) -> list[Pair]:
    """Hand-written pairs of real people, and the same two people in other scripts."""
    owner = {f.text: p for p in public for f in p.forms}
    form_of = {f.text: f for p in public for f in p.forms}
    picker = NegativePicker(rng)
    out: list[Pair] = []
    with open(HERE / "hard_negatives.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            a, b = row["a"], row["b"]
            if a not in owner or b not in owner or owner[a] is owner[b]:
                raise SystemExit(f"hard_negatives.tsv: {a!r} / {b!r} are not two public people")
            out.append((form_of[a], form_of[b], 0, row["kind"]))
            for _ in range(5):
                forms = picker.pick(owner[a], owner[b], row["kind"])
                if forms:
                    out.append((forms[0], forms[1], 0, row["kind"]))
    return out


def dedupe(pairs: list[Pair]) -> list[Pair]:
    seen: set[tuple[str, str]] = set()
    out = []
    for pair in pairs:
        key = pair_key(pair[0], pair[1])
        if pair[0].text != pair[1].text and key not in seen:
            seen.add(key)
            out.append(pair)
    return out


# --- the leaked list -------------------------------------------------------------------


# Places: English, ULY, Uyghur Arabic, Chinese, Russian (Kazakh Cyrillic where it differs),
# and the GB/T 2260 codes tried in order (the first valid in the birth year is used).
class Place(NamedTuple):
    en: str
    uly: str
    arabic: str
    chinese: str
    russian: str
    kazakh: str | None
    codes: tuple[str, ...]


PLACES = tuple(
    Place(*place)
    for place in (
        ("Kashgar", "Qeshqer", "قەشقەر", "喀什", "Кашгар", None, ("653101",)),
        ("Hotan", "Xoten", "خوتەن", "和田", "Хотан", None, ("653201", "653221")),
        ("Aksu", "Aqsu", "ئاقسۇ", "阿克苏", "Аксу", "Ақсу", ("652901", "652921")),
        ("Urumqi", "Ürümchi", "ئۈرۈمچى", "乌鲁木齐", "Урумчи", "Үрімжі", ("650102", "650104")),
        ("Turpan", "Turpan", "تۇرپان", "吐鲁番", "Турфан", None, ("652101", "652121")),
        ("Ghulja", "Ghulja", "غۇلجا", "伊宁", "Кульджа", "Құлжа", ("654002", "654101", "652401")),
        ("Korla", "Korla", "كورلا", "库尔勒", "Корла", None, ("652801",)),
        ("Atush", "Atush", "ئاتۇش", "阿图什", "Артуш", None, ("653001", "653021")),
        ("Yarkand", "Yeken", "يەكەن", "莎车", "Яркенд", None, ("653125",)),
        ("Karakax", "Qaraqash", "قاراقاش", "墨玉", "Каракаш", None, ("653222",)),
        ("Altay", "Altay", "ئالتاي", "阿勒泰", "Алтай", None, ("654301", "652621")),
        ("Tacheng", "Chöchek", "چۆچەك", "塔城", "Чугучак", "Шәуешек", ("654201", "652521")),
        ("Kuqa", "Kucha", "كۇچا", "库车", "Куча", None, ("652923",)),
        ("Kargilik", "Qaghiliq", "قاغىلىق", "叶城", "Каргалык", None, ("653126",)),
    )
)
PLACE_WEIGHTS = {
    "U": (9, 7, 6, 6, 5, 4, 4, 4, 6, 5, 0, 1, 4, 4),
    "K": (0, 0, 0, 3, 0, 6, 0, 0, 0, 0, 6, 6, 0, 0),
}
PLACE_WEIGHTS["G"] = (2, 0, 3, 1, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0)
PLACE_WEIGHTS["H"] = (1, 0, 1, 8, 2, 4, 2, 0, 0, 0, 0, 1, 0, 0)


def place_text(place: Place, script: str, group: str, rng: Random) -> str:
    en, uly, arab, zh, ru, kk, _ = place
    if script == "Arab":
        return arab
    if script == "Hani":
        return zh
    if script == "Cyrl":
        return kk if kk and group == "K" else ru
    return rng.choice((en, en, uly))


def id_number(place: Place, year: int, female: bool, rng: Random) -> str:
    """An invented number: real region code and date, sequence 9xx, valid check digit."""
    day = f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    seq = 900 + 2 * rng.randint(0, 49) + (0 if female else 1)
    for code in place.codes:
        body = f"{code}{day}{seq}"
        number = body + ric.calc_check_digit(body + "0")
        if ric.is_valid(number):
            return number
    return ""


def leaked_list(
    people: list[Person], relations: list[tuple[Person, Person, str]], rng: Random
) -> tuple[list[list[str]], list[list[str]]]:
    """Rows of a mixed-script list: each person 1-5 times, fields missing or a little off."""
    siblings: dict[int, list[Person]] = defaultdict(list)
    for a, b, kind in relations:
        if kind == "sibling":
            siblings[id(a)].append(b)
    facts: dict[int, tuple[int, Place, str]] = {}
    for p in people:
        if id(p) in facts:
            continue
        year = rng.randint(1950, 2003)
        place = rng.choices(PLACES, PLACE_WEIGHTS[p.group])[0]
        ident = id_number(place, year, p.female, rng) if rng.random() < 0.3 else ""
        facts[id(p)] = (year, place, ident)
        for sib in siblings[id(p)]:  # traps: same father, same place, close birth years
            if id(sib) not in facts:
                sib_year = min(2005, year + rng.choice((-3, -2, -1, 1, 2, 3)))
                sib_id = id_number(place, sib_year, sib.female, rng) if rng.random() < 0.3 else ""
                facts[id(sib)] = (sib_year, place, sib_id)
    rows, truth = [], []
    for p in people:
        year, place, ident = facts[id(p)]
        n = rng.choices((1, 2, 3, 4, 5), (22, 30, 25, 14, 9))[0]
        forms = [f for f in p.forms if f.full] or p.forms
        picked = rng.sample(forms, min(n, len(forms)))
        for form in picked:
            if len(picked) > 1 and not form.full:
                continue
            y = (
                ""
                if rng.random() < 0.2
                else str(year + (rng.choice((-1, 1)) if rng.random() < 0.12 else 0))
            )
            gender = "" if rng.random() < 0.15 else ("f" if p.female else "m")
            where = "" if rng.random() < 0.15 else place_text(place, form.script, p.group, rng)
            number = ident if ident and rng.random() < 0.5 else ""
            rows.append([form.text, y, gender, where, number])
            truth.append(p.cluster)
    order = list(range(len(rows)))
    rng.shuffle(order)
    people_rows = [[f"L{i + 1:05d}", *rows[j]] for i, j in enumerate(order)]
    truth_rows = [[f"L{i + 1:05d}", truth[j]] for i, j in enumerate(order)]
    return people_rows, truth_rows


# --- main ------------------------------------------------------------------------------


def write_tsv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(header) + "\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build(out: Path) -> dict[str, int]:
    rng = Random(SEED)
    classes = _name_classes()
    public = read_public()
    taken = {f.text.casefold(): p.cluster for p in public for f in p.forms}
    for p in public:  # public Latin forms without marks are taken too: no synthetic twin
        for f in p.forms:
            taken.setdefault(strip_marks(f.text).casefold(), p.cluster)
    synth, relations = synthetic_people(rng, taken, classes, SYNTHETIC_FAMILIES)
    everyone = public + synth
    pairs = positives(everyone, rng)
    pairs += hand_negatives(public, rng)
    pairs += negatives(synth, everyone, relations, rng, classes)
    pairs = dedupe(pairs)

    out.mkdir(parents=True, exist_ok=True)
    cluster_rows = [
        [p.cluster, f.text, f.script, f.lang, p.origin] for p in everyone for f in p.forms
    ]
    write_tsv(out / "clusters.tsv", ["cluster", "name", "script", "lang", "origin"], cluster_rows)
    pair_rows = [
        [a.text, b.text, str(same), a.script, b.script, kind] for a, b, same, kind in pairs
    ]
    write_tsv(out / "pairs.tsv", ["a", "b", "same", "script_a", "script_b", "kind"], pair_rows)

    list_rng = Random(SEED + 1)
    list_taken: dict[str, str] = {}
    list_people, list_relations = synthetic_people(list_rng, list_taken, classes, LIST_FAMILIES)
    for p in list_people:
        p.cluster = "P" + p.cluster[4:]
    rows, truth = leaked_list(list_people, list_relations, list_rng)
    header = ["id", "name", "birth_year", "gender", "place", "id_number"]
    write_csv(out / "list_people.csv", header, rows)
    write_csv(out / "list_truth.csv", ["id", "person"], truth)
    return {"clusters": len(everyone), "pairs": len(pairs), "list_rows": len(rows)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: here)")
    args = parser.parse_args(argv)
    counts = build(args.out)
    print(", ".join(f"{k} {v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
