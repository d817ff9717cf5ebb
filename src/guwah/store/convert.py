"""Rows to records: turning table rows into the model's dataclasses.

Columns are read through the row's mapping (``row._mapping["kind"]``): reading them as
attributes of a SQLAlchemy 2.1 ``Row`` costs about 0.5 µs each, ten times as much, and a
person's page converts a few hundred of them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
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
    r = row._mapping
    return NameForm(
        text=r["text"],
        script=Script(r["script"]),
        lang=r["lang"] or None,
        kind=NameKind(r["kind"]),
        source_id=sid(r["source_id"]),
    )


def person_from_row(row: Row[Any], names: list[NameForm], refs: list[ExternalRef]) -> Person:
    r = row._mapping
    return Person(
        id=format_id("person", r["id"]),
        kinds=_kinds(r["kinds"]),
        sensitivity=Sensitivity(r["sensitivity"]),
        names=names,
        external_refs=refs,
        created_at=to_time(r["created_at"]),
        created_by=r["created_by"],
    )


@lru_cache(maxsize=64)
def _kinds(text: str) -> tuple[PersonKind, ...]:
    return tuple(PersonKind(k) for k in text.split(",") if k)


def bare_person(row: Mapping[Any, Any]) -> Person:
    """A person's kinds and level only (``id``, ``kinds``, ``sensitivity``): what deciding
    who may be shown needs, for the dozens of people a search lists."""
    return Person(
        id=format_id("person", row["id"]),
        kinds=_kinds(row["kinds"]),
        sensitivity=Sensitivity(row["sensitivity"]),
    )


def source_from_row(row: Row[Any], subjects: list[SourceSubject]) -> Source:
    r = row._mapping
    return Source(
        id=format_id("source", r["id"]),
        kind=SourceKind(r["kind"]),
        title=r["title"],
        sensitivity=Sensitivity(r["sensitivity"]),
        date=r["date_edtf"],
        language=r["language"],
        url=r["url"],
        archive_ref=r["archive_ref"],
        testifier_id=pid(r["testifier_id"]),
        subjects=subjects,
        original_text=r["original_text"],
        reliability=r["reliability"],
        list_name=r["list_name"],
        created_at=to_time(r["created_at"]),
        created_by=r["created_by"],
    )


def claim_from_row(row: Row[Any]) -> Claim:
    r = row._mapping
    value = json.loads(r["value_json"])
    if r["related_person_id"] is not None:
        value["person"] = format_id("person", r["related_person_id"])
    return Claim(
        id=format_id("claim", r["id"]),
        person_id=format_id("person", r["person_id"]),
        source_id=format_id("source", r["source_id"]),
        kind=ClaimKind(r["kind"]),
        value=value,
        status=ClaimStatus(r["status"]),
        date=r["date_edtf"],
        place_code=r["place_code"],
        place_text=r["place_text"],
        quote=r["quote"],
        supersedes=format_id("claim", r["supersedes_id"]) if r["supersedes_id"] else None,
        recorded_by=r["recorded_by"],
        recorded_at=to_time(r["recorded_at"]),
    )


def case_from_row(row: Row[Any], actions: Sequence[Row[Any]]) -> Case:
    r = row._mapping
    return Case(
        id=format_id("case", r["id"]),
        person_id=format_id("person", r["person_id"]),
        status=CaseStatus(r["status"]),
        owner=r["owner"],
        next_steps=r["next_steps"],
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
        created_at=to_time(r["created_at"]),
        updated_at=to_time(r["updated_at"]),
    )


def evidence_from_row(row: Row[Any]) -> EvidenceFile:
    r = row._mapping
    return EvidenceFile(
        id=format_id("evidence", r["id"]),
        filename=r["filename"],
        media_type=r["media_type"],
        size=r["size"],
        sha256=r["sha256"],
        source_id=sid(r["source_id"]),
        added_by=r["added_by"],
        added_at=to_time(r["added_at"]),
    )
