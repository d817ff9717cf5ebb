"""The policy module on its own: who may take which action, and what each level withholds
(testifier identities, ID numbers, exact addresses, testimony text, victims' identity)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from guwah.model.errors import AccessDenied
from guwah.model.records import Claim, Person, Source
from guwah.model.vocab import ClaimKind, ClaimStatus, PersonKind, Sensitivity, SourceKind
from guwah.secure.consent import NOTHING, Consent, ConsentBook, How
from guwah.secure.policy import (
    MARKER,
    NO_SIGN_IN,
    PERMISSIONS,
    SELF_SERVICE,
    Action,
    Disclosure,
    Principal,
    Role,
    allowed,
    authorize,
    export_action,
    max_sensitivity,
)

ADMIN, EDITOR = Principal("ayla", Role.ADMIN), Principal("erkin", Role.EDITOR)
RESEARCHER, VIEWER = Principal("rana", Role.RESEARCHER), Principal("vali", Role.VIEWER)
WRITES = {
    Action.ADD, Action.IMPORT, Action.CLAIM_ACCEPT, Action.CLAIM_REJECT, Action.CLAIM_CORRECT,
    Action.REVIEW_CONFIRM, Action.REVIEW_MERGE, Action.DEDUPE, Action.EVIDENCE_ADD,
    Action.CONSENT_RECORD, Action.CONSENT_WITHDRAW, Action.USER_ADD, Action.KEYS_ROTATE,
}  # fmt: skip


def test_every_action_has_a_rule_and_admin_may_take_all() -> None:
    assert set(PERMISSIONS) == set(Action)
    assert all(allowed(ADMIN, action) for action in Action)
    assert allowed(Principal.single_owner("me"), Action.KEYS_ROTATE)


def test_researchers_and_viewers_write_nothing() -> None:
    for principal in (RESEARCHER, VIEWER):
        for action in WRITES:
            assert not allowed(principal, action), (principal.role, action)
    for action in WRITES - {Action.USER_ADD, Action.KEYS_ROTATE}:
        assert allowed(EDITOR, action), action
    assert not allowed(EDITOR, Action.USER_ADD) and not allowed(EDITOR, Action.KEYS_ROTATE)


def test_exports_by_level() -> None:
    for fmt in ("jsonl", "csv", "ftm"):
        public = export_action(fmt, Sensitivity.PUBLIC)
        internal = export_action(fmt, Sensitivity.INTERNAL)
        restricted = export_action(fmt, Sensitivity.RESTRICTED)
        assert all(allowed(p, public) for p in (ADMIN, EDITOR, RESEARCHER, VIEWER))
        assert [allowed(p, internal) for p in (ADMIN, EDITOR, RESEARCHER, VIEWER)] == [
            True, True, True, False,
        ]  # fmt: skip
        assert [allowed(p, restricted) for p in (ADMIN, EDITOR, RESEARCHER, VIEWER)] == [
            True, False, False, False,
        ]  # fmt: skip


def test_levels_and_the_refusal_message() -> None:
    assert [max_sensitivity(p) for p in (ADMIN, EDITOR, RESEARCHER, VIEWER)] == [
        Sensitivity.RESTRICTED, Sensitivity.RESTRICTED, Sensitivity.INTERNAL, Sensitivity.PUBLIC,
    ]  # fmt: skip
    with pytest.raises(AccessDenied, match=r"^guwah claim accept is not allowed for role viewer$"):
        authorize(VIEWER, Action.CLAIM_ACCEPT)
    with pytest.raises(AccessDenied, match=r"export of restricted data as jsonl .* researcher"):
        authorize(RESEARCHER, export_action("jsonl", Sensitivity.RESTRICTED))
    authorize(EDITOR, Action.CLAIM_ACCEPT)


def test_own_account_is_self_service_only_for_its_actions() -> None:
    for action in SELF_SERVICE:
        assert not allowed(VIEWER, action)
        assert allowed(VIEWER, action, own=True)
    assert not allowed(VIEWER, Action.USER_ROLE, own=True)  # nobody raises their own role


def test_actions_without_sign_in_are_open_to_everyone() -> None:
    assert {Action.INIT, Action.DEMO, Action.KEYS_RECOVER} <= NO_SIGN_IN
    assert all(allowed(VIEWER, action) for action in NO_SIGN_IN)


# --- Disclosure -----------------------------------------------------------------------------

VICTIM = Person("P-000001", (PersonKind.VICTIM,), Sensitivity.PUBLIC)
TESTIFIER = Person("P-000002", (PersonKind.TESTIFIER,), Sensitivity.PUBLIC)
WITNESS_VICTIM = Person("P-000003", (PersonKind.VICTIM, PersonKind.TESTIFIER), Sensitivity.PUBLIC)
HIDDEN = Person("P-000004", (PersonKind.VICTIM,), Sensitivity.RESTRICTED)
TESTIMONY = Source(
    "S-000001", SourceKind.TESTIMONY_ORAL, "Daughter's testimony", Sensitivity.PUBLIC,
    testifier_id="P-000002", original_text="My mother was taken in 2017.",
)  # fmt: skip
ARTICLE = Source("S-000002", SourceKind.NEWS_ARTICLE, "Press report", Sensitivity.PUBLIC)
SECRET = Source("S-000003", SourceKind.TESTIMONY_VIDEO, "Video", Sensitivity.RESTRICTED)


def _claim(kind: ClaimKind, source: str = "S-000001", value: dict[str, Any] | None = None,
           **extra: Any) -> Claim:  # fmt: skip
    return Claim("C-000001", "P-000001", source, kind, value or {}, ClaimStatus.ACCEPTED, **extra)


def _consent(n: int, **grants: Any) -> Consent:
    return Consent(id=n, how=How.WRITTEN, **grants)


def _book(*records: Consent) -> ConsentBook:
    return ConsentBook(records, {"S-000001": "P-000002", "S-000002": None, "S-000003": None})


def test_restricted_level_shows_everything() -> None:
    full = Disclosure(Sensitivity.RESTRICTED, ConsentBook())
    assert full.person(TESTIFIER) and full.person(HIDDEN)
    assert full.source(TESTIMONY) == TESTIMONY
    claim = _claim(ClaimKind.ID_NUMBER, value={"text": "650102196502140021"})
    assert full.claim(claim, TESTIMONY) == claim


def test_testifier_identity_needs_consent_to_publish_the_name() -> None:
    internal = Disclosure(Sensitivity.INTERNAL, _book(), frozenset({"P-000002"}))
    assert not internal.person(TESTIFIER)
    assert internal.person(WITNESS_VICTIM)  # a victim's own record is not hidden as a witness
    shown = internal.source(TESTIMONY)
    assert shown is not None and shown.testifier_id is None
    assert shown.original_text == TESTIMONY.original_text  # text is internal data
    grant = _consent(1, source_id="S-000001", testifier_id="P-000002", publish_name=True)
    named = replace(internal, consent=_book(grant))
    assert named.person(TESTIFIER)
    assert named.source(TESTIMONY) == TESTIMONY


def test_records_above_the_level_are_withheld() -> None:
    internal = Disclosure(Sensitivity.INTERNAL, _book())
    assert not internal.person(HIDDEN)
    assert internal.source(SECRET) is None
    assert internal.claim(_claim(ClaimKind.DETAINED, "S-000003"), None) is None


def test_id_numbers_and_exact_addresses_are_restricted_fields() -> None:
    internal = Disclosure(Sensitivity.INTERNAL, _book())
    number = _claim(ClaimKind.ID_NUMBER, value={"text": "650102196502140021"})
    assert internal.claim(number, ARTICLE) is None  # exports leave it out
    marked = internal.claim(number, ARTICLE, marker=True)
    assert marked is not None and marked.value == {"text": MARKER}  # a reader sees it is there
    home = _claim(ClaimKind.RESIDENT_OF, "S-000002", value={"text": "Building 4, Unity Road 12"},
                  place_code="CN-653101", place_text="Unity Road 12, Kashgar")  # fmt: skip
    shown = internal.claim(home, ARTICLE)
    assert shown is not None
    assert (shown.value, shown.place_text, shown.place_code) == ({}, None, "CN-653101")
    marked = internal.claim(home, ARTICLE, marker=True)
    assert marked is not None and marked.value == {"text": MARKER} and marked.place_text == MARKER


def test_public_level_text_and_quotes_need_consent() -> None:
    public = Disclosure(Sensitivity.PUBLIC, _book())
    withheld = public.source(TESTIMONY)
    assert withheld is not None and withheld.original_text is None
    quoted = _claim(ClaimKind.DETAINED, quote="They came at night.")
    assert public.claim(quoted, withheld) == replace(quoted, quote=None)
    text = _consent(1, source_id="S-000001", publish_testimony_text=True)
    granted = replace(public, consent=_book(text))
    shown = granted.source(TESTIMONY)
    assert shown is not None and shown.original_text == TESTIMONY.original_text
    claim = granted.claim(quoted, shown)
    assert claim is not None and claim.quote == "They came at night."


def test_public_level_victim_identity() -> None:
    public = Disclosure(Sensitivity.PUBLIC, _book())
    assert not public.person(VICTIM, [TESTIMONY])  # named only in a testimony: no consent
    assert public.person(VICTIM, [TESTIMONY, ARTICLE])  # a public article names them
    assert not public.person(VICTIM, [replace(ARTICLE, sensitivity=Sensitivity.INTERNAL)])
    agreed = replace(
        public, consent=_book(_consent(1, source_id="S-000001", publish_victim_identity=True))
    )
    assert agreed.person(VICTIM, [TESTIMONY])


def test_the_latest_consent_that_applies_wins() -> None:
    grant = _consent(1, source_id="S-000001", testifier_id="P-000002", publish_name=True)
    general = _consent(2, testifier_id="P-000002", publish_testimony_text=True)
    withdrawn = _consent(3, source_id="S-000001", testifier_id="P-000002", withdrawal=True)
    assert _book().of_source("S-000001") is NOTHING
    assert _book(grant).of_source("S-000001").publish_name
    later = _book(grant, general)  # about the testifier in general, recorded later: wins
    assert later.of_source("S-000001") == general and not later.of_source("S-000001").publish_name
    assert _book(grant, general, withdrawn).of_source("S-000001").withdrawal
    assert _book(grant, general, withdrawn).of_testifier("P-000002").withdrawal
    assert _book(grant).of_source("S-000002") is NOTHING  # another source: not covered


def test_numbers_in_free_text_are_masked_below_restricted() -> None:
    internal = Disclosure(Sensitivity.INTERNAL, _book())
    row = "姓名: 哈尼木古丽; 身份证号: 65242719530312022X; 电话 +86 139 1234 5678; 2017-10-12"
    claim = internal.claim(_claim(ClaimKind.DETAINED, "S-000002", quote=row), ARTICLE)
    assert claim is not None
    assert claim.quote == f"姓名: 哈尼木古丽; 身份证号: {MARKER}; 电话 {MARKER}; 2017-10-12"
    full = Disclosure(Sensitivity.RESTRICTED, ConsentBook())
    shown = full.claim(_claim(ClaimKind.DETAINED, quote=row), TESTIMONY)
    assert shown is not None and shown.quote == row
