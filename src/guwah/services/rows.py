"""One spreadsheet row (in Guwah's simple columns) to a person draft and its claims."""

from __future__ import annotations

from typing import Any

from guwah.ingest import values
from guwah.model.claimvalues import check_value
from guwah.model.errors import InvalidInput
from guwah.model.gazetteer import Gazetteer
from guwah.model.idnumber import parse_resident_id
from guwah.model.vocab import ClaimKind, ClaimStatus, PersonKind, Sensitivity
from guwah.services.drafts import DraftClaim, DraftPerson, make_name, resolve_place

STATUS_EVENTS = {
    "detained": ClaimKind.DETAINED,
    "sentenced": ClaimKind.SENTENCED,
    "released": ClaimKind.RELEASED,
    "died": ClaimKind.DIED,
    "dead": ClaimKind.DIED,
    "disappeared": ClaimKind.DISAPPEARED,
    "missing": ClaimKind.DISAPPEARED,
    "surveilled": ClaimKind.SURVEILLED,
    "under_surveillance": ClaimKind.SURVEILLED,
    "forced_labour": ClaimKind.FORCED_LABOUR,
    "fled": ClaimKind.FLED,
}


def row_to_drafts(
    cells: dict[str, str],
    ref: str,
    namespace: str,
    gazetteer: Gazetteer,
    quote: str,
) -> tuple[DraftPerson, list[DraftClaim]]:
    """Build the person and claims of a row; raise InvalidInput naming the bad column."""
    name = cells.get("name", "").strip()
    if not name:
        raise InvalidInput("the name is empty")
    try:
        names = [make_name(name)]
        names.extend(
            make_name(extra) for extra in cells.get("names", "").split("|") if extra.strip()
        )
    except InvalidInput as exc:
        raise InvalidInput(f"name: {exc}") from None
    row_id = cells.get("id", "").strip() or ref
    person = DraftPerson(
        ref=ref,
        kinds=[PersonKind.VICTIM],
        sensitivity=Sensitivity.INTERNAL,
        names=names,
        external_refs=[(namespace, row_id)],
    )
    claims: list[DraftClaim] = []

    def claim(kind: ClaimKind, value: dict[str, Any], **extra: Any) -> None:
        claims.append(
            DraftClaim(
                ref, kind, check_value(kind, value), ClaimStatus.ACCEPTED, quote=quote, **extra
            )
        )

    for column, parse in _COLUMNS:
        raw = cells.get(column, "").strip()
        if not raw:
            continue
        try:
            parse(raw, claim, cells, gazetteer)
        except InvalidInput as exc:
            raise InvalidInput(f"{column}: {exc}") from None
        except ValueError as exc:
            raise InvalidInput(f"{column}: {exc}") from None
    return person, claims


def _gender(raw: str, claim: Any, cells: dict[str, str], gaz: Gazetteer) -> None:
    claim(ClaimKind.GENDER, {"text": values.parse_gender(raw)})


def _birth_year(raw: str, claim: Any, cells: dict[str, str], gaz: Gazetteer) -> None:
    if cells.get("birth_date"):
        return
    if not raw.isdigit() or not 1880 <= int(raw) <= 2030:
        raise InvalidInput(f"not a year: {raw!r}")
    claim(ClaimKind.BORN, {}, date=raw)


def _birth_date(raw: str, claim: Any, cells: dict[str, str], gaz: Gazetteer) -> None:
    claim(ClaimKind.BORN, {}, date=_date(raw))


def _date(raw: str) -> str:
    from guwah.model.dates import parse_date

    return parse_date(values.parse_date(raw)).edtf


def _ethnicity(raw: str, claim: Any, cells: dict[str, str], gaz: Gazetteer) -> None:
    claim(ClaimKind.ETHNICITY, {"text": values.parse_ethnicity(raw)})


def _hometown(raw: str, claim: Any, cells: dict[str, str], gaz: Gazetteer) -> None:
    code, text = resolve_place(gaz, raw)
    claim(ClaimKind.RESIDENT_OF, {}, place_code=code, place_text=text)


def _profession(raw: str, claim: Any, cells: dict[str, str], gaz: Gazetteer) -> None:
    claim(ClaimKind.PROFESSION, {"text": raw})


def _id_number(raw: str, claim: Any, cells: dict[str, str], gaz: Gazetteer) -> None:
    parsed = parse_resident_id(raw)
    claim(ClaimKind.ID_NUMBER, {"text": parsed.number})


def _detained(raw: str, claim: Any, cells: dict[str, str], gaz: Gazetteer) -> None:
    value: dict[str, Any] = {}
    if cells.get("reason"):
        value["reason"] = values.parse_reason(cells["reason"])
    code, text = resolve_place(gaz, cells.get("place_held"))
    claim(ClaimKind.DETAINED, value, date=_date(raw), place_code=code, place_text=text)


def _reason(raw: str, claim: Any, cells: dict[str, str], gaz: Gazetteer) -> None:
    if cells.get("detained"):
        return  # recorded with the detention
    code, text = resolve_place(gaz, cells.get("place_held"))
    claim(
        ClaimKind.DETAINED,
        {"reason": values.parse_reason(raw)},
        place_code=code,
        place_text=text,
    )


def _sentence_years(raw: str, claim: Any, cells: dict[str, str], gaz: Gazetteer) -> None:
    claim(ClaimKind.SENTENCED, values.parse_sentence(raw))


def _sentence(raw: str, claim: Any, cells: dict[str, str], gaz: Gazetteer) -> None:
    claim(ClaimKind.SENTENCED, values.parse_sentence(raw))


def _status(raw: str, claim: Any, cells: dict[str, str], gaz: Gazetteer) -> None:
    word = raw.strip().lower().replace(" ", "_")
    if word in ("unknown", "?", "-"):
        return
    kind = STATUS_EVENTS.get(word)
    if kind is None:
        raise InvalidInput(
            f"unknown status {raw!r} (one of: {', '.join(sorted(STATUS_EVENTS))}, unknown)"
        )
    if kind is ClaimKind.DETAINED and (cells.get("detained") or cells.get("reason")):
        return
    if kind is ClaimKind.SENTENCED and (cells.get("sentence_years") or cells.get("sentence")):
        return
    claim(kind, {"text": "sentenced"} if kind is ClaimKind.SENTENCED else {})


_COLUMNS = (
    ("gender", _gender),
    ("birth_year", _birth_year),
    ("birth_date", _birth_date),
    ("ethnicity", _ethnicity),
    ("hometown", _hometown),
    ("profession", _profession),
    ("id_number", _id_number),
    ("detained", _detained),
    ("reason", _reason),
    ("sentence_years", _sentence_years),
    ("sentence", _sentence),
    ("status", _status),
)
