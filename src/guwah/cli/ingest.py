"""``guwah ingest``: read documents, store them with their proposals for review."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.text import Text

from guwah.cli.common import DbOption, console, err_console, opened
from guwah.cli.matching import progress_bar
from guwah.model.vocab import Sensitivity, SourceKind
from guwah.services.drafts import enum_value
from guwah.services.ingest import FileResult, ingest_files


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)


def ingest(
    files: list[Path] = typer.Argument(
        ...,
        help="Files to read: plain text (news-corpus headers too), HTML, PDF, DOCX, e-mail "
        "(.eml), CSV or XLSX.",
        show_default=False,
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Read and extract only: store nothing, show what would be filed."
    ),
    kind: str | None = typer.Option(
        None,
        "--kind",
        help="Source kind of every file (testimony_written, news_article, ...); default: "
        "what the reader tells, else leaked_list for tables and other.",
    ),
    sensitivity: str | None = typer.Option(
        None,
        "--sensitivity",
        help="public, internal or restricted; default: public for news articles, "
        "restricted for everything else.",
    ),
    db: str | None = DbOption,
    as_json: bool = typer.Option(
        False, "--json", help="Print one JSON object per file, one per line (JSON Lines)."
    ),
) -> None:
    """Read documents and propose the people, relations and claims they contain, each
    with its passage, for review (`guwah review proposals`). Each file becomes a source
    with its original kept encrypted; the same file again adds nothing. A file that
    cannot be read is one error line and the others go on; the exit code is then 1."""
    chosen_kind = enum_value(SourceKind, kind, "source kind") if kind else None
    level = enum_value(Sensitivity, sensitivity, "sensitivity") if sensitivity else None
    with opened(db) as archive, progress_bar() as report:
        results = ingest_files(
            archive,
            files,
            dry_run=dry_run,
            kind=chosen_kind,
            sensitivity=level,
            progress=report if len(files) > 1 else None,
        )
    for result in results:
        if as_json:
            typer.echo(json.dumps(result.as_json(), ensure_ascii=False, default=str))
        else:
            _show(result, dry_run)
        _errors(result)
    if not all(r.ok for r in results):
        sys.exit(1)
    if not dry_run and not as_json and any(r.source and not r.duplicate for r in results):
        console.print("next: guwah review proposals")


def _errors(result: FileResult) -> None:
    for item in [result, *result.attachments]:
        if item.error is not None:
            err_console.print(Text.assemble(("error:", "red"), f" {item.error}"), soft_wrap=True)


def _show(result: FileResult, dry_run: bool, indent: str = "") -> None:
    if result.error is not None:
        return
    counts = result.counts
    found = ", ".join(
        _plural(counts.get(kind, 0), kind) for kind in ("persons", "relations", "claims")
    )
    if dry_run:
        already = f" (already ingested as {result.source})" if result.duplicate else ""
        console.print(
            f"{indent}{result.file}: would file '{result.title}' ({result.kind}, "
            f"{result.sensitivity}) with {found}{already}",
            highlight=False,
        )
        _preview(result, indent + "  ")
    elif result.duplicate:
        console.print(f"{indent}{result.file}: already ingested as {result.source}; nothing new")
    else:
        console.print(
            f"{indent}{result.file}: {result.source} '{result.title}' ({result.kind}, "
            f"{result.sensitivity}), original {result.evidence or 'not kept'}; proposed "
            f"{found} from {result.first_proposal or '-'}",
            highlight=False,
        )
    for note in result.notes:
        if not (result.duplicate and note.startswith("already ingested")):
            console.print(f"{indent}  note: {note}", highlight=False)
    for attachment in result.attachments:
        _show(attachment, dry_run, indent + "  ")


def _plural(count: int, things: str) -> str:
    return f"{count} {things if count != 1 else things[:-1]}"


def _preview(result: FileResult, indent: str) -> None:
    data = result.extraction or {}
    for person in data.get("persons", []):
        names = " / ".join(person.get("names") or []) or person.get("description") or "?"
        roles = ", ".join(person.get("roles") or [])
        console.print(f"{indent}{person['ref']}: {names} ({roles})", highlight=False)
    for relation in data.get("relations", []):
        console.print(
            f"{indent}{relation['from']} is the {relation['type']} of {relation['to']}: "
            f'"{relation["evidence"]["text"]}"',
            highlight=False,
        )
    for claim in data.get("claims", []):
        value = json.dumps(claim.get("value") or {}, ensure_ascii=False)
        console.print(
            f"{indent}{claim['subject']} {claim['kind']} {value} {claim.get('date') or ''}: "
            f'"{claim["evidence"]["text"]}"',
            highlight=False,
        )
