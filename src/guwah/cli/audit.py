"""``guwah audit``: verify the tamper-evident log, print a signed checkpoint, list entries."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Column, Table

from guwah.cli.common import DbOption, JsonOption, console, opened, print_json
from guwah.cli.matching import progress_bar
from guwah.secure.audit_verify import VerifyReport
from guwah.services.audit import latest_entries, sign_checkpoint, verify_log

app = typer.Typer(
    help="The tamper-evident audit log: verify it, sign and print a checkpoint, list entries.",
    no_args_is_help=True,
)
LOG_COLUMNS = ("seq", "at", "actor", "action", "target", "records", "entry hash")
SHOWN = 20  # problems listed in text output (--json lists up to 100)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="audit")


@app.command("verify")
def verify(
    checkpoint: list[Path] = typer.Option(
        [],
        "--checkpoint",
        help="A checkpoint printed earlier by `guwah audit checkpoint` (JSON or text), "
        "to hold the log against; may be given more than once.",
    ),
    entries_only: bool = typer.Option(
        False,
        "--entries-only",
        help="Check the log and its checkpoints only, not the records it covers (faster).",
    ),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Check the audit log: its hash chain, Merkle tree, signed checkpoints and the records
    it covers. Exit 1 with the problems listed if anything was changed behind its back."""
    with opened(db) as archive, progress_bar() as report_progress:
        report = verify_log(
            archive, records=not entries_only, checkpoints=checkpoint, progress=report_progress
        )
    if as_json:
        print_json(report.as_dict())
    else:
        _print_report(report)
    if not report.ok:
        raise typer.Exit(1)


def _print_report(report: VerifyReport) -> None:
    counted = f"{report.entries} entries, {report.checkpoints} checkpoints"
    if report.given:
        counted += f", {report.given} given checkpoint" + ("s" if report.given > 1 else "")
    if report.records:
        counted += f", {report.records} records"
    if report.ok:
        console.print(f"OK: the audit log verifies ({counted})", highlight=False)
        return
    console.print(f"FAILED: {report.total} problems ({counted})", highlight=False)
    for problem in report.problems[:SHOWN]:
        where = f"entry {problem.seq}" if problem.seq is not None else "-"
        console.print(f"  {problem.kind:16} {where:14} {problem.message}", highlight=False)
    if report.total > SHOWN:
        console.print(f"  ... and {report.total - SHOWN} more", highlight=False)


@app.command("checkpoint")
def checkpoint(db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """Sign the log's current Merkle root with the archive's key and print the statement,
    signature and public key, to publish or deposit outside the archive."""
    with opened(db) as archive:
        signed = sign_checkpoint(archive)
    if as_json:
        print_json(signed.as_dict())
        return
    for line in signed.as_lines():
        console.print(line, highlight=False, soft_wrap=True)


@app.command("log")
def log(
    limit: int = typer.Option(20, help="How many of the latest entries (at most 1000)."),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """List the latest audit entries: who did what to which record, and when."""
    with opened(db) as archive:
        entries = latest_entries(archive, limit)
    if as_json:
        print_json([entry.as_dict() for entry in entries])
        return
    table = Table(
        *(Column(name, overflow="fold", no_wrap=name == "action") for name in LOG_COLUMNS)
    )  # fold, never cut: an action or target shown half is worse than a wrapped one
    for entry in entries:
        table.add_row(
            str(entry.seq), entry.at, entry.actor, entry.action, entry.target,
            str(entry.records), entry.entry_hash[:16],
        )  # fmt: skip
    console.print(table)
