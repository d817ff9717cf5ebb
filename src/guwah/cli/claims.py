"""``guwah claim``: accept, reject or correct a claim (nothing is overwritten)."""

from __future__ import annotations

import json

import typer

from guwah.cli.common import DbOption, console, opened
from guwah.model.claimvalues import describe_value
from guwah.model.errors import InvalidInput
from guwah.model.records import Claim
from guwah.model.vocab import ClaimStatus
from guwah.services import claims as claim_service

app = typer.Typer(
    help="Review claims: accept, reject, or correct (a correction supersedes).",
    no_args_is_help=True,
)


def _print(claim: Claim) -> None:
    console.print(
        f"{claim.id} {claim.kind.value} {describe_value(claim.kind, claim.value)} "
        f"{claim.date or ''} [{claim.status.value}]"
        + (f" supersedes {claim.supersedes}" if claim.supersedes else "")
    )


@app.command("accept")
def accept(
    claim_id: str = typer.Argument(..., help="Claim id, e.g. C-000042."), db: str | None = DbOption
) -> None:
    """Accept a proposed (or previously rejected) claim."""
    with opened(db) as archive:
        _print(claim_service.set_status(archive, claim_id, ClaimStatus.ACCEPTED))


@app.command("reject")
def reject(
    claim_id: str = typer.Argument(..., help="Claim id, e.g. C-000042."), db: str | None = DbOption
) -> None:
    """Reject a claim. It stays in the archive, marked rejected."""
    with opened(db) as archive:
        _print(claim_service.set_status(archive, claim_id, ClaimStatus.REJECTED))


@app.command("correct")
def correct(
    claim_id: str = typer.Argument(..., help="Claim id, e.g. C-000042."),
    value: str | None = typer.Option(None, help="New value as JSON, e.g. '{\"years\": 12}'."),
    date: str | None = typer.Option(None, help="New date (EDTF: 2017, 2017-06, 2017~)."),
    place: str | None = typer.Option(None, help="New place (gazetteer name or code)."),
    quote: str | None = typer.Option(None, help="New supporting quote."),
    db: str | None = DbOption,
) -> None:
    """Record a corrected claim that supersedes the old one (the old one is kept)."""
    parsed = None
    if value is not None:
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            raise InvalidInput(
                f"--value must be JSON, e.g. '{{\"years\": 12}}', not {value!r}"
            ) from None
    if parsed is None and date is None and place is None and quote is None:
        raise InvalidInput("nothing to correct: give --value, --date, --place or --quote")
    with opened(db) as archive:
        _print(
            claim_service.correct(
                archive, claim_id, value=parsed, date=date, place=place, quote=quote
            )
        )
