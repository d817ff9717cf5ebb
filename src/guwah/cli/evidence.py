"""``guwah evidence``: files stored encrypted, with their hashes and chain of custody."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.text import Text

from guwah.cli.common import DbOption, JsonOption, console, err_console, opened, print_json
from guwah.model.records import format_id
from guwah.secure.evidence import CustodyEntry, Record
from guwah.services import evidence as service
from guwah.services.evidence_export import export_package
from guwah.services.evidence_verify import verify_files

app = typer.Typer(
    help="Evidence files: stored encrypted with their SHA-256/SHA-512 and a custody log of "
    "every access and transfer; verified and exported as packages checkable with sha256sum.",
    no_args_is_help=True,
)

EvidenceArgument = typer.Argument(..., help="Evidence id, e.g. E-000001.")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="evidence")


def _id(number: int | None, kind: str) -> str | None:
    return format_id(kind, number) if number is not None else None


def _record_json(record: Record) -> dict[str, Any]:
    meta = record.meta
    data: dict[str, Any] = {
        "id": record.id,
        "file_name": meta.filename if meta else None,
        "size": record.size,
        "media_type": record.media_type,
        "sha256": meta.sha256 if meta else None,
        "sha512": (meta.sha512 or None) if meta else None,
        "source": _id(record.source_id, "source"),
        "stored": record.stored,
        "added_by": record.added_by,
        "added_at": record.added_at,
        "derived_from": _id(record.derived_from, "evidence"),
        "derivation": record.derivation,
    }
    if meta and record.stored:
        data["acquired"] = {
            "by": meta.acquired_by,
            "at": meta.acquired_at,
            "how": meta.acquired_how,
        }
    if record.problem:
        data["problem"] = record.problem
    return data


def _custody_json(entry: CustodyEntry | str) -> dict[str, Any]:
    if isinstance(entry, str):
        return {"problem": entry}
    return {**entry.body(), "hash": entry.digest()}


def _line(record: Record) -> str:
    name = record.filename or f"({record.problem or 'no name'})"
    extra = f" from {_id(record.derived_from, 'evidence')} ({record.derivation})"
    return (
        f"{record.id}  {name}  {record.media_type}  {record.size} bytes"
        + (f"  {_id(record.source_id, 'source')}" if record.source_id else "  (no source yet)")
        + (extra if record.derived_from else "")
        + ("" if record.stored else "  [metadata only]")
    )


@app.command("add")
def add(
    file: Path = typer.Argument(..., help="The file to store, exactly as received."),
    source: str | None = typer.Option(
        None, "--source", help="The source it supports (S-000123); may be linked later."
    ),
    acquired_how: str | None = typer.Option(
        None, "--acquired-how", help="How it was obtained (kept encrypted)."
    ),
    acquired_by: str | None = typer.Option(
        None, "--acquired-by", help="Who obtained it (default: you; kept encrypted)."
    ),
    acquired_at: str | None = typer.Option(
        None, "--acquired-at", help="When it was obtained (ISO date or time; default: unknown)."
    ),
    media_type: str | None = typer.Option(
        None, "--media-type", help="Media type, e.g. video/mp4 (default: guessed)."
    ),
    derived_from: str | None = typer.Option(
        None, "--derived-from", help="The original this is a working copy of (E-000001)."
    ),
    derivation: str | None = typer.Option(
        None,
        "--derivation",
        help="How the copy was made: ocr, transcode, redacted, translation or other.",
    ),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Store a file encrypted, with its hashes and who/when/how it was acquired."""
    with opened(db) as archive, err_console.status("Hashing and encrypting"):
        added = service.add_file(
            archive,
            file,
            source=source,
            acquired_how=acquired_how,
            acquired_by=acquired_by,
            acquired_at=acquired_at,
            media_type=media_type,
            derived_from=derived_from,
            derivation=derivation,
        )
    if as_json:
        print_json(
            {
                "id": added.id,
                "already_stored": added.duplicate,
                "size": added.size,
                "media_type": added.media_type,
                "sha256": added.sha256,
                "sha512": added.sha512,
            }
        )
    elif added.duplicate:
        console.print(f"{file}: already stored as {added.id}; nothing added")
    else:
        console.print(
            f"{file}: stored as {added.id} ({added.size} bytes, "
            f"{added.media_type}), sha256 {added.sha256}",
            soft_wrap=True,
            highlight=False,
        )


@app.command("list")
def list_(
    source: str | None = typer.Option(None, "--source", help="Only files of this source."),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """List evidence files (at most 1000), oldest first."""
    with opened(db) as archive:
        records = service.list_files(archive, source=source)
    if as_json:
        print_json([_record_json(r) for r in records])
        return
    if not records:
        console.print("no evidence files")
    for record in records:
        console.print(_line(record), highlight=False, soft_wrap=True)


@app.command("show")
def show(
    evidence_id: str = EvidenceArgument,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """One file's record, its derived working copies and its custody log."""
    with opened(db) as archive:
        shown = service.show_file(archive, evidence_id)
    if as_json:
        data = _record_json(shown.record)
        data["derived_copies"] = [_record_json(r) for r in shown.derived]
        data["custody"] = [_custody_json(e) for e in shown.custody]
        print_json(data)
        return
    record = shown.record
    console.print(_line(record), highlight=False, soft_wrap=True)
    if record.meta and record.meta.sha512:
        console.print(f"  sha256 {record.meta.sha256}", soft_wrap=True, highlight=False)
        console.print(f"  sha512 {record.meta.sha512}", soft_wrap=True, highlight=False)
    for copy in shown.derived:
        console.print(f"  working copy: {_line(copy)}", highlight=False, soft_wrap=True)
    for entry in shown.custody:
        if isinstance(entry, str):
            console.print(Text.assemble("  ", (entry, "red")))
            continue
        details = ", ".join(f"{k}: {v}" for k, v in entry.details.items() if v is not None)
        console.print(
            f"  {entry.seq:>3} {entry.at} {entry.actor} {entry.action}"
            + (f" ({details})" if details else ""),
            highlight=False,
            soft_wrap=True,
        )


@app.command("get")
def get(
    evidence_id: str = EvidenceArgument,
    out: Path = typer.Option(..., "--out", "-o", help="Where to write the copy (a new file)."),
    purpose: str = typer.Option(
        ..., "--purpose", help="Why it is taken out (recorded in its custody log)."
    ),
    db: str | None = DbOption,
) -> None:
    """Decrypt a copy of the original file (checked against its hashes) and log the access."""
    with opened(db) as archive, err_console.status("Decrypting and checking"):
        record = service.get_file(archive, evidence_id, out, purpose=purpose)
    err_console.print(
        f"wrote {record.id} to {out}; it is NOT encrypted: keep it safe, delete it when done"
    )


@app.command("link")
def link(
    evidence_id: str = EvidenceArgument,
    source: str = typer.Argument(..., help="The source it supports, e.g. S-000123."),
    db: str | None = DbOption,
) -> None:
    """Link a file that arrived before its source was recorded to that source."""
    with opened(db) as archive:
        record = service.link_file(archive, evidence_id, source)
    console.print(f"{record.id} is linked to {_id(record.source_id, 'source')}")


@app.command("verify")
def verify(db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """Decrypt and re-hash every stored file, check custody logs; exit 1 on any problem."""
    with opened(db) as archive, err_console.status("Decrypting and re-hashing every file"):
        report = verify_files(archive)
    if as_json:
        print_json(
            {
                "checked": report.checked,
                "metadata_only": report.metadata_only,
                "ok": report.ok,
                "problems": report.problems,
            }
        )
    else:
        for problem in report.problems:
            err_console.print(problem, highlight=False, soft_wrap=True)
        verdict = "all intact" if report.ok else f"{len(report.problems)} problems"
        console.print(f"checked {report.checked} evidence files: {verdict}")
    if not report.ok:
        raise typer.Exit(1)


@app.command("export")
def export(
    evidence_ids: list[str] = typer.Argument(
        None, help="Evidence ids to export (or use --source)."
    ),
    out: Path = typer.Option(..., "--out", "-o", help="A new or empty folder for the package."),
    source: str | None = typer.Option(None, "--source", help="Export every file of a source."),
    recipient: str | None = typer.Option(
        None, "--recipient", help="Who receives it (recorded as a transfer in custody)."
    ),
    purpose: str | None = typer.Option(
        None, "--purpose", help="Why it is handed over (recorded in custody)."
    ),
    db: str | None = DbOption,
) -> None:
    """Write a package of original files, manifest, SHA256SUMS/SHA512SUMS and custody log."""
    with opened(db) as archive, err_console.status("Decrypting and checking the files"):
        package = export_package(
            archive,
            out,
            ids=list(evidence_ids or []),
            source=source,
            recipient=recipient,
            purpose=purpose,
        )
    console.print(
        f"wrote {len(package.files)} files to {package.folder}; "
        "check with: sha256sum -c SHA256SUMS (in that folder)"
    )
    err_console.print("the package is NOT encrypted: hand it over as safely as the archive")
