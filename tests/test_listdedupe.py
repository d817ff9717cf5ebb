"""Deduplicating a CSV list on its own: every row clustered, bad lists refused whole."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import pytest
from stdnum.cn import ric

from guwah.model.errors import InvalidInput
from guwah.services.listdedupe import dedupe_list


def resident_id(birth: str, sequence: int) -> str:
    body = f"650102{birth}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def write(path: Path, text: str, *, bom: bool = False) -> Path:
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def clusters(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["id", "cluster"]
    return [(row[0], row[1]) for row in rows[1:]]


LIST = """ID,Name,Birth_Year,Gender,Place,ID_Number,notes
r3,Gulbahar Haitiwaji,1966,female,Ghulja,,seen in 2019
r1,Гүлбаһар Һайтиваҗи,1966,F,,,
r2,گۈلباھار ھەيتىۋاجى,1967,,,,
r4,Gulnar Tursun,1980,female,Kashgar,,
r5,Mihrigul Tursun,1980,female,Kashgar,,
r6,Ekpar Asat,1975,male,,{number},
r7,Экпар Асатов,,,,{number},
r8,Tashpolat Tiyip,1958,male,,650102195801011234,
"""


def test_a_list_gets_one_cluster_per_row_in_input_order(tmp_path: Path) -> None:
    source = write(
        tmp_path / "list.csv", LIST.format(number=resident_id("19751103", 121)), bom=True
    )
    out = tmp_path / "clusters.csv"
    report = dedupe_list(source, out)
    rows = clusters(out)
    assert [row[0] for row in rows] == ["r3", "r1", "r2", "r4", "r5", "r6", "r7", "r8"]
    cluster = dict(rows)
    assert cluster["r3"] == cluster["r1"] == cluster["r2"] == "r1"  # the smallest id
    assert cluster["r4"] == "r4" and cluster["r5"] == "r5"  # sisters stay apart
    assert cluster["r6"] == cluster["r7"] == "r6"
    assert cluster["r8"] == "r8"
    assert report.rows == 8
    assert report.clusters == 5
    assert report.multi_member_clusters == 2
    assert report.pairs_linked >= 3
    assert report.invalid_id_numbers == 1  # r8's number has a wrong check digit
    assert report.seconds > 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert {p.name for p in tmp_path.iterdir()} == {"list.csv", "clusters.csv"}


def test_one_row_and_a_header_alone(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    dedupe_list(write(tmp_path / "one.csv", "id,name\n7,Rahile Dawut\n"), out)
    assert clusters(out) == [("7", "7")]
    report = dedupe_list(write(tmp_path / "none.csv", "id,name\n"), out)
    assert clusters(out) == []
    assert report.rows == 0 and report.clusters == 0


def test_progress_reaches_the_writing_stage(tmp_path: Path) -> None:
    stages: list[str] = []
    source = write(tmp_path / "l.csv", "id,name\na,Ekpar Asat\nb,Ekpar Asat\n")
    dedupe_list(source, tmp_path / "o.csv", progress=lambda s, d, t: stages.append(s))
    assert stages[-1] == "writing" and "features" in stages


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "has no header row"),
        ("name,place\nX Y,Hotan\n", "no 'id' column"),
        ("id,place\n1,Hotan\n", "no 'name' column"),
        ("id,name,Name\n1,X,Y\n", "the column 'name' appears twice"),
        (
            "id,name\n1,Ekpar Asat\n2,Ekpar Asat\n1,Ekpar Asat\n",
            "row 4: duplicate id '1' .first on row 2.",
        ),
        ("id,name\n1,Ekpar Asat\n ,Ekpar Asat\n", "row 3: empty id"),
        (
            "id,name,birth_year\n1,Ekpar Asat,about 1975\n",
            "row 2: birth_year 'about 1975' is not a year",
        ),
        ("id,name,birth_year\n1,Ekpar Asat,3025\n", "row 2: birth_year '3025' is not a year"),
        (
            "id,name,gender\n1,Ekpar Asat,male\n2,Ekpar Asat,x\n",
            "row 3: gender must be male or female",
        ),
    ],
)
def test_bad_lists_give_one_line_and_no_output(tmp_path: Path, text: str, message: str) -> None:
    source = write(tmp_path / "list.csv", text)
    out = tmp_path / "out.csv"
    with pytest.raises(InvalidInput, match=message) as raised:
        dedupe_list(source, out)
    assert "\n" not in str(raised.value)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["list.csv"]


def test_missing_or_unreadable_files_and_bad_destinations(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    with pytest.raises(InvalidInput, match="no such file"):
        dedupe_list(tmp_path / "missing.csv", out)
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("id,name\n1,Gülbahar\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        dedupe_list(latin1, out)
    source = write(tmp_path / "list.csv", "id,name\n1,Ekpar Asat\n")
    with pytest.raises(InvalidInput, match="no such directory"):
        dedupe_list(source, tmp_path / "nowhere" / "out.csv")
    with pytest.raises(InvalidInput, match="is a directory"):
        dedupe_list(source, tmp_path)
    with pytest.raises(InvalidInput, match="is the input list"):
        dedupe_list(source, source)
    assert not out.exists()


def test_an_existing_output_is_replaced_only_on_success(tmp_path: Path) -> None:
    out = write(tmp_path / "out.csv", "old\n")
    with pytest.raises(InvalidInput):
        dedupe_list(write(tmp_path / "bad.csv", "id,name\n,x\n"), out)
    assert out.read_text() == "old\n"
    dedupe_list(write(tmp_path / "good.csv", "id,name\na,x\n"), out)
    assert clusters(out) == [("a", "a")]
