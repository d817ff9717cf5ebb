"""Search: full text and names in any script, with filters, sorting, paging, and the
result as CSV or JSON (only what the signed-in role may see)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from guwah.model.errors import InvalidInput
from guwah.model.gazetteer import load_gazetteer
from guwah.model.vocab import VictimStatus
from guwah.services.query import find_people
from guwah.store.search import SORTS
from guwah.web import i18n
from guwah.web.context import DeskUser, signed_in
from guwah.web.render import render

router = APIRouter(include_in_schema=False)

PAGE = 25
EXPORT_MAX = 1000  # rows in one CSV or JSON download
ETHNICITIES = ("Uyghur", "Kazakh", "Kyrgyz", "Hui", "Uzbek", "Tatar", "Tajik", "Han")
COLUMNS = ("id", "name", "status", "ethnicity", "birth_year", "place", "detained_year",
           "sentence_months", "sources")  # fmt: skip


@dataclass
class Query:
    """The search form as typed (kept in the page and in paging links)."""

    q: str = ""
    status: str = ""
    ethnicity: str = ""
    place: str = ""
    year: str = ""
    min_years: str = ""
    max_years: str = ""
    sources: str = ""
    case: str = ""
    sort: str = ""
    page: int = 1

    @classmethod
    def of(cls, request: Request) -> Query:
        params = request.query_params
        names = [f.name for f in fields(cls) if f.name != "page"]
        typed = {name: params.get(name, "").strip()[:200] for name in names}
        try:
            page = int(params.get("page") or 1)
        except ValueError:
            raise InvalidInput(i18n._("the page must be a number")) from None
        return cls(**typed, page=max(1, min(page, 10_000)))

    def link(self, **changes: Any) -> str:
        values = {**vars(self), **changes}  # (not asdict, which copies deeply: 8 links a page)
        return "?" + urlencode({k: v for k, v in values.items() if v not in ("", None, 1)})

    def arguments(self) -> dict[str, Any]:
        """The form's values as find_people arguments (one-line error when malformed)."""
        if self.status and self.status not in {s.value for s in VictimStatus}:
            raise InvalidInput(f"unknown status {self.status!r}")
        if self.sort and self.sort not in SORTS:
            raise InvalidInput(f"unknown sort {self.sort!r}")
        return {
            "status": self.status or None,
            "ethnicity": self.ethnicity or None,
            "place": self.place or None,
            "year": _whole(self.year, i18n._("year of detention"), 1900, 2100),
            "min_sentence_months": _months(self.min_years, i18n._("shortest sentence")),
            "max_sentence_months": _months(self.max_years, i18n._("longest sentence")),
            "min_sources": _whole(self.sources, i18n._("sources"), 1, 100),
            "has_case": {"yes": True, "no": False}.get(self.case),
            "sort": self.sort or None,
        }

    @property
    def empty(self) -> bool:
        return not any(v for k, v in vars(self).items() if k not in ("page", "sort"))


def _whole(text: str, what: str, low: int, high: int) -> int | None:
    if not text:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidInput(f"{what}: {text!r} is not a number from {low} to {high}")
    return int(text)


def _months(text: str, what: str) -> int | None:
    if not text:
        return None
    try:
        years = float(text.replace(",", "."))
    except ValueError:
        raise InvalidInput(f"{what}: {text!r} is not a number of years") from None
    if not 0 <= years <= 100:
        raise InvalidInput(f"{what}: {text!r} is not a number of years from 0 to 100")
    return round(years * 12)


def place_label(code: str | None) -> str:
    if not code:
        return ""
    place = load_gazetteer().get(code)
    return place.display_name(i18n.current()) if place else code


@router.get("/search")
def search_page(request: Request, user: DeskUser = Depends(signed_in)) -> Response:
    query = Query.of(request)
    error = None
    rows: list[dict[str, Any]] = []
    more = False
    try:
        if not query.empty or query.sort:
            found = find_people(
                user.archive, query.q or None, limit=PAGE + 1, offset=(query.page - 1) * PAGE,
                **query.arguments(),
            )  # fmt: skip
            rows, more = found[:PAGE], len(found) > PAGE
    except InvalidInput as exc:
        error = str(exc)
    context = {
        "query": query,
        "rows": rows,
        "more": more,
        "error": error,
        "statuses": [s.value for s in VictimStatus],
        "ethnicities": ETHNICITIES,
        "sorts": {
            "id": i18n._("record order"),
            "birth_year": i18n._("year of birth"),
            "detained_year": i18n._("year of detention"),
            "sentence": i18n._("longest sentence first"),
            "sources": i18n._("most sources first"),
        },
        "place_label": place_label,
    }
    return render(request, "search.html", context, 400 if error else 200)


def _all_rows(user: DeskUser, query: Query) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    arguments = query.arguments()
    while len(rows) < EXPORT_MAX:
        page = find_people(user.archive, query.q or None, limit=200, offset=len(rows), **arguments)
        rows += page
        if len(page) < 200:
            break
    return rows[:EXPORT_MAX]


@router.get("/search/export.{fmt}")
def export_results(request: Request, fmt: str, user: DeskUser = Depends(signed_in)) -> Response:
    if fmt not in ("csv", "json"):
        raise InvalidInput(f"export as csv or json, not {fmt!r}")
    rows = _all_rows(user, Query.of(request))
    disposition = {"content-disposition": f'attachment; filename="guwah-search.{fmt}"'}
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False, indent=1)
        return Response(body, media_type="application/json", headers=disposition)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in COLUMNS})
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=disposition)


def _cell(value: Any) -> Any:
    """A spreadsheet must not run a cell as a formula (=, +, -, @ at the start)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
