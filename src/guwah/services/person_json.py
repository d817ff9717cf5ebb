"""A person's record as one JSON document: what ``guwah show --json`` prints and what the
API's ``/api/v1/persons/{id}`` answers, so that scripts see the same thing either way.

It takes a :class:`~guwah.services.query.PersonDetail`, which ``show_person`` has already
cut down to what the signed-in role may see: nothing here decides what is shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from guwah.model.records import Case, Claim, Source
from guwah.model.view import ViewValue
from guwah.services.jsonl import name_to_json
from guwah.services.query import PersonDetail


def _time(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def claim_json(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "kind": claim.kind.value,
        "value": claim.value,
        "date": claim.date,
        "place": claim.place_code or claim.place_text,
        "quote": claim.quote,
        "status": claim.status.value,
        "source": claim.source_id,
        "supersedes": claim.supersedes,
        "recorded_by": claim.recorded_by,
        "recorded_at": _time(claim.recorded_at),
    }


def _value(value: ViewValue) -> dict[str, Any]:
    return {
        "value": value.text,
        "claims": value.claim_ids,
        "sources": value.source_ids,
        "corroboration": value.corroboration,
    }


def _source(source: Source) -> dict[str, Any]:
    return {
        "kind": source.kind.value,
        "title": source.title,
        "date": source.date,
        "testifier": source.testifier_id,
        "sensitivity": source.sensitivity.value,
    }


def _case(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "status": case.status.value,
        "owner": case.owner,
        "next_steps": case.next_steps,
        "actions": [
            {"kind": a.kind.value, "date": a.date, "description": a.description, "done": a.done}
            for a in case.actions
        ],
    }


def detail_json(detail: PersonDetail) -> dict[str, Any]:
    """The person, their names by source, the current view with the sources behind each
    value (and the conflicting values beside it), every claim, sources and cases."""
    person, view = detail.person, detail.view
    return {
        "id": person.id,
        "merged": detail.merged,
        "asked_for": detail.asked_for,
        "kinds": [k.value for k in person.kinds],
        "sensitivity": person.sensitivity.value,
        "names": [name_to_json(n) for n in person.names],
        "external_refs": [f"{r.namespace}:{r.ref}" for r in person.external_refs],
        "view": {
            "best_name": view.best_name,
            "status": view.status.value,
            "fields": {
                name: {
                    **_value(field.best),
                    "conflicting": [_value(v) for v in field.conflicting],
                }
                for name, field in view.fields.items()
            },
        },
        "claims": [claim_json(c) for c in detail.claims],
        "related_by_others": [
            {"id": c.id, "person": c.person_id, "relation": c.value.get("relation")}
            for c in detail.claims_about
        ],
        "sources": {sid: _source(s) for sid, s in detail.sources.items()},
        "cases": [_case(c) for c in detail.cases],
    }
