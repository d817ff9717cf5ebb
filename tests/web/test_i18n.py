"""The interface language: labels for every vocabulary code, right-to-left for Uyghur,
and complete catalogues for the languages we ship as complete."""

from __future__ import annotations

import enum
import re
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
COMPLETE = ("ru", "kk", "ug", "zh")  # languages shipped complete: every message translated


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


@pytest.mark.parametrize("lang", COMPLETE)
def test_translations_keep_every_placeholder(lang: str) -> None:
    """A translation that drops, renames or adds a {field} or %(field)s would fail (or
    show a raw brace) when the page is drawn."""
    po = ROOT / "src/guwah/web/locale" / lang / "LC_MESSAGES/messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    fields = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sd]")
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = [sorted(fields.findall(text)) for text in ids]
        wrong += [ids[0] for text in texts if sorted(fields.findall(text)) not in expected]
    assert not wrong, f"{lang}: placeholders differ in {wrong[:5]}"


@pytest.mark.parametrize("lang", COMPLETE)
def test_every_main_page_is_drawn_in_each_language(web: Web, lang: str) -> None:
    client = web.login(Role.ADMIN)
    client.get(f"/lang/{lang}?next=/")
    for path in ("/", "/search?q=Gulbahar", "/intake", "/persons/P-000010", "/review/proposals",
                 "/review/duplicates", "/cases", "/corrections"):  # fmt: skip
        page = client.get(path)
        assert page.status_code == 200, (lang, path, page.text[:500])
        assert f'<html lang="{lang}"' in page.text


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


def test_current_view_values_are_in_the_interface_language(web: Web) -> None:
    """Ilham Tohti (demo P-000001): male, sentenced to life; the words of the view are
    translated, what the sources wrote is not."""
    client = web.login(Role.EDITOR)
    client.get("/lang/ru?next=/")
    page = client.get("/persons/P-000001").text
    assert '<td dir="auto">пожизненно</td>' in page
    assert '<td dir="auto">мужской</td>' in page
    assert "Economist, professor at Minzu University of China, Beijing" in page
    client.get("/lang/zh?next=/")
    assert '<td dir="auto">无期徒刑</td>' in client.get("/persons/P-000001").text
