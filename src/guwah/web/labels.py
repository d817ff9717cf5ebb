"""Words for the vocabulary's codes as people read them (``testimony_oral`` is shown as
"oral testimony"), marked for translation. ``i18n._`` looks codes up here first, so a
template may write ``_(claim.kind.value)``. tests/web/test_i18n.py checks that every code
of the vocabularies has a label."""

from __future__ import annotations


def N_(message: str) -> str:  # the name gettext tools look for
    """Marks a message for extraction; translated where it is shown."""
    return message


LABELS: dict[str, str] = {
    # people and records
    "victim": N_("victim"),
    "testifier": N_("testifier"),
    "official": N_("official"),
    "other": N_("other"),
    "public": N_("public"),
    "internal": N_("internal"),
    "restricted": N_("restricted"),
    "full": N_("full name"),
    "given": N_("given name"),
    "patronymic": N_("father's name"),
    "surname": N_("surname"),
    "alias": N_("alias"),
    "Latn": N_("Latin"),
    "Cyrl": N_("Cyrillic"),
    "Arab": N_("Arabic (Uyghur)"),
    "Hani": N_("Chinese"),
    "Zyyy": N_("other script"),
    # sources
    "testimony_oral": N_("oral testimony"),
    "testimony_video": N_("video testimony"),
    "testimony_written": N_("written testimony"),
    "news_article": N_("news article"),
    "official_document": N_("official document"),
    "leaked_list": N_("leaked list"),
    "social_media": N_("social media post"),
    # claims
    "born": N_("born"),
    "gender": N_("gender"),
    "ethnicity": N_("ethnicity"),
    "resident_of": N_("resident of"),
    "profession": N_("profession"),
    "id_number": N_("ID number"),
    "detained": N_("detained"),
    "sentenced": N_("sentenced"),
    "released": N_("released"),
    "died": N_("died"),
    "disappeared": N_("disappeared"),
    "transferred": N_("transferred"),
    "forced_labour": N_("forced labour"),
    "fled": N_("fled"),
    "threatened": N_("threatened"),
    "surveilled": N_("under surveillance"),
    "family_separated": N_("family separated"),
    "birth_control": N_("forced birth control"),
    "last_contact": N_("last contact"),
    "relation": N_("relation"),
    "note": N_("note"),
    "proposed": N_("proposed"),
    "accepted": N_("accepted"),
    "rejected": N_("rejected"),
    "superseded": N_("superseded"),
    # relations
    "mother": N_("mother"),
    "father": N_("father"),
    "child": N_("child"),
    "sibling": N_("sibling"),
    "spouse": N_("spouse"),
    "other_relative": N_("other relative"),
    "neighbour": N_("neighbour"),
    "cellmate": N_("cellmate"),
    "colleague": N_("colleague"),
    # facilities
    "camp": N_("camp"),
    "detention_centre": N_("detention centre"),
    "prison": N_("prison"),
    "police_custody": N_("police custody"),
    "unknown": N_("unknown"),
    # a victim's situation
    "under_surveillance": N_("under surveillance"),
    # campaigns
    "open": N_("open"),
    "active": N_("active"),
    "paused": N_("paused"),
    "closed": N_("closed"),
    "petition": N_("petition"),
    "letter": N_("letter"),
    "un_submission": N_("UN submission"),
    "media": N_("media"),
    "meeting": N_("meeting"),
    # roles
    "admin": N_("admin"),
    "editor": N_("editor"),
    "researcher": N_("researcher"),
    "viewer": N_("viewer"),
    # genders, as the value parsers name them
    "male": N_("male"),
    "female": N_("female"),
    # how a consent was given
    "oral": N_("oral"),
    "written": N_("written"),
    "recorded": N_("recorded"),
    # ethnicities as the value parsers name them (ingest.values.parse_ethnicity)
    "Uyghur": N_("Uyghur"),
    "Kazakh": N_("Kazakh"),
    "Kyrgyz": N_("Kyrgyz"),
    "Hui": N_("Hui"),
    "Uzbek": N_("Uzbek"),
    "Tajik": N_("Tajik"),
    "Han": N_("Han"),
    # fields of a person's current view
    "status": N_("status"),
    "latest_detention": N_("latest detention"),
    "sentence": N_("sentence"),
}
