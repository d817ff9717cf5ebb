"""Intake: one form records a testimony; names typed in any script find the people
already recorded, so a victim is linked instead of duplicated; bad input writes nothing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from guwah.secure.policy import Role
from guwah.services.evidence_folder import folder_of
from guwah.store import tables
from tests.web.conftest import Web

HTMX = {"HX-Request": "true"}
COUNTED = ("persons", "names", "sources", "claims", "evidence_files", "consents", "audit_log")
# Gulbahar Haitiwaji (demo P-000010) is recorded under Latin spellings only.
CYRILLIC = "Гүлбаһар Һайтиваҗи"
LATIN_ID = "P-000010"
UYGHUR = "مەمەتجان ئابدۇقادىر"
VALID_ID = "650102196502140027"  # docs/formats.md's example; passes the ISO 7064 check


@pytest.fixture(autouse=True)
def evidence_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUWAH_EVIDENCE_DIR", str(tmp_path / "evidence"))  # used on PostgreSQL


def counts(web: Web) -> dict[str, int]:
    assert web.desk.archive is not None
    with web.desk.archive.engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(getattr(tables, name))).scalar_one()
            for name in COUNTED
        }


def intake_form(csrf: str, **fields: str) -> dict[str, Any]:
    """A minimal valid form (anonymous oral testimony, one victim), changed by ``fields``."""
    form = {
        "csrf": csrf,
        "source_kind": "testimony_oral",
        "source_title": "Testimony of a neighbour",
        "source_date": "2019-05",
        "source_language": "ug",
        "source_sensitivity": "restricted",
        "testifier_anonymous": "1",
        "victim-1-name": "Абдусалам Тохтиев",
        **fields,
    }
    return form


def problem(page: str) -> str:
    found = re.search(r'<p class="error" role="alert" id="problem">([^<]*)</p>', page)
    assert found, page[:2000]
    return found.group(1).replace("&#39;", "'")


def test_a_cyrillic_name_finds_the_latin_record_and_the_testimony_is_linked_to_it(
    web: Web,
) -> None:
    client = web.login(Role.EDITOR)
    page = client.get("/intake")
    assert page.status_code == 200
    assert 'hx-get="/intake/match"' in page.text and 'enctype="multipart/form-data"' in page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text)
    assert not re.search(r"\son[a-z]+=", page.text)

    found = client.get("/intake/match", params={"v": "1", "victim-1-name": CYRILLIC}, headers=HTMX)
    assert found.status_code == 200
    assert f"<code>{LATIN_ID}</code>" in found.text and "Gulbahar Haitiwaji" in found.text
    assert "Гүлбаһар ↔ Gulbahar: same after folding" in found.text  # the explanation
    assert f'hx-get="/intake/choose?v=1&amp;person={LATIN_ID}"' in found.text
    nobody = client.get("/intake/match", params={"v": "1", "victim-1-name": "Zzyzx Qwrtp"})
    assert "Nobody recorded matches this name" in nobody.text

    chosen = client.get("/intake/choose", params={"v": "1", "person": LATIN_ID}, headers=HTMX)
    assert f'name="victim-1-existing" value="{LATIN_ID}"' in chosen.text
    assert "No, a new person" in chosen.text
    undone = client.get("/intake/choose", params={"v": "1"}, headers=HTMX)
    assert 'name="victim-1-existing" value=""' in undone.text

    before = counts(web)
    form = intake_form(
        web.csrf("/intake"),
        source_kind="testimony_video",
        source_title="Video testimony of a son about his mother",
        source_text="Anam 2017 jyly lagerge aparyldy, namaz oqyghany üchün.",
        testifier_anonymous="",
        testifier_name="Нұржан Бекболатұлы",
        consent_how="recorded",
        consent_text="1",
        evidence_how="sent by the testifier",
        **{
            "victim-1-name": CYRILLIC,
            "victim-1-existing": LATIN_ID,
            "victim-1-relation": "child",
            "victim-1-claim-1-kind": "detained",
            "victim-1-claim-1-value": "camp: praying",
            "victim-1-claim-1-date": "2017~",
            "victim-1-claim-1-place": "Karamay",
            "victim-1-claim-1-quote": "Anam 2017 jyly lagerge aparyldy",
            "victim-1-claim-2-kind": "",
        },
    )
    card = ("files", ("id-card.jpg", b"\xff\xd8\xff\xe0 a photo of an ID card", "image/jpeg"))
    answer = client.post("/intake", data=form, files=[card], follow_redirects=False)
    assert answer.status_code == 303, answer.text[:3000]
    location = answer.headers["location"]
    source = re.match(r"/intake/done/(S-\d{6})\?created=(P-\d{6})$", location)
    assert source, location  # the testifier is the only person created
    after = counts(web)
    assert after["persons"] == before["persons"] + 1
    assert after["sources"] == before["sources"] + 1
    assert after["claims"] == before["claims"] + 2  # detained, and the testifier's relation
    assert after["evidence_files"] == before["evidence_files"] + 1
    assert after["consents"] == before["consents"] + 1

    done = client.get(location)
    assert done.status_code == 200
    assert f"<code>{LATIN_ID}</code></a>\n    · linked to the existing record" in done.text
    assert "Нұржан Бекболатұлы" in done.text  # an editor sees the testifier
    assert "id-card.jpg" in done.text and "E-0" in done.text
    assert "the text may be published" in done.text

    person = client.get(f"/persons/{LATIN_ID}")
    assert person.status_code == 200
    assert f"/sources/{source.group(1)}" in person.text
    assert "camp: praying" in person.text and CYRILLIC in person.text
    assert "id-card.jpg" in person.text

    recorded = counts(web)  # reading restricted records was audited meanwhile
    again = client.post("/intake", data=form, files=[card], follow_redirects=False)
    assert again.status_code == 409
    assert f"already recorded as {source.group(1)}" in again.text
    assert counts(web) == recorded


def test_a_new_victim_with_a_uyghur_name(web: Web) -> None:
    client = web.login(Role.EDITOR)
    before = counts(web)
    form = intake_form(
        web.csrf("/intake"),
        **{
            "victim-1-name": UYGHUR,
            "victim-1-other_names": "Memetjan Abduqadir\n",
            "victim-1-relation": "neighbour",
            "victim-1-gender": "male",
            "victim-1-born": "1965~",
            "victim-1-ethnicity": "维吾尔族",
            "victim-1-hometown": "Ghulja County",
            "victim-1-claim-1-kind": "sentenced",
            "victim-1-claim-1-value": "10 years: religious faith",
            "victim-1-claim-1-date": "2018/2019",
            "victim-1-claim-2-kind": "id_number",
            "victim-1-claim-2-value": VALID_ID,
            "victim-1-claim-3-kind": "fled",
            "victim-1-claim-3-value": "Kazakhstan",
            "victim-1-claim-3-date": "2016",
        },
    )
    answer = client.post("/intake", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text[:3000]
    created = re.search(r"created=(P-\d{6})$", answer.headers["location"])
    assert created, answer.headers["location"]
    after = counts(web)
    assert after["persons"] == before["persons"] + 1  # the testifier is anonymous
    assert after["claims"] == before["claims"] + 7  # 4 from the fields, 3 rows
    done = client.get(answer.headers["location"])
    assert "new record" in done.text and "anonymous or not given" in done.text
    assert "the testifier is their neighbour" in done.text

    page = client.get(f"/persons/{created.group(1)}")
    assert page.status_code == 200
    assert f'<span class="name" dir="rtl" lang="ug">{UYGHUR}</span>' in page.text
    for shown in ("Memetjan Abduqadir", "10 years: religious faith", "Kazakhstan", "Uyghur",
                  "1965~", "2018/2019", "male"):  # fmt: skip
        assert shown in page.text, shown


def test_bad_input_comes_back_with_the_field_named_and_writes_nothing(web: Web) -> None:
    client = web.login(Role.EDITOR)
    csrf = web.csrf("/intake")
    before = counts(web)
    claim = {"victim-1-claim-1-kind": "detained"}
    cases: list[tuple[dict[str, Any], str]] = [
        ({**claim, "victim-1-claim-1-date": "2019-02-30"}, "Victim 1, claim 1, date: not a valid"),
        ({"victim-1-claim-1-kind": "id_number", "victim-1-claim-1-value": VALID_ID[:-1] + "8"},
         "Victim 1, claim 1, value: invalid Chinese ID number"),
        ({"victim-1-hometown": "Atlantis"}, "Victim 1, home town: unknown place 'Atlantis'"),
        ({"victim-1-hometown": "Ghulja"}, "CN-654021"),  # two places of that name
        ({"victim-1-claim-1-kind": "flying"}, "Victim 1, claim 1, kind: choose one of"),
        ({"victim-1-claim-1-kind": "sentenced", "victim-1-claim-1-value": "12 yeers"},
         "Victim 1, claim 1, value: not a sentence length"),
        ({"victim-1-name": "", **claim}, "Victim 1, name: give the victim's name"),
        ({"victim-1-name": ""}, "Victim 1, name: give the victim's name"),
        ({"testifier_anonymous": ""}, "Testifier: give the testifier's name"),
        ({"victim-1-existing": "P-999999"}, "no person P-999999"),
        ({"consent_text": "1"}, "Consent, how: say how the consent was given"),
        ({"source_title": ""}, "Source, title: give the source a title"),
    ]  # fmt: skip
    for fields, expected in cases:
        answer = client.post("/intake", data=intake_form(csrf, **fields))
        assert answer.status_code == 400, (fields, answer.text[:2000])
        assert expected in problem(answer.text), (fields, problem(answer.text))
        assert 'value="Абдусалам Тохтиев"' in answer.text or not fields.get("victim-1-name", 1)
    kept = client.post("/intake", data=intake_form(csrf, **{"victim-1-hometown": "Atlantis"}))
    assert 'value="Testimony of a neighbour"' in kept.text and 'value="Atlantis"' in kept.text
    assert 'id="victim-1-hometown" name="victim-1-hometown" value="Atlantis"' in kept.text
    assert 'aria-invalid="true"' in kept.text

    empty = ("files", ("empty.txt", b"", "text/plain"))
    answer = client.post("/intake", data=intake_form(csrf), files=[empty])
    assert answer.status_code == 400 and "Files: 'empty.txt' is empty" in problem(answer.text)

    # without JavaScript, "add another victim" posts the form back with one more
    grown = client.post("/intake", data=intake_form(csrf, add="victim"))
    assert grown.status_code == 200
    assert 'name="victim-2-name"' in grown.text and 'value="Абдусалам Тохтиев"' in grown.text
    assert counts(web) == before


def test_fragments_roles_and_the_token(web: Web) -> None:
    client = web.login(Role.EDITOR)
    victim = client.get("/intake/victim", params={"n": "2"}, headers=HTMX)
    assert victim.status_code == 200
    assert 'name="victim-2-name"' in victim.text and 'name="victim-2-claim-3-kind"' in victim.text
    assert 'hx-get="/intake/victim?n=3"' in victim.text and 'hx-swap-oob="true"' in victim.text
    row = client.get("/intake/claim", params={"v": "2", "m": "4"}, headers=HTMX)
    assert 'name="victim-2-claim-4-date"' in row.text
    assert 'hx-get="/intake/claim?v=2&amp;m=5"' in row.text
    assert client.get("/intake/victim", params={"n": "21"}, headers=HTMX).status_code == 400
    assert client.get("/intake/claim", params={"v": "1", "m": "x"}).status_code == 400

    before = counts(web)  # a post without the session's token is refused
    answer = client.post("/intake", data=intake_form(""), follow_redirects=False)
    assert answer.status_code == 403 and "Reload the page" in answer.text
    assert counts(web) == before
    client.post("/logout", data={"csrf": web.csrf()})

    for role in (Role.RESEARCHER, Role.VIEWER):  # they may not record: no form, no matches
        client = web.login(role)
        assert client.get("/intake").status_code == 403
        match = client.get("/intake/match", params={"v": "1", "victim-1-name": CYRILLIC})
        assert match.status_code == 403 and LATIN_ID not in match.text
        answer = client.post("/intake", data=intake_form(web.csrf()), follow_redirects=False)
        assert answer.status_code == 403 and "not allowed for role" in answer.text
        client.post("/logout", data={"csrf": web.csrf()})
    now = counts(web)
    assert {k: v for k, v in now.items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }
    assert now["audit_log"] > before["audit_log"]  # the refusals are audited


def test_an_uploaded_file_never_touches_the_disk_in_plaintext(
    web: Web, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file above the form parser's usual spooling size (1 MiB) is held in memory and
    encrypted from there: with no usable temporary folder at all, the upload still
    succeeds, and its words are found nowhere on disk afterwards."""
    canary = b"Canary-7f3a: the camp at Dabancheng, cell 14. "
    data = canary * (3 * 1024 * 1024 // len(canary))  # 3 MiB
    client = web.login(Role.EDITOR)
    csrf = web.csrf("/intake")
    before = counts(web)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "no-such-folder"))
    letter = ("files", ("letter.txt", data, "text/plain"))
    answer = client.post("/intake", data=intake_form(csrf), files=[letter], follow_redirects=False)
    assert answer.status_code == 303, answer.text[:2000]
    assert counts(web)["evidence_files"] == before["evidence_files"] + 1

    assert web.desk.archive is not None
    kept = folder_of(web.desk.archive)
    searched = {p for p in tmp_path.rglob("*") if p.is_file()}
    searched |= {p for p in Path(web.location).parent.rglob("*") if p.is_file()}
    assert any(p.parent == kept for p in searched)  # the encrypted blob was looked at
    for path in searched:
        assert canary[:20] not in path.read_bytes(), f"plaintext found in {path}"


def test_where_someone_was_held_is_read_in_the_documenters_languages(web: Web) -> None:
    client = web.login(Role.EDITOR)
    form = intake_form(
        web.csrf("/intake"),
        **{
            "victim-1-claim-1-kind": "detained",
            "victim-1-claim-1-value": "лагерь: намаз",
            "victim-1-claim-1-date": "2017-06",
            "victim-1-claim-2-kind": "transferred",
            "victim-1-claim-2-value": "看守所：宗教极端",
            "victim-1-claim-2-date": "2018",
        },
    )
    answer = client.post("/intake", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text[:3000]
    created = re.search(r"created=(P-\d{6})", answer.headers["location"])
    assert created, answer.headers["location"]
    page = client.get(f"/persons/{created.group(1)}").text
    assert "camp: намаз" in page and "detention centre: 宗教极端" in page
