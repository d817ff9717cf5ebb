"""The source page: the document with the passage behind each claim highlighted."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from guwah.model.records import Claim
from guwah.model.view import best_name
from guwah.services.sources import show_source
from guwah.web.context import DeskUser, signed_in
from guwah.web.render import render
from guwah.web.routes.persons import claim_text, place_name

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Piece:
    """A run of the document's text; ``claims`` are those whose passage it is."""

    text: str
    claims: tuple[str, ...] = ()


def highlight(text: str, claims: list[Claim]) -> tuple[list[Piece], list[Claim]]:
    """The text cut into pieces at each claim's quoted passage (the first place it occurs;
    passages that overlap an earlier one are marked with it), and the claims whose passage
    is not in the text. Escaping is left to the template."""
    spans: list[tuple[int, int, str]] = []
    missing = []
    for claim in claims:
        quote = (claim.quote or "").strip()
        at = text.find(quote) if quote else -1
        if at < 0:
            missing.append(claim)
            continue
        spans.append((at, at + len(quote), claim.id))
    spans.sort()
    pieces: list[Piece] = []
    position = 0
    index = 0
    while index < len(spans):
        start, end, claim_id = spans[index]
        ids = [claim_id]
        index += 1
        while index < len(spans) and spans[index][0] < end:  # overlapping: one mark
            end = max(end, spans[index][1])
            ids.append(spans[index][2])
            index += 1
        if start > position:
            pieces.append(Piece(text[position:start]))
        pieces.append(Piece(text[max(start, position) : end], tuple(ids)))
        position = max(position, end)
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return pieces, missing


@router.get("/sources/{public_id}")
def source_page(request: Request, public_id: str, user: DeskUser = Depends(signed_in)) -> Response:
    detail = show_source(user.archive, public_id)
    text = detail.source.original_text or ""
    pieces, unplaced = highlight(text, detail.claims) if text else ([], detail.claims)
    context = {
        "detail": detail,
        "source": detail.source,
        "pieces": pieces,
        "unplaced": unplaced,
        "names": {pid: best_name(p.names) for pid, p in detail.people.items() if p.names},
        "claim_text": claim_text,
        "place_name": place_name,
    }
    return render(request, "source.html", context)
