"""CSV and XLSX lists through ``guwah.ingest.tabular`` (the archive import's reader, with
its zip-bomb check and cell limits): the rows, with the header's names as keys (姓名,
性别, 民族, 出生日期, 身份证号, 住址, 拘留原因, 判决 stay as written).

``Document.text`` has one line per row kept, in order: its non-empty cells as
``header: value`` separated by tabs (tabs and line breaks inside a cell become spaces),
so row ``i`` of ``Document.rows`` is line ``i`` of the text. Malformed CSV rows are
left out and noted with their line number.
"""

from __future__ import annotations

from pathlib import PurePath

from guwah.ingest.document import Document
from guwah.ingest.readers.limits import MAX_ROWS, checked, digest
from guwah.model.errors import InvalidInput

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_NOTED = 20  # malformed rows noted one by one; the rest are counted


def read_table(name: str, data: bytes, *, xlsx: bool) -> Document:
    from pathlib import Path

    from guwah.ingest.tabular import CSV_SUFFIXES, XLSX_SUFFIXES, open_table

    suffix = PurePath(name).suffix.lower()
    if xlsx and suffix not in XLSX_SUFFIXES:
        name_for_reader = f"{name}.xlsx"  # tabular tells the format by the name
    elif not xlsx and suffix not in CSV_SUFFIXES:
        name_for_reader = f"{name}.csv"
    else:
        name_for_reader = name
    rows: list[dict[str, str]] = []
    notes: list[str] = []
    bad = 0
    with open_table(Path(name_for_reader), data) as (_header, table_rows):
        for row in table_rows:
            if row.error:
                bad += 1
                if bad <= MAX_NOTED:
                    notes.append(f"line {row.line} left out: {row.error}")
                continue
            if len(rows) >= MAX_ROWS:
                raise InvalidInput(f"{name}: refused, more than {MAX_ROWS:,} rows")
            rows.append(row.cells)
    if bad > MAX_NOTED:
        notes.append(f"{bad - MAX_NOTED} more malformed lines left out")
    if not rows:
        raise InvalidInput(f"{name}: no rows under the header")
    return checked(
        Document(
            text="\n".join(render_row(row) for row in rows),
            sha256=digest(data),
            media_type=XLSX_TYPE if xlsx else "text/csv",
            filename=name,
            rows=tuple(rows),
            notes=tuple(notes),
        )
    )


def render_row(row: dict[str, str]) -> str:
    """``姓名: 阿依古丽\\t性别: 女``: a row as one line of text."""
    return "\t".join(
        f"{' '.join(key.split())}: {' '.join(value.split())}" for key, value in row.items() if value
    )
