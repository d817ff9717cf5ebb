"""Deduplicate one list on its own: a CSV of people in, a CSV of clusters out.

For a leaked spreadsheet or a campaign's list, without an archive: which rows are the
same person? The input is a UTF-8 CSV (a byte-order mark is allowed) whose header has
at least ``id`` and ``name`` and optionally ``birth_year``, ``gender``, ``place`` and
``id_number`` (header names in any case; other columns are ignored). ``gender`` is
``male``/``female`` (also ``m``/``f``, 男/女) or empty.

The output is a CSV ``id,cluster`` with one row per input row, in input order;
``cluster`` is the smallest id of the row's cluster (a row alone is its own cluster),
so the label does not depend on the order of the rows. It is written to a temporary
file in the same directory, created readable by its owner only (it holds names), and
renamed into place: on any error nothing is written.

A row whose ID number does not validate is still deduplicated, on its other columns:
lists have typos. Such rows are counted in the report.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from guwah.match.linkage import DEFAULT_THRESHOLD, LinkRecord, LinkResult, link
from guwah.model.errors import InvalidInput

COLUMNS = ("id", "name", "birth_year", "gender", "place", "id_number")
REQUIRED = ("id", "name")
GENDERS = {
    "male": "male",
    "m": "male",
    "男": "male",
    "female": "female",
    "f": "female",
    "女": "female",
}
FIRST_YEAR = 1880

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ListDedupeReport:
    rows: int
    clusters: int
    multi_member_clusters: int  # clusters of two rows or more
    pairs_linked: int
    invalid_id_numbers: int  # rows whose ID number did not validate (ignored for matching)
    flagged: int  # pairs left for a person to review (same ID, names disagree...)
    seconds: float
    model: str


def _silent(stage: str, done: int, total: int) -> None:
    return None


def dedupe_list(
    in_path: Path,
    out_path: Path,
    *,
    progress: Progress | None = None,
    backend: str = "duckdb",
    threshold: float = DEFAULT_THRESHOLD,
) -> ListDedupeReport:
    """Write ``out_path`` (``id,cluster``) for the list in ``in_path``; see the module."""
    started = time.perf_counter()
    report = progress or _silent
    in_path, out_path = Path(in_path), Path(out_path)
    _check_output(in_path, out_path)
    records = list(_read(in_path, report))
    result = link(records, backend=backend, threshold=threshold, progress=progress)
    _write(out_path, records, result)
    report("writing", len(records), len(records))
    return ListDedupeReport(
        rows=len(records),
        clusters=len(result.clusters),
        multi_member_clusters=sum(1 for cluster in result.clusters if len(cluster) > 1),
        pairs_linked=len(result.pairs),
        invalid_id_numbers=len(result.invalid_id_numbers),
        flagged=len(result.flagged),
        seconds=round(time.perf_counter() - started, 3),
        model=result.model,
    )


def _check_output(in_path: Path, out_path: Path) -> None:
    if out_path.is_dir():
        raise InvalidInput(f"{out_path} is a directory: give the name of the file to write")
    if not out_path.parent.is_dir():
        raise InvalidInput(f"cannot write {out_path}: no such directory {out_path.parent}")
    if out_path.exists() and in_path.exists() and out_path.samefile(in_path):
        raise InvalidInput(f"{out_path} is the input list: write the clusters elsewhere")


def _read(path: Path, report: Progress) -> Iterator[LinkRecord]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a directory, not a CSV file") from None
    seen: dict[str, int] = {}
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None or not any(cell.strip() for cell in header):
                raise InvalidInput(f"{path} has no header row (it needs at least id,name)")
            where = _columns(header, path)
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue  # a blank line
                line = reader.line_num
                record = _record(row, where, line)
                if record.id in seen:
                    raise InvalidInput(
                        f"row {line}: duplicate id {record.id!r} (first on row {seen[record.id]})"
                    )
                seen[record.id] = line
                if len(seen) % 50_000 == 0:
                    report("reading", len(seen), 0)
                yield record
        except UnicodeDecodeError:
            raise InvalidInput(f"{path} is not UTF-8 text") from None
        except csv.Error as exc:
            raise InvalidInput(f"{path}, row {reader.line_num}: not valid CSV ({exc})") from None


def _columns(header: list[str], path: Path) -> dict[str, int]:
    where: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = cell.strip().lower()
        if name in COLUMNS:
            if name in where:
                raise InvalidInput(f"{path}: the column {name!r} appears twice in the header")
            where[name] = index
    for name in REQUIRED:
        if name not in where:
            raise InvalidInput(f"{path}: the header has no {name!r} column (it needs id,name)")
    return where


def _record(row: list[str], where: dict[str, int], line: int) -> LinkRecord:
    def cell(name: str) -> str | None:
        index = where.get(name)
        if index is None or index >= len(row):
            return None
        return row[index].strip() or None

    record_id = cell("id")
    if record_id is None:
        raise InvalidInput(f"row {line}: empty id")
    name = cell("name")
    return LinkRecord(
        record_id,
        (name,) if name else (),
        _year(cell("birth_year"), line),
        _gender(cell("gender"), line),
        cell("place"),
        cell("id_number"),
    )


def _year(text: str | None, line: int) -> int | None:
    if text is None:
        return None
    this_year = dt.date.today().year
    if not (len(text) == 4 and text.isascii() and text.isdigit()) or not (
        FIRST_YEAR <= int(text) <= this_year
    ):
        raise InvalidInput(
            f"row {line}: birth_year {text!r} is not a year ({FIRST_YEAR}-{this_year})"
        )
    return int(text)


def _gender(text: str | None, line: int) -> str | None:
    if text is None:
        return None
    found = GENDERS.get(text.lower())
    if found is None:
        raise InvalidInput(f"row {line}: gender must be male or female (or empty), not {text!r}")
    return found


def _write(path: Path, records: list[LinkRecord], result: LinkResult) -> None:
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with open(handle, "w", encoding="utf-8", newline="") as out:  # mkstemp: mode 0600
            writer = csv.writer(out)
            writer.writerow(["id", "cluster"])
            for record in records:
                writer.writerow([record.id, result.cluster_of(record.id)])
        os.replace(partial, path)
    finally:
        Path(partial).unlink(missing_ok=True)
