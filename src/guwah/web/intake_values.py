"""A claim's value as typed in the intake form's one box, as the value object its kind
takes (docs/formats.md, Claim values): ``camp: praying`` for a detention, ``12 years:
religious faith`` for a sentence, ``Kazakhstan`` for a flight, ``维吾尔族`` for an
ethnicity. The value parsers of list import read the words, in any of the languages
they know."""

from __future__ import annotations

from typing import Any

from guwah.ingest.values import parse_ethnicity, parse_facility, parse_gender, parse_sentence
from guwah.model.dates import normalise_date
from guwah.model.errors import InvalidInput
from guwah.model.vocab import ClaimKind
from guwah.web import i18n


def claim_value(kind: ClaimKind, text: str) -> tuple[dict[str, Any], str | None]:
    """The value object of a claim from the one line typed for it (docs/formats.md, Claim
    values), and a date when the line is one (``born``: ``1965``)."""
    text = " ".join(text.split())
    if not text:
        return {}, None
    if kind is ClaimKind.GENDER:
        return {"text": parse_gender(text)}, None
    if kind is ClaimKind.ETHNICITY:
        return {"text": parse_ethnicity(text)}, None
    if kind in (ClaimKind.DETAINED, ClaimKind.TRANSFERRED):
        return _detention(text), None
    if kind is ClaimKind.SENTENCED:
        return _sentence(text), None
    if kind is ClaimKind.FLED:
        return {"destination": text}, None
    if kind is ClaimKind.BORN:
        try:
            return {}, normalise_date(text)
        except InvalidInput:
            return {"text": text}, None
    return {"text": text}, None


def _split(text: str) -> tuple[str, str]:
    head, _, rest = text.replace("：", ":").partition(":")  # a Chinese colon too
    return head.strip(), rest.strip()


def _detention(text: str) -> dict[str, Any]:
    """``camp: praying`` (place held, then the reason), ``prison``, in any of the
    documenters' languages (``лагерь: намаз``, ``看守所``); other text is kept."""
    head, reason = _split(text)
    facility = parse_facility(head)
    if facility is None:
        return {"text": text}
    return {"facility_type": facility, "reason": reason} if reason else {"facility_type": facility}


def _sentence(text: str) -> dict[str, Any]:
    """``12 years``, ``10 years 6 months``, ``life``, ``death``, ``有期徒刑十二年``, then
    ``: reason``; words without a number are kept as text (``a long sentence``)."""
    head, reason = _split(text)
    try:
        value = parse_sentence(head)
    except InvalidInput:
        if any(ch.isdigit() for ch in text):
            raise InvalidInput(
                i18n._(
                    "not a sentence length: {text!r} (write 12 years, 10 years 6 months, "
                    "life or death)"
                ).format(text=text)
            ) from None
        return {"text": text}
    return {**value, "reason": reason} if reason else value
