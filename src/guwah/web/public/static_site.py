"""The public site written as files (``guwah publish``): the same templates and services
as the live site, with relative links so that it opens from a disk or any static host.

Layout: ``index.html`` (and ``index-2.html``... for long lists), ``victims/P-000123.html``,
``stats.html``, ``static/guwah.css``. No forms and no scripts: where the live site has the
corrections form, the copy points to ``corrections_url`` if one is given, or asks readers
to write to its publisher.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from guwah.model.errors import AccessDenied, NotFound
from guwah.services.archive import Archive
from guwah.services.public_stats import public_statistics, public_victims
from guwah.services.publishing import SiteCounts, Writer
from guwah.services.query import show_person
from guwah.store.convert import now_text
from guwah.web import i18n
from guwah.web.public.pages import Links, is_victim, place_name, stats_charts, victim_page
from guwah.web.render import render_text

LIST_PAGE = 200  # victims on each page of the list
STATIC = Path(__file__).parents[1] / "static"
Progress = Callable[[int, int], None]  # (pages written, pages to write)


def writer(
    lang: str = i18n.DEFAULT,
    corrections_url: str | None = None,
    progress: Progress | None = None,
) -> Writer:
    """What ``services.publishing.publish`` calls to write the pages into a folder."""
    return partial(write_site, lang=lang, corrections_url=corrections_url, progress=progress)


def write_site(
    archive: Archive,
    folder: Path,
    *,
    lang: str = i18n.DEFAULT,
    corrections_url: str | None = None,
    progress: Progress | None = None,
) -> SiteCounts:
    """Write every page of the public site into ``folder`` (``archive``: the public view)."""
    token = i18n.activate(lang)
    try:
        return _write(archive, folder, corrections_url, progress or (lambda _done, _all: None))
    finally:
        i18n._current.reset(token)


def _write(
    archive: Archive, folder: Path, corrections_url: str | None, progress: Progress
) -> SiteCounts:
    made_on = now_text()[:10]
    victims = public_victims(archive)
    lists = max(1, -(-len(victims) // LIST_PAGE))
    total = len(victims) + lists + 1
    (folder / "victims").mkdir()
    (folder / "static").mkdir()
    shutil.copyfile(STATIC / "guwah.css", folder / "static" / "guwah.css")
    deep = Links(static=True, depth=1, corrections_url=corrections_url)
    written: set[str] = set()
    for done, victim in enumerate(victims, start=1):
        try:
            detail = show_person(archive, victim.id)
        except (AccessDenied, NotFound):  # listed, yet its page is not public: left out
            continue
        if is_victim(detail) and detail.person.id == victim.id:
            page = {"site": deep, "v": victim_page(detail), "made_on": made_on}
            _page(folder / "victims" / f"{victim.id}.html", "public/victim.html", page)
            written.add(victim.id)
        progress(done, total)
    shown = [v for v in victims if v.id in written]
    top = Links(static=True, depth=0, corrections_url=corrections_url)
    for number in range(1, lists + 1):
        rows = shown[(number - 1) * LIST_PAGE : number * LIST_PAGE]
        context = {
            "site": top,
            "rows": rows,
            "total": len(shown),
            "page": number,
            "previous": top.home(number - 1) if number > 1 else None,
            "next": top.home(number + 1) if number < lists and len(shown) > number * LIST_PAGE
            else None,
            "place_name": place_name,
            "made_on": made_on,
        }  # fmt: skip
        _page(folder / top.home(number), "public/index.html", context)
        progress(len(victims) + number, total)
    stats = public_statistics(shown)
    context = {"site": top, "stats": stats, "charts": stats_charts(stats), "made_on": made_on}
    _page(folder / "stats.html", "public/stats.html", context)
    progress(total, total)
    return SiteCounts(victims=len(shown), pages=len(shown) + lists + 1)


def _page(path: Path, template: str, context: dict[str, Any]) -> None:
    path.write_text(render_text(template, {"path": None, **context}), encoding="utf-8")
