"""Compare two names in any scripts: a score in [0, 1] and the reasons for it.

Method, in order:

1. Each name is read into Latin word by word by its script and split into parts
   (:mod:`guwah.names.parts`): given name first, titles left out.
2. Each pair of words gets a similarity from the finest key that agrees: the same
   fold, the same listed name (Memet = Muhammad), the same root under a surname
   ending, the same compound remainder (Abdu-rehim), then an edit distance on the
   vowel classes, or on the consonant skeleton when one side is Chinese (whose
   transcription invents vowels). Distances are turned into similarities by length:
   one letter apart in a long name is a spelling, in a short one a different name.
3. The words of the two names are aligned in order (a compound written as two words
   may meet one word; a list that puts the father's name first may be read reversed),
   and the aligned similarities are averaged with weights: a common element
   (Muhammad, Abdu-, Gül-) weighs less than a rare one. A word with no partner lowers
   the score, a trailing extra name (a grandfather's) less than a missing one.
4. Two names whose given names do not agree score at most 0.5 whatever else they
   share: siblings share their father's name, and a child's second name is the
   father's first.

The threshold :data:`MATCH_THRESHOLD` was set on the labelled pairs in
``benchmarks/data/names`` (see docs/matching.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from guwah.names.keys import classes, coarse, skeleton, soft_h
from guwah.names.parts import ParsedName, Part, make_part, parse
from guwah.names.readings import METHOD

MATCH_THRESHOLD = 0.8
GIVEN_MISMATCH_CAP = 0.5
REVERSED_PENALTY = 0.96
# a lone given name that is another name's given name (Rahile / Rahile Dawut): the names
# agree as far as they go; enough to propose, and batch linkage asks for other facts
PARTIAL_NAME = 0.81
_MIN_ALIGNED = 0.5  # word pairs below this similarity are not aligned
_VOICED = str.maketrans({"z": "s", "b": "p", "d": "t", "g": "k", "j": "c", "w": "f"})


@dataclass(frozen=True, slots=True)
class WordMatch:
    a: str
    b: str
    similarity: float
    how: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """The result of :func:`compare`: a score, the verdict, and why."""

    a: str
    b: str
    score: float
    same: bool
    readings: tuple[str, str]
    matches: tuple[WordMatch, ...] = ()
    notes: tuple[str, ...] = field(default=())
    partial: bool = False  # one name is a given name alone: consistent, not proof

    def explain(self) -> list[str]:
        lines = [f"read: {self.a!r} → {self.readings[0]}", f"read: {self.b!r} → {self.readings[1]}"]
        lines += [f"{m.a} ↔ {m.b}: {m.similarity:.2f} ({m.how})" for m in self.matches]
        lines += list(self.notes)
        verdict = "same person" if self.same else "not the same"
        lines.append(f"score {self.score:.2f} → {verdict} (threshold {MATCH_THRESHOLD})")
        return lines


def _by_distance(distance: int, length: int) -> float:
    if distance == 0:
        return 1.0
    if distance == 1:
        return 0.86 if length >= 9 else 0.8 if length >= 6 else 0.62
    if distance == 2:
        return 0.72 if length >= 10 else 0.55 if length >= 7 else 0.35
    return max(0.0, 0.6 * (1 - distance / max(length, 1)))


def _spelling(a: Part, b: Part, x: str, y: str) -> tuple[float, str]:
    """Similarity of two folded strings (or compound remainders) x and y."""
    whole = (x, y) == (a.fold, b.fold)
    cls_x, cls_y = (a.classes, b.classes) if whole else (classes(x), classes(y))
    d = Levenshtein.distance(cls_x, cls_y)
    if d:  # an h between vowels comes and goes (Abdurehim / Abdureyim / Abdureim)
        soft_x, soft_y = soft_h(cls_x), soft_h(cls_y)
        d = min(
            d,
            Levenshtein.distance(soft_x, soft_y),
            Levenshtein.distance(cls_x, soft_y),
            Levenshtein.distance(soft_x, cls_y),
        )
    best = 0.96 if d == 0 else _by_distance(d, max(len(cls_x), len(cls_y)))
    how = "same letters, vowels folded" if d == 0 else f"{d} letter(s) apart"
    if d and cls_x.translate(_VOICED) == cls_y.translate(_VOICED):
        # only voicing differs (Roza/Rosa, Chingiz/Chingis, Yaqup/Yaqub): one sound
        best, how = 0.88, "the same letters but for voicing (z/s, b/p, d/t)"
    if not (a.vowels_reliable and b.vowels_reliable):
        # Chinese transcription invents vowels, drops h and blurs h/k/g, l/r, b/p, d/t
        sx, sy = skeleton(x), skeleton(y)
        ds = Levenshtein.distance(sx, sy)
        via = 0.9 if ds == 0 else _by_distance(ds, max(len(sx), len(sy))) * 0.93
        cx, cy = coarse(sx.replace("h", "")), coarse(sy.replace("h", ""))
        blur_x, blur_y = {cx, coarse(sx)}, {cy, coarse(sy)}
        # Mandarin has no ki/gi/hi: 基 吉 奇 (ji, qi) also write them (Bakiyev 巴基耶夫)
        if a.approximate:
            blur_x.add(coarse(sx.replace("j", "k")))
        if b.approximate:
            blur_y.add(coarse(sy.replace("j", "k")))
        if ds and blur_x & blur_y:
            cx = min(blur_x & blur_y)
            via, ds = (0.86 if len(cx) >= 4 else 0.7), 0
        elif ds:
            blurred = _by_distance(Levenshtein.distance(cx, cy), max(len(cx), len(cy))) * 0.9
            via = max(via, blurred)
        if via > best:
            best = via
            how = f"consonants {sx} ~ {sy}" if ds else f"same consonants {cx} (Chinese blurs)"
    return best, how


@lru_cache(maxsize=262144)
def word_similarity(a: Part, b: Part) -> tuple[float, str]:
    """How alike two name words are, and by which key."""
    if a.fold == b.fold:
        return 1.0, f"same after folding ({a.fold})"
    if a.initial or b.initial:
        hit = a.fold[0] == b.fold[0]
        return (0.75, "initial") if hit else (0.0, "initial differs")
    if a.element is not None and a.element is b.element:
        return 0.92, f"one name: {a.fold} = {b.fold}"
    if len(a.fold) > 3 and (a.fold + "a" == b.fold or b.fold + "a" == a.fold):
        return 0.9, "the same name with the feminine -a (Gulnar/Gulnara)"
    if a.root or b.root:
        root_a, root_b = a.root or a.fold, b.root or b.fold
        if root_a == root_b:
            return 0.93, f"same root {root_a} (surname ending)"
        sim, how = _spelling(a, b, root_a, root_b)
        plain, plain_how = _spelling(a, b, a.fold, b.fold)
        if sim * 0.97 > plain:
            return sim * 0.97, f"roots {root_a} ~ {root_b}: {how}"
        return plain, plain_how
    if (a.head or b.head) and a.head is b.head and a.tail is b.tail:
        sim, how = _spelling(a, b, a.core, b.core)
        return sim, f"{a.head.canonical if a.head else ''}- + {how}"
    tail = a.tail or b.tail
    diminutive = tail is not None and tail.canonical == "jan" and (a.tail is None or b.tail is None)
    if diminutive and a.head is b.head and a.core == b.core:
        return 0.88, "the same name with and without the diminutive -jan (Ehmet/Ehmetjan)"
    return _spelling(a, b, a.fold, b.fold)


def _weight(part: Part, weights: Mapping[str, float] | None) -> float:
    if weights is not None and part.classes in weights:
        return weights[part.classes]
    if part.initial:
        return 0.3
    if part.element is not None:
        return part.element.weight
    return 1.0 if len(part.fold) > 2 else 0.5


def _merged(parts: tuple[Part, ...]) -> list[tuple[Part, ...]]:
    """The word list, and the lists with one adjacent pair written as one word."""
    variants = [parts]
    for i in range(min(len(parts), 4) - 1):
        a, b = parts[i], parts[i + 1]
        if a.script is not b.script or a.initial or b.initial:
            continue
        joined = make_part(
            a.text + b.text, a.script, a.reading + b.reading, a.approximate or b.approximate
        )
        variants.append((*parts[:i], joined, *parts[i + 2 :]))
    return variants


@dataclass(slots=True)
class _Alignment:
    score: float
    matches: list[WordMatch]
    anchored: bool
    partial: bool = False


def _align(
    xs: tuple[Part, ...], ys: tuple[Part, ...], weights: Mapping[str, float] | None
) -> _Alignment:
    n, m = len(xs), len(ys)
    wx = [_weight(p, weights) for p in xs]
    wy = [_weight(p, weights) for p in ys]
    sims = [[word_similarity(x, y) for y in ys] for x in xs]
    # best[i][j]: the best weighted sum aligning xs[i:] with ys[j:], in order
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    step = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [(best[i + 1][j], 1), (best[i][j + 1], 2)]
            sim = sims[i][j][0]
            if sim >= _MIN_ALIGNED:
                options.append((best[i + 1][j + 1] + sim * (wx[i] + wy[j]), 3))
            best[i][j], step[i][j] = max(options)
    matches: list[WordMatch] = []
    matched_x: set[int] = set()
    matched_y: set[int] = set()
    i = j = 0
    while i < n and j < m:
        move = step[i][j]
        if move == 3:
            sim, how = sims[i][j]
            matches.append(WordMatch(xs[i].text, ys[j].text, sim, how))
            matched_x.add(i)
            matched_y.add(j)
            i, j = i + 1, j + 1
        elif move == 1:
            i += 1
        else:
            j += 1
    total = 0.0
    # when one name is wholly matched, a trailing extra word of the other (a grandfather's
    # name, a surname) says less against the match than a word that finds no partner
    x_whole = n > 1 and len(matched_x) == n
    y_whole = m > 1 and len(matched_y) == m
    for ws, matched, other_whole in ((wx, matched_x, y_whole), (wy, matched_y, x_whole)):
        last = max(matched, default=-1)
        for k, w in enumerate(ws):
            extra = k not in matched and k > last >= 0 and other_whole
            total += w * 0.5 if extra else w
    score = best[0][0] / total if total else 0.0
    # the given names must agree; a transcription into Chinese blurs more (Nursultan 努尔苏丹)
    anchor = 0.7 if xs[0].approximate or ys[0].approximate else 0.8
    anchored = 0 in matched_x and 0 in matched_y and sims[0][0][0] >= anchor
    partial = False
    need = 0.7 if anchor < 0.8 else 0.85  # a transcription blurs a lone name as well
    lone = anchored and min(n, m) == 1 and max(n, m) > 1 and sims[0][0][0] >= need
    if lone and score < PARTIAL_NAME:
        score, partial = PARTIAL_NAME, True
    return _Alignment(score, matches, anchored, partial)


GOOD_ENOUGH = 0.97  # an alignment this good is not bettered by the other readings


def _trials(
    a: tuple[Part, ...], b: tuple[Part, ...]
) -> Iterator[tuple[tuple[Part, ...], tuple[Part, ...], bool]]:
    """The readings worth aligning, likeliest first: as written, the second name read in
    reverse, then one name with two adjacent words joined (Gul Bahar = Gulbahar)."""
    yield a, b, False
    if len(b) > 1:
        yield a, tuple(reversed(b)), True
    if len(a) != len(b):
        for xs in _merged(a)[1:]:
            yield xs, b, False
        for ys in _merged(b)[1:]:
            yield a, ys, False


def _best_alignment(
    a: tuple[Part, ...], b: tuple[Part, ...], weights: Mapping[str, float] | None
) -> tuple[_Alignment, bool]:
    best: _Alignment | None = None
    reversed_used = False
    if len(a) == len(b) and max(word_similarity(x, y)[0] for x in a for y in b) < _MIN_ALIGNED:
        return _Alignment(0.0, [], False), False  # no two words alike: nothing to align
    for xs, ys, is_reversed in _trials(a, b):
        found = _align(xs, ys, weights)
        if is_reversed:
            found.score *= REVERSED_PENALTY
            # read in reverse, every word of the shorter name must find its partner, and a
            # lone name met in reverse is a father's name, not a given name
            whole = len(found.matches) >= min(len(xs), len(ys))
            found.anchored = found.anchored and whole and not found.partial
        if best is None or _capped(found) > _capped(best):
            best, reversed_used = found, is_reversed
            if _capped(best) >= GOOD_ENOUGH:
                break
    assert best is not None
    return best, reversed_used


def _capped(found: _Alignment) -> float:
    return found.score if found.anchored else min(found.score, GIVEN_MISMATCH_CAP)


def _reading(name: ParsedName) -> str:
    return " ".join(p.reading for p in name.parts) or "(nothing to read)"


def compare(a: str, b: str, weights: Mapping[str, float] | None = None) -> Comparison:
    """Compare two names written in any scripts.

    ``weights`` maps a word's vowel-class form (:func:`guwah.names.keys.classes`) to
    its weight, from frequencies counted in an archive or a list; without it the
    element table's prior weights apply (and the result is remembered: the same common
    names are compared again and again by searches and live matching)."""
    if weights is None:
        return _compare_with_priors(a, b)
    return _compare(a, b, weights)


@lru_cache(maxsize=20_000)
def _compare_with_priors(a: str, b: str) -> Comparison:
    return _compare(a, b, None)


def _compare(a: str, b: str, weights: Mapping[str, float] | None) -> Comparison:
    pa, pb = parse(a), parse(b)
    readings = (_reading(pa), _reading(pb))
    if not pa.parts or not pb.parts:
        return Comparison(a, b, 0.0, False, readings, (), ("a name has no letters to compare",))
    best, reversed_used = _best_alignment(pa.parts, pb.parts, weights)
    notes: list[str] = []
    for name in (pa, pb):
        methods = sorted({METHOD[p.script] for p in name.parts if p.script in METHOD})
        if methods:
            notes.append(f"{name.text!r} read by {', '.join(methods)}")
        if name.reordered:
            notes.append(f"{name.text!r}: second name written first; read given name first")
        if name.dropped:
            notes.append(f"{name.text!r}: left out {', '.join(name.dropped)}")
    if reversed_used:
        notes.append("names compared in reversed order")
    if best.partial:
        notes.append("one name is a given name alone: the names agree as far as they go")
    score = best.score
    if not best.anchored and score > GIVEN_MISMATCH_CAP:
        score = GIVEN_MISMATCH_CAP
        notes.append("given names do not agree: a shared father's name is not enough")
    score = round(min(score, 1.0), 4)
    same = score >= MATCH_THRESHOLD
    matches = tuple(best.matches)
    return Comparison(a, b, score, same, readings, matches, tuple(notes), best.partial)
