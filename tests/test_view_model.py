"""derive_view on hand-made claims: statuses in sequence versus real contradictions."""

from __future__ import annotations

from guwah.model.records import Claim
from guwah.model.view import derive_view
from guwah.model.vocab import ClaimKind, ClaimStatus, VictimStatus


def _claim(n: int, kind: ClaimKind, date: str | None, source: str) -> Claim:
    value = {"years": 10} if kind is ClaimKind.SENTENCED else {}
    return Claim(f"C-{n:06d}", "P-000001", source, kind, value, ClaimStatus.ACCEPTED, date=date)


def test_an_earlier_detention_is_history_not_a_conflict() -> None:
    claims = [
        _claim(1, ClaimKind.DETAINED, "2017-10", "S-000001"),
        _claim(2, ClaimKind.SENTENCED, "2019", "S-000001"),
    ]
    view = derive_view([], claims, {})
    assert view.status is VictimStatus.SENTENCED
    assert view.fields["status"].conflicting == []


def test_a_release_and_a_sentence_in_the_same_year_conflict() -> None:
    claims = [
        _claim(1, ClaimKind.DETAINED, "2017", "S-000001"),
        _claim(2, ClaimKind.SENTENCED, "2019", "S-000001"),
        _claim(3, ClaimKind.RELEASED, "2019", "S-000002"),
    ]
    view = derive_view([], claims, {"S-000001": "P-000009", "S-000002": "P-000010"})
    status = view.fields["status"]
    others = {v.text for v in status.conflicting}
    assert status.best.text in {"sentenced", "released"}
    assert others == {"sentenced", "released"} - {status.best.text}
    assert "detained" not in others


def test_an_undated_later_stage_event_decides_and_earlier_ones_do_not_conflict() -> None:
    claims = [
        _claim(1, ClaimKind.DETAINED, "2018-03", "S-000001"),
        _claim(2, ClaimKind.RELEASED, None, "S-000002"),
    ]
    view = derive_view([], claims, {})
    assert view.status is VictimStatus.RELEASED
    assert view.fields["status"].conflicting == []
