"""The keys a name is filed under, so that any spelling of it can find it again.

A name in any script gets:

* one ``w:`` key per word: the word's block key (:func:`guwah.names.keys.block`);
* one ``p:`` key for its given name and second name together (in both orders, and with
  a compound given name written as one word or two), far more selective than a word;
* an ``id:`` key for a valid Chinese resident ID number, kept apart by the caller.

Candidate search looks a name up by its pair keys first and falls back to its rarer
word keys; batch linkage blocks on the same keys.
"""

from __future__ import annotations

from guwah.names.keys import block
from guwah.names.parts import Part, parse


def _pair_parts(parts: tuple[Part, ...]) -> list[tuple[Part, Part]]:
    if len(parts) < 2:
        return []
    pairs = [(parts[0], parts[1])]
    if len(parts) > 2:
        pairs.append((parts[0], parts[-1]))
    return pairs


def word_keys(name: str) -> set[str]:
    """The per-word keys of a name (initials left out: they match too much)."""
    return {f"w:{block(p.skeleton)}" for p in parse(name).parts if not p.initial and p.skeleton}


def pair_keys(name: str) -> set[str]:
    """The given-name + second-name keys of a name, in both orders."""
    parts = tuple(p for p in parse(name).parts if not p.initial and p.skeleton)
    keys: set[str] = set()
    for a, b in _pair_parts(parts):
        ka, kb = block(a.skeleton), block(b.skeleton)
        keys.add(f"p:{ka}|{kb}")
        keys.add(f"p:{kb}|{ka}")
    if len(parts) >= 3:  # a compound given name written as two words
        joined = block(parts[0].skeleton + parts[1].skeleton.removeprefix("a"))
        keys.add(f"p:{joined}|{block(parts[2].skeleton)}")
    return keys


def name_keys(name: str) -> set[str]:
    """Every key a name is filed under."""
    return word_keys(name) | pair_keys(name)
