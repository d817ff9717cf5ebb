"""The interface language: gettext catalogues read with Babel, one per language.

Catalogues live in ``web/locale/<lang>/LC_MESSAGES/messages.po`` and are compiled in
memory when the server starts (no compiled files in the repository). English is the
source language; Russian is complete; Kazakh, Uyghur and Chinese catalogues are ready
for translators (docs/web.md, Translating). The language of a request is kept in a
context variable, so templates and code running in worker threads use the right one.
"""

from __future__ import annotations

import contextvars
import gettext
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT = "en"
# the interface languages offered, in the order shown; each in its own name
LANGUAGES = ("en", "ru", "kk", "ug", "zh")
RTL = frozenset({"ug"})

_current: contextvars.ContextVar[str] = contextvars.ContextVar("guwah_lang", default=DEFAULT)


@cache
def translations(lang: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT or not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


@cache
def language_name(lang: str) -> str:
    return Locale.parse(lang).get_display_name(lang) or lang


def choose(asked: str | None, cookie: str | None, accept: str | None) -> str:
    """The language of a request: asked in the URL, kept in a cookie, or the browser's."""
    for lang in (asked, cookie):
        if lang in LANGUAGES:
            return lang
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        if code in LANGUAGES:
            return code
    return DEFAULT


def activate(lang: str) -> contextvars.Token[str]:
    return _current.set(lang if lang in LANGUAGES else DEFAULT)


def current() -> str:
    return _current.get()


def direction() -> str:
    return "rtl" if current() in RTL else "ltr"


def _(message: str) -> str:
    """The message in the request's language; a vocabulary code (``testimony_oral``) is
    shown by its label (guwah.web.labels)."""
    return translate(current(), message)


@lru_cache(maxsize=8192)  # a page asks for the same few hundred messages every time
def translate(lang: str, message: str) -> str:
    from guwah.web.labels import LABELS

    return translations(lang).gettext(LABELS.get(message, message))


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)
