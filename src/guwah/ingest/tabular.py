"""Reading rows from CSV and XLSX files, streaming, with line numbers and limits.

Hostile files are expected: an XLSX is a zip, so its members' declared sizes are checked
before it is opened (a zip bomb is refused), and every cell is read as text.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from guwah.model.errors import InvalidInput

MAX_XLSX_UNPACKED = 512 * 1024 * 1024
MAX_XLSX_RATIO = 200
MAX_CELL = 100_000
csv.field_size_limit(MAX_CELL)


@dataclass(frozen=True)
class TableRow:
    line: int  # the line (CSV) or row (XLSX) number a user sees in an editor
    cells: dict[str, str]


def read_table(path: Path) -> tuple[list[str], Iterator[TableRow]]:
    """The header and an iterator over the data rows of a CSV or XLSX file."""
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(path, "\t" if suffix == ".tsv" else None)
    raise InvalidInput(f"{path.name}: unsupported file type (use .csv, .tsv, .xlsx or .jsonl)")


def _read_csv(path: Path, delimiter: str | None) -> tuple[list[str], Iterator[TableRow]]:
    handle = path.open("r", encoding="utf-8-sig", newline="")
    try:
        sample = handle.read(64 * 1024)
    except UnicodeDecodeError:
        handle.close()
        raise InvalidInput(f"{path.name}: not UTF-8 text (save the file as UTF-8 CSV)") from None
    handle.seek(0)
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        handle.close()
        raise InvalidInput(f"{path.name}: the file is empty") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        handle.close()
        raise InvalidInput(f"{path.name} line 1: {exc}") from None
    _check_header(path, header)

    def rows() -> Iterator[TableRow]:
        try:
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except (csv.Error, UnicodeDecodeError) as exc:
                    raise InvalidInput(f"{path.name} line {reader.line_num}: {exc}") from None
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) > len(header):
                    raise InvalidInput(
                        f"{path.name} line {reader.line_num}: {len(cells)} cells but the header "
                        f"has {len(header)} columns"
                    )
                yield TableRow(
                    reader.line_num,
                    {h: c.strip() for h, c in zip(header, cells, strict=False) if h},
                )
        finally:
            handle.close()

    return header, rows()


def _check_header(path: Path, header: list[str]) -> None:
    names = [h for h in header if h]
    if not names:
        raise InvalidInput(f"{path.name}: the first line must be a header of column names")
    duplicates = sorted({h for h in names if names.count(h) > 1})
    if duplicates:
        raise InvalidInput(f"{path.name}: column {duplicates[0]!r} appears twice in the header")


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            total = 0
            for info in archive.infolist():
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > MAX_XLSX_RATIO and info.file_size > 10 * 1024 * 1024:
                    raise InvalidInput(f"{path.name}: refused, a member unpacks {ratio:.0f}x")
            if total > MAX_XLSX_UNPACKED:
                raise InvalidInput(f"{path.name}: refused, it unpacks to more than 512 MB")
    except zipfile.BadZipFile:
        raise InvalidInput(f"{path.name}: not a valid XLSX file") from None


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[TableRow]]:
    _check_zip(path)
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InvalidInput(f"{path.name}: cannot read the workbook ({type(exc).__name__})") from None
    sheet = book.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    first = next(rows_iter, None)
    if first is None:
        book.close()
        raise InvalidInput(f"{path.name}: the first sheet is empty")
    header = [_cell(v) for v in first]
    _check_header(path, header)

    def rows() -> Iterator[TableRow]:
        try:
            for number, values in enumerate(rows_iter, start=2):
                cells = {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
                if any(cells.values()):
                    yield TableRow(number, cells)
        finally:
            book.close()

    return header, rows()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat()  # a date cell
        return text[:10] if text.endswith("T00:00:00") or len(text) > 10 else text
    return str(value).strip()[:MAX_CELL]
