"""A campaign as a role sees it (``CaseEntry``: when its next action is due, how long it has
been idle, whether it needs action) and the due dates typed for campaigns."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from guwah.model.dates import parse_date
from guwah.model.errors import InvalidInput
from guwah.model.records import Case, CaseAction
from guwah.model.vocab import CaseStatus

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class CaseEntry:
    """A campaign as the signed-in role sees it, with what decides whether it needs action."""

    case: Case
    name: str | None  # the person's name as the role may see it (None: not known)
    today: dt.date
    next_due: dt.date | None = field(init=False)  # the earliest due day of an open action
    last_activity: dt.date | None = field(init=False)  # the latest action, else creation

    def __post_init__(self) -> None:
        dues = [d for a in self.case.actions if not a.done and (d := due_day(a.due)) is not None]
        self.next_due = min(dues, default=None)
        days = [activity_day(a, self.today) for a in self.case.actions]
        if not days and self.case.created_at is not None:
            days = [self.case.created_at.date()]
        self.last_activity = max(days, default=None)

    @property
    def id(self) -> str:
        return self.case.id

    @property
    def closed(self) -> bool:
        return self.case.status is CaseStatus.CLOSED

    @property
    def overdue(self) -> bool:
        return not self.closed and self.next_due is not None and self.next_due < self.today

    def due_by(self, day: dt.date) -> bool:
        return not self.closed and self.next_due is not None and self.next_due <= day

    @property
    def idle_days(self) -> int | None:
        return (self.today - self.last_activity).days if self.last_activity else None

    def action_overdue(self, action: CaseAction) -> bool:
        day = due_day(action.due)
        return not action.done and day is not None and day < self.today

    def sort_key(self) -> tuple[Any, ...]:
        """Due soonest first (overdue before due), then the longest idle, then by id."""
        due = self.next_due or dt.date.max
        idle = self.last_activity or dt.date.min
        return (self.closed, self.next_due is None, due, idle, self.case.id)

    def as_dict(self) -> dict[str, Any]:
        case = self.case
        return {
            "id": case.id,
            "person": case.person_id,
            "name": self.name,
            "status": case.status.value,
            "owner": case.owner,
            "next_steps": case.next_steps,
            "next_due": _day(self.next_due),
            "overdue": self.overdue,
            "last_activity": _day(self.last_activity),
            "actions": [
                {
                    "number": number,
                    "kind": a.kind.value,
                    "description": a.description,
                    "date": a.date,
                    "due": a.due,
                    "done": a.done,
                    "overdue": self.action_overdue(a),
                    "recorded_by": a.recorded_by,
                    "recorded_at": a.recorded_at.isoformat() if a.recorded_at else None,
                }
                for number, a in enumerate(case.actions, start=1)
            ],
            "created_at": case.created_at.isoformat() if case.created_at else None,
            "updated_at": case.updated_at.isoformat() if case.updated_at else None,
        }


@dataclass
class CaseList:
    entries: list[CaseEntry]
    total: int  # how many matched (the entries are one page of them)


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def due_day(text: str | None) -> dt.date | None:
    """The day an action is due: an ISO day, or the last day of an older EDTF due date."""
    if not text:
        return None
    try:
        if _ISO_DAY.fullmatch(text):
            return dt.date.fromisoformat(text)
        return parse_date(text).upper
    except (ValueError, InvalidInput):
        return None


def activity_day(action: CaseAction, today: dt.date) -> dt.date:
    """When an action happened: the latest day its date can mean (never after today),
    else the day it was recorded."""
    if action.date:
        try:
            return min(parse_date(action.date).upper, today)
        except InvalidInput:
            pass
    return action.recorded_at.date() if action.recorded_at else today


def parse_due(text: str | None) -> str | None:
    """A due date as typed: an ISO day (2024-03-31), or None when left empty."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    try:
        if not _ISO_DAY.fullmatch(cleaned):
            raise ValueError
        day = dt.date.fromisoformat(cleaned)
    except ValueError:
        raise InvalidInput(
            f"not a valid due date: {cleaned!r} (use YYYY-MM-DD, e.g. 2024-03-31)"
        ) from None
    if not 1900 <= day.year <= 2200:
        raise InvalidInput(f"due date out of range: {cleaned!r}")
    return day.isoformat()
