"""What the public pages are made of, shared by the live site and its static copy: links
that work on a server or from a disk, a victim's page as facts with numbered citations,
and the statistics as SVG charts.

Everything shown comes from the services at the public level (``services.query``,
``services.public_stats``); this module only arranges it. Values the services withheld are
marked ``[RESTRICTED]`` there; the public pages leave such values out altogether.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request

from guwah.model.claimvalues import describe_value
from guwah.model.gazetteer import load_gazetteer
from guwah.model.records import Claim, Source
from guwah.model.vocab import ClaimKind, ClaimStatus, PersonKind
from guwah.publish import charts
from guwah.secure.policy import MARKER, RESTRICTED_KINDS
from guwah.services.archive import Archive
from guwah.services.public_stats import PublicStats, PublicVictim, public_victims
from guwah.services.query import PersonDetail
from guwah.web import i18n
from guwah.web.context import desk_of
from guwah.web.labels import N_
from guwah.web.routes.persons import names_by_script

# the sentence lengths of services.public_stats.SENTENCE_BINS, marked for translation
SENTENCE_LABELS = {
    "under 5": N_("under 5"),
    "5–9": N_("5–9"),
    "10–14": N_("10–14"),
    "15–19": N_("15–19"),
    "20 or more": N_("20 or more"),
    "life or death": N_("life or death"),
}
CACHE_SECONDS = 60.0  # the live list and charts are recounted at most once a minute
_COUNTING = threading.Lock()
_PLACE_CODE = re.compile(r"\b(?:CN-\d{6}|FAC-[A-Za-z0-9-]+)\b")
_NOT_SHOWN = frozenset({ClaimKind.RELATION, *RESTRICTED_KINDS})  # names others; ID numbers


@dataclass(frozen=True)
class Links:
    """Where the public pages point: paths on the live site, or relative file names in
    the static copy (``depth``: how many folders below its root the page is)."""

    static: bool = False
    depth: int = 0
    corrections_url: str | None = None  # the static copy: where corrections are sent

    def _root(self) -> str:
        return "../" * self.depth if self.static else "/"

    def home(self, page: int = 1) -> str:
        if self.static:
            return self._root() + ("index.html" if page <= 1 else f"index-{page}.html")
        return "/" if page <= 1 else f"/?page={page}"

    def victim(self, public_id: str) -> str:
        if self.static:
            return f"{self._root()}victims/{public_id}.html"
        return f"/victims/{public_id}"

    def stats(self) -> str:
        return self._root() + ("stats.html" if self.static else "stats")

    def asset(self, name: str) -> str:
        return f"{self._root()}static/{name}"

    def correction(self, public_id: str | None = None) -> str | None:
        if self.static:
            return self.corrections_url
        return "/corrections/new" + (f"?person={public_id}" if public_id else "")


def public_archive(request: Request) -> Archive:
    """The archive as the public sees it (public level, consent applied), or 503."""
    desk = desk_of(request)
    if not desk.unlocked:
        raise HTTPException(503, i18n._("The site is not available right now. Try again later."))
    return desk.public()


def cached_victims(request: Request, archive: Archive) -> list[PublicVictim]:
    """The victims the public level shows, counted again at most once a minute (about a
    second per 10,000 victims), by one request while the others wait for it."""
    state = request.app.state
    with _COUNTING:
        kept: tuple[float, list[PublicVictim]] | None = getattr(state, "public_victims", None)
        if kept is None or time.monotonic() - kept[0] > CACHE_SECONDS:
            kept = (time.monotonic(), public_victims(archive))
            state.public_victims = kept
    return kept[1]


def place_name(code: str | None) -> str:
    if not code:
        return ""
    place = load_gazetteer().get(code)
    return place.display_name(i18n.current()) if place else code


def readable(text: str) -> str:
    """Text with the gazetteer codes in it (``CN-653101``) as place names."""
    return _PLACE_CODE.sub(lambda m: place_name(m.group(0)), text)


# --- a victim's page --------------------------------------------------------------------


@dataclass
class Fact:
    label: str  # the field's name (born, ethnicity, sentence...)
    text: str
    cites: list[int]
    conflicting: bool = False


@dataclass
class Event:
    date: str
    kind: str
    text: str
    place: str
    quote: str | None
    cites: list[int]


@dataclass
class Citation:
    number: int
    source: Source


@dataclass
class VictimPage:
    id: str
    name: str
    status: str
    names: list[tuple[str, list[Any]]]
    facts: list[Fact] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)


def is_victim(detail: PersonDetail) -> bool:
    return PersonKind.VICTIM in detail.person.kinds


def victim_page(detail: PersonDetail) -> VictimPage:
    """A victim's public page: what ``show_person`` disclosed at the public level, with
    every fact numbered to the sources it comes from."""
    page = VictimPage(
        detail.person.id,
        detail.view.best_name,
        detail.view.status.value,
        names_by_script(detail),
    )
    numbers: dict[str, int] = {}

    def cite(source_ids: list[str]) -> list[int]:
        found = []
        for sid in source_ids:
            if sid not in detail.sources:
                continue
            if sid not in numbers:
                numbers[sid] = len(numbers) + 1
                page.citations.append(Citation(numbers[sid], detail.sources[sid]))
            found.append(numbers[sid])
        return sorted(set(found))

    for name, view_field in detail.view.fields.items():
        if name in {k.value for k in _NOT_SHOWN}:
            continue
        values = [(view_field.best, False)] + [(v, True) for v in view_field.conflicting]
        for value, conflicting in values:
            if MARKER in value.text or not value.claims:
                continue
            if any(c.kind in _NOT_SHOWN for c in value.claims):
                continue
            page.facts.append(Fact(name, readable(value.text), cite(value.source_ids), conflicting))
    for claim in _dated(detail.claims):
        page.events.append(
            Event(
                claim.date or "",
                claim.kind.value,
                _claim_text(claim),
                place_name(claim.place_code) or _clean(claim.place_text),
                claim.quote,
                cite([claim.source_id]),
            )
        )
    return page


def _dated(claims: list[Claim]) -> list[Claim]:
    shown = [
        c
        for c in claims
        if c.date and c.status is ClaimStatus.ACCEPTED and c.kind not in _NOT_SHOWN
    ]
    return sorted(shown, key=lambda c: ((c.date or "").replace("X", "0"), c.id))


def _clean(text: str | None) -> str:
    return "" if not text or MARKER in text else text


def _claim_text(claim: Claim) -> str:
    return readable(_clean(describe_value(claim.kind, claim.value)))


# --- statistics as charts ---------------------------------------------------------------


@dataclass
class Chart:
    id: str
    title: str
    svg: str
    rows: list[tuple[str, int]]  # the figures, also given as a table
    note: str = ""


def stats_charts(stats: PublicStats) -> list[Chart]:
    """The statistics page's charts, labelled in the current language."""
    _ = i18n._
    found: list[Chart] = []

    def add(
        chart_id: str, title: str, rows: list[tuple[str, int]], kind: str, note: str = ""
    ) -> None:
        bars = [charts.Bar(label, value) for label, value in rows]
        draw = charts.bar_chart if kind == "bars" else charts.column_chart
        desc = "; ".join(f"{label}: {value}" for label, value in rows) or _("no data")
        found.append(
            Chart(
                chart_id, title, draw(bars, chart_id=chart_id, title=title, desc=desc), rows, note
            )
        )

    add(
        "by-status",
        _("Victims by status"),
        [(_(status), n) for status, n in stats.by_status.items()],
        "bars",
    )
    add(
        "by-ethnicity",
        _("Victims by ethnicity"),
        [(_(ethnicity), n) for ethnicity, n in stats.by_ethnicity.items()],
        "bars",
    )
    found.append(prefecture_map(stats))
    add(
        "by-year",
        _("Detentions by year"),
        [(str(year), n) for year, n in stats.by_year.items()],
        "columns",
        _("Year of the latest detention; unknown for %(n)s victims.") % {"n": stats.unknown_year},
    )
    add(
        "sentences",
        _("Sentence lengths, in years"),
        [(_(SENTENCE_LABELS.get(label, label)), n) for label, n in stats.sentences.items()],
        "columns",
        _("Victims with a known sentence; %(n)s without one.") % {"n": stats.no_sentence},
    )
    add(
        "sources",
        _("Sources per entry"),
        [(label, n) for label, n in stats.sources_per_entry.items()],
        "columns",
        _("Public sources cited on each victim's page."),
    )
    return found  # fmt: skip


_SHORT = re.compile(
    r"\s+(?:Kazakh|Kirghiz|Kyrgyz|Hui|Mongol)?\s*(?:Autonomous\s+)?(?:Prefecture|City)$"
)


def prefecture_label(code: str) -> str:
    """A prefecture's name short enough for a tile (``Ili`` for the Ili Kazakh AP)."""
    name = place_name(code)
    return _SHORT.sub("", name) if i18n.current() == "en" else name


def prefecture_map(stats: PublicStats) -> Chart:
    _ = i18n._
    tiles = [
        charts.Tile(column, row, prefecture_label(code), stats.by_prefecture.get(code, 0))
        for code, (column, row) in charts.XINJIANG_GRID.items()
    ]
    title = _("Victims by prefecture")
    rows = [(place_name(code), n) for code, n in stats.by_prefecture.items()]
    desc = _(
        "Schematic map: one square per prefecture-level unit of Xinjiang, placed roughly "
        "where it lies (north at the top), not to scale; darker means more victims."
    )
    svg = charts.tile_map(
        tiles, chart_id="by-prefecture", title=title,
        desc=desc + " " + "; ".join(f"{label}: {n}" for label, n in rows),
        legend=_("Victims"),
    )  # fmt: skip
    note = desc + " " + _("Place unknown for %(n)s victims.") % {"n": stats.unknown_prefecture}
    return Chart("by-prefecture", title, svg, rows, note)
