"""The public site over the demo archive: what the public level shows (and never shows),
the statistics against the public export, and the corrections channel end to end."""

from __future__ import annotations

import csv
import html
import io
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from guwah.model.vocab import Sensitivity
from guwah.secure.policy import Role
from guwah.services import consent, corrections
from guwah.services.archive import open_archive
from guwah.services.exporting import export
from guwah.store import protect, tables
from guwah.web import i18n
from guwah.web.app import public_app
from tests.conftest import PASSPHRASE
from tests.web.conftest import Web

TESTIFIER = ("Jewher Ilham", "جەۋھەر ئىلھام")  # P-000002: internal, no consent to be named
# a quote from her testimony (S-000002), published only with consent to publish its text
TESTIMONY_QUOTE = "She was stopped with her father at the Beijing airport"
HIDDEN = {
    "P-000002": "an internal testifier",
    "P-000035": "a restricted testifier",
    "P-000036": "an internal victim",
    "P-000010": "a public victim named only in a testimony without consent",
    "P-999999": "nobody",
    "nonsense": "not an id",
}


@dataclass
class Site:
    web: Web
    client: TestClient

    def count(self, table: str) -> int:
        archive = open_archive(self.web.location, PASSPHRASE, "tester")
        try:
            with archive.engine.connect() as conn:
                return int(
                    conn.execute(select(func.count()).select_from(tables.metadata.tables[table]))
                    .scalar_one()
                )  # fmt: skip
        finally:
            archive.close()


@pytest.fixture
def site(web: Web) -> Iterator[Site]:
    """The public site over the same desk (and archive) as the ``web`` desk."""
    web.desk.settings = replace(web.desk.settings, corrections_per_hour=2)
    with TestClient(public_app(web.desk), base_url="http://127.0.0.1") as client:
        yield Site(web, client)


def _alert(page: str) -> str:
    found = re.search(r'<p class="error" role="alert">([^<]*)</p>', page)
    assert found, page
    return html.unescape(found.group(1))


def test_a_public_victim_with_citations_and_never_the_testifier(site: Site) -> None:
    page = site.client.get("/victims/P-000001")
    assert page.status_code == 200
    text = page.text
    assert '<h1 dir="auto">Ilham Tohti</h1>' in text
    assert 'dir="rtl" lang="ug">ئىلھام توختى</span>' in text  # the Uyghur form, right to left
    # the facts cite numbered sources: kind, title, date of a public news source
    citations = re.findall(r'<li id="cite-(\d+)">(.*?)</li>', text, re.S)
    assert [n for n, _ in citations] == [str(i) for i in range(1, len(citations) + 1)]
    assert any(
        "news article" in body and "Press reports on the life sentence" in body
        and "2014-09-23" in body for _, body in citations
    )  # fmt: skip
    assert re.search(r'<a class="cite" href="#cite-1"', text)
    # her testimony is cited by kind and date only: its title names her
    assert any("oral testimony" in body and "2019-12-18" in body for _, body in citations)
    for name in TESTIFIER:
        assert name not in text
    assert "Public statements by" not in text
    assert "P-000002" not in text and "/persons/" not in text
    # a fact from her testimony is there, its quote is not (no consent to publish the text)
    assert "Stopped at Beijing airport" in text
    assert TESTIMONY_QUOTE not in text
    assert not re.search(r"<script|\son[a-z]+=", text)
    assert "script-src 'self'" in page.headers["content-security-policy"]

    # with her consent to publish the text, the quote is shown; she is still not named
    archive = open_archive(site.web.location, PASSPHRASE, "tester")
    try:
        consent.record(archive, "S-000002", publish_testimony_text=True, how="written")
    finally:
        archive.close()
    text = site.client.get("/victims/P-000001").text
    assert TESTIMONY_QUOTE in text
    assert not any(name in text for name in TESTIFIER)


def test_the_list_and_search_show_only_what_the_public_may_see(site: Site) -> None:
    """Hidden records are never listed or found, and their pages are no such page."""
    answers = {who: site.client.get(f"/victims/{who}") for who in HIDDEN}
    for who, answer in answers.items():
        assert answer.status_code == 404, (who, HIDDEN[who])
        assert _alert(answer.text) == "There is no such page.", who
    bodies = {re.sub(r"\s+", " ", a.text) for a in answers.values()}
    assert len(bodies) == 1  # a hidden record answers exactly like a missing one

    first = site.client.get("/")
    assert first.status_code == 200
    listed = re.findall(r'href="/victims/(P-\d{6})"', first.text)
    assert "P-000001" in listed and "P-000036" not in listed and "P-000010" not in listed
    assert f"{len(listed)} victims are listed" in first.text  # one page holds the demo's
    for query in ("Ильхам Тохти", "ئىلھام توختى", "伊力哈木·土赫提", "Ilham Tohti"):
        found = site.client.get("/", params={"q": query})
        assert 'href="/victims/P-000001"' in found.text, query
    for hidden in ("Jewher", "Қанымгүл Сәрсенбайқызы"):  # a testifier, an internal victim
        found = site.client.get("/", params={"q": hidden})
        assert "/victims/" not in found.text, hidden
    refused = site.client.get("/", params={"q": "650102196502147392"})
    assert refused.status_code == 400
    assert "ID numbers cannot be searched" in _alert(refused.text)
    assert site.client.get("/", params={"page": "x"}).status_code == 400
    past = site.client.get("/", params={"page": "2"})
    assert past.status_code == 200 and "/victims/" not in past.text
    assert 'rel="prev"' in past.text
    site.client.get("/lang/ug", params={"next": "/"})
    assert '<html lang="ug" dir="rtl">' in site.client.get("/").text


def _figures(page: str, chart: str) -> dict[str, int]:
    section = re.search(rf'<section class="chart" id="{chart}">(.*?)</section>', page, re.S)
    assert section, chart
    rows = re.findall(r'<th scope="row">([^<]*)</th><td class="num">(\d+)</td>', section.group(1))
    return {html.unescape(label): int(n) for label, n in rows}


def test_statistics_are_svg_charts_counted_like_the_public_export(site: Site) -> None:
    page = site.client.get("/stats")
    assert page.status_code == 200
    svgs = re.findall(r"<svg .*?</svg>", page.text, re.S)
    assert len(svgs) == 6
    for svg in svgs:
        assert re.search(r'<title id="[a-z-]+-title">[^<]+</title><desc id=', svg)
        assert "<script" not in svg and " style=" not in svg
    # the public CSV export decides visibility on its own path: the counts must agree
    archive = open_archive(site.web.location, PASSPHRASE, "tester")
    try:
        out = io.StringIO()
        export(archive, "csv", out, max_sensitivity=Sensitivity.PUBLIC)
    finally:
        archive.close()
    victims = [r for r in csv.DictReader(io.StringIO(out.getvalue())) if "victim" in r["kinds"]]
    assert f"Counted over the {len(victims)} victims" in page.text
    statuses = Counter(i18n._(r["status"]) for r in victims)
    assert _figures(page.text, "by-status") == dict(statuses)
    years = Counter(r["detained_year"] for r in victims if r["detained_year"])
    assert _figures(page.text, "by-year") == dict(years)
    sentences = _figures(page.text, "sentences")
    known = [int(r["sentence_months"]) for r in victims if r["sentence_months"]]
    assert sum(sentences.values()) == len(known)
    assert sentences[i18n._("life or death")] == sum(1 for m in known if m >= 1200)
    assert sum(_figures(page.text, "sources").values()) == len(victims)
    # the map: a tile per prefecture-level unit, shaded, with the counts as figures
    tiles = re.findall(r'<rect class="tile shade-(\d)"', page.text)
    assert len(tiles) == 14
    prefectures = Counter(r["prefecture"] for r in victims if r["prefecture"])
    assert sorted(_figures(page.text, "by-prefecture").values()) == sorted(prefectures.values())
    assert sum(1 for t in tiles if t != "0") == len(prefectures)


def _form(site: Site, person: str = "") -> str:
    page = site.client.get("/corrections/new", params={"person": person} if person else None)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    assert token
    return token.group(1)


def _aged_token(site: Site) -> str:
    """A form token as the site would have made it ten seconds ago."""
    return corrections.form_token(site.web.desk.public(), now=time.time() - 10)


def _send(site: Site, **fields: str) -> tuple[int, str]:
    data = {"kind": "error", "text": "The year of detention should be 2017, not 2018.",
            "person": "", "contact": "", "website": "", "token": _aged_token(site)}  # fmt: skip
    data.update(fields)
    answer = site.client.post("/corrections/new", data=data)
    return answer.status_code, answer.text


def test_a_correction_reaches_the_desk_queue_and_is_decided(site: Site) -> None:
    about = site.client.get("/corrections/new", params={"person": "P-000001"})
    assert "Ilham Tohti" in about.text

    def form_about(person: str) -> str:
        page = site.client.get("/corrections/new", params={"person": person}).text
        return re.sub(r'name="token" value="[^"]+"', "", page).replace(person, "P-?")

    # a hidden record's form is the form of a record that does not exist
    assert form_about("P-000036") == form_about("P-999999")
    _form(site)
    claims = site.count("claims")
    message = "Born in 1968 according to his family (see the attached article)."
    status, answer = _send(
        site, person="P-000001", kind="information", text=message, contact="reader@example.org"
    )  # no CSRF token and no cookie: the signed form time is what is checked
    assert status == 200 and "Your message was received" in answer
    assert message not in answer and message not in site.client.get("/corrections/new").text

    desk = site.web.login(Role.EDITOR)
    queue = desk.get("/corrections")
    assert message in queue.text and "reader@example.org" in queue.text
    found = re.search(r'action="/corrections/(Q-\d{6})/decide"', queue.text)
    assert found
    ident = found.group(1)
    csrf = site.web.csrf("/corrections")
    decided = desk.post(
        f"/corrections/{ident}/decide",
        data={"csrf": csrf, "decision": "accept", "note": "checked with S-000001"},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    after = desk.get(decided.headers["location"]).text
    assert f"{ident} accepted" in after and "/persons/P-000001" in after
    assert "checked with S-000001" in desk.get("/corrections?status=accepted").text
    again = desk.post(f"/corrections/{ident}/decide", data={"csrf": csrf, "decision": "dismiss"})
    assert again.status_code == 400 and "already accepted" in again.text
    assert site.count("claims") == claims  # accepting changes no record by itself

    archive = open_archive(site.web.location, PASSPHRASE, "tester")
    try:
        with archive.engine.connect() as conn:
            log = tables.audit_log
            actions = conn.execute(select(log.c.actor, log.c.action).where(
                log.c.action.like("correction.%")).order_by(log.c.seq)).all()  # fmt: skip
            stored = conn.exec_driver_sql("SELECT text, contact FROM corrections").one()
    finally:
        archive.close()
    assert [tuple(a) for a in actions] == [
        ("public", "correction.receive"), ("erkin", "correction.accept")
    ]  # fmt: skip
    if site.web.location.startswith("postgresql"):  # sealed on the server's disk
        assert all(value.startswith(protect.MARK) for value in stored)
        assert message not in stored[0]

    site.web.login(Role.RESEARCHER)
    assert site.web.client.get("/corrections").status_code == 403


def test_spam_and_bad_input_are_refused_with_one_line_and_nothing_stored(site: Site) -> None:
    refusals = {
        "honeypot": ({"website": "http://spam.example"}, 400, "automated"),
        "forged time": ({"token": f"{int(time.time()) - 60}.{'0' * 32}"}, 400, "reload"),
        "links": ({"text": " ".join(f"https://x{i}.example" for i in range(3))}, 400, "links"),
        "too long": ({"text": "x" * (corrections.MAX_TEXT + 1)}, 400, "too long"),
        "too short": ({"text": "wrong"}, 400, "at least"),
        "kind": ({"kind": "praise"}, 400, "choose what"),
        "person": ({"person": "Ilham"}, 400, "not a record id"),
    }
    before = site.count("corrections")
    status, page = _send(site, token=_form(site))  # sent at once after the form came
    assert status == 400 and "too quickly" in _alert(page)
    for name, (fields, code, words) in refusals.items():
        status, page = _send(site, **fields)
        assert status == code, name
        line = _alert(page)
        assert words in line.lower() and "\n" not in line, (name, line)
    assert site.count("corrections") == before

    # the address may send two an hour here: the third is refused, and not stored
    assert _send(site)[0] == 200 and _send(site)[0] == 200
    status, page = _send(site)
    assert status == 429 and "too many" in _alert(page).lower()
    assert site.count("corrections") == before + 2


def test_guessing_hidden_ids_does_not_grow_the_audit_log(web: Web) -> None:
    app = TestClient(public_app(web.desk), base_url="http://127.0.0.1")

    def entries() -> int:
        archive = web.desk.archive
        assert archive is not None
        with archive.engine.connect() as conn:
            return int(
                conn.execute(select(func.count()).select_from(tables.audit_log)).scalar_one()
            )

    before = entries()
    for number in range(1, 40):
        app.get(f"/victims/P-{number:06d}")
    app.get("/victims/P-999999")
    assert entries() == before
