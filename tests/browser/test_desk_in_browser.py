"""The desk in a real browser: sign-in through the form, a person page with right-to-left
names, the scripts running under the CSP without a single violation, the interface
language switched and back."""

from __future__ import annotations

import pytest

from guwah.secure.policy import Role
from tests.browser.conftest import Screenshots, Tab, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]

ILHAM_ARABIC = "ئىلھام توختى"  # P-000001 in the demo archive (case 001)


def direction_of(tab: Tab, selector: str) -> str:
    return str(tab.page.eval_on_selector(selector, "el => getComputedStyle(el).direction"))


def test_sign_in_person_page_rtl_names_and_languages(tab: Tab, screenshots: Screenshots) -> None:
    tab.go("/persons/P-000001")  # no session: sent to the sign-in form, then back
    assert "/login?next=" in tab.page.url
    screenshots.take(tab, "login")
    tab.sign_in(Role.EDITOR)
    assert tab.page.locator("header .who").inner_text().startswith("erkin")
    assert tab.page.evaluate("typeof window.htmx") == "object"  # vendored htmx loaded
    screenshots.take(tab, "home")

    tab.go("/persons/P-000001")
    page = tab.page
    assert page.locator("h1").inner_text() == "Ilham Tohti"
    arabic = f".names span.name:text-is('{ILHAM_ARABIC}')"
    assert page.locator(arabic).count() == 1
    assert direction_of(tab, arabic) == "rtl"
    assert page.eval_on_selector(arabic, "el => el.lang") == "ug"
    assert direction_of(tab, ".names span.name:text-is('Ilham Tohti')") == "ltr"
    assert direction_of(tab, "html") == "ltr"
    assert page.locator("a.src[href^='/sources/S-']").count() > 0
    screenshots.take(tab, "person")

    with page.expect_navigation():
        page.click("header .lang a[lang=ru]")
    assert page.url == tab.base + "/persons/P-000001"  # same page, other language
    assert page.evaluate("document.documentElement.lang") == "ru"
    assert page.get_attribute("header .lang a[lang=ru]", "aria-current") == "true"
    assert page.locator(arabic).count() == 1  # names are data: never translated
    with page.expect_navigation():
        page.click("header .lang a[lang=en]")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h2", has_text="Names").count() == 1
    tab.assert_clean()


def test_csp_violations_are_caught(tab: Tab) -> None:
    """The watch the other browser tests rely on: an inline script is refused by the
    desk's CSP, and the refusal shows among the problems."""
    tab.go("/login")
    tab.assert_clean()
    tab.page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.append(s); }"
    )
    tab.page.wait_for_timeout(200)
    assert tab.page.evaluate("window.injected") is None
    assert any("CSP violation" in p or "Content Security Policy" in p for p in tab.problems)


def test_the_desk_in_uyghur_kazakh_and_chinese(tab: Tab, screenshots: Screenshots) -> None:
    """Each complete translation draws the main pages without a console error and without
    text running off the side of the window; Uyghur turns the page right-to-left."""
    tab.sign_in(Role.EDITOR)
    page = tab.page
    for lang, direction, word in (("ug", "rtl", "ئىزدەش"), ("kk", "ltr", "Іздеу"),
                                  ("zh", "ltr", "搜索")):  # fmt: skip
        tab.go(f"/lang/{lang}?next=/persons/P-000001")
        assert page.evaluate("document.documentElement.lang") == lang
        assert direction_of(tab, "html") == direction
        assert word in page.locator("header.top").inner_text()
        screenshots.take(tab, f"person-{lang}")
        for path in ("/", "/intake", "/search?q=Ilham", "/review/duplicates"):
            tab.go(path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, (lang, path, overflow)
        screenshots.take(tab, f"review-duplicates-{lang}")
    tab.go("/lang/en?next=/")
    tab.assert_clean()
