"""The JSON Lines form of every record (docs/formats.md section 4), both directions.

``*_to_json`` give the exported objects; ``*_rows`` turn an exported object back into
table rows with the same ids, for a restore that round-trips byte for byte.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Row

from guwah.model.claimvalues import check_value, describe_value
from guwah.model.dates import normalise_date, parse_date
from guwah.model.errors import InvalidInput
from guwah.model.records import (
    Case,
    Claim,
    EvidenceFile,
    NameForm,
    Person,
    Source,
    parse_id,
)
from guwah.model.vocab import (
    ActionKind,
    CaseStatus,
    ClaimKind,
    ClaimStatus,
    NameKind,
    PersonKind,
    Script,
    Sensitivity,
    SourceKind,
)
from guwah.services.drafts import enum_value
from guwah.store.writer import claim_fingerprint


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def place_to_json(row: Row[Any]) -> dict[str, Any]:
    return {
        "type": "place",
        "code": row.code,
        "kind": row.kind,
        "parent": row.parent,
        "admin_code": row.admin_code,
        "names": json.loads(row.names_json),
        "aliases": [a for a in row.aliases.split("|") if a],
    }


def name_to_json(name: NameForm) -> dict[str, Any]:
    """A name form as the JSON Lines export, ``guwah show --json`` and the API write it."""
    return {
        "text": name.text,
        "script": name.script.value,
        "lang": name.lang,
        "kind": name.kind.value,
        "source": name.source_id,
    }


def person_to_json(person: Person) -> dict[str, Any]:
    return {
        "type": "person",
        "id": person.id,
        "kinds": [k.value for k in person.kinds],
        "sensitivity": person.sensitivity.value,
        "external_refs": [{"namespace": r.namespace, "ref": r.ref} for r in person.external_refs],
        "names": [name_to_json(n) for n in person.names],
        "created_at": _time(person.created_at),
        "created_by": person.created_by,
    }


def source_to_json(source: Source) -> dict[str, Any]:
    return {
        "type": "source",
        "id": source.id,
        "kind": source.kind.value,
        "title": source.title,
        "date": source.date,
        "language": source.language,
        "url": source.url,
        "archive_ref": source.archive_ref,
        "testifier": source.testifier_id,
        "subjects": [{"person": s.person_id, "relation": s.relation} for s in source.subjects],
        "original_text": source.original_text,
        "reliability": source.reliability,
        "sensitivity": source.sensitivity.value,
        "list_name": source.list_name,
        "created_at": _time(source.created_at),
        "created_by": source.created_by,
    }


def claim_to_json(claim: Claim) -> dict[str, Any]:
    return {
        "type": "claim",
        "id": claim.id,
        "person": claim.person_id,
        "source": claim.source_id,
        "kind": claim.kind.value,
        "value": claim.value,
        "date": claim.date,
        "place": claim.place_code,
        "place_text": claim.place_text,
        "quote": claim.quote,
        "status": claim.status.value,
        "supersedes": claim.supersedes,
        "recorded_by": claim.recorded_by,
        "recorded_at": _time(claim.recorded_at),
    }


def case_to_json(case: Case) -> dict[str, Any]:
    return {
        "type": "case",
        "id": case.id,
        "person": case.person_id,
        "status": case.status.value,
        "owner": case.owner,
        "next_steps": case.next_steps,
        "actions": [
            {
                "kind": a.kind.value,
                "description": a.description,
                "date": a.date,
                "due": a.due,
                "done": a.done,
                "recorded_by": a.recorded_by,
                "recorded_at": _time(a.recorded_at),
            }
            for a in case.actions
        ],
        "created_at": _time(case.created_at),
        "updated_at": _time(case.updated_at),
    }


def evidence_to_json(item: EvidenceFile) -> dict[str, Any]:
    return {
        "type": "evidence",
        "id": item.id,
        "source": item.source_id,
        "filename": item.filename,
        "media_type": item.media_type,
        "size": item.size,
        "sha256": item.sha256,
        "added_by": item.added_by,
        "added_at": _time(item.added_at),
    }


# --- back to rows -------------------------------------------------------------------


def _number(kind: str, raw: Any, required: bool = True) -> int | None:
    if raw is None and not required:
        return None
    number = parse_id(kind, str(raw)) if raw is not None else None
    if number is None:
        raise InvalidInput(f"bad {kind} id {raw!r}")
    return number


def _required(record: dict[str, Any], key: str) -> Any:
    if record.get(key) in (None, ""):
        raise InvalidInput(f"missing {key!r}")
    return record[key]


def place_rows(record: dict[str, Any]) -> dict[str, Any]:
    names = record.get("names") or {}
    if not isinstance(names, dict):
        raise InvalidInput("place names must be an object of language -> name")
    return {
        "code": str(_required(record, "code")),
        "kind": str(_required(record, "kind")),
        "parent": record.get("parent"),
        "admin_code": record.get("admin_code"),
        "names_json": json.dumps(names, ensure_ascii=False, sort_keys=True),
        "aliases": "|".join(record.get("aliases") or []),
    }


def person_rows(
    record: dict[str, Any],
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    number = _number("person", record.get("id"))
    kinds = [enum_value(PersonKind, k, "person kind").value for k in record.get("kinds") or []]
    person = {
        "id": number,
        "kinds": ",".join(kinds),
        "sensitivity": enum_value(Sensitivity, record.get("sensitivity"), "sensitivity").value,
        "created_at": str(_required(record, "created_at")),
        "created_by": str(_required(record, "created_by")),
    }
    names = [
        {
            "person_id": number,
            "text": str(_required(n, "text")),
            "script": enum_value(Script, n.get("script"), "script").value,
            "lang": n.get("lang") or "",
            "kind": enum_value(NameKind, n.get("kind"), "name kind").value,
            "source_id": _number("source", n.get("source"), required=False),
        }
        for n in record.get("names") or []
    ]
    refs = [
        {"namespace": str(r["namespace"]), "ref": str(r["ref"]), "person_id": number}
        for r in record.get("external_refs") or []
    ]
    return person, names, refs


def source_rows(record: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    number = _number("source", record.get("id"))
    source = {
        "id": number,
        "kind": enum_value(SourceKind, record.get("kind"), "source kind").value,
        "title": str(_required(record, "title")),
        "date_edtf": normalise_date(record.get("date")),
        "language": record.get("language"),
        "url": record.get("url"),
        "archive_ref": record.get("archive_ref"),
        "testifier_id": _number("person", record.get("testifier"), required=False),
        "original_text": record.get("original_text"),
        "reliability": record.get("reliability"),
        "sensitivity": enum_value(Sensitivity, record.get("sensitivity"), "sensitivity").value,
        "list_name": record.get("list_name"),
        "content_sha256": None,
        "created_at": str(_required(record, "created_at")),
        "created_by": str(_required(record, "created_by")),
    }
    subjects = [
        {
            "source_id": number,
            "person_id": _number("person", s.get("person")),
            "relation": s.get("relation"),
        }
        for s in record.get("subjects") or []
    ]
    return source, subjects


def claim_row(record: dict[str, Any]) -> dict[str, Any]:
    kind = enum_value(ClaimKind, record.get("kind"), "claim kind")
    value = check_value(kind, record.get("value"))
    related = value.pop("person", None) if kind is ClaimKind.RELATION else None
    date = normalise_date(record.get("date"))
    row: dict[str, Any] = {
        "id": _number("claim", record.get("id")),
        "person_id": _number("person", record.get("person")),
        "source_id": _number("source", record.get("source")),
        "kind": kind.value,
        "value_json": json.dumps(value, ensure_ascii=False, sort_keys=True),
        "value_text": describe_value(kind, value),
        "date_edtf": date,
        "year_min": parse_date(date).year_min if date else None,
        "year_max": parse_date(date).year_max if date else None,
        "place_code": record.get("place"),
        "place_text": record.get("place_text"),
        "quote": record.get("quote"),
        "status": enum_value(ClaimStatus, record.get("status"), "claim status").value,
        "supersedes_id": _number("claim", record.get("supersedes"), required=False),
        "related_person_id": _number("person", related, required=False),
        "recorded_by": str(_required(record, "recorded_by")),
        "recorded_at": str(_required(record, "recorded_at")),
    }
    row["fingerprint"] = claim_fingerprint(row)
    return row


def case_rows(record: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    number = _number("case", record.get("id"))
    case = {
        "id": number,
        "person_id": _number("person", record.get("person")),
        "status": enum_value(CaseStatus, record.get("status"), "case status").value,
        "owner": record.get("owner"),
        "next_steps": record.get("next_steps"),
        "created_at": str(_required(record, "created_at")),
        "updated_at": str(_required(record, "updated_at")),
    }
    actions = [
        {
            "case_id": number,
            "kind": enum_value(ActionKind, a.get("kind"), "action kind").value,
            "description": str(a.get("description") or ""),
            "date_edtf": normalise_date(a.get("date")),
            "due": normalise_date(a.get("due")),
            "done": bool(a.get("done")),
            "recorded_by": str(_required(a, "recorded_by")),
            "recorded_at": str(_required(a, "recorded_at")),
        }
        for a in record.get("actions") or []
    ]
    return case, actions


def evidence_row(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": _number("evidence", record.get("id")),
        "source_id": _number("source", record.get("source"), required=False),
        "filename": str(_required(record, "filename")),
        "media_type": str(record.get("media_type") or "application/octet-stream"),
        "size": int(record.get("size") or 0),
        "sha256": str(_required(record, "sha256")),
        "added_by": str(_required(record, "added_by")),
        "added_at": str(_required(record, "added_at")),
    }
