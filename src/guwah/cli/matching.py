"""Commands about names and matching: names keys/compare, match, dedupe, review."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.progress import Progress, TaskID
from rich.table import Table
from rich.text import Text

from guwah.cli.common import DbOption, JsonOption, console, err_console, opened, print_json
from guwah.model.errors import InvalidInput
from guwah.model.records import format_id
from guwah.services import proposal_listing, proposal_review
from guwah.services.matching import compare_names, explain_name, match_person
from guwah.services.proposal_records import is_proposal_id
from guwah.services.review import decide, find_duplicates, list_items, undo

names_app = typer.Typer(
    help="Read, key and compare names in any script (no archive needed).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(names_app, name="names")
    app.command("match")(match)
    app.command("dedupe")(dedupe)
    app.add_typer(review_app, name="review")


@names_app.command("keys")
def keys(
    name: str = typer.Argument(..., help="A name in any script, e.g. 'ئىلھام توختى'."),
    as_json: bool = JsonOption,
) -> None:
    """Show how a name is read into Latin, split into parts and keyed for matching."""
    data = explain_name(name)
    if as_json:
        print_json(data)
        return
    table = Table("word", "script", "reading", "fold", "skeleton", "block", "element")
    for part in data["parts"]:
        table.add_row(
            part["text"], part["script"], part["reading"], part["fold"],
            part["skeleton"], part["block"], part["element"] or "",
        )  # fmt: skip
    console.print(table)
    if data["reordered"]:
        console.print("second name written first: read given name first")
    if data["left_out"]:
        console.print(f"left out: {', '.join(data['left_out'])}")
    console.print(f"pair keys: {' '.join(data['pair_keys']) or '-'}")
    console.print(f"word keys: {' '.join(data['word_keys'])}")


@names_app.command("compare")
def compare_(
    a: str = typer.Argument(..., help="A name in any script."),
    b: str = typer.Argument(..., help="Another name in any script."),
    as_json: bool = JsonOption,
) -> None:
    """Compare two names: a score in [0, 1], the verdict and why."""
    data = compare_names(a, b)
    if as_json:
        print_json(data)
        return
    for line in data["explanation"]:
        console.print(line, highlight=False)


def match(
    name: str = typer.Argument(..., help="The name to look up, in any script."),
    birth_year: int | None = typer.Option(None, "--birth-year", help="Year of birth, if known."),
    gender: str | None = typer.Option(None, help="male or female, if known."),
    place: str | None = typer.Option(
        None, help="Home place: a county or prefecture, any language."
    ),
    id_number: str | None = typer.Option(
        None, "--id-number", help="Chinese resident ID number, if known."
    ),
    limit: int = typer.Option(10, help="How many candidates (at most 100)."),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Is this person already in the archive? Ranked candidates with the reasons."""
    with opened(db) as archive:
        found = match_person(
            archive, name, birth_year=birth_year, gender=gender, place=place,
            id_number=id_number, limit=limit,
        )  # fmt: skip
    if as_json:
        print_json([c.as_dict() for c in found])
        return
    if not found:
        console.print("no candidates: this person does not seem to be in the archive yet")
        return
    for c in found:
        console.print(
            Text.assemble(
                (c.public_id, "bold"),
                f" {c.score:.2f}  {c.display_name}"
                f"  (born {c.birth_year or '?'}, {c.status or 'status unknown'})",
            ),
        )
        for reason in c.reasons:
            console.print(f"    {reason}", highlight=False)


review_app = typer.Typer(
    help="Judge possible duplicates found by `guwah dedupe` (list, confirm, reject, merge, "
    "split, undo) and what `guwah ingest` proposed (proposals, accept, reject, undo).",
    no_args_is_help=True,
)


def dedupe(
    in_path: Path | None = typer.Option(
        None,
        "--in",
        help="Standalone mode: a CSV with id,name[,birth_year,gender,place,"
        "id_number]; needs no archive and no passphrase.",
    ),
    out_path: Path | None = typer.Option(
        None, "--out", help="Standalone mode: where to write the id,cluster CSV."
    ),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Find people who may be the same person: in the archive (fills the review queue) or,
    with --in and --out, in a list."""
    backend = os.environ.get("GUWAH_LINKAGE_BACKEND", "duckdb")
    if (in_path is None) != (out_path is None):
        raise InvalidInput("standalone mode needs both --in and --out")
    with progress_bar() as report:
        if in_path is not None and out_path is not None:
            from guwah.services.listdedupe import dedupe_list

            result = dedupe_list(in_path, out_path, progress=report, backend=backend)
            data: dict[str, Any] = {k: v for k, v in vars(result).items()}
        else:
            with opened(db) as archive:
                data = find_duplicates(archive, progress=report)
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        console.print(f"{key:18} {value}", highlight=False)
    if in_path is None:
        console.print("next: guwah review list")


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    with Progress(transient=True, console=err_console) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield report


@review_app.command("list")
def review_list(
    status: str = typer.Option("open", help="open, confirmed, rejected, merged, split, stale."),
    limit: int = typer.Option(50, help="How many items (at most 500)."),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """List review items: possible duplicates side by side, most likely first."""
    if not 1 <= limit <= 500:
        raise InvalidInput("limit must be between 1 and 500")
    with opened(db) as archive:
        items = list_items(archive, status, limit)
        waiting = 0 if as_json else proposal_listing.count_proposed(archive)
    if as_json:
        print_json(items)
        return
    if waiting:
        console.print(f"{waiting} proposals from ingested sources wait: guwah review proposals")
    if not items:
        console.print(f"no {status} review items")
    for item in items:
        console.print(
            Text.assemble(
                (f"item {item['item']}", "bold"),
                f" ({item['status']}, p={item['probability']})",
            ),
        )
        for person in item["people"]:
            console.print(
                f"  {person['id']}  {' | '.join(person['names'])}"
                f"  born {person['birth_year'] or '?'}"
                f"  {person['status'] or ''}  {person['place'] or ''}",
                highlight=False,
            )
        for pair in item["pairs"]:
            console.print(f"    {pair['a']} ~ {pair['b']}: {pair['reason']}", highlight=False)


def _decide(item: int, action: str, db: str | None, **kw: Any) -> None:
    with opened(db) as archive:
        decided = decide(archive, item, action, **kw)
    people = ", ".join(format_id("person", p) for p in decided.person_ids)
    console.print(f"item {item}: {decided.status} ({people})", highlight=False)


NoteOption = typer.Option(None, help="Why (kept with the judgement).")


@review_app.command("confirm")
def review_confirm(
    item: int = typer.Argument(..., help="The review item number."),
    note: str | None = NoteOption,
    db: str | None = DbOption,
) -> None:
    """Judge everyone in the item to be the same person (records stay apart)."""
    _decide(item, "confirm", db, note=note)


@review_app.command("reject")
def review_reject(
    item: str = typer.Argument(
        ..., help="A duplicates item number (4) or a proposal id from ingest (X-000004)."
    ),
    note: str | None = NoteOption,
    db: str | None = DbOption,
) -> None:
    """Judge everyone in a duplicates item to be different people (never proposed again),
    or reject a proposal of `guwah ingest` (it stays, marked rejected)."""
    if is_proposal_id(item):
        with opened(db) as archive:
            decision = proposal_review.reject(archive, item, note)
        console.print(decision.message, highlight=False)
        return
    _decide(_item_number(item), "reject", db, note=note)


def _item_number(text: str) -> int:
    if not text.strip().isdigit():
        raise InvalidInput(f"not a review item number or proposal id: {text!r} (4 or X-000004)")
    return int(text.strip())


@review_app.command("merge")
def review_merge(
    item: int = typer.Argument(..., help="The review item number."),
    keep: str | None = typer.Option(None, help="The person id to keep (default: the oldest)."),
    note: str | None = NoteOption,
    db: str | None = DbOption,
) -> None:
    """Same person: show the records as one from now on (every name and claim kept)."""
    _decide(item, "merge", db, keep=keep, note=note)


@review_app.command("split")
def review_split(
    item: int = typer.Argument(..., help="The review item number."),
    group: list[str] = typer.Option(
        ..., help="Comma-separated person ids that are one person; repeat per group."
    ),
    note: str | None = NoteOption,
    db: str | None = DbOption,
) -> None:
    """Split an item into groups: the same within a group, different across groups."""
    groups = [[p for p in g.split(",") if p.strip()] for g in group]
    _decide(item, "split", db, groups=groups, note=note)


@review_app.command("undo")
def review_undo(
    item: str = typer.Argument(
        ..., help="A duplicates item number (4) or a proposal id from ingest (X-000004)."
    ),
    db: str | None = DbOption,
) -> None:
    """Take back a decision: a duplicates item's judgements withdrawn, merges undone, the
    item reopened; a proposal reopened (the claim its acceptance made is rejected)."""
    if is_proposal_id(item):
        with opened(db) as archive:
            decision = proposal_review.undo(archive, item)
        console.print(decision.message, highlight=False)
        for note in decision.notes:
            console.print(f"  note: {note}", highlight=False)
        return
    number = _item_number(item)
    with opened(db) as archive:
        undo(archive, number)
    console.print(f"item {number}: reopened")
