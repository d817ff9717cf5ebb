"""The migrations build exactly the tables that ``guwah.store.tables`` declares, on every
backend, so that the two can never drift apart unnoticed."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, MetaData, Text

from guwah.services.archive import Archive
from guwah.store import migrate
from guwah.store.tables import metadata

SEARCH_INDEX = ("person_fts", "person_search")  # built by hand per dialect, not in tables.py


def _not_search_index(obj: Any, name: str | None, kind: str, reflected: bool, other: Any) -> bool:
    table = name if kind == "table" else getattr(getattr(obj, "table", None), "name", "")
    return not str(table or "").startswith(SEARCH_INDEX)


def _differences(archive: Archive, target: MetaData) -> list[Any]:
    with archive.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_object": _not_search_index,
            },
        )
        return list(compare_metadata(context, target))


def test_migrated_schema_matches_tables_py(archive: Archive) -> None:
    assert _differences(archive, metadata) == []


def test_the_comparison_would_see_a_drift(archive: Archive) -> None:
    drifted = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(drifted)
    drifted.tables["persons"].append_column(Column("nickname", Text, nullable=True))

    differences = _differences(archive, drifted)

    assert [d[0] for d in differences] == ["add_column"]
    assert differences[0][3].name == "nickname"


def test_a_new_archive_is_at_the_single_head(archive: Archive) -> None:
    config = Config()
    config.set_main_option("script_location", migrate.SCRIPT_LOCATION)
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1
    assert migrate.current_revision(archive.engine) == heads[0] == migrate.head_revision()
