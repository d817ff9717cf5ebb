"""Extraction from tabular lists (CSV/XLSX rows): one proposed person per row.

Headers are recognised in Chinese, English and Russian (``table_columns``) and mapped to
the archive's simple columns (``ingest.mapping.SIMPLE_COLUMNS``); cell values are read
by the same parsers as the archive's CSV import (``ingest.values``), so a list proposed
here and a list imported with a mapping agree. The evidence of every proposal is the
row's line in the document's text rendering. A cell that cannot be read (an impossible
date, an invalid ID number) becomes a ``note`` proposal saying why, never a crash.
ID numbers are restricted data: their proposals say so in their rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from guwah.ingest import values
from guwah.ingest.document import Document
from guwah.ingest.extract.table_columns import map_header
from guwah.ingest.extract.zh_places import find_zh_places, most_specific
from guwah.ingest.proposals import ClaimProposal, Evidence, Extraction, PersonProposal
from guwah.model.errors import InvalidInput
from guwah.model.gazetteer import load_gazetteer
from guwah.model.idnumber import parse_resident_id

_STATUS = {
    "detained": "detained",
    "在押": "detained",
    "sentenced": "sentenced",
    "已判": "sentenced",
    "released": "released",
    "释放": "released",
    "died": "died",
    "dead": "died",
    "死亡": "died",
    "disappeared": "disappeared",
    "missing": "disappeared",
    "失踪": "disappeared",
}


def extract_rows(document: Document) -> Extraction:
    """One person (and their claims) per row of a tabular document."""
    extraction = Extraction(document.title, document.date, document.language)
    if not document.rows:
        return extraction
    columns = map_header(list(document.rows[0]))
    lines = _LineFinder(document.text)
    for index, row in enumerate(document.rows):
        cells = {
            columns[h]: (v or "").strip()
            for h, v in row.items()
            if h in columns and (v or "").strip()
        }
        if not cells.get("name"):
            continue
        evidence = lines.find(row, index)
        ref = f"p{len(extraction.persons) + 1}"
        person = PersonProposal(ref, _names(cells), ["victim"], {}, None, [evidence])
        extraction.persons.append(person)
        _Row(ref, cells, evidence, person, extraction.claims).read()
    return extraction


def _names(cells: dict[str, str]) -> list[str]:
    names = [cells["name"]]
    names.extend(n.strip() for n in cells.get("names", "").split("|") if n.strip())
    return list(dict.fromkeys(names))


class _LineFinder:
    """The line of the text rendering that shows a row: line ``i`` for row ``i`` (the
    readers' rendering) when it holds the row's cells, else the first unused line that
    does; the whole text when none does."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[tuple[int, int]] = []
        position = 0
        for line in text.split("\n"):
            self.lines.append((position, position + len(line)))
            position += len(line) + 1
        self.next = 0

    def find(self, row: dict[str, str], index: int) -> Evidence:
        cells = [" ".join(v.split()) for v in row.values() if v and v.strip()]
        order = [index] if index < len(self.lines) else []
        order += range(self.next, len(self.lines))
        for number in order:
            start, end = self.lines[number]
            line = self.text[start:end]
            if cells and all(cell in line for cell in cells):
                self.next = max(self.next, number + 1)
                return Evidence(start, end, line)
        return Evidence(0, len(self.text), self.text)


class _Row:
    def __init__(
        self,
        ref: str,
        cells: dict[str, str],
        evidence: Evidence,
        person: PersonProposal,
        claims: list[ClaimProposal],
    ) -> None:
        self.ref, self.cells, self.evidence, self.person, self.claims = (
            ref,
            cells,
            evidence,
            person,
            claims,
        )

    def claim(self, kind: str, value: dict[str, Any], rule: str, **extra: Any) -> None:
        confidence = 0.5 if kind == "note" else 0.95  # a list states its cells plainly
        self.claims.append(
            ClaimProposal(
                self.ref, kind, value, self.evidence, confidence, f"table.{rule}", **extra
            )
        )

    def note(self, column: str, problem: str) -> None:
        self.claim("note", {"text": f"{column}: {problem}"}, f"{column}.unreadable")

    def read(self) -> None:
        readers: list[tuple[str, Callable[[str], None]]] = [
            ("gender", self.gender),
            ("ethnicity", self.ethnicity),
            ("birth_date", self.birth_date),
            ("birth_year", self.birth_year),
            ("id_number", self.id_number),
            ("hometown", self.hometown),
            ("profession", self.profession),
            ("detained", self.detained),
            ("reason", self.reason),
            ("sentence", self.sentence),
            ("sentence_years", self.sentence),
            ("place_held", self.place_held),
            ("status", self.status),
        ]
        for column, read in readers:
            raw = self.cells.get(column)
            if not raw:
                continue
            try:
                read(raw)
            except (InvalidInput, ValueError) as exc:
                self.note(column, str(exc))

    def gender(self, raw: str) -> None:
        gender = values.parse_gender(raw)
        self.person.attributes["gender"] = gender
        self.claim("gender", {"text": gender}, "gender")

    def ethnicity(self, raw: str) -> None:
        ethnicity = values.parse_ethnicity(raw)
        self.person.attributes["ethnicity"] = ethnicity
        self.claim("ethnicity", {"text": ethnicity}, "ethnicity")

    def birth_date(self, raw: str) -> None:
        date = values.parse_date(raw)
        self.person.attributes["birth_year"] = int(date[:4])
        self.claim("born", {}, "birth_date", date=date)

    def birth_year(self, raw: str) -> None:
        if self.cells.get("birth_date"):
            return
        date = values.parse_date(raw)
        self.person.attributes["birth_year"] = int(date[:4])
        self.claim("born", {"year": int(date[:4])}, "birth_year", date=date)

    def id_number(self, raw: str) -> None:
        try:
            number = parse_resident_id(raw).number
        except InvalidInput as exc:
            self.claim(
                "note",
                {"text": f"{exc} (restricted: an ID number)"},
                "id_number.invalid (restricted data)",
            )
            return
        self.claim("id_number", {"text": number}, "id_number (restricted data)")

    def hometown(self, raw: str) -> None:
        code = _place_code(raw)
        if code:
            self.person.attributes["home"] = code
        self.claim("resident_of", {}, "hometown", place=code, place_text=raw)

    def profession(self, raw: str) -> None:
        self.claim("profession", {"text": raw}, "profession")

    def detained(self, raw: str) -> None:
        value: dict[str, Any] = {}
        reason = values.parse_reason(self.cells["reason"]) if self.cells.get("reason") else None
        facility = _facility(self.cells.get("place_held", ""))
        if facility:
            value["facility_type"] = facility
        place = self.cells.get("place_held")
        self.claim(
            "detained",
            value,
            "detained",
            date=values.parse_date(raw),
            reason=reason,
            place=_place_code(place) if place else None,
            place_text=place,
        )

    def reason(self, raw: str) -> None:
        if self.cells.get("detained"):
            return  # recorded with the detention
        value: dict[str, Any] = {}
        facility = _facility(self.cells.get("place_held", ""))
        if facility:
            value["facility_type"] = facility
        self.claim("detained", value, "reason", reason=values.parse_reason(raw))

    def sentence(self, raw: str) -> None:
        if any(c.kind == "sentenced" for c in self.claims if c.subject == self.ref):
            return
        self.claim("sentenced", values.parse_sentence(raw), "sentence")

    def place_held(self, raw: str) -> None:
        """A place of holding with no detention column: the row says they are held."""
        if not self._has("detained"):
            facility = _facility(raw)
            value = {"facility_type": facility} if facility else {}
            self.claim("detained", value, "place_held", place=_place_code(raw), place_text=raw)

    def status(self, raw: str) -> None:
        """A status word (``detained``, ``在押``) or an official's note of what was done
        (``教培`` camp, ``判刑十年`` a sentence, ``释放`` released)."""
        kind = _STATUS.get(raw.strip().lower())
        if kind is not None:
            if not self._has(kind):
                self.claim(kind, {}, "status")
            return
        term = _TERM.search(raw)
        if term and not self._has("sentenced"):
            text = re.sub(r"^(?:判刑|判处|刑期)", "有期徒刑", term.group())  # as the parser reads
            self.claim("sentenced", values.parse_sentence(text), "status.sentence")
        camp = any(w in raw for w in ("教培", "培训", "教育转化", "转化"))
        if (camp or any(w in raw for w in ("收押", "拘留", "羁押", "逮捕", "在押"))) and not (
            self._has("detained")
        ):
            value = {"facility_type": "camp"} if camp else {}
            self.claim("detained", value, "status.detained")
        elif camp:
            for claim in self.claims:
                if claim.subject == self.ref and claim.kind == "detained":
                    claim.value.setdefault("facility_type", "camp")
        if any(w in raw for w in ("释放", "结业")) and not self._has("released"):
            self.claim("released", {}, "status.released")

    def _has(self, kind: str) -> bool:
        return any(c.kind == kind for c in self.claims if c.subject == self.ref)


_NUMBER = r"[\d零〇一二两三四五六七八九十]+"
_TERM = re.compile(
    rf"(?:有期徒刑|判刑|判处|刑期)\s*{_NUMBER}年(?:{_NUMBER}个?月)?|无期徒刑|死刑(?:缓期{_NUMBER}年执行)?"
)


def _facility(text: str) -> str | None:
    lowered = text.lower()
    if any(w in lowered for w in ("培训中心", "教培", "camp", "лагер", "vocational")):
        return "camp"
    if any(w in lowered for w in ("看守所", "detention", "сизо")):
        return "detention_centre"
    if any(w in lowered for w in ("监狱", "prison", "тюрьм")):
        return "prison"
    return None


def _place_code(text: str) -> str | None:
    found = most_specific(find_zh_places(text))
    if found is not None:
        return found.code
    place = load_gazetteer().resolve(text)
    return place.code if place is not None else None
