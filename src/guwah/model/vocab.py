"""Closed vocabularies of the record: every kind, status and role is one of these."""

from __future__ import annotations

from enum import Enum


class PersonKind(str, Enum):
    VICTIM = "victim"
    TESTIFIER = "testifier"
    OFFICIAL = "official"
    OTHER = "other"


class Sensitivity(str, Enum):
    """How widely a record may be shown. Ordered: public < internal < restricted."""

    PUBLIC = "public"
    INTERNAL = "internal"
    RESTRICTED = "restricted"

    @property
    def rank(self) -> int:
        return _SENSITIVITY_RANK[self]


_SENSITIVITY_RANK = {Sensitivity.PUBLIC: 0, Sensitivity.INTERNAL: 1, Sensitivity.RESTRICTED: 2}


class Script(str, Enum):
    """ISO 15924 codes of the scripts names are written in."""

    LATIN = "Latn"
    CYRILLIC = "Cyrl"
    ARABIC = "Arab"
    HAN = "Hani"
    UNKNOWN = "Zyyy"


class NameKind(str, Enum):
    FULL = "full"
    GIVEN = "given"
    PATRONYMIC = "patronymic"
    SURNAME = "surname"
    ALIAS = "alias"


class SourceKind(str, Enum):
    TESTIMONY_ORAL = "testimony_oral"
    TESTIMONY_VIDEO = "testimony_video"
    TESTIMONY_WRITTEN = "testimony_written"
    NEWS_ARTICLE = "news_article"
    OFFICIAL_DOCUMENT = "official_document"
    LEAKED_LIST = "leaked_list"
    SOCIAL_MEDIA = "social_media"
    OTHER = "other"

    @property
    def is_testimony(self) -> bool:
        return self.value.startswith("testimony_")


class ClaimKind(str, Enum):
    BORN = "born"
    GENDER = "gender"
    ETHNICITY = "ethnicity"
    RESIDENT_OF = "resident_of"
    PROFESSION = "profession"
    ID_NUMBER = "id_number"
    DETAINED = "detained"
    SENTENCED = "sentenced"
    RELEASED = "released"
    DIED = "died"
    DISAPPEARED = "disappeared"
    TRANSFERRED = "transferred"
    FORCED_LABOUR = "forced_labour"
    FLED = "fled"
    THREATENED = "threatened"
    SURVEILLED = "surveilled"
    FAMILY_SEPARATED = "family_separated"
    BIRTH_CONTROL = "birth_control"
    LAST_CONTACT = "last_contact"
    RELATION = "relation"
    NOTE = "note"


class ClaimStatus(str, Enum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


class RelationType(str, Enum):
    MOTHER = "mother"
    FATHER = "father"
    CHILD = "child"
    SIBLING = "sibling"
    SPOUSE = "spouse"
    OTHER_RELATIVE = "other_relative"
    NEIGHBOUR = "neighbour"
    CELLMATE = "cellmate"
    COLLEAGUE = "colleague"


class FacilityType(str, Enum):
    CAMP = "camp"
    DETENTION_CENTRE = "detention_centre"
    PRISON = "prison"
    POLICE_CUSTODY = "police_custody"
    UNKNOWN = "unknown"


class VictimStatus(str, Enum):
    """A victim's situation as derived from the accepted claims (never stored by hand)."""

    DETAINED = "detained"
    SENTENCED = "sentenced"
    RELEASED = "released"
    UNDER_SURVEILLANCE = "under_surveillance"
    FORCED_LABOUR = "forced_labour"
    DISAPPEARED = "disappeared"
    DIED = "died"
    FLED = "fled"
    UNKNOWN = "unknown"


class CaseStatus(str, Enum):
    OPEN = "open"
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


class ActionKind(str, Enum):
    PETITION = "petition"
    LETTER = "letter"
    UN_SUBMISSION = "un_submission"
    MEDIA = "media"
    MEETING = "meeting"
    OTHER = "other"


# Claim kinds that are events in a victim's life and so decide their status.
STATUS_OF_EVENT: dict[ClaimKind, VictimStatus] = {
    ClaimKind.DETAINED: VictimStatus.DETAINED,
    ClaimKind.TRANSFERRED: VictimStatus.DETAINED,
    ClaimKind.SENTENCED: VictimStatus.SENTENCED,
    ClaimKind.RELEASED: VictimStatus.RELEASED,
    ClaimKind.SURVEILLED: VictimStatus.UNDER_SURVEILLANCE,
    ClaimKind.FORCED_LABOUR: VictimStatus.FORCED_LABOUR,
    ClaimKind.DISAPPEARED: VictimStatus.DISAPPEARED,
    ClaimKind.DIED: VictimStatus.DIED,
    ClaimKind.FLED: VictimStatus.FLED,
}

# Claim kinds whose value is a single attribute of the person (one value expected).
ATTRIBUTE_KINDS: tuple[ClaimKind, ...] = (
    ClaimKind.BORN,
    ClaimKind.GENDER,
    ClaimKind.ETHNICITY,
    ClaimKind.RESIDENT_OF,
    ClaimKind.PROFESSION,
    ClaimKind.ID_NUMBER,
)
