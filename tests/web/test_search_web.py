"""The desk's search page: names across scripts, filters, sorting, paging, downloads."""

from __future__ import annotations

import csv
import io
import json
import re

from guwah.secure.policy import Role
from tests.web.conftest import Web


def _ids(html: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r'href="/persons/(P-\d{6})"', html)))


def test_browse_sorted_and_paged(web: Web) -> None:
    client = web.login(Role.EDITOR)
    first = client.get("/search?sort=sources")
    assert first.status_code == 200
    ids = _ids(first.text)
    assert len(ids) == 25
    counts = [int(c) for c in re.findall(r'<td class="num">(\d+)</td>\s*</tr>', first.text)]
    assert counts == sorted(counts, reverse=True)
    second = client.get("/search?sort=sources&page=2")
    assert not set(_ids(second.text)) & set(ids)


def test_filters_narrow_and_bad_filters_are_one_line(web: Web) -> None:
    client = web.login(Role.EDITOR)
    assert client.get("/search?status=sentenced").status_code == 200
    sentenced = json.loads(client.get("/search/export.json?status=sentenced").text)
    long = json.loads(client.get("/search/export.json?status=sentenced&min_years=10").text)
    assert long and all(p["sentence_months"] >= 120 for p in long)
    assert {p["id"] for p in long} < {p["id"] for p in sentenced}
    for bad in ("year=20x7", "min_years=-3", "status=jailed", "place=Atlantis", "page=x"):
        answer = client.get(f"/search?{bad}")
        assert answer.status_code == 400, bad
        assert answer.text.count('role="alert"') == 1, bad


def test_export_csv_and_json_hold_the_same_people(web: Web) -> None:
    client = web.login(Role.EDITOR)
    as_json = client.get("/search/export.json?status=sentenced")
    assert as_json.status_code == 200
    people = json.loads(as_json.text)
    as_csv = client.get("/search/export.csv?status=sentenced")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["id"] for r in rows] == [p["id"] for p in people] and people
    assert client.get("/search/export.exe").status_code == 400


def test_viewer_sees_fewer_people_than_editor(web: Web) -> None:
    client = web.login(Role.EDITOR)
    editor = json.loads(client.get("/search/export.json?sort=id").text)
    client.post("/logout", data={"csrf": web.csrf()})
    web.login(Role.VIEWER)
    viewer = json.loads(client.get("/search/export.json?sort=id").text)
    assert len(viewer) < len(editor)
    assert {p["id"] for p in viewer} <= {p["id"] for p in editor}
