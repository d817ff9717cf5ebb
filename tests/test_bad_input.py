"""Bad lists: each bad row is named by its line; by default nothing is imported, with
``--on-error skip`` the good rows go in and the bad ones go to the reject file. Files that
cannot be read at all (wrong type, empty, not UTF-8, a zip bomb) are one clear line."""

from __future__ import annotations

import csv
import json
import struct
import zipfile
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.helpers import error_line, json_of, ok, person_ids_named, stats

HEADER = "id,name,gender,birth_year,ethnicity,hometown,id_number,detained"
GOOD = [
    (2, "B-1,Good Alpha,male,1970,Uyghur,Kashgar,,2018-03"),
    (4, "B-3,Good Beta,female,1972,Kazakh,Altay,,"),
    (9, "B-8,Good Gamma,male,1983,Kyrgyz,Artux,650102196502140027,2017"),
]
BAD = {
    "wrong type": (3, "B-2,Bad Year,male,abc,Uyghur,Hotan,,", "birth_year: not a year: 'abc'"),
    "invalid ID number": (
        5,
        "B-4,Bad Id,female,1965,Uyghur,Urumqi,650102196502140021,",
        "invalid Chinese ID number '650102196502140021'",
    ),
    "impossible date": (6, "B-5,Bad Date,male,1980,Uyghur,Aksu,,2019-02-30", "'2019-02-30'"),
    "more cells than header": (
        7,
        "B-6,Too Many,male,1981,Uyghur,Aksu,,,extra",
        "9 cells but the header has 8 columns",
    ),
    "unbalanced quote": (
        8,
        'B-7,"Unclosed,male,1982,Uyghur,Aksu,,',
        "quoted field is never closed",
    ),
}


def _list(path: Path, bad: list[str]) -> Path:
    """The good rows and the chosen bad ones, each at the line number given above."""
    rows = dict(GOOD)
    rows.update({BAD[name][0]: BAD[name][1] for name in bad})
    body = [rows.get(number, "") for number in range(2, max(rows) + 1)]  # blank lines are skipped
    path.write_text("\n".join([HEADER, *body]) + "\n", encoding="utf-8")
    return path


def _rejected(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("problem", sorted(BAD))
def test_a_bad_row_aborts_the_import_and_names_its_line(
    cli_archive: Cli, tmp_path: Path, problem: str
) -> None:
    path = _list(tmp_path / "list.csv", [problem])
    line_number, _row, reason = BAD[problem]

    line = error_line(cli_archive("import", str(path)))

    assert f"line {line_number}" in line
    assert reason in line
    assert "list.csv" in line
    assert stats(cli_archive)["persons"] == 0
    assert stats(cli_archive)["sources"] == 0


def test_skip_imports_the_good_rows_and_rejects_the_bad_ones(
    cli_archive: Cli, tmp_path: Path
) -> None:
    path = _list(tmp_path / "list.csv", sorted(BAD))
    rejects = tmp_path / "R.csv"

    result = cli_archive(
        "import", str(path), "--on-error", "skip", "--reject-file", str(rejects), "--json"
    )

    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["persons_created"], report["rejected"]) == (3, 5)
    rows = _rejected(rejects)
    assert [int(r["line"]) for r in rows] == sorted(line for line, _, _ in BAD.values())
    for row in rows:
        _line, text, reason = next(v for v in BAD.values() if v[0] == int(row["line"]))
        assert reason in row["reason"]
        assert row["row"].startswith(text.split(",")[0] + ",")
    assert stats(cli_archive)["persons"] == 3
    assert len(person_ids_named(cli_archive, "Good")) == 3
    for name in ("Year", "Unclosed", "Many"):
        assert person_ids_named(cli_archive, name) == []


def test_skip_recovers_the_rows_after_an_unclosed_quote(cli_archive: Cli, tmp_path: Path) -> None:
    path = tmp_path / "quotes.csv"
    path.write_text(
        "id,name,gender\n"
        'Q-1,"Multi\nLine Name",male\n'  # a quoted cell may hold a newline: not an error
        'Q-2,"Never closed,female\n'
        "Q-3,After Quote,female\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "R.csv"

    report = json_of(
        cli_archive, "import", str(path), "--on-error", "skip", "--reject-file", str(rejects)
    )

    assert (report["persons_created"], report["rejected"]) == (2, 1)
    assert [r["line"] for r in _rejected(rejects)] == ["4"]
    assert len(person_ids_named(cli_archive, "After")) == 1
    assert len(person_ids_named(cli_archive, "Multi")) == 1


def test_bad_json_lines_are_rejected_by_line(cli_archive: Cli, tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    path.write_text(
        '{"type": "person", "names": ["Jsonl Good"]}\n'
        '{"type": "person", "names": ["Jsonl Broken"\n'
        '{"type": "person", "names": ["Jsonl Baddate"], "claims": [{"kind": "born", '
        '"date": "2019-02-30"}]}\n'
        '{"type": "person", "names": []}\n',
        encoding="utf-8",
    )
    line = error_line(cli_archive("import", str(path)))
    assert "line 2" in line
    assert stats(cli_archive)["persons"] == 0
    rejects = tmp_path / "R.csv"

    report = json_of(
        cli_archive, "import", str(path), "--on-error", "skip", "--reject-file", str(rejects)
    )

    assert (report["persons_created"], report["rejected"]) == (1, 3)
    reasons = {r["line"]: r["reason"] for r in _rejected(rejects)}
    assert sorted(reasons) == ["2", "3", "4"]
    assert "JSON" in reasons["2"]
    assert "2019-02-30" in reasons["3"]
    assert person_ids_named(cli_archive, "Baddate") == []


def test_on_error_options_are_checked(cli_archive: Cli, tmp_path: Path) -> None:
    path = _list(tmp_path / "list.csv", ["wrong type"])

    line = error_line(cli_archive("import", str(path), "--on-error", "skip"))
    assert "--reject-file" in line
    line = error_line(cli_archive("import", str(path), "--on-error", "ignore"))
    assert "--on-error" in line
    nowhere = tmp_path / "missing" / "R.csv"
    line = error_line(
        cli_archive("import", str(path), "--on-error", "skip", "--reject-file", str(nowhere))
    )
    assert "R.csv" in line
    assert stats(cli_archive)["persons"] == 0
    assert not (tmp_path / "R.csv").exists()


def _zip_bomb(path: Path, size: int) -> Path:
    """An .xlsx-named zip whose one member is ``size`` zero bytes, compressed to almost nothing."""
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(size // len(chunk)):
            member.write(chunk)
    return path


def _declares_huge_size(path: Path) -> Path:
    """A small valid zip whose central directory claims its member unpacks to 3 GB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    data = bytearray(path.read_bytes())
    entry = data.find(b"PK\x01\x02")
    data[entry + 24 : entry + 28] = struct.pack("<I", 3_000_000_000)
    path.write_bytes(bytes(data))
    return path


def test_files_that_cannot_be_read_are_one_clear_line(cli_archive: Cli, tmp_path: Path) -> None:
    cases: list[tuple[Path, str]] = []

    def case(name: str, content: bytes, expected: str) -> None:
        path = tmp_path / name
        path.write_bytes(content)
        cases.append((path, expected))

    case("list.pdf", b"%PDF-1.4\n", "unsupported file type")
    case("list.docx", b"PK\x03\x04", "unsupported file type")
    case("empty.csv", b"", "empty")
    case("bom-only.csv", b"\xef\xbb\xbf", "empty")
    case("empty.jsonl", b"", "empty")
    case("latin1.csv", "id,name\nA1,Gülnisa Ahmet\n".encode("cp1252"), "UTF-8")
    case("utf16.csv", "id,name\nA1,Gülnisa\n".encode("utf-16"), "UTF-8")
    case("latin1.jsonl", '{"type": "person", "names": ["Gül"]}\n'.encode("cp1252"), "UTF-8")
    case("not-a-zip.xlsx", b"id,name\nA1,Someone\n", "not a valid XLSX")
    case("no-name-column.csv", b"id,nom\nA1,Someone\n", "name")
    case("twice.csv", b"id,name,name\nA1,Some,One\n", "twice")
    cases.append((_zip_bomb(tmp_path / "bomb.xlsx", 32 * 1024 * 1024), "refused"))
    cases.append((_declares_huge_size(tmp_path / "declared.xlsx"), "refused"))
    cases.append((tmp_path / "missing.csv", "no such file"))

    for path, expected in cases:
        line = error_line(cli_archive("import", str(path)))
        assert expected in line, (path.name, line)
        assert path.name in line, (path.name, line)
    assert stats(cli_archive)["sources"] == 0


def test_an_unquoted_impossible_date_in_yaml_is_one_clear_line(
    cli_archive: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "bad-date.yaml"
    path.write_text(
        "source: {kind: testimony_written, title: A letter}\n"
        "persons:\n  - {ref: v1, kinds: [victim], names: [{text: Nurlan Abdikerimov}]}\n"
        "claims:\n  - {subject: v1, kind: detained, date: 2018-02-30, value: {}}\n",
        encoding="utf-8",
    )
    line = error_line(cli_archive("add", str(path)))
    assert "2018-02-30" in line and "nothing from this file was recorded" in line
    path.write_text(path.read_text().replace("2018-02-30", "2018-02-28"), encoding="utf-8")
    ok(cli_archive("add", str(path)))
