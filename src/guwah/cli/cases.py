"""``guwah case``: campaigns (a victim's advocacy file): list, show, open, change, add
actions and mark them done."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from guwah.cli.common import DbOption, JsonOption, console, opened, print_json
from guwah.model.vocab import ActionKind, CaseStatus
from guwah.services import cases as service
from guwah.services.case_entry import CaseEntry, parse_due

app = typer.Typer(
    help="Campaigns: each victim's advocacy file, with its status, owner, next steps and "
    "actions with due dates; and the list of campaigns needing action.",
    no_args_is_help=True,
)

STATUSES = ", ".join(s.value for s in CaseStatus)
KINDS = ", ".join(k.value for k in ActionKind)
CaseArgument = typer.Argument(..., help="A campaign id such as K-000012.")
OwnerOption = typer.Option(
    None, "--owner", help="Who looks after the campaign (an empty value clears it)."
)
StepsOption = typer.Option(
    None, "--next-steps", help="What is to be done next (an empty value clears it)."
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="case")


def _print(entry: CaseEntry) -> None:
    case = entry.case
    who = f" ({entry.name})" if entry.name else ""
    console.print(f"{case.id}  {case.person_id}{who}  [{case.status.value}]", highlight=False)
    console.print(f"owner: {case.owner or '-'}", highlight=False)
    if case.next_steps:
        console.print(f"next steps: {case.next_steps}", highlight=False, soft_wrap=True)
    if entry.next_due:
        late = " (overdue)" if entry.overdue else ""
        console.print(f"next due: {entry.next_due.isoformat()}{late}", highlight=False)
    if not case.actions:
        console.print("no actions yet")
    for number, action in enumerate(case.actions, start=1):
        mark = "x" if action.done else " "
        when = f" {action.date}" if action.date else ""
        due = f" due {action.due}" if action.due else ""
        late = " OVERDUE" if entry.action_overdue(action) else ""
        console.print(
            f"  {number}. [{mark}] {action.kind.value}{when}{due}{late}: {action.description}",
            highlight=False,
            soft_wrap=True,
        )


def _show(entry: CaseEntry, as_json: bool) -> None:
    if as_json:
        print_json(entry.as_dict())
    else:
        _print(entry)


@app.command("list")
def list_(
    status: str | None = typer.Option(None, "--status", help=f"Only this status: {STATUSES}."),
    owner: str | None = typer.Option(None, "--owner", help="Only campaigns of this owner."),
    needing: bool = typer.Option(
        False,
        "--needing-action",
        help=f"Only those needing action: an open action due within {service.DUE_SOON_DAYS} "
        f"days (or overdue), or nothing done for {service.IDLE_DAYS} days.",
    ),
    due_by: str | None = typer.Option(
        None, "--due-by", help="Needing action: an open action due on or before this day."
    ),
    idle_days: int | None = typer.Option(
        None, "--idle-days", help="Needing action: nothing done for this many days."
    ),
    limit: int = typer.Option(
        100, "--limit", help=f"At most this many (up to {service.MAX_LIMIT})."
    ),
    offset: int = typer.Option(0, "--offset", help="Skip this many (paging)."),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """List campaigns, due soonest first (then the longest without any action)."""
    today = dt.date.today()
    day = dt.date.fromisoformat(parsed) if (parsed := parse_due(due_by)) else None
    if needing:
        day = day or today + dt.timedelta(days=service.DUE_SOON_DAYS)
        idle_days = idle_days or service.IDLE_DAYS
    with opened(db) as archive:
        found = service.list_cases(
            archive, status=status, owner=owner, due_by=day, idle_days=idle_days,
            today=today, limit=limit, offset=offset,
        )  # fmt: skip
    if as_json:
        print_json({"total": found.total, "cases": [e.as_dict() for e in found.entries]})
        return
    if not found.entries:
        console.print("no campaigns found")
        return
    table = Table("case", "person", "name", "status", "owner", "next due", "last action")
    for entry in found.entries:
        due = entry.next_due.isoformat() if entry.next_due else ""
        table.add_row(
            entry.id, entry.case.person_id, entry.name or "", entry.case.status.value,
            entry.case.owner or "", due + (" overdue" if entry.overdue else ""),
            entry.last_activity.isoformat() if entry.last_activity else "",
        )  # fmt: skip
    console.print(table)
    if found.total > offset + len(found.entries):
        console.print(f"{found.total} in all; see more with --offset {offset + len(found.entries)}")


@app.command("show")
def show(
    case_id: str = CaseArgument, db: str | None = DbOption, as_json: bool = JsonOption
) -> None:
    """Show a campaign: its person, status, owner, next steps and numbered actions."""
    with opened(db) as archive:
        _show(service.get_case(archive, case_id), as_json)


@app.command("open")
def open_(
    person_id: str = typer.Argument(..., help="The victim, e.g. P-000012."),
    status: str = typer.Option("open", "--status", help=f"Its status: {STATUSES}."),
    owner: str | None = OwnerOption,
    next_steps: str | None = StepsOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Open the campaign of a victim who has none yet."""
    with opened(db) as archive:
        entry = service.open_case(
            archive, person_id, status=status, owner=owner, next_steps=next_steps
        )
    _show(entry, as_json)


@app.command("status")
def status(
    case_id: str = CaseArgument,
    new_status: str | None = typer.Argument(None, help=f"The new status: {STATUSES}."),
    owner: str | None = OwnerOption,
    next_steps: str | None = StepsOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Change a campaign's status, owner or next steps."""
    with opened(db) as archive:
        entry = service.update_case(
            archive, case_id, status=new_status, owner=owner, next_steps=next_steps
        )
    _show(entry, as_json)


@app.command("action")
def action(
    case_id: str = CaseArgument,
    kind: str = typer.Argument(..., help=f"What kind of action: {KINDS}."),
    description: str = typer.Argument(..., help="What was done or is to be done."),
    date: str | None = typer.Option(None, "--date", help="When it was done (EDTF: 2024-03)."),
    due: str | None = typer.Option(None, "--due", help="When it is due (YYYY-MM-DD)."),
    done: bool = typer.Option(False, "--done", help="It is done already."),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Add an action to a campaign: one taken (--date, --done) or planned (--due)."""
    with opened(db) as archive:
        entry = service.add_action(
            archive, case_id, kind, description, date=date, due=due, done=done
        )
    _show(entry, as_json)


@app.command("done")
def done(
    case_id: str = CaseArgument,
    number: int = typer.Argument(..., help="The action's number, as `guwah case show` lists."),
    undo: bool = typer.Option(False, "--undo", help="Mark it not done again."),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Mark a campaign's action done."""
    with opened(db) as archive:
        entry = service.set_done(archive, case_id, number, done=not undo)
    _show(entry, as_json)
