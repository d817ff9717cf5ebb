"""``guwah add``: one source (testimony, article, document) with its people and claims.

The whole file is checked before anything is written; adding the same file twice
records it once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from guwah.model.dates import normalise_date
from guwah.model.errors import InvalidInput
from guwah.model.gazetteer import Gazetteer, load_gazetteer
from guwah.model.records import format_id
from guwah.model.vocab import ClaimStatus, PersonKind, Sensitivity, SourceKind
from guwah.secure.policy import Action
from guwah.services.access import check
from guwah.services.archive import Archive
from guwah.services.auditing import record
from guwah.services.drafts import (
    DraftPerson,
    DraftSource,
    enum_value,
    existing_person_number,
    make_case,
    make_claim,
    make_name,
    text_or_none,
)
from guwah.services.writing import Batch, WriteResult, write_batch
from guwah.store import writer

MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass
class AddOutcome:
    result: WriteResult | None
    duplicate_of: int | None = None


class _TextDatesLoader(yaml.SafeLoader):
    """YAML without implicit timestamps: ``date: 2018-02-30`` stays the text it is, to be
    checked as an EDTF date with a clear error, instead of failing inside the parser."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_document(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InvalidInput(f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text") from None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=_TextDatesLoader)  # a SafeLoader: no objects
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f" line {line + 1}" if line is not None else ""
        raise InvalidInput(f"{path}{where}: not valid YAML/JSON") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: expected a mapping with 'source', 'persons' and 'claims'")
    return data


def build_batch(data: dict[str, Any], gazetteer: Gazetteer | None = None) -> Batch:
    gazetteer = gazetteer or load_gazetteer()
    unknown = set(data) - {"source", "persons", "claims", "cases"}
    if unknown:
        raise InvalidInput(f"unknown section {sorted(unknown)[0]!r}")
    persons = [_person(i, raw) for i, raw in enumerate(_list(data, "persons"))]
    refs = [p.ref for p in persons]
    duplicates = {r for r in refs if refs.count(r) > 1}
    if duplicates:
        raise InvalidInput(f"person ref {sorted(duplicates)[0]!r} is used twice")
    source = _source(data.get("source"), set(refs))
    claims = []
    for i, raw in enumerate(_list(data, "claims")):
        where = f"claims[{i}]"
        if not isinstance(raw, dict):
            raise InvalidInput(f"{where}: a claim must be a mapping")
        subject = _ref(raw.get("subject"), refs, where)
        try:
            claim = make_claim(raw, gazetteer, ClaimStatus.ACCEPTED, subject)
        except InvalidInput as exc:
            raise InvalidInput(f"{where}: {exc}") from None
        if claim.related is not None and not claim.related.upper().startswith("P-"):
            _ref(claim.related, refs, where)
        claims.append(claim)
    cases = []
    for i, raw in enumerate(_list(data, "cases")):
        where = f"cases[{i}]"
        if not isinstance(raw, dict):
            raise InvalidInput(f"{where}: a case must be a mapping")
        try:
            cases.append(make_case(raw, _ref(raw.get("subject"), refs, where)))
        except InvalidInput as exc:
            raise InvalidInput(f"{where}: {exc}") from None
    if source.testifier:
        for person in persons:
            if person.ref == source.testifier and PersonKind.TESTIFIER not in person.kinds:
                person.kinds.append(PersonKind.TESTIFIER)
    return Batch(persons=persons, claims=claims, cases=cases, source=source)


def add_document(archive: Archive, data: dict[str, Any]) -> AddOutcome:
    check(archive, Action.ADD)
    batch = build_batch(data)
    digest = hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    ).hexdigest()
    batch.source_sha256 = digest
    with archive.engine.begin() as conn:
        existing = writer.find_source_by_hash(conn, digest)
        if existing is not None:
            return AddOutcome(result=None, duplicate_of=existing)
        result = write_batch(conn, batch, archive.actor)
        change = {"created": len(result.created), "linked": len(result.linked),
                  "claims": result.claims_added, "cases": len(result.cases_added)}  # fmt: skip
        source = format_id("source", result.source_id)
        record(archive, conn, "testimony.add", source, change=change, covers=result.coverage())
        return AddOutcome(result=result)


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise InvalidInput(f"'{key}' must be a list")
    return value


def _ref(raw: object, refs: list[str], where: str) -> str:
    ref = str(raw).strip() if raw is not None else ""
    if ref.upper().startswith("P-"):
        return ref.upper()
    if ref not in refs:
        raise InvalidInput(f"{where}: unknown person ref {raw!r}")
    return ref


def _person(index: int, raw: object) -> DraftPerson:
    where = f"persons[{index}]"
    if not isinstance(raw, dict):
        raise InvalidInput(f"{where}: a person must be a mapping")
    allowed = {"ref", "id", "kinds", "sensitivity", "names", "external_refs", "relation"}
    unknown = set(raw) - allowed
    if unknown:
        raise InvalidInput(f"{where}: unknown key {sorted(unknown)[0]!r}")
    try:
        existing = existing_person_number(raw["id"]) if raw.get("id") else None
        ref = str(raw.get("ref") or raw.get("id") or "").strip()
        if not ref:
            raise InvalidInput("a person needs a 'ref' (or the 'id' of a recorded person)")
        kinds = [enum_value(PersonKind, k, "person kind") for k in raw.get("kinds") or ["victim"]]
        default = Sensitivity.RESTRICTED if PersonKind.TESTIFIER in kinds else Sensitivity.INTERNAL
        sensitivity = enum_value(Sensitivity, raw.get("sensitivity") or default, "sensitivity")
        names = [make_name(n) for n in raw.get("names") or []]
        if not names and existing is None:
            raise InvalidInput("a new person needs at least one name")
        refs = []
        for item in raw.get("external_refs") or []:
            if not isinstance(item, dict) or not item.get("namespace") or not item.get("ref"):
                raise InvalidInput("external_refs entries need 'namespace' and 'ref'")
            refs.append((str(item["namespace"]).strip(), str(item["ref"]).strip()))
        relation = text_or_none(raw.get("relation"), "relation", 64)
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {exc}") from None
    return DraftPerson(ref, existing, kinds, sensitivity, names, refs, relation)


def _source(raw: object, refs: set[str]) -> DraftSource:
    if not isinstance(raw, dict):
        raise InvalidInput("the file needs a 'source' mapping")
    allowed = {
        "kind",
        "title",
        "date",
        "language",
        "url",
        "archive_ref",
        "testifier",
        "original_text",
        "reliability",
        "sensitivity",
    }
    unknown = set(raw) - allowed
    if unknown:
        raise InvalidInput(f"source: unknown key {sorted(unknown)[0]!r}")
    try:
        kind = enum_value(SourceKind, raw.get("kind") or "other", "source kind")
        default = Sensitivity.RESTRICTED if kind.is_testimony else Sensitivity.PUBLIC
        title = text_or_none(raw.get("title"), "title", 1000)
        if not title:
            raise InvalidInput("a source needs a title")
        testifier = text_or_none(raw.get("testifier"), "testifier", 64)
        if testifier is not None and testifier not in refs:
            raise InvalidInput(f"testifier {testifier!r} is not a person ref of this file")
        return DraftSource(
            kind=kind,
            title=title,
            sensitivity=enum_value(Sensitivity, raw.get("sensitivity") or default, "sensitivity"),
            date=normalise_date(raw.get("date")),
            language=text_or_none(raw.get("language"), "language", 16),
            url=text_or_none(raw.get("url"), "url", 2000),
            archive_ref=text_or_none(raw.get("archive_ref"), "archive_ref", 256),
            testifier=testifier,
            original_text=text_or_none(raw.get("original_text"), "original_text", 1_000_000),
            reliability=text_or_none(raw.get("reliability"), "reliability"),
        )
    except InvalidInput as exc:
        raise InvalidInput(f"source: {exc}") from None
