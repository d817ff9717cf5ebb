"""Checking claim values by kind, and saying them in words.

A claim's value is a small JSON object whose keys depend on its kind (docs/formats.md).
``check_value`` returns a cleaned copy or raises InvalidInput; ``describe_value`` gives
the short text shown to people and indexed for search.
"""

from __future__ import annotations

from typing import Any

from guwah.model.errors import InvalidInput
from guwah.model.idnumber import parse_resident_id
from guwah.model.vocab import ClaimKind, FacilityType, RelationType

_GENDERS = {"female", "male", "other"}
_TEXT_KEYS = {"text"}
_ALLOWED_KEYS: dict[ClaimKind, set[str]] = {
    ClaimKind.BORN: {"year", "text"},
    ClaimKind.DETAINED: {"facility_type", "reason", "text"},
    ClaimKind.TRANSFERRED: {"facility_type", "reason", "text"},
    ClaimKind.SENTENCED: {
        "years",
        "months",
        "life",
        "death",
        "suspended",
        "charge",
        "reason",
        "text",
    },
    ClaimKind.FLED: {"destination", "text"},
    ClaimKind.RELATION: {"relation", "person", "text"},
}


def check_value(kind: ClaimKind, value: dict[str, Any] | None) -> dict[str, Any]:
    """Validate a claim value for its kind; return it with empty keys dropped."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise InvalidInput(f"the value of a {kind.value} claim must be an object, not {value!r}")
    cleaned = {k: v for k, v in value.items() if v is not None and v != ""}
    allowed = _ALLOWED_KEYS.get(kind, _TEXT_KEYS)
    unknown = sorted(set(cleaned) - allowed)
    if unknown:
        raise InvalidInput(
            f"unknown key {unknown[0]!r} in a {kind.value} claim "
            f"(allowed: {', '.join(sorted(allowed))})"
        )
    for key in ("text", "reason", "charge", "destination"):
        if key in cleaned:
            cleaned[key] = _text(kind, key, cleaned[key])
    checker = _CHECKERS.get(kind)
    if checker:
        checker(cleaned)
    return cleaned


def _text(kind: ClaimKind, key: str, raw: object) -> str:
    if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
        raise InvalidInput(f"{key} of a {kind.value} claim must be text")
    text = str(raw).strip()
    if len(text) > 2000:
        raise InvalidInput(f"{key} of a {kind.value} claim is too long (2000 characters at most)")
    return text


def _check_gender(value: dict[str, Any]) -> None:
    gender = str(value.get("text", "")).lower()
    if gender not in _GENDERS:
        raise InvalidInput(f"gender must be female, male or other, not {value.get('text')!r}")
    value["text"] = gender


def _check_id(value: dict[str, Any]) -> None:
    if "text" not in value:
        raise InvalidInput("an id_number claim needs the number as text")
    value["text"] = parse_resident_id(value["text"]).number


def _check_born(value: dict[str, Any]) -> None:
    if "year" in value:
        year = _integer("year", value["year"], 1880, 2100)
        value["year"] = year


def _check_detained(value: dict[str, Any]) -> None:
    if "facility_type" in value:
        try:
            value["facility_type"] = FacilityType(str(value["facility_type"])).value
        except ValueError as exc:
            choices = ", ".join(f.value for f in FacilityType)
            raise InvalidInput(
                f"unknown facility_type {value['facility_type']!r} (one of: {choices})"
            ) from exc


def _check_sentenced(value: dict[str, Any]) -> None:
    for flag in ("life", "death", "suspended"):
        if flag in value and not isinstance(value[flag], bool):
            raise InvalidInput(f"{flag} in a sentenced claim must be true or false")
    if "years" in value:
        value["years"] = _integer("years", value["years"], 0, 99)
    if "months" in value:
        value["months"] = _integer("months", value["months"], 0, 1200)
    if not {"years", "months", "life", "death", "text"} & set(value):
        raise InvalidInput("a sentenced claim needs years/months, life or death (or text)")


def _check_relation(value: dict[str, Any]) -> None:
    try:
        value["relation"] = RelationType(str(value.get("relation", ""))).value
    except ValueError as exc:
        choices = ", ".join(r.value for r in RelationType)
        raise InvalidInput(
            f"unknown relation {value.get('relation')!r} (one of: {choices})"
        ) from exc
    if not value.get("person"):
        raise InvalidInput("a relation claim needs the person it relates to")
    value["person"] = str(value["person"])


def _integer(name: str, raw: object, low: int, high: int) -> int:
    if isinstance(raw, bool):
        raise InvalidInput(f"{name} must be a whole number")
    try:
        number = int(str(raw).strip())
    except ValueError as exc:
        raise InvalidInput(f"{name} must be a whole number, not {raw!r}") from exc
    if not low <= number <= high:
        raise InvalidInput(f"{name} must be between {low} and {high}, not {number}")
    return number


_CHECKERS = {
    ClaimKind.GENDER: _check_gender,
    ClaimKind.ID_NUMBER: _check_id,
    ClaimKind.BORN: _check_born,
    ClaimKind.DETAINED: _check_detained,
    ClaimKind.TRANSFERRED: _check_detained,
    ClaimKind.SENTENCED: _check_sentenced,
    ClaimKind.RELATION: _check_relation,
}


def sentence_months(value: dict[str, Any]) -> int | None:
    """Length of a sentence in months (life and death count as 1200), or None."""
    if value.get("life") or value.get("death"):
        return 1200
    if "years" in value or "months" in value:
        return int(value.get("years", 0)) * 12 + int(value.get("months", 0))
    return None


def describe_value(kind: ClaimKind, value: dict[str, Any]) -> str:
    """A short human-readable text of the value (``12 years``, ``camp: praying``)."""
    if kind is ClaimKind.SENTENCED:
        return _describe_sentence(value)
    if kind in (ClaimKind.DETAINED, ClaimKind.TRANSFERRED):
        facility = str(value.get("facility_type", "")).replace("_", " ")  # detention centre
        parts = [facility, value.get("reason", ""), value.get("text", "")]
        return ": ".join(p for p in parts if p)
    if kind is ClaimKind.FLED:
        return " ".join(p for p in (value.get("destination", ""), value.get("text", "")) if p)
    if kind is ClaimKind.RELATION:
        return f"{value.get('relation')} of {value.get('person')}"
    if kind is ClaimKind.BORN and "year" in value:
        return str(value["year"])
    return str(value.get("text", ""))


def _describe_sentence(value: dict[str, Any]) -> str:
    if value.get("death"):
        words = "death" + (" (suspended)" if value.get("suspended") else "")
    elif value.get("life"):
        words = "life"
    else:
        years, months = int(value.get("years", 0)), int(value.get("months", 0))
        pieces = []
        if years:
            pieces.append(f"{years} year{'s' if years != 1 else ''}")
        if months:
            pieces.append(f"{months} month{'s' if months != 1 else ''}")
        words = " ".join(pieces) or str(value.get("text", ""))
    charge, reason = value.get("charge"), value.get("reason")
    words = f"{words} ({charge})" if charge else words
    return f"{words}: {reason}" if reason else words
