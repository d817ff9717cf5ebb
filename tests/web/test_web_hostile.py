"""Hostile text in the archive (names, claim values, quotes, source titles and text, case
notes) and in requests: every page shows it as text, never as markup; downloads cannot
run it as a spreadsheet formula; a source URL is a link only when it is http(s)."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from guwah.ingest.document import Document
from guwah.ingest.proposals import ClaimProposal, Extraction, PersonProposal
from guwah.model.records import format_id
from guwah.secure.policy import Role
from guwah.services import accounts, corrections
from guwah.services.archive import Archive
from guwah.services.ingest import ingest_files
from guwah.services.testimony import add_document
from guwah.web.app import public_app
from guwah.web.public.static_site import write_site
from guwah.web.render import web_url
from tests.ingest_helpers import article, document_of, span, use_evidence_folder
from tests.web.conftest import USERS, Web
from tests.web.test_web_security import IDS, browser, desk_routes, fill, sign_in

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
MARKER = "Zzxqhostile"
WITNESS = "Qutlughbeg"  # in the testifier's name only: never typed in a search
FORMULAS = ('=HYPERLINK("http://evil.example","x")', "@SUM(1+1)", "+1+cmd", "-2+3")


@dataclass
class Page(HTMLParser):
    """What a browser would build from the page: its tags with their attributes, and the
    text a reader sees (character references decoded)."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def shown(self) -> str:
        return "".join(self.text)


def _local(target: str) -> bool:
    """A link to this site (absolute path or relative), as a browser reads it."""
    parts = urlsplit(target.strip().replace("\\", "/"))
    return not parts.scheme and not parts.netloc


def inert(html: str) -> Page:
    """The page parsed, after checking that nothing in it can run: scripts only from this
    site, no event-handler attributes, no injected tags, links to this site or http(s)."""
    page = Page()
    page.feed(html)
    page.close()
    for tag, attrs in page.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert tag not in ("iframe", "object", "embed", "base", "frame"), (tag, attrs)
        assert not (tag == "meta" and "http-equiv" in attrs), attrs
        if tag in ("script", "img"):
            assert attrs.get("src") and _local(attrs["src"]), (tag, attrs)
        for name in ("href", "src", "action", "formaction", "hx-get", "hx-post"):
            target = attrs.get(name, "")
            if target and not _local(target):
                assert web_url(target) or target == "data:,", (tag, name, target)
    return page


def plant(archive: Archive) -> dict[str, str]:
    """A testimony full of hostile text, recorded the way ``guwah add`` records one; the
    ids of its source, its victim, the victim's case and the formula-named person."""
    document: dict[str, Any] = {
        "source": {
            "kind": "testimony_written", "title": f"{MARKER} {SCRIPT}",
            "url": "javascript:alert(1)", "testifier": "t1", "sensitivity": "internal",
            "original_text": f"She said {SCRIPT} and then {IMG} at the end.",
            "reliability": IMG, "archive_ref": IMG,
        },
        "persons": [
            {"ref": "t1", "kinds": ["testifier"], "names": [f"{MARKER} witness {WITNESS} {IMG}"]},
            {"ref": "v1", "kinds": ["victim"], "relation": "<img src=x onerror=alert(1)>",
             "names": [f"{MARKER} {SCRIPT}", f"{IMG} {MARKER}"],
             "external_refs": [{"namespace": "x", "ref": SCRIPT}]},
            *({"ref": f"f{i}", "kinds": ["victim"], "names": [f"{formula} {MARKER}"]}
              for i, formula in enumerate(FORMULAS)),
        ],
        "claims": [
            {"subject": "v1", "kind": "note", "value": {"text": SCRIPT}, "quote": SCRIPT},
            {"subject": "v1", "kind": "detained", "date": "2018", "place": "<b>Nowhere</b>",
             "value": {"facility_type": "camp", "reason": IMG}, "quote": IMG},
            {"subject": "v1", "kind": "sentenced", "date": "2019",
             "value": {"years": 7, "charge": SCRIPT}},
            {"subject": "v1", "kind": "ethnicity", "value": {"text": "=2+5"}},
            {"subject": "v1", "kind": "born", "date": "1970-03-02"},
            {"subject": "v1", "kind": "relation", "value": {"relation": "mother", "person": "t1"}},
        ],
        "cases": [
            {"subject": "v1", "status": "active", "owner": IMG, "next_steps": SCRIPT,
             "actions": [{"kind": "petition", "date": "2020", "description": IMG}]},
        ],
    }  # fmt: skip
    outcome = add_document(archive, document)
    assert outcome.result is not None
    result = outcome.result
    ids = {ref: format_id("person", number) for ref, number in result.person_ids.items()}
    ids["source"] = format_id("source", result.source_id)
    ids["case"] = format_id("case", result.cases_added[0])
    return ids


def test_hostile_records_render_as_text_on_every_page(web: Web) -> None:
    assert web.desk.archive is not None
    ids = plant(web.desk.archive)
    victim, source = ids["v1"], ids["source"]
    client = web.login(Role.ADMIN)

    person = inert(client.get(f"/persons/{victim}").text)
    for hostile in (SCRIPT, IMG, "<b>Nowhere</b>", "<img src=x onerror=alert(1)>"):
        assert hostile in person.shown, hostile  # shown to the reader, as text

    answer = client.get(f"/sources/{source}")
    assert answer.status_code == 200
    page = inert(answer.text)
    assert f"She said {SCRIPT} and then {IMG} at the end." in page.shown
    assert "(<img src=x onerror=alert(1)>)" in page.shown  # the relation, as typed
    assert "javascript:alert(1)" in page.shown  # the URL is kept, but is no link
    assert not [a for t, a in page.tags if t == "a" and "javascript" in a.get("href", "")]

    results = inert(client.get(f"/search?q={MARKER}").text)
    assert SCRIPT in results.shown and IMG in results.shown
    for path in ("/", f"/persons/{ids['t1']}", f"/persons/{ids['f0']}"):
        inert(client.get(path).text)


def test_source_link_only_for_http_urls(web: Web) -> None:
    assert web.desk.archive is not None
    urls = ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
            "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
            "//evil.example/x", "https://example.org/testimony/1"]  # fmt: skip
    sources = []
    for i, url in enumerate(urls):
        outcome = add_document(
            web.desk.archive,
            {"source": {"kind": "news_article", "title": f"{MARKER} link {i}", "url": url},
             "persons": [{"ref": "v", "names": [f"{MARKER} link person {i}"]}]},
        )  # fmt: skip
        assert outcome.result is not None
        sources.append(format_id("source", outcome.result.source_id))
    client = web.login(Role.EDITOR)
    for url, source in zip(urls, sources, strict=True):
        page = inert(client.get(f"/sources/{source}").text)
        assert url.strip() in page.shown  # the URL is kept and shown
        links = [a["href"] for tag, a in page.tags if tag == "a" and "noopener" in a.get("rel", "")]
        assert links == ([url] if url.startswith("https:") else []), url


def test_downloads_do_not_run_formulas(web: Web) -> None:
    assert web.desk.archive is not None
    plant(web.desk.archive)
    client = web.login(Role.EDITOR)
    answer = client.get(f"/search/export.csv?q={MARKER}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    names = {row["name"] for row in rows}
    for formula in FORMULAS:
        assert f"'{formula} {MARKER}" in names, formula  # kept, but as text
    assert "'=2+5" in {row["ethnicity"] for row in rows}
    for row in rows:
        for cell in row.values():
            assert cell[:1] not in ("=", "+", "-", "@"), row
    data = client.get(f"/search/export.json?q={MARKER}")
    assert data.headers["content-type"].startswith("application/json")
    assert data.headers["x-content-type-options"] == "nosniff"
    assert data.headers["content-disposition"].startswith("attachment")
    assert {f"{MARKER} {SCRIPT}"} <= {row["name"] for row in json.loads(data.text)}


def test_reflected_input_is_escaped(web: Web) -> None:
    client = web.client
    login = client.get("/login", params={"next": f'/search?q={SCRIPT}"{IMG}'})
    inert(login.text)
    pre = re.search(r'name="pre" value="([^"]+)"', login.text)
    assert pre
    failed = client.post(
        "/login", data={"username": SCRIPT + IMG, "password": "x", "pre": pre.group(1)}
    )
    assert failed.status_code == 401
    refilled = [
        a for t, a in inert(failed.text).tags if t == "input" and a.get("name") == "username"
    ]
    assert refilled == [{"name": "username", "value": SCRIPT + IMG, "autocomplete": "username",
                         "required": "", "autofocus": ""}]  # fmt: skip
    web.login(Role.EDITOR)
    for path, status in (
        (f"/search?q={SCRIPT}{IMG}", 200),
        (f"/search?place={IMG}&ethnicity={SCRIPT}", 400),
        (f"/search?year={SCRIPT}", 400),
        (f"/persons/{IMG}", 400),
        (f"/sources/{IMG}", 400),
        (f"/search/export.{IMG}", 400),
        (f"/nowhere/{SCRIPT}", 404),
    ):
        answer = client.get(path)
        assert answer.status_code == status, (path, answer.status_code)
        page = inert(answer.text)
        assert "Traceback" not in page.shown
    shown = inert(client.get(f"/search?year={SCRIPT}").text).shown
    assert SCRIPT in shown  # the error names the bad value, as text


# --- every page of the desk, the review queues, the public site ---------------------------


def _proposal(archive: Archive, folder: Path) -> None:
    """A document ingested with hostile text in what the extractor proposes."""
    text = f"{MARKER} Proposed {SCRIPT} was detained in 2018 {IMG} by the police."

    def extract(document: Document) -> Extraction:
        person = PersonProposal(
            "p1", [f"{MARKER} Proposed {SCRIPT}"], ["victim"], {"ethnicity": IMG},
            evidence=[span(document.text, f"{MARKER} Proposed {SCRIPT}")],
        )  # fmt: skip
        claim = ClaimProposal(
            "p1", "detained", {"facility_type": "camp"}, span(document.text, "detained in 2018"),
            0.9, "test.hostile", date="2018", reason=SCRIPT, place_text="<b>Nowhere</b>",
        )  # fmt: skip
        return Extraction(f"{MARKER} {IMG}", "2024", "en", [person], [], [claim])

    (result,) = ingest_files(
        archive, [article(folder, "hostile.txt", text)], reader=document_of, extractor=extract
    )
    assert result.ok, result.error


def _correction(web: Web, person: str) -> None:
    """A reader's hostile report, sent through the public form (its token made as the form
    makes it, a minute ago: the form refuses answers sent within seconds)."""
    assert web.desk.archive is not None
    public = TestClient(public_app(web.desk), base_url="http://127.0.0.1")
    token = corrections.form_token(web.desk.public(), now=time.time() - 60)
    answer = public.post(
        "/corrections/new",
        data={"kind": "error", "text": f"{MARKER} wrong {SCRIPT} {IMG}", "person": person,
              "contact": IMG, "token": token, "website": ""},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    inert(answer.text)


def test_every_desk_page_shows_hostile_records_as_text(
    web: Web, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_evidence_folder(backend, tmp_path, monkeypatch)
    archive = web.desk.archive
    assert archive is not None
    ids = plant(archive)
    twin = add_document(  # the victim again, from another source: a duplicate to review
        archive,
        {"source": {"kind": "news_article", "title": f"{MARKER} twin", "sensitivity": "internal"},
         "persons": [{"ref": "v", "names": [f"{MARKER} {SCRIPT}"]}],
         "claims": [{"subject": "v", "kind": "born", "date": "1970-03-02"}]},
    )  # fmt: skip
    assert twin.result is not None
    _proposal(archive, tmp_path)
    _correction(web, ids["v1"])
    client = web.login(Role.ADMIN)
    csrf = web.csrf()
    found = client.post("/review/duplicates/find", data={"csrf": csrf}, follow_redirects=False)
    assert found.status_code == 303
    queues = {
        "proposals": client.get("/review/proposals?status=all"),
        "duplicates": client.get("/review/duplicates?status=all"),
        "corrections": client.get("/corrections?status=all"),
        "cases": client.get("/cases?view=all"),
    }
    proposal = re.search(r'id="(X-\d+)"', queues["proposals"].text)
    item = re.search(r'id="item-(\d+)"', queues["duplicates"].text)
    correction = re.search(r"\b(Q-\d+)\b", queues["corrections"].text)
    assert proposal and item and correction
    for name, answer in queues.items():
        assert answer.status_code == 200, name
        assert MARKER in inert(answer.text).shown, name
    for shown in (SCRIPT, IMG):
        assert shown in inert(queues["proposals"].text).shown
        assert shown in inert(queues["corrections"].text).shown

    targets = {
        **IDS, "persons": ids["v1"], "sources": ids["source"], "done": ids["source"],
        "source_id": ids["source"], "cases": ids["case"], "case_id": ids["case"],
        "proposals": proposal.group(1), "proposal_id": proposal.group(1),
        "corrections": correction.group(1), "item": item.group(1),
    }  # fmt: skip
    pages = [fill(p, targets) for m, p in desk_routes(web.desk) if m == "GET"]
    pages += [
        f"/search?q={MARKER}", f"/intake/choose?v=1&person={ids['v1']}",
        f"/intake/match?v=1&victim-1-name={MARKER}", f"/intake/done/{ids['source']}",
        f"/review/proposals/{proposal.group(1)}/card", f"/cases/{ids['case']}",
    ]  # fmt: skip
    for url in pages:
        if url.startswith("/api/") or url in ("/lang/ru", "/unlock"):
            continue
        answer = client.get(url)
        assert answer.status_code < 500, (url, answer.status_code)
        if answer.headers["content-type"].startswith("text/html"):
            inert(answer.text)
    for url in (f"/cases/{ids['case']}", f"/intake/choose?v=1&person={ids['v1']}"):
        assert SCRIPT in inert(client.get(url).text).shown, url


def test_intake_form_takes_hostile_text_and_gives_it_back_as_text(web: Web) -> None:
    client = web.login(Role.EDITOR)
    form = {
        "csrf": web.csrf("/intake"), "source_kind": "testimony_oral",
        "source_title": f"{MARKER} {SCRIPT}", "source_date": "2019-05",
        "source_sensitivity": "restricted", "source_reliability": IMG,
        "source_text": f"{SCRIPT} {IMG}", "testifier_name": f"{MARKER} {IMG}",
        "victim-1-name": f"{MARKER} {SCRIPT}", "victim-1-ethnicity": IMG,
        "victim-1-claim-1-kind": "note",
        "victim-1-claim-1-value": SCRIPT, "victim-1-claim-1-quote": IMG,
    }  # fmt: skip
    refused = client.post(
        "/intake", data={**form, "source_url": "javascript:alert(1)", "victim-1-hometown": IMG}
    )
    assert refused.status_code == 400
    page = inert(refused.text)
    values = [a.get("value", "") for tag, a in page.tags if tag == "input"]
    assert f"{MARKER} {SCRIPT}" in values and "javascript:alert(1)" in values and IMG in values
    assert f"{SCRIPT} {IMG}" in page.shown  # the text area, as typed
    done = client.post("/intake", data=form)
    assert done.status_code == 200 and done.url.path.startswith("/intake/done/S-")
    shown = inert(done.text).shown
    assert f"{MARKER} {SCRIPT}" in shown


def test_public_site_shows_hostile_text_as_text_and_hides_what_is_not_public(
    web: Web, tmp_path: Path
) -> None:
    archive = web.desk.archive
    assert archive is not None
    hidden = plant(archive)  # internal and restricted: never on the public site
    outcome = add_document(
        archive,
        {"source": {"kind": "news_article", "title": f"{MARKER} {SCRIPT}", "date": "2020",
                    "url": "javascript:alert(1)", "sensitivity": "public",
                    "original_text": f"{MARKER} Public {SCRIPT} was detained {IMG}."},
         "persons": [{"ref": "v", "sensitivity": "public",
                      "names": [f"{MARKER} Public {SCRIPT}", f"{IMG} {MARKER}"]}],
         "claims": [
             {"subject": "v", "kind": "ethnicity", "value": {"text": SCRIPT}},
             {"subject": "v", "kind": "detained", "date": "2018", "place": "<b>Nowhere</b>",
              "value": {"facility_type": "camp", "reason": IMG}, "quote": IMG},
             {"subject": "v", "kind": "born", "date": "1971"}]},
    )  # fmt: skip
    assert outcome.result is not None
    victim = format_id("person", outcome.result.person_ids["v"])
    public = TestClient(public_app(web.desk), base_url="http://127.0.0.1")
    page = inert(public.get(f"/victims/{victim}").text)
    for shown in (f"{MARKER} Public {SCRIPT}", f"{IMG} {MARKER}", IMG):
        assert shown in page.shown, shown
    assert not [a for t, a in page.tags if "javascript" in a.get("href", "")]
    listed = inert(public.get("/", params={"q": MARKER}).text)
    assert f"{MARKER} Public {SCRIPT}" in listed.shown
    assert "witness" not in listed.shown and hidden["v1"] not in public.get("/").text
    stats = public.get("/stats")
    assert stats.status_code == 200 and SCRIPT in inert(stats.text).shown
    for person in (hidden["v1"], hidden["t1"]):
        answer = public.get(f"/victims/{person}")
        assert answer.status_code == 404 and MARKER not in answer.text
    form = public.get("/corrections/new", params={"person": victim})
    assert f"{MARKER} Public {SCRIPT}" in inert(form.text).shown
    short = public.post("/corrections/new", data={"kind": "error", "text": IMG[:5]})
    assert short.status_code == 400 and IMG[:5] in inert(short.text).shown
    for answer in (public.get("/"), stats, form, short, public.get("/victims/P-999999")):
        assert "unsafe-" not in answer.headers["content-security-policy"]
        assert answer.headers["x-frame-options"] == "DENY"
    assert form.headers["cache-control"] == "no-store"  # it carries a fresh signed time
    assert "max-age=" in public.get("/static/guwah.css").headers["cache-control"]

    (tmp_path / "site").mkdir()
    write_site(web.desk.public(), tmp_path / "site")
    files = sorted((tmp_path / "site").rglob("*.html"))
    assert (tmp_path / "site" / "victims" / f"{victim}.html") in files
    for file in files:
        text = file.read_text(encoding="utf-8")
        inert(text)
        assert hidden["v1"] not in text and "witness" not in text, file


def test_no_page_or_call_names_a_witness_to_researchers_or_viewers(web: Web) -> None:
    """The testifier of an internal testimony is restricted: whatever a researcher or a
    viewer opens on the desk or asks the API, the witness's name never appears."""
    archive = web.desk.archive
    assert archive is not None
    ids = plant(archive)
    witness, victim, source = ids["t1"], ids["v1"], ids["source"]
    targets = {
        **IDS, "persons": victim, "person_id": victim, "sources": source, "done": source,
        "source_id": source, "cases": ids["case"], "case_id": ids["case"],
    }  # fmt: skip
    urls = [fill(p, targets) for m, p in desk_routes(web.desk) if m == "GET"]
    urls += [
        f"/persons/{witness}", f"/search?q={MARKER}", f"/search?q={MARKER}+witness",
        f"/search/export.csv?q={MARKER}", f"/search/export.json?q={MARKER}",
        f"/intake/match?v=1&victim-1-name={MARKER}+witness",
        f"/api/v1/persons?q={MARKER}", f"/api/v1/search?q={MARKER}+witness",
        f"/api/v1/persons/{witness}", f"/api/v1/claims?person={victim}",
        f"/api/v1/match?name={MARKER}+witness",
    ]  # fmt: skip
    admin = web.login(Role.ADMIN)  # the name is there, for those who may see it
    assert WITNESS in admin.get(f"/persons/{witness}").text
    assert WITNESS in admin.get(f"/search?q={MARKER}+witness").text
    for role in (Role.RESEARCHER, Role.VIEWER):
        _id, token = accounts.create_token(archive, USERS[role], None)
        client = browser(web.desk)
        sign_in(client, role)
        shown = 0
        for url in urls:
            answer = client.get(url, headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code < 500, (role, url, answer.status_code)
            assert WITNESS not in answer.text, (role, url)
            if witness not in url:  # the id asked for may be named in the refusal
                assert witness not in answer.text, (role, url)
            shown += answer.status_code == 200 and MARKER in answer.text
        assert shown >= (4 if role is Role.RESEARCHER else 1), role  # the victim is seen
