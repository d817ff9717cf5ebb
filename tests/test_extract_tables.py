"""Tabular lists, through ``guwah.ingest.extract.extract`` (rows given by the reader)."""

from __future__ import annotations

from pathlib import Path

import pytest

from guwah.ingest.extract import extract
from tests.extract_case_scoring import CASES, document_of, rates, report, score_files

FILES = sorted(CASES.glob("table-*.csv"))


def test_there_are_enough_table_cases() -> None:
    assert len(FILES) >= 4


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_evidence_is_the_row_line(path: Path) -> None:
    document = document_of(path)
    result = extract(document)
    assert len(result.persons) == len(document.rows)
    for claim in result.claims:
        ev = claim.evidence
        assert ev.text == document.text[ev.start : ev.end]
        assert "\n" not in ev.text


def test_targets_on_the_tables() -> None:
    counts, _ = score_files("table-*.csv")
    for kind in ("detained", "sentenced"):
        precision, recall = rates(counts, kind)
        assert precision >= 0.9 and recall >= 0.8, report(counts)


def test_invalid_id_and_date_are_notes_not_crashes() -> None:
    result = extract(document_of(CASES / "table-english-list.csv"))
    notes = [c.value["text"] for c in result.claims if c.kind == "note"]
    assert any("restricted" in n for n in notes)
    assert any("month 13" in n for n in notes)


def test_xlsx_rows(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "性别", "民族", "判决"])
    sheet.append(["阿依古丽·麦麦提", "女", "维吾尔族", "有期徒刑十年"])
    path = tmp_path / "list.xlsx"
    book.save(path)
    result = extract(document_of(path))
    assert [c.value for c in result.claims if c.kind == "sentenced"] == [{"years": 10}]
