"""``guwah review proposals/accept``, and proposals in ``review reject/undo``: what ingest
proposed, each next to its passage, for a documenter to accept or reject."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.text import Text

from guwah.cli.common import DbOption, JsonOption, console, opened, print_json
from guwah.model.errors import InvalidInput
from guwah.services import proposal_listing, proposal_review
from guwah.services.proposal_records import STATUSES
from guwah.services.proposal_review import Decision


def register(review_app: typer.Typer) -> None:
    review_app.command("proposals")(review_proposals)
    review_app.command("accept")(review_accept)


def review_proposals(
    source: str | None = typer.Option(
        None, "--source", help="Only the proposals of this source (S-000012)."
    ),
    status: str = typer.Option(
        "proposed", help=f"{', '.join(STATUSES)} or all.", show_default=True
    ),
    limit: int = typer.Option(200, help="How many proposals (at most 1000)."),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Show what `guwah ingest` proposed, each proposal next to the passage it rests on
    (the evidence marked ⟦ ⟧), with the command to accept or reject it."""
    with opened(db) as archive:
        found = proposal_listing.list_proposals(
            archive, source=source, status=None if status == "all" else status, limit=limit
        )
    if as_json:
        print_json(found)
        return
    if not found:
        console.print(f"no {status if status != 'all' else ''} proposals".replace("  ", " "))
        return
    shown_source = None
    for item in found:
        if item["source"] != shown_source:
            shown_source = item["source"]
            console.print(
                Text.assemble((item["source"], "bold"), f"  {item['source_title']}"),
                highlight=False,
            )
        _show(item)


def _show(item: dict[str, Any]) -> None:
    score = f"  {item['confidence']:.2f}" if item["confidence"] is not None else ""
    rule = f"  rule {item['rule']}" if item["rule"] else ""
    console.print(
        Text.assemble(
            ("  " + item["id"], "bold"),
            f" {item['kind']:<8} {item['summary']}",
            (f"{score}{rule}", "dim"),
        ),
        highlight=False,
    )
    passage = item.get("passage")
    if passage:
        text, start, end = passage["text"], passage["start"], passage["end"]
        console.print(
            Text.assemble(
                "      “",
                text[:start],
                ("⟦" + text[start:end] + "⟧", "bold yellow"),
                text[end:],
                "”",
            ),
            highlight=False,
        )
    if item["status"] == "proposed":
        subject = item.get("subject") or {}
        waiting = [p for p in (subject, item.get("target") or {}) if p and p.get("person") is None]
        if waiting:
            first = waiting[0]
            console.print(
                f"      first accept {first.get('proposal') or first.get('ref')} "
                f"({first['label']})",
                highlight=False,
            )
        how = " --person P-… | --new" if item["kind"] == "person" else ""
        console.print(
            f"      guwah review accept {item['id']}{how}    guwah review reject {item['id']}",
            highlight=False,
            style="dim",
        )
    else:
        made = item.get("claim") or item.get("person") or ""
        console.print(
            f"      {item['status']} by {item['decided_by']} at {item['decided_at']}"
            f"{' → ' + made if made else ''}{'  note: ' + item['note'] if item['note'] else ''}",
            highlight=False,
        )


def review_accept(
    proposals: list[str] = typer.Argument(
        ...,
        help="Proposal ids (X-000004); several are accepted in turn, each on its own.",
        show_default=False,
    ),
    person: str | None = typer.Option(
        None, "--person", help="A person proposal: the archive's person it is (P-000123)."
    ),
    new: bool = typer.Option(
        False, "--new", help="A person proposal: nobody in the archive; create the person."
    ),
    name: list[str] = typer.Option(
        [], "--name", help="A person proposal: another name form to record (repeatable)."
    ),
    attributes: bool = typer.Option(
        True,
        "--attributes/--no-attributes",
        help="A person proposal: record its attributes (ethnicity, profession, birth year, "
        "home...) as claims too.",
    ),
    value: str | None = typer.Option(
        None, "--value", help="A claim: the value to record instead, as JSON: '{\"years\": 12}'."
    ),
    date: str | None = typer.Option(None, "--date", help="A claim: the date instead (EDTF)."),
    place: str | None = typer.Option(
        None, "--place", help="A claim: the place instead (gazetteer code or name)."
    ),
    note: str | None = typer.Option(None, "--note", help="Why (kept with the decision)."),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Accept proposals. A person: shows who in the archive may be the same person (in
    any script), then --person P-… links them or --new creates them. A claim or relation
    (once its people are accepted): becomes an accepted claim quoting its passage; --value,
    --date or --place record it changed. Several ids are decided in turn, each on its
    own; the first that cannot be accepted stops there (those before it stay accepted)."""
    parsed = _value(value)
    if len(proposals) > 1 and (parsed is not None or date or place or name or person):
        raise InvalidInput("--value, --date, --place, --name and --person take one proposal")
    decisions = []
    with opened(db) as archive:
        for proposal in proposals:
            decision = proposal_review.accept(
                archive, proposal, person=person, new=new, names=name, attributes=attributes,
                value=parsed, date=date, place=place, note=note,
            )  # fmt: skip
            decisions.append(decision)
            if not as_json:
                show_decision(decision, as_json)
    if as_json:
        shown = [d.as_json() for d in decisions]
        print_json(shown[0] if len(shown) == 1 else shown)


def _value(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        raise InvalidInput(
            f"--value must be a JSON object, like '{{\"years\": 12}}': {text!r}"
        ) from None
    if not isinstance(value, dict):
        raise InvalidInput(f"--value must be a JSON object, not {text!r}")
    return value


def show_decision(decision: Decision, as_json: bool) -> None:
    if as_json:
        print_json(decision.as_json())
        return
    console.print(decision.message, highlight=False)
    for candidate in decision.candidates:
        console.print(
            Text.assemble(
                ("  " + str(candidate["id"]), "bold"),
                f" {candidate['score']:.2f}  {candidate['name']}"
                f"  (born {candidate['birth_year'] or '?'}, "
                f"{candidate['status'] or 'status unknown'})"
                f"  matched {candidate['query']!r}",
            ),
            highlight=False,
        )
        for reason in candidate["reasons"]:
            console.print(f"      {reason}", highlight=False)
    for note in decision.notes:
        console.print(f"  note: {note}", highlight=False)
