"""The desk's queue of corrections sent from the public site: read, accept or dismiss.

Accepting records the decision only; the page then says that the editor should correct
the claims themselves (on the person's page, citing a source). The services check the
role (editors and admins) and audit each decision.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from guwah.model.errors import InvalidInput, NotFound
from guwah.services import corrections
from guwah.web import i18n
from guwah.web.context import DeskUser, checked_form, signed_in
from guwah.web.render import render

router = APIRouter(include_in_schema=False)

PAGE = 50
SHOWN = (*corrections.STATUSES, "all")
CORRECTION_ID = r"^[Qq]-[0-9]{1,9}$"
_DONE = re.compile(CORRECTION_ID)


@router.get("/corrections")
def queue(
    request: Request, status: str = "new", page: int = 1, done: str = "",
    user: DeskUser = Depends(signed_in),
) -> Response:  # fmt: skip
    if status not in SHOWN:
        raise InvalidInput(f"status must be one of {', '.join(SHOWN)}, not {status!r}")
    if not 1 <= page <= 10_000:
        raise InvalidInput(i18n._("the page must be a number from 1 to 10000"))
    items = corrections.list_corrections(
        user.archive, None if status == "all" else status, limit=PAGE + 1, offset=(page - 1) * PAGE
    )
    decided = None
    if _DONE.match(done):
        try:
            decided = corrections.show_correction(user.archive, done)
        except NotFound:  # an old link: just the queue
            decided = None
    context = {
        "items": items[:PAGE],
        "more": len(items) > PAGE,
        "status": status,
        "page": page,
        "shown": SHOWN,
        "waiting": corrections.count_new(user.archive),
        "decided": decided,
    }
    return render(request, "corrections.html", context)


@router.post("/corrections/{public_id}/decide")
def decide(
    public_id: Annotated[str, Path(pattern=CORRECTION_ID)],
    decision: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=corrections.MAX_NOTE)] = "",
    user: DeskUser = Depends(checked_form),
) -> Response:
    done = corrections.decide(user.archive, public_id, decision, note)
    return RedirectResponse(f"/corrections?done={done.id}", status_code=303)
