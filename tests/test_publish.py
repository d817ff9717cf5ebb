"""``guwah publish``: the public site as static files, checked with canaries: the names of
everyone the public level must not show (internal and restricted people, testifiers
without consent, victims whose identity may not be published) are looked for in every
file written, and none may be there."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from sqlalchemy import select

from guwah.model.vocab import Sensitivity
from guwah.services.archive import open_archive
from guwah.services.exporting import export
from guwah.store import tables
from tests.conftest import PASSPHRASE, Cli
from tests.helpers import error_line, ok

MIN_NAME = 5  # shorter name parts ("Ma", "Ali") also occur inside other words


def _people(location: str) -> tuple[list[dict[str, str]], set[str]]:
    """Everyone (the restricted CSV export), and the ids of the victims the public sees."""
    archive = open_archive(location, PASSPHRASE, "tester")
    try:
        every, public = io.StringIO(), io.StringIO()
        export(archive, "csv", every, max_sensitivity=Sensitivity.RESTRICTED)
        export(archive, "csv", public, max_sensitivity=Sensitivity.PUBLIC)
    finally:
        archive.close()
    shown = {
        row["id"]
        for row in csv.DictReader(io.StringIO(public.getvalue()))
        if "victim" in row["kinds"]
    }
    return list(csv.DictReader(io.StringIO(every.getvalue()))), shown


def _canaries(people: list[dict[str, str]], shown: set[str]) -> dict[str, str]:
    """Each name of every person the public must not see → whose it is."""
    names: dict[str, str] = {}
    for row in people:
        if row["id"] in shown:
            continue
        for name in [row["name"], *row["other_names"].split("|")]:
            if len(name) >= MIN_NAME and not any(name in s for s in _shown_names(people, shown)):
                names[name] = f"{row['id']} ({row['kinds']}, {row['sensitivity']})"
    return names


def _shown_names(people: list[dict[str, str]], shown: set[str]) -> list[str]:
    return [
        name
        for row in people
        if row["id"] in shown
        for name in [row["name"], *row["other_names"].split("|")]
    ]


def test_the_static_site_shows_the_public_victims_and_nobody_else(
    demo_cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    result = ok(demo_cli("publish", "--out", str(out), "--corrections-url",
                         "mailto:corrections@example.org"))  # fmt: skip
    people, shown = _people(demo_cli.location)
    assert f"({len(shown)} victims)" in result.stdout
    pages = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()}
    assert {"index.html", "stats.html", "static/guwah.css", "guwah-site.json"} <= set(pages)
    victims = {p.removeprefix("victims/").removesuffix(".html") for p in pages
               if p.startswith("victims/")}  # fmt: skip
    assert victims == shown and "P-000001" in victims
    assert json.loads(pages["guwah-site.json"].read_text())["victims"] == len(shown)

    canaries = _canaries(people, shown)
    assert "Jewher Ilham" in canaries and "Qanymgul Sarsenbaiqyzy" in canaries
    assert len(canaries) > 100
    texts = {name: path.read_text(encoding="utf-8") for name, path in pages.items()}
    leaks = [
        f"{page}: {name!r} of {whose}"
        for page, body in texts.items()
        for name, whose in canaries.items()
        if name in body
    ]
    assert leaks == []

    for page, body in texts.items():
        if not page.endswith(".html"):
            continue
        assert "<form" not in body and "<script" not in body, page
        for target in re.findall(r'(?:href|src)="([^"#]+)', body):
            if target.startswith(("mailto:", "https://", "http://", "data:")):
                continue
            assert not target.startswith("/"), (page, target)  # relative: opens from a disk
            assert (pages[page].parent / target).resolve().is_file(), (page, target)
    ilham = texts["victims/P-000001.html"]
    assert "Ilham Tohti" in ilham and "mailto:corrections@example.org" in ilham
    assert ilham.count("<svg") == 0 and texts["stats.html"].count("<svg") == 6
    assert f"Counted over the {len(shown)} victims" in texts["stats.html"]

    archive = open_archive(demo_cli.location, PASSPHRASE, "tester")
    try:
        with archive.engine.connect() as conn:
            log = tables.audit_log
            entry = conn.execute(select(log.c.action, log.c.target).where(
                log.c.action == "publish")).all()  # fmt: skip
    finally:
        archive.close()
    assert [tuple(e) for e in entry] == [("publish", "site")]


def test_a_folder_is_replaced_only_when_it_holds_a_published_site(
    demo_cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "published" / "site"  # its folder is made
    ok(demo_cli("publish", "--out", str(out)))
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    stale = out / "victims" / "P-000999.html"  # a page the next copy no longer has
    stale.write_text("stale", encoding="utf-8")

    line = error_line(demo_cli("publish", "--out", str(out)))
    assert "is not empty" in line and "--force" in line
    assert stale.is_file()
    ok(demo_cli("publish", "--out", str(out), "--force"))
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before  # replaced whole
    assert [p.name for p in out.parent.iterdir()] == ["site"]  # no staging folder left

    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "letter.txt").write_text("keep me", encoding="utf-8")
    line = error_line(demo_cli("publish", "--out", str(mine), "--force"))
    assert "guwah publish did not write" in line
    assert [p.name for p in mine.iterdir()] == ["letter.txt"]
    line = error_line(demo_cli("publish", "--out", str(tmp_path / "x"), "--lang", "de"))
    assert "--lang must be one of" in line
    assert not (tmp_path / "x").exists()
