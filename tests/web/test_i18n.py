"""The interface language: labels for every vocabulary code, right-to-left for Uyghur,
and complete catalogues for the languages we ship as complete."""

from __future__ import annotations

import enum
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from guwah.model import vocab
from guwah.secure.policy import Role
from guwah.web import i18n
from guwah.web.labels import LABELS
from tests.web.conftest import Web

ROOT = Path(__file__).resolve().parents[2]
COMPLETE = ("ru",)  # languages shipped complete: every message translated


def _vocabularies() -> list[type[enum.Enum]]:
    return [
        value
        for value in vars(vocab).values()
        if isinstance(value, type) and issubclass(value, enum.Enum)
        and value.__module__ == vocab.__name__
    ]  # fmt: skip


def test_every_vocabulary_code_and_role_has_a_label() -> None:
    codes = {str(member.value) for enum_type in _vocabularies() for member in enum_type}
    codes |= {role.value for role in Role}
    assert codes - set(LABELS) == set()


def _messages() -> set[str]:
    method_map = [
        ("src/guwah/web/**.py", "python"),
        ("src/guwah/web/templates/**.html", "jinja2"),
    ]
    options = {"src/guwah/web/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options, keywords={"_": None, "N_": None, "ngettext": (1, 2)}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("lang", COMPLETE)
def test_complete_catalogues_translate_every_message(lang: str) -> None:
    po = ROOT / "src/guwah/web/locale" / lang / "LC_MESSAGES/messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    translated = {
        m.id[0] if isinstance(m.id, tuple) else m.id
        for m in catalog
        if m.id and m.string and not m.fuzzy
    }
    missing = sorted(_messages() - translated)
    assert not missing, f"{len(missing)} messages lack a {lang} translation: {missing[:10]}"


def test_choosing_a_language() -> None:
    assert i18n.choose("ru", None, "en") == "ru"
    assert i18n.choose(None, "kk", "ru") == "kk"
    assert i18n.choose("xx", None, "zh-CN,zh;q=0.9") == "zh"
    assert i18n.choose(None, None, "de-DE") == "en"


def test_russian_interface_and_uyghur_right_to_left(web: Web) -> None:
    client = web.login(Role.EDITOR)
    client.get("/lang/ru?next=/")
    page = client.get("/")
    assert '<html lang="ru" dir="ltr">' in page.text
    assert "Поиск" in page.text
    client.get("/lang/ug")
    assert '<html lang="ug" dir="rtl">' in client.get("/").text
    assert client.get("/lang/../etc?next=//evil.example").headers.get("location", "/") == "/"
