"""Who may do what, and who may see what: the one place that decides.

Four roles, from most to least trusted:

- **admin**: everything, including accounts, keys, the audit log and full backups;
- **editor**: records testimonies, imports, edits, reviews, handles evidence and consent;
  sees restricted data (every read of it is audited);
- **researcher**: reads internal data, writes nothing; restricted fields are withheld;
- **viewer**: reads public data only.

An archive without accounts is a single-owner archive: whoever holds the passphrase acts
as its owner, with the admin role. ``authorize`` raises :class:`AccessDenied` for an action
the role may not take; ``max_sensitivity`` is the most sensitive level a role may read.
What is withheld below that level is decided by :class:`Disclosure` (services apply it).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from enum import Enum

from guwah.model.errors import AccessDenied
from guwah.model.records import Claim, Person, Source
from guwah.model.vocab import ClaimKind, PersonKind, Sensitivity
from guwah.secure.consent import ConsentBook

MARKER = "[RESTRICTED]"  # upper case: Rich does not take it for a style tag
# In free text (quotes, a list row kept as the quote, testimony text): what looks like an
# ID number (7 or more digits in a row, with a final X) or a phone number (+ and digits).
_NUMBERS = re.compile(r"\d{7,}[Xx]?|\+\d[\d\s-]{6,}\d")


def scrub(text: str | None) -> str | None:
    """Free text with ID-number-like and phone-like runs of digits masked."""
    return _NUMBERS.sub(MARKER, text) if text else text


class Role(str, Enum):
    ADMIN = "admin"
    EDITOR = "editor"
    RESEARCHER = "researcher"
    VIEWER = "viewer"


class Action(str, Enum):
    """Every operation on an archive (values name the ``guwah`` command, dotted)."""

    # no archive, a new one, or recovery shares: nobody signs in (NO_SIGN_IN)
    INIT = "init"
    DEMO = "demo"
    NAMES_KEYS = "names.keys"
    NAMES_COMPARE = "names.compare"
    # reading (filtered by the role's level)
    SHOW = "show"
    SEARCH = "search"
    STATS = "stats"
    MATCH = "match"
    EXPORT_JSONL_PUBLIC = "export.jsonl.public"
    EXPORT_JSONL_INTERNAL = "export.jsonl.internal"
    EXPORT_JSONL_RESTRICTED = "export.jsonl.restricted"
    EXPORT_CSV_PUBLIC = "export.csv.public"
    EXPORT_CSV_INTERNAL = "export.csv.internal"
    EXPORT_CSV_RESTRICTED = "export.csv.restricted"
    EXPORT_FTM_PUBLIC = "export.ftm.public"
    EXPORT_FTM_INTERNAL = "export.ftm.internal"
    EXPORT_FTM_RESTRICTED = "export.ftm.restricted"
    # recording and editing
    ADD = "add"
    IMPORT = "import"
    CLAIM_ACCEPT = "claim.accept"
    CLAIM_REJECT = "claim.reject"
    CLAIM_CORRECT = "claim.correct"
    REINDEX = "reindex"
    DEDUPE = "dedupe"
    REVIEW_LIST = "review.list"
    REVIEW_CONFIRM = "review.confirm"
    REVIEW_REJECT = "review.reject"
    REVIEW_MERGE = "review.merge"
    REVIEW_SPLIT = "review.split"
    REVIEW_UNDO = "review.undo"
    # ingest: documents read, their proposals reviewed
    INGEST = "ingest"
    REVIEW_PROPOSALS = "review.proposals"
    REVIEW_ACCEPT = "review.accept"
    # evidence files and their custody
    EVIDENCE_ADD = "evidence.add"
    EVIDENCE_LIST = "evidence.list"
    EVIDENCE_SHOW = "evidence.show"
    EVIDENCE_GET = "evidence.get"
    EVIDENCE_EXPORT = "evidence.export"
    EVIDENCE_VERIFY = "evidence.verify"
    EVIDENCE_LINK = "evidence.link"
    # consent of testifiers
    CONSENT_RECORD = "consent.record"
    CONSENT_WITHDRAW = "consent.withdraw"
    CONSENT_SHOW = "consent.show"
    # the audit log
    AUDIT_VERIFY = "audit.verify"
    AUDIT_CHECKPOINT = "audit.checkpoint"
    AUDIT_LOG = "audit.log"
    # keys
    KEYS_STATUS = "keys.status"
    KEYS_ROTATE = "keys.rotate"
    KEYS_PASSPHRASE = "keys.passphrase"
    KEYS_SPLIT = "keys.split"
    KEYS_RECOVER = "keys.recover"
    LOCK = "lock"
    # the web desk and the public site
    SERVE = "serve"
    PUBLISH = "publish"
    CASE_EDIT = "case.edit"
    # campaigns (cases): read at the role's level; changed by editors (CASE_EDIT: the desk)
    CASE_LIST = "case.list"
    CASE_SHOW = "case.show"
    CASE_OPEN = "case.open"
    CASE_STATUS = "case.status"
    CASE_ACTION = "case.action"
    CASE_DONE = "case.done"
    CORRECTIONS_REVIEW = "corrections.review"
    BACKUP = "backup"
    # accounts
    USER_ADD = "user.add"
    USER_LIST = "user.list"
    USER_ROLE = "user.role"
    USER_PASSWD = "user.passwd"
    USER_DISABLE = "user.disable"
    USER_ENABLE = "user.enable"
    USER_UNLOCK = "user.unlock"
    USER_TOTP = "user.totp"
    USER_TOKEN_CREATE = "user.token.create"
    USER_TOKEN_REVOKE = "user.token.revoke"
    USER_TOKEN_LIST = "user.token.list"

    @property
    def command(self) -> str:
        """The ``guwah`` command that takes this action (``claim accept``, ``export``)."""
        if self.value.startswith("export."):
            return "export"
        return self.value.replace(".", " ")

    @property
    def label(self) -> str:
        """The action in words, for messages (``export of restricted data as jsonl``)."""
        if self.value.startswith("export."):
            _, fmt, level = self.value.split(".")
            return f"export of {level} data as {fmt}"
        return f"guwah {self.command}"


# Actions taken without signing in: they need no archive, create a new one, or (keys
# recover) take the trustees' recovery shares as their authority, as the passphrase is lost.
NO_SIGN_IN = frozenset(
    {Action.INIT, Action.DEMO, Action.NAMES_KEYS, Action.NAMES_COMPARE, Action.KEYS_RECOVER}
)

_ALL = frozenset(Role)
_READERS = frozenset({Role.ADMIN, Role.EDITOR, Role.RESEARCHER})
_EDITORS = frozenset({Role.ADMIN, Role.EDITOR})
_ADMIN = frozenset({Role.ADMIN})


def _grants() -> dict[Action, frozenset[Role]]:
    grants: dict[Action, frozenset[Role]] = {}
    for action in NO_SIGN_IN:
        grants[action] = _ALL
    for action in (Action.SHOW, Action.SEARCH, Action.STATS, Action.MATCH, Action.LOCK):
        grants[action] = _ALL
    for action in Action:
        if action.value.startswith("export."):
            level = action.value.rsplit(".", 1)[1]
            grants[action] = {"public": _ALL, "internal": _READERS, "restricted": _ADMIN}[level]
    editing = [
        Action.ADD, Action.IMPORT, Action.CLAIM_ACCEPT, Action.CLAIM_REJECT,
        Action.CLAIM_CORRECT, Action.REINDEX, Action.DEDUPE, Action.REVIEW_LIST,
        Action.REVIEW_CONFIRM, Action.REVIEW_REJECT, Action.REVIEW_MERGE, Action.REVIEW_SPLIT,
        Action.REVIEW_UNDO, Action.INGEST, Action.REVIEW_PROPOSALS, Action.REVIEW_ACCEPT,
        Action.EVIDENCE_ADD, Action.EVIDENCE_LIST, Action.EVIDENCE_SHOW,
        Action.EVIDENCE_GET, Action.EVIDENCE_VERIFY, Action.EVIDENCE_LINK,
        Action.CONSENT_RECORD, Action.CONSENT_WITHDRAW, Action.CONSENT_SHOW,
        Action.AUDIT_VERIFY, Action.PUBLISH, Action.CASE_EDIT, Action.CORRECTIONS_REVIEW,
    ]  # fmt: skip
    for action in editing:
        grants[action] = _EDITORS
    # campaign plans may name people in China: never at the public level (viewers)
    for action in (Action.CASE_LIST, Action.CASE_SHOW):
        grants[action] = _READERS
    for action in (Action.CASE_OPEN, Action.CASE_STATUS, Action.CASE_ACTION, Action.CASE_DONE):
        grants[action] = _EDITORS
    for action in Action:
        grants.setdefault(action, _ADMIN)
    return grants


# Which roles may take each action. Everything not listed for a wider group is admin only.
PERMISSIONS: dict[Action, frozenset[Role]] = _grants()

# Actions every role may take on its own account (``guwah user passwd`` of oneself...).
SELF_SERVICE = frozenset(
    {
        Action.USER_PASSWD,
        Action.USER_TOTP,
        Action.USER_TOKEN_CREATE,
        Action.USER_TOKEN_REVOKE,
        Action.USER_TOKEN_LIST,
    }
)


_LEVEL = {
    Role.ADMIN: Sensitivity.RESTRICTED,
    Role.EDITOR: Sensitivity.RESTRICTED,
    Role.RESEARCHER: Sensitivity.INTERNAL,
    Role.VIEWER: Sensitivity.PUBLIC,
}


@dataclass(frozen=True)
class Principal:
    """Who is acting: a signed-in account, or the owner of an archive without accounts."""

    name: str
    role: Role
    owner: bool = False  # the single owner of an archive that has no accounts

    @classmethod
    def single_owner(cls, name: str = "owner") -> Principal:
        return cls(name, Role.ADMIN, owner=True)


def allowed(principal: Principal, action: Action, *, own: bool = False) -> bool:
    """Whether the principal may take the action (``own``: on their own account)."""
    if own and action in SELF_SERVICE:
        return True
    return principal.role in PERMISSIONS[action]


def authorize(principal: Principal, action: Action, *, own: bool = False) -> None:
    """Nothing if the action is allowed; AccessDenied (one line) if not."""
    if not allowed(principal, action, own=own):
        raise AccessDenied(f"{action.label} is not allowed for role {principal.role.value}")


def max_sensitivity(principal: Principal) -> Sensitivity:
    """The most sensitive level of records the principal may read."""
    return _LEVEL[principal.role]


def export_action(fmt: str, level: Sensitivity) -> Action:
    """The action of exporting in a format (jsonl, csv, ftm) up to a level."""
    return Action(f"export.{fmt}.{level.value}")


# --- what is withheld below the restricted level ---------------------------------------

# Claim kinds that are restricted whatever the record's level: Chinese ID numbers.
RESTRICTED_KINDS = frozenset({ClaimKind.ID_NUMBER})
# Claim kinds whose free text (an exact address) is restricted; the gazetteer place
# (county or prefecture) stays.
EXACT_PLACE_KINDS = frozenset({ClaimKind.RESIDENT_OF})


def is_testifier(person: Person, testifiers: Collection[str]) -> bool:
    """A person whose part in the archive is to have testified (not a victim too)."""
    testified = PersonKind.TESTIFIER in person.kinds or person.id in testifiers
    return testified and PersonKind.VICTIM not in person.kinds


@dataclass(frozen=True)
class Disclosure:
    """What may be shown at one level, given the testifiers' consent.

    At the restricted level everything is shown. Below it:

    - records (persons, sources) above the level are withheld, with every claim that
      needs them (its person, its source, the person it relates to);
    - a testifier's identity (the link from a source to its testifier, and the record of
      a person who testified and is not a victim) only with consent to publish the name;
    - ID numbers are withheld, and so is the free text (exact address) of a residence;
      in all free text, runs of digits that look like an ID or phone number are masked;
    - at the public level, a testimony's original text and quotes need consent to publish
      the text, the title and reliability note of a source whose testifier may not be
      named are withheld (they often name the testifier), and a victim named only in
      testimonies needs consent to publish the victim's identity (or a public source that
      is not a testimony naming them).
    """

    level: Sensitivity
    consent: ConsentBook
    testifiers: frozenset[str] = frozenset()  # ids of people who testified in some source

    @property
    def everything(self) -> bool:
        return self.level is Sensitivity.RESTRICTED

    def person(self, person: Person, sources: Iterable[Source] = ()) -> bool:
        """Whether the person's record may be shown; ``sources``: those speaking of them
        (used at the public level for a victim's identity)."""
        if self.everything:
            return True
        if person.sensitivity.rank > self.level.rank:
            return False
        if is_testifier(person, self.testifiers):
            return self.consent.of_testifier(person.id).publish_name
        if self.level is Sensitivity.PUBLIC and PersonKind.VICTIM in person.kinds:
            return self.victim_identity(person, sources)
        return True

    def victim_identity(self, person: Person, sources: Iterable[Source]) -> bool:
        """At the public level: a public non-testimony source names the victim, or a
        testifier agreed to publish the victim's identity (or testified themselves and
        agreed to publish their own name)."""
        if self.consent.of_testifier(person.id).publish_name:
            return True
        for source in sources:
            if source.sensitivity is not Sensitivity.PUBLIC:
                continue
            if not source.kind.is_testimony:
                return True
            if self.consent.of_source(source.id).publish_victim_identity:
                return True
        return False

    def source(self, source: Source) -> Source | None:
        """The source as it may be shown (testifier and text withheld as needed), or None."""
        if self.everything:
            return source
        if source.sensitivity.rank > self.level.rank:
            return None
        consent = self.consent.of_source(source.id)
        testifier = source.testifier_id if consent.publish_name else None
        text = source.original_text
        title, reliability = source.title, source.reliability
        if self.level is Sensitivity.PUBLIC and source.kind.is_testimony:
            text = text if consent.publish_testimony_text else None
        if source.testifier_id and testifier is None:
            # written by a documenter, they often name the testifier ("Testimony of ...",
            # "her cousin, reliable"): withheld with the testifier, at every level
            title, reliability = "", None
        return replace(
            source,
            testifier_id=testifier,
            original_text=scrub(text),
            title=scrub(title) or "",
            reliability=scrub(reliability),
        )

    def claim(self, claim: Claim, source: Source | None, *, marker: bool = False) -> Claim | None:
        """The claim as it may be shown, or None. ``source`` is the claim's source as
        :meth:`source` returned it (None: withheld). ``marker``: show withheld values as
        ``[RESTRICTED]`` instead of leaving out the claim (for a reader; exports drop)."""
        if self.everything:
            return claim
        if source is None:
            return None
        if claim.kind in RESTRICTED_KINDS:
            if not marker:
                return None
            return replace(claim, value={"text": MARKER}, quote=None)
        value = {k: scrub(v) if isinstance(v, str) else v for k, v in claim.value.items()}
        place_text, quote = scrub(claim.place_text), scrub(claim.quote)
        if claim.kind in EXACT_PLACE_KINDS:
            value = {k: v for k, v in value.items() if k != "text"}
            if marker and "text" in claim.value:
                value["text"] = MARKER
            place_text = (MARKER if marker else None) if place_text else None
        if (
            self.level is Sensitivity.PUBLIC
            and source.kind.is_testimony
            and not self.consent.of_source(source.id).publish_testimony_text
        ):
            quote = None
        return replace(claim, value=value, place_text=place_text, quote=quote)
