"""Campaigns: the advocacy file of a victim (its status, owner, next steps, and the actions
taken or planned, with due dates), and the list of campaigns that need action.

A campaign needs action when one of its open actions is due on or before a day (overdue,
or due soon), or when nothing has been done for it for some days. Campaign plans can
name relatives still in China, so campaigns are read at the role's level (never at the
public level) and their free text is sealed on PostgreSQL. Every change checks the
policy, refuses a record changed behind the audit log's back, and is logged with the
case's new state covered, so ``guwah audit verify`` checks it.

Actions have no id of their own: they are numbered 1, 2, 3... within their case, in the
order they were recorded (they are never deleted, so a number keeps its action).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from guwah.model.dates import normalise_date
from guwah.model.errors import AccessDenied, InvalidInput, NotFound
from guwah.model.records import Case, format_id, parse_id
from guwah.model.vocab import ActionKind, CaseStatus, PersonKind, Sensitivity
from guwah.secure.audit import ensure_unchanged
from guwah.secure.policy import Action
from guwah.services import access
from guwah.services.access import check
from guwah.services.archive import Archive
from guwah.services.auditing import record
from guwah.services.case_entry import CaseEntry, CaseList, parse_due
from guwah.services.drafts import enum_value, text_or_none
from guwah.store import ids, matching, protect, reader, tables, writer
from guwah.store.convert import case_from_row, now_text

DUE_SOON_DAYS = 14  # "needing action": open actions due within this many days
IDLE_DAYS = 90  # ... or nothing done for this many days
MAX_LIMIT = 500
OWNER_LIMIT = 128
NEXT_STEPS_LIMIT = 4000
DESCRIPTION_LIMIT = 2000


def _text(raw: str | None, what: str, limit: int) -> str | None:
    """Free text as typed, trimmed, with a browser's CRLF line ends made plain LF."""
    return text_or_none(raw.replace("\r\n", "\n") if raw else raw, what, limit)


def case_status(raw: str | CaseStatus) -> CaseStatus:
    status: CaseStatus = enum_value(CaseStatus, raw, "case status")
    return status


def _number(public_id: str) -> int:
    number = parse_id("case", public_id)
    if number is None:
        raise InvalidInput(f"not a case id: {public_id!r} (expected K-000123)")
    return number


def _load(conn: Connection, public_id: str) -> Case:
    number = _number(public_id)
    row = conn.execute(select(tables.cases).where(tables.cases.c.id == number)).first()
    if row is None:
        raise NotFound(f"no case {format_id('case', number)} in the archive")
    actions = tables.case_actions
    query = select(actions).where(actions.c.case_id == number).order_by(actions.c.id)
    return case_from_row(row, list(conn.execute(query)))


def _names(conn: Connection, people: Sequence[int]) -> dict[int, str]:
    summary = tables.person_summary
    found: dict[int, str] = {}
    for start in range(0, len(people), reader.BATCH):
        chunk = list(people[start : start + reader.BATCH])
        query = select(summary.c.person_id, summary.c.display_name).where(
            summary.c.person_id.in_(chunk)
        )
        found.update((row.person_id, row.display_name) for row in conn.execute(query))
    return found


def _person_of(case: Case) -> int:
    return parse_id("person", case.person_id) or 0


@dataclass
class _Seen:
    """Of some people, those the role may see, and those only the restricted level sees."""

    visible: set[int]
    restricted: set[int]


def _seen(conn: Connection, archive: Archive, people: Sequence[int]) -> _Seen:
    shown = access.level(archive)
    if shown is Sensitivity.PUBLIC:  # campaigns are never shown at the public level
        return _Seen(set(), set())
    visible = access.visible_people(conn, archive, people)
    restricted: set[int] = set()
    if shown is Sensitivity.RESTRICTED:
        below = access.visible_people(conn, archive, people, Sensitivity.INTERNAL)
        restricted = set(people) - below
    return _Seen(visible, restricted)


def _audit_restricted(archive: Archive, reads: Sequence[tuple[str, str]]) -> None:
    """Record each campaign of a restricted person shown to a role allowed to see it."""
    if not reads:
        return
    with archive.engine.begin() as conn:
        for case_id, person_id in reads:
            access.audit(conn, archive, access.RESTRICTED_READ, case_id, {"person": person_id})


def _not_shown(archive: Archive, case: Case) -> None:
    access.hidden(archive, case.id, f"no case {case.id} in the archive")


# --- reading -------------------------------------------------------------------------------


def list_cases(
    archive: Archive,
    *,
    status: str | CaseStatus | None = None,
    owner: str | None = None,
    due_by: dt.date | None = None,
    idle_days: int | None = None,
    today: dt.date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> CaseList:
    """The campaigns the role may see, due soonest first. With ``due_by`` or ``idle_days``
    only those needing action: not closed, and an open action due on or before ``due_by``
    or nothing done for ``idle_days`` days."""
    check(archive, Action.CASE_LIST)
    wanted = case_status(status) if status else None
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise InvalidInput(f"limit must be from 1 to {MAX_LIMIT} and offset at least 0")
    if idle_days is not None and not 1 <= idle_days <= 36500:
        raise InvalidInput(f"impossible number of idle days {idle_days}")
    owner = (owner or "").strip() or None
    day = today or dt.date.today()
    with archive.engine.connect() as conn:
        cases = [
            c
            for c in reader.all_cases(conn)
            if (wanted is None or c.status is wanted) and (owner is None or c.owner == owner)
        ]
        seen = _seen(conn, archive, sorted({_person_of(c) for c in cases}))
        cases = [c for c in cases if _person_of(c) in seen.visible]
        entries = [CaseEntry(c, None, day) for c in cases]
        if due_by is not None or idle_days is not None:
            entries = [e for e in entries if _needs_action(e, due_by, idle_days)]
        entries.sort(key=CaseEntry.sort_key)
        page = entries[offset : offset + limit]
        names = _names(conn, sorted({_person_of(e.case) for e in page}))
    for entry in page:
        entry.name = names.get(_person_of(entry.case))
    reads = [(e.id, e.case.person_id) for e in page if _person_of(e.case) in seen.restricted]
    _audit_restricted(archive, reads)
    return CaseList(page, len(entries))


def _needs_action(entry: CaseEntry, due_by: dt.date | None, idle_days: int | None) -> bool:
    if entry.closed:
        return False
    if due_by is not None and entry.due_by(due_by):
        return True
    idle = entry.idle_days
    return idle_days is not None and (idle is None or idle >= idle_days)


def get_case(archive: Archive, public_id: str, *, today: dt.date | None = None) -> CaseEntry:
    """One campaign in full, if the role may see its person."""
    check(archive, Action.CASE_SHOW)
    with archive.engine.connect() as conn:
        case = _load(conn, public_id)
        person = _person_of(case)
        seen = _seen(conn, archive, [person])
        name = _names(conn, [person]).get(person)
    if person not in seen.visible:
        _not_shown(archive, case)
    if person in seen.restricted:
        _audit_restricted(archive, [(case.id, case.person_id)])
    return CaseEntry(case, name, today or dt.date.today())


def _existing(conn: Connection, person: int) -> Case | None:
    kept = matching.merged_into(conn, [person]).get(person, person)
    group = [kept, *matching.members(conn, [kept]).get(kept, [])]
    cases = reader.cases_of(conn, group)
    return cases[0] if cases else None


# --- writing -------------------------------------------------------------------------------


def open_case(
    archive: Archive,
    person_id: str,
    *,
    status: str | CaseStatus = CaseStatus.OPEN,
    owner: str | None = None,
    next_steps: str | None = None,
) -> CaseEntry:
    """Open the campaign of a victim who has none (one per person, merged people included)."""
    check(archive, Action.CASE_OPEN)
    number = parse_id("person", person_id)
    if number is None:
        raise InvalidInput(f"not a person id: {person_id!r} (expected P-000123)")
    state = case_status(status)
    owner_text = _text(owner, "owner", OWNER_LIMIT)
    steps = _text(next_steps, "next steps", NEXT_STEPS_LIMIT)
    with archive.engine.begin() as conn:
        # numbers first: the counter's row lock queues two editors opening the same
        # person's campaign, so the second one sees the first one's case below
        case_number = ids.allocate(conn, "case")
        pid = format_id("person", number)
        person = reader.persons(conn, [number]).get(number)
        if person is None or number not in _seen(conn, archive, [number]).visible:
            raise NotFound(f"no person {pid} in the archive")
        kept = matching.merged_into(conn, [number]).get(number, number)
        if kept != number:
            raise InvalidInput(
                f"{pid} was merged into {format_id('person', kept)}: open the campaign there"
            )
        if PersonKind.VICTIM not in person.kinds:
            raise InvalidInput(f"{pid} is not recorded as a victim: a campaign is for a victim")
        existing = _existing(conn, number)
        if existing is not None:
            raise InvalidInput(f"{pid} already has a campaign: {existing.id}")
        now = now_text()
        row = {
            "id": case_number, "person_id": number, "status": state.value,
            "owner": owner_text, "next_steps": steps, "created_at": now, "updated_at": now,
        }  # fmt: skip
        writer.insert_rows(conn, tables.cases, [row])
        case_id = format_id("case", case_number)
        change = {"person": pid, "status": state.value}
        record(archive, conn, "case.open", case_id, change=change, covers=[case_id])
        case = _load(conn, case_id)
        name = _names(conn, [number]).get(number)
    return CaseEntry(case, name, dt.date.today())


def update_case(
    archive: Archive,
    public_id: str,
    *,
    status: str | CaseStatus | None = None,
    owner: str | None = None,
    next_steps: str | None = None,
) -> CaseEntry:
    """Change a campaign's status, owner or next steps (None: leave as is; empty text:
    clear it). Nothing is written when nothing changes."""
    check(archive, Action.CASE_STATUS)
    if status is None and owner is None and next_steps is None:
        raise InvalidInput("nothing to change: give a status, an owner or next steps")
    state = case_status(status) if status is not None else None
    owner_text = _text(owner, "owner", OWNER_LIMIT)
    steps = _text(next_steps, "next steps", NEXT_STEPS_LIMIT)
    with archive.engine.begin() as conn:
        case = _writable(conn, archive, public_id)
        values: dict[str, Any] = {}
        change: dict[str, object] = {}
        if state is not None and state is not case.status:
            values["status"] = state.value
            change["status"] = [case.status.value, state.value]
        if owner is not None and owner_text != case.owner:
            values["owner"] = owner_text
            change["owner"] = True  # the log holds flags, never the text
        if next_steps is not None and steps != case.next_steps:
            values["next_steps"] = steps
            change["next_steps"] = True
        if values:
            _touch(conn, case, values)
            record(archive, conn, "case.update", case.id, change=change, covers=[case.id])
        return _entry(conn, case.id)


def add_action(
    archive: Archive,
    public_id: str,
    kind: str | ActionKind,
    description: str,
    *,
    date: str | None = None,
    due: str | None = None,
    done: bool = False,
) -> CaseEntry:
    """Record an action taken (``date``, EDTF) or planned (``due``, an ISO day)."""
    check(archive, Action.CASE_ACTION)
    action_kind: ActionKind = enum_value(ActionKind, kind, "action kind")
    text = _text(description, "description", DESCRIPTION_LIMIT)
    if text is None:
        raise InvalidInput("an action needs a description")
    when = normalise_date(date)
    due_on = parse_due(due)
    with archive.engine.begin() as conn:
        case = _writable(conn, archive, public_id)
        row = {
            "case_id": _number(case.id), "kind": action_kind.value, "description": text,
            "date_edtf": when, "due": due_on, "done": done,
            "recorded_by": archive.actor, "recorded_at": now_text(),
        }  # fmt: skip
        writer.insert_rows(conn, tables.case_actions, [row])
        _touch(conn, case, {})
        number = len(case.actions) + 1
        change = {"action": number, "kind": action_kind.value, "due": due_on, "done": done}
        record(archive, conn, "case.action", case.id, change=change, covers=[case.id])
        return _entry(conn, case.id)


def set_done(archive: Archive, public_id: str, number: int, done: bool = True) -> CaseEntry:
    """Mark a campaign's action (by its number, from 1) done, or not done again."""
    check(archive, Action.CASE_DONE)
    with archive.engine.begin() as conn:
        case = _writable(conn, archive, public_id)
        if not 1 <= number <= len(case.actions):
            has = f"it has {len(case.actions)}" if case.actions else "it has none"
            raise NotFound(f"{case.id} has no action {number} ({has})")
        if case.actions[number - 1].done is not done:
            actions = tables.case_actions
            query = select(actions.c.id).where(actions.c.case_id == _number(case.id))
            row_id = list(conn.execute(query.order_by(actions.c.id)).scalars())[number - 1]
            conn.execute(update(actions).where(actions.c.id == row_id).values(done=done))
            _touch(conn, case, {})
            change = {"action": number, "done": done}
            record(archive, conn, "case.done", case.id, change=change, covers=[case.id])
        return _entry(conn, case.id)


def _writable(conn: Connection, archive: Archive, public_id: str) -> Case:
    """The case to change: shown to the role, and unchanged since the log last saw it."""
    case = _load(conn, public_id)
    if _person_of(case) not in _seen(conn, archive, [_person_of(case)]).visible:
        # (editors see every level; this guards a role that may edit but not see all)
        raise AccessDenied(f"{case.id} is not shown to role {access.role(archive)}")
    ensure_unchanged(conn, [case.id])
    return case


def _touch(conn: Connection, case: Case, values: dict[str, Any]) -> None:
    """Update the case row (its free text sealed on PostgreSQL) and its time of change."""
    cases = tables.cases
    row = {**values, "updated_at": now_text()}
    if "next_steps" in row:  # (sealing needs the keys: a locked archive refuses)
        (row,) = protect.seal_rows(conn, cases, [row])
    conn.execute(update(cases).where(cases.c.id == _number(case.id)).values(**row))


def _entry(conn: Connection, public_id: str) -> CaseEntry:
    case = _load(conn, public_id)
    person = _person_of(case)
    return CaseEntry(case, _names(conn, [person]).get(person), dt.date.today())
