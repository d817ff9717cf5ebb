"""Names across scripts: reading, parts, match keys and comparison. Pure functions."""

from guwah.names.compare import MATCH_THRESHOLD, Comparison, compare
from guwah.names.index import name_keys, pair_keys, word_keys
from guwah.names.parts import ParsedName, Part, parse
from guwah.names.script import detect_script, guess_language

__all__ = [
    "MATCH_THRESHOLD",
    "Comparison",
    "ParsedName",
    "Part",
    "compare",
    "detect_script",
    "guess_language",
    "name_keys",
    "pair_keys",
    "parse",
    "word_keys",
]
