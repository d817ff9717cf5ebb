"""Name elements: spellings that are one name, and how much a shared element says.

``data/names/elements.tsv`` lists names whose spellings folding alone does not bring
together (Memet = Muhammad, Yusup = Yusuf, Ibragim = Ibrahim) and the common elements
that open or close compound given names (Abdu-, Gül-, Nur-, -jan, -bek). Each carries a
weight: how much sharing it says about two names being one person's (1 for an ordinary
name, about 0.3 for Muhammad or Abdu-). This is the prior used when no frequencies
from an archive are at hand; batch linkage replaces it with counted frequencies.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from guwah.names.keys import fold
from guwah.names.latin import latin_reading

_MIN_REST = 3  # a compound's remainder must have this many letters to be split off


@dataclass(frozen=True, slots=True)
class Element:
    canonical: str
    weight: float
    role: str  # prefix, suffix, both or none


@dataclass(frozen=True, slots=True)
class ElementTable:
    by_fold: dict[str, Element]
    prefixes: tuple[tuple[str, Element], ...]  # longest fold first
    suffixes: tuple[tuple[str, Element], ...]

    def element(self, folded: str) -> Element | None:
        return self.by_fold.get(folded)

    def split(self, folded: str) -> tuple[Element | None, str, Element | None]:
        """A compound's opening element, its remainder and its closing element."""
        head: Element | None = None
        tail: Element | None = None
        rest = folded
        for prefix, element in self.prefixes:
            if rest.startswith(prefix) and len(rest) - len(prefix) >= _MIN_REST:
                head, rest = element, rest[len(prefix) :]
                break
        for suffix, element in self.suffixes:
            if rest.endswith(suffix) and len(rest) - len(suffix) >= _MIN_REST:
                tail, rest = element, rest[: -len(suffix)]
                break
        return head, rest, tail


@cache
def element_table() -> ElementTable:
    """The element table shipped with the package (read once)."""
    text = resources.files("guwah").joinpath("data/names/elements.tsv").read_text("utf-8")
    by_fold: dict[str, Element] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        weight, role, *spellings = line.split("\t")
        canonical = spellings[0]
        element = Element(fold(latin_reading(canonical)), float(weight), role)
        for spelling in spellings:
            by_fold.setdefault(fold(latin_reading(spelling)), element)
    prefixes = sorted(
        ((f, e) for f, e in by_fold.items() if e.role in ("prefix", "both")),
        key=lambda item: -len(item[0]),
    )
    suffixes = sorted(
        ((f, e) for f, e in by_fold.items() if e.role in ("suffix", "both")),
        key=lambda item: -len(item[0]),
    )
    return ElementTable(by_fold, tuple(prefixes), tuple(suffixes))
