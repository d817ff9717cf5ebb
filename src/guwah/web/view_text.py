"""A current-view value in the interface's language. The view gives English words for
what the claims say (``sentenced``, ``male``, ``12 years 6 months``, ``life``); words
from the vocabularies are translated, and a term of years is spelt out again. Anything
else is what a source wrote and is shown as written."""

from __future__ import annotations

import re

from guwah.web import i18n
from guwah.web.labels import N_

_TRANSLATED = ("status", "gender", "ethnicity")
_SENTENCE_WORDS = {
    "life": N_("life"),
    "death": N_("death"),
    "death (suspended)": N_("death (suspended)"),
}
_TERM = re.compile(r"(\d+) years?(?: (\d+) months?)?")


def view_text(field: str, text: str) -> str:
    if field in _TRANSLATED:
        return i18n._(text)
    if field != "sentence":
        return text
    if text in _SENTENCE_WORDS:
        return i18n._(_SENTENCE_WORDS[text])
    term = _TERM.fullmatch(text)
    if term is None:
        return text
    years, months = int(term.group(1)), int(term.group(2) or 0)
    words = i18n.ngettext("{n} year", "{n} years", years).format(n=years) if years else ""
    if months:
        words += " " + i18n.ngettext("{n} month", "{n} months", months).format(n=months)
    return words.strip()
