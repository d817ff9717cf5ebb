"""Names and words shared by many people: the candidate search reads a bounded share of a
common key's holders, and full-text search past ``RANKED_MATCHES`` comes in archive order
read from the index. The thresholds are made small so that a few people reach them. A
merged person's names count as the names of the person they were merged into."""

from __future__ import annotations

from pathlib import Path

import pytest

from guwah.match import candidates
from guwah.match.candidates import CandidateQuery, find_candidates
from guwah.services import review
from guwah.services.archive import Archive
from guwah.services.importing import import_file
from guwah.store import search as store_search
from guwah.store.search import SearchFilters

PEOPLE = """id,name,gender,birth_year,ethnicity,hometown
L-1,Muhammad Tursun,male,1970,uyghur,Kashgar
L-2,Muhammad Ablet,male,1980,uyghur,Hotan
L-3,Muhammad Ghopur,male,1975,uyghur,Aksu
L-4,Muhammad Tursun,male,1990,uyghur,Kashgar
L-5,Gulnar Tursun,female,1985,uyghur,Turpan
L-6,Muhammad Niyaz,male,1990,uyghur,Kashgar
L-7,Patigul Tursun,female,1962,uyghur,Hotan
"""


@pytest.fixture
def namesakes(archive: Archive, tmp_path: Path) -> Archive:
    path = tmp_path / "list.csv"
    path.write_text(PEOPLE, encoding="utf-8")
    assert import_file(archive, path).created == 7
    return archive


def _found(archive: Archive, query: CandidateQuery) -> list[str]:
    with archive.engine.connect() as conn:
        return [c.public_id for c in find_candidates(conn, query, limit=10)]


def test_a_lone_common_name_gives_its_first_holders(
    namesakes: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    everyone = _found(namesakes, CandidateQuery("Muhammad"))
    monkeypatch.setattr(candidates, "COMMON_KEY", 2)  # five holders: common
    monkeypatch.setattr(candidates, "MAX_CANDIDATES", 2)

    found = _found(namesakes, CandidateQuery("Мухаммед"))

    assert len(everyone) == 5
    assert sorted(found) == ["P-000001", "P-000002"]


def test_birth_year_ranks_the_holders_of_a_common_name(
    namesakes: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(candidates, "COMMON_KEY", 2)
    monkeypatch.setattr(candidates, "MAX_CANDIDATES", 2)

    found = _found(namesakes, CandidateQuery("Muhammad", birth_year=1990))

    assert sorted(found) == ["P-000004", "P-000006"]


def test_two_common_names_are_looked_for_together(
    namesakes: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(candidates, "COMMON_KEY", 2)  # Muhammad and Tursun both common

    found = _found(namesakes, CandidateQuery("Muhammad Tursun"))

    assert found[:2] == ["P-000001", "P-000004"]


def test_many_full_text_matches_come_in_archive_order_page_by_page(
    namesakes: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    filters = SearchFilters()
    with namesakes.engine.connect() as conn:
        ranked = store_search.search(conn, "Tursun", filters, 10, 0)
        monkeypatch.setattr(store_search, "RANKED_MATCHES", 2)
        everyone = store_search.search(conn, "Tursun", filters, 10, 0)
        pages = [store_search.search(conn, "Tursun", filters, 2, offset) for offset in (0, 2)]
        kashgar = SearchFilters(prefecture_codes=("CN-653100",))  # Kashgar prefecture
        from_kashgar = store_search.search(conn, "Tursun", kashgar, 1, 1)

    ids = [row.person_id for row in everyone]
    assert sorted(row.person_id for row in ranked) == ids == [1, 4, 5, 7]
    assert [row.person_id for page in pages for row in page] == ids
    assert [row.person_id for row in from_kashgar] == [4]


def test_a_merged_persons_names_are_compared_as_the_kept_persons(
    archive: Archive, tmp_path: Path
) -> None:
    path = tmp_path / "twice.csv"
    path.write_text(
        "id,name,gender,birth_year,ethnicity,hometown\n"
        "T-1,Patigul Tursun,female,1962,uyghur,Hotan\n"
        "T-2,Патигүл Турсун,female,1962,uyghur,Hotan\n",
        encoding="utf-8",
    )
    import_file(archive, path)
    review.find_duplicates(archive)
    (item,) = review.list_items(archive)
    review.decide(archive, item["item"], "merge", keep="P-000001")

    with archive.engine.connect() as conn:
        found = find_candidates(conn, CandidateQuery("Патигүл Турсун"), limit=10)

    assert [(c.public_id, c.matched_name) for c in found] == [("P-000001", "Патигүл Турсун")]
