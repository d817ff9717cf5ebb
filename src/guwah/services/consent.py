"""Recording, withdrawing and showing a testifier's consent (``guwah consent``).

A consent is about a source (``S-…``: its testifier, who agreed for that testimony) or a
testifier (``P-…``: for everything they testified). Every change is a new record; the
latest that applies is in force (guwah.secure.consent). Publication reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection

from guwah.model.dates import normalise_date
from guwah.model.errors import InvalidInput, NotFound
from guwah.model.records import format_id, parse_id
from guwah.secure import consent as store
from guwah.secure.consent import Consent, How
from guwah.secure.policy import Action
from guwah.services.access import audit, check
from guwah.services.archive import Archive
from guwah.store import reader
from guwah.store.convert import now_text

MAX_PARTNERS = 50


@dataclass
class ConsentReport:
    """The consent in force for a source or testifier, and every record behind it."""

    target: str
    testifier: str | None
    in_force: Consent
    history: list[Consent] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "target": self.target,
            "testifier": self.testifier,
            "in_force": self.in_force.as_dict(),
            "history": [record.as_dict() for record in self.history],
        }


@dataclass(frozen=True)
class Scope:
    source: int | None
    testifier: int | None

    @property
    def source_id(self) -> str | None:
        return format_id("source", self.source) if self.source else None

    @property
    def testifier_id(self) -> str | None:
        return format_id("person", self.testifier) if self.testifier else None


def _scope(conn: Connection, target: str, testifier: str | None) -> Scope:
    """What a consent is about: a source (with its testifier) or a testifier."""
    source_number = parse_id("source", target)
    person_number = parse_id("person", target)
    if source_number is None and person_number is None:
        raise InvalidInput(f"not a source or person id: {target!r} (expected S-000012 or P-000034)")
    if person_number is not None:
        if testifier is not None:
            raise InvalidInput("--testifier goes with a source id (S-…), not a person id")
        if person_number not in reader.persons(conn, [person_number]):
            raise NotFound(f"no person {format_id('person', person_number)} in the archive")
        return Scope(None, person_number)
    assert source_number is not None
    found = reader.sources(conn, [source_number], with_subjects=False).get(source_number)
    if found is None:
        raise NotFound(f"no source {format_id('source', source_number)} in the archive")
    linked = parse_id("person", found.testifier_id) if found.testifier_id else None
    if testifier is not None:
        wanted = parse_id("person", testifier)
        if wanted is None:
            raise InvalidInput(f"not a person id: {testifier!r} (expected P-000034)")
        if wanted != linked:
            raise InvalidInput(f"{format_id('person', wanted)} is not the testifier of {found.id}")
    return Scope(source_number, linked)


def _how(how: str) -> How:
    try:
        return How(how)
    except ValueError:
        choices = ", ".join(h.value for h in How)
        raise InvalidInput(f"--how must be one of {choices}, not {how!r}") from None


def _partners(names: list[str]) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(n.strip() for n in names if n.strip()))
    if len(cleaned) > MAX_PARTNERS or any(len(n) > 200 for n in cleaned):
        raise InvalidInput(f"--share-with takes at most {MAX_PARTNERS} names of 200 characters")
    return cleaned


def record(
    archive: Archive,
    target: str,
    *,
    testifier: str | None = None,
    publish_name: bool = False,
    publish_testimony_text: bool = False,
    publish_victim_identity: bool = False,
    share_with: list[str] | None = None,
    how: str,
    given_on: str | None = None,
    note: str | None = None,
    withdrawal: bool = False,
) -> Consent:
    """Record what the testifier agreed to (a withdrawal: nothing), as a new record."""
    check(archive, Action.CONSENT_WITHDRAW if withdrawal else Action.CONSENT_RECORD)
    method = _how(how)
    partners = _partners(share_with or [])
    date = normalise_date(given_on) if given_on else None
    if note is not None and len(note) > 2000:
        raise InvalidInput("--note is too long (2000 characters at most)")
    with archive.engine.begin() as conn:
        scope = _scope(conn, target, testifier)
        entry = Consent(
            publish_name=publish_name and not withdrawal,
            publish_testimony_text=publish_testimony_text and not withdrawal,
            publish_victim_identity=publish_victim_identity and not withdrawal,
            share_with=() if withdrawal else partners,
            withdrawal=withdrawal,
            source_id=scope.source_id,
            testifier_id=scope.testifier_id,
            how=method,
            given_on=date,
            note=note,
            recorded_by=archive.actor,
            recorded_at=now_text(),
        )
        number = store.add(conn, entry)
        change = {"consent": number, "grants": entry.grants, "how": method.value}
        targets = [t for t in (scope.source_id, scope.testifier_id) if t]
        action = "consent.withdraw" if withdrawal else "consent.record"
        audit(conn, archive, action, targets[0], {**change, "about": targets}, targets)
        history = store.history(conn, source=scope.source, testifier=scope.testifier)
    return next(r for r in history if r.id == number)


def withdraw(
    archive: Archive,
    target: str,
    *,
    testifier: str | None = None,
    how: str,
    given_on: str | None = None,
    note: str | None = None,
) -> Consent:
    """Record that the testifier withdrew their consent: nothing is published from now."""
    return record(
        archive, target, testifier=testifier, how=how, given_on=given_on, note=note,
        withdrawal=True,
    )  # fmt: skip


def show(archive: Archive, target: str) -> ConsentReport:
    """The consent in force for a source or testifier, with its history."""
    check(archive, Action.CONSENT_SHOW)
    with archive.engine.connect() as conn:
        scope = _scope(conn, target, None)
        history = store.history(conn, source=scope.source, testifier=scope.testifier)
        if scope.source is not None:  # records about this source, or its testifier in general
            history = [r for r in history if r.source_id in (None, scope.source_id)]
            in_force = store.book(conn, [scope.source]).of_source(scope.source_id or "")
        else:
            in_force = store.ConsentBook(history).of_testifier(scope.testifier_id or "")
    name = scope.source_id or scope.testifier_id or target
    return ConsentReport(name, scope.testifier_id, in_force, history)
