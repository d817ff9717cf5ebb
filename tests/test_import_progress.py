"""Progress of long jobs. How many rows an import will read, told before it starts (the
total of ``guwah import``'s progress bar): never fewer than the rows it reports, and
exact for the common files (one row a line). An export tells the lines or rows it has
written, in every format."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from guwah.services.archive import Archive
from guwah.services.exporting import FORMATS, export
from guwah.services.importing import import_file, rows_at_most
from guwah.synthetic import write_jsonl

HEADER = "id,name,gender,birth_year,ethnicity,hometown"
ROWS = [
    "A-1,Ilham Tohti,male,1969,Uyghur,Atush",
    "A-2,Гүлбаһар Жәлилова,female,1964,Uyghur,Almaty",
    "A-3,مىھرىگۈل تۇرسۇن,female,1989,Uyghur,Cherchen",
]


def _imported_with_progress(archive: Archive, path: Path) -> tuple[int, list[int]]:
    seen: list[int] = []
    report = import_file(archive, path, progress=seen.append)
    return report.rows, seen


def test_a_csv_counts_its_lines_less_the_header(tmp_path: Path) -> None:
    ending = tmp_path / "ending.csv"
    ending.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    unended = tmp_path / "unended.csv"
    unended.write_text("\r\n".join([HEADER, *ROWS]), encoding="utf-8")
    header_only = tmp_path / "header.csv"
    header_only.write_text(HEADER + "\n", encoding="utf-8")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")

    assert rows_at_most(ending) == 3
    assert rows_at_most(unended) == 3
    assert rows_at_most(header_only) == 0
    assert rows_at_most(empty) == 0


def test_a_jsonl_files_count_is_exact_and_progress_stays_within_it(
    archive: Archive, tmp_path: Path
) -> None:
    path = tmp_path / "people.jsonl"
    write_jsonl(path, 40, seed=5)

    bound = rows_at_most(path)
    rows, seen = _imported_with_progress(archive, path)

    assert bound == rows == 40  # one person a line
    assert seen and max(seen) <= bound


def test_blank_lines_and_cells_of_several_lines_only_lower_the_count(
    archive: Archive, tmp_path: Path
) -> None:
    path = tmp_path / "notes.csv"
    lines = [HEADER, ROWS[0], "", 'A-9,"Abduweli\nAyup",male,1973,Uyghur,Kashgar', ROWS[1]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    bound = rows_at_most(path)
    rows, seen = _imported_with_progress(archive, path)

    assert bound == 5
    assert rows == 3
    assert max(seen) <= bound


def test_an_xlsx_tells_its_first_sheets_size(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    for row in ROWS:
        sheet.append(row.split(","))
    book.create_sheet("other").append(["x"] * 3)
    book.save(path)

    assert rows_at_most(path) == 3


def test_what_cannot_tell_gives_no_total(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a workbook")
    other = tmp_path / "people.parquet"
    other.write_bytes(b"PAR1")

    assert rows_at_most(damaged) is None
    assert rows_at_most(other) is None
    assert rows_at_most(tmp_path / "missing.csv") is None
    assert rows_at_most(tmp_path / "missing.jsonl") is None
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert rows_at_most(folder) is None


def test_an_export_tells_its_progress_in_each_format(archive: Archive, tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    write_jsonl(path, 1100, seed=6)
    import_file(archive, path)

    for fmt in FORMATS:
        seen: list[int] = []
        written = export(archive, fmt, io.StringIO(), progress=seen.append)

        assert seen, fmt
        assert seen == sorted(seen) and seen[-1] <= written, fmt
        assert all(n % 1000 == 0 for n in seen), fmt
