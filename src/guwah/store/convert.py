"""Rows to records: turning table rows into the model's dataclasses."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row

from guwah.model.records import (
    Case,
    CaseAction,
    Claim,
    EvidenceFile,
    ExternalRef,
    NameForm,
    Person,
    Source,
    SourceSubject,
    format_id,
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


def now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def to_time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def pid(number: int | None) -> str | None:
    return format_id("person", number) if number is not None else None


def sid(number: int | None) -> str | None:
    return format_id("source", number) if number is not None else None


def name_from_row(row: Row[Any]) -> NameForm:
    return NameForm(
        text=row.text,
        script=Script(row.script),
        lang=row.lang or None,
        kind=NameKind(row.kind),
        source_id=sid(row.source_id),
    )


def person_from_row(row: Row[Any], names: list[NameForm], refs: list[ExternalRef]) -> Person:
    return Person(
        id=format_id("person", row.id),
        kinds=tuple(PersonKind(k) for k in row.kinds.split(",") if k),
        sensitivity=Sensitivity(row.sensitivity),
        names=names,
        external_refs=refs,
        created_at=to_time(row.created_at),
        created_by=row.created_by,
    )


def source_from_row(row: Row[Any], subjects: list[SourceSubject]) -> Source:
    return Source(
        id=format_id("source", row.id),
        kind=SourceKind(row.kind),
        title=row.title,
        sensitivity=Sensitivity(row.sensitivity),
        date=row.date_edtf,
        language=row.language,
        url=row.url,
        archive_ref=row.archive_ref,
        testifier_id=pid(row.testifier_id),
        subjects=subjects,
        original_text=row.original_text,
        reliability=row.reliability,
        list_name=row.list_name,
        created_at=to_time(row.created_at),
        created_by=row.created_by,
    )


def claim_from_row(row: Row[Any]) -> Claim:
    value = json.loads(row.value_json)
    if row.related_person_id is not None:
        value["person"] = format_id("person", row.related_person_id)
    return Claim(
        id=format_id("claim", row.id),
        person_id=format_id("person", row.person_id),
        source_id=format_id("source", row.source_id),
        kind=ClaimKind(row.kind),
        value=value,
        status=ClaimStatus(row.status),
        date=row.date_edtf,
        place_code=row.place_code,
        place_text=row.place_text,
        quote=row.quote,
        supersedes=format_id("claim", row.supersedes_id) if row.supersedes_id else None,
        recorded_by=row.recorded_by,
        recorded_at=to_time(row.recorded_at),
    )


def case_from_row(row: Row[Any], actions: Sequence[Row[Any]]) -> Case:
    return Case(
        id=format_id("case", row.id),
        person_id=format_id("person", row.person_id),
        status=CaseStatus(row.status),
        owner=row.owner,
        next_steps=row.next_steps,
        actions=[
            CaseAction(
                kind=ActionKind(a.kind),
                description=a.description,
                date=a.date_edtf,
                due=a.due,
                done=bool(a.done),
                recorded_by=a.recorded_by,
                recorded_at=to_time(a.recorded_at),
            )
            for a in actions
        ],
        created_at=to_time(row.created_at),
        updated_at=to_time(row.updated_at),
    )


def evidence_from_row(row: Row[Any]) -> EvidenceFile:
    return EvidenceFile(
        id=format_id("evidence", row.id),
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
        source_id=sid(row.source_id),
        added_by=row.added_by,
        added_at=to_time(row.added_at),
    )
