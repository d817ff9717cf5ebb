"""Claim drafts made from the same words for many people (a list's repeated values) are
the same as made afresh, independent of each other, and never let a bad value through
because an equal-looking good one came first."""

from __future__ import annotations

import pytest

from guwah.model.errors import InvalidInput
from guwah.model.gazetteer import load_gazetteer
from guwah.model.vocab import ClaimStatus
from guwah.services.drafts import make_claim

ACCEPTED = ClaimStatus.ACCEPTED


def test_drafts_of_the_same_words_belong_to_their_own_people_and_values() -> None:
    gazetteer = load_gazetteer()
    words = {"kind": "detained", "date": "2018", "place": "Kashgar", "value": {"text": "camp"}}

    first = make_claim(dict(words), gazetteer, ACCEPTED, "line1")
    second = make_claim(dict(words), gazetteer, ACCEPTED, "line2")
    second.value["text"] = "changed"

    assert (first.subject, second.subject) == ("line1", "line2")
    assert first.value == {"text": "camp"}
    assert (first.date, first.year_min, first.year_max) == ("2018", 2018, 2018)
    assert first.place_code is not None and first.place_text is None
    assert first.content == make_claim(dict(words), gazetteer, ACCEPTED, "line3").content


def test_a_value_equal_to_an_accepted_one_but_of_another_type_is_still_checked() -> None:
    gazetteer = load_gazetteer()
    make_claim({"kind": "sentenced", "value": {"years": 5}}, gazetteer, ACCEPTED, "line1")

    for bad in (5.0, True):
        with pytest.raises(InvalidInput, match="years must be a whole number"):
            make_claim({"kind": "sentenced", "value": {"years": bad}}, gazetteer, ACCEPTED, "x")


def test_a_bad_claim_is_refused_every_time_and_an_id_number_is_checked_each_time() -> None:
    gazetteer = load_gazetteer()
    for _ in range(2):
        with pytest.raises(InvalidInput, match="unknown claim kind"):
            make_claim({"kind": "arrested"}, gazetteer, ACCEPTED, "line1")
        with pytest.raises(InvalidInput):
            make_claim(
                {"kind": "id_number", "value": {"text": "650120196712285412"}},
                gazetteer,
                ACCEPTED,
                "line1",
            )
    good = {"kind": "id_number", "value": {"text": "650120196712285411"}}
    assert make_claim(good, gazetteer, ACCEPTED, "line2").value == {"text": "650120196712285411"}
