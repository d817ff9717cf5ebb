"""The duplicates queue: clusters of people who may be one person (``guwah dedupe``), side
by side with their names by script and why they were paired, to confirm, reject, merge,
split or take back; and a button that looks for duplicates now.

Deciding on one cluster redraws just its card (htmx); without JavaScript the form posts
and the browser is sent back to the queue. The services decide, record and audit.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from guwah.model.errors import InvalidInput
from guwah.services import review
from guwah.services.matching import compare_names
from guwah.web import i18n
from guwah.web.context import DeskUser, checked_form, is_htmx, safe_next, signed_in
from guwah.web.render import render
from guwah.web.routes.persons import SCRIPT_ORDER, place_name

router = APIRouter(include_in_schema=False)

PAGE = 50
RECENT = 10  # decided items listed with an undo button
SHOWN = (*review.STATUSES, "all")
DECIDED = ("confirmed", "rejected", "merged", "split")
ACTIONS = ("confirm", "reject", "merge", "split", "undo")
MAX_ITEM = 2_147_483_647  # review items are numbered by the database (32-bit everywhere)
GROUP_FIELD = "group-"
_PERSON_ID = re.compile(r"^[Pp]-[0-9]{1,9}$")

ItemNumber = Annotated[int, Path(ge=1, le=MAX_ITEM)]


@dataclass
class Pair:
    """Two people of a cluster, as linkage scored them, and how their closest names
    compare (the name comparison's own explanation)."""

    a: str
    b: str
    probability: float | None
    reason: str
    names: tuple[str, str] | None = None
    explanation: list[str] = field(default_factory=list)


@dataclass
class Cluster:
    item: dict[str, Any]
    pairs: list[Pair]
    message: str | None = None

    @property
    def open(self) -> bool:
        return bool(self.item["status"] == "open")

    @property
    def decided(self) -> bool:
        return self.item["status"] in DECIDED


def _scripts(person: dict[str, Any]) -> list[tuple[str, list[dict[str, str]]]]:
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for form in person.get("forms") or [{"text": n, "script": "Zyyy"} for n in person["names"]]:
        grouped[form["script"]].append(form)
    order = [s for s in SCRIPT_ORDER if s in grouped] + sorted(set(grouped) - set(SCRIPT_ORDER))
    return [(script, grouped[script]) for script in order]


def _closest(a: list[str], b: list[str]) -> dict[str, Any] | None:
    """The comparison of the two people's names that agree best (across scripts first)."""
    best: tuple[float, bool] | None = None
    found = None
    for x in a:
        for y in b:
            try:
                result = compare_names(x, y)
            except InvalidInput:  # a name without letters
                continue
            rank = (float(result["score"]), x != y)
            if best is None or rank > best:
                best, found = rank, result
    return found


def _cluster(item: dict[str, Any], message: str | None = None) -> Cluster:
    names = {p["id"]: p["names"] for p in item["people"]}
    for person in item["people"]:
        person["scripts"] = _scripts(person)
    pairs = []
    for raw in item["pairs"]:
        pair = Pair(str(raw["a"]), str(raw["b"]), raw.get("probability"), str(raw.get("reason")))
        compared = _closest(names.get(pair.a, []), names.get(pair.b, []))
        if compared is not None:
            pair.names = (compared["a"], compared["b"])
            pair.explanation = list(compared["explanation"])
        pairs.append(pair)
    return Cluster(item, pairs, message)


def _recent(user: DeskUser) -> list[dict[str, Any]]:
    """The latest decisions (any kind), newest first, to take back."""
    found = [item for status in DECIDED for item in review.list_items(user.archive, status, RECENT)]
    found.sort(key=lambda item: (item["decided_at"] or "", item["item"]), reverse=True)
    return found[:RECENT]


def _counts(request: Request) -> dict[str, int] | None:
    """What the last run of "find duplicates" filed (numbers only, from the redirect)."""
    params = request.query_params
    keys = ("filed", "unchanged", "stale", "people")
    if not all(params.get(k, "").isdigit() for k in keys):
        return None
    return {k: int(params[k]) for k in keys}


@router.get("/review/duplicates")
def duplicates_page(
    request: Request,
    status: Annotated[str, Query(max_length=20)] = "open",
    user: DeskUser = Depends(signed_in),
) -> Response:
    if status not in SHOWN:
        raise InvalidInput(i18n._("status must be one of: ") + ", ".join(SHOWN))
    items = review.list_items(user.archive, None if status == "all" else status, PAGE + 1)
    context = {
        "clusters": [_cluster(item) for item in items[:PAGE]],
        "more": len(items) > PAGE,
        "status": status,
        "statuses": SHOWN,
        "recent": _recent(user),
        "found": _counts(request),
        "back": "/review/duplicates" + (f"?status={status}" if status != "open" else ""),
        "place_name": place_name,
    }
    return render(request, "review_duplicates.html", context)


@router.post("/review/duplicates/find")
def find_now(request: Request, user: DeskUser = Depends(checked_form)) -> Response:
    """Runs linkage over the whole archive in the request (seconds at the demo's size)."""
    counts = review.find_duplicates(user.archive)
    query = urlencode(
        {"filed": counts["new_items"], "unchanged": counts["unchanged"],
         "stale": counts["stale"], "people": counts["people"]}
    )  # fmt: skip
    target = f"/review/duplicates?{query}"
    if is_htmx(request):  # htmx follows HX-Redirect with a full page load
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def _posted(request: Request) -> FormData:
    return await request.form()


def _person(text: str, what: str) -> str:
    text = text.strip()
    if not _PERSON_ID.match(text):
        raise InvalidInput(f"{what}: " + i18n._("not a person id: ") + repr(text[:40]))
    return text


def groups_of(form: FormData) -> list[list[str]]:
    """The split a reviewer chose: a group number for each person (``group-P-000012``),
    as groups of person ids in group-number order."""
    chosen: dict[int, list[str]] = defaultdict(list)
    for key, raw in form.multi_items():
        if not key.startswith(GROUP_FIELD):
            continue
        person = _person(key[len(GROUP_FIELD) :], i18n._("split"))
        value = raw.strip() if isinstance(raw, str) else ""
        if not value.isdigit() or not 1 <= int(value) <= 100:
            raise InvalidInput(
                i18n._("split: the group of %(person)s must be a number from 1 to 100")
                % {"person": person}
            )
        chosen[int(value)].append(person)
    if not chosen:
        raise InvalidInput(i18n._("split: choose a group for each person"))
    return [chosen[number] for number in sorted(chosen)]


def _text(form: FormData, key: str, limit: int) -> str | None:
    raw = form.get(key)
    value = raw.strip() if isinstance(raw, str) else ""
    if "\x00" in value:
        raise InvalidInput(f"{key}: " + i18n._("must not contain NUL characters"))
    if len(value) > limit:
        raise InvalidInput(
            f"{key}: " + i18n._("too long (%(n)d characters at most)") % {"n": limit}
        )
    return value or None


@router.post("/review/duplicates/{item}/{action}")
def decide_item(
    request: Request,
    item: ItemNumber,
    action: str,
    user: DeskUser = Depends(checked_form),
    form: FormData = Depends(_posted),
) -> Response:
    if action not in ACTIONS:
        raise InvalidInput(i18n._("unknown review action: ") + repr(action[:40]))
    note = _text(form, "note", 2000)
    back = safe_next(_text(form, "back", 500) or "/review/duplicates")  # read before deciding
    if action == "undo":
        decided = review.undo(user.archive, item)
    else:
        keep = _text(form, "keep", 20)
        decided = review.decide(
            user.archive, item, action,
            groups=groups_of(form) if action == "split" else (),
            keep=_person(keep, i18n._("merge")) if action == "merge" and keep else None,
            note=note,
        )  # fmt: skip
    if is_htmx(request):
        message = i18n._("Item %(item)d is now %(status)s.") % {
            "item": decided.id, "status": i18n._(decided.status)
        }  # fmt: skip
        cluster = _cluster(review.show_item(user.archive, item), message)
        context = {"cluster": cluster, "back": back, "place_name": place_name}
        return render(request, "fragments/review_duplicate.html", context)
    return RedirectResponse(f"{back}#item-{item}", status_code=303)
