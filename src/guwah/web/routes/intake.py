"""Intake: record a testimony in one form, linking its victims to people already recorded.

The form (``/intake``) holds the source, the testifier and their consent, the victims and
what the testimony says of each, and files. While a victim's name is typed, the people
who may be the same appear (``/intake/match``, cross-script candidate search with its
explanation); choosing one (``/intake/choose``) links the victim to that record instead
of creating a duplicate. More victims and claim rows come as fragments
(``/intake/victim``, ``/intake/claim``), or, without JavaScript, by posting the form
back with one more. The submitted form becomes the document ``guwah add`` reads and is
recorded by the same service; consent and files follow, then the result page.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from guwah.model.errors import GuwahError, InvalidInput, NotFound
from guwah.model.gazetteer import load_gazetteer
from guwah.model.records import format_id, parse_id
from guwah.model.vocab import PersonKind, RelationType, Sensitivity, SourceKind
from guwah.secure.consent import How
from guwah.secure.policy import Action
from guwah.services import consent as consent_service
from guwah.services.access import check
from guwah.services.evidence import list_files
from guwah.services.matching import match_person, place_codes
from guwah.services.query import show_person
from guwah.services.sources import show_source
from guwah.services.testimony import add_document
from guwah.web import i18n
from guwah.web.context import DeskUser, checked_form, signed_in
from guwah.web.forms_intake import (
    CLAIM_KINDS,
    GENDERS,
    MAX_CLAIMS,
    MAX_VICTIMS,
    SELF,
    ClaimRow,
    IntakeForm,
    VictimForm,
)
from guwah.web.render import render
from guwah.web.uploads import Kept, check_files, chosen, keep_files

router = APIRouter(include_in_schema=False)

MATCHES = 8  # candidates shown while a name is typed
LANGUAGES = ("ug", "kk", "ru", "zh", "ky", "uz", "tr", "en", "de")
ETHNICITIES = ("Uyghur", "Kazakh", "Kyrgyz", "Hui", "Uzbek", "Tajik", "Tatar")


@cache
def _place_choices(lang: str) -> list[tuple[str, str]]:
    """(what to type, what it is) for the places datalist: the name in the interface
    language when it leads back to the place, else the code."""
    gazetteer = load_gazetteer()
    found = []
    for place in gazetteer:
        name = place.display_name(lang)
        resolved = gazetteer.resolve(name)
        typed = name if resolved is not None and resolved.code == place.code else place.code
        found.append((typed, f"{name} ({place.code})"))
    return sorted(found, key=lambda item: item[1].casefold())


def _choices(user: DeskUser) -> dict[str, Any]:
    """The lists the form offers, in the interface language."""
    return {
        "source_kinds": [k.value for k in SourceKind],
        "sensitivities": [s.value for s in Sensitivity],
        "relations": [r.value for r in RelationType],
        "self_relation": SELF,
        "claim_kinds": [k.value for k in CLAIM_KINDS],
        "genders": GENDERS,
        "hows": [h.value for h in How],
        "languages": LANGUAGES,
        "ethnicities": ETHNICITIES,
        "places": _place_choices(i18n.current()),
        "may_files": user.may(Action.EVIDENCE_ADD),
        "may_consent": user.may(Action.CONSENT_RECORD),
        "max_victims": MAX_VICTIMS,
        "max_claims": MAX_CLAIMS,
    }


def _linked(user: DeskUser, person_id: str) -> tuple[str, str] | None:
    """(id, best name) of a recorded person the signed-in role may see, else None."""
    try:
        detail = show_person(user.archive, person_id)
    except GuwahError:
        return None
    return detail.person.id, detail.view.best_name


def _form_page(
    request: Request,
    user: DeskUser,
    form: IntakeForm,
    problem: GuwahError | None = None,
    status: int = 200,
    notice: str | None = None,
) -> Response:
    linked = {}
    for victim in form.victims:
        if victim.existing and parse_id("person", victim.existing) is not None:
            linked[victim.n] = _linked(user, victim.existing)
    context = {
        "form": form,
        "linked": linked,
        "problem": str(problem).splitlines()[0] if problem else None,
        "problem_field": getattr(problem, "field", None),
        "notice": notice,
        **_choices(user),
    }
    return render(request, "intake.html", context, status)


def _number(raw: str | None, what: str, high: int) -> int:
    try:
        value = int(raw or "")
    except ValueError:
        raise InvalidInput(i18n._("{what} must be a number").format(what=what)) from None
    if not 1 <= value <= high:
        message = i18n._("{what} must be between 1 and {high}").format(what=what, high=high)
        raise InvalidInput(message)
    return value


@router.get("/intake")
def intake_form(request: Request, user: DeskUser = Depends(signed_in)) -> Response:
    check(user.archive, Action.ADD)
    return _form_page(request, user, IntakeForm())


@router.get("/intake/victim")
def victim_fragment(
    request: Request, n: str | None = None, user: DeskUser = Depends(signed_in)
) -> Response:
    """One more victim's fieldset, and the "add" button counting on."""
    check(user.archive, Action.ADD)
    number = _number(n, i18n._("the victim's number"), MAX_VICTIMS)
    context = {"v": VictimForm(number), "next_n": number + 1, **_choices(user)}
    return render(request, "fragments/intake_victim.html", context)


@router.get("/intake/claim")
def claim_fragment(
    request: Request,
    v: str | None = None,
    m: str | None = None,
    user: DeskUser = Depends(signed_in),
) -> Response:
    """One more claim row of a victim, and that victim's "add a claim" button counting on."""
    check(user.archive, Action.ADD)
    victim = VictimForm(_number(v, i18n._("the victim's number"), 999), claims=[])
    row = _number(m, i18n._("the claim's number"), MAX_CLAIMS)
    context = {"v": victim, "m": row, "row": ClaimRow(), "next_m": row + 1, **_choices(user)}
    return render(request, "fragments/intake_claim.html", context)


@router.get("/intake/match")
def match_fragment(request: Request, user: DeskUser = Depends(signed_in)) -> Response:
    """The recorded people who may be the victim whose name is being typed, with why."""
    check(user.archive, Action.ADD)
    params = request.query_params
    v = _number(params.get("v"), i18n._("the victim's number"), 999)
    prefix = f"victim-{v}-"
    name = " ".join(params.get(prefix + "name", "").split())[:300]
    context: dict[str, Any] = {"v": v, "candidates": [], "asked": False, "notes": []}
    if sum(ch.isalpha() for ch in name) < 2:
        return render(request, "fragments/intake_matches.html", context)
    born = params.get(prefix + "born", "").strip()
    birth_year = int(born[:4]) if born[:4].isdigit() and 1880 <= int(born[:4]) <= 2100 else None
    gender = params.get(prefix + "gender", "").strip()
    place = params.get(prefix + "hometown", "").strip()[:300] or None
    if place is not None:
        try:
            place_codes(place)
        except InvalidInput:
            context["notes"].append(
                i18n._("The home town {place!r} is not known: matched without it.").format(
                    place=place
                )
            )
            place = None
    context["candidates"] = match_person(
        user.archive,
        name,
        birth_year=birth_year,
        gender=gender if gender in ("female", "male") else None,
        place=place,
        limit=MATCHES,
    )
    context["asked"] = True
    return render(request, "fragments/intake_matches.html", context)


@router.get("/intake/choose")
def choose_fragment(
    request: Request,
    v: str | None = None,
    person: str | None = None,
    user: DeskUser = Depends(signed_in),
) -> Response:
    """The victim's link to a recorded person (chosen from the matches), or no link."""
    check(user.archive, Action.ADD)
    number = _number(v, i18n._("the victim's number"), 999)
    linked = None
    if person:
        detail = show_person(user.archive, person)  # a one-line error if unknown or unseen
        linked = (detail.person.id, detail.view.best_name)
    context = {"v": VictimForm(number, existing=linked[0] if linked else ""), "link": linked}
    return render(request, "fragments/intake_link.html", context)


@router.post("/intake")
async def intake_submit(request: Request, user: DeskUser = Depends(checked_form)) -> Response:
    form = await request.form()
    try:
        return await run_in_threadpool(_submit, request, user, form)
    finally:
        await form.close()


def _submit(request: Request, user: DeskUser, data: FormData) -> Response:
    check(user.archive, Action.ADD)
    form = IntakeForm.parse(data)
    grow = data.get("add")
    if isinstance(grow, str) and grow:
        return _grown(request, user, form, grow, bool(chosen(data.getlist("files"))))
    files = chosen(data.getlist("files"))
    try:
        document = form.document()
        consent = form.consent()
        if consent is not None:
            check(user.archive, Action.CONSENT_RECORD)
        check_files(user.archive, files, user.may(Action.EVIDENCE_ADD))
        outcome = add_document(user.archive, document)
    except (InvalidInput, NotFound) as exc:
        return _form_page(request, user, form, exc, 400)
    if outcome.result is None:
        source = format_id("source", outcome.duplicate_of or 0)
        message = i18n._("This testimony is already recorded as {source}.").format(source=source)
        context = {"duplicate": source, "message": message}
        return render(request, "intake_done.html", context, 409)
    result = outcome.result
    source = format_id("source", result.source_id)
    problems = []
    if consent is not None:
        try:
            consent_service.record(
                user.archive, source, publish_name=consent.publish_name,
                publish_testimony_text=consent.publish_testimony_text,
                publish_victim_identity=consent.publish_victim_identity,
                share_with=consent.share_with, how=consent.how, given_on=consent.given_on,
                note=consent.note,
            )  # fmt: skip
        except GuwahError as exc:
            problems.append(f"{i18n._('Consent')}: {str(exc).splitlines()[0]}")
    kept = keep_files(user.archive, files, source, form.evidence_how[:500])
    problems += [f"{k.filename}: {k.note}" for k in kept if k.note and k.evidence_id is None]
    created = ",".join(format_id("person", n) for n in result.created)
    if problems:
        return _done_page(request, user, source, created, kept, problems)
    return RedirectResponse(f"/intake/done/{source}?{urlencode({'created': created})}", 303)


def _grown(
    request: Request, user: DeskUser, form: IntakeForm, what: str, had_files: bool
) -> Response:
    """The form posted back without JavaScript to get one more victim or claim row."""
    if what == "victim":
        if len(form.victims) < MAX_VICTIMS:
            form.victims.append(VictimForm(max(v.n for v in form.victims) + 1))
    elif what.startswith("claim-"):
        for victim in form.victims:
            if what == f"claim-{victim.n}" and len(victim.claims) < MAX_CLAIMS:
                victim.claims.append(ClaimRow())
    notice = i18n._("Choose the files again before recording.") if had_files else None
    return _form_page(request, user, form, notice=notice)


@router.get("/intake/done/{source_id}")
def done_page(
    request: Request,
    source_id: str,
    created: str = "",
    user: DeskUser = Depends(signed_in),
) -> Response:
    return _done_page(request, user, source_id, created)


def _done_page(
    request: Request,
    user: DeskUser,
    source_id: str,
    created: str,
    kept: list[Kept] | None = None,
    problems: list[str] | None = None,
) -> Response:
    """What was recorded: the source, the people it speaks of (new or linked), the
    testifier as the role may see them, the consent in force and the files kept."""
    detail = show_source(user.archive, source_id)
    source = detail.source
    new = {p.strip() for p in created.split(",") if p.strip()}
    people = [
        {"id": s.person_id, "person": detail.people.get(s.person_id), "relation": s.relation,
         "new": s.person_id in new}
        for s in source.subjects
    ]  # fmt: skip
    survivor = detail.testifier
    if survivor is not None and PersonKind.VICTIM in survivor.kinds:  # their own account
        people.append({"id": survivor.id, "person": survivor, "relation": SELF,
                       "new": survivor.id in new})  # fmt: skip
    files = list_files(user.archive, source=source.id) if user.may(Action.EVIDENCE_LIST) else []
    consent = None
    if user.may(Action.CONSENT_SHOW):
        consent = consent_service.show(user.archive, source.id).in_force
    context = {
        "source": source,
        "detail": detail,
        "people": people,
        "files": files,
        "consent": consent,
        "kept": kept or [],
        "problems": problems or [],
    }
    return render(request, "intake_done.html", context)
