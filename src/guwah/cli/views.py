"""Commands that read: show, search, stats."""

from __future__ import annotations

import typer
from rich.table import Table
from rich.text import Text

from guwah.cli.common import DbOption, JsonOption, console, opened, print_json
from guwah.model.claimvalues import describe_value
from guwah.model.gazetteer import load_gazetteer
from guwah.model.vocab import VictimStatus
from guwah.services.indexing import reindex as reindex_service
from guwah.services.person_json import detail_json
from guwah.services.query import archive_stats, find_people, show_person

STATUSES = ", ".join(status.value for status in VictimStatus)


def _place(code: str | None) -> str:
    """A gazetteer code as its English name (the code itself if unknown)."""
    if not code:
        return ""
    place = load_gazetteer().get(code)
    return place.display_name() if place else code


def register(app: typer.Typer) -> None:
    app.command("show")(show)
    app.command("search")(search_)
    app.command("stats")(stats)
    app.command("reindex")(reindex)


def show(
    person_id: str = typer.Argument(..., help="A person id such as P-000012."),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Show a person: names in every script, the current view with its sources, all claims."""
    with opened(db) as archive:
        detail = show_person(archive, person_id)
    if as_json:
        print_json(detail_json(detail))
        return
    person, view = detail.person, detail.view
    console.print(
        Text.assemble(
            (view.best_name, "bold"),
            f"  {person.id}  "
            f"({', '.join(k.value for k in person.kinds)}; {person.sensitivity.value})",
        )
    )
    if detail.asked_for:
        console.print(f"{detail.asked_for} is merged into {person.id}; shown together")
    if detail.merged:
        console.print(f"merged into this record: {', '.join(detail.merged)}")
    for name in person.names:
        console.print(
            Text.assemble(
                f"  {name.text}  ",
                (f"{name.script.value} {name.lang or ''} {name.kind.value}", "dim"),
                (f" {name.source_id or ''}", "dim"),
            )
        )
    table = Table("field", "value", "sources", "says so", "conflicting", title="Current view")
    for field_name, field in view.fields.items():
        conflicts = "; ".join(f"{v.text} ({', '.join(v.source_ids)})" for v in field.conflicting)
        table.add_row(
            field_name,
            field.best.text,
            ", ".join(field.best.source_ids),
            str(field.best.corroboration),
            conflicts,
        )
    console.print(table)
    claims = Table("claim", "kind", "value", "date", "place", "status", "source", title="Claims")
    for c in detail.claims:
        claims.add_row(
            c.id,
            c.kind.value,
            describe_value(c.kind, c.value),
            c.date or "",
            _place(c.place_code) or c.place_text or "",
            c.status.value,
            c.source_id,
        )
    console.print(claims)
    for case in detail.cases:
        console.print(
            f"Case {case.id}: {case.status.value}; owner {case.owner or '-'}; "
            f"next: {case.next_steps or '-'}"
        )
        for action in case.actions:
            console.print(f"  {action.date or '':10} {action.kind.value:14} {action.description}")


def search_(
    text: str = typer.Argument("", help="Words to find in names, places and claims (any script)."),
    status: str | None = typer.Option(None, help=f"Filter by derived status ({STATUSES})."),
    ethnicity: str | None = typer.Option(
        None, help="Filter by ethnicity (Uyghur, Kazakh, Kyrgyz...)."
    ),
    place: str | None = typer.Option(
        None, help="Filter by home or detention place: a county or prefecture, any language."
    ),
    year: int | None = typer.Option(None, help="Filter by year of the latest detention."),
    limit: int = typer.Option(20, help="How many results (at most 500)."),
    offset: int = typer.Option(0, help="Skip this many results (paging)."),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Search people by name and text, with filters."""
    with opened(db) as archive:
        rows = find_people(
            archive,
            text,
            status=status,
            ethnicity=ethnicity,
            place=place,
            year=year,
            limit=limit,
            offset=offset,
        )
    if as_json:
        print_json(rows)
        return
    table = Table("id", "name", "status", "ethnicity", "born", "place", "detained", "sources")
    for r in rows:
        table.add_row(
            r["id"],
            r["name"],
            r["status"],
            r["ethnicity"] or "",
            str(r["birth_year"] or ""),
            _place(r["place"]),
            str(r["detained_year"] or ""),
            str(r["sources"]),
        )
    console.print(table)
    if not rows:
        console.print("no matches")


def stats(db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """Counts: records, victims by status, ethnicity, prefecture and year of detention."""
    with opened(db) as archive:
        data = archive_stats(archive)
    if as_json:
        print_json(data)
        return
    for key in ("persons", "victims", "names", "sources", "claims", "cases", "evidence_files"):
        console.print(f"{key:16} {data[key]}")
    for key in (
        "victims_by_status",
        "victims_by_ethnicity",
        "victims_by_prefecture",
        "detentions_by_year",
    ):
        table = Table(key.replace("_", " "), "count")
        for name, count in data[key].items():
            table.add_row(str(name), str(count))
        console.print(table)


def reindex(db: str | None = DbOption) -> None:
    """Rebuild every person's current view and search entry from the stored claims."""
    with opened(db) as archive:
        count = reindex_service(archive)
    console.print(f"rebuilt the view and search entry of {count} people")
