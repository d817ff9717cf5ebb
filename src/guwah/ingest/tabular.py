"""Reading rows from CSV and XLSX files, streaming, with line numbers and limits.

Hostile files are expected: an XLSX is a zip, so its members' declared sizes are checked
before it is opened (a zip bomb is refused), and every cell is read as text.
"""

from __future__ import annotations

import csv
import io
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO

from guwah.ingest.readers.limits import MAX_RATIO, MAX_XLSX_UNPACKED
from guwah.ingest.readers.zipcheck import check_zip
from guwah.model.errors import InvalidInput

MAX_XLSX_RATIO = MAX_RATIO
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
MAX_CELL = 100_000
csv.field_size_limit(MAX_CELL)


@dataclass(frozen=True)
class TableRow:
    line: int  # the line (CSV) or row (XLSX) number a user sees in an editor
    cells: dict[str, str]
    error: str | None = None  # set when the row itself is malformed (then cells is empty)
    raw: str = ""  # the row's text as in the file (CSV), for the reject file


@contextmanager
def open_table(
    path: Path, data: bytes | None = None
) -> Iterator[tuple[list[str], Iterator[TableRow]]]:
    """The header and an iterator over the data rows of a CSV or XLSX file.

    The file stays open inside the ``with`` block and is closed when it ends, however
    it ends (a bad header, a bad row, or all rows read). With ``data``, the file's bytes
    are read from it and ``path`` only names the file (an e-mail attachment).
    """
    if data is None and not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        source: Path | IO[bytes] = path if data is None else io.BytesIO(data)
        _check_zip(source, path.name)
        book = _load_workbook(source, path.name)
        try:
            yield _xlsx_rows(path, book)
        finally:
            book.close()
    elif suffix in CSV_SUFFIXES:
        opened = (
            path.open("r", encoding="utf-8-sig", newline="")
            if data is None
            else io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
        )
        with opened as handle:
            yield _csv_rows(path, handle, "\t" if suffix == ".tsv" else None)
    else:
        raise InvalidInput(f"{path.name}: unsupported file type (use .csv, .tsv, .xlsx or .jsonl)")


def _csv_rows(
    path: Path, handle: TextIO, delimiter: str | None
) -> tuple[list[str], Iterator[TableRow]]:
    try:
        sample = handle.read(64 * 1024)
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name}: not UTF-8 text (save the file as UTF-8 CSV)") from None
    handle.seek(0)
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    lines = _Lines(handle)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InvalidInput(f"{path.name}: the file is empty") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path.name} line 1: {exc}") from None
    _check_header(path, header)

    def rows() -> Iterator[TableRow]:
        while True:
            lines.start_record()
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise InvalidInput(
                    f"{path.name} line {lines.number + 1}: not UTF-8 text "
                    "(save the file as UTF-8 CSV)"
                ) from None
            except csv.Error as exc:
                # A broken quote swallows the lines after it: report its first line and
                # read on from the next one.
                number, text = lines.give_back_all_but_first()
                yield TableRow(number, {}, _csv_problem(exc), text.rstrip("\r\n"))
                continue
            if not any(c.strip() for c in cells):
                continue
            number = lines.record_start()
            if len(cells) > len(header):
                problem = f"{len(cells)} cells but the header has {len(header)} columns"
                yield TableRow(number, {}, problem, lines.record_text())
                continue
            yield TableRow(
                number,
                {h: c.strip() for h, c in zip(header, cells, strict=False) if h},
                raw=lines.record_text(),
            )

    return header, rows()


class _Lines:
    """The file's lines for the csv reader, keeping those of the record being read, so
    that a record broken by an unclosed quote can give back all its lines but the first."""

    def __init__(self, handle: Iterator[str]) -> None:
        self._source = enumerate(handle, start=1)
        self._pending: deque[tuple[int, str]] = deque()
        self._record: list[tuple[int, str]] = []
        self.number = 0  # the last line handed to the reader

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        item = self._pending.popleft() if self._pending else next(self._source)
        self._record.append(item)
        self.number = item[0]
        return item[1]

    def start_record(self) -> None:
        self._record = []

    def record_start(self) -> int:
        return self._record[0][0] if self._record else self.number

    def record_text(self) -> str:
        return "".join(text for _, text in self._record).rstrip("\r\n")

    def give_back_all_but_first(self) -> tuple[int, str]:
        if not self._record:
            return self.number, ""
        first, rest = self._record[0], self._record[1:]
        self._pending.extendleft(reversed(rest))
        self._record = []
        return first


def _csv_problem(exc: csv.Error) -> str:
    message = str(exc)
    if "unexpected end of data" in message:
        return 'a quoted field is never closed (unbalanced ")'
    if "field larger than field limit" in message:
        return f"a cell is longer than {MAX_CELL} characters (or a quote is not closed)"
    return f"malformed CSV: {message}"


def _check_header(path: Path, header: list[str]) -> None:
    names = [h for h in header if h]
    if not names:
        raise InvalidInput(f"{path.name}: the first line must be a header of column names")
    duplicates = sorted({h for h in names if names.count(h) > 1})
    if duplicates:
        raise InvalidInput(f"{path.name}: column {duplicates[0]!r} appears twice in the header")


def count_lines(path: Path) -> int:
    """The lines of a file (a last line without a newline counts), read in blocks."""
    lines, last = 0, b"\n"
    with path.open("rb") as source:
        while block := source.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def row_bound(path: Path) -> int | None:
    """At most how many data rows a CSV or XLSX file holds, told without reading the rows
    (for a progress bar): a CSV's lines less its header, or the size an XLSX file states
    for its first sheet, less its header row. None when the file does not tell."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return max(count_lines(path) - 1, 0)
    if suffix not in XLSX_SUFFIXES:
        return None
    try:
        _check_zip(path, path.name)
        book = _load_workbook(path, path.name)
    except InvalidInput:
        return None  # the import itself says what is wrong
    try:
        rows = book.worksheets[0].max_row if book.worksheets else None
    except Exception:  # a damaged dimension: openpyxl raises many types
        rows = None
    finally:
        book.close()
    return max(rows - 1, 0) if isinstance(rows, int) else None


def _check_zip(source: Path | IO[bytes], name: str) -> None:
    check_zip(source, name, "XLSX", max_unpacked=MAX_XLSX_UNPACKED, max_ratio=MAX_XLSX_RATIO)


def _load_workbook(source: Path | IO[bytes], name: str) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InvalidInput(f"{name}: cannot read the workbook ({type(exc).__name__})") from None


def _xlsx_rows(path: Path, book: Any) -> tuple[list[str], Iterator[TableRow]]:
    sheet = book.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    first = next(rows_iter, None)
    if first is None:
        raise InvalidInput(f"{path.name}: the first sheet is empty")
    header = [_cell(v) for v in first]
    _check_header(path, header)

    def rows() -> Iterator[TableRow]:
        for number, values in enumerate(rows_iter, start=2):
            cells = {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
            if any(cells.values()):
                yield TableRow(number, cells)

    return header, rows()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        text = str(value.isoformat())  # a date cell
        return text[:10] if text.endswith("T00:00:00") or len(text) > 10 else text
    return str(value).strip()[:MAX_CELL]
