"""The policy applied: every service checks here first, and reads are filtered here.

``check`` lets an action through or refuses it with one line, leaving an ``access.denied``
entry in the audit log (committed even though the command fails). ``disclosure`` gives
the :class:`~guwah.secure.policy.Disclosure` for the signed-in role, with the consent
records it needs. ``audit`` appends an entry with the acting user.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

from sqlalchemy import Connection, select

from guwah.model.errors import AccessDenied, NotFound
from guwah.model.records import format_id
from guwah.model.vocab import Sensitivity
from guwah.secure import consent
from guwah.secure.policy import Action, Disclosure, allowed, is_testifier, max_sensitivity
from guwah.services import auditing
from guwah.services.archive import Archive
from guwah.store import reader, tables
from guwah.store.sql import listed

DENIED = "access.denied"
RESTRICTED_READ = "restricted.read"

_SRC = tables.sources
_TESTIFYING = select(_SRC.c.testifier_id).where(_SRC.c.testifier_id.is_not(None)).distinct()
_TESTIFYING_AMONG = _TESTIFYING.where(listed(_SRC.c.testifier_id))
# the sources speaking of people, through their claims and as their subjects
_SPEAKING = [
    select(table.c.person_id, table.c.source_id).where(listed(table.c.person_id)).distinct()
    for table in (tables.claims, tables.source_subjects)
]


def audit(
    conn: Connection,
    archive: Archive,
    action: str,
    target: str,
    change: dict[str, Any] | None = None,
    covers: Sequence[str] = (),
) -> None:
    """Append an audit entry by the acting user, in the caller's transaction: ``change``
    holds ids, counts and flags only (never secrets or restricted text); ``covers``: the
    records written (their digests are logged)."""
    auditing.record(archive, conn, action, target, change=change, covers=covers)


def check(archive: Archive, action: Action, *, own: bool = False) -> None:
    """Nothing if the signed-in role may take the action; otherwise audit and refuse."""
    if not allowed(archive.principal, action, own=own):
        deny(archive, action.value, f"{action.label} is not allowed for role {role(archive)}")


def audit_read(archive: Archive, target: str, records: Sequence[str]) -> None:
    """Record that restricted data (``records``) was shown to a role allowed to see it."""
    with archive.engine.begin() as conn:
        audit(conn, archive, RESTRICTED_READ, target, {"records": list(records)})


def deny(archive: Archive, target: str, message: str) -> NoReturn:
    """Record the refusal in the audit log, then refuse with one line."""
    with archive.engine.begin() as conn:
        audit(conn, archive, DENIED, target)
    raise AccessDenied(message)


def hidden(archive: Archive, target: str, missing: str) -> NoReturn:
    """Refuse a record the role may not see with the words used for one that does not exist
    (``missing``): whether a restricted record exists is itself worth hiding (that someone
    testified about a person, that a campaign is open). The refusal is audited."""
    with archive.engine.begin() as conn:
        audit(conn, archive, DENIED, target)
    raise NotFound(missing)


def role(archive: Archive) -> str:
    return archive.principal.role.value


def level(archive: Archive) -> Sensitivity:
    return max_sensitivity(archive.principal)


def testifier_ids(conn: Connection, people: Iterable[int] | None = None) -> frozenset[str]:
    """Ids of the people who testified in some source (of these people, or of all)."""
    if people is None:
        found = conn.execute(_TESTIFYING)
    else:
        found = conn.execute(_TESTIFYING_AMONG, {"ids": sorted(set(people))})
    return frozenset(format_id("person", n) for n in found.scalars())


def disclosure(
    conn: Connection,
    archive: Archive,
    *,
    sources: Sequence[int] | None = (),
    people: Sequence[int] = (),
    at: Sensitivity | None = None,
) -> Disclosure:
    """What the signed-in role may see (or ``at`` a lower level, for an export), with the
    consent records of these sources (None: all) and people (as testifiers)."""
    shown = at or level(archive)
    if shown is Sensitivity.RESTRICTED:
        return Disclosure(shown, consent.ConsentBook())
    if sources is None:
        return Disclosure(shown, consent.book(conn), testifier_ids(conn))
    book = consent.merge(consent.book(conn, sources), consent.book_for_people(conn, people))
    return Disclosure(shown, book, testifier_ids(conn, people))


def visible_people(
    conn: Connection, archive: Archive, people: Sequence[int], at: Sensitivity | None = None
) -> set[int]:
    """Of these people, those whose records the signed-in role (or ``at`` a level) may
    see: their level, a testifier's consent, and at the public level a victim's identity."""
    shown = at or level(archive)
    if shown is Sensitivity.RESTRICTED or not people:
        return set(people)
    found = reader.persons(conn, sorted(set(people)), bare=True)  # level and kinds suffice
    if shown is not Sensitivity.PUBLIC:  # the level, and a testifier's own consent
        within = {n: p for n, p in found.items() if p.sensitivity.rank <= shown.rank}
        testifying = testifier_ids(conn, sorted(within))
        speakers = [n for n, p in within.items() if is_testifier(p, testifying)]
        if not speakers:
            return set(within)
        rule = Disclosure(shown, consent.book_for_people(conn, speakers), testifying)
        return {n for n, p in within.items() if rule.person(p)}
    speaking: dict[int, set[int]] = {n: set() for n in found}
    for query in _SPEAKING:
        for row in conn.execute(query, {"ids": sorted(found)}):
            speaking[row.person_id].add(row.source_id)
    numbers = sorted({s for ss in speaking.values() for s in ss})
    sources = reader.sources(conn, numbers, with_subjects=False)
    rule = disclosure(conn, archive, sources=numbers, people=sorted(found), at=shown)
    return {
        n
        for n, person in found.items()
        if rule.person(person, [sources[s] for s in speaking[n] if s in sources])
    }
