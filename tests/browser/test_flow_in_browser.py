"""A documenter's day in a real browser, end to end.

An editor records a testimony about a victim given in Cyrillic (Абдувели Аюп), picks the
recorded Latin-script person (Abduweli Ayup, P-000015) from the live match list instead
of creating a duplicate, and lands on that person's page with the new source. Then she
finds duplicates, merges a cluster and undoes it. The testifier agreed to publish the
testimony and the victim's identity, not their own name: the public site shows the
victim with the new fact and never the testifier's name. Screenshots of every main page.
"""

from __future__ import annotations

import re

import pytest

from guwah.secure.policy import Role
from tests.browser.conftest import Screenshots, Tab, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]

VICTIM_CYRILLIC = "Абдувели Аюп"
VICTIM_LATIN = "Abduweli Ayup"
VICTIM_ID = "P-000015"  # case 017 of the demo archive
TESTIFIER = "Зарина Тохтасынова"  # invented for this test
PASSAGE = "В марте 2019 года его снова увезли в лагерь в Кашгаре."


def record_testimony(tab: Tab, screenshots: Screenshots) -> str:
    """Fill the intake form as a person would; returns the new source's id."""
    page = tab.page
    tab.go("/intake")
    page.select_option("#source_kind", "testimony_video")
    page.fill("#source_title", "Video testimony of a niece, recorded in Almaty")
    page.fill("#source_date", "2020-02")
    page.fill("#source_language", "ru")
    page.select_option("#source_sensitivity", "public")
    page.fill("#source_text", f"Мой дядя Абдувели Аюп. {PASSAGE} С тех пор нет вестей.")
    page.fill("#testifier_name", TESTIFIER)
    page.select_option("#consent_how", "recorded")
    page.fill("#consent_date", "2020-02-14")
    page.check("#consent_text")
    page.check("#consent_victim")
    assert not page.is_checked("#consent_name")

    page.locator("#victim-1-name").press_sequentially(VICTIM_CYRILLIC, delay=40)
    candidate = page.locator("#victim-1-matches .candidates > li", has_text=VICTIM_ID)
    candidate.wait_for()  # the live match list came (htmx, after typing stops)
    assert VICTIM_LATIN in candidate.inner_text()
    screenshots.take(tab, "intake-matches")
    candidate.get_by_role("button").click()
    page.locator("#victim-1-link .notice", has_text=VICTIM_ID).wait_for()
    assert page.input_value("#victim-1-existing") == VICTIM_ID

    page.select_option("#victim-1-relation", "other_relative")
    page.select_option("#victim-1-claim-1-kind", "detained")
    page.fill("#victim-1-claim-1-value", "camp")
    page.fill("#victim-1-claim-1-date", "2019-03")
    page.fill("#victim-1-claim-1-place", "Kashgar")
    page.fill("#victim-1-claim-1-quote", PASSAGE)
    with page.expect_navigation():
        page.click("p.actions button[type=submit]")
    assert "/intake/done/S-" in page.url, page.url
    source = re.search(r"/intake/done/(S-\d+)", page.url)
    assert source is not None
    done = page.locator("main").inner_text()
    assert "linked to the existing record" in done and VICTIM_ID in done
    return source.group(1)


def merge_and_undo(tab: Tab, screenshots: Screenshots) -> None:
    page = tab.page
    tab.go("/review/duplicates")
    page.click("form[action='/review/duplicates/find'] button[type=submit]")
    page.locator("article.review-card.status-open").first.wait_for()
    screenshots.take(tab, "review-duplicates")
    item = page.locator("article.review-card.status-open").first.get_attribute("id")
    card = page.locator(f"article#{item}")
    ids = card.locator(".person-col h3 code").all_inner_texts()
    assert len(ids) >= 2, ids
    keep = ids[0]
    card.locator("select[name=keep]").select_option(keep)
    page.once("dialog", lambda dialog: dialog.accept())  # "Merge these records…?"
    card.get_by_role("button", name="Merge", exact=True).click()
    page.locator(f"article#{item}.status-merged").wait_for()  # the card swapped in place
    tab.go(f"/persons/{ids[1]}")  # a merged record now opens as the kept one
    assert page.url.endswith(f"/persons/{keep}")
    assert ids[1] in page.locator(".person-head .note").inner_text()

    tab.go("/review/duplicates?status=merged")
    page.locator(f"article#{item}").get_by_role("button", name="Undo this decision").click()
    page.locator(f"article#{item}:not(.status-merged)").wait_for()
    tab.go(f"/persons/{ids[1]}")
    assert page.url.endswith(f"/persons/{ids[1]}")  # apart again


def test_record_link_merge_undo_and_publish(
    tab: Tab, public_tab: Tab, screenshots: Screenshots
) -> None:
    tab.sign_in(Role.EDITOR)
    source = record_testimony(tab, screenshots)

    page = tab.page
    page.click(f"ul.people a[href='/persons/{VICTIM_ID}']")
    page.wait_for_url(f"**/persons/{VICTIM_ID}")
    names = page.locator(".names").inner_text()
    assert VICTIM_CYRILLIC in names and VICTIM_LATIN in names  # one record, both scripts
    assert page.locator(f"a.src[href^='/sources/{source}']").count() > 0
    assert page.locator(f"tr:has(a[href^='/sources/{source}'])", has_text="detained").count()
    screenshots.take(tab, "person-linked")

    merge_and_undo(tab, screenshots)
    tab.go("/review/proposals")
    screenshots.take(tab, "review-proposals")
    tab.go("/cases")
    screenshots.take(tab, "cases")
    tab.assert_clean()

    public_tab.go(f"/victims/{VICTIM_ID}")
    public = public_tab.page
    text = public.locator("main").inner_text()
    assert VICTIM_LATIN in text
    assert PASSAGE in text  # the testimony is published, with the victim's consent...
    content = public.content()
    assert TESTIFIER not in content and "Тохтасынова" not in content  # ...its witness is not
    screenshots.take(public_tab, "public-victim")
    public_tab.go("/?q=" + VICTIM_CYRILLIC)  # found by the name the testimony gave
    assert public.locator(f"main a[href='/victims/{VICTIM_ID}']").count() == 1
    public_tab.go("/?q=" + TESTIFIER)  # while the public search knows no testifier
    assert public.locator("main a[href^='/victims/']").count() == 0
    public_tab.go("/stats")
    screenshots.take(public_tab, "public-stats")
    public_tab.assert_clean()


def test_public_charts_in_uyghur_keep_labels_beside_their_bars(public_tab: Tab) -> None:
    """On a right-to-left page the charts stay laid out left to right: each bar's label
    ends before its bar begins (an inherited direction drew labels over the bars)."""
    public_tab.go("/lang/ug?next=/stats")
    page = public_tab.page
    assert page.evaluate("document.documentElement.dir") == "rtl"
    overlaps = page.evaluate(
        """() => {
          const chart = document.querySelector('svg.chart-svg');
          const bars = [...chart.querySelectorAll('rect')].map(r => r.getBoundingClientRect());
          const labels = [...chart.querySelectorAll('text[text-anchor="end"]')]
            .map(t => t.getBoundingClientRect());
          const left = Math.min(...bars.map(b => b.left));
          return {labels: labels.length, over: labels.filter(l => l.right > left + 1).length};
        }"""
    )
    assert overlaps["labels"] > 0 and overlaps["over"] == 0, overlaps
    public_tab.assert_clean()
