"""``guwah consent``: what a testifier agreed to, recorded, withdrawn and shown."""

from __future__ import annotations

import typer

from guwah.cli.common import DbOption, JsonOption, console, opened, print_json
from guwah.secure.consent import Consent
from guwah.services import consent as service

app = typer.Typer(
    help="A testifier's consent: what may be published (name, testimony text, the victim's "
    "identity) and shared; nothing is published without it.",
    no_args_is_help=True,
)

TargetArgument = typer.Argument(
    ..., help="A source id (S-000012: its testifier's consent for it) or a testifier (P-…)."
)
TestifierOption = typer.Option(
    None, "--testifier", help="The source's testifier (checked against the source)."
)
HowOption = typer.Option(..., "--how", help="How it was given: oral, written or recorded.")
DateOption = typer.Option(None, "--date", help="When it was given (default: not recorded).")
NoteOption = typer.Option(None, "--note", help="A note (where the signed form is, who asked).")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="consent")


def _line(record: Consent) -> str:
    granted = ", ".join(record.grants) or "nothing"
    kind = "withdrawn" if record.withdrawal else "agreed to"
    when = f" on {record.given_on}" if record.given_on else ""
    how = record.how.value if record.how else "?"
    return (
        f"#{record.id} {kind}: {granted} ({how}{when}; "
        f"recorded by {record.recorded_by} at {record.recorded_at})"
    )


@app.command("record")
def record(
    target: str = TargetArgument,
    testifier: str | None = TestifierOption,
    publish_name: bool = typer.Option(
        False, "--publish-name/--no-publish-name", help="The testifier's name may be published."
    ),
    publish_text: bool = typer.Option(
        False,
        "--publish-text/--no-publish-text",
        help="The testimony's text (and quotes from it) may be published.",
    ),
    publish_victim: bool = typer.Option(
        False,
        "--publish-victim/--no-publish-victim",
        help="The victim's identity (name, photo) may be published.",
    ),
    share_with: list[str] = typer.Option(
        [], "--share-with", help="A partner the testimony may be shared with (repeat)."
    ),
    how: str = HowOption,
    date: str | None = DateOption,
    note: str | None = NoteOption,
    db: str | None = DbOption,
) -> None:
    """Record what a testifier agreed to (a new record: the latest one is in force)."""
    with opened(db) as archive:
        entry = service.record(
            archive, target, testifier=testifier, publish_name=publish_name,
            publish_testimony_text=publish_text, publish_victim_identity=publish_victim,
            share_with=share_with, how=how, given_on=date, note=note,
        )  # fmt: skip
    console.print(f"{entry.source_id or entry.testifier_id}: {_line(entry)}", markup=False)


@app.command("withdraw")
def withdraw(
    target: str = TargetArgument,
    testifier: str | None = TestifierOption,
    how: str = HowOption,
    date: str | None = DateOption,
    note: str | None = NoteOption,
    db: str | None = DbOption,
) -> None:
    """Record that a testifier withdrew consent: from now on nothing of theirs is published."""
    with opened(db) as archive:
        entry = service.withdraw(
            archive, target, testifier=testifier, how=how, given_on=date, note=note
        )
    console.print(f"{entry.source_id or entry.testifier_id}: {_line(entry)}", markup=False)


@app.command("show")
def show(
    target: str = TargetArgument, db: str | None = DbOption, as_json: bool = JsonOption
) -> None:
    """Show the consent in force for a source or testifier, and every record behind it."""
    with opened(db) as archive:
        report = service.show(archive, target)
    if as_json:
        print_json(report.as_dict())
        return
    about = f" (testifier {report.testifier})" if report.testifier else ""
    in_force = report.in_force
    granted = ", ".join(in_force.grants) or "nothing may be published"
    console.print(f"{report.target}{about}: {granted}", markup=False, highlight=False)
    if not report.history:
        console.print("no consent recorded: the testifier's identity stays restricted")
    for entry in report.history:
        scope = entry.source_id or f"all testimony of {entry.testifier_id}"
        console.print(f"  {scope}: {_line(entry)}", markup=False, highlight=False)
        if entry.note:
            console.print(f"      note: {entry.note}", markup=False, highlight=False)
