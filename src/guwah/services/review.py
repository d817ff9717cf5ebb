"""Duplicates in the archive: find them, and let a reviewer judge them.

``find_duplicates`` runs batch linkage over every person (merged people count as
one) and files each cluster of possible duplicates as a review item. A reviewer then
confirms (the same person), rejects (different people), merges (the same, shown as
one record from now on) or splits a cluster into groups. Every judgement records who
and when; ``undo`` withdraws an item's judgements and merges and reopens it. Later
runs respect standing judgements: a rejected pair is never proposed again, a confirmed
pair stays together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from guwah.model.errors import InvalidInput, NotFound

if TYPE_CHECKING:  # linkage loads pyarrow and Splink: only when deduplicating
    from guwah.match.linkage import LinkRecord
from guwah.model.records import format_id, parse_id
from guwah.secure import coverage
from guwah.secure.audit import ensure_unchanged
from guwah.secure.coverage import Coverage
from guwah.secure.policy import Action
from guwah.services import access
from guwah.services.access import check
from guwah.services.archive import Archive
from guwah.services.auditing import record
from guwah.services.indexing import refresh
from guwah.store import matching, protect, tables
from guwah.store.matching import DIFFERENT, SAME, ReviewItem

DUPLICATES = "duplicates"
STATUSES = ("open", "confirmed", "rejected", "merged", "split", "stale")
_DECISIONS = {
    "confirm": Action.REVIEW_CONFIRM,
    "reject": Action.REVIEW_REJECT,
    "merge": Action.REVIEW_MERGE,
    "split": Action.REVIEW_SPLIT,
}
Progress = Callable[[str, int, int], None]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _number(public_id: str) -> int:
    number = parse_id("person", public_id.strip())
    if number is None:
        raise InvalidInput(f"not a person id: {public_id!r} (expected P-000123)")
    return number


def link_records(conn: Connection) -> list[LinkRecord]:
    """One linkage record per person (merged people inside the kept one)."""
    from guwah.match.linkage import LinkRecord

    absorbed = matching.all_absorbed(conn)
    kept_of = matching.merged_into(conn, absorbed) if absorbed else {}
    names: dict[int, list[str]] = {}
    for row in conn.execute(select(tables.names.c.person_id, tables.names.c.text)):
        names.setdefault(kept_of.get(row.person_id, row.person_id), []).append(row.text)
    ids: dict[int, str] = {}
    keys = tables.name_keys
    for row in conn.execute(select(keys).where(keys.c.key.like("id:%"))):
        ids.setdefault(row.person_id, row.key[3:])
    records = []
    summary = tables.person_summary
    for row in conn.execute(select(summary).order_by(summary.c.person_id)):
        if row.person_id not in names:
            continue
        records.append(
            LinkRecord(
                format_id("person", row.person_id), tuple(names[row.person_id]),
                row.birth_year, row.gender, row.prefecture_code or row.place_code,
                ids.get(row.person_id),
            )
        )  # fmt: skip
    return records


def _pair_ids(a: int, b: int) -> frozenset[str]:
    return frozenset((format_id("person", a), format_id("person", b)))


def find_duplicates(archive: Archive, progress: Progress | None = None) -> dict[str, int]:
    """Fill the review queue with clusters of possible duplicates; returns counts."""
    check(archive, Action.DEDUPE)
    from guwah.match.linkage import link

    with archive.engine.connect() as conn:
        protect.require_keys(conn, "look for duplicates")
        records = link_records(conn)
        judged = matching.standing_judgements(conn)
    must = {_pair_ids(a, b) for (a, b), d in judged.items() if d == SAME}
    cannot = {_pair_ids(a, b) for (a, b), d in judged.items() if d == DIFFERENT}
    result = link(records, must_link=must, cannot_link=cannot, progress=progress)
    at = _now()
    added = kept = 0
    filed: list[int] = []
    with archive.engine.begin() as conn:
        open_items = {item.person_ids: item for item in matching.review_items(conn, "open", 10**9)}
        seen: set[tuple[int, ...]] = set()
        for cluster in result.clusters:
            if len(cluster) < 2:
                continue
            people = tuple(sorted(_number(p) for p in cluster))
            pairs = [
                {"a": p.id_a, "b": p.id_b, "probability": p.probability,
                 "name_score": p.name_score, "reason": p.reason}
                for p in result.pairs if p.id_a in cluster and p.id_b in cluster
            ]  # fmt: skip
            if all(judged.get(matching.ordered(a, b)) == SAME for a, b in combinations(people, 2)):
                continue  # already judged the same in full: nothing to review
            seen.add(people)
            if people in open_items:
                kept += 1
                continue
            scored = [
                p.probability for p in result.pairs if p.id_a in cluster and p.id_b in cluster
            ]
            probability = max((x for x in scored if x is not None), default=1.0)
            details = {"pairs": pairs}
            filed.append(
                matching.add_review_item(conn, DUPLICATES, people, probability, details, at)
            )
            added += 1
        stale = [item for key, item in open_items.items() if key not in seen]
        ensure_unchanged(conn, Coverage().add(coverage.REVIEW, [item.id for item in stale]))
        for item in stale:
            matching.set_review_status(conn, item.id, "stale", None, at)
        covered = Coverage().add(coverage.REVIEW, filed + [item.id for item in stale])
        change = {"new_items": added, "unchanged": kept, "stale": len(stale)}
        record(archive, conn, "review.find", "review", change=change, covers=covered)
    return {"people": len(records), "new_items": added, "unchanged": kept, "stale": len(stale)}


def _open_item(conn: Connection, item_id: int) -> ReviewItem:
    item = matching.review_item(conn, item_id)
    if item is None:
        raise NotFound(f"no review item {item_id}")
    if item.status != "open":
        raise InvalidInput(f"review item {item_id} is {item.status}, not open (undo it first)")
    return item


def decide(
    archive: Archive,
    item_id: int,
    action: str,
    *,
    groups: Sequence[Sequence[str]] = (),
    keep: str | None = None,
    note: str | None = None,
) -> ReviewItem:
    """Confirm, reject, merge or split a review item."""
    check(archive, _DECISIONS.get(action, Action.REVIEW_CONFIRM))
    by, at = archive.actor, _now()
    with archive.engine.begin() as conn:
        item = _open_item(conn, item_id)
        people = list(item.person_ids)
        ensure_unchanged(conn, _covered(item_id, people))
        pairs_all = list(combinations(people, 2))
        details = dict(item.details)
        judgement_ids: list[int] = []
        merge_ids: list[int] = []
        if action == "confirm":
            judgement_ids = matching.add_judgements(conn, pairs_all, SAME, by, at, note)
            status = "confirmed"
        elif action == "reject":
            judgement_ids = matching.add_judgements(conn, pairs_all, DIFFERENT, by, at, note)
            status = "rejected"
        elif action == "merge":
            kept = _number(keep) if keep else min(people)
            if kept not in people:
                raise InvalidInput(f"{keep} is not in review item {item_id}")
            judgement_ids = matching.add_judgements(conn, pairs_all, SAME, by, at, note)
            merge_ids = [matching.add_merge(conn, kept, p, by, at) for p in people if p != kept]
            refresh(conn, people)
            status = "merged"
        elif action == "split":
            numbered = [[_number(p) for p in group] for group in groups]
            listed = [p for group in numbered for p in group]
            if sorted(listed) != sorted(people):
                shown = ", ".join(format_id("person", p) for p in people)
                raise InvalidInput(f"split must place each of {shown} in exactly one group")
            same = [pair for g in numbered for pair in combinations(g, 2)]
            apart = [
                (a, b) for i, g in enumerate(numbered) for h in numbered[i + 1 :]
                for a in g for b in h
            ]  # fmt: skip
            judgement_ids = matching.add_judgements(conn, same, SAME, by, at, note)
            judgement_ids += matching.add_judgements(conn, apart, DIFFERENT, by, at, note)
            details["groups"] = [[format_id("person", p) for p in g] for g in numbered]
            status = "split"
        else:
            raise InvalidInput(f"unknown review action {action!r}")
        details["judgements"] = judgement_ids
        details["merges"] = merge_ids
        matching.set_review_status(conn, item_id, status, by, at, details)
        _audit(archive, conn, f"review.{action}", item_id, people, status)
        decided = matching.review_item(conn, item_id)
    assert decided is not None
    return decided


def _audit(
    archive: Archive,
    conn: Connection,
    action: str,
    item_id: int,
    people: Sequence[int],
    status: str,
) -> None:
    """A decision's entry covers the item and its people (their judgements and merges)."""
    target = coverage.REVIEW.target(item_id)
    covers = _covered(item_id, people)
    record(archive, conn, action, target, change={"status": status}, covers=covers)


def _covered(item_id: int, people: Sequence[int]) -> Coverage:
    return Coverage().add(coverage.REVIEW, [item_id]).add(coverage.PERSON, people)


def undo(archive: Archive, item_id: int) -> ReviewItem:
    """Withdraw a decided item's judgements and merges, and reopen it."""
    check(archive, Action.REVIEW_UNDO)
    by, at = archive.actor, _now()
    with archive.engine.begin() as conn:
        item = matching.review_item(conn, item_id)
        if item is None:
            raise NotFound(f"no review item {item_id}")
        if item.status in ("open", "stale"):
            raise InvalidInput(f"review item {item_id} is {item.status}: nothing to undo")
        ensure_unchanged(conn, _covered(item_id, item.person_ids))
        details = dict(item.details)
        matching.withdraw_judgements(conn, details.pop("judgements", []), by, at)
        undone = matching.undo_merges(conn, details.pop("merges", []), by, at)
        details.pop("groups", None)
        details.setdefault("history", []).append({"undone": item.status, "by": by, "at": at})
        matching.set_review_status(conn, item_id, "open", None, None, details)
        if undone:
            refresh(conn, sorted({p for pair in undone for p in pair}))
        _audit(archive, conn, "review.undo", item_id, item.person_ids, "open")
        reopened = matching.review_item(conn, item_id)
    assert reopened is not None
    return reopened


def list_items(
    archive: Archive, status: str | None = "open", limit: int = 50
) -> list[dict[str, Any]]:
    check(archive, Action.REVIEW_LIST)
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}")
    with archive.engine.connect() as conn:
        items = matching.review_items(conn, status, limit)
        described = _described(conn, items)
        hidden = _restricted_people(conn, items)
    if hidden:
        access.audit_read(archive, "review.list", hidden)
    return described


def show_item(archive: Archive, item_id: int) -> dict[str, Any]:
    """One review item as ``list_items`` describes it (the desk redraws it after a
    decision)."""
    check(archive, Action.REVIEW_LIST)
    with archive.engine.connect() as conn:
        item = matching.review_item(conn, item_id)
        if item is None:
            raise NotFound(f"no review item {item_id}")
        described = _described(conn, [item])[0]
        hidden = _restricted_people(conn, [item])
    if hidden:
        access.audit_read(archive, f"review:{item_id}", hidden)
    return described


def _restricted_people(conn: Connection, items: Sequence[ReviewItem]) -> list[str]:
    """The restricted people the items show side by side (names and facts): their reading
    is audited, as every other read of restricted records is."""
    people = {p for item in items for p in item.person_ids}
    return [
        format_id("person", p) for p in sorted(protect.restricted_ids(conn, tables.persons, people))
    ]


def _described(conn: Connection, items: Sequence[ReviewItem]) -> list[dict[str, Any]]:
    """Items with each person's names (``forms``: each with its script), facts and pairs."""
    ids = sorted({p for item in items for p in item.person_ids})
    summary = tables.person_summary
    rows = {
        r.person_id: r for r in conn.execute(select(summary).where(summary.c.person_id.in_(ids)))
    }
    forms: dict[int, list[dict[str, str]]] = {}
    n = tables.names
    query = select(n.c.person_id, n.c.text, n.c.script).where(n.c.person_id.in_(ids))
    for r in conn.execute(query.order_by(n.c.id)):
        forms.setdefault(r.person_id, []).append({"text": r.text, "script": r.script})
    return [
        {
            "item": item.id,
            "status": item.status,
            "probability": round(item.probability, 3),
            "people": [
                {
                    "id": format_id("person", p),
                    "name": rows[p].display_name if p in rows else None,
                    "names": [f["text"] for f in forms.get(p, [])],
                    "forms": forms.get(p, []),
                    "birth_year": rows[p].birth_year if p in rows else None,
                    "status": rows[p].status if p in rows else None,
                    "place": rows[p].place_code if p in rows else None,
                    "sources": rows[p].n_sources if p in rows else None,
                }
                for p in item.person_ids
            ],
            "pairs": item.details.get("pairs", []),
            "groups": item.details.get("groups", []),
            "decided_by": item.decided_by,
            "decided_at": item.decided_at,
        }
        for item in items
    ]
