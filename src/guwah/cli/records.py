"""Commands that write or move records: init, add, import, export."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import typer
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from guwah.cli.common import DbOption, JsonOption, console, created, err_console, opened, print_json
from guwah.model.errors import InvalidInput
from guwah.model.records import format_id
from guwah.model.vocab import Sensitivity
from guwah.services.exporting import FORMATS, default_level, export
from guwah.services.importing import import_file, rows_at_most
from guwah.services.testimony import add_document, read_document


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("add")(add)
    app.command("import")(import_)
    app.command("export")(export_)


def init(db: str | None = DbOption) -> None:
    """Create a new, empty, encrypted archive (asks for a passphrase twice)."""
    archive = created(db)
    archive.close()
    console.print(f"Created an encrypted Guwah archive at {archive.location}")
    console.print("Keep the passphrase safe: without it the archive cannot be opened.")


def add(
    files: list[Path] = typer.Argument(
        ..., help="Testimony files (YAML or JSON, docs/formats.md)."
    ),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Record testimonies: each file is one source with its people, claims and cases."""
    results: list[dict[str, Any]] = []
    with opened(db) as archive:
        documents = [(path, read_document(path)) for path in files]
        for path, data in documents:
            try:
                outcome = add_document(archive, data)
            except InvalidInput as exc:
                raise InvalidInput(f"{path}: {exc} (nothing from this file was recorded)") from None
            if outcome.result is None:
                results.append(
                    {
                        "file": str(path),
                        "duplicate_of": format_id("source", outcome.duplicate_of or 0),
                    }
                )
                continue
            result = outcome.result
            results.append(
                {
                    "file": str(path),
                    "source": format_id("source", result.source_id),
                    "persons": {
                        ref: format_id("person", n) for ref, n in result.person_ids.items()
                    },
                    "created": [format_id("person", n) for n in result.created],
                    "linked": [format_id("person", n) for n in result.linked],
                    "claims_added": result.claims_added,
                    "cases": [format_id("case", n) for n in result.cases_added],
                }
            )
    if as_json:
        print_json(results)
        return
    for item in results:
        if "duplicate_of" in item:
            console.print(
                f"{item['file']}: already recorded as {item['duplicate_of']}; nothing added"
            )
        else:
            people = ", ".join(f"{ref}={pid}" for ref, pid in item["persons"].items())
            console.print(
                f"{item['file']}: source {item['source']}, {item['claims_added']} claims; {people}"
            )


def import_(
    file: Path = typer.Argument(..., help="A .csv, .tsv, .xlsx or .jsonl file."),
    mapping: Path | None = typer.Option(
        None, "--mapping", help="YAML mapping for foreign column layouts."
    ),
    list_name: str | None = typer.Option(
        None, "--list", help="List name (namespace of its row ids). Default: the file name."
    ),
    source_kind: str | None = typer.Option(
        None,
        "--source-kind",
        help="Kind of the source the list is recorded as (default leaked_list).",
    ),
    on_error: str = typer.Option(
        "abort",
        "--on-error",
        help=(
            "abort: reject the whole file on a bad row; "
            "skip: import valid rows, write bad ones to --reject-file."
        ),
    ),
    reject_file: Path | None = typer.Option(
        None,
        "--reject-file",
        help="Where bad rows go with --on-error skip (CSV: line, reason, row).",
    ),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Import people and claims from a list (CSV/XLSX) or JSON Lines (an export or hand-written)."""
    if on_error not in ("abort", "skip"):
        raise InvalidInput("--on-error must be abort or skip")
    shown = not as_json and sys.stderr.isatty()
    with opened(db) as archive:
        total = rows_at_most(file) if shown else None
        columns = _import_columns(total)
        with Progress(*columns, console=err_console, transient=True, disable=not shown) as bar:
            task = bar.add_task(f"Importing {file.name}", total=total)

            def progress(rows: int) -> None:
                # the total is an upper bound, unless a file's lines end in CR alone
                done = None if total is None else max(total, rows)
                bar.update(task, completed=rows, total=done)

            report = import_file(
                archive,
                file,
                mapping_path=mapping,
                list_name=list_name,
                source_kind=source_kind,
                on_error=on_error,
                reject_path=reject_file,
                progress=progress,
            )
    data = {
        "file": report.file,
        "list": report.list_name,
        "rows": report.rows,
        "persons_created": report.created,
        "persons_already_known": report.linked,
        "claims_added": report.claims_added,
        "claims_already_present": report.claims_skipped,
        "rejected": report.rejected,
        "restored": report.restored,
        "source": format_id("source", report.source_id) if report.source_id else None,
    }
    if as_json:
        print_json(data)
        return
    console.print(
        f"{report.file}: {report.rows} rows; {report.created} new people, "
        f"{report.linked} already known; {report.claims_added} claims added, "
        f"{report.claims_skipped} already present"
        + (f"; restored {report.restored}" if report.restored else "")
    )
    if report.rejected:
        err_console.print(f"{report.rejected} bad rows written to {reject_file}")


def export_(
    fmt: str = typer.Option(
        "jsonl",
        "--format",
        "-f",
        help=(
            "jsonl (full backup, re-importable), csv (one row per person) "
            "or ftm (FollowTheMoney entities)."
        ),
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="File to write (default: standard output)."
    ),
    max_sensitivity: str | None = typer.Option(
        None,
        "--max-sensitivity",
        help=(
            "Leave out records above this level: public, internal or restricted. "
            "Default: restricted for jsonl (a full backup), internal for csv and ftm, "
            "at most what your role may export."
        ),
    ),
    db: str | None = DbOption,
) -> None:
    """Export the archive. The file is NOT encrypted: keep it as safe as the archive."""
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
    asked: Sensitivity | None = None
    if max_sensitivity is not None:
        try:
            asked = Sensitivity(max_sensitivity)
        except ValueError:
            raise InvalidInput("--max-sensitivity must be public, internal or restricted") from None
    if output is not None:
        if output.is_dir():
            raise InvalidInput(f"{output} is a directory: give the name of the file to write")
        if not output.parent.is_dir():
            raise InvalidInput(f"cannot write {output}: no such directory {output.parent}")
    with opened(db) as archive:
        level = asked or default_level(archive, fmt)
        if output is None:
            count = export(archive, fmt, sys.stdout, max_sensitivity=level)
        else:
            partial = output.with_name(output.name + ".partial")
            unit = "rows" if fmt == "csv" else "records"
            try:
                handle = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
                with (
                    open(handle, "w", encoding="utf-8", newline="") as out,
                    Progress(
                        SpinnerColumn(),
                        TextColumn("{task.description}"),
                        TextColumn(f"{{task.completed:,.0f}} {unit}"),
                        TimeElapsedColumn(),
                        console=err_console,
                        transient=True,
                        disable=not sys.stderr.isatty(),
                    ) as bar,
                ):
                    task = bar.add_task(f"Exporting to {output.name}", total=None)
                    count = export(
                        archive,
                        fmt,
                        out,
                        max_sensitivity=level,
                        progress=lambda n: bar.update(task, completed=n),
                    )
                partial.replace(output)
            finally:
                partial.unlink(missing_ok=True)
    if output is not None:
        err_console.print(f"wrote {count} {'rows' if fmt == 'csv' else 'records'} to {output}")
        if level is Sensitivity.RESTRICTED:
            err_console.print(
                "warning: this export holds restricted data (testifier identities); "
                "it is not encrypted"
            )


def _import_columns(total: int | None) -> list[ProgressColumn | str]:
    """The import's progress line: with the file's row count known beforehand, a bar
    with the share done and the time left; without it, rows so far."""
    if total is None:
        return [
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,.0f} rows"),
            TimeElapsedColumn(),
        ]
    return [
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.completed:,.0f} of {task.total:,.0f} rows"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    ]
